/*
 * Every cap trawl puts on untrusted input, with its unit, in one place.
 */
#ifndef TRAWL_CAPS_H
#define TRAWL_CAPS_H

#define TRAWL_URL_MAX		8192		/* bytes in one URL or input line */
#define TRAWL_LINE_MAX		(1024 * 1024)	/* bytes read of one input line */
#define TRAWL_HEADER_MAX	(256 * 1024)	/* bytes of response headers */
#define TRAWL_REDIRECTS_MAX	10		/* redirects followed */
#define TRAWL_TITLE_MAX		1024		/* bytes of a title kept */
#define TRAWL_TEXT_MAX		(16 * 1024 * 1024) /* bytes of extracted text */
#define TRAWL_DEPTH_MAX		256		/* element depth the extractor walks */
#define TRAWL_PARSE_DEPTH	512		/* elements open in libxml2's parse */
#define TRAWL_DETAIL_MAX	512		/* bytes of an error record's detail */
#define TRAWL_BATCH_BYTES	(64 * 1024)	/* worker buffer handed to the writer */
#define TRAWL_WRITER_QUEUE	(16 * 1024 * 1024) /* bytes queued before backpressure */
#define TRAWL_PENDING_MAX	16384		/* URLs queued in one worker */
#define TRAWL_ROBOTS_MAX	(500 * 1024)	/* bytes of robots.txt parsed */
#define TRAWL_ROBOTS_REDIRECTS	5		/* redirects followed to robots.txt */
#define TRAWL_RETRY_AFTER_MAX	300		/* seconds of Retry-After obeyed */
#define TRAWL_BACKOFF_BASE	1.0		/* seconds before the first retry */
#define TRAWL_BACKOFF_MAX	60.0		/* seconds, longest backoff */
#define TRAWL_HOST_FAILS	3		/* failures in a row that end a host */
#define TRAWL_LOW_SPEED		100		/* bytes/s below which ... */
#define TRAWL_LOW_SPEED_TIME	10		/* ... for this many seconds aborts */
#define TRAWL_GRACE_SECS	2.0		/* in-flight time after a first signal */
#define TRAWL_RECV_BUDGET	(4 * 1024 * 1024) /* receive buffers of all transfers */
#define TRAWL_RECV_MIN		(16 * 1024)	/* bytes of one transfer's receive buffer */
#define TRAWL_RECV_MAX		(64 * 1024)	/* ... at most */

#endif
