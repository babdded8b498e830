/*
 * A growable byte buffer with a hard cap.  Callers embed struct buf; its
 * members are private to buf.c except for reading data and len.
 */
#ifndef TRAWL_BUF_H
#define TRAWL_BUF_H

#include <stddef.h>

struct buf {
	char	*data;	/* NUL-terminated when len > 0; owned */
	size_t	 len;	/* bytes used, not counting the NUL */
	size_t	 cap;	/* bytes allocated */
	size_t	 max;	/* the most len may ever be */
};

/* Make b empty with a cap of max bytes.  Allocates nothing. */
void	buf_init(struct buf *b, size_t max);

/*
 * Append n bytes.  Returns 0, or -1 when the cap would be passed or memory
 * is short; b is then unchanged.
 */
int	buf_add(struct buf *b, const void *p, size_t n);
int	buf_addc(struct buf *b, char c);
int	buf_addstr(struct buf *b, const char *s);
int	buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Shorten b to len bytes; a len at or past b->len does nothing.  Lets a
 * caller undo a partly built record: remember b->len, truncate on failure.
 */
void	buf_truncate(struct buf *b, size_t len);

/*
 * Make room for n more bytes without adding them, for code that writes
 * into data + len directly and then raises len.  Returns 0 or -1.
 */
int	buf_reserve(struct buf *b, size_t n);

/* Forget the contents but keep the memory. */
void	buf_reset(struct buf *b);

/*
 * Give the bytes away: returns the NUL-terminated data (the caller frees
 * it with free(3); never NULL unless memory is short), stores its length
 * in *ret_len if not NULL, and leaves b empty, owning no memory, with the
 * same max.
 */
char	*buf_take(struct buf *b, size_t *ret_len);

/* Free the memory; b is left empty and may be used again. */
void	buf_free(struct buf *b);

#endif
