#!/usr/bin/env bats
# robots.txt end to end (issue 4, RFC 9309): disallowed URLs give robots
# records and are never requested, user-agent groups, Crawl-delay, 4xx as
# allow-all, 5xx as disallow-all, --no-robots, one fetch per host.  The
# fixture server serves --robots ADDR=FILE; tests/server/hostile.py
# serves a robots.txt answering 503.

load helpers
load lib/hostile

teardown() {
	hostile_stop
	common_teardown
}

# robots_requests [ADDR]: logged requests for /robots.txt (to ADDR).
robots_requests() {
	server_idle
	"$PYTHON" -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["path"].split("?")[0] == "/robots.txt" and \
            (len(sys.argv) < 3 or r["addr"] == sys.argv[2]):
        n += 1
print(n)' "$SERVER_LOG" "$@"
}

# outcomes [SPEC]: tests/lib/outcome.py on out.jsonl, err.jsonl, urls.txt.
outcomes() {
	run "$PYTHON" "$TESTS_DIR/lib/outcome.py" out.jsonl err.jsonl urls.txt "$@"
	echo "$output"
	assert_success
}

# run_spec [OPTION ...]: trawl -r 0 on the URLs of spec.txt ("OUTCOME URL"
# lines, into urls.txt), to out.jsonl and err.jsonl; exit 0 wanted and
# each URL's outcome as spec.txt says.
run_spec() {
	cut -d' ' -f2- spec.txt >urls.txt
	run_trawl -r 0 "$@" -o out.jsonl -e err.jsonl urls.txt
	echo "status $status, stderr: $stderr"
	# Only robots records: URLs skipped by policy count as done.
	[ "$status" -eq 0 ]
	outcomes spec.txt
}

# never_requested ADDR PREFIX ...: the server log has no request to ADDR
# whose path starts with one of the PREFIXes.
never_requested() {
	server_idle
	run "$PYTHON" -c '
import json, sys
bad = [r["path"] for r in map(json.loads, open(sys.argv[1]))
       if r["addr"] == sys.argv[2] and r["path"].startswith(tuple(sys.argv[3:]))]
print(bad)
sys.exit(1 if bad else 0)' "$SERVER_LOG" "$@"
	assert_success
}

@test "Disallow: robots records, never requested; allowed paths fetched; exit 0" {
	printf 'User-agent: *\nDisallow: /page/private\nDisallow: /delay/\n' >robots.txt
	server_start 2 --robots "127.0.0.2=robots.txt"
	{
		echo "robots $(url 1 /page/private1)"
		echo "robots $(url 1 /page/private/2)"
		echo "robots $(url 1 /delay/10/x)"
		echo "document $(url 1 /page/public1)"
		echo "document $(url 1 /page/public2)"
		# Host 2 has no robots.txt (404): the same paths are fetched.
		echo "document $(url 2 /page/private1)"
		echo "document $(url 2 /delay/10/x)"
	} >spec.txt
	run_spec
	# A robots record has status 0 and no fetch.
	run check get err.jsonl "$(url 1 /page/private1)" status
	assert_output 0
	run check get err.jsonl "$(url 1 /page/private1)" attempts
	assert_output 0
	# The disallowed URLs never reached the server.
	never_requested "${HOST[1]}" /page/private /delay/
	[ "$(page_requests '^/page/public')" -eq 2 ]
	[[ "$stderr" == *"robots 3"* ]]
}

@test "a redirect to a disallowed path of the same host is not followed: robots record" {
	printf 'User-agent: *\nDisallow: /page/private\n' >robots.txt
	server_start 2 --robots "127.0.0.2=robots.txt"
	{
		# Relative, absolute, and through an allowed hop.
		echo "robots $(url 1 '/redirect-to?url=/page/private1')"
		echo "robots $(url 1 "/redirect-to?url=http://${HOST[1]}:$PORT/page/private2")"
		echo "robots $(url 1 '/redirect-to?url=/redirect-to%3Furl%3D/page/private3')"
		echo "document $(url 1 '/redirect-to?url=/page/public1')"
		# Another host's rules are not this one's: followed.
		echo "document $(url 1 "/redirect-to?url=http://${HOST[2]}:$PORT/page/private4")"
	} >spec.txt
	run_spec
	run check get err.jsonl "$(url 1 '/redirect-to?url=/page/private1')" detail
	assert_output "redirect to http://${HOST[1]}:$PORT/page/private1 disallowed by robots.txt"
	run check get err.jsonl "$(url 1 '/redirect-to?url=/page/private1')" status
	assert_output 302
	# No disallowed page was requested from host 1.
	never_requested "${HOST[1]}" /page/private
	# --no-robots follows them all.
	run_trawl -r 0 --no-robots -o out2.jsonl -e err2.jsonl urls.txt
	[ "$status" -eq 0 ]
	[ "$(wc -l <out2.jsonl)" -eq 5 ]
}

@test "robots records and a real failure: exit 1" {
	printf 'User-agent: *\nDisallow: /page/private\n' >robots.txt
	server_start 1 --robots robots.txt
	{
		echo "robots $(url 1 /page/private1)"
		echo "http_status $(url 1 /status/404)"
	} >spec.txt
	cut -d' ' -f2- spec.txt >urls.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 1 ]
	outcomes spec.txt
}

@test "a group for trawl wins over *, whatever the case, and groups merge" {
	cat >robots.txt <<'EOF'
User-agent: *
Disallow: /

User-agent: otherbot
Disallow: /page/a

User-agent: TRAWL
Disallow: /page/b

User-agent: Trawl
Disallow: /page/c
Allow: /page/c/ok
EOF
	server_start 1 --robots robots.txt
	{
		echo "document $(url 1 /page/a1)"
		echo "robots $(url 1 /page/b1)"
		echo "robots $(url 1 /page/c1)"
		echo "document $(url 1 /page/c/ok1)"
		echo "document $(url 1 /page/d1)"
	} >spec.txt
	cut -d' ' -f2- spec.txt >urls.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	echo "status $status, stderr: $stderr"
	[ "$status" -eq 0 ]
	outcomes spec.txt
	[ "$(page_requests '^/page/(b|c)1')" -eq 0 ]
}

@test "only a * group: it applies to trawl" {
	printf 'User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /page/x\n' >robots.txt
	server_start 1 --robots robots.txt
	{
		echo "robots $(url 1 /page/x1)"
		echo "document $(url 1 /page/y1)"
	} >spec.txt
	cut -d' ' -f2- spec.txt >urls.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 0 ]
	outcomes spec.txt
}

# gaps ADDR: "N MINGAP SPAN" of the request starts to ADDR (check.py).
@test "Crawl-delay: 1 spaces the starts to its host 1 s apart even with -r 0" {
	printf 'User-agent: *\nCrawl-delay: 1\n' >robots.txt
	server_start 2 --robots "127.0.0.2=robots.txt"
	make_urls a.txt 1 4 /page/cd
	sed "s/${HOST[1]}/${HOST[2]}/" a.txt >b.txt
	cat a.txt b.txt >urls.txt
	run_trawl -r 0 -p 4 -o out.jsonl -e err.jsonl urls.txt
	echo "status $status, stderr: $stderr"
	[ "$status" -eq 0 ]
	outcomes
	server_idle
	run check gaps "$SERVER_LOG" "${HOST[1]}"
	echo "host 1 (Crawl-delay 1): $output"
	local n gap span
	read -r n gap span <<<"$output"
	[ "$n" -eq 4 ]
	# 1 s apart, less a tolerance for scheduling jitter (the server logs
	# when its handler starts), and the whole span at least 3 s less 0.1.
	"$PYTHON" -c "import sys; sys.exit(0 if $gap >= 0.8 and $span >= 2.9 else 1)"
	# The other host has no Crawl-delay: -r 0 holds there.
	run check gaps "$SERVER_LOG" "${HOST[2]}"
	echo "host 2 (none): $output"
	read -r n gap span <<<"$output"
	"$PYTHON" -c "import sys; sys.exit(0 if $span < 1.5 else 1)"
}

@test "Crawl-delay never raises a lower -r: -r 0.5 with Crawl-delay: 1 stays 2 s apart" {
	printf 'User-agent: *\nCrawl-delay: 1\n' >robots.txt
	server_start 1 --robots robots.txt
	make_urls urls.txt 1 3 /page/cr
	run_trawl -r 0.5 -p 4 -o out.jsonl -e err.jsonl urls.txt
	echo "status $status, stderr: $stderr"
	[ "$status" -eq 0 ]
	server_idle
	run check gaps "$SERVER_LOG" "${HOST[1]}"
	echo "gaps: $output"
	local n gap span
	read -r n gap span <<<"$output"
	[ "$n" -eq 3 ]
	"$PYTHON" -c "import sys; sys.exit(0 if $gap >= 1.8 and $span >= 3.9 else 1)"
}

@test "robots.txt 404: everything allowed" {
	# No --robots: the fixture server answers /robots.txt with 404.
	server_start 2
	make_urls urls.txt 2 8 /page/r
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 0 ]
	outcomes
	[ "$(robots_requests)" -eq 2 ]
	[ "$(page_requests '^/page/r')" -eq 8 ]
}

@test "robots.txt 503: nothing fetched from that host, all robots records" {
	server_start 1
	hostile_start 127.0.0.9 --robots-status 503
	local i
	{
		for i in 1 2 3 4 5; do
			echo "robots http://127.0.0.9:$HPORT/page/h$i"
		done
		echo "document $(url 1 /page/fine)"
	} >spec.txt
	cut -d' ' -f2- spec.txt >urls.txt
	run_trawl -r 0 --retries 0 -t 5 -o out.jsonl -e err.jsonl urls.txt
	echo "status $status, stderr: $stderr"
	# robots records count as done.
	[ "$status" -eq 0 ]
	outcomes spec.txt
	# Only /robots.txt was asked for, once.
	run "$PYTHON" -c '
import json, sys
paths = [json.loads(l)["path"] for l in open(sys.argv[1])]
print(paths)
sys.exit(0 if paths == ["/robots.txt"] else 1)' "$HLOG"
	assert_success
}

@test "robots.txt 503 is retried with --retries, then disallows all" {
	server_start 1
	hostile_start 127.0.0.9 --robots-status 503
	echo "http://127.0.0.9:$HPORT/page/h1" >urls.txt
	echo "robots http://127.0.0.9:$HPORT/page/h1" >spec.txt
	run_trawl -r 0 --retries 1 -t 5 -o out.jsonl -e err.jsonl urls.txt
	echo "status $status, stderr: $stderr"
	[ "$status" -eq 0 ]
	outcomes spec.txt
	run "$PYTHON" -c '
import json, sys
paths = [json.loads(l)["path"] for l in open(sys.argv[1])]
print(paths)
sys.exit(0 if paths == ["/robots.txt"] * 2 else 1)' "$HLOG"
	assert_success
}

@test "--no-robots: robots.txt is never requested and Disallow is ignored" {
	printf 'User-agent: *\nDisallow: /\nCrawl-delay: 5\n' >robots.txt
	server_start 2 --robots robots.txt
	make_urls urls.txt 2 6 /page/n
	run_trawl -r 0 --no-robots -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 0 ]
	outcomes
	[ "$(robots_requests)" -eq 0 ]
	[ "$(page_requests '^/page/n')" -eq 6 ]
}

@test "robots.txt is fetched once per host per run" {
	printf 'User-agent: *\nDisallow: /page/no\n' >robots.txt
	server_start 3 --robots robots.txt
	make_urls a.txt 3 24 /delay/100/
	make_urls b.txt 3 6 /page/no
	cat a.txt b.txt >urls.txt
	{
		sed 's/^/document /' a.txt
		sed 's/^/robots /' b.txt
	} >spec.txt
	run_trawl -r 0 -p 4 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 0 ]
	outcomes spec.txt
	[ "$(robots_requests "${HOST[1]}")" -eq 1 ]
	[ "$(robots_requests "${HOST[2]}")" -eq 1 ]
	[ "$(robots_requests "${HOST[3]}")" -eq 1 ]
	run check kinds err.jsonl
	assert_output "robots 6"
}

@test "robots.txt comes before the host's first page" {
	# The server holds robots.txt for 300 ms, so no page can reach it
	# sooner than 300 ms after robots.txt did unless trawl asked for
	# the page before it had robots.txt's answer.  (A request's logged
	# end time cannot serve: the server thread that wrote the answer may
	# log it after the next request has begun.)
	printf 'User-agent: *\nDisallow: /page/no\n' >robots.txt
	server_start 2 --robots robots.txt --robots-delay 300
	make_urls urls.txt 2 8 /page/f
	run_trawl -r 0 -p 4 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 0 ]
	server_idle
	run "$PYTHON" -c '
import json, sys
recs = sorted(map(json.loads, open(sys.argv[1])), key=lambda r: r["t0"])
answered = {}
for r in recs:
    a = r["addr"]
    if r["path"] == "/robots.txt":
        answered.setdefault(a, r["t0"] + 0.3)
    elif a not in answered or r["t0"] < answered[a]:
        print("page before robots.txt was answered:", a, r["path"]); sys.exit(1)
print(len(answered), "hosts, robots.txt first")
sys.exit(0 if len(answered) == 2 else 1)' "$SERVER_LOG"
	echo "$output"
	assert_success
}
