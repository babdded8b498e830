/*
 * Unit tests of lib/json.c: escaping, UTF-8 repair, the record shapes and
 * their exact bytes, and that a full buffer is left as it was.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"

#include "check.h"

/* json_str() over in[0..inlen) must give exactly the quoted string want. */
static void
check_str(int line, const char *in, size_t inlen, const char *want)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b, 1 << 20);
	rc = json_str(&b, in, inlen);
	if (rc != 0) {
		fprintf(stderr, "%s:%d: json_str returned %d\n", __FILE__,
		    line, rc);
		check_failed++;
	} else
		check_mem(__FILE__, line, "json_str", b.data, b.len, want,
		    strlen(want));
	buf_free(&b);
}

#define STR(in, want)	check_str(__LINE__, in, sizeof(in) - 1, want)
#define FFFD	"\xef\xbf\xbd"

static void
test_escapes(void)
{
	char	 all[32], want[256], *p;
	int	 c;

	STR("", "\"\"");
	STR("hello, world", "\"hello, world\"");
	STR("a\"b\\c/d", "\"a\\\"b\\\\c/d\"");
	STR("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	STR("nul\0byte", "\"nul\\u0000byte\"");
	STR("\x7f", "\"\x7f\"");
	STR("\x1f\x01\x0b\x1b[31m", "\"\\u001f\\u0001\\u000b\\u001b[31m\"");
	/* every control byte, in a run long enough for the word scan */
	p = want;
	*p++ = '"';
	for (c = 0; c < 32; c++) {
		all[c] = c;
		switch (c) {
		case '\b': p += sprintf(p, "\\b"); break;
		case '\f': p += sprintf(p, "\\f"); break;
		case '\n': p += sprintf(p, "\\n"); break;
		case '\r': p += sprintf(p, "\\r"); break;
		case '\t': p += sprintf(p, "\\t"); break;
		default: p += sprintf(p, "\\u%04x", c); break;
		}
	}
	*p++ = '"';
	*p = '\0';
	check_str(__LINE__, all, sizeof(all), want);
	/* unsafe bytes at every offset of an 8-byte word */
	STR("abcdefg\"hijklmno", "\"abcdefg\\\"hijklmno\"");
	STR("abcdefgh\\ijklmnop", "\"abcdefgh\\\\ijklmnop\"");
	STR("abcdefghijklmno\n", "\"abcdefghijklmno\\n\"");
	STR("\"abcdefghijklmno", "\"\\\"abcdefghijklmno\"");
	STR("abcdefghijklmno\x1f", "\"abcdefghijklmno\\u001f\"");
	STR("abcdefghijklmn !", "\"abcdefghijklmn !\"");
	STR("~~~~~~~~}}}}}}}}", "\"~~~~~~~~}}}}}}}}\"");
}

static void
test_utf8(void)
{
	/* well formed, kept as is, also at the edges of each range */
	STR("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	STR("\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf",
	    "\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\"");
	STR("\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
	    "\"\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"");
	/* U+2028 and U+2029 are valid in JSON strings */
	STR("\xe2\x80\xa8\xe2\x80\xa9", "\"\xe2\x80\xa8\xe2\x80\xa9\"");

	/* stray continuation bytes and bytes that never start a sequence */
	STR("\x80", "\"" FFFD "\"");
	STR("a\xbf" "b", "\"a" FFFD "b\"");
	STR("\xc0\xaf", "\"" FFFD FFFD "\"");
	STR("\xc1\xbf", "\"" FFFD FFFD "\"");
	STR("\xf5\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
	STR("\xff\xfe", "\"" FFFD FFFD "\"");
	/* overlong forms */
	STR("\xe0\x80\xaf", "\"" FFFD FFFD FFFD "\"");
	STR("\xf0\x8f\xbf\xbf", "\"" FFFD FFFD FFFD FFFD "\"");
	/* surrogates and past U+10FFFF */
	STR("\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"");
	STR("\xed\xbf\xbf", "\"" FFFD FFFD FFFD "\"");
	STR("\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
	/* truncated sequences: one U+FFFD per maximal subpart */
	STR("\xe1\x80", "\"" FFFD "\"");
	STR("\xe1\x80" "A", "\"" FFFD "A\"");
	STR("\xf0\x9f\x98", "\"" FFFD "\"");
	STR("\xf0\x9f\x98\n", "\"" FFFD "\\n\"");
	STR("\xf0\x9f" "\xf0\x9f\x98\x80", "\"" FFFD "\xf0\x9f\x98\x80\"");
	STR("\xc3", "\"" FFFD "\"");
	STR("\xc3\"", "\"" FFFD "\\\"\"");
	/* the example of Unicode 15, section 3.9, Table 3-8 */
	STR("\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64",
	    "\"a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d\"");
}

/* A failing append leaves the buffer exactly as it was. */
static void
test_cap(void)
{
	struct buf	 b;
	const char	*in = "0123456789\n\xff\xe2\x82\xac-abcdefghijklmnop";
	size_t		 need, max;

	buf_init(&b, 1 << 20);
	CHECK_INT(json_str(&b, in, strlen(in)), 0);
	need = b.len;
	buf_free(&b);
	for (max = 0; max <= need + 1; max++) {
		buf_init(&b, max);
		if (max >= 3)
			CHECK_INT(buf_add(&b, "xyz", 3), 0);
		if (max < need + 3 * (max >= 3)) {
			CHECK_INT(json_str(&b, in, strlen(in)), -1);
			CHECK_INT(b.len, max >= 3 ? 3 : 0);
			if (max >= 3)
				CHECK_MEM(b.data, strlen(b.data), "xyz", 3);
		}
		buf_free(&b);
	}
	buf_init(&b, need);
	CHECK_INT(json_str(&b, in, strlen(in)), 0);
	CHECK_INT(b.len, need);
	buf_free(&b);
}

static void
test_id(void)
{
	char	 id[33];

	json_id("https://example.com/", id);
	CHECK_MEM(id, strlen(id), "0f115db062b7c0dd030b16878c99dea5", 32);
	json_id("", id);
	CHECK_MEM(id, strlen(id), "e3b0c44298fc1c149afbf4c8996fb924", 32);
}

static const char doc_want[] =
    "{\"id\":\"0f115db062b7c0dd030b16878c99dea5\","
    "\"url\":\"https://example.com/\","
    "\"final_url\":\"https://example.com/a?b=\\\"c\\\"\","
    "\"status\":200,\"added\":\"2026-11-21T23:59:01Z\","
    "\"source\":\"trawl\",\"content_type\":\"text/html\",\"lang\":\"en\","
    "\"title\":\"T\\u0001\xc3\xa9\",\"words\":412,"
    "\"text\":\"line one\\nline\\u0000two" FFFD "\"}\n";

static void
test_doc(void)
{
	struct json_doc	 d;
	struct buf	 b;
	size_t		 max, need;

	memset(&d, 0, sizeof(d));
	d.url = "https://example.com/";
	d.final_url = "https://example.com/a?b=\"c\"";
	d.status = 200;
	d.added = 1795305541;
	d.source = "trawl";
	d.content_type = "text/html";
	d.lang = "en";
	d.title = "T\x01\xc3\xa9";
	d.words = 412;
	d.text = "line one\nline\0two\xff";
	d.textlen = 18;

	buf_init(&b, 1 << 20);
	CHECK_INT(json_doc(&b, &d), 0);
	CHECK_MEM(b.data, b.len, doc_want, sizeof(doc_want) - 1);
	need = b.len;
	buf_free(&b);

	/* every cap short of the record fails and leaves b untouched */
	for (max = 0; max < need; max++) {
		buf_init(&b, max);
		CHECK_INT(json_doc(&b, &d), -1);
		CHECK_INT(b.len, 0);
		CHECK(b.data == NULL || b.data[0] == '\0');
		buf_free(&b);
	}
	buf_init(&b, need);
	CHECK_INT(json_doc(&b, &d), 0);
	CHECK_INT(b.len, need);
	buf_free(&b);

	/* optional keys at the end; NULL strings become "" */
	memset(&d, 0, sizeof(d));
	d.url = "http://x/";
	d.added = 0;
	d.description = "d";
	d.published = "2020-01-02";
	buf_init(&b, 1 << 20);
	CHECK_INT(json_doc(&b, &d), 0);
	{
		char	 id[33], want[512];

		json_id("http://x/", id);
		snprintf(want, sizeof(want), "{\"id\":\"%s\",\"url\":"
		    "\"http://x/\",\"final_url\":\"\",\"status\":0,\"added\":"
		    "\"1970-01-01T00:00:00Z\",\"source\":\"\",\"content_type\":"
		    "\"\",\"lang\":\"\",\"title\":\"\",\"words\":0,\"text\":"
		    "\"\",\"description\":\"d\",\"published\":"
		    "\"2020-01-02\"}\n",
		    id);
		CHECK_MEM(b.data, b.len, want, strlen(want));
	}
	d.canonical_url = "http://x/c";
	d.published = NULL;
	buf_reset(&b);
	CHECK_INT(json_doc(&b, &d), 0);
	CHECK(strstr(b.data, ",\"description\":\"d\",\"canonical_url\":"
	    "\"http://x/c\"}\n") != NULL);
	buf_free(&b);
}

static void
test_err(void)
{
	static const char want[] =
	    "{\"url\":\"ht tp://\\u0000" FFFD "\\n\",\"error\":\"invalid_url\","
	    "\"detail\":\"bad scheme\",\"status\":0,\"attempts\":0,"
	    "\"at\":\"2026-11-21T23:59:01Z\"}\n"
	    "{\"url\":\"https://a/\",\"error\":\"http_status\",\"detail\":\"\","
	    "\"status\":503,\"attempts\":4,\"at\":\"1970-01-01T00:00:00Z\"}\n";
	struct json_err	 e;
	struct buf	 b;
	size_t		 need, max;

	memset(&e, 0, sizeof(e));
	e.url = "ht tp://\0\xc0\n";
	e.urllen = 11;
	e.error = "invalid_url";
	e.detail = "bad scheme";
	e.at = 1795305541;
	buf_init(&b, 1 << 20);
	CHECK_INT(json_err(&b, &e), 0);
	need = b.len;

	memset(&e, 0, sizeof(e));
	e.url = "https://a/";
	e.urllen = 10;
	e.error = "http_status";
	e.status = 503;
	e.attempts = 4;
	CHECK_INT(json_err(&b, &e), 0);
	CHECK_MEM(b.data, b.len, want, sizeof(want) - 1);
	buf_free(&b);

	/* a second record that does not fit leaves the first one whole */
	for (max = need; max < sizeof(want) - 1; max++) {
		buf_init(&b, max);
		CHECK_INT(buf_add(&b, want, need), 0);
		CHECK_INT(json_err(&b, &e), -1);
		CHECK_MEM(b.data, b.len, want, need);
		buf_free(&b);
	}
}

static void
test_valid(void)
{
	CHECK_INT(json_utf8_valid("", 0), 1);
	CHECK_INT(json_utf8_valid("caf\xc3\xa9", 5), 1);
	CHECK_INT(json_utf8_valid("\xf0\x9f\x98\x80", 4), 1);
	CHECK_INT(json_utf8_valid("caf\xc3", 4), 0);		/* cut */
	CHECK_INT(json_utf8_valid("\xc0\xaf", 2), 0);		/* overlong */
	CHECK_INT(json_utf8_valid("\xed\xa0\x80", 3), 0);	/* surrogate */
	CHECK_INT(json_utf8_valid("\xf4\x90\x80\x80", 4), 0);	/* > U+10FFFF */
	CHECK_INT(json_utf8_valid("\xff", 1), 0);
}

int
main(void)
{
	test_escapes();
	test_utf8();
	test_valid();
	test_cap();
	test_id();
	test_doc();
	test_err();
	if (check_failed > 0) {
		fprintf(stderr, "test_json: %d failures\n", check_failed);
		return 1;
	}
	printf("test_json: ok\n");
	return 0;
}
