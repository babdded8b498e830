#!/usr/bin/env bats
# For cron jobs: --lock, the progress line, --stats, --split.

load helpers

# A command line for script(1) -c, each word quoted.
quoted() {
	local w s=
	for w in "$@"; do
		s="$s $(printf '%q' "$w")"
	done
	printf '%s\n' "${s# }"
}

# on_tty ARGS...: run trawl with a pseudo-terminal as stdin, stdout and
# stderr (script(1)); what the terminal showed goes to tty.out.
on_tty() {
	run timeout -k 5 "$TRAWL_TEST_TIMEOUT" script -qec "$(quoted "$TRAWL" "$@")" /dev/null
	printf '%s' "$output" >tty.out
	echo "status $status; terminal: $(cat -v tty.out)"
}

# wait_inflight: wait (at most 10 s) until the fixture server has a request
# in flight.
wait_inflight() {
	local i n
	for ((i = 0; i < 100; i++)); do
		n=$(curl -s --noproxy '*' "http://${HOST[1]}:$PORT/__stats" |
		    python3 -c 'import json,sys; print(json.load(sys.stdin)["inflight_total"])' \
		    2>/dev/null) || n=0
		[ "${n:-0}" -ge 1 ] && return 0
		sleep 0.1
	done
	fail "no request in flight after 10 s"
}

# ---- --lock -------------------------------------------------------------

@test "--lock: a second run while the first holds the lock exits 75 at once, naming the lock" {
	server_start 1
	url 1 /delay/3000/held >slow.txt
	url 1 /page/second >other.txt
	timeout -k 5 60 "$TRAWL" -q --lock "$PWD/run.lock" -o first.jsonl slow.txt 3>&- &
	local pid=$! st=0 t0 t1
	# Once the first run is fetching, it holds the lock.
	wait_inflight
	t0=$(date +%s%N)
	run_trawl --lock "$PWD/run.lock" -o second.jsonl other.txt
	t1=$(date +%s%N)
	echo "second run: status $status in $(((t1 - t0) / 1000000)) ms; stderr: $stderr"
	[ "$status" -eq 75 ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"$PWD/run.lock"* ]]
	# At once: well before the first run's 3 s page is done.
	[ $(((t1 - t0) / 1000000)) -lt 2000 ]
	wait "$pid" || st=$?
	[ "$st" -eq 0 ]
	run check docs first.jsonl
	assert_output 1
	# The second run fetched nothing and wrote no corpus.
	run page_requests '^/page/second$'
	assert_output 0
	[ ! -s second.jsonl ]
}

@test "--lock: after the holder ends, the next run is not blocked" {
	server_start 1
	make_urls urls.txt 1 2
	run_trawl -q --lock run.lock -r 0 -o a.jsonl urls.txt
	[ "$status" -eq 0 ]
	run_trawl -q --lock run.lock -r 0 -o b.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check docs b.jsonl
	assert_output 2
}

@test "--lock: a lock left by a SIGKILLed run does not block" {
	server_start 1
	url 1 /delay/5000/held >slow.txt
	make_urls urls.txt 1 2
	# Not under timeout(1), so that the SIGKILL reaches trawl itself.
	"$TRAWL" -q --lock run.lock -o first.jsonl slow.txt 3>&- &
	local pid=$!
	wait_inflight
	# It holds the lock now.
	run_trawl -q --lock run.lock -o /dev/null urls.txt
	[ "$status" -eq 75 ]
	kill -KILL "$pid"
	wait "$pid" || true
	run_trawl -q --lock run.lock -r 0 -o second.jsonl urls.txt
	echo "after the kill: status $status; $stderr"
	[ "$status" -eq 0 ]
	run check docs second.jsonl
	assert_output 2
}

# ---- progress line ---------------------------------------------------

@test "progress: a terminal gets a progress line on stderr by default and with --progress" {
	command -v script >/dev/null || skip "no script(1)"
	server_start 1
	url 1 /delay/2500/a >urls.txt
	url 1 /page/1 >>urls.txt
	on_tty -r 0 -o corpus.jsonl urls.txt
	[ "$status" -eq 0 ]
	grep -q 'done, ' tty.out
	grep -q 'in flight' tty.out
	on_tty --progress -r 0 -o corpus2.jsonl urls.txt
	[ "$status" -eq 0 ]
	grep -q 'done, ' tty.out
	grep -q 'in flight' tty.out
	run check docs corpus2.jsonl
	assert_output 2
}

@test "progress: none when stderr is not a terminal" {
	server_start 1
	url 1 /delay/2500/a >urls.txt
	run_trawl -r 0 -o corpus.jsonl urls.txt
	echo "stderr: $(cat -v <<<"$stderr")"
	[ "$status" -eq 0 ]
	[[ "$stderr" != *"in flight"* ]]
	[[ "$stderr" != *$'\r'* ]]
	# Only the summary.
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == "trawl: 1 documents, 0 errors"* ]]
}

@test "progress: --no-progress turns it off on a terminal" {
	command -v script >/dev/null || skip "no script(1)"
	server_start 1
	url 1 /delay/2500/a >urls.txt
	on_tty --no-progress -r 0 -o corpus.jsonl urls.txt
	[ "$status" -eq 0 ]
	! grep -q 'in flight' tty.out
	! grep -q 'done, ' tty.out
	# The summary is still there.
	grep -q 'trawl: 1 documents, 0 errors' tty.out
}

@test "progress: -q turns it off on a terminal" {
	command -v script >/dev/null || skip "no script(1)"
	server_start 1
	url 1 /delay/2500/a >urls.txt
	on_tty -q -r 0 -o corpus.jsonl urls.txt
	[ "$status" -eq 0 ]
	[ ! -s tty.out ]
}

# ---- --stats ----------------------------------------------------------

@test "--stats: one JSON object whose counts match the run" {
	server_start 2
	make_urls urls.txt 2 6
	url 1 /status/404 >>urls.txt
	url 1 /status/410 >>urls.txt
	url 1 /status/503 >>urls.txt
	run_trawl -r 0 --retries 1 --state st.db -o corpus.jsonl -e errors.jsonl \
	    --stats stats.json urls.txt
	echo "run: status $status; $stderr"
	[ "$status" -eq 1 ]
	cat stats.json
	run python3 - stats.json "${HOST[1]}:$PORT" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
s = json.loads(text)
assert isinstance(s, dict), "not an object"
assert text.count("\n") <= 1 and text.strip().startswith("{"), "not one object"
for k in ("documents", "errors", "by_kind", "skipped", "retries", "bytes",
          "seconds", "pages_per_second", "top_failing_hosts"):
    assert k in s, "no key " + k
assert s["documents"] == 6, s["documents"]
assert s["errors"] == 3, s["errors"]
assert s["by_kind"]["http_status"] == 3, s["by_kind"]
assert sum(s["by_kind"].values()) == 3, s["by_kind"]
assert s["skipped"] == 0
assert s["retries"] == 1, s["retries"]        # the 503, once
assert s["bytes"] > 0
assert isinstance(s["seconds"], (int, float)) and s["seconds"] >= 0
assert isinstance(s["pages_per_second"], (int, float))
assert s["pages_per_second"] >= 0
top = s["top_failing_hosts"]
assert isinstance(top, list) and len(top) >= 1, top
assert top[0]["host"] == sys.argv[2], top
assert top[0]["failures"] == 3, top
print("ok")
EOF
	echo "$output"
	assert_output ok
	# Written atomically: no temporary file left beside it.
	run bash -c 'ls -A | grep "^\." || true'
	assert_output ""

	# A re-run with the same state: everything skipped, no failing host.
	run_trawl -q -r 0 --state st.db -o corpus.jsonl --stats stats.json urls.txt
	[ "$status" -eq 0 ]
	cat stats.json
	run python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["documents"] == 0 and s["errors"] == 0, s
assert s["skipped"] == 9, s["skipped"]
assert s["top_failing_hosts"] == [], s["top_failing_hosts"]
print("ok")' stats.json
	assert_output ok
}

# ---- --split ----------------------------------------------------------

# check_split PREFIX EXT SIZE NURLS: the files PREFIX-NNNNNN.EXT (already
# decompressed into PREFIX-NNNNNN.jsonl) hold every URL of urls.txt once,
# each valid on its own; the ones before the last have at least SIZE bytes,
# none more than SIZE plus one batch (64 KiB) plus a record.
check_split() {
	local prefix=$1 size=$3 n=$4
	local files=("$prefix"-*.jsonl)
	echo "split files: ${#files[@]}: $(wc -c "${files[@]}" | tr '\n' ' ')"
	[ "${#files[@]}" -ge 2 ]
	# One Python for every file (check.py's checks, imported): many
	# interpreters are slow on a loaded machine.
	run python3 - "$CHECK" "$prefix" "$size" $((65536 + 4096)) "${files[@]}" <<'EOF2'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("check", sys.argv[1])
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)
prefix, size, slack, files = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
urls = []
for i, f in enumerate(files, 1):
    # Numbered from 1 with no gap, and glob order is number order.
    want = "%s-%06d.jsonl" % (prefix, i)
    assert f == want, (f, want)
    recs = check.load(f)            # valid JSONL on its own, or exit 1
    for n, keys, r in recs:
        assert keys[:len(check.DOC_KEYS)] == check.DOC_KEYS, (f, n, keys)
        urls.append(r["url"])
    nbytes = sum(len(l) for l in open(f, "rb"))
    assert nbytes <= size + slack, (f, nbytes)
    if i < len(files):
        assert nbytes >= size, (f, nbytes)
print("\n".join(sorted(urls)))
EOF2
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	printf '%s\n' "$output" >split.urls
	[ "$(wc -l <split.urls)" -eq "$n" ]
	diff split.urls <(LC_ALL=C sort urls.txt)
}

@test "--split 4K: numbered files, each valid JSONL, together every document once" {
	server_start 4
	make_urls urls.txt 4 120
	run_trawl -q -r 0 --split 4K -o out.jsonl urls.txt
	[ "$status" -eq 0 ]
	[ ! -e out.jsonl ]
	run bash -c 'ls -A | grep "^\." || true'
	assert_output ""
	check_split out jsonl 4096 120
}

@test "--split 4K with .zst: each file decompresses on its own" {
	server_start 4
	make_urls urls.txt 4 120
	run_trawl -q -r 0 --split 4K -o out.jsonl.zst urls.txt
	[ "$status" -eq 0 ]
	[ ! -e out.jsonl.zst ]
	local f
	for f in out-*.jsonl.zst; do
		zstd -q -t "$f"
		zstd -q -d -c "$f" >"${f%.zst}"
	done
	check_split out jsonl 4096 120
}

@test "--split with --state: a later run goes on with the numbered files" {
	server_start 2
	make_urls urls.txt 2 80
	head -n 40 urls.txt >a.txt
	tail -n 40 urls.txt >b.txt
	run_trawl -q -r 0 --state st.db --split 4K -o out.jsonl a.txt
	[ "$status" -eq 0 ]
	run_trawl -q -r 0 --state st.db --split 4K -o out.jsonl b.txt
	[ "$status" -eq 0 ]
	check_split out jsonl 4096 80
}

@test "--split: no file is empty, not even the last" {
	server_start 2
	make_urls urls.txt 2 3
	# With a size of 1 byte every batch fills its file, so whether a file
	# is opened after the last batch does not depend on timing.
	run_trawl -q -r 0 --split 1 -o out.jsonl urls.txt
	[ "$status" -eq 0 ]
	wc -c out-*.jsonl
	cat out-*.jsonl >all.jsonl
	run check docs all.jsonl
	assert_output 3
	run find . -maxdepth 1 -name 'out-*.jsonl' -empty
	assert_output ""
}

@test "--split: bad sizes are usage errors" {
	run_trawl --split 0 -o out.jsonl /dev/null
	[ "$status" -eq 2 ]
	run_trawl --split x -o out.jsonl /dev/null
	[ "$status" -eq 2 ]
	run_trawl --split 4Q -o out.jsonl /dev/null
	[ "$status" -eq 2 ]
}
