#!/usr/bin/env bats
# --state: exact resume after SIGKILL, incremental re-runs, --refresh,
# --retry-failed.

load helpers

# urls_sorted FILE: the url fields of a JSONL file, sorted.
urls_sorted() {
	check urls "$1" | LC_ALL=C sort
}

# log_lines: the number of lines in the server log, once it is idle.
log_lines() {
	server_idle
	wc -l <"$SERVER_LOG"
}

# kill_and_resume OUT: make urls.txt (NPAGES slow pages on 4 hosts and
# NERR 404s), run `trawl --state st.db -o OUT -e errors.jsonl urls.txt`,
# SIGKILL it KILLS times at random moments, then run the same command to
# completion (its result in $status, $stderr).  Sets KILLED (the kills that
# hit a running process) and DELAYS.
kill_and_resume() {
	local out=$1 i pid d
	NPAGES=160 NERR=8 KILLS=4
	make_urls pages.txt 4 "$NPAGES" /delay/200/
	for ((i = 0; i < NERR; i++)); do
		url $((i % 4 + 1)) "/status/404?n=$i"
	done >errs.txt
	# The 404s spread through the list, so a kill may fall before or after
	# any of them.
	paste -d '\n' <(head -n "$NERR" pages.txt) errs.txt >urls.txt
	tail -n +"$((NERR + 1))" pages.txt >>urls.txt
	[ "$(wc -l <urls.txt)" -eq $((NPAGES + NERR)) ]
	KILLED=0 DELAYS=
	for ((i = 0; i < KILLS; i++)); do
		d=0.$((RANDOM % 8 + 2))
		DELAYS="$DELAYS $d"
		# No timeout(1) here: the SIGKILL must reach trawl itself, and it
		# bounds the run.
		"$TRAWL" -q --state st.db -r 0 -p 2 --retries 0 -o "$out" \
		    -e errors.jsonl urls.txt 3>&- &
		pid=$!
		sleep "$d"
		if kill -KILL "$pid" 2>/dev/null; then
			KILLED=$((KILLED + 1))
		fi
		wait "$pid" 2>/dev/null || true
	done
	run_trawl --state st.db -r 0 -p 4 --retries 0 -o "$out" \
	    -e errors.jsonl urls.txt
	echo "kills: $KILLED of $KILLS at$DELAYS s; URLs: $NPAGES pages + $NERR 404s"
	echo "final run: status $status; $stderr"
}

# check_resumed CORPUS: every page once, every 404 once, and the final
# run's status matches its summary.
check_resumed() {
	local corpus=$1 n_err
	run check docs "$corpus"
	echo "corpus documents: $output"
	[ "$status" -eq 0 ]
	[ "$output" -eq "$NPAGES" ]
	diff <(urls_sorted "$corpus") <(LC_ALL=C sort pages.txt)
	run check errors errors.jsonl
	echo "error records: $output"
	[ "$status" -eq 0 ]
	[ "$output" -eq "$NERR" ]
	diff <(urls_sorted errors.jsonl) <(LC_ALL=C sort errs.txt)
	run check kinds errors.jsonl
	assert_output "http_status $NERR"
	# No temporary file beside the outputs: with --state they are written
	# in place.
	run bash -c 'ls -A | grep "^\." || true'
	assert_output ""
}

@test "SIGKILLed several times, a --state run resumes: every URL once in the corpus and errors" {
	server_start 4
	kill_and_resume corpus.jsonl
	[ "$KILLED" -ge 1 ]
	# The final run's own errors decide its status.
	if [[ "$stderr" =~ [^0-9]0\ errors ]]; then
		[ "$status" -eq 0 ]
	else
		[ "$status" -eq 1 ]
	fi
	check_resumed corpus.jsonl

	# Once more: everything is skipped, nothing is fetched or written.
	local before
	before=$(log_lines)
	cp corpus.jsonl corpus.before
	cp errors.jsonl errors.before
	run_trawl --state st.db -r 0 -o corpus.jsonl -e errors.jsonl urls.txt
	echo "re-run: status $status; $stderr"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"$((NPAGES + NERR)) skipped"* ]]
	[[ "$stderr" == *"0 documents, 0 errors"* ]]
	cmp corpus.jsonl corpus.before
	cmp errors.jsonl errors.before
	[ "$(log_lines)" -eq "$before" ]
}

@test "SIGKILLed several times, a --state run into .zst resumes; the file decompresses" {
	server_start 4
	kill_and_resume corpus.jsonl.zst
	[ "$KILLED" -ge 1 ]
	if [[ "$stderr" =~ [^0-9]0\ errors ]]; then
		[ "$status" -eq 0 ]
	else
		[ "$status" -eq 1 ]
	fi
	zstd -q -t corpus.jsonl.zst
	zstd -q -d -c corpus.jsonl.zst >corpus.jsonl
	check_resumed corpus.jsonl

	cp corpus.jsonl.zst corpus.before
	run_trawl --state st.db -r 0 -o corpus.jsonl.zst -e errors.jsonl urls.txt
	echo "re-run: status $status; $stderr"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"$((NPAGES + NERR)) skipped"* ]]
	cmp corpus.jsonl.zst corpus.before
}

@test "a half-written batch left after the last recorded one is cut back on start" {
	server_start 2
	make_urls all.txt 2 12
	head -n 6 all.txt >a.txt
	url 1 /status/404 >>a.txt
	tail -n 6 all.txt >b.txt
	url 1 /status/410 >>b.txt
	run_trawl -q --state st.db -r 0 -o corpus.jsonl -e errors.jsonl a.txt
	[ "$status" -eq 1 ]
	# What a kill in the middle of a write leaves: part of a line.
	printf '{"id":"0123","url":"http://half' >>corpus.jsonl
	printf '{"url":"http://half' >>errors.jsonl
	run_trawl -q --state st.db -r 0 -o corpus.jsonl -e errors.jsonl b.txt
	[ "$status" -eq 1 ]
	run check docs corpus.jsonl
	assert_output 12
	diff <(urls_sorted corpus.jsonl) <(LC_ALL=C sort all.txt)
	run check errors errors.jsonl
	assert_output 2
}

@test "a torn zstd frame left after the last recorded batch is cut back on start" {
	server_start 2
	make_urls all.txt 2 12
	head -n 6 all.txt >a.txt
	tail -n 6 all.txt >b.txt
	run_trawl -q --state st.db -r 0 -o corpus.jsonl.zst a.txt
	[ "$status" -eq 0 ]
	# The first 20 bytes of a real frame: a frame cut short.
	printf '{"id":"x"}\n' | zstd -q -c | head -c 20 >>corpus.jsonl.zst
	run_trawl -q --state st.db -r 0 -o corpus.jsonl.zst b.txt
	[ "$status" -eq 0 ]
	zstd -q -t corpus.jsonl.zst
	zstd -q -d -c corpus.jsonl.zst >corpus.jsonl
	run check docs corpus.jsonl
	assert_output 12
	diff <(urls_sorted corpus.jsonl) <(LC_ALL=C sort all.txt)
}

@test "without --refresh, URLs with an outcome are skipped and new ones are fetched" {
	server_start 2
	make_urls all.txt 2 10
	url 1 /status/404 >>all.txt
	head -n 6 all.txt >first.txt
	url 1 /status/404 >>first.txt
	run_trawl --state st.db -r 0 --retries 0 -o corpus.jsonl -e errors.jsonl first.txt
	echo "first: $stderr"
	[ "$status" -eq 1 ]
	run check docs corpus.jsonl
	assert_output 6
	# The grown list: 4 new pages; the 6 pages and the 404 are skipped.
	run_trawl --state st.db -r 0 --retries 0 -o corpus.jsonl -e errors.jsonl all.txt
	echo "second: $stderr"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"4 documents, 0 errors"* ]]
	[[ "$stderr" == *"7 skipped"* ]]
	run check docs corpus.jsonl
	assert_output 10
	diff <(urls_sorted corpus.jsonl) <(grep /page/ all.txt | LC_ALL=C sort)
	run check errors errors.jsonl
	assert_output 1
	# Each URL was requested once over both runs.
	run page_requests '^/page/'
	assert_output 10
	run page_requests '^/status/404$'
	assert_output 1
}

@test "--refresh 0s sends If-None-Match and If-Modified-Since; a 304 gives no new document" {
	server_start 1
	url 1 /cond/a >urls.txt
	url 1 /cond/b >>urls.txt
	run_trawl -q --state st.db -r 0 -o corpus.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check docs corpus.jsonl
	assert_output 2
	cp corpus.jsonl corpus.before
	run_trawl --state st.db -r 0 --refresh 0s -o corpus.jsonl urls.txt
	echo "refresh: $stderr"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"0 documents, 0 errors"* ]]
	[[ "$stderr" == *"2 not_modified"* ]]
	cmp corpus.jsonl corpus.before
	server_idle
	# The second requests of each URL carried the validators the first
	# responses gave.
	run python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if not r["path"].startswith("/cond/"):
        continue
    n += 1
    print(r["path"], r["status"], r["inm"], r["ims"])
' "$SERVER_LOG"
	echo "$output"
	[ "${#lines[@]}" -eq 4 ]
	[ "$(grep -c '^/cond/[ab] 200 None None$' <<<"$output")" -eq 2 ]
	[ "$(grep -c '^/cond/a 304 "v1-a" Sat, 21 Nov 2026 12:00:00 GMT$' <<<"$output")" -eq 1 ]
	[ "$(grep -c '^/cond/b 304 "v1-b" Sat, 21 Nov 2026 12:00:00 GMT$' <<<"$output")" -eq 1 ]
}

@test "--refresh 0: an unchanged text gives no new document, a changed one does" {
	mkdir site
	printf '<html><head><title>S</title></head><body><main><p>%s</p></main></body></html>\n' \
	    "The first version of this page, with enough words to be a document." >site/s.html
	printf '<html><head><title>T</title></head><body><main><p>%s</p></main></body></html>\n' \
	    "A page that never changes, with enough words to be a document." >site/t.html
	server_start 1 --docroot "$BATS_TEST_TMPDIR/site"
	url 1 /s.html >urls.txt
	url 1 /t.html >>urls.txt
	make_urls pages.txt 1 3
	cat pages.txt >>urls.txt
	run_trawl -q --state st.db -r 0 -o corpus.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check docs corpus.jsonl
	assert_output 5
	printf '<html><head><title>S</title></head><body><main><p>%s</p></main></body></html>\n' \
	    "The second version of this page: its words have changed since then." >site/s.html
	run_trawl --state st.db -r 0 --refresh 0 -o corpus.jsonl urls.txt
	echo "refresh: $stderr"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"1 documents, 0 errors"* ]]
	[[ "$stderr" == *"4 unchanged"* ]]
	run check docs corpus.jsonl
	assert_output 6
	[ "$(check urls corpus.jsonl | grep -c '/s\.html$')" -eq 2 ]
	tail -n 1 corpus.jsonl | grep -q 'second version'
	# Every URL was fetched twice.
	run page_requests '.'
	assert_output 10
}

@test "--refresh AGE: outcomes younger than AGE are skipped" {
	server_start 1
	make_urls urls.txt 1 4
	run_trawl -q --state st.db -r 0 -o corpus.jsonl urls.txt
	[ "$status" -eq 0 ]
	run_trawl --state st.db -r 0 --refresh 1h -o corpus.jsonl urls.txt
	echo "refresh 1h: $stderr"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"4 skipped"* ]]
	run page_requests '^/page/'
	assert_output 4
	run_trawl -q --state st.db --refresh nonsense urls.txt
	[ "$status" -eq 2 ]
}

@test "--retry-failed fetches a 503 again; a plain re-run and a 404 are not fetched again" {
	server_start 1
	url 1 /status/503 >urls.txt
	url 1 /status/404 >>urls.txt
	url 1 /page/1 >>urls.txt
	run_trawl -q --state st.db -r 0 --retries 0 -o corpus.jsonl -e errors.jsonl urls.txt
	[ "$status" -eq 1 ]
	run page_requests '^/status/503$'
	assert_output 1
	# Without --retry-failed: a failure is an outcome; nothing is fetched.
	run_trawl --state st.db -r 0 --retries 0 -o corpus.jsonl -e errors.jsonl urls.txt
	echo "plain: $stderr"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"3 skipped"* ]]
	run page_requests '^/status/503$'
	assert_output 1
	# With it: the 503 again, and only it.
	run_trawl --state st.db -r 0 --retries 0 --retry-failed -o corpus.jsonl \
	    -e errors.jsonl urls.txt
	echo "retry-failed: $stderr"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"2 skipped"* ]]
	run page_requests '^/status/503$'
	assert_output 2
	run page_requests '^/status/404$'
	assert_output 1
	run page_requests '^/page/1$'
	assert_output 1
	run check errors errors.jsonl
	assert_output 3
}

@test "--retry-failed: a transient failure that has recovered gives its document" {
	server_start 1
	# /flaky/503/1: the first request gets a 503, the next ones the page.
	url 1 /flaky/503/1 >urls.txt
	run_trawl -q --state st.db -r 0 --retries 0 -o corpus.jsonl -e errors.jsonl urls.txt
	[ "$status" -eq 1 ]
	[ ! -s corpus.jsonl ]
	run_trawl -q --state st.db -r 0 --retries 0 --retry-failed -o corpus.jsonl \
	    -e errors.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check docs corpus.jsonl
	assert_output 1
	# It is done now: a further --retry-failed run skips it.
	run_trawl --state st.db -r 0 --retry-failed -o corpus.jsonl urls.txt
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"1 skipped"* ]]
	run page_requests '^/flaky/'
	assert_output 2
}

@test "interrupted is not an outcome: after SIGTERM the next run fetches the rest" {
	server_start 1
	make_urls urls.txt 1 10 /delay/400/
	# Not under timeout(1): signalled, it passes the signal on to trawl
	# and to its process group, so trawl may get two SIGTERMs, and a
	# second one rightly aborts the transfer in flight.
	"$TRAWL" -q --state st.db -r 0 -p 1 -o corpus.jsonl \
	    -e errors.jsonl urls.txt 3>&- &
	local pid=$! st=0 first i
	sleep 1.1
	kill -TERM "$pid"
	# Bounded: SIGKILL if it has not ended in 20 s.
	for ((i = 0; i < 200; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" || st=$?
	echo "after SIGTERM: status $st"
	[ "$st" -eq 143 ]
	first=$(check docs corpus.jsonl)
	echo "documents before the resume: $first"
	[ "$first" -lt 10 ]
	run_trawl --state st.db -r 0 -p 4 -o corpus.jsonl -e errors.jsonl urls.txt
	echo "resume: $stderr"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"$((10 - first)) documents, 0 errors, $first skipped"* ]]
	run check docs corpus.jsonl
	assert_output 10
	diff <(urls_sorted corpus.jsonl) <(LC_ALL=C sort urls.txt)
	# Each page was fetched once: the interrupted ones only by the resume.
	run page_requests '^/delay/'
	assert_output 10
}
