/*
 * Per-host politeness inside one worker: each host's queue of URLs, its
 * transfers in flight, its token bucket and its not-before time, and the
 * order in which hosts become ready.  No locks: a host belongs to exactly
 * one worker.  Pure: no I/O.
 */
#ifndef TRAWL_HOST_H
#define TRAWL_HOST_H

#include <stddef.h>

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

/* One URL to fetch.  The worker owns it from hosts_push() on. */
struct job {
	STAILQ_ENTRY(job)	 entry;
	char			*url;		/* normalised; owned */
	struct host		*host;		/* set by hosts_push() */
	int			 attempts;	/* fetches started so far */
};

struct hosts;

/*
 * The hosts of one worker: at most per_host transfers in flight to each,
 * starts at most rate per second (0: unlimited).  NULL if out of memory.
 */
struct hosts	*hosts_new(int per_host, double rate);

/*
 * Queue j for host name (created on first use).  Returns 0, or -1 if out
 * of memory (j is then still the caller's).
 */
int		 hosts_push(struct hosts *hs, const char *name, struct job *j,
		    double now);

/*
 * The next job that may start now, its host's token taken and its
 * in-flight count raised; NULL if none may start now.  Hosts take turns.
 */
struct job	*hosts_next(struct hosts *hs, double now);

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

/* The host's name, as given to hosts_push(). */
const char	*host_name(const struct host *h);

/*
 * Take every queued job of every host, in no set order, to be disposed of
 * by the caller (at shutdown).  NULL when none is left.
 */
struct job	*hosts_drain(struct hosts *hs);

/* Free all hosts; jobs still queued are freed with their URLs. */
void		 hosts_free(struct hosts *hs);

#endif
