/*
 * robots.txt (RFC 9309).  The parser keeps only the rules of the groups
 * that apply to one crawler, normalised once, sorted longest first, so
 * that the first rule that matches a path decides.
 *
 * Paths and patterns are compared in one normal form (RFC 9309 2.2.2):
 * "%XX" of an unreserved character is decoded, reserved characters stay as
 * they are, raw or encoded, and every other octet (controls, space, "<",
 * UTF-8 bytes, a "%" not followed by two hex digits) is percent-encoded.
 * An encoded octet is stored as '%' and two bytes 0x80 + nibble, not as
 * hex digits: no other byte of the normal form is 0x80 or above, so a
 * piece of a pattern never matches from the middle of an escape, and an
 * escape still counts three octets towards a rule's length.
 *
 * A pattern is pieces separated by '*', perhaps ending in '$'.  Matching
 * places each piece at its leftmost occurrence after the previous one
 * (with memmem(3), linear), which finds a match whenever there is one, so
 * no pattern, however many stars it has, takes more than linear time.
 * A rule needing a byte that the path lacks is passed over without a look:
 * each rule and the path keep a 64-bit set of the bytes in them, modulo 64.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "robots.h"

#define ROBOTS_RULES		0
#define ROBOTS_ALLOW_ALL	1
#define ROBOTS_DISALLOW_ALL	2

/* The two sets of groups a parse collects: the crawler's own, and "*". */
#define SET_AGENT		0x1
#define SET_STAR		0x2

struct robots_rule {
	const char	*pat;		/* into robots' pool, once final */
	size_t		 off;		/* into the parser's pool */
	size_t		 len;
	uint64_t	 mask;		/* robots_mask() of its pieces */
	int		 allow;
	int		 sets;		/* SET_* while parsing */
};

struct robots {
	int			 mode;
	struct robots_rule	*rules;		/* longest first, allow first */
	size_t			 nrules;
	char			*pool;		/* the patterns, normalised */
	double			 delay;
};

/* What a parse has collected so far. */
struct robots_parser {
	const char		*agent;		/* product token */
	size_t			 agentlen;
	struct robots_rule	*rules;
	size_t			 nrules, rulecap;
	char			*pool;
	size_t			 poollen, poolcap;
	double			 delay[2];	/* SET_AGENT, SET_STAR */
	int			 seen;		/* SET_* of all groups */
	int			 cur;		/* SET_* of the current group */
	int			 in_agents;	/* last record was user-agent */
	double			 gdelay;	/* of the current group */
};

enum robots_key {
	KEY_AGENT,
	KEY_ALLOW,
	KEY_DISALLOW,
	KEY_DELAY,
	KEY__MAX
};

/* Keys and the misspellings that are common enough to honour. */
static const struct {
	const char	*name;
	enum robots_key	 key;
} robots_keys[] = {
	{ "user-agent", KEY_AGENT },
	{ "useragent", KEY_AGENT },
	{ "user agent", KEY_AGENT },
	{ "allow", KEY_ALLOW },
	{ "disallow", KEY_DISALLOW },
	{ "dissallow", KEY_DISALLOW },
	{ "dissalow", KEY_DISALLOW },
	{ "disalow", KEY_DISALLOW },
	{ "diasllow", KEY_DISALLOW },
	{ "disallaw", KEY_DISALLOW },
	{ "crawl-delay", KEY_DELAY },
	{ "crawldelay", KEY_DELAY },
};

static int
robots_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
robots_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static int
robots_tokenchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    c == '-' || c == '_';
}

/* RFC 3986 2.3 */
static int
robots_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

/* RFC 3986 2.2 */
static int
robots_reserved(unsigned char c)
{
	return c != '\0' && strchr(":/?#[]@!$&'()*+,;=", c) != NULL;
}

static int
robots_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
robots_casecmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t	 i;

	if (alen != blen)
		return 1;
	for (i = 0; i < alen; i++)
		if (robots_lower(a[i]) != robots_lower(b[i]))
			return 1;
	return 0;
}

/*
 * Write the normal form of s[0..len) to out, which has room for 3 * len
 * bytes, and return its length.
 */
static size_t
robots_normalise(const char *s, size_t len, char *out)
{
	size_t		 i, o = 0;
	unsigned char	 c;
	int		 hi, lo;

	for (i = 0; i < len; i++) {
		c = s[i];
		if (c == '%' && len - i >= 3 &&
		    (hi = robots_hex(s[i + 1])) != -1 &&
		    (lo = robots_hex(s[i + 2])) != -1) {
			c = hi << 4 | lo;
			i += 2;
			if (robots_unreserved(c)) {
				out[o++] = c;
				continue;
			}
		} else if (robots_unreserved(c) || robots_reserved(c)) {
			out[o++] = c;
			continue;
		}
		out[o++] = '%';
		out[o++] = (char)(0x80 | c >> 4);
		out[o++] = (char)(0x80 | (c & 0xf));
	}
	return o;
}

/*
 * The set of bytes in s[0..len), modulo 64; in a pattern, but for its
 * wildcards.
 */
static uint64_t
robots_mask(const char *s, size_t len, int pattern)
{
	uint64_t	 m = 0;
	size_t		 i;

	if (pattern && len > 0 && s[len - 1] == '$')
		len--;
	for (i = 0; i < len; i++)
		if (!pattern || s[i] != '*')
			m |= (uint64_t)1 << (s[i] & 63);
	return m;
}

/*
 * Whether the normalised pattern p[0..plen) matches the start of the
 * normalised path s[0..len), or all of it when the pattern ends in '$'.
 */
static int
robots_match(const char *p, size_t plen, const char *s, size_t len)
{
	const char	*star, *at;
	size_t		 n, pos;
	int		 anchored = 0;

	if (plen > 0 && p[plen - 1] == '$') {
		anchored = 1;
		plen--;
	}
	/* The first piece sits at the start of the path. */
	star = memchr(p, '*', plen);
	n = star == NULL ? plen : (size_t)(star - p);
	if (n > len || memcmp(p, s, n) != 0)
		return 0;
	if (star == NULL)
		return !anchored || n == len;
	pos = n;
	p += n + 1;
	plen -= n + 1;
	/* The middle pieces each at their leftmost place after the last. */
	while ((star = memchr(p, '*', plen)) != NULL) {
		n = star - p;
		if (n > 0) {
			if ((at = memmem(s + pos, len - pos, p, n)) == NULL)
				return 0;
			pos = at - s + n;
		}
		p += n + 1;
		plen -= n + 1;
	}
	/* The last piece anywhere after them, or at the end if anchored. */
	if (plen > len - pos)
		return 0;
	if (anchored)
		return memcmp(s + len - plen, p, plen) == 0;
	return plen == 0 || memmem(s + pos, len - pos, p, plen) != NULL;
}

/* Longest first, allow before disallow, then by bytes to find duplicates. */
static int
robots_rulecmp(const void *a, const void *b)
{
	const struct robots_rule *ra = a, *rb = b;

	if (ra->len != rb->len)
		return ra->len > rb->len ? -1 : 1;
	if (ra->allow != rb->allow)
		return ra->allow ? -1 : 1;
	return memcmp(ra->pat, rb->pat, ra->len);
}

/*
 * Add the rule in value[0..len) to the current group's sets.  Returns 0,
 * also for a rule that is ignored, or -1 when out of memory.
 */
static int
robots_add(struct robots_parser *ps, int allow, const char *value,
    size_t len)
{
	struct robots_rule	*rules;
	char			*pool;
	size_t			 need, cap, n;

	if (len == 0 || ps->cur == 0)
		return 0;
	need = 3 * len + 1;
	if (need > SIZE_MAX - ps->poollen)
		return -1;
	if (ps->poollen + need > ps->poolcap) {
		cap = ps->poolcap < 4096 ? 4096 : ps->poolcap;
		while (cap < ps->poollen + need) {
			if (cap > SIZE_MAX / 2)
				return -1;
			cap *= 2;
		}
		if ((pool = realloc(ps->pool, cap)) == NULL)
			return -1;
		ps->pool = pool;
		ps->poolcap = cap;
	}
	if (ps->nrules == ps->rulecap) {
		cap = ps->rulecap < 64 ? 64 : ps->rulecap;
		if (cap > SIZE_MAX / 2 / sizeof(*rules))
			return -1;
		cap *= 2;
		if ((rules = reallocarray(ps->rules, cap, sizeof(*rules))) ==
		    NULL)
			return -1;
		ps->rules = rules;
		ps->rulecap = cap;
	}
	pool = ps->pool + ps->poollen;
	n = 0;
	/* "Disallow: private/" still means a path. */
	if (value[0] != '/' && value[0] != '*')
		pool[n++] = '/';
	n += robots_normalise(value, len, pool + n);
	if (n > ROBOTS_PATTERN_MAX)
		return 0;
	ps->rules[ps->nrules].off = ps->poollen;
	ps->rules[ps->nrules].len = n;
	ps->rules[ps->nrules].allow = allow;
	ps->rules[ps->nrules].sets = ps->cur;
	ps->nrules++;
	ps->poollen += n;
	return 0;
}

/*
 * A Crawl-delay value: digits, perhaps a '.' and more digits.  Returns the
 * seconds, capped at ROBOTS_DELAY_MAX, or -1 when the value is not one.
 */
static double
robots_parsedelay(const char *s, size_t len)
{
	double	 v = 0, scale = 1;
	size_t	 i = 0, digits = 0;

	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		if (v <= ROBOTS_DELAY_MAX)
			v = v * 10 + (s[i] - '0');
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++,
		    digits++)
			if ((scale /= 10) > 1e-9)
				v += (s[i] - '0') * scale;
	if (i != len || digits == 0)
		return -1;
	return v > ROBOTS_DELAY_MAX ? ROBOTS_DELAY_MAX : v;
}

/* Whether a user-agent value names this crawler, or is "*". */
static int
robots_agentset(const struct robots_parser *ps, const char *v, size_t len)
{
	size_t	 n;

	if (len > 0 && v[0] == '*' && (len == 1 || robots_space(v[1])))
		return SET_STAR;
	for (n = 0; n < len && robots_tokenchar(v[n]); n++)
		continue;
	if (n > 0 && robots_casecmp(v, n, ps->agent, ps->agentlen) == 0)
		return SET_AGENT;
	return 0;
}

/* Split a line into key and value; -1 when it is neither. */
static int
robots_keyvalue(const char *s, size_t len, enum robots_key *ret_key,
    const char **ret_v, size_t *ret_vlen)
{
	const char	*colon, *k, *v;
	size_t		 klen, vlen, i;

	colon = memchr(s, ':', len);
	if (colon != NULL) {
		k = s;
		klen = colon - s;
		v = colon + 1;
		vlen = len - klen - 1;
	} else {
		/* "Disallow /x": a key and one word without the colon. */
		for (klen = 0; klen < len && !robots_space(s[klen]); klen++)
			continue;
		k = s;
		v = s + klen;
		vlen = len - klen;
	}
	while (klen > 0 && robots_space(k[klen - 1]))
		klen--;
	while (vlen > 0 && robots_space(v[0])) {
		v++;
		vlen--;
	}
	while (vlen > 0 && robots_space(v[vlen - 1]))
		vlen--;
	if (colon == NULL) {
		if (vlen == 0 || memchr(v, ' ', vlen) != NULL ||
		    memchr(v, '\t', vlen) != NULL)
			return -1;
	}
	for (i = 0; i < sizeof(robots_keys) / sizeof(robots_keys[0]); i++) {
		if (robots_casecmp(k, klen, robots_keys[i].name,
		    strlen(robots_keys[i].name)) == 0) {
			*ret_key = robots_keys[i].key;
			*ret_v = v;
			*ret_vlen = vlen;
			return 0;
		}
	}
	return -1;
}

/*
 * A group's Crawl-delay applies to all its agents, also to those named
 * after it, and of merged groups the largest counts.
 */
static void
robots_setdelay(struct robots_parser *ps, double d)
{
	if ((ps->cur & SET_AGENT) && d > ps->delay[0])
		ps->delay[0] = d;
	if ((ps->cur & SET_STAR) && d > ps->delay[1])
		ps->delay[1] = d;
}

/* Take one line, without its end.  Returns 0, or -1 when out of memory. */
static int
robots_line(struct robots_parser *ps, const char *s, size_t len)
{
	enum robots_key	 key;
	const char	*v, *hash;
	size_t		 vlen;
	double		 d;
	int		 set;

	if ((hash = memchr(s, '#', len)) != NULL)
		len = hash - s;
	while (len > 0 && robots_space(s[0])) {
		s++;
		len--;
	}
	if (robots_keyvalue(s, len, &key, &v, &vlen) == -1)
		return 0;
	switch (key) {
	case KEY_AGENT:
		/* Consecutive user-agent lines start one group. */
		if (!ps->in_agents) {
			ps->cur = 0;
			ps->gdelay = 0;
		}
		ps->in_agents = 1;
		set = robots_agentset(ps, v, vlen);
		ps->cur |= set;
		ps->seen |= set;
		robots_setdelay(ps, ps->gdelay);
		break;
	case KEY_ALLOW:
	case KEY_DISALLOW:
		ps->in_agents = 0;
		return robots_add(ps, key == KEY_ALLOW, v, vlen);
	case KEY_DELAY:
		/* Not a rule: it belongs to the group but does not end it. */
		if ((d = robots_parsedelay(v, vlen)) < 0)
			break;
		if (d > ps->gdelay)
			ps->gdelay = d;
		robots_setdelay(ps, d);
		break;
	default:
		break;
	}
	return 0;
}

/*
 * Keep the rules of the set that applies, in a pool of their own, sorted
 * longest first with duplicates dropped.  Returns 0 or -1.
 */
static int
robots_finish(struct robots_parser *ps, struct robots *r)
{
	size_t	 i, n = 0, off = 0;
	int	 set;

	if (ps->seen & SET_AGENT)
		set = SET_AGENT;
	else if (ps->seen & SET_STAR)
		set = SET_STAR;
	else
		return 0;
	r->delay = ps->delay[set == SET_AGENT ? 0 : 1];
	for (i = 0; i < ps->nrules; i++)
		if (ps->rules[i].sets & set)
			n++;
	if (n == 0)
		return 0;
	if ((r->rules = calloc(n, sizeof(r->rules[0]))) == NULL)
		return -1;
	for (i = 0; i < ps->nrules; i++) {
		if (ps->rules[i].sets & set) {
			r->rules[r->nrules++] = ps->rules[i];
			off += ps->rules[i].len;
		}
	}
	if ((r->pool = malloc(off)) == NULL)
		return -1;
	for (off = 0, i = 0; i < r->nrules; i++) {
		memcpy(r->pool + off, ps->pool + r->rules[i].off,
		    r->rules[i].len);
		r->rules[i].pat = r->pool + off;
		r->rules[i].mask = robots_mask(r->rules[i].pat,
		    r->rules[i].len, 1);
		off += r->rules[i].len;
	}
	qsort(r->rules, r->nrules, sizeof(r->rules[0]), robots_rulecmp);
	for (n = 0, i = 0; i < r->nrules; i++)
		if (n == 0 || robots_rulecmp(&r->rules[i],
		    &r->rules[n - 1]) != 0)
			r->rules[n++] = r->rules[i];
	r->nrules = n;
	return 0;
}

struct robots *
robots_parse(const char *txt, size_t len, const char *agent)
{
	struct robots_parser	 ps;
	struct robots		*r;
	const char		*end, *s, *e;
	int			 cut = 0;

	memset(&ps, 0, sizeof(ps));
	ps.agent = agent;
	while (robots_tokenchar(agent[ps.agentlen]))
		ps.agentlen++;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->mode = ROBOTS_RULES;
	if (len > TRAWL_ROBOTS_MAX) {
		len = TRAWL_ROBOTS_MAX;
		cut = 1;
	}
	if (len == 0)
		return r;
	s = txt;
	end = txt + len;
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (s < end) {
		for (e = s; e < end && *e != '\n' && *e != '\r'; e++)
			continue;
		/* A line cut at the cap might say less than it meant. */
		if (e == end && cut)
			break;
		if (robots_line(&ps, s, e - s) == -1)
			goto fail;
		if (e < end && *e == '\r' && e + 1 < end && e[1] == '\n')
			e++;
		s = e + 1;
	}
	if (robots_finish(&ps, r) == -1)
		goto fail;
	free(ps.rules);
	free(ps.pool);
	return r;
fail:
	free(ps.rules);
	free(ps.pool);
	robots_free(r);
	return NULL;
}

static struct robots *
robots_new(int mode)
{
	struct robots	*r;

	if ((r = calloc(1, sizeof(*r))) != NULL)
		r->mode = mode;
	return r;
}

struct robots *
robots_allow_all(void)
{
	return robots_new(ROBOTS_ALLOW_ALL);
}

struct robots *
robots_disallow_all(void)
{
	return robots_new(ROBOTS_DISALLOW_ALL);
}

int
robots_allowed(const struct robots *r, const char *path, size_t len)
{
	char		 stack[1024], *s = stack;
	size_t		 n = 0, i;
	uint64_t	 mask;
	int		 ret = 1;

	if (r->mode == ROBOTS_ALLOW_ALL)
		return 1;
	if (len > (SIZE_MAX - 1) / 3)
		return -1;
	if (3 * len + 1 > sizeof(stack) && (s = malloc(3 * len + 1)) == NULL)
		return -1;
	if (len == 0 || path[0] != '/')
		s[n++] = '/';
	n += robots_normalise(path, len, s + n);
	if (n == 11 && memcmp(s, "/robots.txt", 11) == 0)
		ret = 1;
	else if (r->mode == ROBOTS_DISALLOW_ALL)
		ret = 0;
	else {
		mask = robots_mask(s, n, 0);
		for (i = 0; i < r->nrules; i++) {
			if ((r->rules[i].mask & ~mask) == 0 &&
			    robots_match(r->rules[i].pat, r->rules[i].len, s,
			    n)) {
				ret = r->rules[i].allow;
				break;
			}
		}
	}
	if (s != stack)
		free(s);
	return ret;
}

double
robots_delay(const struct robots *r)
{
	return r->delay;
}

void
robots_free(struct robots *r)
{
	if (r == NULL)
		return;
	free(r->rules);
	free(r->pool);
	free(r);
}
