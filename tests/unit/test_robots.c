/*
 * Unit tests of lib/robots.c: RFC 9309's examples, cases learned from
 * Google's robots.txt test suite, and hostile files: huge, pathological,
 * full of garbage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caps.h"
#include "check.h"
#include "robots.h"

/* 1 or 0 for path under txt as seen by agent; -1 when out of memory. */
static int
allowed(const char *txt, const char *agent, const char *path)
{
	struct robots	*r;
	int		 ret;

	if ((r = robots_parse(txt, strlen(txt), agent)) == NULL)
		return -1;
	ret = robots_allowed(r, path, strlen(path));
	robots_free(r);
	return ret;
}

static double
delay(const char *txt, const char *agent)
{
	struct robots	*r;
	double		 d;

	if ((r = robots_parse(txt, strlen(txt), agent)) == NULL)
		return -1;
	d = robots_delay(r);
	robots_free(r);
	return d;
}

#define ALLOWED(txt, path)	CHECK_INT(allowed(txt, "trawl", path), 1)
#define REFUSED(txt, path)	CHECK_INT(allowed(txt, "trawl", path), 0)

static void
test_empty(void)
{
	struct robots	*r;

	ALLOWED("", "/");
	ALLOWED("", "/anything");
	/* Rules before any user-agent belong to no group. */
	ALLOWED("Disallow: /\n", "/x");
	/* Only other crawlers' groups: all allowed. */
	ALLOWED("User-agent: otherbot\nDisallow: /\n", "/x");
	/* An empty disallow is no rule. */
	ALLOWED("User-agent: *\nDisallow:\n", "/x");
	ALLOWED("User-agent: *\nDisallow: \n", "/");

	CHECK((r = robots_allow_all()) != NULL);
	CHECK_INT(robots_allowed(r, "/x", 2), 1);
	CHECK(robots_delay(r) == 0);
	robots_free(r);
	CHECK((r = robots_disallow_all()) != NULL);
	CHECK_INT(robots_allowed(r, "/x", 2), 0);
	CHECK_INT(robots_allowed(r, "/", 1), 0);
	CHECK_INT(robots_allowed(r, "", 0), 0);
	CHECK_INT(robots_allowed(r, "/robots.txt", 11), 1);
	robots_free(r);
	robots_free(NULL);
}

static void
test_groups(void)
{
	const char *txt =
	    "User-agent: *\n"
	    "Disallow: /star\n"
	    "\n"
	    "User-agent: trawl\n"
	    "Disallow: /trawl\n"
	    "\n"
	    "User-agent: otherbot\n"
	    "Disallow: /other\n";

	/* The most specific group wins; "*" is then not looked at. */
	REFUSED(txt, "/trawl");
	ALLOWED(txt, "/star");
	ALLOWED(txt, "/other");
	/* A crawler without a group of its own gets "*". */
	CHECK_INT(allowed(txt, "nobot", "/star"), 0);
	CHECK_INT(allowed(txt, "nobot", "/trawl"), 1);
	/* Agent names are case-insensitive, on both sides. */
	CHECK_INT(allowed(txt, "TRAWL", "/trawl"), 0);
	REFUSED("user-agent: TrAwL\ndisallow: /a\n", "/a");
	/* The product token: up to the first character not [A-Za-z_-]. */
	REFUSED("User-agent: trawl/1.0\nDisallow: /a\n", "/a");
	REFUSED("User-agent: trawl 2\nDisallow: /a\n", "/a");
	CHECK_INT(allowed("User-agent: trawl\nDisallow: /a\n",
	    "trawl/0.1 (+https://example.org)", "/a"), 0);
	ALLOWED("User-agent: trawlbot\nDisallow: /a\n", "/a");
	ALLOWED("User-agent: traw\nDisallow: /a\n", "/a");
	ALLOWED("User-agent: trawl-bot\nDisallow: /a\n", "/a");
	ALLOWED("User-agent: *trawl\nDisallow: /a\n", "/a");
	/* "*" followed by more is not the wildcard agent. */
	REFUSED("User-agent: * # all\nDisallow: /a\n", "/a");
	/* An agent with an empty token matches no named group. */
	CHECK_INT(allowed("User-agent: trawl\nDisallow: /a\n", "", "/a"),
	    1);
	CHECK_INT(allowed("User-agent: *\nDisallow: /a\n", "", "/a"), 0);
	/* A named group without rules still wins over "*". */
	ALLOWED("User-agent: *\nDisallow: /\n\nUser-agent: trawl\n", "/a");
	ALLOWED("User-agent: trawl\nUser-agent: *\nDisallow: /x\n"
	    "User-agent: *\nDisallow: /\n", "/a");
}

static void
test_merge(void)
{
	/* Groups for the same agent are merged, named and "*" alike. */
	const char *txt =
	    "User-agent: trawl\n"
	    "Disallow: /a\n"
	    "User-agent: other\n"
	    "Disallow: /b\n"
	    "User-agent: Trawl\n"
	    "Disallow: /c\n";

	REFUSED(txt, "/a");
	ALLOWED(txt, "/b");
	REFUSED(txt, "/c");
	REFUSED("User-agent: *\nDisallow: /a\nUser-agent: x\nAllow: /\n"
	    "User-agent: *\nDisallow: /c\n", "/c");
	/* Several user-agent lines start one group. */
	txt =
	    "User-agent: a\n"
	    "User-agent: trawl\n"
	    "User-agent: b\n"
	    "Disallow: /x\n"
	    "User-agent: c\n"
	    "Disallow: /y\n";
	REFUSED(txt, "/x");
	ALLOWED(txt, "/y");
	CHECK_INT(allowed(txt, "b", "/x"), 0);
	CHECK_INT(allowed(txt, "c", "/x"), 1);
	/* A user-agent line after a rule starts a new group. */
	ALLOWED("User-agent: trawl\nDisallow: /x\nUser-agent: c\n"
	    "Disallow: /y\n", "/y");
	/* Other records do not end the agent lines, nor the group. */
	txt =
	    "User-agent: c\n"
	    "Sitemap: https://example.org/sitemap.xml\n"
	    "User-agent: trawl\n"
	    "Disallow: /x\n"
	    "Host: example.org\n"
	    "Disallow: /y\n";
	REFUSED(txt, "/x");
	REFUSED(txt, "/y");
	CHECK_INT(allowed(txt, "c", "/x"), 0);
	/* An empty rule still ends the agent lines. */
	txt =
	    "User-agent: trawl\n"
	    "Disallow:\n"
	    "User-agent: c\n"
	    "Disallow: /\n";
	ALLOWED(txt, "/x");
	CHECK_INT(allowed(txt, "c", "/x"), 0);
}

static void
test_syntax(void)
{
	/* Keys are case-insensitive. */
	REFUSED("USER-AGENT: *\nDISALLOW: /a\n", "/a");
	REFUSED("uSeR-aGeNt: *\ndIsAlLoW: /a\n", "/a");
	/* Whitespace around keys and values. */
	REFUSED("  User-agent  :   *  \n\t Disallow \t:\t/a \t\n", "/a");
	REFUSED("User-agent: *\nDisallow: /a \n", "/a");
	/* Comments anywhere. */
	REFUSED("# hello\nUser-agent: * # all\nDisallow: /a # no\n", "/a");
	ALLOWED("User-agent: *\nDisallow: /a # no\n", "/b");
	ALLOWED("User-agent: *\n# Disallow: /a\n", "/a");
	ALLOWED("User-agent: *\nDisallow: #/a\n", "/a");
	/* CR, LF and CRLF line ends, mixed. */
	REFUSED("User-agent: *\r\nDisallow: /a\r\n", "/a");
	REFUSED("User-agent: *\rDisallow: /a\r", "/a");
	REFUSED("User-agent: *\r\n\r\nDisallow: /b\rDisallow: /a", "/a");
	/* No final line end. */
	REFUSED("User-agent: *\nDisallow: /a", "/a");
	/* A UTF-8 byte order mark, only at the start. */
	REFUSED("\xef\xbb\xbfUser-agent: *\nDisallow: /a\n", "/a");
	ALLOWED("\xef\xbb\xbf\xef\xbb\xbfUser-agent: *\nDisallow: /a\n",
	    "/a");
	/* Garbage lines are skipped. */
	REFUSED("<html>\nUser-agent: *\nfoo bar baz\n:::\n:\n\x01\x02\n"
	    "Disallow: /a\nnonsense: /b\n", "/a");
	ALLOWED("User-agent: *\nnonsense: /b\n", "/b");
	/* A missing colon is tolerated when key and value are clear. */
	REFUSED("User-agent *\nDisallow /a\n", "/a");
	ALLOWED("User-agent *\nDisallow /a /b\n", "/a");
	/* Common misspellings of the keys. */
	REFUSED("Useragent: *\nDissallow: /a\n", "/a");
	REFUSED("User agent: *\nDisalow: /a\n", "/a");
	/* A rule without its '/' still names a path. */
	REFUSED("User-agent: *\nDisallow: a/\n", "/a/b");
}

static void
test_nul(void)
{
	static const char txt[] = "User-agent: *\nDisallow: /a\0b\n"
	    "\0Disallow: /c\nDisallow: /d\n";
	struct robots	*r;

	/* NULs are bytes like any other, in the file and in paths. */
	CHECK((r = robots_parse(txt, sizeof(txt) - 1, "trawl")) != NULL);
	CHECK_INT(robots_allowed(r, "/a\0b", 4), 0);
	CHECK_INT(robots_allowed(r, "/a%00b", 6), 0);
	CHECK_INT(robots_allowed(r, "/a", 2), 1);
	CHECK_INT(robots_allowed(r, "/c", 2), 1);
	CHECK_INT(robots_allowed(r, "/d", 2), 0);
	robots_free(r);
}

static void
test_longest(void)
{
	/* The longest match wins, whatever the order. */
	REFUSED("User-agent: *\nAllow: /a\nDisallow: /a/b\n", "/a/b/c");
	ALLOWED("User-agent: *\nAllow: /a\nDisallow: /a/b\n", "/a/c");
	ALLOWED("User-agent: *\nDisallow: /a/b\nAllow: /a/b/c\n", "/a/b/c");
	ALLOWED("User-agent: *\nAllow: /a/b/c\nDisallow: /a/b\n", "/a/b/c");
	REFUSED("User-agent: *\nAllow: /\nDisallow: /a\n", "/a");
	ALLOWED("User-agent: *\nDisallow: /\nAllow: /a\n", "/a");
	REFUSED("User-agent: *\nDisallow: /\nAllow: /a\n", "/b");
	/* Allow wins a tie. */
	ALLOWED("User-agent: *\nDisallow: /a\nAllow: /a\n", "/a");
	ALLOWED("User-agent: *\nAllow: /a\nDisallow: /a\n", "/a");
	ALLOWED("User-agent: *\nDisallow: /a*\nAllow: /a$\n", "/a");
	REFUSED("User-agent: *\nDisallow: /a*\nAllow: /a$\n", "/ab");
	/* Wildcards count towards the length. */
	ALLOWED("User-agent: *\nDisallow: /page\nAllow: /*.html\n",
	    "/page.html");
	ALLOWED("User-agent: *\nDisallow: /page\nAllow: /*.ht\n",
	    "/page.html");
	REFUSED("User-agent: *\nDisallow: /page\nAllow: /*.h\n",
	    "/page.html");
	/* RFC 9309 5.2's example. */
	ALLOWED("User-agent: *\nAllow: /example/page/\n"
	    "Disallow: /example/page/disallowed.gif\n", "/example/page/");
	REFUSED("User-agent: *\nAllow: /example/page/\n"
	    "Disallow: /example/page/disallowed.gif\n",
	    "/example/page/disallowed.gif");
	/* Matching is case-sensitive; it is a prefix. */
	ALLOWED("User-agent: *\nDisallow: /A\n", "/a");
	REFUSED("User-agent: *\nDisallow: /fish\n", "/fish.html");
	REFUSED("User-agent: *\nDisallow: /fish\n", "/fishheads/x");
	ALLOWED("User-agent: *\nDisallow: /fish/\n", "/fish");
	REFUSED("User-agent: *\nDisallow: /\n", "/");
	REFUSED("User-agent: *\nDisallow: /\n", "");
	/* The query is part of what is matched. */
	REFUSED("User-agent: *\nDisallow: /*?\n", "/a?b=c");
	ALLOWED("User-agent: *\nDisallow: /*?\n", "/a");
	REFUSED("User-agent: *\nDisallow: /a?b\n", "/a?b=1");
}

static void
test_wildcards(void)
{
	const char *txt;

	REFUSED("User-agent: *\nDisallow: /*.php\n", "/a/b.php?x");
	REFUSED("User-agent: *\nDisallow: /*.php\n", "/.php");
	ALLOWED("User-agent: *\nDisallow: /*.php\n", "/a.PHP");
	REFUSED("User-agent: *\nDisallow: /*.php$\n", "/a/b.php");
	ALLOWED("User-agent: *\nDisallow: /*.php$\n", "/a/b.php?x");
	ALLOWED("User-agent: *\nDisallow: /*.php$\n", "/a/b.php5");
	REFUSED("User-agent: *\nDisallow: /fish*\n", "/fish");
	REFUSED("User-agent: *\nDisallow: /fish*\n", "/fishes");
	ALLOWED("User-agent: *\nDisallow: /fish*\n", "/Fish");
	REFUSED("User-agent: *\nDisallow: /fish*.php\n", "/fish/x.php");
	REFUSED("User-agent: *\nDisallow: /fish*.php\n", "/fishheads/c.php?p");
	ALLOWED("User-agent: *\nDisallow: /fish*.php\n", "/Fish.PHP");
	REFUSED("User-agent: *\nDisallow: *\n", "/anything");
	REFUSED("User-agent: *\nDisallow: /*\n", "/");
	REFUSED("User-agent: *\nDisallow: /**\n", "/");
	REFUSED("User-agent: *\nDisallow: /a**b\n", "/ab");
	REFUSED("User-agent: *\nDisallow: /a*b*c\n", "/a-c-b-c");
	ALLOWED("User-agent: *\nDisallow: /a*b*c\n", "/a-c-c-b");
	/* '$' only at the end anchors. */
	REFUSED("User-agent: *\nDisallow: /$\n", "/");
	ALLOWED("User-agent: *\nDisallow: /$\n", "/a");
	ALLOWED("User-agent: *\nDisallow: /a$b\n", "/ab");
	REFUSED("User-agent: *\nDisallow: /a$b\n", "/a$b");
	REFUSED("User-agent: *\nDisallow: /a*$\n", "/abc");
	REFUSED("User-agent: *\nDisallow: /a$$\n", "/a$");
	ALLOWED("User-agent: *\nDisallow: /a$$\n", "/a");
	/* A path's final '$' is a character: fuzz_robots's crasher. */
	REFUSED("User-agent: *\nDisallow: ////*$$\n", "////$");
	REFUSED("User-agent: *\nDisallow: /*$*$\n", "/$");
	/* The last piece of an anchored pattern after the others. */
	REFUSED("User-agent: *\nDisallow: /*ab*ba$\n", "/abba");
	ALLOWED("User-agent: *\nDisallow: /*aba*aba$\n", "/ababa");
	REFUSED("User-agent: *\nDisallow: /*aba*aba$\n", "/abaaba");
	REFUSED("User-agent: *\nDisallow: /*aba*aba\n", "/abaabax");
	/* Google's "allow the page but not its subpages" idiom. */
	txt = "User-agent: *\nAllow: /$\nDisallow: /\n";
	ALLOWED(txt, "/");
	REFUSED(txt, "/page");
	txt = "User-agent: *\nDisallow: /\nAllow: /*.css$\n";
	ALLOWED(txt, "/a/b.css");
	REFUSED(txt, "/a/b.css?v=1");
}

static void
test_encoding(void)
{
	/* Characters that need no encoding, encoded or not. */
	REFUSED("User-agent: *\nDisallow: /%7Efoo\n", "/~foo");
	REFUSED("User-agent: *\nDisallow: /~foo\n", "/%7efoo");
	REFUSED("User-agent: *\nDisallow: /foo/bar/%62%61%7A\n",
	    "/foo/bar/baz");
	REFUSED("User-agent: *\nDisallow: /foo/bar/baz\n",
	    "/foo/bar/%62%61%7A");
	REFUSED("User-agent: *\nDisallow: /%41\n", "/A");
	ALLOWED("User-agent: *\nDisallow: /%41\n", "/a");
	/* Characters that must be encoded, encoded or not, any case. */
	REFUSED("User-agent: *\nDisallow: /a%3cd\n", "/a<d");
	REFUSED("User-agent: *\nDisallow: /a<d\n", "/a%3Cd");
	REFUSED("User-agent: *\nDisallow: /a%3cd\n", "/a%3Cd");
	REFUSED("User-agent: *\nDisallow: /a%3Cd\n", "/a%3cd");
	REFUSED("User-agent: *\nDisallow: /a b\n", "/a%20b");
	REFUSED("User-agent: *\nDisallow: /a%20b\n", "/a b");
	/* UTF-8 in the file is percent-encoded (RFC 9309 2.2.2). */
	REFUSED("User-agent: *\nDisallow: /foo/bar/\xe3\x83\x84\n",
	    "/foo/bar/%E3%83%84");
	REFUSED("User-agent: *\nDisallow: /foo/bar/\xe3\x83\x84\n",
	    "/foo/bar/%e3%83%84");
	REFUSED("User-agent: *\nDisallow: /foo/bar/%E3%83%84\n",
	    "/foo/bar/\xe3\x83\x84");
	ALLOWED("User-agent: *\nDisallow: /foo/bar/%E3%83%84\n",
	    "/foo/bar/%E3%83%85");
	/* Reserved characters: encoded and raw stay distinct. */
	ALLOWED("User-agent: *\nDisallow: /a%2Fb\n", "/a/b");
	ALLOWED("User-agent: *\nDisallow: /a/b\n", "/a%2Fb");
	REFUSED("User-agent: *\nDisallow: /a%2fb\n", "/a%2Fb");
	ALLOWED("User-agent: *\nDisallow: /a%3Fb\n", "/a?b");
	REFUSED("User-agent: *\nDisallow: /a%3Fb\n", "/a%3fb");
	/* An encoded '*' or '$' is no wildcard. */
	ALLOWED("User-agent: *\nDisallow: /a%2A\n", "/ab");
	REFUSED("User-agent: *\nDisallow: /a%2A\n", "/a%2ab");
	ALLOWED("User-agent: *\nDisallow: /a%24\n", "/a$");
	REFUSED("User-agent: *\nDisallow: /a%24\n", "/a%24");
	/* A '%' without two hex digits is a '%' to encode. */
	REFUSED("User-agent: *\nDisallow: /100%\n", "/100%25");
	REFUSED("User-agent: *\nDisallow: /100%25\n", "/100%");
	REFUSED("User-agent: *\nDisallow: /a%zz\n", "/a%25zz");
	REFUSED("User-agent: *\nDisallow: /a%4\n", "/a%254");
	ALLOWED("User-agent: *\nDisallow: /a%4\n", "/a%41");
	/* A piece of a pattern never matches inside an escape. */
	ALLOWED("User-agent: *\nDisallow: /*3C\n", "/a%3C");
	ALLOWED("User-agent: *\nDisallow: /*C\n", "/a%3C");
	REFUSED("User-agent: *\nDisallow: /*C\n", "/a%3CC");
	REFUSED("User-agent: *\nDisallow: /*%3C\n", "/a%3c");
	/* An escape counts three octets towards the longest match. */
	REFUSED("User-agent: *\nAllow: /abcd\nDisallow: /%3C\n", "/<");
	ALLOWED("User-agent: *\nAllow: /abcd\nDisallow: /%3C\n", "/abcd");
	REFUSED("User-agent: *\nAllow: /<\nDisallow: /*<\n", "/<");
	ALLOWED("User-agent: *\nAllow: /<\nDisallow: /*\n", "/<");
	REFUSED("User-agent: *\nAllow: /<\nDisallow: /<*\n", "/<");
}

static void
test_robotstxt(void)
{
	const char *txt = "User-agent: *\nDisallow: /\n";

	ALLOWED(txt, "/robots.txt");
	ALLOWED(txt, "/robot%73.txt");
	REFUSED(txt, "/robots.txt?x");
	REFUSED(txt, "/robots.txt/");
	ALLOWED("User-agent: *\nDisallow: /robots.txt\n", "/x/robots.txt");
	REFUSED("User-agent: *\nDisallow: /robots.txt\n", "/robots.txt2");
	ALLOWED("User-agent: *\nDisallow: /robots.txt\n", "/robots.txt");
}

static void
test_delay(void)
{
	const char *txt =
	    "User-agent: *\n"
	    "Crawl-delay: 7\n"
	    "Disallow: /x\n"
	    "\n"
	    "User-agent: trawl\n"
	    "Disallow: /y\n"
	    "Crawl-delay: 2.5\n"
	    "\n"
	    "User-agent: other\n"
	    "Crawl-delay: 30\n";

	CHECK(delay(txt, "trawl") == 2.5);
	CHECK(delay(txt, "nobot") == 7);
	CHECK(delay(txt, "other") == 30);
	CHECK(delay("User-agent: *\nDisallow: /\n", "trawl") == 0);
	CHECK(delay("", "trawl") == 0);
	CHECK(delay("Crawl-delay: 5\n", "trawl") == 0);
	/* It does not end the agent lines. */
	CHECK(delay("User-agent: a\nCrawl-delay: 5\nUser-agent: trawl\n"
	    "Disallow: /\n", "trawl") == 5);
	/* Merged groups: the largest. */
	CHECK(delay("User-agent: trawl\nCrawl-delay: 3\nDisallow: /\n"
	    "User-agent: trawl\nCrawl-delay: 1\n", "trawl") == 3);
	CHECK(delay("User-agent: trawl\nCrawl-delay: 3\ncrawl-delay: 4\n",
	    "trawl") == 4);
	/* Capped, and bad values ignored. */
	CHECK(delay("User-agent: *\nCrawl-delay: 3600\n", "t") ==
	    ROBOTS_DELAY_MAX);
	CHECK(delay("User-agent: *\nCrawl-delay: "
	    "99999999999999999999999999999999999999\n", "t") ==
	    ROBOTS_DELAY_MAX);
	CHECK(delay("User-agent: *\nCrawl-delay: 0.5\n", "t") == 0.5);
	CHECK(delay("User-agent: *\nCrawl-delay: .5\n", "t") == 0.5);
	CHECK(delay("User-agent: *\nCrawl-delay: 2.\n", "t") == 2);
	CHECK(delay("User-agent: *\nCrawl-delay: 1.000000000000000001\n",
	    "t") == 1);
	CHECK(delay("User-agent: *\nCrawl-delay: -1\n", "t") == 0);
	CHECK(delay("User-agent: *\nCrawl-delay: 5s\n", "t") == 0);
	CHECK(delay("User-agent: *\nCrawl-delay: 1e3\n", "t") == 0);
	CHECK(delay("User-agent: *\nCrawl-delay: nan\n", "t") == 0);
	CHECK(delay("User-agent: *\nCrawl-delay: inf\n", "t") == 0);
	CHECK(delay("User-agent: *\nCrawl-delay: 0x10\n", "t") == 0);
	CHECK(delay("User-agent: *\nCrawl-delay: .\n", "t") == 0);
	CHECK(delay("User-agent: *\nCrawl-delay:\n", "t") == 0);
	CHECK(delay("User-agent: *\nCrawl-delay: 1 2\n", "t") == 0);
}

/* Fill txt[0..len) with copies of line, then the rest with '#'. */
static char *
repeat(const char *head, const char *line, size_t len)
{
	char	*txt;
	size_t	 n, hl = strlen(head), ll = strlen(line);

	if ((txt = malloc(len + 1)) == NULL)
		return NULL;
	memset(txt, '#', len);
	memcpy(txt, head, hl);
	for (n = hl; n + ll <= len; n += ll)
		memcpy(txt + n, line, ll);
	txt[len] = '\0';
	return txt;
}

static void
test_huge(void)
{
	struct robots	*r;
	char		*txt, *big;
	size_t		 len;

	/* Rules past TRAWL_ROBOTS_MAX are not read. */
	len = TRAWL_ROBOTS_MAX + 4096;
	if ((txt = repeat("User-agent: *\n", "Disallow: /a\n", len)) == NULL)
		abort();
	memcpy(txt + TRAWL_ROBOTS_MAX + 1, "\nDisallow: /b\n", 14);
	CHECK((r = robots_parse(txt, len, "trawl")) != NULL);
	CHECK_INT(robots_allowed(r, "/a", 2), 0);
	CHECK_INT(robots_allowed(r, "/b", 2), 1);
	robots_free(r);
	/* A line cut at the cap is dropped: "/abc" is not "/a". */
	memset(txt, '#', len);
	memcpy(txt, "User-agent: *\n", 14);
	memcpy(txt + TRAWL_ROBOTS_MAX - 12, "\nDisallow: /abc\n", 16);
	CHECK((r = robots_parse(txt, len, "trawl")) != NULL);
	CHECK_INT(robots_allowed(r, "/a", 2), 1);
	CHECK_INT(robots_allowed(r, "/abc", 4), 1);
	robots_free(r);
	/* A file of exactly the cap is read whole. */
	memcpy(txt + TRAWL_ROBOTS_MAX - 16, "\nDisallow: /abc\n", 16);
	CHECK((r = robots_parse(txt, TRAWL_ROBOTS_MAX, "trawl")) != NULL);
	CHECK_INT(robots_allowed(r, "/a", 2), 1);
	CHECK_INT(robots_allowed(r, "/abc", 4), 0);
	robots_free(r);
	CHECK((r = robots_parse(txt, TRAWL_ROBOTS_MAX - 1, "trawl")) !=
	    NULL);
	CHECK_INT(robots_allowed(r, "/abc", 4), 0);
	robots_free(r);
	free(txt);

	/* Too long a rule is ignored; one just short enough is kept. */
	len = ROBOTS_PATTERN_MAX + 64;
	if ((big = malloc(len)) == NULL)
		abort();
	memset(big, 'x', len);
	big[0] = '/';
	if ((txt = malloc(len + 64)) == NULL)
		abort();
	snprintf(txt, len + 64, "User-agent: *\nDisallow: %.*s\n",
	    (int)len, big);
	CHECK((r = robots_parse(txt, strlen(txt), "trawl")) != NULL);
	CHECK_INT(robots_allowed(r, big, len), 1);
	robots_free(r);
	snprintf(txt, len + 64, "User-agent: *\nDisallow: %.*s\n",
	    ROBOTS_PATTERN_MAX, big);
	CHECK((r = robots_parse(txt, strlen(txt), "trawl")) != NULL);
	CHECK_INT(robots_allowed(r, big, len), 0);
	robots_free(r);
	/* Three octets per escaped byte: the cap is on the normal form. */
	memset(big + 1, '<', len - 1);
	snprintf(txt, len + 64, "User-agent: *\nDisallow: %.*s\n",
	    ROBOTS_PATTERN_MAX / 2, big);
	CHECK((r = robots_parse(txt, strlen(txt), "trawl")) != NULL);
	CHECK_INT(robots_allowed(r, big, len), 1);
	robots_free(r);
	free(txt);
	/* A path longer than the stack buffer. */
	CHECK((r = robots_parse("User-agent: *\nDisallow: /*<$\n", 28,
	    "trawl")) != NULL);
	CHECK_INT(robots_allowed(r, big, len), 0);
	big[len - 1] = 'x';
	CHECK_INT(robots_allowed(r, big, len), 1);
	robots_free(r);
	free(big);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Files built against the matcher.  A backtracking matcher would take
 * years on these; the bounds leave room for valgrind, about 50 times
 * slower than a plain build, which takes some 0.1 s for all of them.
 */
static void
test_pathological(void)
{
	static const char *lines[] = {
		"Disallow: /*a*a*a*a*a*a*a*a*b\n",
		"Disallow: /*aaaaaaaaaaaaaaaaaaab\n",
		"Disallow: /*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b$\n",
		"Disallow: *****************************************b\n",
		"Allow: /*%61%61%61%61*%61%61%61%61%61%61%61%61%61b\n",
	};
	struct robots	*r;
	char		*txt, path[TRAWL_URL_MAX];
	double		 t;
	size_t		 i;

	memset(path, 'a', sizeof(path));
	path[0] = '/';
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		/* A 500 KiB file of nothing but this rule, all different. */
		if ((txt = repeat("User-agent: *\n", lines[i],
		    TRAWL_ROBOTS_MAX)) == NULL)
			abort();
		t = now();
		CHECK((r = robots_parse(txt, TRAWL_ROBOTS_MAX, "trawl")) !=
		    NULL);
		CHECK_INT(robots_allowed(r, path, sizeof(path)), 1);
		CHECK_INT(robots_allowed(r, "/aaaaaaaaaaaaaaaaaaaaaaaaab", 27),
		    i == 4 ? 1 : 0);
		CHECK(now() - t < 30);
		robots_free(r);
		free(txt);
	}
	/* Thousands of distinct rules, each looked at for a long path. */
	if ((txt = malloc(TRAWL_ROBOTS_MAX)) == NULL)
		abort();
	for (i = 0, t = 0; i + 64 < TRAWL_ROBOTS_MAX; i += strlen(txt + i))
		snprintf(txt + i, 64, "Disallow: /*a*%zu*a*aaaaaab\n",
		    (size_t)t++);
	t = now();
	CHECK((r = robots_parse("User-agent: *\n", 14, "t")) != NULL);
	robots_free(r);
	memcpy(txt, "User-agent: *\n", 14);
	CHECK((r = robots_parse(txt, i, "trawl")) != NULL);
	CHECK_INT(robots_allowed(r, path, sizeof(path)), 1);
	CHECK(now() - t < 30);
	robots_free(r);
	free(txt);
}

int
main(void)
{
	test_empty();
	test_groups();
	test_merge();
	test_syntax();
	test_nul();
	test_longest();
	test_wildcards();
	test_encoding();
	test_robotstxt();
	test_delay();
	test_huge();
	test_pathological();
	CHECK_DONE();
}
