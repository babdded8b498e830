/*
 * URL line parsing and normalisation, streamed reading with line numbers,
 * and the set of seen URLs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "caps.h"
#include "urlsrc.h"

static void
good(const char *line, const char *want)
{
	char		*url = NULL;
	const char	*why = NULL;
	int		 rc;

	rc = urlsrc_parse_line(line, strlen(line), &url, &why);
	if (rc != 0)
		fprintf(stderr, "line \"%s\": %s\n", line, why ? why : "");
	CHECK_INT(rc, 0);
	if (rc == 0)
		CHECK_STR(url, want);
	free(url);
}

static void
bad(const char *line, size_t len, const char *why_part)
{
	char		*url = NULL;
	const char	*why = NULL;

	if (urlsrc_parse_line(line, len, &url, &why) != -1)
		fprintf(stderr, "accepted: \"%.*s\" as %s\n", (int)(len > 60 ?
		    60 : len), line, url ? url : "");
	CHECK(url == NULL);
	free(url);
	CHECK(why != NULL && strstr(why, why_part) != NULL);
	if (why != NULL && strstr(why, why_part) == NULL)
		fprintf(stderr, "  why: \"%s\", wanted \"%s\"\n", why, why_part);
}

static void
skipped(const char *line)
{
	char		*url = NULL;
	const char	*why = NULL;

	CHECK_INT(urlsrc_parse_line(line, strlen(line), &url, &why), 1);
	CHECK(url == NULL && why == NULL);
}

static void
test_lines(void)
{
	char	*longline;

	good("http://example.com/", "http://example.com/");
	good("  https://Example.COM/a/../b?q=1#frag \r",
	    "https://example.com/b?q=1");
	good("http://example.com:80/x", "http://example.com/x");
	good("http://example.com:8080/x", "http://example.com:8080/x");
	good("http://127.0.0.2:8080", "http://127.0.0.2:8080/");
	good("https://example.com/caf\xc3\xa9", "https://example.com/caf%C3%A9");
	/*
	 * An IDN comes out in its ASCII form, in any case and whether or
	 * not percent-encoded, so that all its spellings are one host; a
	 * name IDNA refuses, or a host that decodes to junk, is refused.
	 */
	good("http://b\xc3\xbc" "cher.de/x", "http://xn--bcher-kva.de/x");
	good("http://B\xc3\x9c" "CHER.de:8080/\xc3\xa4",
	    "http://xn--bcher-kva.de:8080/%C3%A4");
	good("http://b%C3%BCcher.de/", "http://xn--bcher-kva.de/");
	good("http://xn--bcher-kva.de/", "http://xn--bcher-kva.de/");
	bad("http://a\xe2\x80\xae" "b.de/", 16, "international host");
	bad("http://%ff/", 11, "host");
	bad("http://ex\xc3" "ample.com/", 20, "host");
	bad("http:/%", 7, "");
	bad("http://a%7f/x", 13, "host");
	good("http://%35/", "http://0.0.0.5/");
	bad("http://a%20b/x", 14, "host");
	skipped("");
	skipped("   \t \r");
	skipped("# a comment");
	skipped("  # indented comment");
	bad("example.com/page", 16, "no scheme");
	bad("ftp://example.com/file", 22, "scheme");
	bad("file:///etc/passwd", 18, "scheme");
	bad("javascript:alert(1)", 19, "scheme");
	bad("http://exa mple.com/", 20, "space");
	bad("http://example.com/\x01", 20, "control");
	bad("http://example.com/\0x", 21, "control");
	bad("http://", 7, "");
	bad("http://[::1/", 12, "");
	if ((longline = malloc(100 * 1024)) == NULL)
		return;
	memcpy(longline, "http://example.com/", 19);
	memset(longline + 19, 'a', 100 * 1024 - 19);
	bad(longline, 100 * 1024, "too long");
	bad(longline, TRAWL_URL_MAX + 1, "too long");
	free(longline);
}

static void
test_host(void)
{
	char	*h;

	h = urlsrc_host("http://example.com/x");
	CHECK_STR(h, "example.com");
	free(h);
	h = urlsrc_host("https://127.0.0.3:8443/x");
	CHECK_STR(h, "127.0.0.3:8443");
	free(h);
	CHECK(urlsrc_hash("a", 1) != urlsrc_hash("b", 1));
	CHECK(urlsrc_hash("abc", 3) == urlsrc_hash("abc", 3));
}

/* Lines across read boundaries keep their numbers; bad lines are named. */
static void
test_reader(void)
{
	char			 path[] = "/tmp/test_urlsrc.XXXXXX";
	FILE			*fp;
	struct urlsrc		*u;
	enum urlsrc_item	 it;
	char			*url;
	const char		*why, *line;
	size_t			 len;
	unsigned long		 lineno, nurl = 0, nbad = 0, i;
	int			 fd;

	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		CHECK(0);
		return;
	}
	fprintf(fp, "\xef\xbb\xbf# header, after a byte order mark\n\n");
	for (i = 0; i < 5000; i++)
		fprintf(fp, "http://h%lu.example/%lu\n", i % 7, i);
	fprintf(fp, "ftp://bad\n");			/* line 5003 */
	for (i = 0; i < 200 * 1024; i++)		/* line 5004: 200 KB */
		fputc('x', fp);
	fprintf(fp, "\nhttp://last.example/no-newline");	/* 5005 */
	fclose(fp);

	CHECK((u = urlsrc_open(path)) != NULL);
	if (u == NULL)
		return;
	CHECK_STR(urlsrc_path(u), path);
	while ((it = urlsrc_next(u, &url, &why, &line, &len, &lineno)) !=
	    URLSRC_EOF && it != URLSRC_ERROR) {
		if (it == URLSRC_URL) {
			nurl++;
			if (nurl == 1)
				CHECK_INT(lineno, 3);
			if (nurl == 5001) {
				CHECK_INT(lineno, 5005);
				CHECK_STR(url, "http://last.example/no-newline");
			}
			free(url);
		} else {
			nbad++;
			if (nbad == 1) {
				CHECK_INT(lineno, 5003);
				CHECK_INT(len, 9);
			} else {
				CHECK_INT(lineno, 5004);
				CHECK_STR(why, "line too long");
				CHECK(len <= TRAWL_URL_MAX);
			}
		}
	}
	CHECK(it == URLSRC_EOF);
	CHECK_INT(nurl, 5001);
	CHECK_INT(nbad, 2);
	urlsrc_close(u);
	unlink(path);
	CHECK(urlsrc_open("/nonexistent/urls.txt") == NULL);
}

static void
test_set(void)
{
	struct urlset	*s;
	char		 url[64];
	int		 i;

	CHECK((s = urlset_new()) != NULL);
	if (s == NULL)
		return;
	/* Past the table in memory, the spill on disk answers the same. */
	for (i = 0; i < 300000; i++) {
		snprintf(url, sizeof(url), "http://example.com/%d", i);
		CHECK_INT(urlset_add(s, url), 1);
	}
	for (i = 0; i < 300000; i += 7) {
		snprintf(url, sizeof(url), "http://example.com/%d", i);
		CHECK_INT(urlset_add(s, url), 0);
	}
	urlset_free(s);
	urlset_free(NULL);
}

int
main(void)
{
	test_lines();
	test_host();
	test_reader();
	test_set();
	CHECK_DONE();
}
