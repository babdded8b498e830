#!/usr/bin/env bats
# Hostile URL lists: each bad line is reported as FILE:LINE and as an
# invalid_url record, the good lines are still fetched; redirects may not
# leave http and https.

load helpers

# write_bad_list FILE: good URLs on lines 1 and 8, bad ones on 2-7.
write_bad_list() {
	"$PYTHON" - "$1" "$PORT" <<'PY'
import sys
path, port = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.2:{port}"
lines = [
    f"{base}/page/good1".encode(),
    f"127.0.0.2:{port}/page/noscheme".encode(),
    f"ftp://127.0.0.2:{port}/page/ftp".encode(),
    b"file:///etc/passwd",
    f"{base}/page/with space inside".encode(),
    f"{base}/page/long".encode() + b"a" * 100000,
    b"\x00\xff\xfe\x01\x02junk\x1b[31m\x80\x9b\x00http://\x00",
    f"{base}/page/good2".encode(),
]
with open(path, "wb") as f:
    f.write(b"\n".join(lines) + b"\n")
PY
}

@test "bad lines are reported as FILE:LINE and the good ones are fetched" {
	server_start 1
	write_bad_list urls.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	echo "stderr: ${stderr:0:2000}"
	[ "$status" -eq 1 ]
	local n
	for n in 2 3 4 5 6 7; do
		# A "trawl: " prefix is allowed before FILE:LINE: reason.
		grep -Eq "^(trawl: )?urls\.txt:$n: .+" <<<"$stderr" ||
		    fail "no 'urls.txt:$n: reason' on stderr"
	done
	for n in 1 8; do
		! grep -Eq "^(trawl: )?urls\.txt:$n:" <<<"$stderr" ||
		    fail "good line $n reported as bad"
	done
	# Nothing from the input reaches stderr raw, and the 100 KB line is cut.
	printf '%s' "$stderr" >stderr.txt
	run "$PYTHON" -c '
import sys
b = open("stderr.txt", "rb").read()
bad = [c for c in b"\x00\x01\x02\x1b\xff\xfe" if bytes([c]) in b]
print(len(b), bad)
sys.exit(1 if bad or len(b) > 16384 else 0)'
	assert_success
	run check docs out.jsonl
	assert_output 2
	run check get out.jsonl "$(url 1 /page/good1)" status
	assert_output 200
	run check get out.jsonl "$(url 1 /page/good2)" status
	assert_output 200
	run check errors err.jsonl
	assert_output 6
	run check kinds err.jsonl
	assert_output "invalid_url 6"
	run page_requests 'noscheme|ftp|with|long'
	assert_output 0
}

@test "a URL list with CRLF line ends and a byte order mark (Notepad) is read" {
	server_start 1
	{
		printf '\357\273\277%s\r\n' "$(url 1 /page/bom1)"
		printf '%s\r\n' "$(url 1 /page/bom2)"
	} >urls.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check get out.jsonl "$(url 1 /page/bom1)" status
	assert_output 200
	[ ! -s err.jsonl ]
}

@test "a redirect to file:// or ftp:// is refused: an error record, no document" {
	server_start 1
	{
		url 1 '/redirect-to?url=file:///etc/passwd'
		url 1 '/redirect-to?url=ftp://127.0.0.2/x'
		url 1 /page/ok
	} >urls.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 1 ]
	run check docs out.jsonl
	assert_output 1
	run check get out.jsonl "$(url 1 /page/ok)" status
	assert_output 200
	run check errors err.jsonl
	assert_output 2
	run check get err.jsonl "$(url 1 '/redirect-to?url=file:///etc/passwd')" error
	assert_success
	[ -n "$output" ]
	run check get err.jsonl "$(url 1 '/redirect-to?url=ftp://127.0.0.2/x')" error
	assert_success
	if grep -q 'root:x:0' out.jsonl err.jsonl; then
		fail "/etc/passwd in the output"
	fi
}
