/*
 * trawl: fetch the URLs of URL lists, concurrently and politely, and write
 * their main text as JSONL.  This file parses options, wires the modules
 * together and is the only code that exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/file.h>

#include <curl/curl.h>
#include <libxml/xmlversion.h>
#include <zlib.h>

#include "config.h"
#include "buf.h"
#include "extract.h"
#include "fetch.h"
#include "json.h"
#include "caps.h"
#include "log.h"
#include "loop.h"
#include "state.h"
#include "urlsrc.h"
#include "writer.h"

#define EXIT_FAILED	1	/* some URLs gave no document */
#define EXIT_USAGE	2	/* bad options or unreadable input */
#define EXIT_OUTPUT	3	/* output could not be written */
#define EXIT_LOCKED	75	/* another run holds the lock (EX_TEMPFAIL) */

#define WORKERS_MAX	256

struct opts {
	const char		*output;
	const char		*errors;
	int			 jobs;
	int			 per_host;
	double			 rate;
	int			 workers;
	long			 timeout;
	long			 connect_timeout;
	long long		 max_size;
	const char		*user_agent;
	const char		*source;
	int			 files;
	enum extract_format	 format;
	size_t			 min_words;
	int			 retries;
	int			 no_robots;
	unsigned long		 shard, nshards;	/* --shard K/N; N 1: all */
	const char		*lock;
	const char		*stats;
	int			 progress;	/* 1 on, -1 off, 0 if a tty */
	const char		*state;
	long long		 refresh;	/* seconds; -1: never */
	int			 retry_failed;
	long long		 split;
};

static struct loop_shared	 shared;
static atomic_int		 progress_stop;
static atomic_ulong		 progress_total; /* URLs read so far */
static atomic_int		 progress_known; /* reading has ended */
static volatile sig_atomic_t	 got_signal;

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: trawl [-fqVv] [-A agent] [-e errors] [-j jobs] [-o output]\n"
"             [-p per-host] [-r rate] [-t timeout] [-w workers]\n"
"             [--connect-timeout secs] [--format text|markdown]\n"
"             [--max-size size] [--min-words n] [--no-robots]\n"
"             [--lock path] [--[no-]progress] [--refresh age]\n"
"             [--retries n] [--retry-failed] [--shard k/n]\n"
"             [--source name] [--split size] [--state path]\n"
"             [--stats path] [urlfile ...]\n"
"       trawl -f [options] htmlfile ...\n");
}

/*
 * A first signal stops new transfers and gives those in flight a grace; a
 * second ends them at once (records still whole); a third exits.
 */
static void
on_signal(int sig)
{
	static volatile sig_atomic_t	n;

	if (++n > 2)
		_exit(128 + sig);
	if (got_signal == 0)
		got_signal = sig;
	atomic_store(&shared.stop, n);
}

/* An integer option in [lo, hi], or exit 2 naming the option. */
static long long
num_opt(const char *name, const char *s, long long lo, long long hi)
{
	const char	*err;
	long long	 v;

	v = strtonum(s, lo, hi, &err);
	if (err != NULL) {
		log_err("%s %s: %s (%lld to %lld)", name, log_str(s, strlen(s)),
		    err, lo, hi);
		exit(EXIT_USAGE);
	}
	return v;
}

/* A size with an optional K, M or G suffix (powers of 1024). */
static long long
size_opt(const char *name, const char *s)
{
	char		 digits[32];
	size_t		 n = strlen(s);
	long long	 mult = 1, v;

	if (n > 0 && strchr("kKmMgG", s[n - 1]) != NULL) {
		switch (s[--n]) {
		case 'k': case 'K': mult = 1024; break;
		case 'm': case 'M': mult = 1024 * 1024; break;
		default: mult = 1024 * 1024 * 1024; break;
		}
	}
	if (n == 0 || n >= sizeof(digits)) {
		log_err("%s %s: invalid size", name, log_str(s, strlen(s)));
		exit(EXIT_USAGE);
	}
	memcpy(digits, s, n);
	digits[n] = '\0';
	v = num_opt(name, digits, 1, LLONG_MAX / (1024LL * 1024 * 1024));
	return v * mult;
}

/* An age: a number of seconds with an optional s, m, h, d or w unit. */
static long long
age_opt(const char *s)
{
	static const struct {
		char		unit;
		long long	secs;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 },
	    { 'd', 86400 }, { 'w', 7 * 86400 } };
	char		 digits[32];
	size_t		 n = strlen(s), i;
	long long	 mult = 1;

	for (i = 0; n > 0 && i < sizeof(units) / sizeof(units[0]); i++)
		if (s[n - 1] == units[i].unit) {
			mult = units[i].secs;
			n--;
			break;
		}
	if (n == 0 || n >= sizeof(digits)) {
		log_err("--refresh %s: not an age such as 7d or 12h",
		    log_str(s, strlen(s)));
		exit(EXIT_USAGE);
	}
	memcpy(digits, s, n);
	digits[n] = '\0';
	return num_opt("--refresh", digits, 0, 100LL * 365 * 86400 / mult) *
	    mult;
}

/* A rate: a decimal number of requests per second, 0 for no limit. */
static double
rate_opt(const char *s)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (s[0] == '\0' || *end != '\0' || errno != 0 || !isfinite(v) ||
	    v < 0 || v > 1e6) {
		log_err("--rate %s: not a number from 0 to 1000000",
		    log_str(s, strlen(s)));
		exit(EXIT_USAGE);
	}
	return v;
}

/* --shard K/N: 0 <= K < N, so that K can be a 0-based job index. */
static void
shard_opt(const char *s, struct opts *o)
{
	char		 k[32];
	const char	*slash = strchr(s, '/');
	size_t		 n = slash != NULL ? (size_t)(slash - s) : 0;

	if (slash == NULL || n == 0 || n >= sizeof(k) ||
	    strspn(s, "0123456789") != n) {
		log_err("--shard %s: not K/N", log_str(s, strlen(s)));
		exit(EXIT_USAGE);
	}
	memcpy(k, s, n);
	k[n] = '\0';
	o->nshards = num_opt("--shard N", slash + 1, 1, 1000000);
	o->shard = num_opt("--shard K", k, 0, o->nshards - 1);
}

/*
 * Take the lock file for the run: a second run exits 75 at once.  flock(2)
 * dies with its holder, so a crashed run never blocks the next one.
 */
static void
take_lock(const char *path)
{
	char	pid[32];
	int	fd;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		log_err("cannot open lock %s: %s", log_str(path, strlen(path)),
		    strerror(errno));
		exit(EXIT_USAGE);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		ssize_t	n;

		if (errno != EWOULDBLOCK) {
			log_err("cannot lock %s: %s",
			    log_str(path, strlen(path)), strerror(errno));
			exit(EXIT_USAGE);
		}
		n = pread(fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		log_err("another run holds the lock %s%s%s",
		    log_str(path, strlen(path)), pid[0] != '\0' ? ", pid " : "",
		    log_str(pid, strlen(pid)));
		exit(EXIT_LOCKED);
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == 0)
		(void)pwrite(fd, pid, strlen(pid), 0);
	/* fd stays open, and the lock held, until the process ends. */
}

static int
ncpus(void)
{
	long	n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > WORKERS_MAX ? WORKERS_MAX : (int)n;
}

static const char *
default_agent(void)
{
	static char	ua[128];

	snprintf(ua, sizeof(ua), "trawl/%s (text corpus builder) libcurl/%s",
	    TRAWL_VERSION, curl_version_info(CURLVERSION_NOW)->version);
	return ua;
}

static void
parse_opts(int argc, char **argv, struct opts *o)
{
	enum {
		OPT_CONNECT_TIMEOUT = 256, OPT_FORMAT, OPT_MAX_SIZE,
		OPT_LOCK, OPT_MIN_WORDS, OPT_NO_PROGRESS, OPT_NO_ROBOTS,
		OPT_PROGRESS, OPT_REFRESH, OPT_RETRIES, OPT_RETRY_FAILED,
		OPT_SHARD, OPT_SOURCE, OPT_SPLIT, OPT_STATE, OPT_STATS,
	};
	static const struct option longopts[] = {
		{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
		{ "errors", required_argument, NULL, 'e' },
		{ "files", no_argument, NULL, 'f' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "lock", required_argument, NULL, OPT_LOCK },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "min-words", required_argument, NULL, OPT_MIN_WORDS },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		{ "no-robots", no_argument, NULL, OPT_NO_ROBOTS },
		{ "output", required_argument, NULL, 'o' },
		{ "per-host", required_argument, NULL, 'p' },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "rate", required_argument, NULL, 'r' },
		{ "refresh", required_argument, NULL, OPT_REFRESH },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "retry-failed", no_argument, NULL, OPT_RETRY_FAILED },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "split", required_argument, NULL, OPT_SPLIT },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "stats", required_argument, NULL, OPT_STATS },
		{ "timeout", required_argument, NULL, 't' },
		{ "user-agent", required_argument, NULL, 'A' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "workers", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	memset(o, 0, sizeof(*o));
	o->jobs = 64;
	o->per_host = 2;
	o->rate = 1;
	o->workers = ncpus();
	o->timeout = 30;
	o->connect_timeout = 10;
	o->max_size = 10LL * 1024 * 1024;
	o->user_agent = default_agent();
	o->source = "trawl";
	o->format = EXTRACT_TEXT;
	o->retries = 3;
	o->nshards = 1;
	o->refresh = -1;

	while ((ch = getopt_long(argc, argv, "A:e:fhj:o:p:qr:t:Vvw:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'A':
			if (optarg[0] == '\0' ||
			    strcspn(optarg, "\r\n") != strlen(optarg)) {
				log_err("--user-agent: empty or has a line "
				    "break");
				exit(EXIT_USAGE);
			}
			o->user_agent = optarg;
			break;
		case 'e':
			o->errors = optarg;
			break;
		case 'f':
			o->files = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'j':
			o->jobs = num_opt("--jobs", optarg, 1, 100000);
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'p':
			o->per_host = num_opt("--per-host", optarg, 1, 1000);
			break;
		case 'q':
			log_level = LOG_QUIET;
			break;
		case 'r':
			o->rate = rate_opt(optarg);
			break;
		case 't':
			o->timeout = num_opt("--timeout", optarg, 1, 86400);
			break;
		case 'V':
			printf("trawl %s (libcurl %s, libxml2 %s, zlib %s)\n",
			    TRAWL_VERSION,
			    curl_version_info(CURLVERSION_NOW)->version,
			    LIBXML_DOTTED_VERSION, zlibVersion());
			exit(0);
		case 'v':
			log_level = LOG_VERBOSE;
			break;
		case 'w':
			o->workers = num_opt("--workers", optarg, 1,
			    WORKERS_MAX);
			break;
		case OPT_CONNECT_TIMEOUT:
			o->connect_timeout = num_opt("--connect-timeout",
			    optarg, 1, 3600);
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") == 0)
				o->format = EXTRACT_TEXT;
			else if (strcmp(optarg, "markdown") == 0)
				o->format = EXTRACT_MARKDOWN;
			else {
				log_err("--format %s: not text or markdown",
				    log_str(optarg, strlen(optarg)));
				exit(EXIT_USAGE);
			}
			break;
		case OPT_MAX_SIZE:
			o->max_size = size_opt("--max-size", optarg);
			break;
		case OPT_MIN_WORDS:
			o->min_words = num_opt("--min-words", optarg, 0,
			    1000000);
			break;
		case OPT_LOCK:
			o->lock = optarg;
			break;
		case OPT_SHARD:
			shard_opt(optarg, o);
			break;
		case OPT_NO_PROGRESS:
			o->progress = -1;
			break;
		case OPT_PROGRESS:
			o->progress = 1;
			break;
		case OPT_STATS:
			o->stats = optarg;
			break;
		case OPT_STATE:
			o->state = optarg;
			break;
		case OPT_REFRESH:
			o->refresh = age_opt(optarg);
			break;
		case OPT_RETRY_FAILED:
			o->retry_failed = 1;
			break;
		case OPT_SPLIT:
			o->split = size_opt("--split", optarg);
			break;
		case OPT_NO_ROBOTS:
			o->no_robots = 1;
			break;
		case OPT_RETRIES:
			o->retries = num_opt("--retries", optarg, 0, 100);
			break;
		case OPT_SOURCE:
			o->source = optarg;
			break;
		default:
			usage(stderr);
			exit(EXIT_USAGE);
		}
	}
}

/* Hand main's own records to the writer (-f). */
static void
put(struct writer *w, enum writer_stream s, struct buf *b)
{
	if (b->len > 0 && writer_put(w, s, b) == -1) {
		buf_reset(b);
		atomic_store(&shared.stop, 1);
	}
}

/* The reader: main's side of a run, from URL lines to workers. */
struct reader {
	const struct opts	*o;
	struct loop		**workers;
	int			 nworkers;
	struct writer		*w;
	struct state		*state;		/* lookups; NULL without */
	struct urlset		*seen;
	struct buf		 out[WRITER__MAX]; /* main's own records */
	time_t			 now;
	unsigned long		 bad;		/* invalid_url records */
	unsigned long		 skipped;	/* done in an earlier run */
	int			 rc;
};

/* Hand main's own records to the writer, all streams at once. */
static void
reader_flush(struct reader *r)
{
	if (writer_put_all(r->w, r->out) == -1)
		atomic_store(&shared.stop, 1);
}

/*
 * What the state says of url[0..len): 1 to skip it (done before), 0 to
 * fetch it; *ret_prev is set when *ret can make the request conditional.
 */
static int
reader_done_before(struct reader *r, const char *url, size_t len,
    struct state_url *ret, int *ret_prev)
{
	int	rc;

	*ret_prev = 0;
	if (r->state == NULL)
		return 0;
	if ((rc = state_lookup(r->state, url, len, ret)) == -1) {
		log_err("cannot read state: %s", state_errmsg(r->state));
		r->rc = EXIT_OUTPUT;
		atomic_store(&shared.stop, 1);
		return 1;
	}
	if (rc == 0)
		return 0;
	if (ret->transient && r->o->retry_failed)
		return 0;
	if (r->o->refresh >= 0 && r->now - ret->at >= r->o->refresh) {
		*ret_prev = strcmp(ret->outcome, "document") == 0;
		return 0;
	}
	return 1;
}

static void
reader_bad(struct reader *r, const char *path, unsigned long lineno,
    const char *why, const char *line, size_t len)
{
	struct json_err		e;
	struct state_url	prev;
	int			validators;

	/* Shard 0 records bad lines, so N shards record each once. */
	if (r->o->shard != 0) {
		log_warn("%s:%lu: %s", log_str(path, strlen(path)), lineno,
		    why);
		return;
	}
	if (reader_done_before(r, line, len, &prev, &validators)) {
		r->skipped++;
		return;
	}
	log_warn("%s:%lu: %s: %s", log_str(path, strlen(path)), lineno, why,
	    log_str(line, len));
	r->bad++;
	atomic_fetch_add(&shared.done, 1);
	atomic_fetch_add(&shared.failed, 1);
	memset(&e, 0, sizeof(e));
	e.url = line;
	e.urllen = len;
	e.error = "invalid_url";
	e.detail = why;
	e.at = r->now;
	(void)json_err(&r->out[WRITER_ERRORS], &e);
	if (r->state != NULL)
		(void)state_row(&r->out[WRITER_STATE], line, len,
		    "invalid_url", 0, r->now, 0, NULL, NULL);
	if (r->out[WRITER_ERRORS].len >= TRAWL_BATCH_BYTES)
		reader_flush(r);
}

/* A good URL: to its shard's worker, unless seen or done before. */
static void
reader_url(struct reader *r, const char *url)
{
	struct state_url	 prev;
	char			*host;
	uint64_t		 h;
	int			 validators;

	if ((host = urlsrc_host(url)) == NULL)
		return;
	/*
	 * One hash of the host picks the shard and, within it, the
	 * worker: N shards of W workers spread evenly, and a host is
	 * fetched by one of them.
	 */
	h = urlsrc_hash(host, strlen(host));
	if (h % r->o->nshards != r->o->shard ||
	    urlset_add(r->seen, url) != 1) {
		free(host);
		return;
	}
	if (reader_done_before(r, url, strlen(url), &prev, &validators)) {
		r->skipped++;
		free(host);
		return;
	}
	atomic_fetch_add(&progress_total, 1);
	if (loop_push(r->workers[h / r->o->nshards % r->nworkers], url, host,
	    validators ? &prev : NULL) == -1) {
		log_err("out of memory");
		atomic_store(&shared.stop, 1);
	}
	free(host);
}

/* Read one URL list through to its end, or to a stop. */
static void
reader_file(struct reader *r, const char *path)
{
	struct urlsrc		*u;
	enum urlsrc_item	 it;
	char			*url;
	const char		*why, *line;
	size_t			 len;
	unsigned long		 lineno;

	if ((u = urlsrc_open(path)) == NULL) {
		log_err("cannot open %s: %s", log_str(path, strlen(path)),
		    strerror(errno));
		r->rc = EXIT_USAGE;
		return;
	}
	while (!atomic_load(&shared.stop)) {
		it = urlsrc_next(u, &url, &why, &line, &len, &lineno);
		if (it == URLSRC_EOF)
			break;
		if (it == URLSRC_ERROR && errno == EINTR)
			continue;	/* the loop tests for a stop */
		if (it == URLSRC_ERROR) {
			log_err("cannot read %s: %s",
			    log_str(path, strlen(path)), strerror(errno));
			r->rc = EXIT_USAGE;
			break;
		}
		r->now = time(NULL);
		if (it == URLSRC_BAD)
			reader_bad(r, path, lineno, why, line, len);
		else {
			reader_url(r, url);
			free(url);
		}
	}
	urlsrc_close(u);
}

/*
 * Read every URL list and deal the URLs out to the workers by host.
 * Returns 0, EXIT_USAGE if a list could not be read, or EXIT_OUTPUT if
 * the state could not.
 */
static int
read_lists(char **paths, int npaths, struct reader *r)
{
	static char	*stdin_path[] = { "-" };
	char		*err = NULL;
	int		 i;

	if (npaths == 0) {
		paths = stdin_path;
		npaths = 1;
	}
	if ((r->seen = urlset_new()) == NULL) {
		log_err("out of memory");
		return EXIT_USAGE;
	}
	if (r->o->state != NULL &&
	    (r->state = state_open(r->o->state, &err)) == NULL) {
		log_err("%s", err != NULL ? err : "out of memory");
		free(err);
		urlset_free(r->seen);
		return EXIT_OUTPUT;
	}
	for (i = 0; i < WRITER__MAX; i++)
		buf_init(&r->out[i], SIZE_MAX / 2);
	for (i = 0; i < npaths && !atomic_load(&shared.stop); i++)
		reader_file(r, paths[i]);
	reader_flush(r);
	for (i = 0; i < WRITER__MAX; i++)
		buf_free(&r->out[i]);
	state_close(r->state);
	urlset_free(r->seen);
	return r->rc;
}

/*
 * Why the last gzread() of n bytes on gz failed, or NULL if the file
 * ended well.  A gzip stream cut short reads as a clean end (zlib lets a
 * reader wait for a file still being written): that is an error here,
 * not a page.
 */
static const char *
read_error(gzFile gz, int n, char *buf, size_t sz)
{
	const char	*msg;
	int		 zerr;

	msg = gzerror(gz, &zerr);
	if (n == 0 && zerr == Z_BUF_ERROR)
		return "gzip data cut short";
	if (n == 0)
		return NULL;
	if (zerr == Z_ERRNO)
		return strerror(errno);
	snprintf(buf, sz, "bad gzip data: %s", msg);
	return buf;
}

/* -f: saved pages (.html or .html.gz) shared by the workers. */
struct files {
	char			**paths;
	int			  npaths;
	const struct opts	 *o;
	struct writer		 *w;
	atomic_int		  next;		/* the next path to take */
};

/* One -f worker: its counts, merged when it ends. */
struct files_worker {
	struct files		*fs;
	pthread_t		 thread;
	struct loop_stats	 st;
	unsigned long		 io;		/* files not read */
	int			 rc;
};

/* A signal came while the page was being opened or read. */
static void
interrupted(struct files_worker *fw, struct json_err *e, struct buf *errs)
{
	e->error = "interrupted";
	e->detail = "run stopped while reading the file";
	(void)json_err(errs, e);
	fw->st.interrupted++;
}

/* Extract one saved page into a record in out or errs. */
static void
extract_file(struct files_worker *fw, const char *path, struct buf *out,
    struct buf *errs)
{
	const struct opts	*o = fw->fs->o;
	struct extract		*x;
	struct extract_result	 r;
	struct json_doc		 d;
	struct json_err		 e;
	gzFile			 gz;
	const char		*why;
	char			 whybuf[128], chunk[64 * 1024];
	int			 n;

	memset(&e, 0, sizeof(e));
	e.url = path;
	e.urllen = strlen(path);
	e.at = time(NULL);
	e.attempts = 1;
	/* gzread passes plain files through unchanged. */
	if ((gz = gzopen(path, "rb")) == NULL) {
		if (errno == EINTR && atomic_load(&shared.stop)) {
			interrupted(fw, &e, errs);
			return;
		}
		log_err("cannot open %s: %s", log_str(e.url, e.urllen),
		    strerror(errno));
		e.error = "io";
		e.detail = strerror(errno);
		(void)json_err(errs, &e);
		fw->io++;
		fw->rc = EXIT_USAGE;
		return;
	}
	if ((x = extract_new(NULL, o->format)) == NULL) {
		why = "out of memory";
		n = 0;
	} else {
		while ((n = gzread(gz, chunk, sizeof(chunk))) > 0) {
			fw->st.bytes += n;
			if (extract_feed(x, chunk, n) == -1)
				break;
		}
		why = n > 0 ? "out of memory" : read_error(gz, n, whybuf,
		    sizeof(whybuf));
	}
	if (n < 0 && errno == EINTR && atomic_load(&shared.stop)) {
		interrupted(fw, &e, errs);
	} else if (why != NULL || extract_finish(x, &r) == -1) {
		if (why == NULL)
			why = "out of memory";
		log_err("cannot read %s: %s", log_str(e.url, e.urllen), why);
		e.error = "io";
		e.detail = why;
		(void)json_err(errs, &e);
		fw->io++;
		fw->rc = EXIT_USAGE;
	} else if (r.textlen == 0 || r.words < o->min_words) {
		e.error = "empty_text";
		e.detail = r.textlen == 0 ? "no text found" :
		    "fewer words than --min-words";
		(void)json_err(errs, &e);
		fw->st.empty++;
		extract_result_free(&r);
	} else {
		memset(&d, 0, sizeof(d));
		d.url = d.final_url = path;
		d.added = time(NULL);
		d.source = o->source;
		d.content_type = "text/html";
		d.lang = r.lang;
		d.title = r.title;
		d.words = r.words;
		d.text = r.text;
		d.textlen = r.textlen;
		d.description = r.description;
		d.canonical_url = r.canonical_url;
		d.published = r.published;
		(void)json_doc(out, &d);
		fw->st.docs++;
		extract_result_free(&r);
	}
	extract_free(x);
	gzclose(gz);
}

/* A -f worker: the next file not taken, until none is left or a stop. */
static void *
files_main(void *arg)
{
	struct files_worker	*fw = arg;
	struct files		*fs = fw->fs;
	struct buf		 out, errs;
	int			 i;

	buf_init(&out, SIZE_MAX / 2);
	buf_init(&errs, SIZE_MAX / 2);
	while (!atomic_load(&shared.stop) &&
	    (i = atomic_fetch_add(&fs->next, 1)) < fs->npaths) {
		extract_file(fw, fs->paths[i], &out, &errs);
		if (out.len >= TRAWL_BATCH_BYTES)
			put(fs->w, WRITER_CORPUS, &out);
		if (errs.len >= TRAWL_BATCH_BYTES)
			put(fs->w, WRITER_ERRORS, &errs);
	}
	put(fs->w, WRITER_CORPUS, &out);
	put(fs->w, WRITER_ERRORS, &errs);
	buf_free(&out);
	buf_free(&errs);
	return NULL;
}

/*
 * -f: extract saved pages with no network, on as many threads as -w says
 * (at most one a file); records come in no set order with more than one.
 */
static int
extract_files(char **paths, int npaths, const struct opts *o,
    struct writer *w, struct loop_stats *st, unsigned long *ret_ioerrs)
{
	struct files		 fs;
	struct files_worker	*fw;
	struct json_err		 e;
	struct buf		 errs;
	sigset_t		 mask, omask;
	int			 i, n, started, rc = 0;

	fs.paths = paths;
	fs.npaths = npaths;
	fs.o = o;
	fs.w = w;
	atomic_init(&fs.next, 0);
	n = o->workers < npaths ? o->workers : npaths;
	if (n < 1)
		n = 1;
	if ((fw = calloc((size_t)n, sizeof(*fw))) == NULL) {
		log_err("out of memory");
		return EXIT_USAGE;
	}
	for (i = 0; i < n; i++)
		fw[i].fs = &fs;
	/* Threads leave signals to the main thread, which works too. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &mask, &omask);
	for (started = 1; started < n; started++)
		if (pthread_create(&fw[started].thread, NULL, files_main,
		    &fw[started]) != 0)
			break;
	pthread_sigmask(SIG_SETMASK, &omask, NULL);
	files_main(&fw[0]);
	for (i = 0; i < started; i++) {
		if (i > 0)
			pthread_join(fw[i].thread, NULL);
		st->docs += fw[i].st.docs;
		st->empty += fw[i].st.empty;
		st->interrupted += fw[i].st.interrupted;
		st->bytes += fw[i].st.bytes;
		*ret_ioerrs += fw[i].io;
		if (fw[i].rc != 0)
			rc = fw[i].rc;
	}
	free(fw);
	/* A signal stopped the run: the pages not begun get their record. */
	memset(&e, 0, sizeof(e));
	e.error = "interrupted";
	e.detail = "run stopped before extraction";
	e.at = time(NULL);
	buf_init(&errs, SIZE_MAX / 2);
	for (i = atomic_load(&fs.next); i < npaths; i++) {
		e.url = paths[i];
		e.urllen = strlen(paths[i]);
		(void)json_err(&errs, &e);
		st->interrupted++;
		if (errs.len >= TRAWL_BATCH_BYTES)
			put(w, WRITER_ERRORS, &errs);
	}
	put(w, WRITER_ERRORS, &errs);
	buf_free(&errs);
	return rc;
}

static double
now_secs(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What a run did, for the summary line and --stats. */
struct totals {
	struct loop_stats	 st;
	unsigned long		 bad;		/* invalid_url lines */
	unsigned long		 io;		/* -f files not read */
	unsigned long		 skipped;	/* done in an earlier run */
	double			 secs;
	time_t			 started;
	struct loop_host_count	 top[LOOP_TOP_HOSTS];
	size_t			 ntop;
};

struct kind_count {
	const char	*kind;
	unsigned long	 n;
};

/* Every error kind with its count, into out; returns the error total. */
static unsigned long
tally(const struct totals *t, struct kind_count *out, size_t *ret_n)
{
	unsigned long	sum = 0;
	size_t		n = 0;
	int		i;

	out[n++] = (struct kind_count){ "invalid_url", t->bad };
	out[n++] = (struct kind_count){ "io", t->io };
	for (i = 1; i < FETCH__MAX; i++)
		if (i != FETCH_NOT_MODIFIED && i != FETCH_DISALLOWED)
			out[n++] = (struct kind_count){ fetch_error_str(i),
			    t->st.errors[i] };
	out[n++] = (struct kind_count){ "empty_text", t->st.empty };
	out[n++] = (struct kind_count){ "interrupted", t->st.interrupted };
	out[n++] = (struct kind_count){ "robots", t->st.robots };
	for (i = 0; i < (int)n; i++)
		sum += out[i].n;
	*ret_n = n;
	return sum;
}

#define KINDS_MAX	(FETCH__MAX + 8)

static void
summary(const struct totals *t)
{
	struct kind_count	 kinds[KINDS_MAX];
	struct buf		 b;
	size_t			 n, i;
	unsigned long		 errs;
	int			 first = 1;

	errs = tally(t, kinds, &n);
	buf_init(&b, 4096);
	buf_printf(&b, "%lu documents, %lu errors", t->st.docs, errs);
	for (i = 0; i < n; i++) {
		if (kinds[i].n == 0)
			continue;
		buf_printf(&b, "%s%s %lu", first ? " (" : ", ", kinds[i].kind,
		    kinds[i].n);
		first = 0;
	}
	if (!first)
		buf_addstr(&b, ")");
	if (t->st.retries > 0)
		buf_printf(&b, ", %lu retries", t->st.retries);
	if (t->skipped > 0)
		buf_printf(&b, ", %lu skipped", t->skipped);
	if (t->st.not_modified > 0)
		buf_printf(&b, ", %lu not_modified", t->st.not_modified);
	if (t->st.unchanged > 0)
		buf_printf(&b, ", %lu unchanged", t->st.unchanged);
	buf_printf(&b, ", %.1f MB, %.1f s, %.1f pages/s",
	    t->st.bytes / 1e6, t->secs, t->secs > 0 ? t->st.docs / t->secs :
	    0.0);
	log_warn("%s", b.data);
	buf_free(&b);
}

/* Merge one worker's failure ranking into the run's. */
static void
merge_top(struct totals *t, const struct loop_stats *one)
{
	size_t	i, k;

	for (i = 0; i < LOOP_TOP_HOSTS && one->top[i].failures > 0; i++) {
		if (t->ntop == LOOP_TOP_HOSTS &&
		    t->top[t->ntop - 1].failures >= one->top[i].failures)
			break;
		if (t->ntop < LOOP_TOP_HOSTS)
			t->ntop++;
		for (k = t->ntop - 1; k > 0 &&
		    t->top[k - 1].failures < one->top[i].failures; k--)
			t->top[k] = t->top[k - 1];
		t->top[k] = one->top[i];
	}
}

static void
add_stats(struct totals *t, const struct loop_stats *one)
{
	int	k;

	t->st.docs += one->docs;
	t->st.empty += one->empty;
	t->st.interrupted += one->interrupted;
	t->st.robots += one->robots;
	t->st.retries += one->retries;
	t->st.not_modified += one->not_modified;
	t->st.unchanged += one->unchanged;
	t->st.bytes += one->bytes;
	for (k = 0; k < FETCH__MAX; k++)
		t->st.errors[k] += one->errors[k];
	merge_top(t, one);
}

static void
iso_time(time_t t, char *out, size_t outsz)
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * --stats: the summary as one JSON object, written to a temporary file
 * and renamed, so a monitor never reads half of it.  Returns 0 or -1.
 */
static int
write_stats(const char *path, const struct totals *t, int status)
{
	struct kind_count	 kinds[KINDS_MAX];
	struct buf		 b;
	char			 tmp[PATH_MAX], when[32];
	size_t			 n, i;
	unsigned long		 errs;
	int			 fd, rc = -1;

	errs = tally(t, kinds, &n);
	buf_init(&b, SIZE_MAX / 2);
	buf_printf(&b, "{\"documents\":%lu,\"errors\":%lu,\"by_kind\":{",
	    t->st.docs, errs);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s\"%s\":%lu", i ? "," : "", kinds[i].kind,
		    kinds[i].n);
	iso_time(t->started, when, sizeof(when));
	buf_printf(&b, "},\"skipped\":%lu,\"not_modified\":%lu,"
	    "\"unchanged\":%lu,\"retries\":%lu,\"bytes\":%llu,"
	    "\"seconds\":%.3f,\"pages_per_second\":%.1f,\"started\":\"%s\",",
	    t->skipped, t->st.not_modified, t->st.unchanged, t->st.retries,
	    t->st.bytes, t->secs, t->secs > 0 ? t->st.docs / t->secs : 0.0,
	    when);
	iso_time(time(NULL), when, sizeof(when));
	buf_printf(&b, "\"finished\":\"%s\",\"exit\":%d,"
	    "\"top_failing_hosts\":[", when, status);
	for (i = 0; i < t->ntop; i++) {
		buf_addstr(&b, i ? ",{\"host\":" : "{\"host\":");
		json_str(&b, t->top[i].name, strlen(t->top[i].name));
		buf_printf(&b, ",\"failures\":%lu}", t->top[i].failures);
	}
	buf_addstr(&b, "]}\n");

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >=
	    sizeof(tmp))
		goto out;
	if ((fd = mkstemp(tmp)) == -1)
		goto out;
	if (write(fd, b.data, b.len) == (ssize_t)b.len && fchmod(fd, 0644) ==
	    0 && fsync(fd) == 0 && close(fd) == 0) {
		if (rename(tmp, path) == 0)
			rc = 0;
	} else
		close(fd);
	if (rc == -1)
		unlink(tmp);
out:
	if (rc == -1)
		log_err("cannot write stats %s: %s",
		    log_str(path, strlen(path)), strerror(errno));
	buf_free(&b);
	return rc;
}

/* The progress line: a thread that redraws it once a second. */
static void *
progress_main(void *arg)
{
	double		t0 = *(double *)arg, secs, rate;
	unsigned long	done, failed, total;
	int		tick = 0, shown = 0;
	char		eta[32];

	while (!atomic_load(&progress_stop)) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		if (++tick % 10 != 0)
			continue;
		secs = now_secs() - t0;
		done = atomic_load(&shared.done);
		failed = atomic_load(&shared.failed);
		total = atomic_load(&progress_total);
		rate = secs > 0 ? done / secs : 0;
		eta[0] = '\0';
		if (atomic_load(&progress_known) && rate > 0 && total >= done)
			snprintf(eta, sizeof(eta), "  eta %.0f s",
			    (total - done) / rate);
		fprintf(stderr, "\r\033[Ktrawl: %lu/%lu%s done, %d in flight, "
		    "%lu errors, %.1f URLs/s%s", done, total,
		    atomic_load(&progress_known) ? "" : "+",
		    atomic_load(&shared.inflight), failed, rate, eta);
		shown = 1;
	}
	if (shown)
		fputs("\r\033[K", stderr);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct opts		 o;
	struct loop		*workers[WORKERS_MAX];
	struct loop_stats	 one;
	struct totals		 t;
	struct reader		 rd;
	struct kind_count	 kinds[KINDS_MAX];
	size_t			 nkinds;
	struct writer		*w;
	struct writer_opts	 wo;
	struct sigaction	 sa;
	sigset_t		 mask, omask;
	pthread_t		 progress;
	char			*err = NULL;
	double			 t0 = now_secs();
	int			 i, n, rc = 0, irc, show = 0;

	parse_opts(argc, argv, &o);
	argc -= optind;
	argv += optind;
	if ((o.refresh >= 0 || o.retry_failed) && o.state == NULL) {
		log_err("%s needs --state", o.refresh >= 0 ? "--refresh" :
		    "--retry-failed");
		return EXIT_USAGE;
	}
	if (o.files && argc == 0) {
		log_err("-f needs at least one HTML file");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (o.lock != NULL)
		take_lock(o.lock);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_err("cannot initialise libcurl");
		return EXIT_USAGE;
	}
	/* libxml2's set-up, before any thread extracts. */
	extract_setup();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* Past a file size limit, write(2) fails with EFBIG: exit 3, whole. */
	sigaction(SIGXFSZ, &sa, NULL);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	wo.corpus = o.output;
	wo.errors = o.errors;
	wo.state = o.files ? NULL : o.state;
	wo.split = o.split;
	if ((w = writer_open(&wo, &err)) == NULL) {
		log_err("%s", err);
		free(err);
		return EXIT_OUTPUT;
	}

	memset(&t, 0, sizeof(t));
	t.started = time(NULL);
	if (o.files) {
		irc = extract_files(argv, argc, &o, w, &t.st, &t.io);
		goto done;
	}

	shared.fetch.timeout = o.timeout;
	shared.fetch.connect_timeout = o.connect_timeout;
	shared.fetch.max_size = o.max_size;
	shared.fetch.user_agent = o.user_agent;
	shared.fetch.format = o.format;
	shared.fetch.redirect_ok = o.no_robots ? NULL : loop_redirect_ok;
	/* Receive buffers in flight stay within a budget whatever -j says. */
	shared.fetch.recvbuf = TRAWL_RECV_BUDGET / o.jobs;
	if (shared.fetch.recvbuf > TRAWL_RECV_MAX)
		shared.fetch.recvbuf = TRAWL_RECV_MAX;
	if (shared.fetch.recvbuf < TRAWL_RECV_MIN)
		shared.fetch.recvbuf = TRAWL_RECV_MIN;
	shared.jobs = o.jobs;
	shared.per_host = o.per_host;
	shared.rate = o.rate;
	shared.min_words = o.min_words;
	shared.retries = o.retries;
	shared.robots = !o.no_robots;
	shared.state = o.state != NULL;
	shared.source = o.source;
	shared.writer = w;

	/* Threads leave signals to the main thread. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &mask, &omask);
	for (n = 0; n < o.workers; n++)
		if ((workers[n] = loop_new(&shared)) == NULL ||
		    loop_start(workers[n]) == -1) {
			log_err("cannot start worker: %s", strerror(errno));
			loop_free(workers[n]);
			atomic_store(&shared.stop, 1);
			break;
		}
	if (o.progress > 0 || (o.progress == 0 && log_level != LOG_QUIET &&
	    isatty(STDERR_FILENO)))
		show = pthread_create(&progress, NULL, progress_main, &t0) == 0;
	pthread_sigmask(SIG_SETMASK, &omask, NULL);
	memset(&rd, 0, sizeof(rd));
	rd.o = &o;
	rd.workers = workers;
	rd.nworkers = n;
	rd.w = w;
	irc = n == 0 ? EXIT_USAGE : read_lists(argv, argc, &rd);
	t.bad = rd.bad;
	t.skipped = rd.skipped;
	atomic_store(&progress_known, 1);
	for (i = 0; i < n; i++)
		loop_close(workers[i]);
	for (i = 0; i < n; i++) {
		loop_join(workers[i], &one);
		add_stats(&t, &one);
		loop_free(workers[i]);
	}
	if (show) {
		atomic_store(&progress_stop, 1);
		pthread_join(progress, NULL);
	}

done:
	t.secs = now_secs() - t0;
	switch (writer_close(w, &err)) {
	case WRITER_OK:
		break;
	case WRITER_EPIPE:
		/* The reader of our output went away: that is its choice. */
		rc = EXIT_OUTPUT;
		break;
	default:
		log_err("%s", err != NULL ? err : "cannot write output");
		rc = EXIT_OUTPUT;
		break;
	}
	free(err);
	if (rc == 0) {
		summary(&t);
		if (got_signal != 0)
			rc = 128 + got_signal;
		else if (irc != 0)
			rc = irc;
		else if (tally(&t, kinds, &nkinds) > t.st.robots)
			rc = EXIT_FAILED;	/* robots.txt is policy */
	}
	if (o.stats != NULL && write_stats(o.stats, &t, rc) == -1 && rc == 0)
		rc = EXIT_OUTPUT;
	curl_global_cleanup();
	return rc;
}
