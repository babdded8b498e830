#!/usr/bin/env bats
# Encodings: pages in ISO-8859-1 and UTF-8, declared in the HTTP header or
# in a meta tag, come out as the right UTF-8; hostile bytes never reach the
# output as invalid UTF-8 or raw control characters.

load helpers

# The fixture's charset pages (tests/server/server.py, charset_page) have
# the title "Café Grüße" and these words in their main text.
expect_charset_page() {
	local u
	u=$(url 1 "$1")
	run check get out.jsonl "$u" title
	assert_output "Café Grüße"
	run check get out.jsonl "$u" text
	assert_output --partial "Un café crème à la gare, s'il vous plaît."
	assert_output --partial "Herzliche Grüße aus Köln, schöne Straße."
	assert_output --partial "Año español, niño, señor."
	assert_output --partial "déjà vu, naïve façade"
}

@test "Latin-1 and UTF-8 pages, by header and by meta tag, become UTF-8" {
	server_start 1
	local p
	for p in /latin1-header /latin1-meta /latin1-http-equiv \
	    /latin1-late-meta /utf8-header /utf8-meta /bom; do
		url 1 "$p"
	done >urls.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check docs out.jsonl
	assert_output 7
	for p in /latin1-header /latin1-meta /latin1-http-equiv \
	    /latin1-late-meta /utf8-header /utf8-meta /bom; do
		echo "page $p"
		expect_charset_page "$p"
	done
}

@test "invalid UTF-8 and binary bytes never reach the output raw" {
	server_start 1
	{
		url 1 /bad-utf8
		url 1 /nul
	} >urls.txt
	run_trawl -r 0 -o out.jsonl -e err.jsonl urls.txt
	# Each page ends as a document (or, for /nul, possibly an error).
	# check rejects invalid UTF-8, lone surrogates and raw control bytes.
	run check docs out.jsonl
	assert_success
	run check errors err.jsonl
	assert_success
	run check get out.jsonl "$(url 1 /bad-utf8)" text
	assert_success
	# libxml2 reads the rest of a page as Latin-1 after an invalid byte in
	# declared UTF-8 (DESIGN.md), so only the ASCII words are certain.
	assert_output --partial "then a lone byte"
	assert_output --partial "Second paragraph after the bad bytes"
}
