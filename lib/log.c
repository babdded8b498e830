/*
 * Messages to standard error.  One fprintf per message, so that lines
 * from different threads do not mix (stdio locks the stream per call).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <vis.h>

#include "log.h"

#define LOG_STR_IN	200	/* bytes of input log_str() shows */
#define LOG_STR_BUFS	4	/* log_str() results alive at once */

enum log_level	log_level = LOG_NORMAL;

static void
log_vprint(const char *fmt, va_list ap)
{
	char	 msg[1024];

	/* A message cut at 1 KiB is still a message; no "%s" of a NULL. */
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "trawl: %s\n", msg);
}

void
log_err(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vprint(fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;

	if (log_level < LOG_NORMAL)
		return;
	va_start(ap, fmt);
	log_vprint(fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	if (log_level < LOG_VERBOSE)
		return;
	va_start(ap, fmt);
	log_vprint(fmt, ap);
	va_end(ap);
}

const char *
log_str(const char *s, size_t len)
{
	/* vis(3) turns one byte into at most 4 ("\ooo"), plus "..." */
	static _Thread_local char	 bufs[LOG_STR_BUFS][LOG_STR_IN * 4 + 4];
	static _Thread_local unsigned	 next;
	char				*out;
	size_t				 n;
	int				 cut = 0;

	out = bufs[next++ % LOG_STR_BUFS];
	if (s == NULL) {
		s = "";
		len = 0;
	}
	if (len > LOG_STR_IN) {
		len = LOG_STR_IN;
		cut = 1;
	}
	/*
	 * strnvisx() takes a length, so NULs in s show as \000 instead of
	 * ending the string.  VIS_SAFE is left out on purpose: it lets \r
	 * and \b through, which rewrite the terminal line; without it every
	 * control byte, C1 control and byte past 0x7f is encoded.  This holds
	 * in the C locale only: under a UTF-8 LC_CTYPE, libbsd 0.11's vis
	 * decodes multibyte characters and writes them back truncated to one
	 * byte (U+00E9 comes out as 0xe9), so trawl never calls setlocale().
	 */
	if (strnvisx(out, LOG_STR_IN * 4 + 1, s, len,
	    VIS_CSTYLE | VIS_OCTAL | VIS_NL | VIS_TAB) == -1) {
		out[0] = '\0';
		cut = 1;
	}
	if (cut) {
		n = strlen(out);
		memcpy(out + n, "...", 4);
	}
	return out;
}
