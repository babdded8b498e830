/*
 * The writer thread.  Workers hand over whole lines with writer_put(),
 * which only queues them; this thread alone writes, compresses, fsyncs
 * and renames.  Each stream has its FIFO of chunks, and a chunk is always
 * written whole before the next, so lines never interleave.
 *
 * A path that names a regular file (or nothing yet) is written under a
 * temporary name in the same directory and renamed when complete; a path
 * that names something else (a terminal, a pipe, /dev/full, /dev/stdout)
 * is written in place, since it cannot be replaced atomically anyway.
 */
#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "buf.h"
#include "caps.h"
#include "state.h"
#include "writer.h"

#define WRITER_OUTBUF	(128 * 1024)	/* bytes per write(2) */
#define WRITER_PIECE	(1024 * 1024 * 1024) /* most bytes per call */
#define WRITER_ZSTD_LEVEL 3
#define WRITER_GZ_LEVEL	Z_DEFAULT_COMPRESSION
#define WRITER_LINGER_NS (250 * 1000 * 1000) /* a batch gathers this long */

enum writer_comp {
	WRITER_PLAIN,
	WRITER_GZ,
	WRITER_ZST
};

struct chunk {
	STAILQ_ENTRY(chunk)	 entry;
	char			*data;	/* owned */
	size_t			 len;
};

STAILQ_HEAD(chunkq, chunk);

struct sink {
	struct chunkq	 queue;		/* guarded by w->lock */
	/* The rest is the writer thread's until it is joined. */
	int		 active;	/* 0: the stream's data is dropped */
	char		*name;		/* for messages; owned */
	char		*path;		/* final name, or NULL; owned */
	char		*tmp;		/* temporary name, or NULL; owned */
	int		 fd;		/* -1 when closed */
	int		 closefd;	/* 0 for standard output */
	int		 inplace;	/* not renamed: flush when idle */
	enum writer_comp comp;
	z_stream	 zs;
	int		 zsinit;
	ZSTD_CCtx	*zc;
	char		*out;		/* WRITER_OUTBUF bytes; owned */
	size_t		 outlen;
	/* With a state database: */
	int		 batched;	/* written a batch at a time */
	int		 seekable;	/* a regular file: batches by offset */
	long long	 off;		/* where the next batch goes */
	/* With --split: */
	char		*split;		/* the path given, NAME.EXT; owned */
	unsigned int	 splitno;	/* number of the current file */
	long long	 inlen;		/* JSONL bytes in the current file */
};

struct writer {
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	pthread_t	 thread;
	int		 started;
	/* Guarded by lock: */
	size_t		 queued;	/* bytes in all queues */
	int		 closing;	/* drain the queues, then stop */
	int		 aborting;	/* stop now */
	enum writer_status status;	/* first failure wins */
	int		 err;		/* its errno */
	int		 failsink;	/* its stream */
	struct sink	 sinks[WRITER__MAX];
	/* Set up before the thread starts, then the thread's: */
	struct state	*state;
	long long	 split;
};

/* Write all of p[0..n), through EINTR and short writes. */
static int
writer_full_write(int fd, const char *p, size_t n)
{
	ssize_t	 r;

	while (n > 0) {
		r = write(fd, p, n > WRITER_PIECE ? WRITER_PIECE : n);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0) {
			errno = EIO;
			return -1;
		}
		p += r;
		n -= r;
	}
	return 0;
}

static int
sink_flush(struct sink *s)
{
	if (s->outlen == 0)
		return 0;
	if (writer_full_write(s->fd, s->out, s->outlen) == -1)
		return -1;
	s->outlen = 0;
	return 0;
}

/* Make room in s->out for the compressor's next step. */
static int
sink_room(struct sink *s)
{
	if (s->outlen < WRITER_OUTBUF)
		return 0;
	return sink_flush(s);
}

static int
sink_put_plain(struct sink *s, const char *p, size_t n)
{
	if (n > WRITER_OUTBUF - s->outlen && sink_flush(s) == -1)
		return -1;
	if (n >= WRITER_OUTBUF)
		return writer_full_write(s->fd, p, n);
	memcpy(s->out + s->outlen, p, n);
	s->outlen += n;
	return 0;
}

/*
 * Feed the gzip stream; flush is Z_NO_FLUSH for data, Z_FINISH at the end.
 * zlib counts in uInt, so a huge chunk goes in by pieces.
 */
static int
sink_put_gz(struct sink *s, const char *p, size_t n, int flush)
{
	size_t	 piece;
	int	 rc;

	do {
		piece = n > WRITER_PIECE ? WRITER_PIECE : n;
		s->zs.next_in = (Bytef *)(uintptr_t)p;
		s->zs.avail_in = (uInt)piece;
		for (;;) {
			if (sink_room(s) == -1)
				return -1;
			s->zs.next_out = (Bytef *)s->out + s->outlen;
			s->zs.avail_out = WRITER_OUTBUF - s->outlen;
			rc = deflate(&s->zs, n > piece ? Z_NO_FLUSH : flush);
			s->outlen = WRITER_OUTBUF - s->zs.avail_out;
			if (rc == Z_STREAM_END)
				break;
			if (rc != Z_OK && rc != Z_BUF_ERROR) {
				errno = EIO;
				return -1;
			}
			if (flush != Z_FINISH && s->zs.avail_in == 0 &&
			    s->zs.avail_out > 0)
				break;
		}
		p += piece;
		n -= piece;
	} while (n > 0);
	return 0;
}

/* Feed the zstd stream; op is ZSTD_e_continue, or ZSTD_e_end at the end. */
static int
sink_put_zst(struct sink *s, const char *p, size_t n, ZSTD_EndDirective op)
{
	ZSTD_inBuffer	 in = { p, n, 0 };
	ZSTD_outBuffer	 ob;
	size_t		 left;

	for (;;) {
		if (sink_room(s) == -1)
			return -1;
		ob.dst = s->out;
		ob.size = WRITER_OUTBUF;
		ob.pos = s->outlen;
		left = ZSTD_compressStream2(s->zc, &ob, &in, op);
		s->outlen = ob.pos;
		if (ZSTD_isError(left)) {
			errno = ZSTD_getErrorCode(left) ==
			    ZSTD_error_memory_allocation ? ENOMEM : EIO;
			return -1;
		}
		if (op == ZSTD_e_end ? left == 0 : in.pos == in.size)
			return 0;
	}
}

static int
sink_put(struct sink *s, const char *p, size_t n)
{
	switch (s->comp) {
	case WRITER_GZ:
		return sink_put_gz(s, p, n, Z_NO_FLUSH);
	case WRITER_ZST:
		return sink_put_zst(s, p, n, ZSTD_e_continue);
	default:
		return sink_put_plain(s, p, n);
	}
}

/* End the compressed stream, write everything, fsync and close. */
static int
sink_finish(struct sink *s)
{
	struct stat	 st;
	int		 fd;

	/* Batches (with a state database) are whole frames already. */
	if (!s->batched && s->comp == WRITER_GZ &&
	    sink_put_gz(s, "", 0, Z_FINISH) == -1)
		return -1;
	if (!s->batched && s->comp == WRITER_ZST &&
	    sink_put_zst(s, "", 0, ZSTD_e_end) == -1)
		return -1;
	if (sink_flush(s) == -1)
		return -1;
	/* Terminals, pipes and devices have nothing to fsync. */
	if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    fsync(s->fd) == -1)
		return -1;
	if (s->closefd) {
		fd = s->fd;
		s->fd = -1;
		if (close(fd) == -1 && errno != EINTR)
			return -1;
	}
	return 0;
}

/* Close without finishing and remove the temporary file. */
static void
sink_discard(struct sink *s)
{
	struct chunk	*c;

	if (s->closefd && s->fd != -1)
		close(s->fd);
	s->fd = -1;
	if (s->tmp != NULL)
		unlink(s->tmp);
	while ((c = STAILQ_FIRST(&s->queue)) != NULL) {
		STAILQ_REMOVE_HEAD(&s->queue, entry);
		free(c->data);
		free(c);
	}
}

static void
sink_free(struct sink *s)
{
	if (s->zsinit)
		deflateEnd(&s->zs);
	ZSTD_freeCCtx(s->zc);
	free(s->out);
	free(s->name);
	free(s->path);
	free(s->tmp);
	free(s->split);
}

/* Record the first failure; the caller holds w->lock. */
static void
writer_fail_locked(struct writer *w, int stream, int err)
{
	if (w->status != WRITER_OK)
		return;
	w->status = err == EPIPE ? WRITER_EPIPE : WRITER_EIO;
	w->err = err;
	w->failsink = stream;
}

static void
writer_fail(struct writer *w, int stream, int err)
{
	pthread_mutex_lock(&w->lock);
	writer_fail_locked(w, stream, err);
	pthread_mutex_unlock(&w->lock);
}

/* The oldest chunk of any stream, corpus first; w->lock is held. */
static struct chunk *
writer_pop(struct writer *w, int *ret_stream)
{
	struct chunk	*c;
	int		 i;

	for (i = 0; i < WRITER__MAX; i++) {
		if ((c = STAILQ_FIRST(&w->sinks[i].queue)) != NULL) {
			STAILQ_REMOVE_HEAD(&w->sinks[i].queue, entry);
			*ret_stream = i;
			return c;
		}
	}
	return NULL;
}

/*
 * Output to a terminal or pipe goes out as soon as the queue runs dry, so
 * that `trawl | head -n 1` sees its line early.  Compressed streams and
 * temporary files wait for a full buffer.
 */
static void
writer_idle(struct writer *w)
{
	struct sink	*s;
	int		 i;

	for (i = 0; i < WRITER__MAX; i++) {
		s = &w->sinks[i];
		if (s->active && s->inplace && s->comp == WRITER_PLAIN &&
		    sink_flush(s) == -1) {
			writer_fail(w, i, errno);
			return;
		}
	}
}

static void	 writer_syncdir(const char *);
static int	 sink_open_state(struct sink *, struct state *, const char *,
		    char **);
static char	*split_name(const char *, unsigned int);
static int	 sink_mktemp(struct sink *, const char *, char **);

/*
 * --split: the current corpus file has its share; finish it (renamed to
 * its final name when written under a temporary one) and go on with the
 * next number.
 */
static int
sink_rotate(struct writer *w, struct sink *s)
{
	char	*next, *err = NULL;

	if (sink_finish(s) == -1)
		return -1;
	if (s->tmp != NULL) {
		if (rename(s->tmp, s->path) == -1)
			return -1;
		free(s->tmp);
		s->tmp = NULL;
		writer_syncdir(s->path);
	}
	if (s->comp == WRITER_GZ && deflateReset(&s->zs) != Z_OK) {
		errno = EIO;
		return -1;
	}
	if ((next = split_name(s->split, ++s->splitno)) == NULL)
		return -1;
	free(s->name);
	free(s->path);
	s->name = next;
	s->path = NULL;
	s->inlen = 0;
	s->off = 0;
	if (w->state != NULL)
		return sink_open_state(s, w->state, next, &err) == -1 ?
		    (free(err), -1) : 0;
	if ((s->path = strdup(next)) == NULL)
		return -1;
	if (sink_mktemp(s, next, &err) == -1) {
		free(err);
		return -1;
	}
	return 0;
}

/*
 * A batch's records for s as they go into the file: the lines themselves,
 * or one whole zstd frame or gzip member, so that a file cut back to a
 * batch boundary still decompresses.  *ret points into raw or enc.
 */
static int
encode(struct sink *s, const struct buf *raw, struct buf *enc,
    const char **ret, size_t *ret_len)
{
	size_t	bound, r;

	buf_reset(enc);
	switch (s->comp) {
	case WRITER_ZST:
		bound = ZSTD_compressBound(raw->len);
		if (buf_reserve(enc, bound) == -1)
			return -1;
		r = ZSTD_compress2(s->zc, enc->data, bound, raw->data, raw->len);
		if (ZSTD_isError(r)) {
			errno = EIO;
			return -1;
		}
		enc->len = r;
		break;
	case WRITER_GZ:
		if (raw->len > WRITER_PIECE || deflateReset(&s->zs) != Z_OK) {
			errno = EIO;
			return -1;
		}
		bound = deflateBound(&s->zs, raw->len);
		if (buf_reserve(enc, bound) == -1)
			return -1;
		s->zs.next_in = (Bytef *)raw->data;
		s->zs.avail_in = (uInt)raw->len;
		s->zs.next_out = (Bytef *)enc->data;
		s->zs.avail_out = (uInt)bound;
		if (deflate(&s->zs, Z_FINISH) != Z_STREAM_END) {
			errno = EIO;
			return -1;
		}
		enc->len = bound - s->zs.avail_out;
		break;
	default:
		*ret = raw->data;
		*ret_len = raw->len;
		return 0;
	}
	*ret = enc->data;
	*ret_len = enc->len;
	return 0;
}

static int
sink_write_batch(struct sink *s, const char *p, size_t n)
{
	ssize_t	r;

	if (!s->seekable)
		return writer_full_write(s->fd, p, n);
	while (n > 0) {
		r = pwrite(s->fd, p, n > WRITER_PIECE ? WRITER_PIECE : n, s->off);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			return -1;
		}
		p += r;
		n -= r;
		s->off += r;
	}
	return 0;
}

/*
 * With a state database: write one batch.  To files, the state learns of
 * the batch first and the bytes follow, synced; a kill between the two is
 * undone by the next start.  To a pipe the order is the other way round:
 * a record may then come twice, but never be lost.
 */
static void
writer_batch(struct writer *w, struct buf *raw, struct buf *enc)
{
	struct state_range	 r[WRITER__MAX];
	const char		*data[WRITER__MAX];
	size_t			 len[WRITER__MAX], nr = 0;
	struct sink		*s;
	int			 i, seekable = 1;

	/* Rotate before a batch, not after: no file is left empty. */
	s = &w->sinks[WRITER_CORPUS];
	if (w->split > 0 && s->inlen >= w->split && raw[WRITER_CORPUS].len > 0 &&
	    (state_done(w->state) == -1 || sink_rotate(w, s) == -1)) {
		writer_fail(w, WRITER_CORPUS, errno);
		return;
	}
	for (i = 0; i < WRITER_STATE; i++) {
		s = &w->sinks[i];
		len[i] = 0;
		if (!s->active || raw[i].len == 0)
			continue;
		if (encode(s, &raw[i], &enc[i], &data[i], &len[i]) == -1) {
			writer_fail(w, i, errno);
			return;
		}
		if (!s->seekable)
			seekable = 0;
		r[nr].path = s->name;
		r[nr].start = s->off;
		r[nr].end = s->off + len[i];
		nr++;
	}
	if (seekable && state_batch(w->state, raw[WRITER_STATE].data,
	    raw[WRITER_STATE].len, r, nr) == -1) {
		writer_fail(w, WRITER_STATE, EIO);
		return;
	}
	for (i = 0; i < WRITER_STATE; i++) {
		s = &w->sinks[i];
		if (len[i] == 0)
			continue;
		if (sink_write_batch(s, data[i], len[i]) == -1 ||
		    (s->seekable && fdatasync(s->fd) == -1)) {
			writer_fail(w, i, errno);
			return;
		}
		s->inlen += raw[i].len;
	}
	if (!seekable && state_batch(w->state, raw[WRITER_STATE].data,
	    raw[WRITER_STATE].len, NULL, 0) == -1) {
		writer_fail(w, WRITER_STATE, EIO);
		return;
	}
}

/* Move every queued chunk into raw[], one buffer per stream; lock held. */
static int
writer_gather(struct writer *w, struct buf *raw)
{
	struct chunk	*c;
	int		 i, rc = 0;

	for (i = 0; i < WRITER__MAX; i++) {
		while ((c = STAILQ_FIRST(&w->sinks[i].queue)) != NULL) {
			STAILQ_REMOVE_HEAD(&w->sinks[i].queue, entry);
			if (buf_add(&raw[i], c->data, c->len) == -1)
				rc = -1;
			w->queued -= c->len;
			free(c->data);
			free(c);
		}
	}
	return rc;
}

/* The thread's loop with a state database: a batch at a time. */
static void
writer_main_state(struct writer *w)
{
	struct buf	raw[WRITER__MAX], enc[WRITER__MAX];
	struct timespec	ts;
	int		i, ok;

	for (i = 0; i < WRITER__MAX; i++) {
		buf_init(&raw[i], SIZE_MAX / 2);
		buf_init(&enc[i], SIZE_MAX / 2);
	}
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->aborting && !w->closing && w->queued == 0)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->aborting || w->queued == 0)
			break;
		/* Let a batch gather: fewer transactions, fewer syncs. */
		if (!w->closing && w->queued < TRAWL_WRITER_QUEUE / 4) {
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += WRITER_LINGER_NS;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&w->cond, &w->lock, &ts);
			if (w->aborting)
				break;
		}
		if (writer_gather(w, raw) == -1)
			writer_fail_locked(w, WRITER_CORPUS, ENOMEM);
		ok = w->status == WRITER_OK;
		pthread_mutex_unlock(&w->lock);
		if (ok)
			writer_batch(w, raw, enc);
		for (i = 0; i < WRITER__MAX; i++)
			buf_reset(&raw[i]);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < WRITER__MAX; i++) {
		buf_free(&raw[i]);
		buf_free(&enc[i]);
	}
}

static void *
writer_main(void *arg)
{
	struct writer	*w = arg;
	struct chunk	*c;
	struct sink	*s;
	int		 stream, ok, idle;

	if (w->state != NULL) {
		writer_main_state(w);
		return NULL;
	}
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->aborting && !w->closing && w->queued == 0)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->aborting || (c = writer_pop(w, &stream)) == NULL)
			break;
		ok = w->status == WRITER_OK;
		pthread_mutex_unlock(&w->lock);

		/* Rotate before a chunk, not after: no file is left empty. */
		s = &w->sinks[stream];
		if (ok && w->split > 0 && stream == WRITER_CORPUS &&
		    s->inlen >= w->split && sink_rotate(w, s) == -1)
			writer_fail(w, stream, errno);
		else if (ok && sink_put(s, c->data, c->len) == -1)
			writer_fail(w, stream, errno);
		s->inlen += c->len;
		free(c->data);

		pthread_mutex_lock(&w->lock);
		w->queued -= c->len;
		idle = w->queued == 0 && w->status == WRITER_OK;
		free(c);
		if (idle) {
			pthread_mutex_unlock(&w->lock);
			writer_idle(w);
			pthread_mutex_lock(&w->lock);
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* The process umask, read without changing it (other threads may run). */
static mode_t
writer_umask(void)
{
	FILE		*f;
	char		 line[128];
	unsigned int	 mask;
	mode_t		 m;

	if ((f = fopen("/proc/self/status", "re")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			if (sscanf(line, "Umask: %o", &mask) == 1) {
				fclose(f);
				return mask & 0777;
			}
		}
		fclose(f);
	}
	m = umask(022);
	umask(m);
	return m;
}

static int
writer_suffix(const char *path, const char *suffix)
{
	size_t	 n = strlen(path), k = strlen(suffix);

	return n > k && strcmp(path + n - k, suffix) == 0;
}

/* Whether path is to be written where it is instead of replaced. */
static int
writer_inplace(const char *path)
{
	struct stat	 st;

	if (stat(path, &st) == -1)
		return 0;
	if (!S_ISREG(st.st_mode))
		return 1;
	/* /dev/stdout and friends may lead to a regular file: append. */
	return strncmp(path, "/dev/fd/", 8) == 0 ||
	    strncmp(path, "/dev/std", 8) == 0 ||
	    strncmp(path, "/proc/", 6) == 0;
}

/* Open the temporary file DIR/.NAME.XXXXXX beside path. */
static int
sink_mktemp(struct sink *s, const char *path, char **ret_err)
{
	const char	*slash, *base;
	int		 dirlen;

	slash = strrchr(path, '/');
	base = slash != NULL ? slash + 1 : path;
	dirlen = slash != NULL ? (int)(slash - path) + 1 : 0;
	if (*base == '\0') {
		if (asprintf(ret_err, "cannot write %s: %s", path,
		    strerror(EISDIR)) == -1)
			*ret_err = NULL;
		return -1;
	}
	if (asprintf(&s->tmp, "%.*s.%s.XXXXXX", dirlen, path, base) == -1) {
		s->tmp = NULL;
		return -1;
	}
	if ((s->fd = mkostemp(s->tmp, O_CLOEXEC)) == -1) {
		if (asprintf(ret_err, "cannot create %s: %s", path,
		    strerror(errno)) == -1)
			*ret_err = NULL;
		free(s->tmp);
		s->tmp = NULL;
		return -1;
	}
	/* mkstemp makes 0600; give what open(2) with 0666 would. */
	if (fchmod(s->fd, 0666 & ~writer_umask()) == -1) {
		if (asprintf(ret_err, "cannot chmod %s: %s", s->tmp,
		    strerror(errno)) == -1)
			*ret_err = NULL;
		return -1;
	}
	return 0;
}

/* NAME.EXT and n: NAME-00000n.EXT, the dot being the basename's first. */
static char *
split_name(const char *path, unsigned int n)
{
	const char	*slash = strrchr(path, '/');
	const char	*base = slash != NULL ? slash + 1 : path;
	const char	*dot = strchr(base + (*base == '.'), '.');
	size_t		 stem = dot != NULL ? (size_t)(dot - path) : strlen(path);
	char		*ret;

	if (asprintf(&ret, "%.*s-%06u%s", (int)stem, path, n,
	    dot != NULL ? dot : "") == -1)
		return NULL;
	return ret;
}

/*
 * With a state database: open path in place and find where to append,
 * after cutting off what the last run left half-written.
 */
static int
sink_open_state(struct sink *s, struct state *st, const char *path,
    char **ret_err)
{
	struct stat	sb;

	s->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0666);
	if (s->fd == -1) {
		if (asprintf(ret_err, "cannot open %s: %s", path,
		    strerror(errno)) == -1)
			*ret_err = NULL;
		return -1;
	}
	s->inplace = 1;
	if (fstat(s->fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		s->seekable = 1;
		if ((s->off = state_reconcile(st, path)) == -1) {
			if (asprintf(ret_err, "cannot reconcile %s with the "
			    "state: %s", path, state_errmsg(st)) == -1)
				*ret_err = NULL;
			return -1;
		}
	}
	return 0;
}

/*
 * Set up one stream's sink.  path NULL or "-" is standard output.
 * Returns -1 with *ret_err set (or left NULL when memory is short).
 */
static int
sink_open(struct sink *s, const char *path, struct state *st,
    char **ret_err)
{
	s->active = 1;
	s->batched = st != NULL;
	if (path == NULL || strcmp(path, "-") == 0) {
		if ((s->name = strdup("standard output")) == NULL)
			return -1;
		s->fd = STDOUT_FILENO;
		s->inplace = 1;
	} else {
		if ((s->name = strdup(path)) == NULL)
			return -1;
		if (writer_suffix(path, ".zst"))
			s->comp = WRITER_ZST;
		else if (writer_suffix(path, ".gz"))
			s->comp = WRITER_GZ;
		s->closefd = 1;
		if (st != NULL) {
			if (sink_open_state(s, st, path, ret_err) == -1)
				return -1;
		} else if (writer_inplace(path)) {
			s->inplace = 1;
			s->fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC |
			    O_NOCTTY);
			if (s->fd == -1) {
				if (asprintf(ret_err, "cannot open %s: %s",
				    path, strerror(errno)) == -1)
					*ret_err = NULL;
				return -1;
			}
		} else {
			if ((s->path = strdup(path)) == NULL)
				return -1;
			if (sink_mktemp(s, path, ret_err) == -1)
				return -1;
		}
	}
	if ((s->out = malloc(WRITER_OUTBUF)) == NULL)
		return -1;
	if (s->comp == WRITER_ZST) {
		if ((s->zc = ZSTD_createCCtx()) == NULL ||
		    ZSTD_isError(ZSTD_CCtx_setParameter(s->zc,
		    ZSTD_c_compressionLevel, WRITER_ZSTD_LEVEL)) ||
		    ZSTD_isError(ZSTD_CCtx_setParameter(s->zc,
		    ZSTD_c_checksumFlag, 1)))
			return -1;
	} else if (s->comp == WRITER_GZ) {
		/* windowBits 15 + 16: a gzip wrapper, not raw zlib */
		if (deflateInit2(&s->zs, WRITER_GZ_LEVEL, Z_DEFLATED, 15 + 16,
		    8, Z_DEFAULT_STRATEGY) != Z_OK)
			return -1;
		s->zsinit = 1;
	}
	return 0;
}

static void
writer_free(struct writer *w)
{
	int	 i;

	for (i = 0; i < WRITER__MAX; i++) {
		sink_discard(&w->sinks[i]);
		sink_free(&w->sinks[i]);
	}
	state_close(w->state);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

struct writer *
writer_new(const char *corpus, const char *errors, char **ret_err)
{
	struct writer_opts	o = { corpus, errors, NULL, 0 };

	return writer_open(&o, ret_err);
}

/*
 * The first corpus file of a split: number 1, or with a state database the
 * last one an earlier run wrote, to go on with it.
 */
static char *
split_first(struct writer *w, const char *path, unsigned int *ret_n)
{
	struct stat	 sb;
	char		*name, *next;
	unsigned int	 n = 1;

	if ((name = split_name(path, n)) == NULL)
		return NULL;
	while (w->state != NULL) {
		if ((next = split_name(path, n + 1)) == NULL) {
			free(name);
			return NULL;
		}
		if (stat(next, &sb) == -1) {
			free(next);
			break;
		}
		free(name);
		name = next;
		n++;
	}
	*ret_n = n;
	return name;
}

struct writer *
writer_open(const struct writer_opts *o, char **ret_err)
{
	struct writer	*w;
	sigset_t	 all, old;
	const char	*corpus = o->corpus;
	char		*err = NULL, *first = NULL;
	int		 i, rc;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		goto nomem;
	for (i = 0; i < WRITER__MAX; i++) {
		STAILQ_INIT(&w->sinks[i].queue);
		w->sinks[i].fd = -1;
	}
	if (pthread_mutex_init(&w->lock, NULL) != 0) {
		free(w);
		goto nomem;
	}
	if (pthread_cond_init(&w->cond, NULL) != 0) {
		pthread_mutex_destroy(&w->lock);
		free(w);
		goto nomem;
	}
	if (o->state != NULL) {
		if ((w->state = state_open(o->state, &err)) == NULL)
			goto fail;
		w->sinks[WRITER_STATE].active = 1;
		if ((w->sinks[WRITER_STATE].name = strdup(o->state)) == NULL)
			goto fail;
	}
	if (o->split > 0 && corpus != NULL && strcmp(corpus, "-") != 0) {
		w->split = o->split;
		if ((w->sinks[WRITER_CORPUS].split = strdup(corpus)) == NULL ||
		    (first = split_first(w, corpus,
		    &w->sinks[WRITER_CORPUS].splitno)) == NULL)
			goto fail;
		corpus = first;
	}
	if (sink_open(&w->sinks[WRITER_CORPUS], corpus, w->state, &err) == -1)
		goto fail;
	if (o->errors != NULL && sink_open(&w->sinks[WRITER_ERRORS], o->errors,
	    w->state, &err) == -1)
		goto fail;
	free(first);
	first = NULL;

	/* Signals are main's business: the writer thread takes none. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thread, NULL, writer_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		if (asprintf(&err, "cannot start the writer thread: %s",
		    strerror(rc)) == -1)
			err = NULL;
		goto fail;
	}
	w->started = 1;
	return w;
fail:
	free(first);
	writer_free(w);
	if (err != NULL) {
		*ret_err = err;
		return NULL;
	}
nomem:
	*ret_err = strdup("out of memory");
	return NULL;
}

int
writer_put(struct writer *w, enum writer_stream s, struct buf *b)
{
	struct buf	all[WRITER__MAX];
	int		i, rc;

	if ((unsigned int)s >= WRITER__MAX)
		return -1;
	for (i = 0; i < WRITER__MAX; i++)
		buf_init(&all[i], 0);
	all[s] = *b;
	rc = writer_put_all(w, all);
	*b = all[s];
	return rc;
}

int
writer_put_all(struct writer *w, struct buf *b)
{
	struct chunk	*c[WRITER__MAX] = { NULL };
	size_t		 len;
	int		 i, failed;

	pthread_mutex_lock(&w->lock);
	failed = w->status != WRITER_OK;
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < WRITER__MAX; i++) {
		/* Data for a stream with no sink is dropped. */
		if (failed || !w->sinks[i].active || b[i].len == 0) {
			buf_reset(&b[i]);
			continue;
		}
		if ((c[i] = malloc(sizeof(*c[i]))) == NULL)
			goto nomem;
		c[i]->data = buf_take(&b[i], &c[i]->len);
	}
	if (failed)
		return -1;

	/* One lock for all streams: a batch never splits them. */
	pthread_mutex_lock(&w->lock);
	if (w->status != WRITER_OK) {
		pthread_mutex_unlock(&w->lock);
		for (i = 0; i < WRITER__MAX; i++)
			if (c[i] != NULL) {
				free(c[i]->data);
				free(c[i]);
			}
		return -1;
	}
	for (i = 0; i < WRITER__MAX; i++) {
		if (c[i] == NULL)
			continue;
		len = c[i]->len;
		STAILQ_INSERT_TAIL(&w->sinks[i].queue, c[i], entry);
		w->queued += len;
	}
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return 0;
nomem:
	for (i = 0; i < WRITER__MAX; i++) {
		if (c[i] != NULL) {
			free(c[i]->data);
			free(c[i]);
		}
		buf_reset(&b[i]);
	}
	/* A lost line breaks the accounting: the run has failed. */
	pthread_mutex_lock(&w->lock);
	writer_fail_locked(w, WRITER_CORPUS, ENOMEM);
	pthread_mutex_unlock(&w->lock);
	return -1;
}

int
writer_congested(struct writer *w)
{
	int	 congested;

	pthread_mutex_lock(&w->lock);
	congested = w->queued > TRAWL_WRITER_QUEUE;
	pthread_mutex_unlock(&w->lock);
	return congested;
}

enum writer_status
writer_status(struct writer *w, int *ret_errno)
{
	enum writer_status	 st;

	pthread_mutex_lock(&w->lock);
	st = w->status;
	if (ret_errno != NULL)
		*ret_errno = w->err;
	pthread_mutex_unlock(&w->lock);
	return st;
}

/* Tell the thread to stop (after draining, or at once) and join it. */
static void
writer_stop(struct writer *w, int abort)
{
	if (!w->started)
		return;
	pthread_mutex_lock(&w->lock);
	if (abort)
		w->aborting = 1;
	else
		w->closing = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	w->started = 0;
}

/* Make a rename durable; a failure here loses nothing already written. */
static void
writer_syncdir(const char *path)
{
	const char	*slash;
	char		*dir;
	int		 fd;

	if ((slash = strrchr(path, '/')) == NULL)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, slash - path);
	if (dir == NULL)
		return;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/*
 * A later rename failed: take back the files of the streams before
 * stream n, so that a failed run leaves nothing under a final name.
 */
static void
writer_unrename(struct writer *w, int n)
{
	struct sink	*s;
	int		 i;

	for (i = 0; i < n; i++) {
		s = &w->sinks[i];
		if (s->path != NULL && s->tmp == NULL)
			unlink(s->path);
	}
}

/*
 * A compressed file written a batch at a time that got no batch at all
 * would be empty, which zstd and gzip refuse: give it one empty frame.
 */
static int
sink_empty_frame(struct sink *s)
{
	struct buf	raw, enc;
	const char	*p;
	size_t		n;
	int		rc = 0;

	if (!s->batched || !s->seekable || s->comp == WRITER_PLAIN ||
	    s->off > 0)
		return 0;
	buf_init(&raw, 0);
	buf_init(&enc, 1024);
	if (encode(s, &raw, &enc, &p, &n) == -1 ||
	    sink_write_batch(s, p, n) == -1)
		rc = -1;
	buf_free(&enc);
	return rc;
}

enum writer_status
writer_close(struct writer *w, char **ret_err)
{
	enum writer_status	 st;
	struct sink		*s;
	int			 i;

	if (w == NULL)
		return WRITER_OK;
	writer_stop(w, 0);

	/* The thread is gone: its state is ours, no lock needed. */
	for (i = 0; i < WRITER__MAX && w->status == WRITER_OK; i++) {
		s = &w->sinks[i];
		if (s->active && sink_empty_frame(s) == -1)
			writer_fail_locked(w, i, errno);
		if (s->active && sink_finish(s) == -1)
			writer_fail_locked(w, i, errno);
	}
	for (i = 0; i < WRITER__MAX && w->status == WRITER_OK; i++) {
		s = &w->sinks[i];
		if (s->tmp == NULL)
			continue;
		if (rename(s->tmp, s->path) == -1) {
			writer_fail_locked(w, i, errno);
			writer_unrename(w, i);
			break;
		}
		free(s->tmp);
		s->tmp = NULL;
		writer_syncdir(s->path);
	}

	st = w->status;
	if (st != WRITER_OK && ret_err != NULL &&
	    asprintf(ret_err, "cannot write %s: %s",
	    w->sinks[w->failsink].name, strerror(w->err)) == -1)
		*ret_err = NULL;
	writer_free(w);		/* removes the temporary files left */
	return st;
}

void
writer_abort(struct writer *w)
{
	if (w == NULL)
		return;
	writer_stop(w, 1);
	writer_free(w);
}
