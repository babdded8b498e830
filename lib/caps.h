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
#define TRAWL_DETAIL_MAX	512		/* bytes of an error record's detail */
#define TRAWL_BATCH_BYTES	(64 * 1024)	/* worker buffer handed to the writer */
#define TRAWL_WRITER_QUEUE	(16 * 1024 * 1024) /* bytes queued before backpressure */
#define TRAWL_PENDING_MAX	65536		/* URLs queued in one worker */
#define TRAWL_ROBOTS_MAX	(500 * 1024)	/* bytes of robots.txt parsed */

#endif
