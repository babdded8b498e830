#!/usr/bin/env bats
# The command line: help, version, bad options and operands, exit codes.

load helpers

@test "-h prints usage on stdout and exits 0" {
	run_trawl -h
	[ "$status" -eq 0 ]
	assert_output --regexp '[Uu]sage'
	assert_output --partial 'trawl'
	[ -z "$stderr" ]
}

@test "--help prints the same usage and exits 0" {
	run_trawl -h
	local short=$output
	run_trawl --help
	[ "$status" -eq 0 ]
	[ "$output" = "$short" ]
}

@test "-V and --version print the version and exit 0" {
	run_trawl -V
	[ "$status" -eq 0 ]
	assert_output --regexp '^trawl[^0-9]*[0-9]+\.[0-9]+'
	local short=$output
	run_trawl --version
	[ "$status" -eq 0 ]
	[ "$output" = "$short" ]
}

@test "-j abc exits 2 with a message" {
	run_trawl -j abc /dev/null
	[ "$status" -eq 2 ]
	[ -n "$stderr" ]
	[ -z "$output" ]
}

@test "-j 0 exits 2 with a message" {
	run_trawl -j 0 /dev/null
	[ "$status" -eq 2 ]
	[ -n "$stderr" ]
}

@test "-p 0, -p x, -r -1, -r abc, --max-size 10X and -t x exit 2" {
	local bad
	for bad in "-p 0" "-p x" "-r -1" "-r abc" "--max-size 10X" "-t x"; do
		# shellcheck disable=SC2086
		run_trawl $bad /dev/null
		[ "$status" -eq 2 ] || fail "trawl $bad: status $status"
		[ -n "$stderr" ] || fail "trawl $bad: no message"
	done
}

@test "an unknown option exits 2 with a message" {
	run_trawl --no-such-option /dev/null
	[ "$status" -eq 2 ]
	[ -n "$stderr" ]
	run_trawl -Z /dev/null
	[ "$status" -eq 2 ]
	[ -n "$stderr" ]
}

@test "a nonexistent URL file exits 2 naming the file" {
	run_trawl -r 0 "$BATS_TEST_TMPDIR/no-such-file.txt"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *no-such-file.txt* ]]
	[ -z "$output" ]
}

@test "an empty URL list is a clean run: no output, exit 0" {
	: >empty.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl empty.txt
	[ "$status" -eq 0 ]
	[ -f out.jsonl ]
	[ ! -s out.jsonl ]
	[ ! -s err.jsonl ]
}
