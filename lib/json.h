/*
 * JSON output: string escaping that never fails on page content, and the
 * two record shapes of DESIGN.md.  Pure: no I/O.
 */
#ifndef TRAWL_JSON_H
#define TRAWL_JSON_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

/*
 * Append s[0..len) as a JSON string with its quotes.  Control bytes are
 * escaped, invalid UTF-8 (also overlong forms, surrogates and code points
 * past U+10FFFF) becomes U+FFFD, and "/" is left as is.  Returns 0, or -1
 * when b's cap is reached (b is then unchanged).
 */
int	json_str(struct buf *b, const char *s, size_t len);

/* A document, keys in the order of DESIGN.md; NULL strings become "". */
struct json_doc {
	const char	*url;
	const char	*final_url;
	long		 status;
	time_t		 added;
	const char	*source;
	const char	*content_type;
	const char	*lang;
	const char	*title;
	size_t		 words;
	const char	*text;
	size_t		 textlen;
	/* optional metadata; NULL leaves the key out */
	const char	*description;
	const char	*canonical_url;
	const char	*published;
};

/* An error record; NULL detail becomes "". */
struct json_err {
	const char	*url;
	size_t		 urllen;	/* url may hold any bytes */
	const char	*error;		/* kind: "timeout", "not_html", ... */
	const char	*detail;
	long		 status;
	int		 attempts;
	time_t		 at;
};

/*
 * Append one record as one line ending in '\n'.  The id is the first 128
 * bits of SHA-256 over the url, in hex.  Returns 0, or -1 when b's cap is
 * reached (b is then unchanged).
 */
int	json_doc(struct buf *b, const struct json_doc *d);
int	json_err(struct buf *b, const struct json_err *e);

/* Whether s[0..len) is well-formed UTF-8 (what json_str() copies as is). */
int	json_utf8_valid(const char *s, size_t len);

/* Write the 32-hex-digit id of url into ret (33 bytes with the NUL). */
void	json_id(const char *url, char ret[33]);

#endif
