/*
 * The state database: rows round-trip, lookups, and reconciling output
 * files after a batch that a kill cut short.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "buf.h"
#include "check.h"
#include "state.h"

static char	dir[] = "/tmp/test_state.XXXXXX";

static char *
path(const char *name)
{
	static char	p[4][256];
	static int	n;

	n = (n + 1) % 4;
	snprintf(p[n], sizeof(p[n]), "%s/%s", dir, name);
	return p[n];
}

static void
append(const char *p, const char *s)
{
	int	fd = open(p, O_WRONLY | O_CREAT | O_APPEND, 0644);

	CHECK(fd != -1);
	if (fd == -1)
		return;
	CHECK_INT(write(fd, s, strlen(s)), (long long)strlen(s));
	close(fd);
}

static long long
size_of(const char *p)
{
	struct stat	sb;

	return stat(p, &sb) == 0 ? sb.st_size : -1;
}

static void
test_rows(void)
{
	struct state		*st;
	struct state_url	 u;
	struct buf		 rows;
	char			*err = NULL;
	static const char	 bad[] = "ftp://x\0y\n";

	CHECK((st = state_open(path("rows.db"), &err)) != NULL);
	if (st == NULL) {
		fprintf(stderr, "%s\n", err);
		free(err);
		return;
	}
	buf_init(&rows, 1 << 20);
	CHECK_INT(state_row(&rows, "http://a/", 9, "document", 0, 1000,
	    0xfedcba9876543210ULL, "\"e1\"", "Tue, 01 Jan 2030 00:00:00 GMT"),
	    0);
	CHECK_INT(state_row(&rows, "http://b/", 9, "timeout", 1, 1001, 0,
	    NULL, NULL), 0);
	CHECK_INT(state_row(&rows, bad, sizeof(bad) - 1, "invalid_url", 0,
	    1002, 0, NULL, NULL), 0);
	CHECK_INT(state_batch(st, rows.data, rows.len, NULL, 0), 0);

	CHECK_INT(state_lookup(st, "http://a/", 9, &u), 1);
	CHECK_STR(u.outcome, "document");
	CHECK_INT(u.transient, 0);
	CHECK_INT(u.at, 1000);
	CHECK(u.text_hash == 0xfedcba9876543210ULL);
	CHECK_STR(u.etag, "\"e1\"");
	CHECK_STR(u.last_modified, "Tue, 01 Jan 2030 00:00:00 GMT");
	CHECK_INT(state_lookup(st, "http://b/", 9, &u), 1);
	CHECK_STR(u.outcome, "timeout");
	CHECK_INT(u.transient, 1);
	CHECK_INT(state_lookup(st, bad, sizeof(bad) - 1, &u), 1);
	CHECK_STR(u.outcome, "invalid_url");
	CHECK_INT(state_lookup(st, "http://c/", 9, &u), 0);

	/* A later outcome replaces; validators it lacks are kept. */
	buf_reset(&rows);
	CHECK_INT(state_row(&rows, "http://a/", 9, "document", 0, 2000, 0,
	    NULL, NULL), 0);
	CHECK_INT(state_batch(st, rows.data, rows.len, NULL, 0), 0);
	CHECK_INT(state_lookup(st, "http://a/", 9, &u), 1);
	CHECK_INT(u.at, 2000);
	CHECK_STR(u.etag, "\"e1\"");
	CHECK(u.text_hash == 0xfedcba9876543210ULL);

	/* A garbled row fails the batch whole. */
	CHECK_INT(state_batch(st, "9:http://d", 10, NULL, 0), -1);
	CHECK_INT(state_lookup(st, "http://d", 8, &u), 0);
	buf_free(&rows);
	state_close(st);
	state_close(NULL);
}

/* A batch recorded, then the kill before its bytes were all written. */
static void
test_reconcile(void)
{
	struct state		*st;
	struct state_url	 u;
	struct state_range	 r[2];
	struct buf		 rows;
	char			*err = NULL;
	char			 corpus[256], errors[256];

	strlcpy(corpus, path("corpus.jsonl"), sizeof(corpus));
	strlcpy(errors, path("errors.jsonl"), sizeof(errors));

	CHECK((st = state_open(path("rec.db"), &err)) != NULL);
	if (st == NULL) {
		free(err);
		return;
	}
	buf_init(&rows, 1 << 20);

	/* Batch 1: whole in both files. */
	CHECK_INT(state_row(&rows, "http://1/", 9, "document", 0, 1, 1, NULL,
	    NULL), 0);
	r[0] = (struct state_range){ corpus, 0, 6 };
	r[1] = (struct state_range){ errors, 0, 4 };
	CHECK_INT(state_batch(st, rows.data, rows.len, r, 2), 0);
	append(corpus, "{\"a\"}\n");
	append(errors, "{e}\n");

	/* Batch 2: the corpus part arrived, the errors part did not. */
	buf_reset(&rows);
	CHECK_INT(state_row(&rows, "http://2/", 9, "document", 0, 1, 1, NULL,
	    NULL), 0);
	r[0] = (struct state_range){ corpus, 6, 12 };
	r[1] = (struct state_range){ errors, 4, 8 };
	CHECK_INT(state_batch(st, rows.data, rows.len, r, 2), 0);
	append(corpus, "{\"b\"}\n");
	append(errors, "{e");
	state_close(st);

	CHECK((st = state_open(path("rec.db"), &err)) != NULL);
	if (st == NULL) {
		free(err);
		return;
	}
	CHECK_INT(state_reconcile(st, corpus), 6);
	CHECK_INT(size_of(corpus), 6);
	CHECK_INT(state_reconcile(st, errors), 4);
	CHECK_INT(size_of(errors), 4);
	CHECK_INT(state_lookup(st, "http://1/", 9, &u), 1);
	CHECK_INT(state_lookup(st, "http://2/", 9, &u), 0);

	/* Bytes past the last batch (their commit lost) are cut off. */
	append(corpus, "{\"junk\"}\n{\"half");
	CHECK_INT(state_reconcile(st, corpus), 6);
	CHECK_INT(size_of(corpus), 6);

	/* Batch 3 reached the files whole: kept, and marked done. */
	buf_reset(&rows);
	CHECK_INT(state_row(&rows, "http://3/", 9, "document", 0, 1, 1, NULL,
	    NULL), 0);
	r[0] = (struct state_range){ corpus, 6, 12 };
	CHECK_INT(state_batch(st, rows.data, rows.len, r, 1), 0);
	append(corpus, "{\"c\"}\n");
	state_close(st);
	CHECK((st = state_open(path("rec.db"), &err)) != NULL);
	if (st == NULL) {
		free(err);
		return;
	}
	CHECK_INT(state_reconcile(st, corpus), 12);
	CHECK_INT(state_lookup(st, "http://3/", 9, &u), 1);

	/* A file the state never heard of is appended to as it is. */
	append(path("other.jsonl"), "{}\n");
	CHECK_INT(state_reconcile(st, path("other.jsonl")), 3);
	CHECK_INT(state_reconcile(st, path("missing.jsonl")), 0);
	buf_free(&rows);
	state_close(st);
}

int
main(void)
{
	char	cmd[300];

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_rows();
	test_reconcile();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	CHECK_DONE();
}
