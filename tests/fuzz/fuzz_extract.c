/*
 * Fuzz target for lib/extract.c: the input's first byte picks the format
 * and a seed for chunk sizes, the rest is the page, fed in pseudo-random
 * splits as the network would cut it [libxml2 fuzz/html.c].
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "extract.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct extract		*x;
	struct extract_result	 r;
	uint32_t		 seed;
	size_t			 off, n;

	if (size < 1)
		return 0;
	seed = data[0];
	x = extract_new((seed & 0x40) ? "iso-8859-1" : NULL,
	    (seed & 0x80) ? EXTRACT_MARKDOWN : EXTRACT_TEXT);
	if (x == NULL)
		return 0;
	data++;
	size--;
	for (off = 0; off < size; off += n) {
		seed = seed * 1103515245 + 12345;
		n = 1 + (seed >> 16) % 64;
		if (n > size - off)
			n = size - off;
		if (extract_feed(x, (const char *)data + off, n) == -1)
			break;
	}
	if (extract_finish(x, &r) == 0)
		extract_result_free(&r);
	extract_free(x);
	return 0;
}
