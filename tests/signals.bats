#!/usr/bin/env bats
# SIGINT and SIGTERM during a run (issue 4): a first signal stops new
# transfers, lets those in flight finish for a short grace, records the
# rest as interrupted, completes the outputs and exits 130 or 143; a
# second signal ends trawl at once, the output still whole lines.

load helpers

now_ms() {
	date +%s%3N
}

WATCHDOG=

teardown() {
	# The watchdog's sleep, then the watchdog, by PID.
	if [ -n "$WATCHDOG" ]; then
		pkill -P "$WATCHDOG" sleep 2>/dev/null || true
		kill "$WATCHDOG" 2>/dev/null || true
		wait "$WATCHDOG" 2>/dev/null || true
		WATCHDOG=
	fi
	common_teardown
}

# watchdog: SIGKILL trawl (BG_PID) if it is still there after
# TRAWL_TEST_TIMEOUT seconds.  Not timeout(1): it would pass a signal on
# to trawl and to its process group, so trawl could get it twice.
watchdog() {
	(
		sleep "$TRAWL_TEST_TIMEOUT"
		kill -9 "$BG_PID" 2>/dev/null
	) >/dev/null 2>&1 3>&- &
	WATCHDOG=$!
}

# start_bg ARGS...: trawl in the background (its own stdout and stderr
# files); sets BG_PID.  A background command of a script starts with
# SIGINT ignored; trawl installs its own handler.
start_bg() {
	"$TRAWL" "$@" >stdout.txt 2>stderr.txt &
	BG_PID=$!
	watchdog
}

# wait_inflight N: wait (at most 10 s) until the fixture server has at
# least N requests in flight, not counting robots.txt.
wait_inflight() {
	"$PYTHON" - "${HOST[1]}" "$PORT" "$1" <<'EOF'
import json, sys, time, urllib.request
addr, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
end = time.monotonic() + 10
while time.monotonic() < end:
    with opener.open(f"http://{addr}:{port}/__stats", timeout=2) as r:
        if json.load(r)["inflight_total"] >= n:
            sys.exit(0)
    time.sleep(0.05)
sys.exit(1)
EOF
}

# signal_bg SIG: send SIG to trawl, wait for it; sets BG_STATUS and
# BG_MS (milliseconds from the signal to the exit).
signal_bg() {
	local t0 t1
	t0=$(now_ms)
	kill -s "$1" "$BG_PID"
	BG_STATUS=0
	wait "$BG_PID" || BG_STATUS=$?
	t1=$(now_ms)
	BG_MS=$((t1 - t0))
	echo "exit $BG_STATUS, $BG_MS ms after SIG$1; stderr: $(cat stderr.txt)"
}

# accounting: out.jsonl and err.jsonl are valid and complete under their
# final names, no temporary file is left, and every URL of urls.txt has
# exactly one record; prints the outcome lines.
accounting() {
	[ -f out.jsonl ]
	[ -f err.jsonl ]
	run ls -A
	echo "files: $output"
	refute_output --partial ".out.jsonl."
	refute_output --partial ".err.jsonl."
	echo "document|interrupted *" >spec.txt
	run "$PYTHON" "$TESTS_DIR/lib/outcome.py" out.jsonl err.jsonl urls.txt spec.txt
	echo "$output"
	assert_success
	OUTCOMES=$output
}

# count_outcome KIND: the number of URLs whose outcome is KIND.
count_outcome() {
	awk -v k="$1" '$2 == k { n++ } END { print n + 0 }' <<<"$OUTCOMES"
}

@test "SIGINT: exit 130, complete outputs, one record per URL, the rest interrupted" {
	server_start 2
	make_urls urls.txt 2 40 /delay/1500/i
	start_bg --no-robots -r 0 -p 2 -o out.jsonl -e err.jsonl urls.txt
	wait_inflight 4
	signal_bg INT
	[ "$BG_STATUS" -eq 130 ]
	# The transfers in flight (1.5 s) finish within the grace.
	[ "$BG_MS" -lt 4000 ]
	accounting
	local docs interrupted
	docs=$(count_outcome document)
	interrupted=$(count_outcome interrupted)
	echo "documents $docs, interrupted $interrupted"
	[ "$docs" -ge 4 ]
	[ "$interrupted" -ge 20 ]
	[ $((docs + interrupted)) -eq 40 ]
	grep -q interrupted stderr.txt
}

@test "SIGTERM: exit 143, complete outputs, one record per URL" {
	server_start 2
	make_urls urls.txt 2 40 /delay/1500/t
	start_bg --no-robots -r 0 -p 2 -o out.jsonl -e err.jsonl urls.txt
	wait_inflight 4
	signal_bg TERM
	[ "$BG_STATUS" -eq 143 ]
	[ "$BG_MS" -lt 4000 ]
	accounting
	[ "$(count_outcome interrupted)" -ge 20 ]
}

@test "a transfer longer than the grace is cut: interrupted, within a few seconds" {
	server_start 2
	make_urls urls.txt 2 20 /delay/20000/g
	start_bg --no-robots -r 0 -p 2 -t 60 -o out.jsonl -e err.jsonl urls.txt
	wait_inflight 4
	signal_bg TERM
	[ "$BG_STATUS" -eq 143 ]
	# A 2 s grace, then the transfers in flight are given up.
	[ "$BG_MS" -lt 5000 ]
	accounting
	[ "$(count_outcome interrupted)" -eq 20 ]
}

@test "SIGINT with the corpus on standard output: whole lines" {
	server_start 2
	make_urls urls.txt 2 40 /delay/1000/s
	"$TRAWL" --no-robots -r 0 -p 2 -e err.jsonl urls.txt \
	    >out.jsonl 2>stderr.txt &
	BG_PID=$!
	watchdog
	wait_inflight 4
	signal_bg INT
	[ "$BG_STATUS" -eq 130 ]
	echo "document|interrupted *" >spec.txt
	run "$PYTHON" "$TESTS_DIR/lib/outcome.py" out.jsonl err.jsonl urls.txt spec.txt
	echo "$output"
	assert_success
}

@test "a second signal ends trawl at once; what it leaves is whole lines" {
	server_start 2
	make_urls urls.txt 2 20 /delay/20000/d
	start_bg --no-robots -r 0 -p 2 -t 60 -o out.jsonl -e err.jsonl urls.txt
	wait_inflight 4
	kill -s INT "$BG_PID"
	sleep 0.3
	signal_bg TERM
	[ "$BG_STATUS" -eq 130 ] || [ "$BG_STATUS" -eq 143 ]
	# At once: well before the 2 s grace is over.
	[ "$BG_MS" -lt 1500 ]
	# Final or temporary, every file left holds whole valid lines.
	local f n=0
	for f in out.jsonl err.jsonl .out.jsonl.* .err.jsonl.*; do
		[ -e "$f" ] || continue
		n=$((n + 1))
		run check jsonl "$f"
		echo "$f: $output"
		assert_success
	done
	[ "$n" -ge 1 ]
	# No record twice.
	if [ -f out.jsonl ] && [ -f err.jsonl ]; then
		run "$PYTHON" "$TESTS_DIR/lib/outcome.py" out.jsonl err.jsonl urls.txt
		echo "$output"
		refute_output --regexp '[2-9] records for'
	fi
}

@test "a signal during a long input list: URLs read so far each have one record" {
	server_start 2
	# Far more URLs than trawl reads ahead in a few seconds.
	"$PYTHON" -c '
import sys
h1, h2, port = sys.argv[1:4]
for i in range(100000):
    print(f"http://{(h1, h2)[i % 2]}:{port}/delay/500/l{i}")' \
	    "${HOST[1]}" "${HOST[2]}" "$PORT" >urls.txt
	start_bg --no-robots -r 0 -p 2 -o out.jsonl -e err.jsonl urls.txt
	wait_inflight 4
	sleep 0.5
	signal_bg INT
	[ "$BG_STATUS" -eq 130 ]
	[ "$BG_MS" -lt 5000 ]
	[ -f out.jsonl ]
	[ -f err.jsonl ]
	# Every record is for an input URL, none twice, documents first in
	# the input's order per host; interrupted for all the rest read.
	run "$PYTHON" -c '
import json, sys
want = set(l.strip() for l in open("urls.txt"))
seen = {}
for name in ("out.jsonl", "err.jsonl"):
    for line in open(name, encoding="utf-8"):
        r = json.loads(line)
        kind = r.get("error", "document")
        if r["url"] not in want:
            print("not an input URL:", r["url"]); sys.exit(1)
        if r["url"] in seen:
            print("twice:", r["url"]); sys.exit(1)
        seen[r["url"]] = kind
kinds = {}
for k in seen.values():
    kinds[k] = kinds.get(k, 0) + 1
print(len(seen), "records", kinds)
sys.exit(0 if set(kinds) <= {"document", "interrupted"} and
         kinds.get("document", 0) >= 4 else 1)'
	echo "$output"
	assert_success
	run check docs out.jsonl
	assert_success
	run check errors err.jsonl
	assert_success
	# Input lines not yet read are left unread: no record at all.
	[ "$(cat out.jsonl err.jsonl | wc -l)" -lt 100000 ]
}
