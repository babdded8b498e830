# Shared helpers for trawl's bats tests.
#
# Each test gets its own directory ($BATS_TEST_TMPDIR, also the working
# directory) and, when it calls server_start, its own fixture server
# (tests/server/server.py) on 127.0.0.2 ... 127.0.0.(N+1), stopped by PID
# in teardown.  Nothing here reaches an address outside 127.0.0.0/8.
#
# The program under test is $TRAWL (default: build/cmd/trawl/trawl in the
# repository).

bats_require_minimum_version 1.5.0

TESTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$TESTS_DIR/.." && pwd)"
: "${TRAWL:=$REPO_DIR/build/cmd/trawl/trawl}"
: "${BATS_LIB_DIR:=/usr/lib/bats}"
: "${PYTHON:=python3}"
# Bound on any one trawl run, in seconds; a hang fails with status 124.
: "${TRAWL_TEST_TIMEOUT:=60}"
export TRAWL

load "$BATS_LIB_DIR/bats-support/load"
load "$BATS_LIB_DIR/bats-assert/load"

# No proxy may turn a loopback test into a trip outside.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY='*' no_proxy='*'

CHECK="$TESTS_DIR/lib/check.py"

setup() {
	common_setup
}

teardown() {
	common_teardown
}

common_setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	SERVER_PID=
	[ -x "$TRAWL" ] || fail "trawl not built: $TRAWL (set TRAWL)"
}

common_teardown() {
	server_stop
}

# server_start NHOSTS [server options ...]
# Starts the fixture server on 127.0.0.2 .. 127.0.0.(NHOSTS+1), one port.
# Sets PORT, SERVER_PID, SERVER_LOG, and HOST[1..NHOSTS] (HOST[i] is
# 127.0.0.(i+1)).  Waits at most 10 s for the port file.
server_start() {
	local n=$1 i args=()
	shift
	SERVER_DIR="$BATS_TEST_TMPDIR/server"
	SERVER_LOG="$SERVER_DIR/log.jsonl"
	mkdir -p "$SERVER_DIR"
	HOST=()
	for ((i = 1; i <= n; i++)); do
		HOST[i]="127.0.0.$((i + 1))"
		args+=(--addr "${HOST[i]}")
	done
	"$PYTHON" "$TESTS_DIR/server/server.py" "${args[@]}" \
	    --port-file "$SERVER_DIR/port" --pid-file "$SERVER_DIR/pid" \
	    --log "$SERVER_LOG" "$@" \
	    >"$SERVER_DIR/output" 2>&1 3>&- &
	SERVER_PID=$!
	for ((i = 0; i < 100; i++)); do
		[ -s "$SERVER_DIR/port" ] && break
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			cat "$SERVER_DIR/output" >&2
			SERVER_PID=
			fail "fixture server exited at start"
		fi
		sleep 0.1
	done
	[ -s "$SERVER_DIR/port" ] || fail "fixture server not ready in 10 s"
	PORT=$(cat "$SERVER_DIR/port")
}

server_stop() {
	local i
	if [ -n "${SERVER_PID:-}" ]; then
		kill "$SERVER_PID" 2>/dev/null || true
		# Bounded: SIGKILL if it has not gone in 5 s.
		for ((i = 0; i < 50; i++)); do
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
		SERVER_PID=
	fi
}

# server_idle: wait (at most 10 s) until the server has no request in
# flight, so that every request trawl made is in the log.
server_idle() {
	check idle "${HOST[1]}" "$PORT" 10 || fail "fixture server busy"
}

# url I PATH: the URL of PATH on host I (1-based).
url() {
	printf 'http://%s:%s%s\n' "${HOST[$1]}" "$PORT" "$2"
}

# make_urls FILE NHOSTS COUNT [PREFIX]: COUNT URLs PREFIX0 .. PREFIX(COUNT-1)
# (default prefix /page/), spread round-robin over hosts 1..NHOSTS.
make_urls() {
	local file=$1 nhosts=$2 count=$3 prefix=${4:-/page/} i
	for ((i = 0; i < count; i++)); do
		url $((i % nhosts + 1)) "$prefix$i"
	done >"$file"
}

# run_trawl ARGS...: run trawl under `run --separate-stderr`, bounded in time;
# sets $status, $output (stdout) and $stderr.
run_trawl() {
	run --separate-stderr timeout -k 5 "$TRAWL_TEST_TIMEOUT" "$TRAWL" "$@"
}

# check SUBCOMMAND ARGS...: tests/lib/check.py (JSONL and log checks).
check() {
	"$PYTHON" "$CHECK" "$@"
}

# page_requests [PATH-REGEX]: the number of logged requests (not
# /robots.txt) whose path matches the Python regex (default: all).
page_requests() {
	server_idle
	check count "$SERVER_LOG" "${1:-.}"
}
