/*
 * One HTTP transfer with libcurl's easy interface, its body streamed into
 * the extractor.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "extract.h"
#include "fetch.h"
#include "caps.h"

struct fetch {
	CURL			*easy;
	void			*priv;
	const struct fetch_opts	*opts;
	enum fetch_mode		 mode;
	struct buf		 raw;		/* FETCH_ROBOTS body */
	double			 retry_after;
	struct curl_slist	*headers;	/* conditional request */
	char			 etag[STATE_VALIDATOR_MAX];
	char			 last_modified[STATE_VALIDATOR_MAX];
	struct extract		*x;		/* from the first body byte */
	enum fetch_error	 abort;		/* why we stopped the body */
	int			 checked;	/* status and type looked at */
	size_t			 bytes;
	size_t			 hdrbytes;	/* of the current response */
	long			 hstatus;	/* of the current response */
	int			 located;	/* its Location was seen */
	char			 errbuf[CURL_ERROR_SIZE];
	char			 detail[256];
};

static const char *const fetch_errors[FETCH__MAX] = {
	[FETCH_OK] = "ok",
	[FETCH_DNS] = "dns",
	[FETCH_CONNECT] = "connect",
	[FETCH_TLS] = "tls",
	[FETCH_TIMEOUT] = "timeout",
	[FETCH_NETWORK] = "network",
	[FETCH_HTTP_STATUS] = "http_status",
	[FETCH_TOO_LARGE] = "too_large",
	[FETCH_NOT_HTML] = "not_html",
	[FETCH_TOO_MANY_REDIRECTS] = "too_many_redirects",
	[FETCH_BAD_REDIRECT] = "bad_redirect",
	[FETCH_NOMEM] = "out_of_memory",
	[FETCH_NOT_MODIFIED] = "not_modified",
	[FETCH_DISALLOWED] = "robots",
};

const char *
fetch_error_str(enum fetch_error e)
{
	return e < FETCH__MAX ? fetch_errors[e] : "unknown";
}

/*
 * The media type of a Content-Type value, lowercased, into out; and its
 * charset parameter into cs ("" if none).
 */
static void
parse_ctype(const char *v, char *out, size_t outsz, char *cs, size_t cssz)
{
	const char	*p;
	size_t		 i;

	for (i = 0; v[i] != '\0' && v[i] != ';' && !isspace((unsigned char)v[i]) &&
	    i + 1 < outsz; i++)
		out[i] = tolower((unsigned char)v[i]);
	out[i] = '\0';
	cs[0] = '\0';
	if ((p = strcasestr(v, "charset=")) == NULL)
		return;
	p += 8;
	if (*p == '"' || *p == '\'')
		p++;
	for (i = 0; p[i] != '\0' && p[i] != '"' && p[i] != '\'' &&
	    p[i] != ';' && !isspace((unsigned char)p[i]) && i + 1 < cssz; i++)
		cs[i] = p[i];
	cs[i] = '\0';
}

static int
is_html(const char *mtype)
{
	/* No type at all: let the parser try; it is HTML more often than not. */
	return mtype[0] == '\0' || strcmp(mtype, "text/html") == 0 ||
	    strcmp(mtype, "application/xhtml+xml") == 0;
}

/*
 * Look at the final response once, before its body: a status that is not
 * 2xx or a type that is not HTML ends the transfer without the body.
 * Returns 0 to go on, -1 to stop.
 */
static int
check_response(struct fetch *f)
{
	long	 status = 0;
	char	*ct = NULL, mtype[128], cs[64];

	f->checked = 1;
	curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &status);
	if (status == 304 && f->headers != NULL) {
		f->abort = FETCH_NOT_MODIFIED;
		return -1;
	}
	if (status < 200 || status > 299) {
		f->abort = FETCH_HTTP_STATUS;
		snprintf(f->detail, sizeof(f->detail), "HTTP status %ld",
		    status);
		return -1;
	}
	curl_easy_getinfo(f->easy, CURLINFO_CONTENT_TYPE, &ct);
	parse_ctype(ct != NULL ? ct : "", mtype, sizeof(mtype), cs, sizeof(cs));
	if (!is_html(mtype)) {
		f->abort = FETCH_NOT_HTML;
		snprintf(f->detail, sizeof(f->detail), "content type %s",
		    mtype);
		return -1;
	}
	if ((f->x = extract_new(cs[0] != '\0' ? cs : NULL,
	    f->opts->format)) == NULL) {
		f->abort = FETCH_NOMEM;
		return -1;
	}
	return 0;
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct fetch	*f = arg;

	n *= size;
	if (f->mode == FETCH_ROBOTS) {
		size_t room = TRAWL_ROBOTS_MAX - f->raw.len;

		f->bytes += n;
		/* Past the cap the rest is not read: it would be ignored. */
		if (buf_add(&f->raw, p, n < room ? n : room) == -1)
			f->abort = FETCH_NOMEM;
		return n <= room && f->abort == FETCH_OK ? n : 0;
	}
	if (!f->checked && check_response(f) == -1)
		return 0;
	if (n > (size_t)f->opts->max_size - f->bytes) {
		f->abort = FETCH_TOO_LARGE;
		snprintf(f->detail, sizeof(f->detail),
		    "body over %lld bytes", f->opts->max_size);
		return 0;
	}
	f->bytes += n;
	if (extract_feed(f->x, p, n) == -1) {
		f->abort = FETCH_NOMEM;
		return 0;
	}
	return n;
}

/*
 * If the header line p[0..n) is name (with its colon, any case), copy its
 * value into out, trimmed, with control bytes left out.
 */
static void
header_value(const char *p, size_t n, const char *name, char *out,
    size_t outsz)
{
	size_t	k = strlen(name), i, o = 0;

	if (n < k || strncasecmp(p, name, k) != 0)
		return;
	for (i = k; i < n && (p[i] == ' ' || p[i] == '\t'); i++)
		continue;
	for (; i < n && o + 1 < outsz; i++)
		if ((unsigned char)p[i] >= 0x20 && p[i] != 0x7f)
			out[o++] = p[i];
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

/* The status of a status line "HTTP/1.1 302 Found", or 0. */
static long
status_of(const char *p, size_t n)
{
	const char	*sp = memchr(p, ' ', n);
	size_t		 i;
	long		 st = 0;

	if (sp == NULL)
		return 0;
	for (i = (size_t)(sp - p) + 1; i < n && p[i] >= '0' && p[i] <= '9' &&
	    st < 1000; i++)
		st = st * 10 + (p[i] - '0');
	return st;
}

/*
 * A Location header of a 3xx: ask redirect_ok whether to follow it, as
 * libcurl will (it takes the first Location, relative to the URL that
 * answered).  0 to go on, -1 to stop the transfer.
 */
static int
check_redirect(struct fetch *f, const char *p, size_t n)
{
	CURLU	*u;
	char	*base = NULL, *to = NULL, *v;
	int	 ok = 1;

	f->located = 1;
	p += 9;
	n -= 9;
	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n' ||
	    p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n == 0 || (v = strndup(p, n)) == NULL)
		return 0;
	if ((u = curl_url()) != NULL &&
	    curl_easy_getinfo(f->easy, CURLINFO_EFFECTIVE_URL, &base) ==
	    CURLE_OK && base != NULL &&
	    curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, v, CURLU_URLENCODE |
	    CURLU_ALLOW_SPACE) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &to, 0) == CURLUE_OK &&
	    (strncmp(to, "http://", 7) == 0 || strncmp(to, "https://", 8) == 0))
		ok = f->opts->redirect_ok(f->priv, to);
	if (!ok) {
		f->abort = FETCH_DISALLOWED;
		snprintf(f->detail, sizeof(f->detail),
		    "redirect to %s disallowed by robots.txt", to);
	}
	curl_free(to);
	curl_url_cleanup(u);
	free(v);
	return ok ? 0 : -1;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct fetch	*f = arg;

	n *= size;
	/* Each response of a redirect chain gets the whole allowance. */
	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		f->hdrbytes = 0;
		f->retry_after = 0;
		f->etag[0] = f->last_modified[0] = '\0';
		f->located = 0;
		f->hstatus = status_of(p, n);
	}
	header_value(p, n, "etag:", f->etag, sizeof(f->etag));
	header_value(p, n, "last-modified:", f->last_modified,
	    sizeof(f->last_modified));
	if (n > 12 && strncasecmp(p, "retry-after:", 12) == 0) {
		char	v[64];
		size_t	vl = n - 12 < sizeof(v) - 1 ? n - 12 : sizeof(v) - 1;

		memcpy(v, p + 12, vl);
		v[vl] = '\0';
		f->retry_after = fetch_retry_after(v, time(NULL));
	}
	if (f->mode == FETCH_PAGE && f->opts->redirect_ok != NULL &&
	    !f->located && f->hstatus >= 300 && f->hstatus <= 399 &&
	    f->hstatus != 304 && n > 9 && strncasecmp(p, "location:", 9) == 0 &&
	    check_redirect(f, p, n) == -1)
		return 0;
	f->hdrbytes += n;
	if (f->hdrbytes > TRAWL_HEADER_MAX) {
		f->abort = FETCH_TOO_LARGE;
		snprintf(f->detail, sizeof(f->detail),
		    "response headers over %d bytes", TRAWL_HEADER_MAX);
		return 0;
	}
	return n;
}

int
fetch_transient(enum fetch_error e, long status)
{
	if (e == FETCH_TIMEOUT || e == FETCH_NETWORK)
		return 1;
	if (e == FETCH_HTTP_STATUS)
		return status == 429 || status == 500 || status == 502 ||
		    status == 503 || status == 504;
	return 0;
}

int
fetch_host_down(enum fetch_error e)
{
	return e == FETCH_DNS || e == FETCH_CONNECT || e == FETCH_TLS;
}

double
fetch_retry_after(const char *v, time_t now)
{
	const char	*err;
	char		 num[32];
	long long	 secs;
	time_t		 t;
	size_t		 n;

	v += strspn(v, " \t");
	n = strcspn(v, " \t\r\n");
	if (n > 0 && n < sizeof(num) && strspn(v, "0123456789") == n) {
		memcpy(num, v, n);
		num[n] = '\0';
		secs = strtonum(num, 0, LLONG_MAX, &err);
		if (err != NULL && secs == 0)	/* too large: the cap */
			secs = TRAWL_RETRY_AFTER_MAX;
	} else {
		if ((t = curl_getdate(v, NULL)) == -1)
			return 0;
		secs = t > now ? t - now : 0;
	}
	return secs > TRAWL_RETRY_AFTER_MAX ? TRAWL_RETRY_AFTER_MAX : secs;
}

/* If-None-Match and If-Modified-Since from what the last fetch gave. */
static int
conditional(struct fetch *f, const char *etag, const char *last_modified)
{
	struct curl_slist	*l;
	char			 h[STATE_VALIDATOR_MAX + 32];

	if (etag != NULL && etag[0] != '\0') {
		snprintf(h, sizeof(h), "If-None-Match: %s", etag);
		if ((l = curl_slist_append(f->headers, h)) == NULL)
			return -1;
		f->headers = l;
	}
	if (last_modified != NULL && last_modified[0] != '\0') {
		snprintf(h, sizeof(h), "If-Modified-Since: %s", last_modified);
		if ((l = curl_slist_append(f->headers, h)) == NULL)
			return -1;
		f->headers = l;
	}
	return 0;
}

struct fetch *
fetch_new(const struct fetch_opts *o, enum fetch_mode mode, const char *url,
    void *priv, const char *etag, const char *last_modified, CURL *easy)
{
	struct fetch	*f;
	CURL		*e;
	int		 bad = 0;

	if ((f = calloc(1, sizeof(*f))) == NULL) {
		curl_easy_cleanup(easy);
		return NULL;
	}
	if ((f->easy = e = easy != NULL ? easy : curl_easy_init()) == NULL) {
		free(f);
		return NULL;
	}
	f->priv = priv;
	f->opts = o;
	f->mode = mode;
	buf_init(&f->raw, TRAWL_ROBOTS_MAX);
#define SET(opt, val) bad |= curl_easy_setopt(e, opt, val) != CURLE_OK
	SET(CURLOPT_URL, url);
	SET(CURLOPT_PRIVATE, f);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, mode == FETCH_ROBOTS ?
	    (long)TRAWL_ROBOTS_REDIRECTS : (long)TRAWL_REDIRECTS_MAX);
	SET(CURLOPT_LOW_SPEED_LIMIT, (long)TRAWL_LOW_SPEED);
	SET(CURLOPT_LOW_SPEED_TIME, o->timeout < TRAWL_LOW_SPEED_TIME ?
	    o->timeout : (long)TRAWL_LOW_SPEED_TIME);
	SET(CURLOPT_TIMEOUT, o->timeout);
	SET(CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
	SET(CURLOPT_ACCEPT_ENCODING, "");
	SET(CURLOPT_USERAGENT, o->user_agent);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, f);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, f);
	SET(CURLOPT_ERRORBUFFER, f->errbuf);
	/*
	 * A 150 KB page comes in three reads, not ten: fewer recv() and
	 * poll() calls, fewer and longer runs for the extractor.  libcurl
	 * refuses a new size once a handle has its buffer, and a handle
	 * used again has one of this size already.
	 */
	if (o->recvbuf > 0)
		(void)curl_easy_setopt(e, CURLOPT_BUFFERSIZE, o->recvbuf);
	/* Nothing is uploaded: the smallest upload buffer libcurl allows. */
	SET(CURLOPT_UPLOAD_BUFFERSIZE, 16 * 1024L);
	if (conditional(f, etag, last_modified) == -1)
		bad = 1;
	else if (f->headers != NULL)
		SET(CURLOPT_HTTPHEADER, f->headers);
#undef SET
	if (bad) {
		fetch_free(f);
		return NULL;
	}
	return f;
}

CURL *
fetch_easy(struct fetch *f)
{
	return f->easy;
}

void *
fetch_priv(struct fetch *f)
{
	return f->priv;
}

struct fetch *
fetch_of(CURL *easy)
{
	char	*p = NULL;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, &p);
	return (struct fetch *)p;
}

static enum fetch_error
classify(CURLcode code)
{
	switch (code) {
	case CURLE_OK:
		return FETCH_OK;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return FETCH_DNS;
	case CURLE_COULDNT_CONNECT:
		return FETCH_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return FETCH_TIMEOUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		return FETCH_TLS;
	case CURLE_TOO_MANY_REDIRECTS:
		return FETCH_TOO_MANY_REDIRECTS;
	case CURLE_UNSUPPORTED_PROTOCOL:
		return FETCH_BAD_REDIRECT;
	case CURLE_FILESIZE_EXCEEDED:
		return FETCH_TOO_LARGE;
	case CURLE_OUT_OF_MEMORY:
		return FETCH_NOMEM;
	default:
		return FETCH_NETWORK;
	}
}

void
fetch_finish(struct fetch *f, CURLcode code, struct fetch_result *ret)
{
	char	*s = NULL, mtype[128], cs[8];

	memset(ret, 0, sizeof(*ret));
	curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &ret->status);
	if (curl_easy_getinfo(f->easy, CURLINFO_EFFECTIVE_URL, &s) ==
	    CURLE_OK && s != NULL)
		ret->final_url = strdup(s);
	s = NULL;
	if (curl_easy_getinfo(f->easy, CURLINFO_CONTENT_TYPE, &s) ==
	    CURLE_OK && s != NULL) {
		parse_ctype(s, mtype, sizeof(mtype), cs, sizeof(cs));
		ret->content_type = strdup(mtype);
	}
	ret->bytes = f->bytes;
	ret->retry_after = f->retry_after;
	memcpy(ret->etag, f->etag, sizeof(ret->etag));
	memcpy(ret->last_modified, f->last_modified,
	    sizeof(ret->last_modified));
	if (f->mode == FETCH_ROBOTS) {
		/* Cut at the cap: what was read is what counts. */
		if (code == CURLE_WRITE_ERROR && f->abort == FETCH_OK)
			code = CURLE_OK;
		ret->body = f->raw;
		buf_init(&f->raw, TRAWL_ROBOTS_MAX);
	}
	/* An empty body never reached on_body(): check the response now. */
	if (code == CURLE_OK && !f->checked && f->mode == FETCH_PAGE)
		(void)check_response(f);
	if (f->abort != FETCH_OK) {
		ret->err = f->abort;
		strlcpy(ret->detail, f->detail, sizeof(ret->detail));
		return;
	}
	/*
	 * libcurl says "out of memory" for a header line past its 100 KB
	 * limit: with a response begun, that is what it is.
	 */
	if (code == CURLE_OUT_OF_MEMORY && ret->status > 0) {
		ret->err = FETCH_TOO_LARGE;
		strlcpy(ret->detail, "response header line too long",
		    sizeof(ret->detail));
		return;
	}
	/*
	 * Input URLs are http or https, so libcurl's "unsupported protocol"
	 * is a refused redirect after a 3xx, or else a response that is not
	 * HTTP/1.x at all (HTTP/0.9, a garbled status line).
	 */
	if (code == CURLE_UNSUPPORTED_PROTOCOL &&
	    (ret->status < 300 || ret->status > 399))
		code = CURLE_WEIRD_SERVER_REPLY;
	if ((ret->err = classify(code)) != FETCH_OK) {
		if (code == CURLE_UNSUPPORTED_PROTOCOL)
			snprintf(ret->detail, sizeof(ret->detail),
			    "redirect to a scheme other than http or https");
		else
			strlcpy(ret->detail, f->errbuf[0] != '\0' ? f->errbuf :
			    curl_easy_strerror(code), sizeof(ret->detail));
		return;
	}
	if (f->mode == FETCH_PAGE && extract_finish(f->x, &ret->doc) == -1) {
		ret->err = FETCH_NOMEM;
		strlcpy(ret->detail, "out of memory", sizeof(ret->detail));
	}
}

void
fetch_result_free(struct fetch_result *r)
{
	free(r->final_url);
	free(r->content_type);
	extract_result_free(&r->doc);
	buf_free(&r->body);
	memset(r, 0, sizeof(*r));
}

CURL *
fetch_recycle(struct fetch *f)
{
	CURL	*e;

	if (f == NULL)
		return NULL;
	e = f->easy;
	f->easy = NULL;
	fetch_free(f);
	curl_easy_reset(e);
	return e;
}

void
fetch_free(struct fetch *f)
{
	if (f == NULL)
		return;
	extract_free(f->x);
	buf_free(&f->raw);
	curl_easy_cleanup(f->easy);
	curl_slist_free_all(f->headers);
	free(f);
}
