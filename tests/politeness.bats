#!/usr/bin/env bats
# Politeness, read from the fixture server's request log: in-flight limits
# per host (-p) and in total (-j), and the per-host start rate (-r).
# The limits are checked as upper bounds; an overlap shorter than 50 ms
# is not counted (the server logs a request's end a moment after the
# client may have seen it).  Requests for /robots.txt are left out.

load helpers

@test "-p 2: never more than 2 requests in flight to one host" {
	server_start 3
	make_urls urls.txt 3 30 /delay/300/p
	run_trawl -r 0 -p 2 -j 64 -q -o out.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check docs out.jsonl
	assert_output 30
	server_idle
	run check conc "$SERVER_LOG"
	echo "per host, total: $output"
	local per_host total
	read -r per_host total _ <<<"$output"
	[ "$per_host" -le 2 ]
	# The test means something only if transfers did run concurrently.
	[ "$total" -ge 2 ]
}

@test "-p 1: one request at a time to a host" {
	server_start 2
	make_urls urls.txt 2 8 /delay/200/p
	run_trawl -r 0 -p 1 -q -o out.jsonl urls.txt
	[ "$status" -eq 0 ]
	server_idle
	run check conc "$SERVER_LOG"
	echo "per host, total: $output"
	local per_host total
	read -r per_host total _ <<<"$output"
	[ "$per_host" -le 1 ]
}

@test "-j 4: never more than 4 requests in flight in total" {
	server_start 10
	make_urls urls.txt 10 40 /delay/200/j
	run_trawl -r 0 -p 2 -j 4 -q -o out.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check docs out.jsonl
	assert_output 40
	server_idle
	run check conc "$SERVER_LOG"
	echo "per host, total: $output"
	local per_host total
	read -r per_host total _ <<<"$output"
	[ "$total" -le 4 ]
	[ "$per_host" -le 2 ]
	[ "$total" -ge 2 ]
}

@test "-j 4 with more workers than jobs: the total still holds" {
	server_start 8
	make_urls urls.txt 8 32 /delay/200/w
	run_trawl -r 0 -p 4 -j 4 -w 8 -q -o out.jsonl urls.txt
	[ "$status" -eq 0 ]
	server_idle
	run check conc "$SERVER_LOG"
	echo "per host, total: $output"
	local per_host total
	read -r per_host total _ <<<"$output"
	[ "$total" -le 4 ]
}

@test "-r 5: starts to one host are 0.2 s apart while other hosts proceed" {
	server_start 5
	local i h
	for i in 0 1 2 3 4 5 6 7; do
		url 1 "/page/slow$i"
	done >urls.txt
	for h in 2 3 4 5; do
		url "$h" "/page/a$h"
		url "$h" "/page/b$h"
	done >>urls.txt
	run_trawl -r 5 -p 2 -q -o out.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check docs out.jsonl
	assert_output 16
	server_idle
	# Host 1: 8 starts; every gap at least 0.2 s less a tolerance for
	# scheduling jitter, and the whole span at least 7 * 0.2 s less 0.1 s.
	run check gaps "$SERVER_LOG" "${HOST[1]}"
	echo "host 1: n, min gap, span: $output"
	local n gap span
	read -r n gap span <<<"$output"
	[ "$n" -eq 8 ]
	run "$PYTHON" -c "import sys; sys.exit(not ($gap >= 0.12 and $span >= 1.3))"
	assert_success
	for h in 2 3 4 5; do
		run check gaps "$SERVER_LOG" "${HOST[h]}"
		echo "host $h: $output"
		read -r n gap span <<<"$output"
		[ "$n" -eq 2 ]
		run "$PYTHON" -c "import sys; sys.exit(not $gap >= 0.12)"
		assert_success
	done
	# The other hosts are not held back behind host 1's rate: they are
	# all done before host 1's last start.
	run check ended-before "$SERVER_LOG" "${HOST[1]}"
	echo "others' last end, host 1's last start: $output"
	local others last
	read -r others last <<<"$output"
	run "$PYTHON" -c "import sys; sys.exit(not $others < $last)"
	assert_success
}
