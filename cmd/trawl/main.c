/*
 * trawl: fetch the URLs of URL lists, concurrently and politely, and write
 * their main text as JSONL.  This file parses options, wires the modules
 * together and is the only code that exits.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
#include "urlsrc.h"
#include "writer.h"

#define EXIT_FAILED	1	/* some URLs gave no document */
#define EXIT_USAGE	2	/* bad options or unreadable input */
#define EXIT_OUTPUT	3	/* output could not be written */

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
};

static struct loop_shared	 shared;
static volatile sig_atomic_t	 got_signal;

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: trawl [-fqVv] [-A agent] [-e errors] [-j jobs] [-o output]\n"
"             [-p per-host] [-r rate] [-t timeout] [-w workers]\n"
"             [--connect-timeout secs] [--format text|markdown]\n"
"             [--max-size size] [--min-words n] [--no-robots]\n"
"             [--retries n] [--source name] [urlfile ...]\n"
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
		OPT_MIN_WORDS, OPT_NO_ROBOTS, OPT_RETRIES, OPT_SOURCE,
	};
	static const struct option longopts[] = {
		{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
		{ "errors", required_argument, NULL, 'e' },
		{ "files", no_argument, NULL, 'f' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "min-words", required_argument, NULL, OPT_MIN_WORDS },
		{ "no-robots", no_argument, NULL, OPT_NO_ROBOTS },
		{ "output", required_argument, NULL, 'o' },
		{ "per-host", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "rate", required_argument, NULL, 'r' },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "source", required_argument, NULL, OPT_SOURCE },
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

/* Hand main's own records to the writer. */
static void
put(struct writer *w, enum writer_stream s, struct buf *b)
{
	if (b->len > 0 && writer_put(w, s, b) == -1) {
		buf_reset(b);
		atomic_store(&shared.stop, 1);
	}
}

static void
bad_line(struct buf *errs, const char *path, unsigned long lineno,
    const char *why, const char *line, size_t len)
{
	struct json_err	e;

	log_warn("%s:%lu: %s: %s", log_str(path, strlen(path)), lineno, why,
	    log_str(line, len));
	memset(&e, 0, sizeof(e));
	e.url = line;
	e.urllen = len;
	e.error = "invalid_url";
	e.detail = why;
	e.at = time(NULL);
	(void)json_err(errs, &e);
}

/*
 * Read every URL list and deal the URLs out to the workers by host.
 * Returns 0, or EXIT_USAGE if a list could not be read.  *ret_bad counts
 * the bad lines.
 */
static int
read_lists(char **paths, int npaths, struct loop **workers, int nworkers,
    struct writer *w, unsigned long *ret_bad)
{
	static char	*stdin_path[] = { "-" };
	struct urlset	*seen;
	struct buf	 errs;
	int		 i, rc = 0;

	if (npaths == 0) {
		paths = stdin_path;
		npaths = 1;
	}
	if ((seen = urlset_new()) == NULL) {
		log_err("out of memory");
		return EXIT_USAGE;
	}
	buf_init(&errs, SIZE_MAX / 2);
	for (i = 0; i < npaths && !atomic_load(&shared.stop); i++) {
		struct urlsrc		*u;
		enum urlsrc_item	 it;
		char			*url, *host;
		const char		*why, *line;
		size_t			 len;
		unsigned long		 lineno;

		if ((u = urlsrc_open(paths[i])) == NULL) {
			log_err("cannot open %s: %s",
			    log_str(paths[i], strlen(paths[i])),
			    strerror(errno));
			rc = EXIT_USAGE;
			continue;
		}
		while (!atomic_load(&shared.stop)) {
			it = urlsrc_next(u, &url, &why, &line, &len, &lineno);
			if (it == URLSRC_EOF)
				break;
			if (it == URLSRC_ERROR && errno == EINTR)
				continue;	/* the loop tests for a stop */
			if (it == URLSRC_ERROR) {
				log_err("cannot read %s: %s",
				    log_str(paths[i], strlen(paths[i])),
				    strerror(errno));
				rc = EXIT_USAGE;
				break;
			}
			if (it == URLSRC_BAD) {
				(*ret_bad)++;
				bad_line(&errs, paths[i], lineno, why, line,
				    len);
				if (errs.len >= TRAWL_BATCH_BYTES)
					put(w, WRITER_ERRORS, &errs);
				continue;
			}
			if (urlset_add(seen, url) != 1 ||
			    (host = urlsrc_host(url)) == NULL) {
				free(url);
				continue;
			}
			if (loop_push(workers[urlsrc_hash(host, strlen(host)) %
			    nworkers], url, host) == -1) {
				log_err("out of memory");
				atomic_store(&shared.stop, 1);
			}
			free(host);
			free(url);
		}
		urlsrc_close(u);
	}
	put(w, WRITER_ERRORS, &errs);
	buf_free(&errs);
	urlset_free(seen);
	return rc;
}

/* -f: extract saved pages (.html or .html.gz) with no network. */
static int
extract_files(char **paths, int npaths, const struct opts *o,
    struct writer *w, struct loop_stats *st, unsigned long *ret_ioerrs)
{
	struct buf	out, errs;
	char		chunk[64 * 1024];
	int		i, rc = 0;

	buf_init(&out, SIZE_MAX / 2);
	buf_init(&errs, SIZE_MAX / 2);
	for (i = 0; i < npaths && !atomic_load(&shared.stop); i++) {
		struct extract		*x;
		struct extract_result	 r;
		struct json_doc		 d;
		struct json_err		 e;
		gzFile			 gz;
		int			 n;

		memset(&e, 0, sizeof(e));
		e.url = paths[i];
		e.urllen = strlen(paths[i]);
		e.at = time(NULL);
		e.attempts = 1;
		/* gzread passes plain files through unchanged. */
		if ((gz = gzopen(paths[i], "rb")) == NULL) {
			log_err("cannot open %s: %s", log_str(e.url, e.urllen),
			    strerror(errno));
			e.error = "io";
			e.detail = strerror(errno);
			(void)json_err(&errs, &e);
			(*ret_ioerrs)++;
			rc = EXIT_USAGE;
			continue;
		}
		if ((x = extract_new(NULL, o->format)) == NULL) {
			log_err("out of memory");
			gzclose(gz);
			rc = EXIT_USAGE;
			break;
		}
		while ((n = gzread(gz, chunk, sizeof(chunk))) > 0) {
			st->bytes += n;
			if (extract_feed(x, chunk, n) == -1)
				break;
		}
		if (n != 0 || extract_finish(x, &r) == -1) {
			log_err("cannot read %s", log_str(e.url, e.urllen));
			e.error = "io";
			e.detail = "cannot read or parse the file";
			(void)json_err(&errs, &e);
			(*ret_ioerrs)++;
			rc = EXIT_USAGE;
		} else if (r.textlen == 0 || r.words < o->min_words) {
			e.error = "empty_text";
			e.detail = r.textlen == 0 ? "no text found" :
			    "fewer words than --min-words";
			(void)json_err(&errs, &e);
			st->empty++;
			extract_result_free(&r);
		} else {
			memset(&d, 0, sizeof(d));
			d.url = d.final_url = paths[i];
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
			(void)json_doc(&out, &d);
			st->docs++;
			extract_result_free(&r);
		}
		extract_free(x);
		gzclose(gz);
		if (out.len >= TRAWL_BATCH_BYTES)
			put(w, WRITER_CORPUS, &out);
		if (errs.len >= TRAWL_BATCH_BYTES)
			put(w, WRITER_ERRORS, &errs);
	}
	put(w, WRITER_CORPUS, &out);
	put(w, WRITER_ERRORS, &errs);
	buf_free(&out);
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

static void
summary(const struct loop_stats *st, unsigned long bad, unsigned long io,
    double secs)
{
	struct buf	 b;
	unsigned long	 errs = bad + io + st->empty + st->interrupted +
			    st->robots;
	int		 i, first = 1;

	for (i = 0; i < FETCH__MAX; i++)
		errs += st->errors[i];
	buf_init(&b, 4096);
	buf_printf(&b, "%lu documents, %lu errors", st->docs, errs);
	if (errs > 0) {
		buf_addstr(&b, " (");
#define KIND(name, n) do {						\
	if ((n) > 0) {							\
		buf_printf(&b, "%s%s %lu", first ? "" : ", ", name, n);	\
		first = 0;						\
	}								\
} while (0)
		KIND("invalid_url", bad);
		KIND("io", io);
		for (i = 0; i < FETCH__MAX; i++)
			KIND(fetch_error_str(i), st->errors[i]);
		KIND("empty_text", st->empty);
		KIND("interrupted", st->interrupted);
		KIND("robots", st->robots);
#undef KIND
		buf_addstr(&b, ")");
	}
	if (st->retries > 0)
		buf_printf(&b, ", %lu retries", st->retries);
	buf_printf(&b, ", %.1f MB, %.1f s, %.1f pages/s",
	    st->bytes / 1e6, secs, secs > 0 ? st->docs / secs : 0.0);
	log_warn("%s", b.data);
	buf_free(&b);
}

int
main(int argc, char **argv)
{
	struct opts		 o;
	struct loop		*workers[WORKERS_MAX];
	struct loop_stats	 st, one;
	struct writer		*w;
	struct sigaction	 sa;
	sigset_t		 mask, omask;
	char			*err = NULL;
	unsigned long		 bad = 0, ferrs = 0;
	double			 t0 = now_secs();
	int			 i, n, rc = 0, irc;

	parse_opts(argc, argv, &o);
	argc -= optind;
	argv += optind;
	if (o.files && argc == 0) {
		log_err("-f needs at least one HTML file");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_err("cannot initialise libcurl");
		return EXIT_USAGE;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if ((w = writer_new(o.output, o.errors, &err)) == NULL) {
		log_err("%s", err);
		free(err);
		return EXIT_OUTPUT;
	}

	memset(&st, 0, sizeof(st));
	if (o.files) {
		irc = extract_files(argv, argc, &o, w, &st, &ferrs);
		goto done;
	}

	shared.fetch.timeout = o.timeout;
	shared.fetch.connect_timeout = o.connect_timeout;
	shared.fetch.max_size = o.max_size;
	shared.fetch.user_agent = o.user_agent;
	shared.fetch.format = o.format;
	shared.jobs = o.jobs;
	shared.per_host = o.per_host;
	shared.rate = o.rate;
	shared.min_words = o.min_words;
	shared.retries = o.retries;
	shared.robots = !o.no_robots;
	shared.source = o.source;
	shared.writer = w;

	/* Workers leave signals to the main thread. */
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
	pthread_sigmask(SIG_SETMASK, &omask, NULL);
	irc = n == 0 ? EXIT_USAGE :
	    read_lists(argv, argc, workers, n, w, &bad);
	for (i = 0; i < n; i++)
		loop_close(workers[i]);
	for (i = 0; i < n; i++) {
		loop_join(workers[i], &one);
		st.docs += one.docs;
		st.empty += one.empty;
		st.interrupted += one.interrupted;
		st.robots += one.robots;
		st.retries += one.retries;
		st.bytes += one.bytes;
		for (int k = 0; k < FETCH__MAX; k++)
			st.errors[k] += one.errors[k];
		loop_free(workers[i]);
	}

done:
	switch (writer_close(w, &err)) {
	case WRITER_OK:
		break;
	case WRITER_EPIPE:
		/* The reader of our output went away: that is its choice. */
		free(err);
		curl_global_cleanup();
		return EXIT_OUTPUT;
	default:
		log_err("%s", err != NULL ? err : "cannot write output");
		free(err);
		curl_global_cleanup();
		return EXIT_OUTPUT;
	}
	summary(&st, bad, ferrs, now_secs() - t0);
	curl_global_cleanup();
	if (got_signal != 0)
		return 128 + got_signal;
	if (irc != 0)
		return irc;
	for (i = 0; i < FETCH__MAX; i++)
		if (st.errors[i] > 0)
			rc = EXIT_FAILED;
	if (bad + ferrs + st.empty + st.interrupted > 0)
		rc = EXIT_FAILED;
	return rc;
}
