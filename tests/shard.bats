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

# shard_facts K FROM: one Python for d$K.jsonl, e$K.jsonl and the server
# log after line FROM: checks the records (check.py's checks, imported),
# appends their URLs to union.docs and union.errs, writes the hosts they
# name to h$K.hosts and the hosts contacted (robots.txt included) to
# h$K.contacted, and prints "DOCS ERRORS".
shard_facts() {
	python3 - "$CHECK" "$1" "$2" "$SERVER_LOG" <<'EOF2'
import importlib.util, io, json, sys, contextlib
from urllib.parse import urlsplit
spec = importlib.util.spec_from_file_location("check", sys.argv[1])
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)
k, start, log = sys.argv[2], int(sys.argv[3]), sys.argv[4]
hosts, n = set(), {}
for kind, f in (("docs", f"d{k}.jsonl"), ("errs", f"e{k}.jsonl")):
    with contextlib.redirect_stdout(io.StringIO()):
        (check.cmd_docs if kind == "docs" else check.cmd_errors)(f)
    urls = [r["url"] for _, _, r in check.load(f)]
    n[kind] = len(urls)
    with open(f"union.{kind}", "a") as out:
        out.writelines(u + "\n" for u in urls)
    hosts |= {urlsplit(u).netloc for u in urls}
with open(log) as f:
    recs = [json.loads(l) for l in f.readlines()[start:]]
contacted = {"%s:%s" % (r["addr"], r["port"]) for r in recs}
with open(f"h{k}.hosts", "w") as f:
    f.writelines(h + "\n" for h in sorted(hosts))
with open(f"h{k}.contacted", "w") as f:
    f.writelines(h + "\n" for h in sorted(contacted))
print(n["docs"], n["errs"])
EOF2
}

# shard_union N: run the N shards of urls.txt one after the other and check
# they partition the unsharded run's URLs, by host.
shard_union() {
	local n=$1 k from docs errs
	: >union.docs
	: >union.errs
	: >union.hosts
	server_idle
	for ((k = 0; k < n; k++)); do
		from=$(wc -l <"$SERVER_LOG")
		run_trawl -r 0 --retries 0 --shard "$k/$n" -o "d$k.jsonl" \
		    -e "e$k.jsonl" urls.txt
		echo "shard $k/$n: status $status; $stderr"
		server_idle
		read -r docs errs < <(shard_facts "$k" "$from")
		echo "shard $k/$n: $docs documents, $errs errors, hosts: $(tr '\n' ' ' <"h$k.hosts")"
		# 1 if the shard's hosts had the 404s, 0 if it had no host.
		if [ "$errs" -gt 0 ]; then
			[ "$status" -eq 1 ]
		else
			[ "$status" -eq 0 ]
		fi
		# The hosts this shard's records name are the hosts it contacted.
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
