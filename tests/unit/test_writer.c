/*
 * Unit tests of lib/writer.c: plain, gzip and zstd files decompress to the
 * same bytes; nothing appears under the final name before writer_close();
 * failures (no directory, a full disk, a file size limit, a closed pipe)
 * are reported and leave nothing behind; lines from concurrent writers
 * arrive whole, exactly once and in each writer's order.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "buf.h"
#include "check.h"
#include "writer.h"

#define NTHREADS	4
#define NLINES		10000
#define BIG		(1024 * 1024)

static char	 dir[] = "/tmp/test_writer.XXXXXX";

static void
die(const char *what)
{
	fprintf(stderr, "test_writer: %s: %s\n", what, strerror(errno));
	exit(2);
}

static char *
slurp(const char *path, size_t *ret_len)
{
	FILE	*f;
	char	*p = NULL;
	size_t	 len = 0, cap = 0, n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 65536) {
			cap = cap * 2 + 65536;
			if ((p = realloc(p, cap)) == NULL)
				die("realloc");
		}
		if ((n = fread(p + len, 1, cap - len, f)) == 0)
			break;
		len += n;
	}
	fclose(f);
	*ret_len = len;
	return p;
}

static char *
gunzip(const char *in, size_t inlen, size_t *ret_len)
{
	z_stream	 zs;
	char		*out = NULL;
	size_t		 cap = 0;
	int		 rc;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return NULL;
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = inlen;
	do {
		if (zs.total_out == cap) {
			cap = cap * 2 + 65536;
			if ((out = realloc(out, cap)) == NULL)
				die("realloc");
		}
		zs.next_out = (Bytef *)out + zs.total_out;
		zs.avail_out = cap - zs.total_out;
		rc = inflate(&zs, Z_NO_FLUSH);
	} while (rc == Z_OK);
	*ret_len = zs.total_out;
	inflateEnd(&zs);
	if (rc != Z_STREAM_END || zs.avail_in != 0) {
		fprintf(stderr, "gunzip: inflate gave %d\n", rc);
		free(out);
		return NULL;
	}
	return out;
}

static char *
unzstd(const char *in, size_t inlen, size_t *ret_len)
{
	ZSTD_DCtx	*dc;
	ZSTD_inBuffer	 ib = { in, inlen, 0 };
	ZSTD_outBuffer	 ob = { NULL, 0, 0 };
	size_t		 rc = 1;

	if ((dc = ZSTD_createDCtx()) == NULL)
		return NULL;
	while (ib.pos < ib.size || rc != 0) {
		if (ob.pos == ob.size) {
			ob.size = ob.size * 2 + 65536;
			if ((ob.dst = realloc(ob.dst, ob.size)) == NULL)
				die("realloc");
		}
		rc = ZSTD_decompressStream(dc, &ob, &ib);
		if (ZSTD_isError(rc) || (rc != 0 && ib.pos == ib.size &&
		    ob.pos < ob.size)) {
			fprintf(stderr, "unzstd: %s\n", ZSTD_isError(rc) ?
			    ZSTD_getErrorName(rc) : "truncated frame");
			free(ob.dst);
			ZSTD_freeDCtx(dc);
			return NULL;
		}
	}
	ZSTD_freeDCtx(dc);
	*ret_len = ob.pos;
	return ob.dst;
}

/* Number of entries in dir besides . and .. */
static int
count_dir(const char *path)
{
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	if ((d = opendir(path)) == NULL)
		die(path);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static int	 put_may_fail;	/* set where the writer is to fail */

static void
put_str(struct writer *w, enum writer_stream s, const char *str, size_t len)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b, len + 1);
	if (buf_add(&b, str, len) == -1)
		die("buf_add");
	rc = writer_put(w, s, &b);
	if (!put_may_fail)
		CHECK_INT(rc, 0);
	CHECK_INT(b.len, 0);
	buf_free(&b);
}

/* The test corpus: short lines, a line bigger than any buffer, more. */
static char *
make_corpus(size_t *ret_len)
{
	struct buf	 b;
	int		 i;

	buf_init(&b, 64 * BIG);
	for (i = 0; i < 5000; i++)
		if (buf_printf(&b, "{\"n\":%d,\"text\":\"line %d \xc3\xa9\"}\n",
		    i, i * 7919) == -1)
			die("buf_printf");
	if (buf_addstr(&b, "{\"big\":\"") == -1)
		die("buf");
	for (i = 0; i < 3 * BIG / 16; i++)
		if (buf_printf(&b, "%015x-", i * 2654435761u) == -1)
			die("buf");
	if (buf_addstr(&b, "\"}\n") == -1)
		die("buf");
	for (i = 0; i < 1000; i++)
		if (buf_printf(&b, "{\"tail\":%d}\n", i) == -1)
			die("buf");
	return buf_take(&b, ret_len);
}

/* Hand the corpus over in chunks of whole lines of varying size. */
static void
put_corpus(struct writer *w, const char *corpus, size_t len)
{
	size_t	 off = 0, end, want = 1;
	const char *nl;

	while (off < len) {
		end = off + want < len ? off + want : len;
		nl = memchr(corpus + end - 1, '\n', len - end + 1);
		if (nl == NULL)
			die("no newline");
		end = nl - corpus + 1;
		put_str(w, WRITER_CORPUS, corpus + off, end - off);
		off = end;
		want = want * 3 % 200000 + 1;
	}
}

static void
test_file(const char *name, int comp, const char *corpus, size_t clen)
{
	struct writer	*w;
	struct stat	 st;
	char		 path[256], errpath[256], cmd[1024], *err = NULL;
	char		*got, *plain;
	size_t		 glen, plen;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(errpath, sizeof(errpath), "%s/errors.jsonl", dir);
	/* an old file under the final name is replaced whole */
	if ((got = slurp(path, &glen)) == NULL) {
		FILE	*f;

		if ((f = fopen(path, "w")) == NULL)
			die(path);
		fputs("old\n", f);
		fclose(f);
	}
	free(got);

	w = writer_new(path, errpath, &err);
	CHECK(w != NULL);
	if (w == NULL) {
		fprintf(stderr, "writer_new: %s\n", err);
		free(err);
		return;
	}
	put_corpus(w, corpus, clen);
	put_str(w, WRITER_ERRORS, "{\"url\":\"e\"}\n", 12);
	/* before close: the old file only, plus two temporary files */
	got = slurp(path, &glen);
	CHECK_MEM(got, glen, "old\n", 4);
	free(got);
	CHECK(stat(errpath, &st) == -1 && errno == ENOENT);
	CHECK_INT(count_dir(dir), 4);	/* with "expected" */

	CHECK_INT(writer_close(w, &err), WRITER_OK);
	CHECK(err == NULL);
	CHECK_INT(count_dir(dir), 3);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
	got = slurp(errpath, &glen);
	CHECK_MEM(got, glen, "{\"url\":\"e\"}\n", 12);
	free(got);

	if ((got = slurp(path, &glen)) == NULL)
		die(path);
	plain = got;
	plen = glen;
	if (comp == 'g')
		plain = gunzip(got, glen, &plen);
	else if (comp == 'z')
		plain = unzstd(got, glen, &plen);
	CHECK(plain != NULL);
	if (plain != NULL)
		CHECK_MEM(plain, plen, corpus, clen);
	if (plain != got)
		free(plain);
	free(got);

	/* the stock tools agree, when they are installed */
	if (comp != 0) {
		const char	*tool = comp == 'g' ? "gzip" : "zstd";

		snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null || exit 0;"
		    " %s -dc '%s' | cmp -s - '%s/expected'",
		    tool, tool, path, dir);
		CHECK_INT(system(cmd), 0);
	}
	unlink(path);
	unlink(errpath);
}

static void
test_files(void)
{
	FILE	*f;
	char	 path[256], *corpus;
	size_t	 clen;

	corpus = make_corpus(&clen);
	snprintf(path, sizeof(path), "%s/expected", dir);
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(corpus, 1, clen, f) != clen || fclose(f) == EOF)
		die(path);
	test_file("out.jsonl", 0, corpus, clen);
	test_file("out.jsonl.gz", 'g', corpus, clen);
	test_file("out.jsonl.zst", 'z', corpus, clen);
	test_file("out.jsonl", 0, corpus, clen);	/* replaces old */
	unlink(path);
	free(corpus);
}

static void
test_new_fails(void)
{
	struct writer	*w;
	char		 path[256], *err = NULL;

	snprintf(path, sizeof(path), "%s/nodir/out.jsonl", dir);
	w = writer_new(path, NULL, &err);
	CHECK(w == NULL);
	CHECK(err != NULL && strstr(err, "cannot create") != NULL &&
	    strstr(err, "No such file or directory") != NULL);
	free(err);
	err = NULL;

	/* a bad errors path fails too and takes the corpus temp with it */
	snprintf(path, sizeof(path), "%s/ok.jsonl", dir);
	w = writer_new(path, "/nonexistent/dir/errors.jsonl", &err);
	CHECK(w == NULL);
	CHECK(err != NULL && strstr(err, "/nonexistent/dir/") != NULL);
	free(err);
	err = NULL;
	CHECK_INT(count_dir(dir), 0);

	if (geteuid() != 0) {		/* root writes anywhere */
		snprintf(path, sizeof(path), "%s/ro", dir);
		if (mkdir(path, 0555) == -1)
			die(path);
		snprintf(path, sizeof(path), "%s/ro/out.jsonl", dir);
		w = writer_new(path, NULL, &err);
		CHECK(w == NULL);
		CHECK(err != NULL && strstr(err, "Permission denied") != NULL);
		free(err);
		snprintf(path, sizeof(path), "%s/ro", dir);
		rmdir(path);
	}
	/* a directory is written in place, which fails */
	err = NULL;
	w = writer_new(dir, NULL, &err);
	CHECK(w == NULL);
	CHECK(err != NULL && strstr(err, "cannot open") != NULL);
	free(err);
}

/* /dev/full is not replaced but written in place: ENOSPC. */
static void
test_full(void)
{
	struct writer	*w;
	struct buf	 b;
	char		*err = NULL, *big;
	int		 e = 0, i;

	w = writer_new("/dev/full", NULL, &err);
	CHECK(w != NULL);
	if (w == NULL)
		return;
	/* a chunk past the output buffer is written at once */
	if ((big = malloc(BIG)) == NULL)
		die("malloc");
	memset(big, 'x', BIG - 1);
	big[BIG - 1] = '\n';
	put_str(w, WRITER_CORPUS, big, BIG);
	free(big);
	for (i = 0; i < 5000 && writer_status(w, NULL) == WRITER_OK; i++)
		usleep(1000);
	CHECK_INT(writer_status(w, &e), WRITER_EIO);
	CHECK_INT(e, ENOSPC);
	buf_init(&b, 100);
	buf_addstr(&b, "{}\n");
	CHECK_INT(writer_put(w, WRITER_CORPUS, &b), -1);
	CHECK_INT(b.len, 0);
	buf_free(&b);
	CHECK_INT(writer_close(w, &err), WRITER_EIO);
	CHECK_STR(err, "cannot write /dev/full: No space left on device");
	free(err);

	/* a small line fails only at close, when it is flushed */
	err = NULL;
	w = writer_new("/dev/full", NULL, &err);
	CHECK(w != NULL);
	if (w == NULL)
		return;
	put_str(w, WRITER_ERRORS, "{}\n", 3);	/* dropped: no errors sink */
	put_str(w, WRITER_CORPUS, "{}\n", 3);
	CHECK_INT(writer_close(w, &err), WRITER_EIO);
	CHECK(err != NULL);
	free(err);
}

/*
 * A file size limit makes write(2) fail with EFBIG on a regular file:
 * the run fails and neither the final nor the temporary file remains.
 * In a child, so that the limit stays there.
 */
static void
test_fsize(void)
{
	struct writer	*w;
	struct rlimit	 rl = { 100000, 100000 };
	char		 path[256], *err = NULL, *corpus;
	size_t		 clen;
	pid_t		 pid;
	int		 status, rc;

	snprintf(path, sizeof(path), "%s/big.jsonl.zst", dir);
	if ((pid = fork()) == -1)
		die("fork");
	if (pid == 0) {
		check_failed = 0;
		put_may_fail = 1;
		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) == -1)
			_exit(10);
		if ((w = writer_new(path, NULL, &err)) == NULL)
			_exit(11);
		corpus = make_corpus(&clen);
		put_corpus(w, corpus, clen);
		free(corpus);
		rc = writer_close(w, &err);
		if (rc != WRITER_EIO || err == NULL ||
		    strstr(err, "File too large") == NULL) {
			fprintf(stderr, "writer_close: %d %s\n", rc, err);
			_exit(12);
		}
		free(err);
		_exit(check_failed > 0 ? 13 : 0);
	}
	if (waitpid(pid, &status, 0) == -1)
		die("waitpid");
	CHECK(WIFEXITED(status));
	CHECK_INT(WEXITSTATUS(status), 0);
	CHECK_INT(count_dir(dir), 0);
}

/* Standard output: prompt lines, then EPIPE once the reader is gone. */
static void
test_stdout(void)
{
	struct writer	*w;
	struct pollfd	 pfd;
	char		 line[64], *err = NULL;
	int		 fds[2], status, rc;
	ssize_t		 n;
	pid_t		 pid;

	if (pipe(fds) == -1)
		die("pipe");
	if ((pid = fork()) == -1)
		die("fork");
	if (pid == 0) {
		check_failed = 0;
		put_may_fail = 1;
		signal(SIGPIPE, SIG_IGN);
		close(fds[0]);
		if (dup2(fds[1], STDOUT_FILENO) == -1)
			_exit(10);
		close(fds[1]);
		if ((w = writer_new("-", NULL, &err)) == NULL)
			_exit(11);
		put_str(w, WRITER_CORPUS, "{\"first\":1}\n", 12);
		/* the parent reads the line, then closes the pipe */
		sleep(1);
		put_str(w, WRITER_CORPUS, "{\"second\":2}\n", 13);
		rc = writer_close(w, &err);
		if (rc != WRITER_EPIPE || err == NULL ||
		    strcmp(err, "cannot write standard output: Broken pipe")
		    != 0) {
			fprintf(stderr, "writer_close: %d %s\n", rc, err);
			_exit(12);
		}
		free(err);
		_exit(check_failed > 0 ? 13 : 0);
	}
	close(fds[1]);
	/* the first line arrives while the writer is still open */
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	CHECK_INT(poll(&pfd, 1, 900), 1);
	n = read(fds[0], line, sizeof(line));
	CHECK_INT(n, 12);
	close(fds[0]);
	if (waitpid(pid, &status, 0) == -1)
		die("waitpid");
	CHECK(WIFEXITED(status));
	CHECK_INT(WEXITSTATUS(status), 0);
}

static void
test_abort(void)
{
	struct writer	*w;
	char		 path[256], *err = NULL;

	snprintf(path, sizeof(path), "%s/aborted.jsonl.gz", dir);
	w = writer_new(path, NULL, &err);
	CHECK(w != NULL);
	if (w == NULL)
		return;
	put_str(w, WRITER_CORPUS, "{}\n", 3);
	CHECK_INT(count_dir(dir), 1);
	writer_abort(w);
	CHECK_INT(count_dir(dir), 0);
	writer_abort(NULL);
}

struct producer {
	struct writer	*w;
	int		 id;
	int		 congested;
};

static void *
produce(void *arg)
{
	struct producer	*p = arg;
	struct buf	 b;
	int		 i, pad;

	buf_init(&b, 1024 * 1024);
	for (i = 0; i < NLINES; i++) {
		pad = (i * 37 + p->id * 11) % 300;
		if (buf_printf(&b, "{\"t\":%d,\"n\":%d,\"pad\":\"%*s\"}\n",
		    p->id, i, pad, "") == -1)
			die("buf_printf");
		/* batches of odd sizes, some of one line */
		if (b.len > (size_t)(i % 7) * 3000) {
			if (writer_put(p->w, WRITER_CORPUS, &b) != 0)
				die("writer_put");
			p->congested += writer_congested(p->w);
		}
	}
	if (writer_put(p->w, WRITER_CORPUS, &b) != 0)
		die("writer_put");
	buf_free(&b);
	return NULL;
}

static void
test_threads(void)
{
	struct producer	 p[NTHREADS];
	pthread_t	 t[NTHREADS];
	struct writer	*w;
	char		 path[256], *err = NULL, *got, *line, *nl;
	size_t		 glen;
	int		 i, id, n, pad, next[NTHREADS], bad = 0, end;

	snprintf(path, sizeof(path), "%s/threads.jsonl.zst", dir);
	if ((w = writer_new(path, NULL, &err)) == NULL) {
		fprintf(stderr, "writer_new: %s\n", err);
		check_failed++;
		return;
	}
	for (i = 0; i < NTHREADS; i++) {
		p[i].w = w;
		p[i].id = i;
		p[i].congested = 0;
		if (pthread_create(&t[i], NULL, produce, &p[i]) != 0)
			die("pthread_create");
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	CHECK_INT(writer_close(w, &err), WRITER_OK);

	if ((got = slurp(path, &glen)) == NULL)
		die(path);
	line = unzstd(got, glen, &glen);
	free(got);
	CHECK(line != NULL);
	if (line == NULL)
		return;
	got = line;
	memset(next, 0, sizeof(next));
	/* every line whole, and each thread's lines once and in order */
	while (line < got + glen) {
		if ((nl = memchr(line, '\n', got + glen - line)) == NULL) {
			bad++;
			break;
		}
		end = 0;
		*nl = '\0';	/* sscanf needs a string, and a short one */
		if (sscanf(line, "{\"t\":%d,\"n\":%d,\"pad\":\"%n", &id, &n,
		    &end) != 2 || end == 0 || id < 0 || id >= NTHREADS ||
		    n != next[id]) {
			bad++;
			break;
		}
		pad = (n * 37 + id * 11) % 300;
		if (nl - line != end + pad + 2 || nl[-1] != '}' ||
		    nl[-2] != '"') {
			bad++;
			break;
		}
		next[id]++;
		line = nl + 1;
	}
	CHECK_INT(bad, 0);
	for (i = 0; i < NTHREADS; i++)
		CHECK_INT(next[i], NLINES);
	free(got);
	unlink(path);
}

/* --split: numbered files, each whole lines, together the corpus. */
static void
test_split(const char *corpus, size_t clen)
{
	struct writer		*w;
	struct writer_opts	 o;
	char			 path[300], name[300], *err = NULL, *got;
	size_t			 glen, off = 0;
	int			 n;

	snprintf(path, sizeof(path), "%s/part.jsonl", dir);
	memset(&o, 0, sizeof(o));
	o.corpus = path;
	o.split = 64 * 1024;
	if ((w = writer_open(&o, &err)) == NULL)
		die(err);
	put_corpus(w, corpus, clen);
	CHECK_INT(writer_close(w, &err), WRITER_OK);
	for (n = 1;; n++) {
		snprintf(name, sizeof(name), "%s/part-%06d.jsonl", dir, n);
		if ((got = slurp(name, &glen)) == NULL)
			break;
		CHECK(glen > 0 && got[glen - 1] == '\n');
		CHECK(off + glen <= clen);
		if (off + glen <= clen)
			CHECK_MEM(got, glen, corpus + off, glen);
		off += glen;
		free(got);
		unlink(name);
	}
	CHECK(n > 3);
	CHECK_INT(off, clen);
}

/* Put lines with their state rows, as a worker does. */
static void
put_state(struct writer *w, const char *lines, const char *rows)
{
	struct buf	b[WRITER__MAX];
	int		i;

	for (i = 0; i < WRITER__MAX; i++)
		buf_init(&b[i], 1 << 20);
	buf_addstr(&b[WRITER_CORPUS], lines);
	buf_addstr(&b[WRITER_STATE], rows);
	CHECK_INT(writer_put_all(w, b), 0);
	for (i = 0; i < WRITER__MAX; i++)
		buf_free(&b[i]);
}

/*
 * With a state database the file is appended to, a batch a frame, and a
 * tail a killed run left is cut off at the next start.
 */
static void
test_state(void)
{
	static const char	 want[] = "{\"a\":1}\n{\"b\":2}\n";
	struct writer		*w;
	struct writer_opts	 o;
	char			 path[300], db[300], *err = NULL, *got, *plain;
	size_t			 glen, plen;
	FILE			*f;

	snprintf(path, sizeof(path), "%s/st.jsonl.zst", dir);
	snprintf(db, sizeof(db), "%s/st.db", dir);
	memset(&o, 0, sizeof(o));
	o.corpus = path;
	o.state = db;
	if ((w = writer_open(&o, &err)) == NULL)
		die(err);
	put_state(w, "{\"a\":1}\n", "8:http://a8:document0100:"
	    "000000000000000000010:0:");
	CHECK_INT(writer_close(w, &err), WRITER_OK);

	/* A kill mid-batch leaves bytes the state never committed. */
	if ((f = fopen(path, "ab")) == NULL)
		die("fopen");
	fputs("half a frame", f);
	fclose(f);

	if ((w = writer_open(&o, &err)) == NULL)
		die(err);
	put_state(w, "{\"b\":2}\n", "8:http://b8:document0100:"
	    "000000000000000000020:0:");
	CHECK_INT(writer_close(w, &err), WRITER_OK);

	if ((got = slurp(path, &glen)) == NULL)
		die("slurp");
	plain = unzstd(got, glen, &plen);
	CHECK(plain != NULL);
	if (plain != NULL)
		CHECK_MEM(plain, plen, want, sizeof(want) - 1);
	free(plain);
	free(got);
	unlink(path);
	unlink(db);
	snprintf(db, sizeof(db), "%s/st.db-wal", dir);
	unlink(db);
	snprintf(db, sizeof(db), "%s/st.db-shm", dir);
	unlink(db);
}

int
main(void)
{
	char	*corpus;
	size_t	 clen;

	umask(027);
	signal(SIGPIPE, SIG_IGN);
	if (mkdtemp(dir) == NULL)
		die("mkdtemp");
	test_files();
	test_new_fails();
	test_full();
	test_fsize();
	test_stdout();
	test_abort();
	test_threads();
	corpus = make_corpus(&clen);
	test_split(corpus, clen);
	free(corpus);
	test_state();
	CHECK_INT(count_dir(dir), 0);
	rmdir(dir);
	if (check_failed > 0) {
		fprintf(stderr, "test_writer: %d failures\n", check_failed);
		return 1;
	}
	printf("test_writer: ok\n");
	return 0;
}
