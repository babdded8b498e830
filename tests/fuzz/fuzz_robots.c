/*
 * Fuzz lib/robots.c: any bytes as robots.txt, any user agent, any path.
 * Besides not crashing, the answers must be 0 or 1, /robots.txt always
 * allowed, the delay within its cap, a path spelled with more escapes
 * judged the same, and a single rule in plain characters judged as a
 * naive matcher, written here independently of lib/robots.c, judges it.
 *
 * The input: one byte for the agent's length, one for the path's, the
 * agent, the path, and the rest is the file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "robots.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether c is a character that RFC 3986 reserves. */
static int
reserved(uint8_t c)
{
	return c != '\0' && strchr(":/?#[]@!$&'()*+,;=", c) != NULL;
}

/*
 * Whether c may appear in the plain rules and paths compared naively: a
 * few letters, unreserved and reserved characters, '*' and '$' too (in a
 * path they are only characters).
 */
static int
plain(uint8_t c)
{
	return (c >= 'a' && c <= 'c') || c == 'A' || c == '/' || c == '.' ||
	    c == '-' || c == '~' || c == '=' || c == '?' || c == '*' ||
	    c == '$';
}

/*
 * Whether pattern p (with '*' and a final '$') matches the start of s, or
 * all of it when anchored: the set of lengths of s that the pattern so far
 * can match, one pattern character at a time.
 */
static int
naive_match(const uint8_t *p, size_t plen, const uint8_t *s, size_t len)
{
	uint8_t	*cur;
	size_t	 i, j;
	int	 anchored = 0, any = 0;

	if ((cur = calloc(len + 1, 1)) == NULL)
		abort();
	if (plen > 0 && p[plen - 1] == '$') {
		anchored = 1;
		plen--;
	}
	cur[0] = 1;
	for (i = 0; i < plen; i++) {
		if (p[i] == '*') {
			for (j = 1; j <= len; j++)
				cur[j] |= cur[j - 1];
			continue;
		}
		for (j = len; j > 0; j--)
			cur[j] = cur[j - 1] && s[j - 1] == p[i];
		cur[0] = 0;
	}
	if (anchored)
		any = cur[len];
	else
		for (j = 0; j <= len; j++)
			any |= cur[j];
	free(cur);
	return any;
}

/* One rule against one path, both plain, with the naive matcher. */
static void
check_plain(const uint8_t *pat, size_t plen, const uint8_t *path,
    size_t len, const char *agent)
{
	struct robots	*r;
	char		*txt;
	size_t		 i, n;
	int		 want;

	if (plen == 0 || (pat[0] != '/' && pat[0] != '*') || len == 0 ||
	    path[0] != '/' || (len == 11 && memcmp(path, "/robots.txt",
	    11) == 0))
		return;
	for (i = 0; i < plen; i++)
		if (!plain(pat[i]))
			return;
	for (i = 0; i < len; i++)
		if (!plain(path[i]))
			return;
	if ((txt = malloc(plen + 32)) == NULL)
		abort();
	memcpy(txt, "User-agent: *\nDisallow: ", 24);
	memcpy(txt + 24, pat, plen);
	n = 24 + plen;
	want = !naive_match(pat, plen, path, len);
	if ((r = robots_parse(txt, n, agent)) != NULL) {
		if (robots_allowed(r, (const char *)path, len) != want)
			abort();
		robots_free(r);
	}
	free(txt);
}

/* The path with every unreserved or unsafe byte as %XX; NULL if none. */
static char *
escape_more(const uint8_t *path, size_t len, size_t *ret_len)
{
	static const char	 hex[] = "0123456789abcdef";
	char			*s;
	size_t			 i, n = 0;

	if (memchr(path, '%', len) != NULL)
		return NULL;
	if ((s = malloc(3 * len + 1)) == NULL)
		abort();
	for (i = 0; i < len; i++) {
		if (reserved(path[i])) {
			s[n++] = path[i];
			continue;
		}
		s[n++] = '%';
		s[n++] = hex[path[i] >> 4];
		s[n++] = (i & 1) ? hex[path[i] & 0xf] :
		    "0123456789ABCDEF"[path[i] & 0xf];
	}
	*ret_len = n;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct robots	*r;
	const uint8_t	*path, *txt, *nl;
	char		 agent[256], *esc;
	size_t		 alen, plen, tlen, elen;
	double		 d;
	int		 a;

	if (size < 2)
		return 0;
	alen = data[0] % 16;
	plen = data[1];
	if (size - 2 < alen + plen)
		return 0;
	memcpy(agent, data + 2, alen);
	agent[alen] = '\0';
	path = data + 2 + alen;
	txt = path + plen;
	tlen = size - 2 - alen - plen;

	if ((r = robots_parse((const char *)txt, tlen, agent)) == NULL)
		return 0;
	a = robots_allowed(r, (const char *)path, plen);
	if (a != 0 && a != 1)
		abort();
	if (robots_allowed(r, "/robots.txt", 11) != 1)
		abort();
	if (robots_allowed(r, "", 0) != robots_allowed(r, "/", 1))
		abort();
	d = robots_delay(r);
	if (!(d >= 0 && d <= ROBOTS_DELAY_MAX))
		abort();
	if ((esc = escape_more(path, plen, &elen)) != NULL) {
		if (robots_allowed(r, esc, elen) != a)
			abort();
		free(esc);
	}
	robots_free(r);

	/* The file's first line as a rule. */
	if ((nl = memchr(txt, '\n', tlen)) != NULL)
		tlen = nl - txt;
	check_plain(txt, tlen, path, plen, agent);
	return 0;
}
