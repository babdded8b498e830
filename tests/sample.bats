#!/usr/bin/env bats
# The bundled sample site (README's quick start) crawls cleanly: every
# page is fetched, and the articles' texts come out right.  Whether the
# extractor finds text in the index pages (mostly lists of links) is the
# extractor's business, so an empty_text record is tolerated there.

load helpers

@test "tests/sample/run crawls the 40 sample pages into a valid corpus" {
	run --separate-stderr timeout -k 5 60 "$TESTS_DIR/sample/run" \
	    "$BATS_TEST_TMPDIR/corpus.jsonl" -r 0
	echo "stderr: $stderr"
	local rc=$status
	[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]
	[ -f errors.jsonl ] || : >errors.jsonl
	local docs errs
	docs=$(check docs corpus.jsonl)
	errs=$(check errors errors.jsonl)
	echo "documents $docs, errors $errs"
	[ $((docs + errs)) -eq 40 ]
	[ "$docs" -ge 36 ]
	# No fetch failed; only the index pages (path /) may lack text.
	run "$PYTHON" -c '
import json, sys, urllib.parse
bad = 0
for line in open("errors.jsonl"):
    r = json.loads(line)
    print(r["url"], r["error"], r["detail"])
    bad += r["error"] != "empty_text" or urllib.parse.urlsplit(r["url"]).path != "/"
sys.exit(bad)'
	assert_success
	# The exit status says whether there were error records.
	if [ "$errs" -eq 0 ]; then [ "$rc" -eq 0 ]; else [ "$rc" -eq 1 ]; fi
	# Latin-1 by header, Latin-1 by meta, UTF-8, French, English.
	run grep -c 'Jeden Herbst, wenn die ersten Boskoop-Äpfel reif sind' corpus.jsonl
	assert_output 1
	run grep -c 'Ab dann wird jeden Tag die Hälfte weggenommen' corpus.jsonl
	assert_output 1
	run grep -c 'Kokosmilch macht die Suppe cremig' corpus.jsonl
	assert_output 1
	run grep -c 'gravir trois cent sept marches' corpus.jsonl
	assert_output 1
	run grep -c 'voted seven to two on Tuesday evening' corpus.jsonl
	assert_output 1
}
