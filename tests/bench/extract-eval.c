/*
 * Run the extractor over saved pages and print one JSON line per page,
 * {"id": ..., "text": ...}, for extraction-dev's score; the MB/s of HTML
 * extracted per second of CPU time (parse included, gunzip excluded)
 * goes to stderr.
 *
 * usage: extract-eval [-m] [-c chunk] [-r rounds] page.html[.gz] ...
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "extract.h"

static char *
slurp(const char *path, size_t *ret_len)
{
	gzFile	 f;
	char	*p = NULL, *np;
	size_t	 len = 0, cap = 0;
	int	 n;

	if ((f = gzopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			if ((np = realloc(p, cap)) == NULL)
				err(1, NULL);
			p = np;
		}
		if ((n = gzread(f, p + len, 65536)) <= 0)
			break;
		len += (size_t)n;
	}
	gzclose(f);
	*ret_len = len;
	return p;
}

static void
json_str(const char *s, size_t n)
{
	size_t	 i;

	putchar('"');
	for (i = 0; i < n; i++) {
		unsigned char	 c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static const char *
page_id(const char *path, char *buf, size_t sz)
{
	const char	*b = strrchr(path, '/');
	size_t		 n;

	strlcpy(buf, b != NULL ? b + 1 : path, sz);
	n = strlen(buf);
	if (n > 3 && strcmp(buf + n - 3, ".gz") == 0)
		buf[n -= 3] = '\0';
	if (n > 5 && strcmp(buf + n - 5, ".html") == 0)
		buf[n -= 5] = '\0';
	return buf;
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	struct extract		*x;
	struct extract_result	 r;
	enum extract_format	 fmt = EXTRACT_TEXT;
	size_t			 chunk = 16384, len, off, n, total = 0;
	double			 t0, spent = 0;
	const char		*errstr;
	char			*page, id[256];
	int			 ch, i, rounds = 1, k;

	while ((ch = getopt(argc, argv, "c:mr:")) != -1) {
		switch (ch) {
		case 'c':
			chunk = (size_t)strtonum(optarg, 1, 1 << 30, &errstr);
			if (errstr != NULL)
				errx(2, "chunk size %s: %s", optarg, errstr);
			break;
		case 'm':
			fmt = EXTRACT_MARKDOWN;
			break;
		case 'r':
			rounds = (int)strtonum(optarg, 1, 1000, &errstr);
			if (errstr != NULL)
				errx(2, "rounds %s: %s", optarg, errstr);
			break;
		default:
			fprintf(stderr, "usage: extract-eval [-m] [-c chunk] "
			    "[-r rounds] page ...\n");
			return 2;
		}
	}
	for (i = optind; i < argc; i++) {
		if ((page = slurp(argv[i], &len)) == NULL) {
			warn("%s", argv[i]);
			continue;
		}
		for (k = 0; k < rounds; k++) {
			t0 = now();
			if ((x = extract_new(NULL, fmt)) == NULL)
				errx(1, "extract_new");
			for (off = 0; off < len; off += n) {
				n = len - off < chunk ? len - off : chunk;
				if (extract_feed(x, page + off, n) == -1)
					errx(1, "%s: extract_feed", argv[i]);
			}
			if (extract_finish(x, &r) == -1)
				errx(1, "%s: extract_finish", argv[i]);
			extract_free(x);
			spent += now() - t0;
			total += len;
			if (k + 1 < rounds) {
				extract_result_free(&r);
				continue;
			}
			printf("{\"id\":");
			page_id(argv[i], id, sizeof(id));
			json_str(id, strlen(id));
			printf(",\"title\":");
			json_str(r.title, strlen(r.title));
			printf(",\"text\":");
			json_str(r.text, r.textlen);
			printf("}\n");
			extract_result_free(&r);
		}
		free(page);
	}
	fprintf(stderr, "extract-eval: %zu bytes in %.3f s: %.1f MB/s\n",
	    total, spent, spent > 0 ? total / spent / 1e6 : 0.0);
	return 0;
}
