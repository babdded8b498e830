#!/usr/bin/env bats
# Hostile and broken servers (issue 4): each fault gives the right error
# record or a valid document, no crash, no hang past the timeouts, and
# the good URLs of the same run, on other hosts, all come out as
# documents.  Also retries, Retry-After and hosts that refuse every
# connection.  The fixture server is tests/server/server.py; the pages it
# has no scenario for (a gzip bomb, 100,000 nested <div>s, 200,000 stray
# end tags, a 10 MB attribute) come from tests/server/hostile.py.

load helpers

load lib/hostile

teardown() {
	hostile_stop
	common_teardown
}

now_ms() {
	date +%s%3N
}

# good_urls: 4 small pages on each of hosts 2 and 3, into good.txt.
good_urls() {
	local i
	for i in 1 2 3 4; do
		url 2 "/page/good$i"
		url 3 "/page/good$i"
	done >good.txt
}

# fault_run STATUS MAXSECS [trawl options]: spec.txt holds "OUTCOME URL"
# lines (tests/lib/outcome.py); fetch its URLs with the good pages of
# hosts 2 and 3, with -r 0 -t 3 --connect-timeout 2 --retries 0 (later
# options win), and expect exit STATUS, exactly one record per URL, the
# outcomes of spec.txt, every good page as a document, and the run over
# in less than MAXSECS seconds.  Sets OUTCOMES ("URL OUTCOME STATUS
# ATTEMPTS" lines) and ELAPSED_MS.
fault_run() {
	local want=$1 max=$2 t0 t1
	shift 2
	good_urls
	{
		cut -d' ' -f2- spec.txt
		cat good.txt
	} >urls.txt
	t0=$(now_ms)
	run_trawl -r 0 -t 3 --connect-timeout 2 --retries 0 \
	    -o out.jsonl -e err.jsonl "$@" urls.txt
	t1=$(now_ms)
	ELAPSED_MS=$((t1 - t0))
	echo "status $status, $ELAPSED_MS ms, stderr: $stderr"
	local st=$status
	run "$PYTHON" "$TESTS_DIR/lib/outcome.py" out.jsonl err.jsonl urls.txt spec.txt
	OUTCOMES=$output
	echo "$OUTCOMES"
	assert_success
	[ "$st" -eq "$want" ]
	[ "$ELAPSED_MS" -lt $((max * 1000)) ]
}

# outcome_of URL: "OUTCOME STATUS ATTEMPTS" of URL from OUTCOMES.
outcome_of() {
	awk -v u="$1" '$1 == u { print $2, $3, $4 }' <<<"$OUTCOMES"
}

# --- bodies that never finish -------------------------------------------

@test "a body dripping one byte a second gives timeout within -t" {
	server_start 3
	echo "timeout $(url 1 /drip/100)" >spec.txt
	fault_run 1 7
	run outcome_of "$(url 1 /drip/100)"
	assert_output "timeout 200 1"
}

@test "a server stalling mid-body or before the headers gives timeout within -t" {
	server_start 3
	{
		echo "timeout $(url 1 /stall)"
		echo "timeout $(url 1 /stall-headers)"
	} >spec.txt
	fault_run 1 7 -p 4
}

# --- bodies that break --------------------------------------------------

@test "a reset mid-body, a truncated chunked body, a lying Content-Length: network" {
	server_start 3
	{
		echo "network $(url 1 /reset)"
		echo "network $(url 1 /truncated-chunked)"
		echo "network $(url 1 /lying-length)"
	} >spec.txt
	fault_run 1 5 -p 4
}

@test "an HTTP/0.9 reply or a garbled status line: network, named, not bad_redirect" {
	server_start 3
	{
		echo "network $(url 1 /http09)"
		echo "network $(url 1 /bad-status-line)"
	} >spec.txt
	fault_run 1 5 -p 4
	run outcome_of "$(url 1 /http09)"
	assert_output "network 0 1"
	run jq -r 'select(.url | endswith("/http09")) | .detail' err.jsonl
	assert_output --partial "HTTP/0.9"
	run jq -r 'select(.url | endswith("/bad-status-line")) | .detail' err.jsonl
	assert_output --partial "HTTP version"
}

# --- bodies too big -----------------------------------------------------

@test "a gzip bomb is stopped while inflating: too_large, quickly, small memory" {
	server_start 3
	hostile_start
	# 4000 MB once inflated, about 4 MB on the wire; and the fixture
	# server's 50 MB gzip page.
	{
		echo "too_large http://127.0.0.9:$HPORT/gzip-bomb/4000"
		echo "too_large $(url 1 /gzip/50M)"
	} >spec.txt
	good_urls
	{
		cut -d' ' -f2- spec.txt
		cat good.txt
	} >urls.txt
	local t0 t1 rss=
	t0=$(now_ms)
	if [ -x /usr/bin/time ]; then
		run --separate-stderr timeout -k 5 30 /usr/bin/time -f 'maxrss %M' \
		    "$TRAWL" -r 0 -t 20 --retries 0 --max-size 2M \
		    -o out.jsonl -e err.jsonl urls.txt
		rss=$(sed -n 's/^maxrss \([0-9]*\)$/\1/p' <<<"$stderr")
	else
		run_trawl -r 0 -t 20 --retries 0 --max-size 2M \
		    -o out.jsonl -e err.jsonl urls.txt
	fi
	t1=$(now_ms)
	echo "status $status, $((t1 - t0)) ms, max RSS ${rss:-?} KB, stderr: $stderr"
	[ "$status" -eq 1 ]
	run "$PYTHON" "$TESTS_DIR/lib/outcome.py" out.jsonl err.jsonl urls.txt spec.txt
	echo "$output"
	assert_success
	[ $((t1 - t0)) -lt 5000 ]
	# A 2 MB cap keeps the process far below the inflated size.
	[ -z "$rss" ] || [ "$rss" -lt 200000 ]
	# The client hung up long before the end: at about 1 KB of gzip per
	# inflated MB, far less than 4 MB of gzip went out.
	run "$PYTHON" -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if "gzip-bomb" in r["path"]:
        print(r["bytes"], r["error"])
        sys.exit(0 if r["bytes"] < 1000000 and r["error"] else 1)
sys.exit(1)' "$HLOG"
	echo "gzip bytes sent, error: $output"
	assert_success
}

# --- redirects ----------------------------------------------------------

@test "a redirect loop gives too_many_redirects; to ftp:// or file:// bad_redirect" {
	server_start 3
	{
		echo "too_many_redirects $(url 1 /redirect-loop)"
		echo "bad_redirect $(url 1 "/redirect-to?url=ftp://${HOST[1]}:$PORT/x")"
		echo "bad_redirect $(url 1 '/redirect-to?url=file:///etc/passwd')"
	} >spec.txt
	fault_run 1 5 -p 4
	run outcome_of "$(url 1 '/redirect-to?url=file:///etc/passwd')"
	assert_output "bad_redirect 302 1"
	# /etc/passwd never reaches the corpus.
	run grep -c 'root:' out.jsonl
	assert_output 0
}

# --- strange bodies -----------------------------------------------------

@test "binary bytes and NULs served as text/html: a valid document or empty_text" {
	server_start 3
	# outcome.py also rejects NULs and C0 controls in any string.
	echo "document|empty_text $(url 1 /nul)" >spec.txt
	fault_run 0 5
}

@test "100,000 nested divs and a 10 MB attribute value: valid documents" {
	server_start 3
	hostile_start
	{
		echo "document http://127.0.0.9:$HPORT/nested/100000"
		echo "document http://127.0.0.9:$HPORT/big-attr/10000000"
	} >spec.txt
	fault_run 0 8 -p 4 -t 10 --max-size 16M
	run check get out.jsonl "http://127.0.0.9:$HPORT/big-attr/10000000" text
	assert_output --partial "After the attribute."
	# The attribute itself is not text.
	refute_output --partial "aaaaaaaaaa"
}

@test "200,000 unclosed tags and as many stray end tags: a document, quickly" {
	server_start 3
	hostile_start
	echo "document http://127.0.0.9:$HPORT/stray/200000" >spec.txt
	fault_run 0 20 -p 4 -t 30
	run check get out.jsonl "http://127.0.0.9:$HPORT/stray/200000" text
	assert_output --partial "Before the tags."
	assert_output --partial "Deep inside."
	assert_output --partial "After the tags."
}

@test "an empty 200 and a 204 give empty_text" {
	server_start 3
	{
		echo "empty_text $(url 1 /empty)"
		echo "empty_text $(url 1 /204)"
	} >spec.txt
	fault_run 1 5 -p 4
	run outcome_of "$(url 1 /empty)"
	assert_output "empty_text 200 1"
	run outcome_of "$(url 1 /204)"
	assert_output "empty_text 204 1"
}

# --- headers ------------------------------------------------------------

@test "100 KB of response headers: a document; over 256 KB: too_large, not retried" {
	server_start 3
	{
		echo "document $(url 1 /huge-headers/100K)"
		echo "too_large $(url 1 /huge-headers/300K)"
	} >spec.txt
	fault_run 1 5 -p 4
}

@test "a single 200 KB header line gives too_large, not out_of_memory" {
	server_start 3
	echo "too_large $(url 1 /huge-header-line)" >spec.txt
	fault_run 1 5
}

# --- retries ------------------------------------------------------------

@test "a flaky 503 succeeds with --retries 2 (summary counts retries), not with --retries 1" {
	server_start 3
	echo "document $(url 1 /flaky/503/2/a)" >spec.txt
	fault_run 0 6 -t 5 --retries 2
	[[ "$stderr" == *"2 retries"* ]]
	echo "http_status $(url 1 /flaky/503/2/b)" >spec.txt
	fault_run 1 6 -t 5 --retries 1
	run outcome_of "$(url 1 /flaky/503/2/b)"
	assert_output "http_status 503 2"
	[ "$(page_requests '^/flaky/')" -eq 5 ]
}

@test "--retries 0 gives the error at once" {
	server_start 3
	echo "http_status $(url 1 /retry-after/503/30/5/c)" >spec.txt
	fault_run 1 3 --retries 0
	run outcome_of "$(url 1 /retry-after/503/30/5/c)"
	assert_output "http_status 503 1"
	[ "$(page_requests '^/retry-after/')" -eq 1 ]
}

# retry_after_check PATH SECS OTHER: in the server log, the second
# request for PATH starts at least SECS (less 0.2 s of logging jitter)
# after the first one ended, and some request to host OTHER started in
# between.
retry_after_check() {
	run "$PYTHON" -c '
import json, sys
path, secs, other = sys.argv[2], float(sys.argv[3]), sys.argv[4]
recs = [json.loads(l) for l in open(sys.argv[1])]
mine = sorted((r for r in recs if r["path"] == path), key=lambda r: r["t0"])
if len(mine) != 2:
    print("requests for", path, len(mine)); sys.exit(1)
first, second = mine
wait = second["t0"] - first["t1"]
between = [r for r in recs if r["addr"] == other
           and first["t1"] < r["t0"] < second["t0"]]
print(f"{path}: waited {wait:.3f} s, {len(between)} requests to {other} meanwhile")
sys.exit(0 if wait >= secs - 0.2 and between else 1)
' "$SERVER_LOG" "$1" "$2" "$3"
	echo "$output"
	assert_success
}

@test "429 and 503 with Retry-After: 2 wait 2 s for that host while another host proceeds" {
	server_start 3
	{
		url 1 /retry-after/429/2/1/d
		url 3 /retry-after/503/2/1/e
		for i in 0 1 2 3 4 5 6 7 8 9; do
			url 2 "/delay/300/$i"
		done
	} >urls.txt
	run_trawl -r 0 -p 1 -t 5 --retries 2 -o out.jsonl -e err.jsonl urls.txt
	echo "status $status, stderr: $stderr"
	[ "$status" -eq 0 ]
	run "$PYTHON" "$TESTS_DIR/lib/outcome.py" out.jsonl err.jsonl urls.txt
	echo "$output"
	assert_success
	server_idle
	retry_after_check /retry-after/429/2/1/d 2 "${HOST[2]}"
	retry_after_check /retry-after/503/2/1/e 2 "${HOST[2]}"
}

@test "Retry-After as an HTTP date is obeyed" {
	server_start 2
	{
		url 1 '/retry-after/503/3/1/f?date=1'
		for i in 0 1 2 3 4 5 6 7 8 9; do
			url 2 "/delay/300/$i"
		done
	} >urls.txt
	run_trawl -r 0 -p 1 -t 5 --retries 2 -o out.jsonl -e err.jsonl urls.txt
	echo "status $status, stderr: $stderr"
	[ "$status" -eq 0 ]
	server_idle
	# An HTTP date has whole seconds: at least 2 of the 3 s are left.
	retry_after_check '/retry-after/503/3/1/f?date=1' 2 "${HOST[2]}"
}

# --- dead hosts ---------------------------------------------------------

@test "a host refusing every connection is given up: 20 connect records, quickly" {
	server_start 3
	local i opt
	for opt in robots no-robots; do
		for ((i = 0; i < 20; i++)); do
			echo "connect http://127.0.0.254:$PORT/page/dead$i"
		done >spec.txt
		# The default -r 1 and --retries 3: 20 URLs tried one by one
		# would take 20 s and more.
		if [ "$opt" = robots ]; then
			fault_run 1 8 -r 1 --retries 3
		else
			fault_run 1 8 -r 1 --retries 3 --no-robots
		fi
		# Most records say the host was given up.
		local n
		n=$(grep -ciE 'given up|gave up|giving up|give up' err.jsonl)
		echo "$opt: given-up records: $n"
		[ "$n" -ge 15 ]
	done
}

# --- everything at once -------------------------------------------------

@test "all the faults in one run: one record each, good hosts unaffected, bounded time" {
	server_start 3
	hostile_start
	{
		echo "timeout $(url 1 /drip)"
		echo "timeout $(url 1 /stall)"
		echo "network $(url 1 /reset)"
		echo "network $(url 1 /truncated-chunked)"
		echo "network $(url 1 /lying-length)"
		echo "too_many_redirects $(url 1 /redirect-loop)"
		echo "bad_redirect $(url 1 '/redirect-to?url=file:///etc/passwd')"
		echo "document|empty_text $(url 1 /nul)"
		echo "empty_text $(url 1 /empty)"
		echo "empty_text $(url 1 /204)"
		echo "document $(url 1 /huge-headers/100K)"
		echo "too_large $(url 1 /huge-header-line)"
		echo "too_large http://127.0.0.9:$HPORT/gzip-bomb/1000"
		echo "document http://127.0.0.9:$HPORT/nested/100000"
		echo "document http://127.0.0.9:$HPORT/big-attr/10000000"
		echo "connect http://127.0.0.254:$PORT/page/dead"
	} >spec.txt
	# -t 5: under load, the 11 requests of the loop and the 10 MB
	# attribute page must not reach the timeout of the drip and stall.
	fault_run 1 12 -p 8 -t 5 --max-size 16M
}
