/*
 * Unit tests of lib/buf.c: the cap holds exactly, failures leave the
 * buffer as it was, sizes near SIZE_MAX cannot wrap, and buf_take hands
 * over NUL-terminated bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#include "check.h"

static void
test_add(void)
{
	struct buf	 b;

	buf_init(&b, 10);
	CHECK(b.data == NULL);
	CHECK_INT(b.len, 0);
	CHECK_INT(buf_add(&b, "", 0), 0);
	CHECK_STR(b.data, "");
	CHECK_INT(buf_add(&b, "abc", 3), 0);
	CHECK_INT(buf_addc(&b, 'd'), 0);
	CHECK_INT(buf_addstr(&b, "efg"), 0);
	CHECK_STR(b.data, "abcdefg");
	CHECK_INT(b.len, 7);
	/* 4 more would pass the cap of 10: refused, nothing changes */
	CHECK_INT(buf_add(&b, "hijk", 4), -1);
	CHECK_STR(b.data, "abcdefg");
	CHECK_INT(b.len, 7);
	/* exactly up to the cap is fine */
	CHECK_INT(buf_add(&b, "hij", 3), 0);
	CHECK_STR(b.data, "abcdefghij");
	CHECK_INT(buf_addc(&b, 'k'), -1);
	CHECK_INT(buf_addstr(&b, "k"), -1);
	CHECK_INT(buf_add(&b, "", 0), 0);
	CHECK_INT(b.len, 10);
	CHECK(b.cap <= 11);
	/* bytes, NULs included, are kept as given */
	buf_reset(&b);
	CHECK_INT(b.len, 0);
	CHECK_STR(b.data, "");
	CHECK_INT(buf_add(&b, "a\0b", 3), 0);
	CHECK_INT(b.len, 3);
	CHECK(memcmp(b.data, "a\0b", 4) == 0);
	buf_free(&b);
	CHECK(b.data == NULL);
	CHECK_INT(b.len, 0);
	/* usable again after buf_free */
	CHECK_INT(buf_addstr(&b, "again"), 0);
	CHECK_STR(b.data, "again");
	buf_free(&b);
	buf_free(&b);

	buf_init(&b, 0);
	CHECK_INT(buf_addc(&b, 'x'), -1);
	CHECK_INT(buf_add(&b, "", 0), 0);
	buf_free(&b);
}

/* Hostile sizes fail before any arithmetic can wrap. */
static void
test_overflow(void)
{
	struct buf	 b;

	buf_init(&b, SIZE_MAX);
	CHECK_INT(buf_add(&b, "abc", 3), 0);
	CHECK_INT(buf_add(&b, "x", SIZE_MAX), -1);
	CHECK_INT(buf_add(&b, "x", SIZE_MAX - 3), -1);
	CHECK_INT(buf_add(&b, "x", SIZE_MAX - 4), -1);	/* > PTRDIFF_MAX */
	CHECK_INT(buf_add(&b, "x", SIZE_MAX / 2), -1);
	CHECK_STR(b.data, "abc");
	CHECK_INT(b.len, 3);
	buf_free(&b);

	buf_init(&b, 100);
	CHECK_INT(buf_add(&b, "abc", 3), 0);
	CHECK_INT(buf_add(&b, "x", SIZE_MAX - 1), -1);
	CHECK_INT(buf_add(&b, "x", 98), -1);
	CHECK_INT(b.len, 3);
	buf_free(&b);
}

/* Growth is geometric: a million one-byte appends, few reallocations. */
static void
test_growth(void)
{
	struct buf	 b;
	size_t		 lastcap = 0;
	int		 i, grows = 0;

	buf_init(&b, 1 << 20);
	for (i = 0; i < 1 << 20; i++) {
		if (buf_addc(&b, 'a' + i % 26) == -1)
			break;
		if (b.cap != lastcap) {
			grows++;
			lastcap = b.cap;
		}
		if (b.len + 1 > b.cap) {
			CHECK(b.len + 1 <= b.cap);
			break;
		}
	}
	CHECK_INT(i, 1 << 20);
	CHECK_INT(b.len, 1 << 20);
	CHECK(grows <= 20);
	CHECK(b.cap <= (1 << 20) + 1);
	CHECK_INT(buf_addc(&b, 'x'), -1);
	CHECK_INT(b.data[b.len], '\0');
	CHECK_INT(b.data[12345], 'a' + 12345 % 26);
	buf_free(&b);
}

static void
test_printf(void)
{
	struct buf	 b;
	char		 big[1000];

	buf_init(&b, 40);
	CHECK_INT(buf_printf(&b, "%d-%s", 42, "x"), 0);
	CHECK_STR(b.data, "42-x");
	CHECK_INT(buf_printf(&b, "%s", ""), 0);
	CHECK_INT(b.len, 4);
	/* too long for the cap: refused whole, NUL back in its place */
	CHECK_INT(buf_printf(&b, "%50s", "y"), -1);
	CHECK_STR(b.data, "42-x");
	CHECK_INT(b.len, 4);
	/* fits the allocation but not the cap */
	buf_free(&b);
	buf_init(&b, 8);
	CHECK_INT(buf_addc(&b, 'a'), 0);		/* allocates 9 */
	CHECK_INT(buf_printf(&b, "%s", "bcdefgh"), 0);
	CHECK_STR(b.data, "abcdefgh");
	CHECK_INT(buf_printf(&b, "%s", "i"), -1);
	CHECK_STR(b.data, "abcdefgh");
	buf_free(&b);
	buf_init(&b, 100);
	CHECK_INT(buf_addstr(&b, "ab"), 0);
	buf_truncate(&b, 1);
	CHECK_INT(buf_printf(&b, "%s", "xy"), 0);	/* into free space */
	CHECK_STR(b.data, "axy");
	CHECK_INT(buf_printf(&b, "%97s", "0123456789"), 0);	/* to 100 */
	CHECK_INT(b.len, 100);
	CHECK_INT(buf_printf(&b, "%c", 'z'), -1);
	CHECK_INT(b.len, 100);
	CHECK_STR(b.data + 90, "0123456789");
	buf_free(&b);

	/* a format longer than the first allocation grows it */
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_init(&b, 4096);
	CHECK_INT(buf_printf(&b, "<%s>", big), 0);
	CHECK_INT(b.len, sizeof(big) + 1);
	CHECK_INT(b.data[0], '<');
	CHECK_INT(b.data[b.len - 1], '>');
	CHECK_INT(b.data[b.len], '\0');
	buf_free(&b);
}

static void
test_take(void)
{
	struct buf	 b;
	char		*p;
	size_t		 len = 99;

	buf_init(&b, 100);
	p = buf_take(&b, &len);
	CHECK(p != NULL);
	CHECK_STR(p, "");
	CHECK_INT(len, 0);
	free(p);

	CHECK_INT(buf_addstr(&b, "hello"), 0);
	p = buf_take(&b, &len);
	CHECK_STR(p, "hello");
	CHECK_INT(len, 5);
	CHECK(b.data == NULL);
	CHECK_INT(b.len, 0);
	CHECK_INT(b.max, 100);
	/* b stays usable and p is the caller's */
	CHECK_INT(buf_addstr(&b, "again"), 0);
	CHECK_STR(b.data, "again");
	CHECK_STR(p, "hello");
	free(p);
	p = buf_take(&b, NULL);
	CHECK_STR(p, "again");
	free(p);
	buf_free(&b);
}

static void
test_truncate(void)
{
	struct buf	 b;

	buf_init(&b, 100);
	buf_truncate(&b, 0);		/* nothing allocated: a no-op */
	CHECK(b.data == NULL);
	CHECK_INT(buf_addstr(&b, "abcdef"), 0);
	buf_truncate(&b, 10);
	CHECK_STR(b.data, "abcdef");
	buf_truncate(&b, 3);
	CHECK_STR(b.data, "abc");
	CHECK_INT(b.len, 3);
	buf_free(&b);
}

int
main(void)
{
	test_add();
	test_overflow();
	test_growth();
	test_printf();
	test_take();
	test_truncate();
	if (check_failed > 0) {
		fprintf(stderr, "test_buf: %d failures\n", check_failed);
		return 1;
	}
	printf("test_buf: ok\n");
	return 0;
}
