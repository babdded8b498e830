/*
 * The state database (SQLite, WAL): each URL's last outcome, its ETag,
 * Last-Modified and text hash, and where each batch of records went in
 * the output files, so that a killed run can be resumed exactly.  One
 * struct state per thread: the reader looks URLs up, the writer thread
 * records batches.
 */
#ifndef TRAWL_STATE_H
#define TRAWL_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"

#define STATE_VALIDATOR_MAX	256	/* bytes of an ETag or a date kept */

/* A URL's last outcome, as looked up. */
struct state_url {
	char		 outcome[32];	/* "document", "not_modified", kind */
	int		 transient;	/* a failure that may pass */
	time_t		 at;		/* when it was recorded */
	uint64_t	 text_hash;	/* 0 if none */
	char		 etag[STATE_VALIDATOR_MAX];
	char		 last_modified[STATE_VALIDATOR_MAX];
};

struct state;

/*
 * Open (and create) the database at path.  Returns NULL with a message in
 * *ret_err (caller frees).
 */
struct state	*state_open(const char *path, char **ret_err);

/* The message of the last failure, for the caller's own. */
const char	*state_errmsg(struct state *st);

/*
 * Look url[0..len) up.  Returns 1 and fills *ret, 0 if it has no outcome,
 * -1 on a database error.
 */
int		 state_lookup(struct state *st, const char *url, size_t len,
		    struct state_url *ret);

/*
 * Bring an output file back to the last batch that reached it whole: a
 * batch the state says was going to path but which is not all there is
 * cut off and its URLs forgotten; bytes past the last batch are cut off.
 * Returns the file's length to append at (0 if it does not exist), or -1.
 */
long long	 state_reconcile(struct state *st, const char *path);

/*
 * A batch: the outcomes in rows (lines made by state_row()) and the
 * byte ranges [start, end) the records take in up to two files (NULL
 * path: none).  Recorded, with the previous batch marked done, in one
 * transaction.  Returns 0 or -1.
 */
struct state_range {
	const char	*path;
	long long	 start, end;
};

int		 state_batch(struct state *st, const char *rows, size_t len,
		    const struct state_range *r, size_t nr);

/* Mark the last batch done: its bytes are all written.  0 or -1. */
int		 state_done(struct state *st);

/*
 * Append one outcome as a row for state_batch().  url is any bytes (a
 * bad input line too); etag and last_modified may be NULL.  Returns 0 or
 * -1 (b's cap).
 */
int		 state_row(struct buf *b, const char *url, size_t len,
		    const char *outcome, int transient, time_t at,
		    uint64_t text_hash, const char *etag,
		    const char *last_modified);

void		 state_close(struct state *st);

#endif
