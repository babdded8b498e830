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

# --- -f: saved pages ----------------------------------------------------

# saved_page FILE WORD: an article page whose text names WORD.
saved_page() {
	{
		printf '<html><head><title>Saved %s</title></head><body>' "$2"
		printf '<nav><a href="/">Home</a> <a href="/x">Other</a></nav>'
		printf '<article><h1>Saved %s</h1>' "$2"
		for i in 1 2 3; do
			printf '<p>This saved page about %s has a paragraph' "$2"
			printf ' with enough ordinary words to be main text.</p>'
		done
		printf '</article><footer>Footer links</footer></body></html>\n'
	} >"$1"
}

@test "-f: saved pages, plain and gzipped, are documents named by their paths" {
	saved_page a.html alpha
	saved_page b.html bravo
	gzip b.html
	run_trawl -f -o out.jsonl -e err.jsonl a.html b.html.gz
	[ "$status" -eq 0 ]
	[ ! -s err.jsonl ]
	run bash -c "jq -r '[.url, .title] | join(\" \")' out.jsonl | sort"
	assert_output "a.html Saved alpha
b.html.gz Saved bravo"
	run jq -r 'select(.url == "b.html.gz") | .text' out.jsonl
	assert_output --partial "This saved page about bravo"
	refute_output --partial "Footer links"
}

@test "-f: a missing file, a directory, gzip cut short: io records naming why, exit 2" {
	saved_page good.html good
	saved_page cut.html cut
	gzip cut.html
	head -c $(($(wc -c <cut.html.gz) / 2)) cut.html.gz >short.html.gz
	mkdir dir.html
	run_trawl -f -o out.jsonl -e err.jsonl missing.html dir.html \
	    short.html.gz good.html
	[ "$status" -eq 2 ]
	[[ "$stderr" == *missing.html* ]]
	[[ "$stderr" == *"short.html.gz: gzip data cut short"* ]]
	run jq -r '.url' out.jsonl
	assert_output "good.html"
	run bash -c "jq -r '[.url, .error, .detail] | join(\" \")' err.jsonl | sort"
	assert_output "dir.html io Is a directory
missing.html io No such file or directory
short.html.gz io gzip data cut short"
}

@test "-f -w 3: every page once, the same records as -w 1, in input order with -w 1" {
	for i in $(seq 1 30); do
		saved_page "p$i.html" "page$i"
	done
	saved_page empty.html empty
	: >empty.html
	run_trawl -f -w 1 -o one.jsonl -e one-err.jsonl p*.html empty.html
	[ "$status" -eq 1 ]
	run_trawl -f -w 3 -o three.jsonl -e three-err.jsonl p*.html empty.html
	[ "$status" -eq 1 ]
	# -w 1 keeps the order of the operands.
	run diff <(jq -r .url one.jsonl) <(ls p*.html)
	assert_success
	run diff <(jq -c 'del(.added)' one.jsonl | sort) \
	    <(jq -c 'del(.added)' three.jsonl | sort)
	assert_success
	[ "$(wc -l <three.jsonl)" -eq 30 ]
	run jq -r '[.url, .error] | join(" ")' three-err.jsonl
	assert_output "empty.html empty_text"
	[[ "$stderr" == *"30 documents, 1 errors"* ]]
}

@test "-f: SIGINT ends the run; the page being read and those not begun are interrupted" {
	saved_page p1.html one
	saved_page p2.html two
	saved_page p3.html three
	mkfifo slow.html
	"$TRAWL" -f -w 1 -o out.jsonl -e err.jsonl p1.html slow.html p2.html \
	    p3.html 2>stderr.txt &
	local pid=$! i st=0
	# Until trawl waits in open(2) for a writer of the FIFO: p1 is done.
	for ((i = 0; i < 200; i++)); do
		grep -qs wait_for_partner "/proc/$pid/wchan" && break
		sleep 0.05
	done
	[ "$i" -lt 200 ] || { kill -9 "$pid"; fail "trawl never opened the FIFO"; }
	# The signal ends the wait in open(2): that page is interrupted too.
	kill -INT "$pid"
	wait "$pid" || st=$?
	cat stderr.txt
	[ "$st" -eq 130 ]
	run jq -r .url out.jsonl
	assert_output "p1.html"
	run jq -r '[.url, .error] | join(" ")' err.jsonl
	assert_output "slow.html interrupted
p2.html interrupted
p3.html interrupted"
	[[ "$(cat stderr.txt)" == *"1 documents, 3 errors (interrupted 3)"* ]]
}
