/*
 * Fuzz target for lib/extract.c: the input's first byte picks the format,
 * the charset, whether the page is padded, and a seed for chunk sizes; the
 * rest is the page, fed in pseudo-random splits as the network would cut
 * it [libxml2 fuzz/html.c].  extract.h promises that chunk boundaries
 * never change the result, so the same page fed in one piece must give
 * the same record, and every string of it must be valid UTF-8.
 *
 * For UTF-8 and windows-1252 pages text passes libxml2 by and its
 * references are decoded by extract.c; for other charsets libxml2 does it.
 * A page of printable ASCII reads the same as UTF-8 and as ISO-8859-2, so
 * the two ways must give the same record.
 *
 * extract_feed() holds the first SNIFF_MAX (64 KiB) bytes back to choose
 * the encoding and parses them in one piece, so a page shorter than that
 * never reaches the push parser chunk by chunk.  With bit 0x20 of the
 * first byte set, the page is put after 64 KiB of blank lines, so that
 * all of it is pushed in the random splits.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "oracle.h"

#define PAD_LEN		(64 * 1024)	/* extract.c's SNIFF_MAX */

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char	pad[PAD_LEN];

static void
check_str(const char *what, const char *s, int may_be_null)
{
	if (s == NULL) {
		if (may_be_null)
			return;
		fprintf(stderr, "extract: %s is NULL\n", what);
		abort();
	}
	if (!utf8_valid((const unsigned char *)s, strlen(s))) {
		fprintf(stderr, "extract: %s is not UTF-8\n", what);
		abort();
	}
}

static void
check_result(const struct extract_result *r)
{
	check_str("title", r->title, 0);
	check_str("lang", r->lang, 0);
	check_str("description", r->description, 1);
	check_str("canonical_url", r->canonical_url, 1);
	check_str("published", r->published, 1);
	if (r->text == NULL)
		abort();
	if (!utf8_valid((const unsigned char *)r->text, r->textlen)) {
		fprintf(stderr, "extract: text is not UTF-8\n");
		abort();
	}
}

/* how: "with the split" or "with the charset". */
static const char	*how;

static void
same_str(const char *what, const char *a, const char *b)
{
	if (a == NULL && b == NULL)
		return;
	if (a == NULL || b == NULL || strcmp(a, b) != 0) {
		fprintf(stderr, "extract: %s differs %s: \"%.200s\", then "
		    "\"%.200s\"\n", what, how, a == NULL ? "(null)" : a,
		    b == NULL ? "(null)" : b);
		abort();
	}
}

static void
same_result(const struct extract_result *a, const struct extract_result *b)
{
	same_str("title", a->title, b->title);
	same_str("lang", a->lang, b->lang);
	same_str("description", a->description, b->description);
	same_str("canonical_url", a->canonical_url, b->canonical_url);
	same_str("published", a->published, b->published);
	if (a->textlen != b->textlen ||
	    memcmp(a->text, b->text, a->textlen) != 0) {
		fprintf(stderr, "extract: text differs %s: %zu bytes, then "
		    "%zu\n", how, a->textlen, b->textlen);
		fprintf(stderr, "first: \"%.*s\"\nthen:  \"%.*s\"\n",
		    (int)(a->textlen > 400 ? 400 : a->textlen), a->text,
		    (int)(b->textlen > 400 ? 400 : b->textlen), b->text);
		abort();
	}
	if (a->words != b->words) {
		fprintf(stderr, "extract: words differ %s\n", how);
		abort();
	}
}

/*
 * Extract the page, padded or not, fed in one piece (seed 0) or in splits
 * of 1 to 64 bytes drawn from seed.  Returns 0 with *ret filled, or -1.
 */
static int
run(const char *charset, enum extract_format fmt, int padded,
    const uint8_t *data, size_t size, uint32_t seed,
    struct extract_result *ret)
{
	struct extract	*x;
	size_t		 off, n;
	int		 rc = -1;

	if ((x = extract_new(charset, fmt)) == NULL)
		return -1;
	if (padded && extract_feed(x, pad, sizeof(pad)) == -1)
		goto out;
	for (off = 0; off < size; off += n) {
		n = size - off;
		if (seed != 0) {
			seed = seed * 1103515245 + 12345;
			if (n > 1 + (seed >> 16) % 64)
				n = 1 + (seed >> 16) % 64;
		}
		if (extract_feed(x, (const char *)data + off, n) == -1)
			goto out;
	}
	rc = extract_finish(x, ret);
out:
	extract_free(x);
	return rc;
}

/* Whether the page is printable ASCII, tabs and line ends. */
static int
plain_ascii(const uint8_t *data, size_t size)
{
	size_t	 i;

	for (i = 0; i < size; i++)
		if ((data[i] < 0x20 || data[i] > 0x7e) && data[i] != '\t' &&
		    data[i] != '\n' && data[i] != '\r')
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct extract_result	 whole, split;
	enum extract_format	 fmt;
	const char		*charset;
	uint32_t		 seed;
	int			 padded;

	if (size < 1)
		return 0;
	if (pad[0] == '\0')
		memset(pad, '\n', sizeof(pad));
	seed = data[0] | 0x100;		/* never 0, which means no split */
	fmt = (data[0] & 0x80) ? EXTRACT_MARKDOWN : EXTRACT_TEXT;
	charset = (data[0] & 0x40) ? "iso-8859-1" : NULL;
	padded = (data[0] & 0x20) != 0;
	data++;
	size--;

	if (run(charset, fmt, padded, data, size, 0, &whole) == -1)
		return 0;
	check_result(&whole);
	/* Under 64 KiB and not padded, the splits are all held back. */
	if ((padded || size >= PAD_LEN) &&
	    run(charset, fmt, padded, data, size, seed, &split) == 0) {
		check_result(&split);
		how = "with the split";
		same_result(&whole, &split);
		extract_result_free(&split);
	}
	extract_result_free(&whole);
	if (plain_ascii(data, size) &&
	    run("utf-8", fmt, padded, data, size, 0, &whole) == 0) {
		if (run("iso-8859-2", fmt, padded, data, size, 0,
		    &split) == 0) {
			how = "with the charset (utf-8, then iso-8859-2)";
			same_result(&whole, &split);
			extract_result_free(&split);
		}
		extract_result_free(&whole);
	}
	return 0;
}
