/*
 * Unit tests of lib/extract.c.
 *
 * usage: test_extract [DATADIR]
 *
 * With DATADIR (tests/data/extract), every NAME.html there is extracted
 * and compared byte for byte with NAME.txt (plain text) and, when it
 * exists, NAME.md (markdown).  A first line "<!-- charset: X -->" in the
 * page names the HTTP charset to pass.  NAME.meta, when it exists, holds
 * "key: value" lines for title, lang, description, canonical_url and
 * published.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "extract.h"

static int	 failures;
static int	 checks;

#define CHECK(cond) do {						\
	checks++;							\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		failures++;						\
	}								\
} while (0)

#define CHECK_STR(a, b) check_str(__FILE__, __LINE__, #a, (a), (b))
#define CHECK_NUM(a, b) check_num(__FILE__, __LINE__, #a, (a), (b))

static void
check_str(const char *file, int line, const char *what, const char *got,
    const char *want)
{
	checks++;
	if (got == NULL && want == NULL)
		return;
	if (got != NULL && want != NULL && strcmp(got, want) == 0)
		return;
	fprintf(stderr, "%s:%d: %s:\n  got:  \"%s\"\n  want: \"%s\"\n",
	    file, line, what, got != NULL ? got : "(null)",
	    want != NULL ? want : "(null)");
	failures++;
}

static void
check_num(const char *file, int line, const char *what, long long got,
    long long want)
{
	checks++;
	if (got == want)
		return;
	fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", file, line, what,
	    got, want);
	failures++;
}

/* Whether s[0..n) is valid UTF-8 (no overlongs, surrogates or NULs). */
static int
valid_utf8(const char *str, size_t n)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0, l, k;
	unsigned int		 cp;

	while (i < n) {
		if (s[i] == 0)
			return 0;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0)
			l = 2, cp = s[i] & 0x1f;
		else if ((s[i] & 0xf0) == 0xe0)
			l = 3, cp = s[i] & 0x0f;
		else if ((s[i] & 0xf8) == 0xf0)
			l = 4, cp = s[i] & 0x07;
		else
			return 0;
		if (i + l > n)
			return 0;
		for (k = 1; k < l; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((l == 2 && cp < 0x80) || (l == 3 && cp < 0x800) ||
		    (l == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += l;
	}
	return 1;
}

/*
 * Extract p[0..n) fed in chunks of the given size (0: all at once) and
 * fill *r.  Returns 0 or -1.
 */
static int
run_chunked(const char *p, size_t n, const char *charset,
    enum extract_format fmt, size_t chunk, struct extract_result *r)
{
	struct extract	*x;
	size_t		 off, k;

	if ((x = extract_new(charset, fmt)) == NULL)
		return -1;
	if (chunk == 0)
		chunk = n > 0 ? n : 1;
	for (off = 0; off < n; off += k) {
		k = n - off < chunk ? n - off : chunk;
		if (extract_feed(x, p + off, k) == -1) {
			extract_free(x);
			return -1;
		}
	}
	if (extract_finish(x, r) == -1) {
		extract_free(x);
		return -1;
	}
	extract_free(x);
	CHECK(valid_utf8(r->text, r->textlen));
	CHECK(strlen(r->text) == r->textlen);
	CHECK(valid_utf8(r->title, strlen(r->title)));
	return 0;
}

/* Extract a NUL-terminated page in one piece, as text. */
static int
run(const char *page, const char *charset, struct extract_result *r)
{
	return run_chunked(page, strlen(page), charset, EXTRACT_TEXT, 0, r);
}

static void
test_boilerplate(void)
{
	struct extract_result	 r;
	const char		*page =
	    "<!DOCTYPE html><html lang=\"en-GB\"><head>"
	    "<title>A walk in the hills | Example Site</title>"
	    "<style>body { color: red }</style>"
	    "<script>var x = \"<p>not text</p>\";</script></head><body>"
	    "<header><a href=\"/\">Home</a> <a href=\"/news\">News</a></header>"
	    "<nav><ul><li><a href=\"/a\">Section A</a></li></ul></nav>"
	    "<main><article><h1>A walk in the hills</h1>"
	    "<p>We set out   early,\n before the\tsun.</p>"
	    "<p>The path climbed <b>steeply</b> through the woods.</p>"
	    "<ul><li>Water</li><li>Bread</li></ul>"
	    "<div hidden>secret</div><span aria-hidden=\"true\">icon</span>"
	    "<noscript>enable js</noscript><template>tmpl</template>"
	    "<button>Share</button>"
	    "<blockquote>Walk on.</blockquote></article></main>"
	    "<aside>Related stories</aside>"
	    "<footer>Copyright 2026</footer></body></html>";

	if (run(page, NULL, &r) == -1) {
		CHECK(!"extract failed");
		return;
	}
	CHECK_STR(r.text, "A walk in the hills\n\n"
	    "We set out early, before the sun.\n\n"
	    "The path climbed steeply through the woods.\n\n"
	    "Water\nBread\n\n"
	    "Walk on.");
	CHECK_NUM(r.words, 23);
	CHECK_NUM(r.textlen, strlen(r.text));
	CHECK_STR(r.title, "A walk in the hills");
	CHECK_STR(r.lang, "en-gb");
	CHECK_STR(r.description, NULL);
	CHECK_STR(r.canonical_url, NULL);
	CHECK_STR(r.published, NULL);
	extract_result_free(&r);
}

static void
test_metadata(void)
{
	struct extract_result	 r;
	const char		*page =
	    "<html><head><meta http-equiv=\"Content-Language\" "
	    "content=\"pt_BR\"><title>Ignored</title>"
	    "<meta property=\"og:title\" content=\"  The   OG title \">"
	    "<meta name=\"description\" content=\"A short summary.\">"
	    "<link rel=\"canonical\" href=\"https://example.org/a\">"
	    "<script type=\"application/ld+json\">{\"@type\": \"Article\", "
	    "\"datePublished\": \"2025-03-04T05:06:07Z\"}</script>"
	    "</head><body><p>Body text here.</p></body></html>";
	const char		*page2 =
	    "<html><body><h1>First <em>heading</em></h1><h1>Second</h1>"
	    "<p>x</p><meta property=\"article:published_time\" "
	    "content=\"2024-01-02\"></body></html>";

	if (run(page, NULL, &r) == 0) {
		CHECK_STR(r.title, "The OG title");
		CHECK_STR(r.lang, "pt-br");
		CHECK_STR(r.description, "A short summary.");
		CHECK_STR(r.canonical_url, "https://example.org/a");
		CHECK_STR(r.published, "2025-03-04T05:06:07Z");
		CHECK_STR(r.text, "Body text here.");
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
	if (run(page2, NULL, &r) == 0) {
		CHECK_STR(r.title, "First heading");
		CHECK_STR(r.lang, "");
		CHECK_STR(r.published, "2024-01-02");
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
}

static void
test_encodings(void)
{
	struct extract_result	 r;
	const char		*latin = "<html><body><p>caf\xe9 na\xefve"
	    "</p></body></html>";
	const char		*latin_meta = "<html><head><meta charset="
	    "\"iso-8859-1\"></head><body><p>caf\xe9</p></body></html>";
	const char		*equiv = "<html><head><meta http-equiv="
	    "\"Content-Type\" content=\"text/html; charset=windows-1252\">"
	    "</head><body><p>\x93quoted\x94 \x80</p></body></html>";
	const char		*bom = "\xef\xbb\xbf<html><body><p>caf\xc3\xa9"
	    "</p></body></html>";
	const char		*header_wins = "<html><head><meta charset="
	    "\"iso-8859-1\"></head><body><p>caf\xc3\xa9</p></body></html>";
	const char		*bad = "<html><head><meta charset=\"utf-8\">"
	    "</head><body><p>ok \xff\xfe bad \xc3 \xe2\x82 \xed\xa0\x80 end"
	    "</p><p>caf\xc3\xa9</p></body></html>";
	const char		*late_meta = "<html><head><title>Gr\xc3\xbc\xc3"
	    "\x9f" "e</title><meta charset=\"utf-8\"></head><body><p>s\xc3\xbc"
	    "\xc3\x9f</p></body></html>";
	const char		*mislabel = "<html><head><meta charset="
	    "\"iso-8859-1\"></head><body><p>caf\xc3\xa9</p></body></html>";
	static const char	 utf16[] = "\xff\xfe<\0p\0>\0h\0i\0 \0\xe9\0";

	if (run(latin, "ISO-8859-1", &r) == 0) {
		CHECK_STR(r.text, "caf\xc3\xa9 na\xc3\xafve");
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
	if (run(latin_meta, NULL, &r) == 0) {
		CHECK_STR(r.text, "caf\xc3\xa9");
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
	if (run(equiv, NULL, &r) == 0) {
		CHECK_STR(r.text,
		    "\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x82\xac");
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
	/* The BOM wins over the header. */
	if (run(bom, "iso-8859-1", &r) == 0) {
		CHECK_STR(r.text, "caf\xc3\xa9");
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
	/* The header wins over <meta>. */
	if (run(header_wins, "utf-8", &r) == 0) {
		CHECK_STR(r.text, "caf\xc3\xa9");
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
	/* Invalid UTF-8 still gives valid UTF-8, and the text goes on. */
	if (run(bad, NULL, &r) == 0) {
		CHECK(strstr(r.text, "ok ") == r.text);
		CHECK(strstr(r.text, "end") != NULL);
		CHECK(strstr(r.text, "caf") != NULL);
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
	if (run(bad, "utf-8", &r) == 0) {
		CHECK(strstr(r.text, "end") != NULL);
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
	/* Non-ASCII before the <meta>: still UTF-8. */
	if (run(late_meta, NULL, &r) == 0) {
		CHECK_STR(r.title, "Gr\xc3\xbc\xc3\x9f" "e");
		CHECK_STR(r.text, "s\xc3\xbc\xc3\x9f");
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
	/* Plainly UTF-8 bytes win over a <meta> that says otherwise. */
	if (run(mislabel, NULL, &r) == 0) {
		CHECK_STR(r.text, "caf\xc3\xa9");
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
	/* UTF-16 by BOM: NULs are data there. */
	if (run_chunked(utf16, sizeof(utf16) - 1, NULL, EXTRACT_TEXT, 3,
	    &r) == 0) {
		CHECK_STR(r.text, "hi \xc3\xa9");
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
}

/* A <meta> charset holds for the whole page, however it is cut. */
static void
test_meta_chunks(void)
{
	struct extract_result	 a, b;
	char			*page;
	size_t			 n = 0, i, cap = 256 * 1024;

	if ((page = malloc(cap)) == NULL) {
		CHECK(!"out of memory");
		return;
	}
	n += (size_t)snprintf(page, cap, "<html><head><meta http-equiv="
	    "\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"
	    "<title>t</title></head><body><article>");
	for (i = 0; i < 2000; i++)
		n += (size_t)snprintf(page + n, cap - n,
		    "<p>Dar\xfc" "ber %zu, k\xf6nnen.</p>", i);
	n += (size_t)snprintf(page + n, cap - n, "</article></body></html>");
	if (run_chunked(page, n, NULL, EXTRACT_TEXT, 0, &a) == 0) {
		CHECK(strstr(a.text,
		    "Dar\xc3\xbc" "ber 1999, k\xc3\xb6nnen.") != NULL);
		if (run_chunked(page, n, NULL, EXTRACT_TEXT, 16384, &b) == 0) {
			CHECK_STR(b.text, a.text);
			extract_result_free(&b);
		} else
			CHECK(!"extract failed");
		extract_result_free(&a);
	} else
		CHECK(!"extract failed");
	free(page);
}

/*
 * Pages that libxml2 once read differently as chunks fell, put past the
 * first 64 KiB, where the parser gets them chunk by chunk: the same
 * record however they are cut, and valid UTF-8.
 */
static void
test_chunk_regressions(void)
{
	static const char *const tails[] = {
		/* Invalid UTF-8 (fuzz_extract). */
		"<p>\xed\xa0\x80 \xc0\xaf \xf4\x90\x80\x80 \xe2\x82 "
		"caf\xc3\xa9 \xef\xbf\xbe \x01</p>",
		/* End tags before any element, junk in tags (fuzz_extract). */
		"\x08\n</oc\n\n\x08\n</ocript>\n\nript> caf\xc3\xa9 <p <b>x"
		"</p junk>",
		/* A declaration inside <title> (fuzz_extract). */
		"<title>A  <!doctype html><html><title>B</title><p>caf\xc3\xa9"
		"<?pi x?></p>",
		/* A <style> cut before its '>' goes whole too (fuzz_extract). */
		"<style></style><noscript><p>caf\xc3\xa9, a long sentence with "
		"words, commas, and more words to count.</p>",
		/* A quote in an unquoted value (fuzz_extract). */
		"<title>caf\xc3\xa9<meta name=x\"y content=\"a><div><p>one"
		"</p><p>two",
		/* A blank before a tag whose '>' comes later (fuzz_extract). */
		"<p>caf\xc3\xa9</p><div>x</x> <a>",
		NULL
	};
	struct extract_result	 a, b;
	char			*page;
	size_t			 n, pad = 70000, chunk, t, len;

	for (t = 0; tails[t] != NULL; t++) {
		len = strlen(tails[t]);
		if ((page = malloc(pad + len)) == NULL) {
			CHECK(!"out of memory");
			return;
		}
		memset(page, '\n', pad);
		memcpy(page + pad, tails[t], len);
		n = pad + len;
		if (run_chunked(page, n, NULL, EXTRACT_TEXT, 0, &a) == -1) {
			CHECK(!"extract failed");
			free(page);
			continue;
		}
		CHECK(strstr(a.text, "caf\xc3\xa9") != NULL ||
		    strstr(a.title, "caf\xc3\xa9") != NULL);
		for (chunk = 1; chunk <= 5; chunk++) {
			if (run_chunked(page, n, NULL, EXTRACT_TEXT, chunk,
			    &b) == -1) {
				CHECK(!"extract failed");
				continue;
			}
			CHECK_STR(b.text, a.text);
			CHECK_STR(b.title, a.title);
			extract_result_free(&b);
		}
		extract_result_free(&a);
		free(page);
	}
}

static void
test_nul(void)
{
	struct extract_result	 r;
	static const char	 page[] = "<html><body><p>before\0the nul</p>"
	    "<p>after \0\0 it</p></body></html>";
	size_t			 chunk;

	for (chunk = 0; chunk < 4; chunk++) {
		if (run_chunked(page, sizeof(page) - 1, NULL, EXTRACT_TEXT,
		    chunk, &r) == -1) {
			CHECK(!"extract failed");
			continue;
		}
		CHECK_STR(r.text, "before the nul\n\nafter it");
		extract_result_free(&r);
	}
}

static const char scripts_page[] =
    "<html><head><title>Scripts</title>"
    "<script>var a = '<b>x</b>';</script>"
    "<STYLE type=\"text/css\">p { margin: 0 }</STYLE >"
    "<script src=\"a.js\"></script></head><body>"
    "<p>One <script>document.write('</p>');</SCRIPT>two.</p>"
    "<style>.x{}</style><p>Three, with a "
    "<a href=\"#\">link</a>.</p><script>\n"
    "if (a < b && c </ d) {}</script   ><p>Four.</p>"
    "<script type=\"application/ld+json\">{\"datePublished\":"
    "\"2020\"}</script><p>Five &amp; six.</p>"
    "<style></style><script></script><!-- <script> -- -> --->"
    "<p title='a > <script>'>Six<!--x--></p><!---->"
    "<p data-x=\"</script>\">Seven</p><script>a='<!--';</script>"
    "<p>End.</p></body></html>";

/* Every split of the page in two, and 1-byte chunks, as whole. */
static void
test_cuts(void)
{
	struct extract_result	 whole, r;
	struct extract		*x;
	size_t			 n = sizeof(scripts_page) - 1, cut;
	int			 bad = 0;

	if (run_chunked(scripts_page, n, NULL, EXTRACT_TEXT, 0,
	    &whole) == -1) {
		CHECK(!"extract failed");
		return;
	}
	CHECK_STR(whole.text, "One two.\n\nThree, with a link.\n\nFour.\n\n"
	    "Five & six.\n\nSix\n\nSeven\n\nEnd.");
	CHECK_STR(whole.published, "2020");
	for (cut = 0; cut <= n; cut++) {
		if ((x = extract_new(NULL, EXTRACT_TEXT)) == NULL ||
		    extract_feed(x, scripts_page, cut) == -1 ||
		    extract_feed(x, scripts_page + cut, n - cut) == -1 ||
		    extract_finish(x, &r) == -1) {
			extract_free(x);
			CHECK(!"extract failed");
			return;
		}
		extract_free(x);
		if (strcmp(r.text, whole.text) != 0 ||
		    strcmp(r.title, whole.title) != 0) {
			if (bad++ < 3)
				fprintf(stderr, "cut at %zu: \"%s\"\n", cut,
				    r.text);
		}
		extract_result_free(&r);
	}
	CHECK_NUM(bad, 0);
	for (cut = 1; cut <= 7; cut++) {
		if (run_chunked(scripts_page, n, NULL, EXTRACT_TEXT, cut,
		    &r) == -1) {
			CHECK(!"extract failed");
			continue;
		}
		CHECK_STR(r.text, whole.text);
		CHECK_STR(r.published, whole.published);
		extract_result_free(&r);
	}
	extract_result_free(&whole);
}

/* A longer page fed byte by byte gives what it gives whole. */
static void
test_one_byte(void)
{
	struct extract_result	 a, b;
	char			*page;
	size_t			 n, i;

	n = 0;
	if ((page = malloc(64 * 1024)) == NULL) {
		CHECK(!"out of memory");
		return;
	}
	n += (size_t)snprintf(page, 1024, "<html lang=de><head><meta "
	    "charset=\"iso-8859-1\"><title>Gr\xfc\xdf" "e</title></head>"
	    "<body><nav>menu</nav><article>");
	for (i = 0; i < 200; i++)
		n += (size_t)snprintf(page + n, 64 * 1024 - n,
		    "<p>Absatz %zu \xfc<script>x<y</script>ber "
		    "&auml;&#228;</p>", i);
	n += (size_t)snprintf(page + n, 64 * 1024 - n,
	    "</article></body></html>");
	if (run_chunked(page, n, NULL, EXTRACT_TEXT, 0, &a) == 0) {
		if (run_chunked(page, n, NULL, EXTRACT_TEXT, 1, &b) == 0) {
			CHECK_STR(b.text, a.text);
			CHECK_STR(b.title, a.title);
			CHECK_STR(b.lang, a.lang);
			extract_result_free(&b);
		} else
			CHECK(!"extract failed");
		CHECK_STR(a.title, "Gr\xc3\xbc\xc3\x9f" "e");
		CHECK_STR(a.lang, "de");
		CHECK(strstr(a.text, "Absatz 199 \xc3\xbc" "ber "
		    "\xc3\xa4\xc3\xa4") != NULL);
		CHECK_NUM(a.words, 800);
		extract_result_free(&a);
	} else
		CHECK(!"extract failed");
	free(page);
}

/*
 * <p>before</p>, n times <x>, "deep", n times </y>, <p>after</p>, in
 * UTF-16 if wide; the words that must come out (or NULL).
 */
static void
deep_stray(size_t n, int wide, const char *w1, const char *w2,
    const char *w3)
{
	static const char	 head[] = "<p>before</p>", tail[] = "<p>after</p>";
	struct extract_result	 r;
	char			*page, *u;
	size_t			 len, i;

	len = sizeof(head) - 1 + n * 7 + 4 + sizeof(tail) - 1;
	if ((page = malloc(len)) == NULL || (u = malloc(2 * len + 2)) ==
	    NULL) {
		free(page);
		CHECK(!"out of memory");
		return;
	}
	memcpy(page, head, sizeof(head) - 1);
	len = sizeof(head) - 1;
	for (i = 0; i < n; i++, len += 3)
		memcpy(page + len, "<x>", 3);
	memcpy(page + len, "deep", 4);
	len += 4;
	for (i = 0; i < n; i++, len += 4)
		memcpy(page + len, "</y>", 4);
	memcpy(page + len, tail, sizeof(tail) - 1);
	len += sizeof(tail) - 1;
	if (wide) {
		/* A BOM, then each byte as a UTF-16LE code unit. */
		u[0] = '\xff';
		u[1] = '\xfe';
		for (i = 0; i < len; i++) {
			u[2 + 2 * i] = page[i];
			u[3 + 2 * i] = '\0';
		}
		len = 2 * len + 2;
	}
	if (run_chunked(wide ? u : page, len, NULL, EXTRACT_TEXT, 16384,
	    &r) == 0) {
		CHECK(w1 == NULL || strstr(r.text, w1) != NULL);
		CHECK(w2 == NULL || strstr(r.text, w2) != NULL);
		CHECK(w3 == NULL || strstr(r.text, w3) != NULL);
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
	free(u);
	free(page);
}

static void
test_hostile(void)
{
	struct extract_result	 r;
	char			*page;
	size_t			 n, i, depth = 100000;
	unsigned int		 seed = 12345;

	/* 100,000 nested divs with text inside and after. */
	n = depth * 11 + 100;
	if ((page = malloc(n)) == NULL) {
		CHECK(!"out of memory");
		return;
	}
	n = 0;
	for (i = 0; i < depth; i++) {
		memcpy(page + n, "<div>", 5);
		n += 5;
	}
	memcpy(page + n, "deep text", 9);
	n += 9;
	for (i = 0; i < depth; i++) {
		memcpy(page + n, "</div>", 6);
		n += 6;
	}
	memcpy(page + n, "<p>after the nest</p>", 21);
	n += 21;
	if (run_chunked(page, n, NULL, EXTRACT_TEXT, 4096, &r) == 0) {
		CHECK(strstr(r.text, "deep text") != NULL);
		CHECK(strstr(r.text, "after the nest") != NULL);
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
	free(page);

	/*
	 * 200,000 unclosed elements and as many stray end tags: libxml2
	 * looks down its stack at each end tag, minutes in all unless the
	 * depth it sees is capped.  The text still comes out.
	 */
	deep_stray(200000, 0, "before", "deep", "after");
	/* UTF-16 goes unskimmed: the page ends where it got too deep. */
	deep_stray(100000, 1, "before", NULL, NULL);

	/* More elements than the extractor keeps (a million nodes). */
	n = 700000;
	if ((page = malloc(n * 4 + 32)) == NULL) {
		CHECK(!"out of memory");
		return;
	}
	memcpy(page, "<p>first</p>", 12);
	for (i = 0, n = 12; i < 700000; i++, n += 4)
		memcpy(page + n, "<p>x", 4);
	if (run_chunked(page, n, NULL, EXTRACT_TEXT, 65536, &r) == 0) {
		CHECK(strncmp(r.text, "first", 5) == 0);
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
	free(page);

	/* A title over TRAWL_TITLE_MAX, cut inside a character. */
	n = 0;
	if ((page = malloc(4096)) == NULL) {
		CHECK(!"out of memory");
		return;
	}
	n += (size_t)snprintf(page, 4096, "<title>a");
	for (i = 0; i < 1500; i++) {
		memcpy(page + n, "\xc3\xa9", 2);
		n += 2;
	}
	memcpy(page + n, "</title><p>x</p>", 16);
	n += 16;
	if (run_chunked(page, n, NULL, EXTRACT_TEXT, 0, &r) == 0) {
		CHECK(strlen(r.title) <= 1024 && strlen(r.title) >= 1020);
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
	free(page);

	/* A 10 MB attribute. */
	n = 10 * 1024 * 1024 + 100;
	if ((page = malloc(n)) == NULL) {
		CHECK(!"out of memory");
		return;
	}
	memcpy(page, "<p title=\"", 10);
	memset(page + 10, 'a', 10 * 1024 * 1024);
	n = 10 + 10 * 1024 * 1024;
	memcpy(page + n, "\">big</p><p>next</p>", 20);
	n += 20;
	if (run_chunked(page, n, NULL, EXTRACT_TEXT, 16384, &r) == 0) {
		CHECK_STR(r.text, "big\n\nnext");
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");

	/* Binary junk, in odd chunks. */
	n = 1024 * 1024;
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245 + 12345;
		page[i] = (char)(seed >> 16);
	}
	if (run_chunked(page, n, NULL, EXTRACT_TEXT, 4093, &r) == 0)
		extract_result_free(&r);
	else
		CHECK(!"extract failed");
	if (run_chunked(page, n, "utf-16", EXTRACT_MARKDOWN, 0, &r) == 0)
		extract_result_free(&r);
	else
		CHECK(!"extract failed");
	free(page);
}

static void
test_empty(void)
{
	struct extract_result	 r;
	struct extract		*x;

	if ((x = extract_new(NULL, EXTRACT_TEXT)) == NULL) {
		CHECK(!"extract_new failed");
		return;
	}
	if (extract_finish(x, &r) == 0) {
		CHECK_STR(r.text, "");
		CHECK_NUM(r.textlen, 0);
		CHECK_NUM(r.words, 0);
		CHECK_STR(r.title, "");
		CHECK_STR(r.lang, "");
		extract_result_free(&r);
	} else
		CHECK(!"extract_finish failed");
	extract_free(x);
	extract_free(NULL);
	extract_result_free(NULL);
	if (run("<p>", NULL, &r) == 0) {
		CHECK_STR(r.text, "");
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
	if (run("hi", NULL, &r) == 0) {
		CHECK_STR(r.text, "hi");
		extract_result_free(&r);
	} else
		CHECK(!"extract failed");
}

static char *
read_file(const char *path, size_t *ret_len)
{
	FILE	*f;
	char	*p = NULL, *np;
	size_t	 len = 0, cap = 0, k;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			if ((np = realloc(p, cap + 1)) == NULL) {
				free(p);
				fclose(f);
				return NULL;
			}
			p = np;
		}
		if ((k = fread(p + len, 1, cap - len, f)) == 0)
			break;
		len += k;
	}
	fclose(f);
	p[len] = '\0';
	*ret_len = len;
	return p;
}

/* Check one "key: value" line of a .meta file against r. */
static void
golden_meta(const char *name, const char *line, struct extract_result *r)
{
	const char	*v = strchr(line, ':');
	const char	*got;
	size_t		 kl;

	if (v == NULL)
		return;
	kl = (size_t)(v - line);
	v++;
	while (*v == ' ')
		v++;
	if (kl == 5 && strncmp(line, "title", kl) == 0)
		got = r->title;
	else if (kl == 4 && strncmp(line, "lang", kl) == 0)
		got = r->lang;
	else if (kl == 11 && strncmp(line, "description", kl) == 0)
		got = r->description;
	else if (kl == 13 && strncmp(line, "canonical_url", kl) == 0)
		got = r->canonical_url;
	else if (kl == 9 && strncmp(line, "published", kl) == 0)
		got = r->published;
	else {
		fprintf(stderr, "%s.meta: unknown key\n", name);
		failures++;
		return;
	}
	checks++;
	if (got == NULL)
		got = "(null)";
	if (strcmp(got, v) != 0) {
		fprintf(stderr, "%s.meta: %.*s:\n  got:  \"%s\"\n"
		    "  want: \"%s\"\n", name, (int)kl, line, got, v);
		failures++;
	}
}

static void
golden_one(const char *dir, const char *name)
{
	static const char *const exts[] = { "txt", "md" };
	struct extract_result	 r;
	char			 path[4096], charset[64], *page, *want, *s;
	char			*line, *save;
	size_t			 n, wn;
	int			 i;

	snprintf(path, sizeof(path), "%s/%s.html", dir, name);
	if ((page = read_file(path, &n)) == NULL) {
		fprintf(stderr, "cannot read %s\n", path);
		failures++;
		return;
	}
	charset[0] = '\0';
	if (sscanf(page, "<!-- charset: %63[^ ] -->", charset) != 1)
		charset[0] = '\0';
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s.%s", dir, name, exts[i]);
		if ((want = read_file(path, &wn)) == NULL) {
			if (i == 0) {
				fprintf(stderr, "cannot read %s\n", path);
				failures++;
			}
			continue;
		}
		/* The file ends with a newline that is not part of it. */
		if (wn > 0 && want[wn - 1] == '\n')
			want[--wn] = '\0';
		if (run_chunked(page, n, charset[0] ? charset : NULL,
		    i == 0 ? EXTRACT_TEXT : EXTRACT_MARKDOWN, 7, &r) == -1) {
			CHECK(!"extract failed");
			free(want);
			continue;
		}
		checks++;
		if (strcmp(r.text, want) != 0) {
			fprintf(stderr, "%s.%s differs:\n--- got\n%s\n"
			    "--- want\n%s\n---\n", name, exts[i], r.text,
			    want);
			failures++;
		}
		if (i == 0) {
			snprintf(path, sizeof(path), "%s/%s.meta", dir, name);
			if ((s = read_file(path, &wn)) != NULL) {
				for (line = strtok_r(s, "\n", &save);
				    line != NULL;
				    line = strtok_r(NULL, "\n", &save))
					golden_meta(name, line, &r);
				free(s);
			}
		}
		extract_result_free(&r);
		free(want);
	}
	free(page);
}

/*
 * Text passes libxml2 by for UTF-8 and windows-1252 pages, and the
 * references in it are decoded in lib/extract.c; for other encodings
 * libxml2 still decodes them.  On ASCII pages ISO-8859-2 and
 * windows-1252 are ASCII too: the ways must give the same text and
 * title, whatever the refs.
 */
static void
refs_same(const char *body)
{
	static const char *const others[] = { "ISO-8859-2", "windows-1252" };
	struct extract_result	 a, b;
	char			 page[1024];
	size_t			 i;

	snprintf(page, sizeof(page), "<html><head><title>%s</title></head>"
	    "<body><div><p>%s</p><p>x %s y</p></div></body></html>",
	    body, body, body);
	if (run(page, "UTF-8", &a) == -1) {
		CHECK(!"extract failed");
		return;
	}
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		if (run(page, others[i], &b) == -1) {
			CHECK(!"extract failed");
			continue;
		}
		check_str(__FILE__, __LINE__, body, a.text, b.text);
		check_str(__FILE__, __LINE__, body, a.title, b.title);
		extract_result_free(&b);
	}
	extract_result_free(&a);
}

static void
test_references(void)
{
	static const char *const cases[] = {
		"&amp;", "&lt;b&gt;", "&amp", "&amp x", "&ampx;", "&AMP;",
		"&nbsp;&nbsp;", "&eacute;t&eacute;", "&hellip;", "&euro;",
		"&unknown;", "&;", "& ", "&&amp;", "&#", "&#;", "&#x;",
		"&#65;", "&#65", "&#65x", "&#x41;", "&#X41;", "&#x4g;",
		"&#0;", "&#1;", "&#9;", "&#x80;", "&#xd800;", "&#xfffe;",
		"&#x10ffff;", "&#x110000;", "&#99999999999999;",
		"&#xffffffffffff;", "&#128512;", "&a.b;", "&a-b;", "&_x;",
		"&:x;", "&1x;", "a&b&c", "&lt&gt", "&#38;amp;",
		"tail &", "tail &#", "tail &#x", "tail &amp",
	};
	static const char	 alpha[] = "&#;xX0129afAFgmpltaeu .-_:";
	char			 buf[32];
	unsigned int		 seed = 1;
	size_t			 i, k, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		refs_same(cases[i]);
	/* And strings of the bytes references are made of. */
	for (i = 0; i < 2000; i++) {
		seed = seed * 1103515245 + 12345;
		len = 1 + (seed >> 16) % 12;
		for (k = 0; k < len; k++) {
			seed = seed * 1103515245 + 12345;
			buf[k] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		buf[len] = '\0';
		refs_same(buf);
	}
}

/* Whether text holds needle. */
static int
has(const char *text, const char *needle)
{
	return strstr(text, needle) != NULL;
}

/*
 * Subtrees extraction skips pass libxml2 by; what follows them must not,
 * and where libxml2 ends them decides which.
 */
static void
test_dropped(void)
{
	static const struct {
		const char	*body;
		const char	*shown;		/* must be in the text */
		const char	*gone;		/* must not */
	} cases[] = {
		/* svg with markup inside, then text. */
		{ "<p>Before the figure.</p><svg viewBox=\"0 0 1 1\"><g><path "
		  "d=\"M0\"/><text>svg words</text></g><title>t</title></svg>"
		  "<p>After the figure.</p>", "After the figure.", "svg words" },
		/* An unclosed svg ends with the element around it. */
		{ "<div><p>Inside.</p><svg><g><text>lost</text></div>"
		  "<p>Outside the div.</p>", "Outside the div.", "lost" },
		/* A cell inside outranks </div>: libxml2 ignores that. */
		{ "<div><svg><table><tr><td>cell</div><p>still in</p></table>"
		  "</svg></div><p>After all.</p>", "After all.", "still in" },
		/* Hidden elements, nested alike. */
		{ "<div hidden><div><p>secret</p></div><p>more</p></div>"
		  "<p>Visible paragraph.</p>", "Visible paragraph.", "secret" },
		{ "<div aria-hidden=\"TRUE\"><span>a11y</span></div><p>Shown."
		  "</p>", "Shown.", "a11y" },
		{ "<div style=\"color:red; display: none\">styled</div><p>Here."
		  "</p>", "Here.", "styled" },
		/* <li> ends an open <li>, <div> an open <p>. */
		{ "<ul><li hidden>no<li>Second item shown.</ul>",
		  "Second item shown.", "no" },
		{ "<p hidden>quiet<div>Loud block.</div>", "Loud block.",
		  "quiet" },
		/* Options end each other inside the select. */
		{ "<select><option>one<option>two</select><p>Form done.</p>",
		  "Form done.", "two" },
		/* A reference in aria-hidden: left to libxml2, same result. */
		{ "<div aria-hidden=\"&#116;rue\">ref</div><p>End.</p>",
		  "End.", "ref" },
		/* Self-closed and void elements open nothing. */
		{ "<p>One.</p><svg/><p>Two after svg.</p>", "Two after svg.",
		  NULL },
		{ "<div><textarea>typed</textarea><template><p>tpl</p>"
		  "</template><p>Body text.</p></div>", "Body text.", "tpl" },
	};
	struct extract_result	 r;
	char			 page[1024];
	size_t			 i, chunk;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(page, sizeof(page), "<html><head><title>t</title>"
		    "</head><body>%s</body></html>", cases[i].body);
		/* Whole, and cut at every byte. */
		for (chunk = 0; chunk <= 1; chunk++) {
			if (run_chunked(page, strlen(page), NULL, EXTRACT_TEXT,
			    chunk, &r) == -1) {
				CHECK(!"extract failed");
				continue;
			}
			if (!has(r.text, cases[i].shown) || (cases[i].gone !=
			    NULL && has(r.text, cases[i].gone)))
				fprintf(stderr, "case %zu: \"%s\"\n", i, r.text);
			CHECK(has(r.text, cases[i].shown));
			CHECK(cases[i].gone == NULL ||
			    !has(r.text, cases[i].gone));
			extract_result_free(&r);
		}
	}
}

/*
 * Extract page in chunks of chunk as UTF-8 into *a and as ISO-8859-2
 * into *b: with UTF-8 the skimmer reads what libxml2 reads with the
 * other.  Returns 0, or -1 with nothing to free.
 */
static int
run_charsets(const char *page, size_t chunk, struct extract_result *a,
    struct extract_result *b)
{
	if (run_chunked(page, strlen(page), NULL, EXTRACT_TEXT, chunk,
	    a) == -1) {
		CHECK(!"extract failed");
		return -1;
	}
	if (run_chunked(page, strlen(page), "iso-8859-2", EXTRACT_TEXT, chunk,
	    b) == -1) {
		CHECK(!"extract failed");
		extract_result_free(a);
		return -1;
	}
	return 0;
}

/* page gives text in UTF-8 and ISO-8859-2, whole and in small chunks. */
static void
check_charsets_text(const char *page, const char *text)
{
	struct extract_result	 a, b;
	size_t			 chunk;

	for (chunk = 0; chunk <= 3; chunk++) {
		if (run_charsets(page, chunk, &a, &b) == -1)
			continue;
		CHECK_STR(a.text, text);
		CHECK_STR(b.text, text);
		extract_result_free(&a);
		extract_result_free(&b);
	}
}

/*
 * With UTF-8 the skimmer gives libxml2 no class or id but queues their
 * hints for libxml2's calls; with ISO-8859-2 libxml2 reads them itself.
 * On ASCII pages both must come to the same text, where libxml2 implies
 * elements, drops misplaced ones and reads a tag the page ends in; and
 * the hints must reach the element they belong to.
 */
static void
test_notes(void)
{
	static const struct {
		const char	*page;
		const char	*shown;		/* must be in the text */
		const char	*gone;		/* must not */
	} cases[] = {
		/*
		 * Text in the head: libxml2 implies <body> and a <p> for
		 * it, then comes the <p> noted.
		 */
		{ "<html><head><title>t</title>Lead words, with commas.<p class="
		  "\"comment\">Gone words.</p><p>Main story text that goes on "
		  "for a while, with commas, and more.</p><p>Second paragraph, "
		  "with commas, to be long.</p></html>", "Main story text",
		  "Gone words" },
		/* A misplaced <body>: dropped, its note too, before a <p>. */
		{ "<html><head></head><body><article><p>Main story text that "
		  "goes on for a while, with commas, and more.</p><body class="
		  "\"x\"><p class=\"comment\">Gone words.</p><p>Second "
		  "paragraph, with commas, to be long.</p></article></body>",
		  "Second paragraph", "Gone words" },
		/* Text first: an implied <html>, then a misplaced one. */
		{ "Lead words, with commas.<html class=\"comment\"><p>Main story"
		  " text that goes on for a while, with commas, and more.</p>"
		  "<p class=\"comment\">Gone words.</p><p>Second paragraph, "
		  "with commas, to be long.</p></html>", "Main story text",
		  "Gone words" },
		/* Misplaced <html> and <head>, then a <p> and a <div>. */
		{ "<html><head></head><body><article><p>Main story text that "
		  "goes on for a while, with commas, and more.</p><html class="
		  "\"a\"><head class=\"b\"><p class=\"share\">Gone words.</p>"
		  "<div class=\"comment\">Gone too.</div><p>Second paragraph, "
		  "with commas, to be long.</p></article></body>",
		  "Second paragraph", "Gone" },
		/* Long names: libxml2 keeps 100 bytes, the skimmer 32. */
		{ "<html><body><article><p>Main story text that goes on for a "
		  "while, with commas, and more.</p><x-a-very-long-custom-"
		  "element-name-of-more-than-a-hundred-bytes-which-libxml2-cuts"
		  "-short-and-reads-the-rest-as-an-attribute class=\"comment\">"
		  "Gone words.</x-a-very-long-custom-element-name-of-more-than-"
		  "a-hundred-bytes-which-libxml2-cuts-short-and-reads-the-rest-"
		  "as-an-attribute><p>Second paragraph, with commas, to be long."
		  "</p></article></body></html>", "Second paragraph",
		  "Gone words" },
		/* A JSON-LD script is noted too. */
		{ "<html><head><script type=\"application/ld+json\" class=\"x\">"
		  "{\"headline\":\"h\"}</script></head><body><article><p>Main "
		  "story text that goes on for a while, with commas, and more."
		  "</p><div class=\"comment\">Gone words.</div><p>Second "
		  "paragraph, with commas, to be long.</p></article></body>",
		  "Second paragraph", "Gone words" },
		/* role, and a role libxml2 decodes. */
		{ "<html><body><article><p>Main story text that goes on for a "
		  "while, with commas, and more.</p><div role=\"navigation\">"
		  "Gone words.</div><div role='navig&#97;tion'>Gone too.</div>"
		  "<p>Second paragraph, with commas, to be long.</p></article>"
		  "</body></html>", "Second paragraph", "Gone" },
		/*
		 * Hidden where no subtree can be dropped (a name too long
		 * for the skimmer), and styles libxml2 decodes.
		 */
		{ "<html><body><article><p>Main story text that goes on for a "
		  "while, with commas, and more.</p><x-a-very-long-custom-"
		  "element-name-indeed hidden>Gone words.</x-a-very-long-custom"
		  "-element-name-indeed><div style=\"display&#58;none\">Gone "
		  "too.</div><div style=display:&#110;one>Gone also.</div><div "
		  "aria-hidden=\"&#116;rue\" style=\"color:red\">Gone again."
		  "</div><p style=\"x\" style=\"display:none\">Second "
		  "paragraph, with commas, to be long.</p></article></body>"
		  "</html>", "Second paragraph", "Gone" },
		/* The page ends inside a start tag, which libxml2 reads. */
		{ "<html><body><article><p>Main story text that goes on for a "
		  "while, with commas, and more.</p><p>Second paragraph, with "
		  "commas, to be long.</p><div class=\"comment\" id=\"c",
		  "Second paragraph", NULL },
	};
	struct extract_result	 a, b;
	size_t			 i, chunk;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (chunk = 0; chunk <= 7; chunk += 7) {
			if (run_charsets(cases[i].page, chunk, &a, &b) == -1)
				continue;
			if (strcmp(a.text, b.text) != 0 ||
			    !has(a.text, cases[i].shown) ||
			    (cases[i].gone != NULL && has(a.text,
			    cases[i].gone)))
				fprintf(stderr, "notes case %zu, chunk %zu: "
				    "\"%s\" / \"%s\"\n", i, chunk, a.text,
				    b.text);
			CHECK_STR(a.text, b.text);
			CHECK(has(a.text, cases[i].shown));
			CHECK(cases[i].gone == NULL ||
			    !has(a.text, cases[i].gone));
			extract_result_free(&a);
			extract_result_free(&b);
		}
	}
}

/*
 * JSON-LD text passes libxml2 by as one run with UTF-8 (ISO-8859-2 goes
 * through libxml2): the same datePublished must come out, taken raw, cut
 * anywhere, where libxml2 would ignore the script too, and when the page
 * ends inside it.
 */
static void
test_jsonld(void)
{
	static const struct {
		const char	*page;
		const char	*published;	/* NULL: none */
	} cases[] = {
		{ "<html><head><script type=\"application/ld+json\">{\"date"
		  "Published\": \"2026-11-22&amp;x</scr</SCRIPx\"}</script>"
		  "</head><body><p>Body text.</p></body></html>",
		  "2026-11-22&amp;x</scr</SCRIPx" },
		/* Two scripts: the first date found. */
		{ "<html><head><script type=\"application/ld+json\">{\"@type\":"
		  "\"Thing\"}</script><script type='application/ld+json'>{"
		  "\"datePublished\":\"2020-01-02\"}</SCRIPT ></head><body><p>"
		  "Text.</p></body></html>", "2020-01-02" },
		/* Not JSON-LD for sax_start(): ignored. */
		{ "<html><head><script type=\"text/ld+json\">{\"datePublished\":"
		  "\"1999-01-01\"}</script></head><body><p>Text.</p></body>"
		  "</html>", NULL },
		/* Inside <title>: libxml2 reads the tags; ignored. */
		{ "<html><head><title>T <script type=\"application/ld+json\">{"
		  "\"datePublished\":\"1999-02-02\"}</script></title></head>"
		  "<body><p>Text.</p></body></html>", NULL },
		/* The page ends in the script, in its end tag even. */
		{ "<html><body><p>Text.</p><script type=\"application/ld+json\">"
		  "{\"datePublished\":\"2001-03-04\"}</scri", "2001-03-04" },
		{ "<html><body><p>Text.</p><script type=\"application/ld+json\">"
		  "{\"datePublished\":\"2001</scri", "2001</scri" },
	};
	struct extract_result	 a, b;
	size_t			 i, chunk;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (chunk = 0; chunk <= 3; chunk++) {
			if (run_charsets(cases[i].page, chunk, &a, &b) == -1)
				continue;
			CHECK_STR(a.published, cases[i].published);
			CHECK_STR(b.published, cases[i].published);
			CHECK_STR(a.title, b.title);
			CHECK_STR(a.text, b.text);
			extract_result_free(&a);
			extract_result_free(&b);
		}
	}
}

/*
 * After </html> libxml2 keeps text by rules of its own (a text that
 * starts with a blank, up to a reference or '<', unless a misplaced
 * <html> made it ignore that </html>): UTF-8 must read as ISO-8859-2,
 * which libxml2 reads itself.
 */
static void
test_after_html(void)
{
	static const struct {
		const char	*page;
		const char	*text;
	} cases[] = {
		{ "<p>Body.</p></html> - a&amp;b", "Body.\n\n- a" },
		{ "<p>Body.</p></html> - after< x", "Body.\n\n- after" },
		{ "<p>Body.</p></html>after", "Body." },
		{ "<p>Body.</p></html> after<p>more", "Body.\n\nafter" },
		{ "<html><body><p>Body.</p><html></html> after &amp; more",
		  "Body.\n\nafter & more" },
		/* A "<!" after </html>: a blank between the texts. */
		{ "<p>Body.</p></html> aa <!d x <b>bold", "Body.\n\naa bold" },
		/* A comment dropped from inside a reference (not after </html>). */
		{ "<p>a&amp<!-- c -->;b &#x4<!---->1;</p>", "a&amp;b 1;" },
	};
	static const char	 plane15[] =
	    "<p>Body.</p></html> x\xf3\xb0\x80\x80y";
	struct extract_result	 a;
	size_t			 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_charsets_text(cases[i].page, cases[i].text);
	/* Text libxml2 gets may hold a character of the markers' plane. */
	if (run(plane15, NULL, &a) == 0) {
		CHECK_STR(a.text, "Body.\n\nx\xf3\xb0\x80\x80y");
		extract_result_free(&a);
	} else
		CHECK(!"extract failed");
}

/*
 * A blank between two elements the skimmer takes back whole (scripts,
 * styles, head tags it does not read) stays where libxml2 keeps it, as
 * text between the text around them, in UTF-8 (the blank goes past
 * libxml2) as in ISO-8859-2.
 */
static void
test_takeback(void)
{
	static const struct {
		const char	*page;
		const char	*text;
	} cases[] = {
		{ "<p>a<script>x</script> <script>y</script>b</p>", "a b" },
		{ "<p>a<style>x</style> <script>y</script>b</p>", "a b" },
		{ "<p>a<script>x</script> <b>b</b></p>", "a b" },
		{ "<p>a<script>x</script>  \n<script>y</script> </p>", "a" },
		{ "<html><head> <meta name=x content=y> </head>"
		  "<body><p>a</p></body></html>", "a" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_charsets_text(cases[i].page, cases[i].text);
}

/*
 * lib/extract.c lists the elements a start tag of their own name ends
 * (libxml2's htmlAutoCloseTag() does not answer for those): the list
 * must be what this libxml2 does.
 */
static int	 probe_depth, probe_max;
static const char *probe_name;

static void
probe_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	(void)ctx;
	(void)atts;
	if (strcmp((const char *)name, probe_name) == 0 &&
	    ++probe_depth > probe_max)
		probe_max = probe_depth;
}

static void
probe_end(void *ctx, const xmlChar *name)
{
	(void)ctx;
	if (strcmp((const char *)name, probe_name) == 0)
		probe_depth--;
}

static void
probe_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void
test_self_closing(void)
{
	static const char *const names[] = {
		"a", "abbr", "address", "article", "aside", "b", "blockquote",
		"button", "caption", "code", "col", "colgroup", "dd", "details",
		"div", "dl", "dt", "em", "fieldset", "figure", "footer", "form",
		"h1", "h2", "header", "i", "label", "legend", "li", "main",
		"nav", "ol", "optgroup", "option", "p", "pre", "section",
		"select", "span", "strong", "table", "tbody", "td", "textarea",
		"tfoot", "th", "thead", "tr", "ul", NULL
	};
	/* lib/extract.c's self_closing[]. */
	const char	*want = " a col colgroup form li option p tbody td th "
	    "tr ";
	htmlSAXHandler	 sax;
	htmlParserCtxtPtr ctxt;
	char		 doc[128], got[512];
	size_t		 i;

	memset(&sax, 0, sizeof(sax));
	sax.startElement = probe_start;
	sax.endElement = probe_end;
	sax.warning = probe_quiet;
	sax.error = probe_quiet;
	sax.initialized = 1;
	snprintf(got, sizeof(got), " ");
	for (i = 0; names[i] != NULL; i++) {
		snprintf(doc, sizeof(doc), "<html><body><div><%s>x<%s>y</div>"
		    "</body></html>", names[i], names[i]);
		probe_name = names[i];
		probe_depth = probe_max = 0;
		ctxt = htmlCreatePushParserCtxt(&sax, NULL, NULL, 0, NULL,
		    XML_CHAR_ENCODING_UTF8);
		htmlCtxtUseOptions(ctxt, HTML_PARSE_NOERROR |
		    HTML_PARSE_NOWARNING);
		htmlParseChunk(ctxt, doc, (int)strlen(doc), 1);
		htmlFreeParserCtxt(ctxt);
		if (probe_max == 1) {
			strlcat(got, names[i], sizeof(got));
			strlcat(got, " ", sizeof(got));
		}
	}
	CHECK_STR(got, want);
}

static void
test_golden(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		 name[1024];
	size_t		 l;
	int		 pages = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "cannot open %s\n", dir);
		failures++;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (l <= 5 || l >= sizeof(name) ||
		    strcmp(de->d_name + l - 5, ".html") != 0)
			continue;
		memcpy(name, de->d_name, l - 5);
		name[l - 5] = '\0';
		golden_one(dir, name);
		pages++;
	}
	closedir(d);
	CHECK(pages > 0);
}

int
main(int argc, char *argv[])
{
	test_boilerplate();
	test_metadata();
	test_encodings();
	test_meta_chunks();
	test_chunk_regressions();
	test_nul();
	test_cuts();
	test_one_byte();
	test_hostile();
	test_empty();
	test_references();
	test_dropped();
	test_notes();
	test_jsonld();
	test_after_html();
	test_takeback();
	test_self_closing();
	if (argc > 1)
		test_golden(argv[1]);
	fprintf(stderr, "test_extract: %d checks, %d failed\n", checks,
	    failures);
	return failures == 0 ? 0 : 1;
}
