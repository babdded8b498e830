# hostile_start [ADDR [hostile.py options ...]]: tests/server/hostile.py
# on ADDR (default 127.0.0.9), stopped by hostile_stop (call it from
# teardown).  Sets HPORT and HLOG (its request log).
HOSTILE_PID=

hostile_start() {
	local addr=${1:-127.0.0.9} i
	[ $# -gt 0 ] && shift
	HLOG="$BATS_TEST_TMPDIR/hostile.log"
	rm -f "$BATS_TEST_TMPDIR/hport"
	"$PYTHON" "$TESTS_DIR/server/hostile.py" --addr "$addr" \
	    --port-file "$BATS_TEST_TMPDIR/hport" --log "$HLOG" "$@" \
	    >"$BATS_TEST_TMPDIR/hostile.out" 2>&1 3>&- &
	HOSTILE_PID=$!
	for ((i = 0; i < 100; i++)); do
		[ -s "$BATS_TEST_TMPDIR/hport" ] && break
		sleep 0.1
	done
	[ -s "$BATS_TEST_TMPDIR/hport" ] || fail "hostile server not ready"
	HPORT=$(cat "$BATS_TEST_TMPDIR/hport")
}

hostile_stop() {
	if [ -n "${HOSTILE_PID:-}" ]; then
		kill "$HOSTILE_PID" 2>/dev/null || true
		wait "$HOSTILE_PID" 2>/dev/null || true
		HOSTILE_PID=
	fi
}
