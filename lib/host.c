/*
 * Per-host politeness: queues, in-flight counts, token buckets, and the
 * ready list and timer heap that decide which host goes next.
 */
#include <stdlib.h>
#include <string.h>

#include <sys/queue.h>
/* libbsd's cdefs.h leaves __unused out; its tree.h still uses it. */
#ifndef __unused
#define __unused	__attribute__((__unused__))
#endif
#include <sys/tree.h>

#include "caps.h"
#include "host.h"
#include "robots.h"

void
tbucket_init(struct tbucket *tb, double rate, double burst, double now)
{
	tb->rate = rate;
	tb->burst = burst < 1 ? 1 : burst;
	tb->tokens = tb->burst;
	tb->last = now;
}

static void
tbucket_refill(struct tbucket *tb, double now)
{
	if (now > tb->last) {
		tb->tokens += (now - tb->last) * tb->rate;
		if (tb->tokens > tb->burst)
			tb->tokens = tb->burst;
		tb->last = now;
	}
}

double
tbucket_wait(struct tbucket *tb, double now)
{
	if (tb->rate <= 0)
		return 0;
	tbucket_refill(tb, now);
	/* Allow for rounding: 0.2 s at 5/s must make a whole token. */
	if (tb->tokens >= 1 - 1e-9)
		return 0;
	return (1 - tb->tokens) / tb->rate;
}

void
tbucket_take(struct tbucket *tb, double now)
{
	if (tb->rate <= 0)
		return;
	tbucket_refill(tb, now);
	tb->tokens -= 1;
}

enum robots_state {
	ROBOTS_NONE,		/* not asked for yet */
	ROBOTS_FETCHING,
	ROBOTS_DONE,		/* rules known, or none wanted */
};

enum host_state {
	HOST_IDLE,	/* nothing queued, or full: in no list */
	HOST_READY,	/* in hs->ready */
	HOST_TIMED,	/* in hs->heap until wake */
};

struct host {
	RB_ENTRY(host)		 node;
	TAILQ_ENTRY(host)	 ready;
	STAILQ_HEAD(, job)	 queue;
	char			*name;
	size_t			 nqueued;
	int			 inflight;
	enum host_state		 state;
	size_t			 heapidx;	/* in hs->heap when TIMED */
	double			 wake;		/* when TIMED */
	double			 not_before;
	struct tbucket		 tb;
	enum robots_state	 rstate;
	struct robots		*robots;	/* NULL: allow all */
	int			 fails;		/* in a row */
	int			 robots_tries;	/* robots.txt fetches started */
	unsigned long		 failures;	/* URLs failed, in all */
	int			 dead;
	int			 dead_code;
	char			 dead_why[256];
};

static int
host_cmp(struct host *a, struct host *b)
{
	return strcmp(a->name, b->name);
}

RB_HEAD(host_tree, host);
RB_GENERATE_STATIC(host_tree, host, node, host_cmp)

struct hosts {
	struct host_tree	 tree;
	TAILQ_HEAD(, host)	 ready;
	STAILQ_HEAD(, job)	 rejects;	/* need only a record */
	struct host		**heap;		/* min-heap on wake */
	size_t			 nheap, heapcap;
	size_t			 nqueued;
	int			 per_host;
	double			 rate;
	int			 robots;	/* fetch robots.txt first */
};

struct hosts *
hosts_new(int per_host, double rate, int robots)
{
	struct hosts	*hs;

	if ((hs = calloc(1, sizeof(*hs))) == NULL)
		return NULL;
	RB_INIT(&hs->tree);
	TAILQ_INIT(&hs->ready);
	STAILQ_INIT(&hs->rejects);
	hs->per_host = per_host < 1 ? 1 : per_host;
	hs->rate = rate;
	hs->robots = robots;
	return hs;
}

static void
heap_swap(struct hosts *hs, size_t a, size_t b)
{
	struct host	*t = hs->heap[a];

	hs->heap[a] = hs->heap[b];
	hs->heap[b] = t;
	hs->heap[a]->heapidx = a;
	hs->heap[b]->heapidx = b;
}

static void
heap_up(struct hosts *hs, size_t i)
{
	while (i > 0 && hs->heap[(i - 1) / 2]->wake > hs->heap[i]->wake) {
		heap_swap(hs, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
heap_down(struct hosts *hs, size_t i)
{
	for (;;) {
		size_t	l = 2 * i + 1, r = l + 1, m = i;

		if (l < hs->nheap && hs->heap[l]->wake < hs->heap[m]->wake)
			m = l;
		if (r < hs->nheap && hs->heap[r]->wake < hs->heap[m]->wake)
			m = r;
		if (m == i)
			return;
		heap_swap(hs, i, m);
		i = m;
	}
}

static int
heap_push(struct hosts *hs, struct host *h)
{
	if (hs->nheap == hs->heapcap) {
		size_t		 ncap = hs->heapcap ? hs->heapcap * 2 : 64;
		struct host	**n;

		if ((n = reallocarray(hs->heap, ncap, sizeof(*n))) == NULL)
			return -1;
		hs->heap = n;
		hs->heapcap = ncap;
	}
	h->heapidx = hs->nheap;
	hs->heap[hs->nheap++] = h;
	heap_up(hs, h->heapidx);
	return 0;
}

static void
heap_remove(struct hosts *hs, struct host *h)
{
	size_t	i = h->heapidx;

	if (i != --hs->nheap) {
		heap_swap(hs, i, hs->nheap);
		heap_down(hs, i);
		heap_up(hs, i);
	}
}

/* The path and query of a normalised URL, as robots.txt rules see it. */
static const char *
path_of(const char *url)
{
	const char	*p = strstr(url, "://");

	if (p == NULL || (p = strchr(p + 3, '/')) == NULL)
		return "/";
	return p;
}

/* Seconds until h may start a transfer, by its bucket and not-before. */
static double
host_wait(struct host *h, double now)
{
	double	wait = tbucket_wait(&h->tb, now);

	if (h->not_before - now > wait)
		wait = h->not_before - now;
	/* A wait too small to move the clock is no wait. */
	return now + wait > now ? wait : 0;
}

/*
 * Put h in the list its state calls for now.  A host that may go on at
 * once goes to the front of the ready list when front is set: a host is
 * then served until its queue or its limits stop it, and its connections
 * are used again before libcurl's cache forgets them.
 */
static void
host_place(struct hosts *hs, struct host *h, double now, int front)
{
	double	wait;

	if (h->state == HOST_READY)
		TAILQ_REMOVE(&hs->ready, h, ready);
	else if (h->state == HOST_TIMED)
		heap_remove(hs, h);
	h->state = HOST_IDLE;
	if (h->nqueued == 0 || h->rstate == ROBOTS_FETCHING ||
	    h->inflight >= hs->per_host)
		return;
	if ((wait = host_wait(h, now)) > 0) {
		h->wake = now + wait;
		/* Out of memory here: ready instead, once; a rate slip only. */
		if (heap_push(hs, h) == 0) {
			h->state = HOST_TIMED;
			return;
		}
	}
	if (front)
		TAILQ_INSERT_HEAD(&hs->ready, h, ready);
	else
		TAILQ_INSERT_TAIL(&hs->ready, h, ready);
	h->state = HOST_READY;
}

static void
host_schedule(struct hosts *hs, struct host *h, double now)
{
	host_place(hs, h, now, 0);
}

/* Queue j, counted in hs->nqueued already, to come out as kind. */
static void
reject(struct hosts *hs, struct job *j, enum job_kind kind)
{
	j->kind = kind;
	STAILQ_INSERT_TAIL(&hs->rejects, j, entry);
}

int
host_allows(const struct host *h, const char *url)
{
	const char	*p = path_of(url);

	return h->robots == NULL || robots_allowed(h->robots, p, strlen(p));
}

int
hosts_push(struct hosts *hs, const char *name, struct job *j, double now)
{
	struct host	 key, *h;

	key.name = (char *)name;
	if ((h = RB_FIND(host_tree, &hs->tree, &key)) == NULL) {
		if ((h = calloc(1, sizeof(*h))) == NULL)
			return -1;
		if ((h->name = strdup(name)) == NULL) {
			free(h);
			return -1;
		}
		STAILQ_INIT(&h->queue);
		tbucket_init(&h->tb, hs->rate, 1, now);
		h->rstate = hs->robots ? ROBOTS_NONE : ROBOTS_DONE;
		RB_INSERT(host_tree, &hs->tree, h);
	}
	j->host = h;
	j->kind = JOB_PAGE;
	hs->nqueued++;
	if (h->dead)
		reject(hs, j, JOB_DEAD);
	else if (h->rstate == ROBOTS_DONE && !host_allows(h, j->url))
		reject(hs, j, JOB_DISALLOWED);
	else {
		STAILQ_INSERT_TAIL(&h->queue, j, entry);
		h->nqueued++;
		if (h->state == HOST_IDLE)
			host_schedule(hs, h, now);
	}
	return 0;
}

/*
 * Move h's queued jobs that kind applies to (all of them for JOB_DEAD)
 * to the rejects.
 */
static void
reject_queued(struct hosts *hs, struct host *h, enum job_kind kind,
    double now)
{
	struct job	*j, *prev = NULL, *next;

	for (j = STAILQ_FIRST(&h->queue); j != NULL; j = next) {
		next = STAILQ_NEXT(j, entry);
		if (kind == JOB_DISALLOWED && host_allows(h, j->url)) {
			prev = j;
			continue;
		}
		if (prev == NULL)
			STAILQ_REMOVE_HEAD(&h->queue, entry);
		else
			STAILQ_REMOVE_AFTER(&h->queue, prev, entry);
		h->nqueued--;
		reject(hs, j, kind);
	}
	host_schedule(hs, h, now);
}

struct job *
hosts_next(struct hosts *hs, double now)
{
	struct host	*h;
	struct job	*j;

	if ((j = STAILQ_FIRST(&hs->rejects)) != NULL) {
		STAILQ_REMOVE_HEAD(&hs->rejects, entry);
		hs->nqueued--;
		return j;
	}
	while (hs->nheap > 0 && hs->heap[0]->wake <= now)
		host_schedule(hs, hs->heap[0], now);
	for (;;) {
		if ((h = TAILQ_FIRST(&hs->ready)) == NULL)
			return NULL;
		/* A host may have been ready a while: check its time again. */
		if (host_wait(h, now) == 0)
			break;
		host_schedule(hs, h, now);
		if (h->state == HOST_READY)	/* no memory for the heap */
			return NULL;
	}
	if (h->rstate == ROBOTS_NONE) {
		if ((j = calloc(1, sizeof(*j))) == NULL) {
			host_schedule(hs, h, now);
			return NULL;
		}
		j->kind = JOB_ROBOTS;
		j->host = h;
		/* The job is new each try: the host keeps the count. */
		j->attempts = h->robots_tries++;
		h->rstate = ROBOTS_FETCHING;
		h->inflight++;
		tbucket_take(&h->tb, now);
		host_schedule(hs, h, now);
		return j;
	}
	j = STAILQ_FIRST(&h->queue);
	STAILQ_REMOVE_HEAD(&h->queue, entry);
	h->nqueued--;
	hs->nqueued--;
	j->kind = JOB_PAGE;
	h->inflight++;
	tbucket_take(&h->tb, now);
	host_place(hs, h, now, 1);
	return j;
}

void
hosts_robots(struct hosts *hs, struct host *h, struct robots *r, double now)
{
	double	delay;

	if (h->robots != NULL)
		robots_free(h->robots);
	h->robots = r;
	h->rstate = ROBOTS_DONE;
	if (r != NULL && (delay = robots_delay(r)) > 0 &&
	    (h->tb.rate <= 0 || 1 / delay < h->tb.rate)) {
		/* Unlimited until now, the robots.txt fetch took no token. */
		if (h->tb.rate <= 0) {
			h->tb.tokens = 0;
			h->tb.last = now;
		}
		h->tb.rate = 1 / delay;
	}
	if (r != NULL)
		reject_queued(hs, h, JOB_DISALLOWED, now);
	else
		host_schedule(hs, h, now);
}

void
hosts_robots_again(struct hosts *hs, struct host *h, double t, double now)
{
	h->rstate = ROBOTS_NONE;
	hosts_delay(hs, h, t, now);
}

void
hosts_retry(struct hosts *hs, struct job *j, double t, double now)
{
	struct host	*h = j->host;

	STAILQ_INSERT_HEAD(&h->queue, j, entry);
	h->nqueued++;
	hs->nqueued++;
	hosts_delay(hs, h, t, now);
}

int
host_failed(struct hosts *hs, struct host *h, int down, int code,
    const char *why, double now)
{
	if (!down) {
		h->fails = 0;
		return h->dead;
	}
	if (++h->fails >= TRAWL_HOST_FAILS && !h->dead)
		hosts_kill(hs, h, code, why, now);
	return h->dead;
}

void
hosts_kill(struct hosts *hs, struct host *h, int code, const char *why,
    double now)
{
	if (h->dead)
		return;
	h->dead = 1;
	h->dead_code = code;
	strlcpy(h->dead_why, why, sizeof(h->dead_why));
	if (h->rstate == ROBOTS_FETCHING)
		h->rstate = ROBOTS_DONE;
	reject_queued(hs, h, JOB_DEAD, now);
}

int
host_dead_code(const struct host *h)
{
	return h->dead_code;
}

const char *
host_dead_why(const struct host *h)
{
	return h->dead_why;
}

const char *
host_first_url(const struct host *h)
{
	struct job	*j = STAILQ_FIRST(&h->queue);

	return j != NULL ? j->url : NULL;
}

void
hosts_done(struct hosts *hs, struct host *h, double now)
{
	if (h->inflight > 0)
		h->inflight--;
	if (h->state == HOST_IDLE)
		host_place(hs, h, now, 1);
}

void
hosts_delay(struct hosts *hs, struct host *h, double t, double now)
{
	if (t > h->not_before)
		h->not_before = t;
	host_schedule(hs, h, now);
}

double
hosts_wait(struct hosts *hs, double now)
{
	if (!TAILQ_EMPTY(&hs->ready) || !STAILQ_EMPTY(&hs->rejects))
		return 0;
	if (hs->nheap == 0)
		return -1;
	return hs->heap[0]->wake > now ? hs->heap[0]->wake - now : 0;
}

size_t
hosts_queued(const struct hosts *hs)
{
	return hs->nqueued;
}

void
host_count_failure(struct host *h)
{
	h->failures++;
}

size_t
hosts_top(const struct hosts *hs, size_t n, char *names, size_t namesz,
    unsigned long *counts)
{
	struct host	*h;
	size_t		 used = 0, i;

	/* Insertion into a short sorted array: n is small. */
	RB_FOREACH(h, host_tree, (struct host_tree *)&hs->tree) {
		if (h->failures == 0 ||
		    (used == n && counts[n - 1] >= h->failures))
			continue;
		if (used < n)
			used++;
		for (i = used - 1; i > 0 && counts[i - 1] < h->failures; i--) {
			counts[i] = counts[i - 1];
			memcpy(names + i * namesz, names + (i - 1) * namesz,
			    namesz);
		}
		counts[i] = h->failures;
		strlcpy(names + i * namesz, h->name, namesz);
	}
	return used;
}

const char *
host_name(const struct host *h)
{
	return h->name;
}

struct job *
hosts_drain(struct hosts *hs)
{
	struct host	*h;
	struct job	*j;

	if ((j = STAILQ_FIRST(&hs->rejects)) != NULL) {
		STAILQ_REMOVE_HEAD(&hs->rejects, entry);
		hs->nqueued--;
		return j;
	}
	RB_FOREACH(h, host_tree, &hs->tree) {
		if ((j = STAILQ_FIRST(&h->queue)) == NULL)
			continue;
		STAILQ_REMOVE_HEAD(&h->queue, entry);
		h->nqueued--;
		hs->nqueued--;
		if (h->nqueued == 0)
			host_schedule(hs, h, 0);
		return j;
	}
	return NULL;
}

void
hosts_free(struct hosts *hs)
{
	struct host	*h, *next;
	struct job	*j;

	if (hs == NULL)
		return;
	RB_FOREACH_SAFE(h, host_tree, &hs->tree, next) {
		RB_REMOVE(host_tree, &hs->tree, h);
		while ((j = STAILQ_FIRST(&h->queue)) != NULL) {
			STAILQ_REMOVE_HEAD(&h->queue, entry);
			free(j->url);
			free(j);
		}
		if (h->robots != NULL)
			robots_free(h->robots);
		free(h->name);
		free(h);
	}
	while ((j = STAILQ_FIRST(&hs->rejects)) != NULL) {
		STAILQ_REMOVE_HEAD(&hs->rejects, entry);
		free(j->url);
		free(j);
	}
	free(hs->heap);
	free(hs);
}
