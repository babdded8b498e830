/*
 * JSON output.  json_str() runs over every page's text, so it copies runs
 * of bytes that need no change (printable ASCII and well-formed UTF-8) in
 * one buf_add() and only stops at bytes that must be escaped or replaced.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sha2.h>

#include "buf.h"
#include "json.h"

/* What json_str() does with a byte when it starts a sequence. */
enum json_class {
	JSON_COPY,	/* printable ASCII: copied as is */
	JSON_ESC,	/* '"', '\\' and control bytes: escaped */
	JSON_UTF8	/* 0x80 and up: checked as UTF-8 */
};

static const char	json_hex[] = "0123456789abcdef";
static const char	json_fffd[] = "\xef\xbf\xbd";	/* U+FFFD */

static enum json_class
json_class(unsigned char c)
{
	if (c >= 0x80)
		return JSON_UTF8;
	if (c < 0x20 || c == '"' || c == '\\')
		return JSON_ESC;
	return JSON_COPY;
}

/*
 * Nonzero when any of the 8 bytes of w is a control byte, '"', '\\' or
 * 0x80 and up.  The bit tricks may flag more bytes than needed but never
 * miss one, and a flagged word is then looked at byte by byte.
 */
#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL
static int
json_word_unsafe(uint64_t w)
{
	uint64_t	 lt, q, bs;

	lt = w - ONES * 0x20;			/* bytes below 0x20 */
	q = (w ^ (ONES * '"')) - ONES;		/* bytes equal to '"' */
	q &= ~(w ^ (ONES * '"'));
	bs = (w ^ (ONES * '\\')) - ONES;	/* bytes equal to '\\' */
	bs &= ~(w ^ (ONES * '\\'));
	return ((lt | q | bs | w) & HIGHS) != 0;
}

/*
 * Look at the UTF-8 sequence starting at s[0] (a byte of 0x80 and up),
 * with n > 0 bytes available.  Returns its length when it is well formed
 * (Unicode Table 3-7: no overlong forms, no surrogates, nothing past
 * U+10FFFF), or minus the length of its maximal ill-formed subpart, which
 * becomes one U+FFFD as the Unicode standard and WHATWG recommend.
 */
static int
json_utf8(const unsigned char *s, size_t n)
{
	unsigned char	 lo = 0x80, hi = 0xbf;
	int		 need, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 1;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 2;
		if (s[0] == 0xe0)
			lo = 0xa0;		/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;		/* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 3;
		if (s[0] == 0xf0)
			lo = 0x90;		/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;		/* past U+10FFFF */
	} else
		return -1;	/* continuation, C0, C1, F5-FF */

	if (n < 2 || s[1] < lo || s[1] > hi)
		return -1;
	for (i = 2; i <= need; i++)
		if ((size_t)i >= n || s[i] < 0x80 || s[i] > 0xbf)
			return -i;
	return need + 1;
}

int
json_utf8_valid(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0;
	int			 n;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = json_utf8(p + i, len - i)) < 0)
			return 0;
		i += n;
	}
	return 1;
}

/* Write the escape of c into e (6 bytes of room); returns its length. */
static size_t
json_esc(char *e, unsigned char c)
{
	e[0] = '\\';
	switch (c) {
	case '"':
		e[1] = '"';
		return 2;
	case '\\':
		e[1] = '\\';
		return 2;
	case '\b':
		e[1] = 'b';
		return 2;
	case '\f':
		e[1] = 'f';
		return 2;
	case '\n':
		e[1] = 'n';
		return 2;
	case '\r':
		e[1] = 'r';
		return 2;
	case '\t':
		e[1] = 't';
		return 2;
	}
	e[1] = 'u';
	e[2] = '0';
	e[3] = '0';
	e[4] = json_hex[c >> 4];
	e[5] = json_hex[c & 0xf];
	return 6;
}

/*
 * The body of json_str(): everything between the quotes.  Bytes that go
 * out unchanged are copied by runs straight from s; escapes and U+FFFD
 * gather in a small array first, so that dense ones (binary junk, many
 * short lines) do not cost a buf_add() each.
 */
static int
json_body(struct buf *b, const unsigned char *s, size_t len)
{
	char		 st[256];
	uint64_t	 w;
	size_t		 i = 0, run = 0, sn = 0;
	int		 n;

	while (i < len) {
		while (len - i >= 8) {
			memcpy(&w, s + i, 8);
			if (json_word_unsafe(w))
				break;
			i += 8;
		}
		if (i >= len)
			break;
		switch (json_class(s[i])) {
		case JSON_COPY:
			i++;
			continue;
		case JSON_UTF8:
			/* stay here through a run of non-ASCII text */
			while ((n = json_utf8(s + i, len - i)) > 0) {
				i += (size_t)n;
				if (i >= len || s[i] < 0x80)
					break;
			}
			if (n > 0)
				continue;
			break;
		case JSON_ESC:
			n = -1;
			break;
		}
		/* s[i] starts -n bytes to escape or replace */
		if (i > run || sn > sizeof(st) - 6) {
			if (buf_add(b, st, sn) == -1 ||
			    buf_add(b, s + run, i - run) == -1)
				return -1;
			sn = 0;
		}
		if (json_class(s[i]) == JSON_ESC)
			sn += json_esc(st + sn, s[i]);
		else {
			memcpy(st + sn, json_fffd, 3);
			sn += 3;
		}
		i += (size_t)-n;
		run = i;
	}
	if (buf_add(b, st, sn) == -1)
		return -1;
	return buf_add(b, s + run, i - run);
}

int
json_str(struct buf *b, const char *s, size_t len)
{
	size_t	 start = b->len;

	if (buf_addc(b, '"') == -1 ||
	    json_body(b, (const unsigned char *)s, len) == -1 ||
	    buf_addc(b, '"') == -1) {
		buf_truncate(b, start);
		return -1;
	}
	return 0;
}

/* A C string, NULL taken as "". */
static int
json_cstr(struct buf *b, const char *s)
{
	if (s == NULL)
		s = "";
	return json_str(b, s, strlen(s));
}

/* ,"key": then a string value. */
static int
json_key_str(struct buf *b, const char *key, const char *s)
{
	if (buf_printf(b, ",\"%s\":", key) == -1)
		return -1;
	return json_cstr(b, s);
}

/* ,"key":"2026-11-21T23:59:01Z" in UTC. */
static int
json_key_time(struct buf *b, const char *key, time_t t)
{
	struct tm	 tm;
	char		 s[64];

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return -1;
	return buf_printf(b, ",\"%s\":\"%s\"", key, s);
}

void
json_id(const char *url, char ret[33])
{
	SHA2_CTX	 ctx;
	uint8_t		 md[SHA256_DIGEST_LENGTH];
	int		 i;

	SHA256Init(&ctx);
	SHA256Update(&ctx, (const uint8_t *)url, strlen(url));
	SHA256Final(md, &ctx);
	for (i = 0; i < 16; i++) {
		ret[2 * i] = json_hex[md[i] >> 4];
		ret[2 * i + 1] = json_hex[md[i] & 0xf];
	}
	ret[32] = '\0';
}

static int
json_doc_fields(struct buf *b, const struct json_doc *d)
{
	char	 id[33];

	json_id(d->url != NULL ? d->url : "", id);
	if (buf_printf(b, "{\"id\":\"%s\"", id) == -1 ||
	    json_key_str(b, "url", d->url) == -1 ||
	    json_key_str(b, "final_url", d->final_url) == -1 ||
	    buf_printf(b, ",\"status\":%ld", d->status) == -1 ||
	    json_key_time(b, "added", d->added) == -1 ||
	    json_key_str(b, "source", d->source) == -1 ||
	    json_key_str(b, "content_type", d->content_type) == -1 ||
	    json_key_str(b, "lang", d->lang) == -1 ||
	    json_key_str(b, "title", d->title) == -1 ||
	    buf_printf(b, ",\"words\":%zu,\"text\":", d->words) == -1 ||
	    json_str(b, d->text != NULL ? d->text : "",
	    d->text != NULL ? d->textlen : 0) == -1)
		return -1;
	if (d->description != NULL &&
	    json_key_str(b, "description", d->description) == -1)
		return -1;
	if (d->canonical_url != NULL &&
	    json_key_str(b, "canonical_url", d->canonical_url) == -1)
		return -1;
	if (d->published != NULL &&
	    json_key_str(b, "published", d->published) == -1)
		return -1;
	return buf_add(b, "}\n", 2);
}

int
json_doc(struct buf *b, const struct json_doc *d)
{
	size_t	 start = b->len;

	if (json_doc_fields(b, d) == -1) {
		buf_truncate(b, start);
		return -1;
	}
	return 0;
}

static int
json_err_fields(struct buf *b, const struct json_err *e)
{
	if (buf_add(b, "{\"url\":", 7) == -1 ||
	    json_str(b, e->url != NULL ? e->url : "",
	    e->url != NULL ? e->urllen : 0) == -1 ||
	    json_key_str(b, "error", e->error) == -1 ||
	    json_key_str(b, "detail", e->detail) == -1 ||
	    buf_printf(b, ",\"status\":%ld,\"attempts\":%d", e->status,
	    e->attempts) == -1 ||
	    json_key_time(b, "at", e->at) == -1)
		return -1;
	return buf_add(b, "}\n", 2);
}

int
json_err(struct buf *b, const struct json_err *e)
{
	size_t	 start = b->len;

	if (json_err_fields(b, e) == -1) {
		buf_truncate(b, start);
		return -1;
	}
	return 0;
}
