/*
 * Main-text extraction from HTML fed in chunks as it arrives.  The only
 * module that includes libxml2.  Pure: no I/O, no logging.
 *
 * Threads may each use their own struct extract at the same time; the
 * first extract_new() in a thread makes libxml2's generic error handler
 * of that thread a silent one.  The first 64 KiB of a document are kept
 * until they choose its encoding (BOM, HTTP charset, <meta>, else UTF-8;
 * windows-1252 when a <meta> says Latin-1 and the bytes are not UTF-8),
 * so memory per document is at least that.  Script and style text,
 * comments and unused attributes never reach libxml2.
 */
#ifndef TRAWL_EXTRACT_H
#define TRAWL_EXTRACT_H

#include <stddef.h>

enum extract_format {
	EXTRACT_TEXT,		/* plain paragraphs */
	EXTRACT_MARKDOWN,	/* '#' headings, '- ' and '1. ' lists, '> '
				   quotes, simple tables; no emphasis */
	EXTRACT__MAX
};

struct extract_result {
	char	*title;		/* UTF-8, NUL-terminated; "" if none */
	char	*lang;		/* normalised ("en", "pt-br") or "" */
	char	*text;		/* UTF-8 main text, paragraphs split by "\n\n",
				   list items and table rows by "\n" */
	size_t	 textlen;
	size_t	 words;		/* whitespace-separated words in text */
	char	*description;	/* NULL if the page gives none */
	char	*canonical_url;	/* NULL if none */
	char	*published;	/* NULL if none */
};

struct extract;

/*
 * The one-time set-up of libxml2 and of this module's tables.  Call it
 * before starting threads that extract (libxml2 wants its init done
 * before threads use it); extract_new() calls it too.
 */
void		 extract_setup(void);

/*
 * Start a document.  charset is the one the HTTP header named, or NULL to
 * take it from the page's <meta> or the bytes; a BOM overrides both.
 * Returns NULL if memory is short.
 */
struct extract	*extract_new(const char *charset, enum extract_format fmt);

/*
 * Give the parser the next bytes of the document.  Any bytes, any split:
 * chunk boundaries never change the result.  Returns 0, or -1 when memory
 * is short (the document is then lost; call extract_free()).
 */
int		 extract_feed(struct extract *x, const char *p, size_t n);

/*
 * End the document and extract.  Fills *ret (free it with
 * extract_result_free()).  Returns 0, or -1 when memory is short (*ret
 * untouched).  x can only be freed afterwards.
 */
int		 extract_finish(struct extract *x,
		    struct extract_result *ret);

void		 extract_free(struct extract *x);
void		 extract_result_free(struct extract_result *r);

#endif
