#!/usr/bin/env bats
# Output that cannot be written (issue 4): a read-only directory, a full
# disk (a small tmpfs, /dev/full, a file size limit), a closed stdout
# pipe, a missing directory.  Each: a clear message naming the path,
# exit 3 (quietly for a closed pipe), nothing half-written under the
# final name.
#
# The tmpfs tests mount in a private mount namespace (unshare -m), which
# needs root or user namespaces; they are skipped where that fails.  As
# root, a chmod 555 directory is still writable, so the read-only test
# then uses a read-only tmpfs.

load helpers

# urls N: N small pages over hosts 1 and 2, into urls.txt.
urls() {
	make_urls urls.txt 2 "$1" /page/disk
}

# big_urls: 8 pages of 300 KB over hosts 1 and 2, into urls.txt: far
# more output than a pipe holds, so that a reader that goes away is
# always seen.
big_urls() {
	local i
	for i in 0 1 2 3 4 5 6 7; do
		url $((i % 2 + 1)) "/big/300K?n=$i"
	done >urls.txt
}

# can_mount: a private mount namespace with a tmpfs works here.
can_mount() {
	mkdir -p probe
	unshare -m sh -c 'mount -t tmpfs -o size=16k tmpfs "$1"' sh probe \
	    2>/dev/null
}

# in_tmpfs OPTS DIR ARGS...: run trawl ARGS with a fresh tmpfs mounted on
# DIR (mount options OPTS) in a private mount namespace, like run_trawl;
# DIR's listing when trawl is done goes to DIR.ls (the tmpfs goes away
# with the namespace).  With FILL=1, a file first takes all its space.
in_tmpfs() {
	local opts=$1 dir=$2
	shift 2
	mkdir -p "$dir"
	run --separate-stderr timeout -k 5 "$TRAWL_TEST_TIMEOUT" \
	    unshare -m sh -c '
opts=$1 dir=$2
shift 2
mount -t tmpfs -o "$opts" tmpfs "$dir" || exit 99
[ "${FILL:-0}" = 1 ] && cat /dev/zero >"$dir/filler" 2>/dev/null
"$@"
rc=$?
ls -A "$dir" >"$dir.ls"
exit $rc' sh "$opts" "$dir" "$TRAWL" "$@"
}

@test "-o in a read-only directory: exit 3, the path named, nothing written" {
	server_start 2
	urls 10
	mkdir ro
	chmod 555 ro
	if touch ro/probe 2>/dev/null; then
		# Root: permissions do not stop it; a read-only tmpfs does.
		rm -f ro/probe
		can_mount || skip "no read-only directory for root here"
		in_tmpfs ro ro -r 0 -o ro/out.jsonl -e err.jsonl urls.txt
		echo "status $status, stderr: $stderr, left: $(cat ro.ls)"
		[ ! -s ro.ls ]
	else
		run_trawl -r 0 -o ro/out.jsonl -e err.jsonl urls.txt
		echo "status $status, stderr: $stderr"
		run ls -A ro
		[ -z "$output" ]
	fi
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"ro/"*"out.jsonl"* ]]
	[ ! -e ro/out.jsonl ]
	# Refused at the start: nothing was fetched.
	[ "$(page_requests '^/page/')" -eq 0 ]
}

@test "-e in a read-only directory: exit 3 at the start" {
	server_start 2
	urls 10
	mkdir ro
	chmod 555 ro
	if touch ro/probe 2>/dev/null; then
		rm -f ro/probe
		can_mount || skip "no read-only directory for root here"
		in_tmpfs ro ro -r 0 -o out.jsonl -e ro/err.jsonl urls.txt
	else
		run_trawl -r 0 -o out.jsonl -e ro/err.jsonl urls.txt
	fi
	echo "status $status, stderr: $stderr"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"ro/"*"err.jsonl"* ]]
	[ ! -e out.jsonl ]
	[ "$(page_requests '^/page/')" -eq 0 ]
}

@test "a nonexistent -e directory: exit 3 at the start, the path named" {
	server_start 2
	urls 10
	run_trawl -r 0 -o out.jsonl -e nodir/err.jsonl urls.txt
	echo "status $status, stderr: $stderr"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"nodir/"* ]]
	[ ! -e out.jsonl ]
	[ ! -e nodir ]
	[ "$(page_requests '^/page/')" -eq 0 ]
}

@test "a nonexistent -o directory: exit 3 at the start, the path named" {
	server_start 2
	urls 10
	run_trawl -r 0 -o nodir/out.jsonl -e err.jsonl urls.txt
	echo "status $status, stderr: $stderr"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"nodir/"* ]]
	[ ! -e err.jsonl ]
	[ "$(page_requests '^/page/')" -eq 0 ]
}

@test "-o /dev/full: exit 3 with a message" {
	[ -w /dev/full ] || skip "no /dev/full"
	server_start 2
	urls 10
	run_trawl -r 0 -o /dev/full -e err.jsonl urls.txt
	echo "status $status, stderr: $stderr"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"/dev/full"* ]]
	[[ "$stderr" == *"No space left on device"* ]]
	# No summary when an output could not be written.
	[[ "$stderr" != *"documents"* ]]
	# The errors file is complete whole lines, or not there.
	if [ -e err.jsonl ]; then
		run check jsonl err.jsonl
		assert_success
	fi
}

@test "a full disk (a 16 KB tmpfs): exit 3, nothing left under the final names" {
	can_mount || skip "cannot mount a tmpfs here"
	server_start 2
	urls 60
	in_tmpfs size=16k small -r 0 -o small/out.jsonl -e small/err.jsonl urls.txt
	echo "status $status, stderr: $stderr, left: $(cat small.ls)"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"small/"*"out.jsonl"* ]]
	[[ "$stderr" == *"No space left on device"* ]]
	# Neither the corpus nor a temporary file stays behind.
	run cat small.ls
	refute_output --partial "out.jsonl"
}

@test "a full disk with a compressed corpus (.zst): exit 3, nothing left" {
	can_mount || skip "cannot mount a tmpfs here"
	server_start 2
	urls 60
	# The documents compress to almost nothing: a full tmpfs.
	FILL=1 in_tmpfs size=16k small -r 0 -o small/out.jsonl.zst urls.txt
	echo "status $status, stderr: $stderr, left: $(cat small.ls)"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"small/"*"out.jsonl.zst"* ]]
	run cat small.ls
	refute_output --partial "out.jsonl"
}

@test "a file size limit (ulimit -f): exit 3, not killed by SIGXFSZ" {
	server_start 2
	urls 60
	# 60 documents are about 40 KB; the limit is 16 KB.
	run --separate-stderr bash -c 'ulimit -f 16; exec timeout -k 5 60 "$@"' \
	    sh "$TRAWL" -r 0 -o out.jsonl -e err.jsonl urls.txt
	echo "status $status, stderr: $stderr"
	ls -lA
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"out.jsonl"* ]]
	[ ! -e out.jsonl ]
	run ls -A
	refute_output --partial ".out.jsonl."
}

@test "a closed stdout pipe: exit 3, quietly" {
	server_start 2
	big_urls
	run --separate-stderr bash -c '
set -o pipefail
timeout -k 5 60 "$@" | head -n 1 >first.jsonl
echo "${PIPESTATUS[0]} ${PIPESTATUS[1]}" >statuses' sh "$TRAWL" -r 0 -p 4 urls.txt
	echo "stderr: [$stderr], statuses: $(cat statuses)"
	[ "$(cat statuses)" = "3 0" ]
	[ -z "$stderr" ]
	run check docs first.jsonl
	assert_output 1
}

@test "a closed stdout pipe with -e: the errors file is still complete" {
	server_start 2
	big_urls
	url 1 /status/404 >>urls.txt
	run --separate-stderr bash -c '
timeout -k 5 60 "$@" | head -n 1 >/dev/null
echo "${PIPESTATUS[0]}" >statuses' sh "$TRAWL" -r 0 -p 4 -e err.jsonl urls.txt
	echo "stderr: [$stderr], status: $(cat statuses)"
	[ "$(cat statuses)" = 3 ]
	[ -z "$stderr" ]
	if [ -e err.jsonl ]; then
		run check errors err.jsonl
		assert_success
	fi
}
