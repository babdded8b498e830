/*
 * One worker: a thread running a libcurl multi loop over the hosts that
 * hash to it, admitting transfers as politeness allows, and turning each
 * finished transfer into a record for the writer.
 */
#ifndef TRAWL_LOOP_H
#define TRAWL_LOOP_H

#include <stdatomic.h>
#include <stddef.h>

#include "fetch.h"
#include "state.h"
#include "writer.h"

/* What all workers share: settings, read-only, and two counters. */
struct loop_shared {
	struct fetch_opts	 fetch;
	int			 jobs;		/* transfers in flight, in all */
	int			 per_host;
	double			 rate;		/* starts per second per host */
	size_t			 min_words;
	int			 retries;	/* of transient failures */
	int			 robots;	/* fetch and obey robots.txt */
	int			 state;		/* make rows for the state */
	const char		*source;	/* records' source field */
	struct writer		*writer;
	atomic_int		 inflight;	/* transfers running, in all */
	atomic_int		 stop;		/* 1: stop after a grace, 2: now */
	atomic_ulong		 done;		/* URLs with a record, for */
	atomic_ulong		 failed;	/* the progress line */
};

#define LOOP_TOP_HOSTS	10	/* hosts named in the failure ranking */

/* A host and how many of its URLs failed. */
struct loop_host_count {
	char		 name[256];
	unsigned long	 failures;
};

/* Per-worker counts, summed by the caller at the end. */
struct loop_stats {
	unsigned long		 docs;
	unsigned long		 empty;		/* empty_text records */
	unsigned long		 interrupted;
	unsigned long		 robots;	/* URLs robots.txt disallows */
	unsigned long		 retries;	/* fetches started again */
	unsigned long		 not_modified;	/* 304 to a conditional GET */
	unsigned long		 unchanged;	/* same text as last time */
	unsigned long		 errors[FETCH__MAX];
	unsigned long long	 bytes;		/* body bytes received */
	struct loop_host_count	 top[LOOP_TOP_HOSTS]; /* most failures first */
};

struct loop;

/* A worker, not yet running.  NULL if out of memory. */
struct loop	*loop_new(struct loop_shared *sh);

/* Start its thread.  Returns 0, or -1 with errno set. */
int		 loop_start(struct loop *l);

/*
 * Hand the worker a URL (normalised) and its host (from urlsrc_host()),
 * with what the state knows of its last fetch (NULL: nothing), for a
 * conditional request.  Blocks while the worker has TRAWL_PENDING_MAX
 * URLs on hand.  Copies what it keeps.  Returns 0, or -1 if out of memory.
 */
int		 loop_push(struct loop *l, const char *url, const char *host,
		    const struct state_url *prev);

/* No more URLs will come: the thread ends when the last one is done. */
void		 loop_close(struct loop *l);

/* Wait for the thread to end and copy its counts to *ret. */
void		 loop_join(struct loop *l, struct loop_stats *ret);

void		 loop_free(struct loop *l);

/*
 * For fetch_opts.redirect_ok (priv: a loop's job): 0 for a redirect to a
 * URL of the job's own host that its robots.txt disallows, else 1.
 */
int		 loop_redirect_ok(void *priv, const char *url);

#endif
