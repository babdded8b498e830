#!/usr/bin/env bats
# Failed URLs: the right error record, no document, exit status 1; a clean
# run exits 0.

load helpers

# one_error PATH KIND [trawl options]: fetch one URL, expect exit 1, no
# document and one error record of KIND for it.
one_error() {
	local u=$1 kind=$2
	shift 2
	echo "$u" >urls.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl "$@" urls.txt
	echo "stderr: $stderr"
	[ "$status" -eq 1 ]
	[ ! -s out.jsonl ]
	run check errors err.jsonl
	assert_output 1
	run check get err.jsonl "$u" error
	assert_output "$kind"
}

@test "a clean run exits 0 with no error records" {
	server_start 2
	make_urls urls.txt 2 6
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check docs out.jsonl
	assert_output 6
	[ ! -s err.jsonl ]
}

@test "application/pdf gives not_html" {
	server_start 1
	one_error "$(url 1 /ctype/application/pdf)" not_html
	run check get err.jsonl "$(url 1 /ctype/application/pdf)" status
	assert_output 200
}

@test "image/png and text/plain give not_html" {
	server_start 1
	one_error "$(url 1 /ctype/image/png)" not_html
	one_error "$(url 1 /ctype/text/plain)" not_html
}

@test "application/xhtml+xml is a document" {
	server_start 1
	url 1 /ctype/application/xhtml+xml >urls.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check docs out.jsonl
	assert_output 1
}

@test "a body over --max-size gives too_large" {
	server_start 1
	one_error "$(url 1 /big/2M)" too_large --max-size 1M
}

@test "a chunked body over --max-size gives too_large" {
	server_start 1
	one_error "$(url 1 /bigchunked/2M)" too_large --max-size 1M
}

@test "a body under --max-size is a document" {
	server_start 1
	url 1 /big/500K >urls.txt
	run_trawl -r 0 --max-size 1M -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check get out.jsonl "$(url 1 /big/500K)" title
	assert_output "Big 512000"
}

@test "a gzip-encoded body is decoded" {
	server_start 1
	url 1 /gzip/200K >urls.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check get out.jsonl "$(url 1 /gzip/200K)" text
	assert_output --partial "Lorem ipsum dolor sit amet"
}

@test "a 404 gives http_status with status 404" {
	server_start 1
	one_error "$(url 1 /status/404)" http_status
	run check get err.jsonl "$(url 1 /status/404)" status
	assert_output 404
}

@test "a refused connection gives connect" {
	server_start 1
	# 127.0.0.254 is a loopback address nothing listens on.
	one_error "http://127.0.0.254:$PORT/page/1" connect
	run check get err.jsonl "http://127.0.0.254:$PORT/page/1" status
	assert_output 0
}

@test "a redirect loop gives too_many_redirects" {
	server_start 1
	one_error "$(url 1 /redirect-loop)" too_many_redirects
}

@test "every URL ends as exactly one document or one error record" {
	server_start 2
	{
		url 1 /page/1
		url 1 /status/404
		url 2 /ctype/application/pdf
		url 2 /page/2
		url 1 /status/410
		echo "http://127.0.0.254:$PORT/page/x"
		echo "not a url"
	} >urls.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 1 ]
	{
		check urls out.jsonl
		check urls err.jsonl
	} | sort >got.txt
	run check docs out.jsonl
	assert_output 2
	run check errors err.jsonl
	assert_output 5
	sort urls.txt >want.txt
	run diff want.txt got.txt
	assert_success
}

@test "not_html and too_large stop the download early" {
	server_start 1
	url 1 '/ctype/application/pdf?size=64M' >urls.txt
	run_trawl -r 0 --max-size 100M -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 1 ]
	run check get err.jsonl "$(url 1 '/ctype/application/pdf?size=64M')" error
	assert_output not_html
	url 1 /big/64M >urls.txt
	run_trawl -r 0 --max-size 1M -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 1 ]
	run check get err.jsonl "$(url 1 /big/64M)" error
	assert_output too_large
	server_idle
	# The server could not write the whole 64 MB: the client hung up.
	run "$PYTHON" -c '
import json, sys
bad = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if "64M" in r["path"]:
        print(r["path"], r["bytes"], r["error"])
        bad += r["bytes"] >= 64 << 20 or r["error"] is None
sys.exit(bad)' "$SERVER_LOG"
	assert_success
}

@test "-t 2: a stalled transfer gives timeout within seconds" {
	server_start 1
	url 1 /stall >urls.txt
	url 1 /stall-headers >>urls.txt
	local t0=$SECONDS
	run_trawl -r 0 -t 2 --retries 0 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 1 ]
	# The stall lasts 300 s.
	[ $((SECONDS - t0)) -lt 30 ]
	run check get err.jsonl "$(url 1 /stall)" error
	assert_output timeout
	run check get err.jsonl "$(url 1 /stall-headers)" error
	assert_output timeout
	run check get err.jsonl "$(url 1 /stall)" attempts
	assert_output 1
}

@test "a deflate-encoded body is decoded" {
	server_start 1
	url 1 /deflate/100K >urls.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check get out.jsonl "$(url 1 /deflate/100K)" text
	assert_output --partial "Lorem ipsum dolor sit amet"
}
