/*
 * Messages to standard error.  The level is lib/'s one global; everything
 * else is passed in.  Strings from the network or from input files go
 * through log_str() before they are printed.
 */
#ifndef TRAWL_LOG_H
#define TRAWL_LOG_H

#include <stddef.h>

enum log_level {
	LOG_QUIET,	/* errors of the program only */
	LOG_NORMAL,	/* plus warnings about input and the summary */
	LOG_VERBOSE,	/* plus one line per URL */
	LOG__MAX
};

extern enum log_level log_level;

/* "trawl: " + message + "\n" on stderr, whatever the level. */
void	log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The same, printed only at LOG_NORMAL and above. */
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The same, printed only at LOG_VERBOSE. */
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A printable copy of s[0..len), which may hold any bytes (NULs too):
 * strnvisx(3) with VIS_CSTYLE|VIS_OCTAL|VIS_NL|VIS_TAB, so no control
 * byte (not even \r or \b, which VIS_SAFE would let through) reaches
 * the terminal.  At most 200 bytes of input, with "..." when cut.  The
 * result lives in one of 4 thread-local static buffers: use it at once,
 * at most 4 in one printf.  NULL is taken as "".
 */
const char *log_str(const char *s, size_t len);

#endif
