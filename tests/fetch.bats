#!/usr/bin/env bats
# Fetching URL lists end to end: counts, records, input forms.

load helpers

@test "500 URLs over 10 hosts give 500 valid documents, each URL once" {
	server_start 10
	make_urls urls.txt 10 500
	run_trawl -r 0 -q -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check docs out.jsonl
	assert_success
	assert_output 500
	check urls out.jsonl | sort >got.txt
	sort urls.txt >want.txt
	run diff want.txt got.txt
	assert_success
	[ ! -s err.jsonl ]
	run page_requests '^/page/'
	assert_output 500
}

@test "a document has the schema of DESIGN.md and its fields are right" {
	server_start 1
	url 1 /page/42 >urls.txt
	url 1 /redirect/2 >>urls.txt
	run_trawl -r 0 -o out.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check docs out.jsonl
	assert_output 2
	local u
	u=$(url 1 /page/42)
	run check get out.jsonl "$u" final_url
	assert_output "$u"
	run check get out.jsonl "$u" status
	assert_output 200
	run check get out.jsonl "$u" source
	assert_output trawl
	run check get out.jsonl "$u" title
	assert_output "Page 42"
	run check get out.jsonl "$u" lang
	assert_output en
	run check get out.jsonl "$u" content_type
	assert_output --regexp '^text/html'
	run check get out.jsonl "$u" words
	[ "$output" -gt 20 ]
	run check get out.jsonl "$u" text
	assert_output --partial "This is the first paragraph of page 42."
	assert_output --partial "A third paragraph closes page 42."
	# The extractor drops script, style, nav, header, footer, aside.
	refute_output --partial "script text must not appear"
	refute_output --partial "font-family"
	refute_output --partial "Home navigation"
	refute_output --partial "Fixture Site Header"
	refute_output --partial "Fixture footer"
	refute_output --partial "sidebar"
	# Redirects: url as given, final_url after them.
	u=$(url 1 /redirect/2)
	run check get out.jsonl "$u" final_url
	assert_output "$(url 1 /redirect/0)"
}

@test "the id is stable for a URL across runs and differs between URLs" {
	server_start 1
	make_urls urls.txt 1 3
	run_trawl -r 0 -o a.jsonl urls.txt
	[ "$status" -eq 0 ]
	run_trawl -r 0 -o b.jsonl urls.txt
	[ "$status" -eq 0 ]
	local u id1 id2
	u=$(url 1 /page/1)
	id1=$(check get a.jsonl "$u" id)
	id2=$(check get b.jsonl "$u" id)
	[ "$id1" = "$id2" ]
	run check get a.jsonl "$(url 1 /page/2)" id
	[ "$output" != "$id1" ]
}

@test "--source sets the source field" {
	server_start 1
	url 1 /page/1 >urls.txt
	run_trawl -r 0 --source mycrawl -o out.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check get out.jsonl "$(url 1 /page/1)" source
	assert_output mycrawl
}

@test "documents go to stdout without -o" {
	server_start 2
	make_urls urls.txt 2 10
	run_trawl -r 0 -q urls.txt
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >out.jsonl
	run check docs out.jsonl
	assert_output 10
}

@test "URLs on standard input with - and with no operand" {
	server_start 2
	make_urls urls.txt 2 10
	run --separate-stderr bash -c \
	    'timeout 60 "$TRAWL" -r 0 -q -o a.jsonl - <urls.txt'
	[ "$status" -eq 0 ]
	run check docs a.jsonl
	assert_output 10
	run --separate-stderr bash -c \
	    'timeout 60 "$TRAWL" -r 0 -q -o b.jsonl <urls.txt'
	[ "$status" -eq 0 ]
	run check docs b.jsonl
	assert_output 10
}

@test "several URL files are read in turn" {
	server_start 2
	make_urls a.txt 2 5 /page/a
	make_urls b.txt 2 5 /page/b
	run_trawl -r 0 -q -o out.jsonl a.txt b.txt
	[ "$status" -eq 0 ]
	run check docs out.jsonl
	assert_output 10
}

@test "duplicate URLs in the input are fetched once" {
	server_start 2
	{
		url 1 /page/dup
		url 2 /page/other
		url 1 /page/dup
		url 1 /page/dup
	} >urls.txt
	url 1 /page/dup >more.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt more.txt
	[ "$status" -eq 0 ]
	run check docs out.jsonl
	assert_output 2
	[ ! -s err.jsonl ]
	run page_requests '^/page/dup$'
	assert_output 1
}

@test "comments and blank lines are skipped" {
	server_start 1
	{
		echo '# a comment'
		echo
		url 1 /page/1
		echo '   '
		echo '	# an indented comment'
		url 1 /page/2
		echo
	} >urls.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 0 ]
	[ -z "$(printf '%s' "$stderr" | grep 'urls.txt:')" ]
	run check docs out.jsonl
	assert_output 2
	[ ! -s err.jsonl ]
}

@test "the default User-Agent names trawl; -A replaces it" {
	server_start 1
	url 1 /page/1 >urls.txt
	run_trawl -r 0 -o out.jsonl urls.txt
	[ "$status" -eq 0 ]
	server_idle
	run grep -ci '"ua": "[^"]*trawl' "$SERVER_LOG"
	[ "$output" -ge 1 ]
	: >"$SERVER_LOG"
	run_trawl -r 0 -A 'TestAgent/9' -o out.jsonl urls.txt
	[ "$status" -eq 0 ]
	server_idle
	run grep -c '"path": "/page/1".*"ua": "TestAgent/9"' "$SERVER_LOG"
	assert_output 1
}

@test "a summary line goes to stderr, and -q silences it" {
	server_start 1
	make_urls urls.txt 1 3
	run_trawl -r 0 -o out.jsonl urls.txt
	[ "$status" -eq 0 ]
	[ -n "$stderr" ]
	run_trawl -r 0 -q -o out.jsonl urls.txt
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "standard input is streamed: fetching starts before its end" {
	server_start 1
	local u1 u2
	u1=$(url 1 /page/first)
	u2=$(url 1 /page/second)
	run --separate-stderr bash -c "
		{ echo '$u1'; sleep 4; echo '$u2'; } |
		timeout -k 5 60 \"\$TRAWL\" -r 0 -q -o out.jsonl -"
	[ "$status" -eq 0 ]
	run check docs out.jsonl
	assert_output 2
	# The first page was requested well before the second line came.
	run "$PYTHON" -c '
import json, sys
t = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    t[r["path"]] = r["t0"]
print(t)
sys.exit(not t["/page/second"] - t["/page/first"] > 2)' "$SERVER_LOG"
	assert_success
}

@test "URLs that differ only in the scheme's case are fetched once" {
	server_start 1
	{
		url 1 /page/norm
		echo "HTTP://${HOST[1]}:$PORT/page/norm"
	} >urls.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check docs out.jsonl
	assert_output 1
	run page_requests '^/page/norm$'
	assert_output 1
}
