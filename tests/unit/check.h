/*
 * Assertions for the unit tests: they print both operands, count
 * failures instead of aborting, and do not vanish under NDEBUG.
 */
#ifndef TRAWL_CHECK_H
#define TRAWL_CHECK_H

#include <stdio.h>
#include <string.h>

static int	check_failed;

#define CHECK_UNUSED	__attribute__((unused))

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		check_failed++;						\
	}								\
} while (0)

#define CHECK_INT(a, b) do {						\
	long long check_a = (a), check_b = (b);				\
	if (check_a != check_b) {					\
		fprintf(stderr, "%s:%d: %s == %s: %lld != %lld\n",	\
		    __FILE__, __LINE__, #a, #b, check_a, check_b);	\
		check_failed++;						\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *check_a = (a), *check_b = (b);			\
	if (check_a == NULL || check_b == NULL ||			\
	    strcmp(check_a, check_b) != 0) {				\
		fprintf(stderr, "%s:%d: %s == %s: \"%s\" != \"%s\"\n",	\
		    __FILE__, __LINE__, #a, #b,				\
		    check_a ? check_a : "(null)",			\
		    check_b ? check_b : "(null)");			\
		check_failed++;						\
	}								\
} while (0)

/* Print a byte string with its non-printable bytes as \xHH. */
CHECK_UNUSED static void
check_show(const char *s, size_t len)
{
	size_t	 i;

	putc('"', stderr);
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			fprintf(stderr, "\\x%02x", c);
		else
			putc(c, stderr);
	}
	putc('"', stderr);
}

CHECK_UNUSED static void
check_mem(const char *file, int line, const char *what, const char *got,
    size_t glen, const char *want, size_t wlen)
{
	if (glen == wlen && (glen == 0 || memcmp(got, want, glen) == 0))
		return;
	fprintf(stderr, "%s:%d: %s is\n    ", file, line, what);
	check_show(got, glen);
	fprintf(stderr, "\n  want\n    ");
	check_show(want, wlen);
	fprintf(stderr, "\n");
	check_failed++;
}

#define CHECK_MEM(got, glen, want, wlen) \
	check_mem(__FILE__, __LINE__, #got, got, glen, want, wlen)

#define CHECK_DONE() do {						\
	if (check_failed > 0)						\
		fprintf(stderr, "%d check(s) failed\n", check_failed);	\
	return check_failed > 0;					\
} while (0)

#endif
