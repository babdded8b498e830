/*
 * An oracle the fuzz targets share: a UTF-8 check written apart from the
 * library's own, so that a bug in one is not hidden by the same bug in
 * the other.
 */
#ifndef TRAWL_FUZZ_ORACLE_H
#define TRAWL_FUZZ_ORACLE_H

#include <stddef.h>
#include <stdint.h>

/* Whether s[0..n) is well-formed UTF-8 (RFC 3629). */
static int
utf8_valid(const unsigned char *s, size_t n)
{
	uint32_t	 cp, min;
	size_t		 i, k, len;

	for (i = 0; i < n; i += len) {
		if (s[i] < 0x80) {
			len = 1;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			len = 2;
			cp = s[i] & 0x1f;
			min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			len = 3;
			cp = s[i] & 0x0f;
			min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			len = 4;
			cp = s[i] & 0x07;
			min = 0x10000;
		} else
			return 0;
		if (len > n - i)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	}
	return 1;
}

#endif
