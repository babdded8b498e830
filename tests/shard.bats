#!/usr/bin/env bats
# --shard K/N: N runs over one list cover it exactly once, by host.

load helpers

NHOSTS=12

# make_list: urls.txt with 4 pages and one 404 on each of NHOSTS hosts.
make_list() {
	local i
	make_urls urls.txt "$NHOSTS" $((4 * NHOSTS))
	for ((i = 1; i <= NHOSTS; i++)); do
		url "$i" /status/404
	done >>urls.txt
}

# log_hosts FROM: the distinct addr:port of the server log's lines after
# line FROM (robots.txt requests included), sorted.
log_hosts() {
	tail -n +"$(($1 + 1))" "$SERVER_LOG" |
	    python3 -c '
import json, sys
print("\n".join(sorted({"%s:%s" % (r["addr"], r["port"])
                        for r in map(json.loads, sys.stdin)})))' |
	    sed '/^$/d'
}

# url_hosts FILE: the distinct host:port of the url fields of FILE, sorted.
url_hosts() {
	check urls "$1" | sed -E 's|^https?://([^/]+)/.*|\1|' | LC_ALL=C sort -u
}

# shard_union N: run the N shards of urls.txt one after the other and check
# they partition the unsharded run's URLs, by host.
shard_union() {
	local n=$1 k from docs errs
	: >union.docs
	: >union.errs
	: >union.hosts
	for ((k = 0; k < n; k++)); do
		server_idle
		from=$(wc -l <"$SERVER_LOG")
		run_trawl -r 0 --retries 0 --shard "$k/$n" -o "d$k.jsonl" \
		    -e "e$k.jsonl" urls.txt
		echo "shard $k/$n: status $status; $stderr"
		# 1 if the shard's hosts had the 404s, 0 if it had no host.
		[ "$status" -eq 0 ] || [ "$status" -eq 1 ]
		docs=$(check docs "d$k.jsonl")
		errs=$(check errors "e$k.jsonl")
		if [ "$errs" -gt 0 ]; then
			[ "$status" -eq 1 ]
		else
			[ "$status" -eq 0 ]
		fi
		check urls "d$k.jsonl" >>union.docs
		check urls "e$k.jsonl" >>union.errs
		# The hosts this shard's records name, and the hosts it
		# contacted (robots.txt included), are the same set.
		url_hosts "d$k.jsonl" >docs.hosts
		url_hosts "e$k.jsonl" >errs.hosts
		LC_ALL=C sort -u docs.hosts errs.hosts >"h$k.hosts"
		server_idle
		log_hosts "$from" >"h$k.contacted"
		echo "shard $k/$n: $docs documents, $errs errors, hosts: $(tr '\n' ' ' <"h$k.hosts")"
		diff "h$k.hosts" "h$k.contacted"
		# A host's pages and its 404 went to the same shard.
		[ "$(wc -l <"h$k.hosts")" -eq "$errs" ]
		[ "$docs" -eq $((4 * errs)) ]
		cat "h$k.hosts" >>union.hosts
	done
	# No URL and no host in two shards; together, the whole run.
	run bash -c 'sort union.docs | uniq -d; sort union.errs | uniq -d; sort union.hosts | uniq -d'
	assert_output ""
	diff <(LC_ALL=C sort union.docs) <(check urls all.docs | LC_ALL=C sort)
	diff <(LC_ALL=C sort union.errs) <(check urls all.errs | LC_ALL=C sort)
	[ "$(wc -l <union.hosts)" -eq "$NHOSTS" ]
}

@test "--shard K/3: the union of the 3 shards is the unsharded run, no URL or host twice" {
	server_start "$NHOSTS"
	make_list
	run_trawl -q -r 0 --retries 0 -o all.docs -e all.errs urls.txt
	[ "$status" -eq 1 ]
	run check docs all.docs
	assert_output $((4 * NHOSTS))
	run check errors all.errs
	assert_output "$NHOSTS"
	shard_union 3
}

@test "--shard K/5 partitions the same list too" {
	server_start "$NHOSTS"
	make_list
	run_trawl -q -r 0 --retries 0 -o all.docs -e all.errs urls.txt
	[ "$status" -eq 1 ]
	shard_union 5
}

@test "--shard 0/1 is the whole list" {
	server_start 4
	make_urls urls.txt 4 16
	run_trawl -q -r 0 -o all.jsonl urls.txt
	[ "$status" -eq 0 ]
	run_trawl -q -r 0 --shard 0/1 -o one.jsonl urls.txt
	[ "$status" -eq 0 ]
	run check docs one.jsonl
	assert_output 16
	diff <(check urls one.jsonl | LC_ALL=C sort) <(check urls all.jsonl | LC_ALL=C sort)
}

@test "--shard: the same host always falls in the same shard" {
	server_start "$NHOSTS"
	make_list
	local k a b
	for ((k = 0; k < 3; k++)); do
		run_trawl -q -r 0 --retries 0 --shard "$k/3" -o "a$k.jsonl" urls.txt
		run_trawl -q -r 0 --retries 0 --shard "$k/3" -o "b$k.jsonl" urls.txt
		a=$(check urls "a$k.jsonl" | LC_ALL=C sort)
		b=$(check urls "b$k.jsonl" | LC_ALL=C sort)
		[ "$a" = "$b" ]
	done
}

@test "--shard: bad values are usage errors" {
	local v
	for v in 2/2 3/2 x 1/0 0/0 -1/2 1/ /2 1 0/2/3 a/2 0/b '' 0.5/2 1/2x; do
		run_trawl --shard "$v" -o out.jsonl /dev/null
		echo "--shard '$v': status $status; $stderr"
		[ "$status" -eq 2 ]
		[ -n "$stderr" ]
		[ -z "$output" ]
	done
	[ ! -s out.jsonl ]
}
