#!/usr/bin/env bats
# Output sinks: compression by suffix, the errors file, a closed pipe.

load helpers

@test ".zst and .gz outputs decompress to the same JSONL as plain output" {
	server_start 4
	make_urls urls.txt 4 40
	run_trawl -r 0 -q -o plain.jsonl urls.txt
	[ "$status" -eq 0 ]
	run_trawl -r 0 -q -o out.jsonl.zst urls.txt
	[ "$status" -eq 0 ]
	run_trawl -r 0 -q -o out.jsonl.gz urls.txt
	[ "$status" -eq 0 ]
	zstd -q -t out.jsonl.zst
	gzip -t out.jsonl.gz
	zstd -q -d -c out.jsonl.zst >zst.jsonl
	gzip -d -c out.jsonl.gz >gz.jsonl
	run check docs zst.jsonl
	assert_output 40
	run check docs gz.jsonl
	assert_output 40
	check normalise plain.jsonl >plain.norm
	check normalise zst.jsonl >zst.norm
	check normalise gz.jsonl >gz.norm
	[ "$(wc -l <plain.norm)" -eq 40 ]
	run cmp plain.norm zst.norm
	assert_success
	run cmp plain.norm gz.norm
	assert_success
}

@test "an output file appears under its final name, with no temp files left" {
	server_start 2
	make_urls urls.txt 2 10
	mkdir outdir
	run_trawl -r 0 -q -o outdir/corpus.jsonl.zst -e outdir/err.jsonl urls.txt
	[ "$status" -eq 0 ]
	run ls -A outdir
	# The errors file may be absent or empty when nothing failed.
	run bash -c 'ls -A outdir | grep -v "^err.jsonl$"'
	assert_output corpus.jsonl.zst
}

@test "-o - writes documents to stdout" {
	server_start 1
	make_urls urls.txt 1 3
	run_trawl -r 0 -q -o - urls.txt
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >out.jsonl
	run check docs out.jsonl
	assert_output 3
}

@test "trawl urls | head -n 1 ends quietly" {
	server_start 4
	make_urls urls.txt 4 400
	run --separate-stderr bash -c '
		timeout -k 5 60 "$TRAWL" -r 0 -q urls.txt 2>trawl.err | head -n 1 >first.jsonl
		echo "${PIPESTATUS[0]} ${PIPESTATUS[1]}"'
	echo "statuses (trawl head): $output"
	echo "trawl stderr: $(cat trawl.err)"
	local st_trawl st_head
	read -r st_trawl st_head <<<"$output"
	[ "$st_head" -eq 0 ]
	# Quiet: no message, and no crash.  The status may be 0, 3 (DESIGN.md:
	# output error) or 141 (killed by SIGPIPE, 128 + 13).
	[ "$st_trawl" -eq 0 ] || [ "$st_trawl" -eq 3 ] || [ "$st_trawl" -eq 141 ]
	[ ! -s trawl.err ]
	[ -z "$stderr" ]
	run check docs first.jsonl
	assert_output 1
}

@test "the corpus is not under its final name until the run is complete" {
	server_start 1
	make_urls urls.txt 1 4 /delay/1500/
	timeout -k 5 60 "$TRAWL" -r 0 -p 4 -q -o out.jsonl.gz urls.txt \
	    3>&- &
	local pid=$!
	sleep 0.7
	local early=absent
	[ -e out.jsonl.gz ] && early=present
	wait "$pid"
	[ "$early" = absent ]
	gzip -t out.jsonl.gz
	gzip -dc out.jsonl.gz >out.jsonl
	run check docs out.jsonl
	assert_output 4
}
