/*
 * The token bucket and the per-host scheduler, on a simulated clock.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "host.h"
#include "robots.h"

static void
test_tbucket(void)
{
	struct tbucket	tb;
	double		t = 100;
	int		i, starts = 0;

	tbucket_init(&tb, 5, 1, t);
	CHECK(tbucket_wait(&tb, t) == 0);
	tbucket_take(&tb, t);
	/* Next start 0.2 s later, not before. */
	CHECK(tbucket_wait(&tb, t + 0.1) > 0.099 &&
	    tbucket_wait(&tb, t + 0.1) < 0.101);
	CHECK(tbucket_wait(&tb, t + 0.2) == 0);
	/* Over 10 s at 5/s, 50 starts (plus the first token). */
	tbucket_init(&tb, 5, 1, t);
	for (i = 0; i <= 10000; i++) {
		double now = t + i * 0.001;

		if (tbucket_wait(&tb, now) == 0) {
			tbucket_take(&tb, now);
			starts++;
		}
	}
	CHECK(starts >= 50 && starts <= 51);
	/* An idle bucket does not save up past its burst. */
	tbucket_init(&tb, 2, 1, t);
	tbucket_take(&tb, t);
	CHECK(tbucket_wait(&tb, t + 100) == 0);
	tbucket_take(&tb, t + 100);
	CHECK(tbucket_wait(&tb, t + 100) > 0.49);
	/* Fractions of a request per second. */
	tbucket_init(&tb, 0.5, 1, t);
	tbucket_take(&tb, t);
	CHECK(tbucket_wait(&tb, t + 1) > 0.99);
	/* Rate 0 is no limit. */
	tbucket_init(&tb, 0, 1, t);
	for (i = 0; i < 1000; i++) {
		CHECK(tbucket_wait(&tb, t) == 0);
		tbucket_take(&tb, t);
	}
}

static struct job *
job(const char *url)
{
	struct job	*j = calloc(1, sizeof(*j));

	if (j != NULL)
		j->url = strdup(url);
	return j;
}

static void
release(struct hosts *hs, struct job *j, double now)
{
	hosts_done(hs, j->host, now);
	free(j->url);
	free(j);
}

/* Per-host caps hold while other hosts go on. */
static void
test_hosts(void)
{
	struct hosts	*hs;
	struct job	*j, *got[8];
	struct host	*h0;
	double		 t = 10;
	int		 i, n, na;

	CHECK((hs = hosts_new(2, 0, 0)) != NULL);
	if (hs == NULL)
		return;
	for (i = 0; i < 5; i++) {
		CHECK_INT(hosts_push(hs, "a", job("http://a/"), t), 0);
		CHECK_INT(hosts_push(hs, "b", job("http://b/"), t), 0);
	}
	CHECK_INT(hosts_queued(hs), 10);
	for (n = 0; (j = hosts_next(hs, t)) != NULL; n++)
		got[n] = j;
	CHECK_INT(n, 4);		/* two per host */
	for (i = 0, na = 0; i < n; i++)
		na += strcmp(host_name(got[i]->host), "a") == 0;
	CHECK_INT(na, 2);
	/* A host goes on while it may: its connections stay warm. */
	CHECK(got[0]->host == got[1]->host);
	CHECK(hosts_wait(hs, t) == -1);	/* only a completion frees one */
	h0 = got[0]->host;
	release(hs, got[0], t);
	CHECK(hosts_wait(hs, t) == 0);
	CHECK((j = hosts_next(hs, t)) != NULL);
	CHECK(j != NULL && j->host == h0);
	CHECK(hosts_next(hs, t) == NULL);
	if (j != NULL)
		release(hs, j, t);
	for (i = 1; i < 4; i++)
		release(hs, got[i], t);
	hosts_free(hs);
}

/* A rate-limited host is timed; another host is ready meanwhile. */
static void
test_rate(void)
{
	struct hosts	*hs;
	struct job	*j;
	double		 t = 10;
	int		 i;

	CHECK((hs = hosts_new(4, 5, 0)) != NULL);
	if (hs == NULL)
		return;
	for (i = 0; i < 3; i++)
		CHECK_INT(hosts_push(hs, "slow", job("http://slow/"), t), 0);
	CHECK((j = hosts_next(hs, t)) != NULL);
	if (j != NULL)
		release(hs, j, t);
	CHECK(hosts_next(hs, t) == NULL);
	CHECK(hosts_wait(hs, t) > 0.19 && hosts_wait(hs, t) < 0.21);
	CHECK_INT(hosts_push(hs, "fast", job("http://fast/"), t), 0);
	CHECK((j = hosts_next(hs, t)) != NULL);
	CHECK(j != NULL && strcmp(host_name(j->host), "fast") == 0);
	if (j != NULL)
		release(hs, j, t);
	CHECK(hosts_next(hs, t + 0.1) == NULL);
	CHECK((j = hosts_next(hs, t + 0.2)) != NULL);
	if (j == NULL) {
		hosts_free(hs);
		return;
	}
	/* A delay (Retry-After) holds the host past its rate. */
	hosts_delay(hs, j->host, t + 5, t + 0.2);
	release(hs, j, t + 0.2);
	CHECK(hosts_next(hs, t + 0.5) == NULL);
	CHECK(hosts_wait(hs, t + 0.5) > 4.4 && hosts_wait(hs, t + 0.5) < 4.6);
	CHECK((j = hosts_next(hs, t + 5)) != NULL);
	if (j != NULL)
		release(hs, j, t + 5);
	CHECK_INT(hosts_queued(hs), 0);
	hosts_free(hs);
}

/* robots.txt first, then pages by its rules; Crawl-delay lowers the rate. */
static void
test_robots(void)
{
	static const char	 txt[] = "User-agent: *\nDisallow: /private\n"
				    "Crawl-delay: 2\n";
	struct hosts		*hs;
	struct job		*j, *r;
	double			 t = 10;

	CHECK((hs = hosts_new(2, 0, 1)) != NULL);
	if (hs == NULL)
		return;
	CHECK_INT(hosts_push(hs, "h", job("http://h/private/1"), t), 0);
	CHECK_INT(hosts_push(hs, "h", job("http://h/public"), t), 0);
	CHECK((r = hosts_next(hs, t)) != NULL);
	if (r == NULL) {
		hosts_free(hs);
		return;
	}
	CHECK_INT(r->kind, JOB_ROBOTS);
	CHECK_STR(host_first_url(r->host), "http://h/private/1");
	CHECK(hosts_next(hs, t) == NULL);	/* pages wait for the rules */
	CHECK_INT(hosts_queued(hs), 2);
	hosts_done(hs, r->host, t);
	hosts_robots(hs, r->host, robots_parse(txt, sizeof(txt) - 1,
	    "trawl"), t);
	free(r);
	CHECK((j = hosts_next(hs, t)) != NULL);
	CHECK(j != NULL && j->kind == JOB_DISALLOWED);
	if (j != NULL) {
		free(j->url);	/* took no slot: no hosts_done() */
		free(j);
	}
	/* No rate was set; Crawl-delay 2 makes it 0.5/s. */
	CHECK((j = hosts_next(hs, t)) == NULL);
	CHECK(hosts_wait(hs, t) > 1.9 && hosts_wait(hs, t) < 2.1);
	CHECK((j = hosts_next(hs, t + 2)) != NULL);
	CHECK(j != NULL && j->kind == JOB_PAGE);
	if (j != NULL)
		release(hs, j, t + 2);
	hosts_free(hs);
}

/* Failures in a row end a host; its queue then drains at once. */
static void
test_dead(void)
{
	struct hosts	*hs;
	struct job	*j;
	double		 t = 10;
	int		 i;

	CHECK((hs = hosts_new(1, 1, 0)) != NULL);
	if (hs == NULL)
		return;
	for (i = 0; i < 5; i++)
		CHECK_INT(hosts_push(hs, "down", job("http://down/"), t), 0);
	for (i = 0; i < 3; i++) {
		CHECK((j = hosts_next(hs, t + i)) != NULL);
		if (j == NULL)
			break;
		CHECK_INT(j->kind, JOB_PAGE);
		hosts_done(hs, j->host, t + i);
		CHECK_INT(host_failed(hs, j->host, 1, 7, "refused", t + i),
		    i == 2);
		if (i == 2) {
			CHECK_INT(host_dead_code(j->host), 7);
			CHECK_STR(host_dead_why(j->host), "refused");
		}
		free(j->url);
		free(j);
	}
	/* Dead: no rate, no slot, no wait for the last two. */
	for (i = 0; i < 2; i++) {
		CHECK((j = hosts_next(hs, t + 2)) != NULL);
		CHECK(j != NULL && j->kind == JOB_DEAD);
		if (j != NULL) {
			free(j->url);
			free(j);
		}
	}
	CHECK_INT(hosts_queued(hs), 0);
	/* A success between failures resets the count. */
	CHECK_INT(hosts_push(hs, "flaky", job("http://flaky/"), t), 0);
	CHECK((j = hosts_next(hs, t)) != NULL);
	if (j != NULL) {
		CHECK_INT(host_failed(hs, j->host, 1, 7, "x", t), 0);
		CHECK_INT(host_failed(hs, j->host, 1, 7, "x", t), 0);
		CHECK_INT(host_failed(hs, j->host, 0, 0, "", t), 0);
		CHECK_INT(host_failed(hs, j->host, 1, 7, "x", t), 0);
		CHECK_INT(host_failed(hs, j->host, 1, 7, "x", t), 0);
		release(hs, j, t);
	}
	hosts_free(hs);
}

/* A retried job goes first again, after its delay. */
static void
test_retry(void)
{
	struct hosts	*hs;
	struct job	*j;
	double		 t = 10;

	CHECK((hs = hosts_new(1, 0, 0)) != NULL);
	if (hs == NULL)
		return;
	CHECK_INT(hosts_push(hs, "h", job("http://h/1"), t), 0);
	CHECK_INT(hosts_push(hs, "h", job("http://h/2"), t), 0);
	CHECK((j = hosts_next(hs, t)) != NULL);
	if (j == NULL) {
		hosts_free(hs);
		return;
	}
	hosts_done(hs, j->host, t);
	hosts_retry(hs, j, t + 3, t);
	CHECK(hosts_next(hs, t + 1) == NULL);	/* the host waits, */
	CHECK((j = hosts_next(hs, t + 3)) != NULL);
	CHECK(j != NULL && strcmp(j->url, "http://h/1") == 0);
	if (j != NULL)
		release(hs, j, t + 3);
	hosts_free(hs);
}

int
main(void)
{
	test_tbucket();
	test_hosts();
	test_rate();
	test_robots();
	test_dead();
	test_retry();
	CHECK_DONE();
}
