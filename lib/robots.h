/*
 * robots.txt as RFC 9309 says: the group that applies to one crawler,
 * its allow and disallow rules, and its Crawl-delay.  Pure: no I/O, no
 * logging, so the unit tests and the fuzzer call it directly.
 */
#ifndef TRAWL_ROBOTS_H
#define TRAWL_ROBOTS_H

#include <stddef.h>

#define ROBOTS_DELAY_MAX	60	/* seconds of Crawl-delay honoured */
#define ROBOTS_PATTERN_MAX	2048	/* bytes of a normalised rule kept */

struct robots;

/*
 * Parse robots.txt bytes (any bytes; only the first TRAWL_ROBOTS_MAX are
 * looked at, and a line cut there is dropped) for the crawler whose
 * product token starts the C string agent, e.g. "trawl" or "trawl/0.1".
 * Only the group that applies is kept: the groups naming the token
 * (case-insensitive), else the "*" groups, else none, which allows all.
 * Rules longer than ROBOTS_PATTERN_MAX after normalisation are ignored.
 * Returns NULL when out of memory; the caller frees the result with
 * robots_free().
 */
struct robots	*robots_parse(const char *txt, size_t len, const char *agent);

/* For a 4xx robots.txt or --no-robots: every path allowed. */
struct robots	*robots_allow_all(void);

/* For a 5xx or unreachable robots.txt: every path but /robots.txt refused. */
struct robots	*robots_disallow_all(void);

/*
 * Whether path (the URL's path plus "?query" as sent in the request line;
 * "" counts as "/") may be fetched: the longest matching rule decides,
 * allow winning a tie, and no match allows.  "/robots.txt" is always
 * allowed.  Returns 1 when allowed, 0 when not, or -1 when out of memory.
 * Time is at most linear in the length of the path times the number of
 * rules, whatever the wildcards: some 0.5 s for a 500 KiB file and an
 * 8 KiB path crafted against each other, microseconds for real ones.
 */
int	robots_allowed(const struct robots *r, const char *path, size_t len);

/*
 * The Crawl-delay of the applying group in seconds (the largest when the
 * merged groups give several), at most ROBOTS_DELAY_MAX, or 0 when none.
 */
double	robots_delay(const struct robots *r);

/* Free r; robots_free(NULL) does nothing. */
void	robots_free(struct robots *r);

#endif
