/*
 * The state database: URL outcomes and the byte ranges of record batches,
 * in SQLite with write-ahead logging.
 *
 * The commit order that makes a resumed run exact: a batch's outcomes and
 * the ranges its records will take are committed first, then the records
 * are written and synced.  A kill between the two leaves a batch the state
 * knows of but the files do not hold whole; state_reconcile() finds it at
 * the next start, cuts the files back to where it began, and forgets its
 * outcomes, so its URLs are fetched again.  Bytes past the last batch the
 * state knows (written, but their commit lost) are cut off the same way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include <sqlite3.h>

#include "buf.h"
#include "state.h"

#define STATE_BUSY_MS	10000	/* wait for the other connection's lock */

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=NORMAL;"
	"CREATE TABLE IF NOT EXISTS urls ("
	" url BLOB PRIMARY KEY,"
	" outcome TEXT NOT NULL,"
	" transient INTEGER NOT NULL,"
	" at INTEGER NOT NULL,"
	" text_hash INTEGER,"
	" etag TEXT,"
	" last_modified TEXT,"
	" batch INTEGER) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS urls_batch ON urls(batch);"
	"CREATE TABLE IF NOT EXISTS batches ("
	" batch INTEGER NOT NULL,"
	" path TEXT NOT NULL,"
	" start INTEGER NOT NULL,"
	" end INTEGER NOT NULL,"
	" done INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (batch, path));"
	"CREATE INDEX IF NOT EXISTS batches_path ON batches(path, end);";

enum {
	Q_LOOKUP,
	Q_UPSERT,
	Q_RANGE,
	Q_DONE,
	Q__MAX
};

static const char *const queries[Q__MAX] = {
	[Q_LOOKUP] = "SELECT outcome, transient, at, text_hash, etag,"
	    " last_modified FROM urls WHERE url = ?1",
	[Q_UPSERT] = "INSERT INTO urls (url, outcome, transient, at,"
	    " text_hash, etag, last_modified, batch)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT(url) DO UPDATE SET outcome = ?2, transient = ?3,"
	    " at = ?4, text_hash = coalesce(?5, text_hash),"
	    " etag = coalesce(?6, etag),"
	    " last_modified = coalesce(?7, last_modified), batch = ?8",
	[Q_RANGE] = "INSERT INTO batches (batch, path, start, end)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[Q_DONE] = "UPDATE batches SET done = 1 WHERE done = 0",
};

struct state {
	sqlite3		*db;
	sqlite3_stmt	*q[Q__MAX];
	long long	 batch;		/* the last batch recorded */
};

const char *
state_errmsg(struct state *st)
{
	return sqlite3_errmsg(st->db);
}

static int
exec(struct state *st, const char *sql)
{
	return sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK ?
	    0 : -1;
}

struct state *
state_open(const char *path, char **ret_err)
{
	struct state	*st;
	sqlite3_stmt	*s;
	int		 i;

	if ((st = calloc(1, sizeof(*st))) == NULL) {
		*ret_err = strdup("out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(st->db, STATE_BUSY_MS);
	if (sqlite3_exec(st->db, schema, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	for (i = 0; i < Q__MAX; i++)
		if (sqlite3_prepare_v3(st->db, queries[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->q[i], NULL) != SQLITE_OK)
			goto fail;
	if (sqlite3_prepare_v2(st->db, "SELECT max(batch) FROM batches", -1,
	    &s, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_step(s) == SQLITE_ROW)
		st->batch = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return st;
fail:
	if (asprintf(ret_err, "cannot open state %s: %s", path,
	    st->db != NULL ? sqlite3_errmsg(st->db) : "out of memory") == -1)
		*ret_err = NULL;
	state_close(st);
	return NULL;
}

static void
copy_text(sqlite3_stmt *s, int col, char *out, size_t outsz)
{
	const unsigned char	*t = sqlite3_column_text(s, col);

	strlcpy(out, t != NULL ? (const char *)t : "", outsz);
}

int
state_lookup(struct state *st, const char *url, size_t len,
    struct state_url *ret)
{
	sqlite3_stmt	*s = st->q[Q_LOOKUP];
	int		 rc;

	sqlite3_bind_blob(s, 1, url, (int)len, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		copy_text(s, 0, ret->outcome, sizeof(ret->outcome));
		ret->transient = sqlite3_column_int(s, 1);
		ret->at = sqlite3_column_int64(s, 2);
		ret->text_hash = (uint64_t)sqlite3_column_int64(s, 3);
		copy_text(s, 4, ret->etag, sizeof(ret->etag));
		copy_text(s, 5, ret->last_modified, sizeof(ret->last_modified));
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Cut path to len bytes if it is a regular file longer than that. */
static int
cut(const char *path, long long len)
{
	struct stat	sb;

	if (stat(path, &sb) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISREG(sb.st_mode) || sb.st_size <= len)
		return 0;
	return truncate(path, len);
}

long long
state_reconcile(struct state *st, const char *path)
{
	sqlite3_stmt	*s = NULL;
	struct stat	 sb;
	long long	 last, start, end, size;
	int		 whole = 1, rc;
	char		*sql;

	/* The newest batch, if it never got marked done, may be cut short. */
	if (sqlite3_prepare_v2(st->db, "SELECT path, start, end FROM batches"
	    " WHERE batch = ?1 AND done = 0", -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(s, 1, st->batch);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(s, 0);

		end = sqlite3_column_int64(s, 2);
		if (stat(p, &sb) == -1 || sb.st_size < end)
			whole = 0;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE && !whole) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			start = sqlite3_column_int64(s, 1);
			if (cut((const char *)sqlite3_column_text(s, 0),
			    start) == -1)
				goto fail;
		}
		if ((sql = sqlite3_mprintf("BEGIN; DELETE FROM urls WHERE"
		    " batch = %lld; DELETE FROM batches WHERE batch = %lld;"
		    " COMMIT;", st->batch, st->batch)) == NULL)
			goto fail;
		rc = exec(st, sql);
		sqlite3_free(sql);
		if (rc == -1)
			goto fail;
	} else if (rc != SQLITE_DONE || exec(st, queries[Q_DONE]) == -1)
		goto fail;
	sqlite3_finalize(s);
	s = NULL;

	/* Where path's batches end; bytes past that never got committed. */
	if (sqlite3_prepare_v2(st->db, "SELECT max(end) FROM batches"
	    " WHERE path = ?1", -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW)
		goto fail;
	if (sqlite3_column_type(s, 0) == SQLITE_NULL) {
		/* Unknown to the state: append to what is there. */
		sqlite3_finalize(s);
		if (stat(path, &sb) == -1)
			return errno == ENOENT ? 0 : -1;
		return sb.st_size;
	}
	last = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (stat(path, &sb) == -1)
		return errno == ENOENT ? 0 : -1;
	size = sb.st_size;
	if (size < last)
		return size;	/* shortened by hand: append to it anyway */
	return cut(path, last) == -1 ? -1 : last;
fail:
	sqlite3_finalize(s);
	return -1;
}

/* Read one "LEN:" length-prefixed field of a row. */
static const char *
field(const char **p, const char *end, size_t *ret_len)
{
	const char	*q = *p, *v;
	size_t		 n = 0;

	while (q < end && *q >= '0' && *q <= '9' && n < (size_t)1 << 40)
		n = n * 10 + (*q++ - '0');
	if (q >= end || *q != ':' || n > (size_t)(end - q - 1))
		return NULL;
	v = q + 1;
	*p = v + n;
	*ret_len = n;
	return v;
}

int
state_row(struct buf *b, const char *url, size_t len, const char *outcome,
    int transient, time_t at, uint64_t text_hash, const char *etag,
    const char *last_modified)
{
	size_t	start = b->len;

	if (etag == NULL)
		etag = "";
	if (last_modified == NULL)
		last_modified = "";
	if (buf_printf(b, "%zu:", len) == -1 || buf_add(b, url, len) == -1 ||
	    buf_printf(b, "%zu:%s%d%lld:%020llu%zu:%s%zu:%s",
	    strlen(outcome), outcome, transient ? 1 : 0, (long long)at,
	    (unsigned long long)text_hash, strlen(etag), etag,
	    strlen(last_modified), last_modified) == -1) {
		buf_truncate(b, start);
		return -1;
	}
	return 0;
}

/* Parse and store the rows of one batch. */
static int
store_rows(struct state *st, const char *p, size_t len)
{
	sqlite3_stmt	*s = st->q[Q_UPSERT];
	const char	*end = p + len, *url, *out, *etag, *lm;
	size_t		 ul, ol, el, ll;
	char		 num[32], *e;
	long long	 at;
	unsigned long long hash;
	int		 transient, rc;

	while (p < end) {
		if ((url = field(&p, end, &ul)) == NULL ||
		    (out = field(&p, end, &ol)) == NULL || p >= end)
			return -1;
		transient = *p++ == '1';
		at = strtoll(p, &e, 10);
		if (e >= end || *e != ':' || end - e < 21)
			return -1;
		memcpy(num, e + 1, 20);
		num[20] = '\0';
		hash = strtoull(num, NULL, 10);
		p = e + 21;
		if ((etag = field(&p, end, &el)) == NULL ||
		    (lm = field(&p, end, &ll)) == NULL)
			return -1;
		sqlite3_bind_blob(s, 1, url, (int)ul, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, out, (int)ol, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, transient);
		sqlite3_bind_int64(s, 4, at);
		if (hash != 0)
			sqlite3_bind_int64(s, 5, (sqlite3_int64)hash);
		if (el > 0)
			sqlite3_bind_text(s, 6, etag, (int)el, SQLITE_STATIC);
		if (ll > 0)
			sqlite3_bind_text(s, 7, lm, (int)ll, SQLITE_STATIC);
		sqlite3_bind_int64(s, 8, st->batch);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		if (rc != SQLITE_DONE)
			return -1;
	}
	return 0;
}

int
state_batch(struct state *st, const char *rows, size_t len,
    const struct state_range *r, size_t nr)
{
	sqlite3_stmt	*s = st->q[Q_RANGE];
	size_t		 i;
	int		 rc;

	if (exec(st, "BEGIN IMMEDIATE") == -1)
		return -1;
	st->batch++;
	if (exec(st, queries[Q_DONE]) == -1)
		goto fail;
	for (i = 0; i < nr; i++) {
		if (r[i].path == NULL || r[i].end == r[i].start)
			continue;
		sqlite3_bind_int64(s, 1, st->batch);
		sqlite3_bind_text(s, 2, r[i].path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, r[i].start);
		sqlite3_bind_int64(s, 4, r[i].end);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		if (rc != SQLITE_DONE)
			goto fail;
	}
	if (store_rows(st, rows, len) == -1 || exec(st, "COMMIT") == -1)
		goto fail;
	return 0;
fail:
	exec(st, "ROLLBACK");
	st->batch--;
	return -1;
}

int
state_done(struct state *st)
{
	return exec(st, queries[Q_DONE]);
}

void
state_close(struct state *st)
{
	int	i;

	if (st == NULL)
		return;
	for (i = 0; i < Q__MAX; i++)
		sqlite3_finalize(st->q[i]);
	sqlite3_close(st->db);
	free(st);
}
