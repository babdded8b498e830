/*
 * The writer thread: the only code that touches output files.  Workers
 * hand it whole lines in batches; it never makes them wait.
 */
#ifndef TRAWL_WRITER_H
#define TRAWL_WRITER_H

#include <stddef.h>

#include "buf.h"

enum writer_stream {
	WRITER_CORPUS,
	WRITER_ERRORS,
	WRITER_STATE,		/* rows made by state_row(), with --state */
	WRITER__MAX
};

enum writer_status {
	WRITER_OK,
	WRITER_EPIPE,		/* stdout's reader went away */
	WRITER_EIO,		/* a write, flush, fsync or rename failed */
	WRITER__STATUS_MAX
};

struct writer;

struct writer_opts {
	const char	*corpus;	/* path, or NULL or "-": stdout */
	const char	*errors;	/* path, or NULL: dropped */
	const char	*state;		/* state database, or NULL */
	long long	 split;		/* corpus bytes per file, 0: one file */
};

/*
 * Start the writer thread.  corpus is a path, or NULL or "-" for standard
 * output; errors is a path, "-" for standard output, or NULL to drop error
 * records.  A path ending in ".zst" or ".gz" is compressed.  A path that
 * names a regular file or nothing is written under a temporary name
 * (DIR/.NAME.XXXXXX, mode 0666 less the umask) and renamed when
 * writer_close() succeeds; a path that names anything else (a terminal,
 * a FIFO, /dev/full) or starts with /dev/fd/, /dev/std or /proc/ is
 * opened and appended to in place.  Call it before other threads create
 * files (it reads the umask).  Returns NULL with a message in *ret_err
 * (caller frees) on failure, e.g. when the directory is not writable.
 */
struct writer	*writer_new(const char *corpus, const char *errors,
		    char **ret_err);

/*
 * The same with every option.  With a state database, output files are
 * appended to in place, in batches recorded in the state before they are
 * written (state.h says why), each batch a whole zstd frame or gzip
 * member when compressed; a file left by a killed run is first cut back
 * to its last whole batch.  With split, the corpus goes to files named
 * NAME-000001.EXT, NAME-000002.EXT, ... of about split bytes of JSONL
 * each, every one complete on its own.
 */
struct writer	*writer_open(const struct writer_opts *o, char **ret_err);

/*
 * Queue the whole lines in b for stream s; takes b's bytes (b is left
 * empty).  Thread-safe; never blocks on I/O, and never refuses for lack
 * of room: callers check writer_congested() before taking on more work.
 * Bytes for a stream with no sink (errors NULL) are dropped.  Returns 0,
 * or -1 when the writer has failed (the bytes are dropped; see
 * writer_status()).  Plain output to a terminal or pipe is written as
 * soon as the queue is empty.
 */
int		 writer_put(struct writer *w, enum writer_stream s,
		    struct buf *b);

/*
 * Queue the lines of every stream at once (b is an array of WRITER__MAX
 * buffers), so that they reach the files and the state in one batch.
 * Takes their bytes.  Returns as writer_put().
 */
int		 writer_put_all(struct writer *w, struct buf *b);

/* Nonzero when more than TRAWL_WRITER_QUEUE bytes wait to be written. */
int		 writer_congested(struct writer *w);

/* WRITER_OK, or why output failed; errno-style detail in *ret_errno. */
enum writer_status writer_status(struct writer *w, int *ret_errno);

/*
 * Write everything queued, finish compression, fsync and rename files
 * to their final names, join the thread and free w.  Returns the final
 * status; on failure no file is left under its final name and a message
 * is stored in *ret_err (caller frees).
 */
enum writer_status writer_close(struct writer *w, char **ret_err);

/*
 * Throw away w without renaming anything: the thread stops without
 * draining, temporary files are removed.  writer_abort(NULL) does nothing.
 */
void		 writer_abort(struct writer *w);

#endif
