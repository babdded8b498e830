/*
 * Assertions for the unit tests: they print both operands, count
 * failures instead of aborting, and do not vanish under NDEBUG.
 */
#ifndef TRAWL_CHECK_H
#define TRAWL_CHECK_H

#include <stdio.h>
#include <string.h>

static int	check_failed;

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

#define CHECK_DONE() do {						\
	if (check_failed > 0)						\
		fprintf(stderr, "%d check(s) failed\n", check_failed);	\
	return check_failed > 0;					\
} while (0)

#endif
