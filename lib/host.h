/*
 * Per-host politeness inside one worker: each host's queue of URLs, its
 * transfers in flight, its token bucket and its not-before time, and the
 * order in which hosts become ready.  No locks: a host belongs to exactly
 * one worker.  Pure: no I/O.
 */
#ifndef TRAWL_HOST_H
#define TRAWL_HOST_H

#include <stddef.h>
#include <stdint.h>

#include <sys/queue.h>

/*
 * A token bucket: at most burst starts at once, refilled at rate tokens
 * per second.  rate 0 means no limit.  Times are seconds on a monotonic
 * clock.  Members are private to host.c.
 */
struct tbucket {
	double	rate;
	double	burst;
	double	tokens;
	double	last;
};

void	tbucket_init(struct tbucket *tb, double rate, double burst, double now);

/* Seconds until a token is there (0 if one is there now). */
double	tbucket_wait(struct tbucket *tb, double now);

/* Take a token; call only when tbucket_wait() returned 0. */
void	tbucket_take(struct tbucket *tb, double now);

struct host;
struct robots;

enum job_kind {
	JOB_PAGE,
	JOB_ROBOTS,		/* the host's robots.txt; url is NULL */
	JOB_DISALLOWED,		/* a page robots.txt keeps us from */
	JOB_DEAD,		/* a page of a host that stopped answering */
	JOB__MAX
};

/* One URL to fetch.  The worker owns it from hosts_push() on. */
struct job {
	STAILQ_ENTRY(job)	 entry;
	char			*url;		/* normalised; owned */
	struct host		*host;		/* set by hosts_push() */
	int			 attempts;	/* fetches started so far */
	enum job_kind		 kind;		/* set by hosts_next() */
	uint64_t		 text_hash;	/* of the last fetch, or 0 */
	LIST_ENTRY(job)		 live;		/* the caller's, in flight */
	void			*fetch;		/* the caller's, in flight */
};

struct hosts;

/*
 * The hosts of one worker: at most per_host transfers in flight to each,
 * starts at most rate per second (0: unlimited).  With robots set, a
 * host's robots.txt is fetched before its pages.  NULL if out of memory.
 */
struct hosts	*hosts_new(int per_host, double rate, int robots);

/*
 * Queue j for host name (created on first use).  Returns 0, or -1 if out
 * of memory (j is then still the caller's).
 */
int		 hosts_push(struct hosts *hs, const char *name, struct job *j,
		    double now);

/*
 * The next job that may start now, its host's token taken and its
 * in-flight count raised; NULL if none may start now.  Hosts take turns.
 * The job's kind says what to do: JOB_PAGE and JOB_ROBOTS are to be
 * fetched (hosts_done() after); JOB_DISALLOWED and JOB_DEAD are not, took
 * no token and count nothing in flight.  A JOB_ROBOTS job is new: free it
 * with free(3); its URL is the robots.txt of host_first_url().
 */
struct job	*hosts_next(struct hosts *hs, double now);

/*
 * The rules of h's robots.txt are r (hs takes it; NULL: no rules).  Its
 * Crawl-delay lowers the host's rate, never raises it.
 */
void		 hosts_robots(struct hosts *hs, struct host *h,
		    struct robots *r, double now);

/* Fetch h's robots.txt again, not before time t. */
void		 hosts_robots_again(struct hosts *hs, struct host *h,
		    double t, double now);

/*
 * Fetch j again at the head of its host's queue, not before time t.
 * Call hosts_done() for its last attempt first.
 */
void		 hosts_retry(struct hosts *hs, struct job *j, double t,
		    double now);

/*
 * A fetch to h failed for want of the host itself (down nonzero: refused,
 * DNS, TLS) or ended otherwise.  Returns 1 once TRAWL_HOST_FAILS such
 * failures came in a row: h is then dead, as after hosts_kill().
 */
int		 host_failed(struct hosts *hs, struct host *h, int down,
		    int code, const char *why, double now);

/*
 * Give up on h: its queued jobs come out of hosts_next() as JOB_DEAD at
 * once.  code and why (copied) are the caller's, kept for their records.
 */
void		 hosts_kill(struct hosts *hs, struct host *h, int code,
		    const char *why, double now);

/* What ended a dead host: the code and detail given to hosts_kill(). */
int		 host_dead_code(const struct host *h);
const char	*host_dead_why(const struct host *h);

/* A URL of the host's queue (for its robots.txt), or NULL. */
const char	*host_first_url(const struct host *h);

/* A job's transfer ended: lower its host's in-flight count. */
void		 hosts_done(struct hosts *hs, struct host *h, double now);

/* Let no transfer start to h before time t (Retry-After, backoff). */
void		 hosts_delay(struct hosts *hs, struct host *h, double t,
		    double now);

/*
 * Seconds until a waiting host becomes ready, 0 if one is ready now, or
 * -1 if no host has queued work that time alone will release.
 */
double		 hosts_wait(struct hosts *hs, double now);

/* Jobs queued and not yet started, over all hosts. */
size_t		 hosts_queued(const struct hosts *hs);

/* Count a failed URL of h, for hosts_top(). */
void		 host_count_failure(struct host *h);

/*
 * The n hosts with the most failed URLs, most first, into names[] (each
 * namesz bytes) and counts[]; returns how many were filled.
 */
size_t		 hosts_top(const struct hosts *hs, size_t n, char *names,
		    size_t namesz, unsigned long *counts);

/* The host's name, as given to hosts_push(). */
const char	*host_name(const struct host *h);

/*
 * Whether the host's robots.txt allows url, a normalised URL of that
 * host (yes while it has no rules).
 */
int		 host_allows(const struct host *h, const char *url);

/*
 * Take every queued job of every host, in no set order, to be disposed of
 * by the caller (at shutdown): JOB_DISALLOWED and JOB_DEAD ones as from
 * hosts_next(), the others JOB_PAGE.  NULL when none is left.
 */
struct job	*hosts_drain(struct hosts *hs);

/* Free all hosts; jobs still queued are freed with their URLs. */
void		 hosts_free(struct hosts *hs);

#endif
