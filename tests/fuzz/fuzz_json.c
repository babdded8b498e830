/*
 * Fuzz json_str(): whatever the bytes, the output is one JSON string
 * (RFC 8259 syntax) in valid UTF-8, it decodes back to the input when the
 * input was valid UTF-8, and a buffer one byte too small fails cleanly.
 * The checks below are written independently of lib/json.c's tables.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Length of the well-formed UTF-8 sequence at s[0..n), or 0.  Decodes the
 * code point and checks it, where lib/json.c checks byte ranges.
 */
static size_t
utf8_seq(const uint8_t *s, size_t n)
{
	uint32_t	 cp, min;
	size_t		 len, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static int
utf8_valid(const uint8_t *s, size_t n)
{
	size_t	 i, k;

	for (i = 0; i < n; i += k)
		if ((k = utf8_seq(s + i, n - i)) == 0)
			return 0;
	return 1;
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Check that s[0..n) is exactly one JSON string and decode it into out
 * (which has room for n bytes).  Returns the decoded length; aborts when
 * the syntax is wrong.
 */
static size_t
json_decode(const uint8_t *s, size_t n, uint8_t *out)
{
	size_t	 i, o = 0, k;
	int	 j, h, cp;

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		abort();
	for (i = 1; i < n - 1; ) {
		if (s[i] < 0x20 || s[i] == '"')
			abort();
		if (s[i] != '\\') {
			if ((k = utf8_seq(s + i, n - 1 - i)) == 0)
				abort();
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
			continue;
		}
		if (i + 1 >= n - 1)
			abort();
		switch (s[i + 1]) {
		case '"': out[o++] = '"'; break;
		case '\\': out[o++] = '\\'; break;
		case '/': out[o++] = '/'; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u':
			if (i + 6 > n - 1)
				abort();
			for (cp = 0, j = 2; j < 6; j++) {
				if ((h = hexval(s[i + j])) == -1)
					abort();
				cp = cp << 4 | h;
			}
			/* json.c escapes control bytes only, never more */
			if (cp >= 0x20)
				abort();
			out[o++] = cp;
			i += 4;
			break;
		default:
			abort();
		}
		i += 2;
	}
	return o;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 b, small;
	uint8_t		*dec;
	size_t		 declen;

	/* \u00XX is the largest growth: 6 bytes out per byte in */
	if (size > SIZE_MAX / 6 - 2)
		return 0;
	buf_init(&b, size * 6 + 2);
	if (json_str(&b, (const char *)data, size) == -1)
		abort();
	if (!utf8_valid((const uint8_t *)b.data, b.len))
		abort();
	if ((dec = malloc(b.len)) == NULL)
		abort();
	declen = json_decode((const uint8_t *)b.data, b.len, dec);
	if (utf8_valid(data, size) &&
	    (declen != size || (size > 0 && memcmp(dec, data, size) != 0)))
		abort();
	if (!utf8_valid(dec, declen))
		abort();
	free(dec);

	/* one byte short: fails and leaves what was there */
	buf_init(&small, b.len);
	if (buf_add(&small, "x", 1) == -1 ||
	    json_str(&small, (const char *)data, size) != -1 ||
	    small.len != 1 || small.data[0] != 'x' || small.data[1] != '\0')
		abort();
	buf_free(&small);
	buf_free(&b);
	return 0;
}
