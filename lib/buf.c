/*
 * A growable byte buffer with a hard cap.  Every size computation is
 * checked before it happens, so a hostile length can only make an append
 * fail, never wrap around.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define BUF_MIN	64	/* bytes of the first allocation */

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

/*
 * Make room for n more bytes plus the NUL.  Grows geometrically so that
 * appends cost amortised O(1), but never asks for more than max + 1.
 */
static int
buf_grow(struct buf *b, size_t n)
{
	size_t	 need, ncap, limit;
	char	*p;

	if (n > b->max - b->len || b->len + n > SIZE_MAX - 1)
		return -1;
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	/* No object may be larger than PTRDIFF_MAX: refuse, do not ask. */
	limit = b->max < (size_t)PTRDIFF_MAX ? b->max + 1 : (size_t)PTRDIFF_MAX;
	if (need > limit)
		return -1;
	ncap = b->cap > 0 ? b->cap : BUF_MIN;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	if (ncap > limit)
		ncap = limit;
	if ((p = realloc(b->data, ncap)) == NULL)
		return -1;
	b->data = p;
	b->cap = ncap;
	return 0;
}

int
buf_reserve(struct buf *b, size_t n)
{
	return buf_grow(b, n);
}

int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int
buf_addstr(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 avail;
	int	 n;

	/* Try the free space first: most formats fit and print once. */
	avail = b->cap > b->len ? b->cap - b->len : 0;
	va_start(ap, fmt);
	n = vsnprintf(avail > 0 ? b->data + b->len : NULL, avail, fmt, ap);
	va_end(ap);
	if (n < 0)
		goto fail;
	if ((size_t)n < avail) {
		if ((size_t)n > b->max - b->len)
			goto fail;
		b->len += n;
		return 0;
	}
	if (buf_grow(b, (size_t)n) == -1)
		goto fail;
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len)
		goto fail;
	b->len += n;
	return 0;
fail:
	/* vsnprintf may have written past len: put the NUL back. */
	if (b->data != NULL)
		b->data[b->len] = '\0';
	return -1;
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->data[len] = '\0';
}

void
buf_reset(struct buf *b)
{
	buf_truncate(b, 0);
}

char *
buf_take(struct buf *b, size_t *ret_len)
{
	char	*p;
	size_t	 len;

	if ((p = b->data) == NULL) {
		if ((p = malloc(1)) == NULL)
			return NULL;
		p[0] = '\0';
	}
	len = b->len;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	if (ret_len != NULL)
		*ret_len = len;
	return p;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}
