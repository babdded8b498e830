#!/usr/bin/env bats
# The fixture server itself (tests/server/server.py), checked with curl,
# so that the other tests can trust what it serves and logs.  Needs no
# trawl; needs curl.

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	SERVER_PID=
	command -v curl >/dev/null || skip "curl is not installed"
}

# get PATH [curl options]: body of PATH on host 1 to stdout.
get() {
	local p=$1
	shift
	curl -s --max-time 20 "$@" "$(url 1 "$p")"
}

@test "server: pages, statuses, types and sizes" {
	server_start 2
	run get /page/7
	assert_output --partial "<title>Page 7</title>"
	run get /status/404 -o /dev/null -w '%{http_code}'
	assert_output 404
	run get /ctype/application/pdf -o /dev/null -w '%{content_type} %{size_download}'
	assert_output "application/pdf 2097152"
	run get /big/100K -o /dev/null -w '%{size_download}'
	assert_output 102400
	run get /bigchunked/1M -D - -o /dev/null
	assert_output --partial "Transfer-Encoding: chunked"
	run bash -c "curl -s --compressed '$(url 1 /gzip/1M)' | wc -c"
	assert_output 1048576
	run get /gzip/1M -o /dev/null -w '%{size_download}'
	[ "$output" -lt 20000 ]
	run get /latin1-header -o /dev/null -w '%{content_type}'
	assert_output "text/html; charset=iso-8859-1"
	run bash -c "curl -s '$(url 1 /latin1-meta)' | iconv -f latin1 -t utf-8"
	assert_output --partial "Herzliche Grüße aus Köln"
	run get /robots.txt -o /dev/null -w '%{http_code}'
	assert_output 404
	# Path traversal out of the document root is not served.
	run get /../../etc/passwd --path-as-is -o /dev/null -w '%{http_code}'
	assert_output 404
}

@test "server: redirects, Retry-After and conditional GET" {
	server_start 2
	run get /redirect/3 -L -o /dev/null -w '%{num_redirects} %{url_effective}'
	assert_output "3 $(url 1 /redirect/0)"
	run get '/redirect-to?url=file:///etc/passwd' -o /dev/null -w '%{redirect_url}'
	assert_output "file:///etc/passwd"
	run get /retry-after/503/7/2/x -o /dev/null -D -
	assert_output --partial "503"
	assert_output --partial "Retry-After: 7"
	run get /retry-after/503/7/2/x -o /dev/null -w '%{http_code}'
	assert_output 503
	run get /retry-after/503/7/2/x -o /dev/null -w '%{http_code}'
	assert_output 200
	run get /cond/a -H 'If-None-Match: "v1-a"' -o /dev/null -w '%{http_code}'
	assert_output 304
}

@test "server: broken transfers fail the way they should" {
	server_start 1
	run get /reset -o /dev/null
	assert_equal "$status" 56
	run get /truncated-chunked -o /dev/null
	assert_equal "$status" 18
	run get /lying-length -o /dev/null
	assert_equal "$status" 18
	run get /stall --max-time 1 -o /dev/null
	assert_equal "$status" 28
}

@test "server: the log counts requests in flight per address and in total" {
	server_start 2
	local i
	for i in 1 2 3 4 5 6; do
		echo "url = \"$(url 1 /delay/1500/a$i)\""
		echo "output = /dev/null"
		echo "url = \"$(url 2 /delay/1500/b$i)\""
		echo "output = /dev/null"
	done >cfg
	curl -s --parallel --parallel-immediate --parallel-max 12 -K cfg 2>/dev/null
	server_idle
	run check conc "$SERVER_LOG"
	echo "$output"
	read -r per_host total _ <<<"$output"
	[ "$per_host" -eq 6 ]
	[ "$total" -eq 12 ]
	run grep -c '"inflight_total": 12' "$SERVER_LOG"
	[ "$output" -ge 1 ]
	run grep -c "\"addr\": \"${HOST[2]}\"" "$SERVER_LOG"
	assert_output 6
}

@test "server: --robots and --vhost" {
	printf 'User-agent: *\nDisallow: /private\n' >robots.txt
	mkdir site
	echo '<p>vhost page</p>' >site/index.html
	server_start 2 --robots "127.0.0.2=$BATS_TEST_TMPDIR/robots.txt" \
	    --vhost "127.0.0.3=$BATS_TEST_TMPDIR/site"
	run curl -s "$(url 1 /robots.txt)"
	assert_output --partial "Disallow: /private"
	run curl -s -o /dev/null -w '%{http_code}' "$(url 2 /robots.txt)"
	assert_output 404
	run curl -s "$(url 2 /)"
	assert_output "<p>vhost page</p>"
}
