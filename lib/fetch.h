/*
 * One HTTP transfer: configuring libcurl's easy handle (protocols,
 * redirects, timeouts, the size cap, encodings, headers), feeding the body
 * to the extractor as it arrives, and naming what went wrong.  The only
 * file that knows libcurl's easy-handle details.
 */
#ifndef TRAWL_FETCH_H
#define TRAWL_FETCH_H

#include <stddef.h>
#include <time.h>

#include <curl/curl.h>

#include "buf.h"
#include "extract.h"
#include "state.h"

enum fetch_mode {
	FETCH_PAGE,		/* HTML into the extractor */
	FETCH_ROBOTS,		/* any body, kept raw up to TRAWL_ROBOTS_MAX */
	FETCH__MODE_MAX
};

struct fetch_opts {
	long			 timeout;	  /* seconds, whole transfer */
	long			 connect_timeout; /* seconds */
	long long		 max_size;	  /* body bytes, decoded */
	const char		*user_agent;
	enum extract_format	 format;
	long			 recvbuf;	  /* bytes libcurl reads at once */
	/*
	 * Whether a page's transfer may follow a redirect to url (absolute,
	 * as the server's Location resolves); priv is the fetch's.  NULL:
	 * every redirect is followed.
	 */
	int			(*redirect_ok)(void *priv, const char *url);
};

enum fetch_error {
	FETCH_OK,
	FETCH_DNS,
	FETCH_CONNECT,
	FETCH_TLS,
	FETCH_TIMEOUT,
	FETCH_NETWORK,		/* reset, truncated or garbled transfer */
	FETCH_HTTP_STATUS,
	FETCH_TOO_LARGE,
	FETCH_NOT_HTML,
	FETCH_TOO_MANY_REDIRECTS,
	FETCH_BAD_REDIRECT,	/* to a scheme other than http or https */
	FETCH_NOMEM,
	FETCH_NOT_MODIFIED,	/* 304 to a conditional request: no error */
	FETCH_DISALLOWED,	/* redirect_ok said no: no error either */
	FETCH__MAX
};

/* The error kind as it appears in error records ("timeout", ...). */
const char	*fetch_error_str(enum fetch_error e);

/*
 * Whether a failure may pass if tried again: timeouts, resets and the
 * statuses 429, 500, 502, 503, 504.
 */
int		 fetch_transient(enum fetch_error e, long status);

/* Whether a failure says the host as a whole is unreachable. */
int		 fetch_host_down(enum fetch_error e);

/*
 * Seconds a Retry-After value asks for (delta-seconds or an HTTP date),
 * capped at TRAWL_RETRY_AFTER_MAX; 0 if it is not valid.
 */
double		 fetch_retry_after(const char *v, time_t now);

struct fetch_result {
	enum fetch_error	 err;
	long			 status;	/* HTTP status, 0 if none */
	char			*final_url;	/* caller frees; may be NULL */
	char			*content_type;	/* media type only; or NULL */
	char			 detail[256];	/* for error records */
	size_t			 bytes;		/* body bytes received */
	double			 retry_after;	/* seconds asked for, or 0 */
	struct extract_result	 doc;		/* FETCH_PAGE, err FETCH_OK */
	struct buf		 body;		/* FETCH_ROBOTS */
	char			 etag[STATE_VALIDATOR_MAX]; /* or "" */
	char			 last_modified[STATE_VALIDATOR_MAX];
};

struct fetch;

/*
 * A transfer of url, ready for curl_multi_add_handle(fetch_easy()).
 * priv is the caller's, returned by fetch_priv().  etag and last_modified
 * (NULL or "" for none) make the request conditional.  easy is a handle
 * from fetch_recycle() to use again (fetch_new() owns it from then on, also
 * on failure), or NULL for a new one.  NULL if out of memory.
 */
struct fetch	*fetch_new(const struct fetch_opts *o, enum fetch_mode mode,
		    const char *url, void *priv, const char *etag,
		    const char *last_modified, CURL *easy);

CURL		*fetch_easy(struct fetch *f);
void		*fetch_priv(struct fetch *f);

/* The fetch an easy handle from curl_multi_info_read() belongs to. */
struct fetch	*fetch_of(CURL *easy);

/*
 * The transfer ended with code (from CURLMSG_DONE): classify it and, for
 * a page, finish the extraction.  Fills *ret; free its members with
 * fetch_result_free().
 */
void		 fetch_finish(struct fetch *f, CURLcode code,
		    struct fetch_result *ret);

void		 fetch_result_free(struct fetch_result *r);

/* Free f and its easy handle (remove it from the multi handle first). */
void		 fetch_free(struct fetch *f);

/*
 * Free f but keep its easy handle, reset, for another fetch_new(): its
 * buffers need not be allocated again.  The caller owns the handle.
 */
CURL		*fetch_recycle(struct fetch *f);

#endif
