/*
 * Fuzz urlsrc_parse_line(): any bytes as one line of a URL list.  Besides
 * not crashing or leaking, the answer must be 0, 1 or -1, and a rejected
 * line has a reason and leaves *ret_url alone.  An accepted URL must be
 * non-empty, http:// or https://, within TRAWL_URL_MAX, free of spaces,
 * control bytes and a fragment, and valid UTF-8 (records carry it as a
 * JSON string); it must parse again to itself (normalising is idempotent)
 * and urlsrc_host() must give its host, free of bytes no host name holds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "urlsrc.h"
#include "oracle.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An address no URL can have: shows whether *ret_url was written. */
static char	untouched[1];

static void
check_url(const char *url)
{
	const char	*why = NULL, *p;
	char		*again = untouched, *host;
	size_t		 len, i;

	len = strlen(url);
	if (len == 0 || len > TRAWL_URL_MAX)
		abort();
	if (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0)
		abort();
	for (i = 0; i < len; i++)
		if ((unsigned char)url[i] <= 0x20 ||
		    (unsigned char)url[i] == 0x7f)
			abort();
	/* The fragment is dropped. */
	if (strchr(url, '#') != NULL)
		abort();
	/*
	 * Records carry the URL as a JSON string, which turns invalid UTF-8
	 * into U+FFFD: the URL must survive that unchanged.
	 */
	if (!utf8_valid((const unsigned char *)url, len))
		abort();

	if (urlsrc_parse_line(url, len, &again, &why) != 0)
		abort();
	if (again == untouched || strcmp(again, url) != 0)
		abort();
	free(again);

	if ((host = urlsrc_host(url)) == NULL)
		abort();
	/*
	 * A name to resolve: no byte that a host cannot hold, and no '%'
	 * either, which would mean the host in the URL ("%25") is not the
	 * one given here.
	 */
	if (host[0] == '\0' || strpbrk(host, "/?#@\\") != NULL)
		abort();
	if (strchr(host, '%') != NULL)
		abort();
	for (i = 0; host[i] != '\0'; i++)
		if ((unsigned char)host[i] <= 0x20 ||
		    (unsigned char)host[i] == 0x7f)
			abort();
	/* The host is the part right after the scheme's "//". */
	p = strstr(url, "//") + 2;
	if (strncmp(p, host, strlen(host)) != 0 && p[0] != '[' &&
	    strchr(p, '@') == NULL)
		abort();
	free(host);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*why = NULL;
	char		*url = untouched;
	int		 rc;

	rc = urlsrc_parse_line((const char *)data, size, &url, &why);
	switch (rc) {
	case 0:
		if (url == untouched || url == NULL)
			abort();
		check_url(url);
		free(url);
		break;
	case 1:
		if (url != untouched)
			abort();
		break;
	case -1:
		if (url != untouched || why == NULL || why[0] == '\0')
			abort();
		break;
	default:
		abort();
	}
	return 0;
}
