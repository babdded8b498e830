/*
 * A worker's event loop: curl multi, the hosts' politeness, admission of
 * ready hosts, completion handling, and records batched for the writer.
 */
#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/queue.h>

#include <curl/curl.h>

#include "buf.h"
#include "fetch.h"
#include "host.h"
#include "json.h"
#include "caps.h"
#include "log.h"
#include "loop.h"
#include "robots.h"
#include "state.h"
#include "urlsrc.h"
#include "writer.h"

#define LOOP_FLUSH_SECS	0.2	/* longest a record waits in a worker */
#define LOOP_IDLE_MS	1000	/* longest poll with nothing to wait for */
#define LOOP_BUSY_MS	5	/* poll while held back by -j or the writer */
#define LOOP_POOL	64	/* idle easy handles kept for reuse */

STAILQ_HEAD(job_list, job);

struct loop {
	struct loop_shared	*sh;
	pthread_t		 thread;
	int			 started;

	/* The inbox, filled by the reader: guarded by mu. */
	pthread_mutex_t		 mu;
	pthread_cond_t		 space;		/* pending went down */
	struct job_list		 inbox;
	int			 closed;	/* no more pushes */
	size_t			 pending;	/* pushed, not yet finished */

	/* The worker's own, touched by its thread only. */
	CURLM			*multi;
	struct hosts		*hosts;
	int			 running;	/* transfers in this multi */
	LIST_HEAD(, job)	 live;		/* their jobs */
	double			 stopped;	/* when a stop was first seen */
	uint64_t		 rng;		/* backoff jitter */
	CURL			*pool[LOOP_POOL]; /* easy handles to use again */
	int			 npool;
	struct buf		 out[WRITER__MAX];
	double			 flushed;	/* time of the last hand-over */
	struct loop_stats	 stats;
};

static double
now_secs(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct loop *
loop_new(struct loop_shared *sh)
{
	struct loop	*l;
	int		 i;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->sh = sh;
	STAILQ_INIT(&l->inbox);
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->space, NULL);
	for (i = 0; i < WRITER__MAX; i++)
		buf_init(&l->out[i], SIZE_MAX / 2);
	if ((l->multi = curl_multi_init()) == NULL ||
	    (l->hosts = hosts_new(sh->per_host, sh->rate, sh->robots)) ==
	    NULL) {
		loop_free(l);
		return NULL;
	}
	LIST_INIT(&l->live);
	l->rng = ((uint64_t)(uintptr_t)l ^ (uint64_t)time(NULL) << 20) | 1;
	return l;
}

/*
 * A job's strings live in one allocation, each after the other's NUL: the
 * URL, the host name, the ETag and the Last-Modified of its last fetch.
 */
static const char *
next_str(const char *s)
{
	return s + strlen(s) + 1;
}

#define JOB_HOST(j)	next_str((j)->url)
#define JOB_ETAG(j)	next_str(JOB_HOST(j))
#define JOB_LASTMOD(j)	next_str(JOB_ETAG(j))

int
loop_push(struct loop *l, const char *url, const char *host,
    const struct state_url *prev)
{
	struct job	*j;
	const char	*etag = prev != NULL ? prev->etag : "";
	const char	*lm = prev != NULL ? prev->last_modified : "";
	size_t		 ul = strlen(url) + 1, hl = strlen(host) + 1;
	size_t		 el = strlen(etag) + 1, ll = strlen(lm) + 1;
	int		 wake;

	if ((j = calloc(1, sizeof(*j))) == NULL ||
	    (j->url = malloc(ul + hl + el + ll)) == NULL) {
		free(j);
		return -1;
	}
	memcpy(j->url, url, ul);
	memcpy(j->url + ul, host, hl);
	memcpy(j->url + ul + hl, etag, el);
	memcpy(j->url + ul + hl + el, lm, ll);
	j->text_hash = prev != NULL ? prev->text_hash : 0;
	pthread_mutex_lock(&l->mu);
	while (l->pending >= TRAWL_PENDING_MAX && !atomic_load(&l->sh->stop)) {
		struct timespec	ts;

		/* Timed, so that a stop set by a signal handler is seen. */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000 * 1000 * 1000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&l->space, &l->mu, &ts);
	}
	/* The worker takes the whole inbox: wake it for the first only. */
	wake = STAILQ_EMPTY(&l->inbox);
	STAILQ_INSERT_TAIL(&l->inbox, j, entry);
	l->pending++;
	pthread_mutex_unlock(&l->mu);
	if (wake)
		curl_multi_wakeup(l->multi);
	return 0;
}

void
loop_close(struct loop *l)
{
	pthread_mutex_lock(&l->mu);
	l->closed = 1;
	pthread_mutex_unlock(&l->mu);
	curl_multi_wakeup(l->multi);
}

/* Hand the worker's full or stale batches to the writer. */
static void
flush(struct loop *l, double now, int force)
{
	int	i;

	if (!force && now - l->flushed < LOOP_FLUSH_SECS)
		for (i = 0; i < WRITER__MAX; i++)
			if (l->out[i].len >= TRAWL_BATCH_BYTES)
				force = 1;
	if (!force && now - l->flushed < LOOP_FLUSH_SECS)
		return;
	/*
	 * All streams in one hand-over: records and their state rows must
	 * land in the same batch, or a kill between two batches would leave
	 * records the state does not know of.  Output gone: stop.
	 */
	if (writer_put_all(l->sh->writer, l->out) == -1)
		atomic_store(&l->sh->stop, 1);
	l->flushed = now;
}

/*
 * The outcome of j for the state database.  transient: the failure may
 * pass (--retry-failed fetches it again).
 */
static void
record_state(struct loop *l, const struct job *j, const char *outcome,
    int transient, uint64_t text_hash, const char *etag, const char *lm)
{
	if (l->sh->state)
		(void)state_row(&l->out[WRITER_STATE], j->url, strlen(j->url),
		    outcome, transient, time(NULL), text_hash, etag, lm);
}

/*
 * An error record for j; transient is as for record_state(), or -1 for
 * an outcome the state must not keep (interrupted).
 */
static void
record_error(struct loop *l, const struct job *j, const char *kind,
    const char *detail, long status, int transient)
{
	struct json_err	e;

	if (transient >= 0)
		record_state(l, j, kind, transient, 0, NULL, NULL);
	if (log_level >= LOG_VERBOSE)
		log_info("%s %s: %s", kind, log_str(j->url, strlen(j->url)),
		    log_str(detail, strlen(detail)));
	atomic_fetch_add_explicit(&l->sh->done, 1, memory_order_relaxed);
	/* Policy and stops are no failures of the host. */
	if (strcmp(kind, "robots") != 0 && strcmp(kind, "interrupted") != 0) {
		atomic_fetch_add_explicit(&l->sh->failed, 1,
		    memory_order_relaxed);
		if (j->host != NULL)
			host_count_failure(j->host);
	}
	memset(&e, 0, sizeof(e));
	e.url = j->url;
	e.urllen = strlen(j->url);
	e.error = kind;
	e.detail = detail;
	e.status = status;
	e.attempts = j->attempts;
	e.at = time(NULL);
	(void)json_err(&l->out[WRITER_ERRORS], &e);
}

/* Whether a failure may pass another day: for the state's --retry-failed. */
static int
transient(int err, long status)
{
	return fetch_transient(err, status) || err == FETCH_CONNECT ||
	    err == FETCH_DNS || err == FETCH_NOMEM;
}

static void
record_doc(struct loop *l, const struct job *j, struct fetch_result *r)
{
	struct json_doc	d;

	atomic_fetch_add_explicit(&l->sh->done, 1, memory_order_relaxed);
	if (log_level >= LOG_VERBOSE)
		log_info("document %s: %ld, %zu words",
		    log_str(j->url, strlen(j->url)), r->status, r->doc.words);
	/* Hashing the text costs a multiply a byte: only for a state. */
	if (l->sh->state)
		record_state(l, j, "document", 0, r->doc.textlen > 0 ?
		    urlsrc_hash(r->doc.text, r->doc.textlen) : 0, r->etag,
		    r->last_modified);
	memset(&d, 0, sizeof(d));
	d.url = j->url;
	d.final_url = r->final_url != NULL ? r->final_url : j->url;
	d.status = r->status;
	d.added = time(NULL);
	d.source = l->sh->source;
	d.content_type = r->content_type != NULL ? r->content_type :
	    "text/html";
	d.lang = r->doc.lang;
	d.title = r->doc.title;
	d.words = r->doc.words;
	d.text = r->doc.text;
	d.textlen = r->doc.textlen;
	d.description = r->doc.description;
	d.canonical_url = r->doc.canonical_url;
	d.published = r->doc.published;
	(void)json_doc(&l->out[WRITER_CORPUS], &d);
}

static void
job_done(struct loop *l, struct job *j)
{
	free(j->url);
	free(j);
	pthread_mutex_lock(&l->mu);
	if (--l->pending < TRAWL_PENDING_MAX)
		pthread_cond_signal(&l->space);
	pthread_mutex_unlock(&l->mu);
}

/* A uniform random number in [0, 1), for jitter (xorshift64*). */
static double
rand01(struct loop *l)
{
	l->rng ^= l->rng >> 12;
	l->rng ^= l->rng << 25;
	l->rng ^= l->rng >> 27;
	return (l->rng * 0x2545f4914f6cdd1dULL >> 11) * 0x1.0p-53;
}

/*
 * When to try again after attempt n failed: what Retry-After asked, else
 * exponential backoff with full jitter.
 */
static double
retry_at(struct loop *l, int n, double retry_after, double now)
{
	double	cap = TRAWL_BACKOFF_BASE * ldexp(1, n - 1);

	if (retry_after > 0)
		return now + retry_after;
	if (cap > TRAWL_BACKOFF_MAX)
		cap = TRAWL_BACKOFF_MAX;
	return now + cap * rand01(l);
}

/* The robots.txt URL of the host of a page URL; NULL if out of memory. */
static char *
robots_url(const char *page)
{
	CURLU	*h;
	char	*url = NULL, *ret = NULL;

	if ((h = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(h, CURLUPART_URL, page, 0) == CURLUE_OK &&
	    curl_url_set(h, CURLUPART_PATH, "/robots.txt", 0) == CURLUE_OK &&
	    curl_url_set(h, CURLUPART_QUERY, NULL, 0) == CURLUE_OK &&
	    curl_url_get(h, CURLUPART_URL, &url, 0) == CURLUE_OK)
		ret = strdup(url);
	curl_free(url);
	curl_url_cleanup(h);
	return ret;
}

/* A robots.txt transfer ended: set the host's rules, or try again. */
static void
finish_robots(struct loop *l, struct job *j, struct fetch_result *r,
    double now)
{
	struct host	*h = j->host;
	struct robots	*rules = NULL;
	char		 why[300];

	hosts_done(l->hosts, h, now);
	if (r->err == FETCH_OK || r->err == FETCH_HTTP_STATUS ||
	    r->err == FETCH_TOO_MANY_REDIRECTS) {
		host_failed(l->hosts, h, 0, 0, "", now);
		if (r->err == FETCH_OK && r->status >= 200 && r->status < 300)
			rules = robots_parse(r->body.data, r->body.len,
			    "trawl");
		else if (r->status >= 500 && r->status < 600 &&
		    j->attempts <= l->sh->retries &&
		    fetch_transient(FETCH_HTTP_STATUS, r->status)) {
			l->stats.retries++;
			hosts_robots_again(l->hosts, h, retry_at(l,
			    j->attempts, r->retry_after, now), now);
			return;
		} else if (r->status >= 500 && r->status < 600)
			/* RFC 9309 2.3.1.3: a server error disallows all. */
			rules = robots_disallow_all();
		/* 4xx, or unavailable after redirects: RFC 9309 allows all. */
		hosts_robots(l->hosts, h, rules, now);
		return;
	}
	snprintf(why, sizeof(why), "robots.txt: %s", r->detail);
	if (j->attempts <= l->sh->retries && (fetch_transient(r->err, 0) ||
	    fetch_host_down(r->err)) && !host_failed(l->hosts, h,
	    fetch_host_down(r->err), r->err, why, now)) {
		l->stats.retries++;
		hosts_robots_again(l->hosts, h, retry_at(l, j->attempts,
		    r->retry_after, now), now);
		return;
	}
	/* Unreachable: its pages would fail the same way. */
	hosts_kill(l->hosts, h, r->err, why, now);
}

/*
 * fetch_opts.redirect_ok: a redirect within the job's own host goes
 * only where its robots.txt allows.  (One to another host is followed:
 * that host's rules are another worker's, or not fetched yet.)
 */
int
loop_redirect_ok(void *priv, const char *url)
{
	struct job	*j = priv;
	const char	*why;
	char		*norm = NULL, *name = NULL;
	int		 ok = 1;

	if (j->host != NULL &&
	    urlsrc_parse_line(url, strlen(url), &norm, &why) == 0 &&
	    (name = urlsrc_host(norm)) != NULL &&
	    strcmp(name, host_name(j->host)) == 0)
		ok = host_allows(j->host, norm);
	free(name);
	free(norm);
	return ok;
}

/* A page transfer ended: a record, or another try later. */
static void
finish_page(struct loop *l, struct job *j, struct fetch_result *r,
    double now)
{
	struct host	*h = j->host;

	hosts_done(l->hosts, h, now);
	host_failed(l->hosts, h, fetch_host_down(r->err), r->err, r->detail,
	    now);
	if (r->err != FETCH_OK && j->attempts <= l->sh->retries &&
	    fetch_transient(r->err, r->status) &&
	    !atomic_load(&l->sh->stop)) {
		l->stats.retries++;
		hosts_retry(l->hosts, j, retry_at(l, j->attempts,
		    r->retry_after, now), now);
		return;
	}
	if (r->err == FETCH_NOT_MODIFIED || (r->err == FETCH_OK &&
	    j->text_hash != 0 && r->doc.textlen > 0 &&
	    urlsrc_hash(r->doc.text, r->doc.textlen) == j->text_hash)) {
		/* Nothing new: done, with no record; the state is renewed. */
		if (r->err == FETCH_NOT_MODIFIED)
			l->stats.not_modified++;
		else
			l->stats.unchanged++;
		atomic_fetch_add_explicit(&l->sh->done, 1,
		    memory_order_relaxed);
		record_state(l, j, "document", 0, j->text_hash, r->etag,
		    r->last_modified);
	} else if (r->err == FETCH_DISALLOWED) {
		l->stats.robots++;
		record_error(l, j, "robots", r->detail, r->status, 0);
	} else if (r->err != FETCH_OK) {
		l->stats.errors[r->err]++;
		record_error(l, j, fetch_error_str(r->err), r->detail,
		    r->status, transient(r->err, r->status));
	} else if (r->doc.textlen == 0 || r->doc.words < l->sh->min_words) {
		l->stats.empty++;
		record_error(l, j, "empty_text", r->doc.textlen == 0 ?
		    "no text found" : "fewer words than --min-words",
		    r->status, 0);
	} else {
		l->stats.docs++;
		record_doc(l, j, r);
	}
	job_done(l, j);
}

/* Keep f's easy handle for the next transfer, or free it. */
static void
recycle(struct loop *l, struct fetch *f)
{
	CURL	*e;

	if (l->npool == LOOP_POOL) {
		fetch_free(f);
		return;
	}
	if ((e = fetch_recycle(f)) != NULL)
		l->pool[l->npool++] = e;
}

static void
finish(struct loop *l, CURL *easy, CURLcode code, double now)
{
	struct fetch		*f = fetch_of(easy);
	struct job		*j = fetch_priv(f);
	struct fetch_result	 r;

	curl_multi_remove_handle(l->multi, easy);
	l->running--;
	LIST_REMOVE(j, live);
	j->fetch = NULL;
	atomic_fetch_sub(&l->sh->inflight, 1);
	fetch_finish(f, code, &r);
	recycle(l, f);
	l->stats.bytes += r.bytes;
	if (j->kind == JOB_ROBOTS) {
		finish_robots(l, j, &r, now);
		free(j->url);
		free(j);
	} else
		finish_page(l, j, &r, now);
	fetch_result_free(&r);
}

/* Stopped and out of grace: end every transfer now, with a record. */
static void
abort_live(struct loop *l, double now)
{
	struct job	*j;

	while ((j = LIST_FIRST(&l->live)) != NULL) {
		LIST_REMOVE(j, live);
		curl_multi_remove_handle(l->multi, fetch_easy(j->fetch));
		fetch_free(j->fetch);
		j->fetch = NULL;
		l->running--;
		atomic_fetch_sub(&l->sh->inflight, 1);
		hosts_done(l->hosts, j->host, now);
		if (j->kind == JOB_ROBOTS) {
			free(j->url);
			free(j);
			continue;
		}
		l->stats.interrupted++;
		record_error(l, j, "interrupted", "run stopped during fetch",
		    0, -1);
		job_done(l, j);
	}
}

/* Take one slot of the global -j budget; 0 if none is free. */
static int
slot_take(struct loop_shared *sh)
{
	int	cur = atomic_load(&sh->inflight);

	while (cur < sh->jobs)
		if (atomic_compare_exchange_weak(&sh->inflight, &cur, cur + 1))
			return 1;
	return 0;
}

/*
 * Start what politeness allows.  Returns 1 if work that is ready now was
 * held back by the global limit or the writer, else 0.
 */
/* Record a job that needs no fetch: robots.txt or a dead host said no. */
static void
reject(struct loop *l, struct job *j)
{
	char	why[300];
	int	code;

	if (j->kind == JOB_DISALLOWED) {
		l->stats.robots++;
		record_error(l, j, "robots", "disallowed by robots.txt", 0,
		    0);
	} else {
		code = host_dead_code(j->host);
		l->stats.errors[code]++;
		snprintf(why, sizeof(why), "host given up after failures: %s",
		    host_dead_why(j->host));
		record_error(l, j, fetch_error_str(code), why, 0,
		    transient(code, 0));
	}
	job_done(l, j);
}

static int
admit(struct loop *l, double now)
{
	struct job	*j;
	struct fetch	*f;
	CURL		*easy;

	while (hosts_wait(l->hosts, now) == 0) {
		if (writer_congested(l->sh->writer) || !slot_take(l->sh))
			return 1;
		if ((j = hosts_next(l->hosts, now)) == NULL) {
			atomic_fetch_sub(&l->sh->inflight, 1);
			return 0;
		}
		if (j->kind == JOB_DISALLOWED || j->kind == JOB_DEAD) {
			atomic_fetch_sub(&l->sh->inflight, 1);
			reject(l, j);
			continue;
		}
		if (j->kind == JOB_ROBOTS &&
		    (j->url = robots_url(host_first_url(j->host))) == NULL) {
			atomic_fetch_sub(&l->sh->inflight, 1);
			hosts_done(l->hosts, j->host, now);
			hosts_robots(l->hosts, j->host, NULL, now);
			free(j);
			continue;
		}
		j->attempts++;
		easy = l->npool > 0 ? l->pool[--l->npool] : NULL;
		if ((f = j->kind == JOB_ROBOTS ?
		    fetch_new(&l->sh->fetch, FETCH_ROBOTS, j->url, j, NULL,
		    NULL, easy) : fetch_new(&l->sh->fetch, FETCH_PAGE, j->url,
		    j, JOB_ETAG(j), JOB_LASTMOD(j), easy)) == NULL ||
		    curl_multi_add_handle(l->multi, fetch_easy(f)) !=
		    CURLM_OK) {
			struct fetch_result r;

			fetch_free(f);
			atomic_fetch_sub(&l->sh->inflight, 1);
			memset(&r, 0, sizeof(r));
			r.err = FETCH_NOMEM;
			strlcpy(r.detail, "cannot start transfer",
			    sizeof(r.detail));
			if (j->kind == JOB_ROBOTS) {
				hosts_done(l->hosts, j->host, now);
				hosts_robots(l->hosts, j->host, NULL, now);
				free(j->url);
				free(j);
			} else
				finish_page(l, j, &r, now);
			continue;
		}
		j->fetch = f;
		LIST_INSERT_HEAD(&l->live, j, live);
		l->running++;
	}
	return 0;
}

/* Move the inbox into the hosts' queues.  Returns 1 once it is closed. */
static int
take_inbox(struct loop *l, double now)
{
	struct job_list	 in = STAILQ_HEAD_INITIALIZER(in);
	struct job	*j;
	int		 closed;

	pthread_mutex_lock(&l->mu);
	STAILQ_CONCAT(&in, &l->inbox);
	closed = l->closed;
	pthread_mutex_unlock(&l->mu);
	while ((j = STAILQ_FIRST(&in)) != NULL) {
		STAILQ_REMOVE_HEAD(&in, entry);
		if (hosts_push(l->hosts, JOB_HOST(j), j, now) == -1) {
			j->host = NULL;
			l->stats.errors[FETCH_NOMEM]++;
			record_error(l, j, fetch_error_str(FETCH_NOMEM),
			    "cannot queue URL", 0, 1);
			job_done(l, j);
		}
	}
	return closed;
}

/* After a stop: every URL not fetched gets an interrupted record. */
static void
drain(struct loop *l)
{
	struct job	*j;

	while ((j = hosts_drain(l->hosts)) != NULL) {
		if (j->kind == JOB_DISALLOWED || j->kind == JOB_DEAD) {
			reject(l, j);
			continue;
		}
		l->stats.interrupted++;
		record_error(l, j, "interrupted", "run stopped before fetch",
		    0, -1);
		job_done(l, j);
	}
}

static void *
loop_main(void *arg)
{
	struct loop	*l = arg;
	struct CURLMsg	*m;
	locale_t	 utf8 = urlsrc_utf8_locale(), old;
	double		 now, wait;
	int		 closed = 0, held, still, left, ms;

	for (;;) {
		now = now_secs();
		closed = take_inbox(l, now);
		if (atomic_load(&l->sh->stop)) {
			if (l->stopped == 0)
				l->stopped = now;
			drain(l);
			if (atomic_load(&l->sh->stop) > 1 ||
			    now - l->stopped >= TRAWL_GRACE_SECS)
				abort_live(l, now);
			if (l->running == 0 && closed)
				break;
			held = 0;
		} else {
			held = admit(l, now);
			if (closed && l->running == 0 &&
			    hosts_queued(l->hosts) == 0)
				break;
		}
		wait = hosts_wait(l->hosts, now);
		if (l->stopped > 0)
			ms = LOOP_BUSY_MS * 20;
		else if (held)
			ms = LOOP_BUSY_MS;
		else if (wait < 0 || wait > LOOP_IDLE_MS / 1000.0)
			ms = LOOP_IDLE_MS;
		else
			ms = (int)ceil(wait * 1000);
		if (l->out[0].len > 0 || l->out[1].len > 0) {
			double due = l->flushed + LOOP_FLUSH_SECS - now;

			if (due < 0)
				due = 0;
			if (ms > due * 1000)
				ms = (int)ceil(due * 1000);
		}
		curl_multi_poll(l->multi, NULL, 0, ms, NULL);
		/* For a redirect to an international host name. */
		old = uselocale(utf8);
		curl_multi_perform(l->multi, &still);
		uselocale(old);
		now = now_secs();
		while ((m = curl_multi_info_read(l->multi, &left)) != NULL)
			if (m->msg == CURLMSG_DONE)
				finish(l, m->easy_handle, m->data.result, now);
		flush(l, now, 0);
	}
	flush(l, now_secs(), 1);
	return NULL;
}

int
loop_start(struct loop *l)
{
	int	rc;

	if ((rc = pthread_create(&l->thread, NULL, loop_main, l)) != 0) {
		errno = rc;
		return -1;
	}
	l->started = 1;
	return 0;
}

/* The worker's hosts with the most failures into ret->top. */
static void
top_hosts(struct loop *l, struct loop_stats *ret)
{
	char		names[LOOP_TOP_HOSTS][sizeof(ret->top[0].name)];
	unsigned long	counts[LOOP_TOP_HOSTS];
	size_t		n, i;

	n = hosts_top(l->hosts, LOOP_TOP_HOSTS, names[0], sizeof(names[0]),
	    counts);
	for (i = 0; i < n; i++) {
		memcpy(ret->top[i].name, names[i], sizeof(names[i]));
		ret->top[i].failures = counts[i];
	}
}

void
loop_join(struct loop *l, struct loop_stats *ret)
{
	if (l->started)
		pthread_join(l->thread, NULL);
	l->started = 0;
	*ret = l->stats;
	top_hosts(l, ret);
}

void
loop_free(struct loop *l)
{
	struct job	*j;
	int		 i;

	if (l == NULL)
		return;
	while ((j = STAILQ_FIRST(&l->inbox)) != NULL) {
		STAILQ_REMOVE_HEAD(&l->inbox, entry);
		free(j->url);
		free(j);
	}
	hosts_free(l->hosts);
	while (l->npool > 0)
		curl_easy_cleanup(l->pool[--l->npool]);
	if (l->multi != NULL)
		curl_multi_cleanup(l->multi);
	for (i = 0; i < WRITER__MAX; i++)
		buf_free(&l->out[i]);
	pthread_cond_destroy(&l->space);
	pthread_mutex_destroy(&l->mu);
	free(l);
}
