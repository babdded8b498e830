/*
 * URL lists: reading lines from files or standard input without holding
 * the list in memory, validating and normalising each URL with libcurl's
 * URL API, and remembering which URLs were seen.
 */
#ifndef TRAWL_URLSRC_H
#define TRAWL_URLSRC_H

#include <locale.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Parse one line of a URL list (without its '\n').  Returns 0 and sets
 * *ret_url to the normalised URL (the caller frees it with free(3)), 1 for
 * a blank or comment line, or -1 with a static reason in *ret_why; the
 * outputs are untouched otherwise.  Only absolute http and https URLs with
 * a host pass.  The fragment is dropped: it is never sent to a server.  An
 * international host name comes out in its ASCII form (xn--...).
 */
int	urlsrc_parse_line(const char *line, size_t len, char **ret_url,
	    const char **ret_why);

/*
 * The host part of a normalised URL as a new string ("example.com:8080",
 * port only when not the scheme's default), or NULL if memory is short.
 * The caller frees it.
 */
char	*urlsrc_host(const char *url);

/*
 * A locale whose character set is UTF-8 (C.UTF-8), for uselocale(3) in
 * the threads that let libcurl convert an international host name: it
 * reads the name in the locale's character set, and trawl itself runs in
 * the "C" locale.  (locale_t)0 if the system has none.
 */
locale_t urlsrc_utf8_locale(void);

/* A 64-bit hash of n bytes; stable across runs and machines. */
uint64_t urlsrc_hash(const void *p, size_t n);

struct urlsrc;

/* What urlsrc_next() found. */
enum urlsrc_item {
	URLSRC_URL,		/* *ret_url is a new URL */
	URLSRC_BAD,		/* the line is not a URL: see ret_why */
	URLSRC_EOF,
	URLSRC_ERROR,		/* reading failed: errno is set (EINTR: a
				   signal came; calling again goes on) */
	URLSRC__MAX
};

/*
 * Open a URL list; path "-" is standard input.  Returns NULL with errno
 * set if the file cannot be opened.
 */
struct urlsrc	*urlsrc_open(const char *path);

/*
 * Read up to the next URL or bad line.  For URLSRC_URL, *ret_url is the
 * normalised URL (caller frees).  For URLSRC_BAD, *ret_why is a static
 * reason and *ret_line, *ret_len point at the raw line (valid until the
 * next call; may hold any bytes, cut at TRAWL_URL_MAX).  *ret_lineno is
 * the line's number in both cases.  Duplicates are not filtered here.
 */
enum urlsrc_item urlsrc_next(struct urlsrc *u, char **ret_url,
		    const char **ret_why, const char **ret_line,
		    size_t *ret_len, unsigned long *ret_lineno);

/* The path given to urlsrc_open(), for messages. */
const char	*urlsrc_path(const struct urlsrc *u);

void		 urlsrc_close(struct urlsrc *u);

/*
 * A set of 64-bit URL hashes, to fetch each URL once: up to about 200,000
 * URLs in 2 MiB of memory, the rest in a temporary database on disk, so
 * that memory does not grow with the list.
 */
struct urlset;

struct urlset	*urlset_new(void);

/* Returns 1 if url was added, 0 if it was there already, -1 if no memory. */
int		 urlset_add(struct urlset *s, const char *url);
void		 urlset_free(struct urlset *s);

#endif
