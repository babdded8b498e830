#!/usr/bin/env bats
# The bundled sample site (README's quick start) crawls cleanly.

load helpers

@test "tests/sample/run crawls the 40 sample pages into a valid corpus" {
	run --separate-stderr timeout -k 5 60 "$TESTS_DIR/sample/run" \
	    "$BATS_TEST_TMPDIR/corpus.jsonl" -r 0
	echo "stderr: $stderr"
	[ "$status" -eq 0 ]
	run check docs corpus.jsonl
	assert_output 40
	[ ! -s errors.jsonl ]
	# Latin-1 by header, Latin-1 by meta, UTF-8, and French.
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
