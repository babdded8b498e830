/*
 * The token bucket and the per-host scheduler, on a simulated clock.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "host.h"

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
	int		 i, n;

	CHECK((hs = hosts_new(2, 0)) != NULL);
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
	CHECK(strcmp(host_name(got[0]->host), host_name(got[1]->host)) != 0);
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

	CHECK((hs = hosts_new(4, 5)) != NULL);
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

int
main(void)
{
	test_tbucket();
	test_hosts();
	test_rate();
	CHECK_DONE();
}
