/*
 * URL lists: streamed line reading, validation and normalisation through
 * libcurl's URL API, and a compact set of seen URLs.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sqlite3.h>

#include "caps.h"
#include "json.h"
#include "urlsrc.h"

#define URLSRC_READ	(64 * 1024)	/* bytes read at a time */

struct urlsrc {
	char		*path;		/* as given, for messages */
	int		 fd;
	int		 eof;
	char		 rbuf[URLSRC_READ];
	size_t		 rpos, rlen;	/* unread bytes are rbuf[rpos..rlen) */
	char		 line[TRAWL_URL_MAX + 2]; /* one more shows a long line */
	unsigned long	 lineno;
};

uint64_t
urlsrc_hash(const void *p, size_t n)
{
	const unsigned char	*s = p;
	uint64_t		 h = 0xcbf29ce484222325ULL;
	size_t			 i;

	/* FNV-1a, then a full-avalanche finaliser (MurmurHash3's fmix64). */
	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/*
 * Percent-encode bytes past ASCII (an IRI's path or query in UTF-8) so
 * that libcurl sees a URI.  Returns a new string or NULL.
 */
static char *
encode_high(const char *s, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*out, *o;
	size_t			 i;

	if ((out = malloc(len * 3 + 1)) == NULL)
		return NULL;
	for (i = 0, o = out; i < len; i++) {
		unsigned char c = s[i];

		if (c >= 0x80) {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 0xf];
		} else
			*o++ = c;
	}
	*o = '\0';
	return out;
}

static int
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static pthread_once_t	 utf8_once = PTHREAD_ONCE_INIT;
static locale_t		 utf8_loc = (locale_t)0;

static void
utf8_init(void)
{
	utf8_loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

locale_t
urlsrc_utf8_locale(void)
{
	pthread_once(&utf8_once, utf8_init);
	return utf8_loc;
}

/*
 * Put an international host name in its ASCII form, as browsers send
 * it: one spelling per host for duplicates, politeness and --shard, and a
 * name libcurl need not convert again.  Returns NULL, or why not.  (With
 * no UTF-8 locale, or a libcurl older than 7.88, the name stays as it is
 * and libcurl converts it when it connects.)
 */
static const char *
host_ascii(CURLU *h)
{
#ifdef CURLU_PUNYCODE
	locale_t	 loc, old;
	CURLUcode	 uc;
	char		*ace = NULL;

	if ((loc = urlsrc_utf8_locale()) == (locale_t)0)
		return NULL;
	old = uselocale(loc);
	uc = curl_url_get(h, CURLUPART_HOST, &ace, CURLU_PUNYCODE);
	uselocale(old);
	/*
	 * libcurl 7.88 says "out of memory" for any failed conversion, and
	 * leaves its copy of the name in ace.
	 */
	if (uc != CURLUE_OK) {
		curl_free(ace);
		return "bad international host name";
	}
	uc = curl_url_set(h, CURLUPART_HOST, ace, 0);
	curl_free(ace);
	if (uc != CURLUE_OK)
		return "bad international host name";
#else
	(void)h;
#endif
	return NULL;
}

/* libcurl's URL parser errors, in this program's words. */
static const char *
url_error(CURLUcode uc)
{
	switch (uc) {
	case CURLUE_BAD_PORT_NUMBER:
		return "bad port number";
	case CURLUE_BAD_IPV6:
		return "bad IPv6 address";
	case CURLUE_NO_HOST:
		return "no host";
	case CURLUE_BAD_HOSTNAME:
		return "bad host name";
	case CURLUE_BAD_LOGIN:
	case CURLUE_BAD_USER:
	case CURLUE_BAD_PASSWORD:
		return "bad user or password part";
	case CURLUE_OUT_OF_MEMORY:
		return "out of memory";
	default:
		return "malformed URL";
	}
}

int
urlsrc_parse_line(const char *line, size_t len, char **ret_url,
    const char **ret_why)
{
	CURLU		*h = NULL;
	CURLUcode	 uc;
	char		*in = NULL, *scheme = NULL, *host = NULL, *url = NULL;
	const char	*why;
	size_t		 i;
	int		 rc = -1;

	while (len > 0 && (line[0] == ' ' || line[0] == '\t')) {
		line++;
		len--;
	}
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
	    line[len - 1] == '\r'))
		len--;
	if (len == 0 || line[0] == '#')
		return 1;
	if (len > TRAWL_URL_MAX) {
		*ret_why = "line too long";
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = line[i];

		if (c <= 0x20 || c == 0x7f) {
			*ret_why = c == ' ' || c == '\t' ?
			    "space inside the URL" : "control byte in the line";
			return -1;
		}
	}
	why = "out of memory";
	if ((in = encode_high(line, len)) == NULL)
		goto fail;
	if ((h = curl_url()) == NULL)
		goto fail;
	uc = curl_url_set(h, CURLUPART_URL, in, CURLU_NON_SUPPORT_SCHEME);
	if (uc == CURLUE_BAD_SCHEME || uc == CURLUE_NO_SCHEME ||
	    (uc != CURLUE_OK && strstr(in, "://") == NULL)) {
		why = "no scheme (only http:// and https:// URLs are fetched)";
		goto fail;
	}
	if (uc != CURLUE_OK) {
		why = url_error(uc);
		goto fail;
	}
	if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		goto fail;
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
		why = "unsupported scheme (only http and https are fetched)";
		goto fail;
	}
	if (curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    host[0] == '\0') {
		why = "no host";
		goto fail;
	}
	/*
	 * libcurl decodes %XX in a host: what comes out must still be a
	 * name (UTF-8 for an IDN), with no '%' left.
	 */
	if ((strchr(host, '%') != NULL && host[0] != '[') ||
	    !json_utf8_valid(host, strlen(host)) || has_control(host)) {
		why = "bad host name";
		goto fail;
	}
	for (i = 0; host[i] != '\0'; i++)
		host[i] = tolower((unsigned char)host[i]);
	if (curl_url_set(h, CURLUPART_HOST, host, 0) != CURLUE_OK) {
		why = "bad host";
		goto fail;
	}
	for (i = 0; host[i] != '\0' && (unsigned char)host[i] < 0x80; i++)
		;
	if (host[i] != '\0' && (why = host_ascii(h)) != NULL)
		goto fail;
	why = "out of memory";
	if (curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0) != CURLUE_OK)
		goto fail;
	if (curl_url_get(h, CURLUPART_URL, &url, CURLU_NO_DEFAULT_PORT) !=
	    CURLUE_OK)
		goto fail;
	/*
	 * libcurl expands a numeric host ("5" to "0.0.0.5") only when it
	 * parses a whole URL, so a host set after decoding (%35) needs one
	 * more pass for the same URL to come out of both spellings.
	 */
	if (curl_url_set(h, CURLUPART_URL, url, 0) != CURLUE_OK) {
		why = "bad host name";
		goto fail;
	}
	curl_free(url);
	url = NULL;
	if (curl_url_get(h, CURLUPART_URL, &url, CURLU_NO_DEFAULT_PORT) !=
	    CURLUE_OK)
		goto fail;
	if (strlen(url) > TRAWL_URL_MAX) {
		why = "URL too long";
		goto fail;
	}
	if ((*ret_url = strdup(url)) == NULL)
		goto fail;
	rc = 0;
fail:
	if (rc != 0)
		*ret_why = why;
	curl_free(url);
	curl_free(host);
	curl_free(scheme);
	curl_url_cleanup(h);
	free(in);
	return rc;
}

char *
urlsrc_host(const char *url)
{
	CURLU	*h;
	char	*host = NULL, *port = NULL, *ret = NULL;

	if ((h = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(h, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto out;
	if (curl_url_get(h, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT) ==
	    CURLUE_OK) {
		if (asprintf(&ret, "%s:%s", host, port) == -1)
			ret = NULL;
	} else
		ret = strdup(host);
out:
	curl_free(port);
	curl_free(host);
	curl_url_cleanup(h);
	return ret;
}

struct urlsrc *
urlsrc_open(const char *path)
{
	struct urlsrc	*u;
	int		 fd;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if ((u = calloc(1, sizeof(*u))) == NULL ||
	    (u->path = strdup(path)) == NULL) {
		free(u);
		if (fd != STDIN_FILENO)
			close(fd);
		errno = ENOMEM;
		return NULL;
	}
	u->fd = fd;
	return u;
}

const char *
urlsrc_path(const struct urlsrc *u)
{
	return u->path;
}

/* Refill the read buffer.  Returns bytes read, 0 at end, -1 on error. */
static ssize_t
fill(struct urlsrc *u)
{
	ssize_t	n;

	/* EINTR is the caller's to judge: a signal may mean stop. */
	n = read(u->fd, u->rbuf, sizeof(u->rbuf));
	if (n <= 0) {
		if (n == 0)
			u->eof = 1;
		return n;
	}
	u->rpos = 0;
	u->rlen = n;
	return n;
}

/*
 * Read one line into u->line, keeping at most TRAWL_URL_MAX + 1 bytes so
 * that an overlong line is still seen as one.  Returns its length, -1 at
 * end of input, -2 on a read error.
 */
static ssize_t
read_line(struct urlsrc *u)
{
	size_t	 len = 0;
	int	 any = 0;

	for (;;) {
		char	*nl;
		size_t	 n, keep;

		if (u->rpos == u->rlen) {
			ssize_t r;

			if (u->eof)
				return any ? (ssize_t)len : -1;
			if ((r = fill(u)) == -1)
				return -2;
			if (r == 0)
				return any ? (ssize_t)len : -1;
		}
		any = 1;
		nl = memchr(u->rbuf + u->rpos, '\n', u->rlen - u->rpos);
		n = nl != NULL ? (size_t)(nl - (u->rbuf + u->rpos)) :
		    u->rlen - u->rpos;
		keep = sizeof(u->line) - 1 - len;
		if (keep > n)
			keep = n;
		memcpy(u->line + len, u->rbuf + u->rpos, keep);
		len += keep;
		u->rpos += n;
		if (nl != NULL) {
			u->rpos++;
			u->line[len] = '\0';
			return len;
		}
	}
}

enum urlsrc_item
urlsrc_next(struct urlsrc *u, char **ret_url, const char **ret_why,
    const char **ret_line, size_t *ret_len, unsigned long *ret_lineno)
{
	for (;;) {
		ssize_t	 len;
		char	*url, *line;
		int	 rc;

		if ((len = read_line(u)) == -1)
			return URLSRC_EOF;
		if (len == -2)
			return URLSRC_ERROR;
		u->lineno++;
		u->line[len] = '\0';
		/* A byte order mark, as some editors save a file. */
		line = u->line;
		if (u->lineno == 1 && len >= 3 &&
		    memcmp(line, "\xef\xbb\xbf", 3) == 0) {
			line += 3;
			len -= 3;
		}
		rc = urlsrc_parse_line(line, len, &url, ret_why);
		if (rc == 1)
			continue;
		*ret_lineno = u->lineno;
		if (rc == 0) {
			*ret_url = url;
			return URLSRC_URL;
		}
		*ret_line = line;
		*ret_len = (size_t)len > TRAWL_URL_MAX ? TRAWL_URL_MAX : len;
		return URLSRC_BAD;
	}
}

void
urlsrc_close(struct urlsrc *u)
{
	if (u == NULL)
		return;
	if (u->fd != STDIN_FILENO)
		close(u->fd);
	free(u->path);
	free(u);
}

/*
 * The hashes of the first URLSET_MEM_MAX URLs are kept in an open-address
 * table in memory; past that, in a temporary SQLite database on disk whose
 * page cache is capped, so that memory stays flat however long the list.
 * (Adding 1,000,000 URLs: 6 to 7 s with a cache of 2 MiB or of 512 KiB,
 * and 2.3 MB of RSS more than the table alone with 2 MiB, 0.4 MB with
 * 512 KiB: the inserts land on random pages either way.)
 */
#define URLSET_MEM_SLOTS	(1 << 18)	/* 2 MiB of 64-bit hashes */
#define URLSET_MEM_MAX		(URLSET_MEM_SLOTS / 4 * 3)
#define SQLITE_CACHE_STR	"512"		/* KiB of SQLite page cache */

struct urlset {
	uint64_t	*slot;		/* 0 marks an empty slot */
	size_t		 mask;		/* slots - 1; slots is a power of 2 */
	size_t		 used;
	sqlite3		*db;		/* the spill, opened when needed */
	sqlite3_stmt	*ins;
};

struct urlset *
urlset_new(void)
{
	struct urlset	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->slot = calloc(1024, sizeof(*s->slot))) == NULL) {
		free(s);
		return NULL;
	}
	s->mask = 1023;
	return s;
}

static void
urlset_put(uint64_t *slot, size_t mask, uint64_t h)
{
	size_t	i = h & mask;

	while (slot[i] != 0)
		i = (i + 1) & mask;
	slot[i] = h;
}

/* Open the spill: a private database that SQLite deletes on close. */
static int
urlset_spill(struct urlset *s)
{
	if (sqlite3_open_v2("", &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(s->db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	    " PRAGMA cache_size=-" SQLITE_CACHE_STR ";"
	    " CREATE TABLE seen (h INTEGER PRIMARY KEY);", NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO seen VALUES (?1)",
	    -1, &s->ins, NULL) != SQLITE_OK) {
		sqlite3_finalize(s->ins);
		sqlite3_close(s->db);
		s->ins = NULL;
		s->db = NULL;
		return -1;
	}
	return 0;
}

int
urlset_add(struct urlset *s, const char *url)
{
	uint64_t	h = urlsrc_hash(url, strlen(url));
	size_t		i;
	int		rc;

	if (h == 0)
		h = 1;
	for (i = h & s->mask; s->slot[i] != 0; i = (i + 1) & s->mask)
		if (s->slot[i] == h)
			return 0;
	if (s->used >= URLSET_MEM_MAX) {
		if (s->db == NULL && urlset_spill(s) == -1)
			return -1;
		sqlite3_bind_int64(s->ins, 1, (sqlite3_int64)h);
		rc = sqlite3_step(s->ins);
		sqlite3_reset(s->ins);
		if (rc != SQLITE_DONE)
			return -1;
		return sqlite3_changes(s->db) == 1;
	}
	/* Three quarters full at most: short probes, 11 to 21 bytes a URL. */
	if (s->used + 1 > (s->mask + 1) / 4 * 3) {
		uint64_t	*nslot;
		size_t		 nmask = s->mask * 2 + 1, j;

		if ((nslot = calloc(nmask + 1, sizeof(*nslot))) == NULL)
			return -1;
		for (j = 0; j <= s->mask; j++)
			if (s->slot[j] != 0)
				urlset_put(nslot, nmask, s->slot[j]);
		free(s->slot);
		s->slot = nslot;
		s->mask = nmask;
	}
	urlset_put(s->slot, s->mask, h);
	s->used++;
	return 1;
}

void
urlset_free(struct urlset *s)
{
	if (s == NULL)
		return;
	sqlite3_finalize(s->ins);
	sqlite3_close(s->db);
	free(s->slot);
	free(s);
}
