#!/usr/bin/env bats
# The deployment files of tests/deploy/ (README "Many machines"): a
# Kubernetes Indexed Job, a Slurm job array and a GNU parallel line.  Their
# syntax is checked with the tools at hand, and each one's trawl command is
# run here, shard by shard, against the fixture server: the shards must
# cover the list exactly once, and no host may be fetched by two of them.

load helpers

DEPLOY="$TESTS_DIR/deploy"
YAML_PY=/usr/bin/python3	# Debian's python3-yaml is for this one

# k8s FIELD: a field of the Job, or the container's command line by line.
k8s() {
	"$YAML_PY" - "$DEPLOY/k8s-indexed-job.yaml" "$1" <<'PY'
import sys, yaml
with open(sys.argv[1]) as f:
    docs = list(yaml.safe_load_all(f))
assert len(docs) == 1, "one document"
job = docs[0]
what = sys.argv[2]
spec = job["spec"]
cmd = spec["template"]["spec"]["containers"][0]["command"]
if what == "kind":
    print(job["apiVersion"], job["kind"])
elif what == "mode":
    print(spec["completionMode"], spec["completions"], spec["parallelism"])
elif what == "shell":
    print(cmd[0], cmd[1], len(cmd))
elif what == "script":
    sys.stdout.write(cmd[2])
elif what == "restart":
    print(spec["template"]["spec"]["restartPolicy"])
PY
}

need_yaml() {
	"$YAML_PY" -c 'import yaml' 2>/dev/null ||
	    skip "no PyYAML for $YAML_PY (apt-get install python3-yaml)"
}

# A trawl on PATH, as the deployment files call it: the one under test,
# with no rate limit so that the shards run fast.
fake_path() {
	mkdir -p bin
	printf '#!/bin/sh\nexec "%s" -r 0 -p 4 "$@"\n' "$TRAWL" >bin/trawl
	chmod +x bin/trawl
	export PATH="$BATS_TEST_TMPDIR/bin:$PATH"
}

# make_list FILE: 30 URLs on 6 hosts, and 2 lines that are not URLs.
make_list() {
	make_urls "$1" 6 30
	printf 'not a url\nftp://127.0.0.2/x\n' >>"$1"
}

# covered DIR N: the shards' records in DIR (corpus-K.jsonl.zst and
# errors-K.jsonl, K from 0 to N-1) hold every line of DIR/urls.txt exactly
# once, and no host appears in two shards.
covered() {
	local dir=$1 n=$2 k
	for ((k = 0; k < n; k++)); do
		[ -f "$dir/corpus-$k.jsonl.zst" ] ||
		    fail "shard $k wrote no corpus-$k.jsonl.zst"
		# A shard with no documents may leave an empty file (the last
		# test below): read it as no documents here.
		if [ -s "$dir/corpus-$k.jsonl.zst" ]; then
			zstd -q -d -c "$dir/corpus-$k.jsonl.zst"
		fi >"$dir/docs-$k.jsonl"
		check docs "$dir/docs-$k.jsonl" >/dev/null
		check errors "$dir/errors-$k.jsonl" >/dev/null
		{
			check urls "$dir/docs-$k.jsonl"
			check urls "$dir/errors-$k.jsonl"
		} | sed "s/^/$k /"
	done >"$dir/got"
	cut -d' ' -f2- "$dir/got" | sort >"$dir/got.urls"
	sort "$dir/urls.txt" >"$dir/want.urls"
	diff -u "$dir/want.urls" "$dir/got.urls" ||
	    fail "the shards do not cover the list exactly once"
	# Bad lines are recorded by shard 0 only.
	run grep -c -e '^0 not a url$' -e '^0 ftp://' "$dir/got"
	[ "$output" -eq 2 ] || fail "bad lines not recorded by shard 0"
	# Each host in one shard only, and more than one shard at work.
	awk '$2 ~ /^http/ { split($2, p, "/"); print $1, p[3] }' "$dir/got" |
	    sort -u >"$dir/hosts"
	run sh -c "cut -d' ' -f2 '$dir/hosts' | sort | uniq -d"
	[ -z "$output" ] || fail "hosts in two shards: $output"
	run sh -c "cut -d' ' -f1 '$dir/hosts' | sort -u | wc -l"
	[ "$output" -ge 2 ] || fail "all hosts fell in one shard"
}

# ---- syntax -------------------------------------------------------------

@test "k8s-indexed-job.yaml parses: an Indexed Job whose completions match --shard K/N" {
	need_yaml
	run k8s kind
	assert_success
	assert_output "batch/v1 Job"
	run k8s mode
	assert_success
	read -r mode n par <<<"$output"
	[ "$mode" = Indexed ]
	[ "$n" -ge 2 ] && [ "$par" -ge 1 ] && [ "$par" -le "$n" ]
	run k8s shell
	assert_output "/bin/sh -c 3"
	run k8s restart
	assert_output OnFailure
	run k8s script
	assert_success
	assert_output --partial 'i="$JOB_COMPLETION_INDEX"'
	assert_output --partial "--shard \"\$i/$n\""
	assert_output --partial '--state "/data/state-$i.db"'
	assert_output --partial '-o "/data/corpus-$i.jsonl.zst"'
	# The container's script is shell that sh can read.
	k8s script >job.sh
	sh -n job.sh
}

@test "slurm-array.sbatch: bash -n, a 0-based array, --shard from SLURM_ARRAY_TASK_ID" {
	bash -n "$DEPLOY/slurm-array.sbatch"
	run grep -c '^#SBATCH --array=0-[0-9][0-9]*$' "$DEPLOY/slurm-array.sbatch"
	assert_output 1
	run grep -F -- '--shard "$k/$n"' "$DEPLOY/slurm-array.sbatch"
	assert_success
	run grep -F 'k=$SLURM_ARRAY_TASK_ID' "$DEPLOY/slurm-array.sbatch"
	assert_success
	if command -v shellcheck >/dev/null; then
		shellcheck "$DEPLOY/slurm-array.sbatch"
	fi
}

@test "parallel.sh: bash -n, and its N shards are seq 0 N-1" {
	bash -n "$DEPLOY/parallel.sh"
	if command -v shellcheck >/dev/null; then
		shellcheck "$DEPLOY/parallel.sh"
	fi
	line=$(grep '^parallel ' "$DEPLOY/parallel.sh")
	[[ $line =~ --shard\ \{\}/([0-9]+)\  ]] || fail "no --shard {}/N"
	n=${BASH_REMATCH[1]}
	[[ $line == *"::: \$(seq 0 $((n - 1)))" ]] || fail "not ::: \$(seq 0 $((n - 1)))"
	[[ $line == *"-S "* ]] || fail "no -S"
}

# ---- the shards, run for real -------------------------------------------

@test "k8s-indexed-job.yaml: its container's command, run for every index, covers the list once" {
	need_yaml
	server_start 6
	fake_path
	mkdir data
	make_list data/urls.txt
	read -r _ n _ <<<"$(k8s mode)"
	# The volume's /data is a directory here.
	k8s script | sed "s#/data/#$BATS_TEST_TMPDIR/data/#g" >job.sh
	for ((k = 0; k < n; k++)); do
		JOB_COMPLETION_INDEX=$k run timeout -k 5 60 sh job.sh
		[ "$status" -eq 0 ] || fail "index $k: exit $status"
		[ -s "data/stats-$k.json" ] || fail "index $k: no stats"
	done
	covered data "$n"
}

@test "k8s-indexed-job.yaml: its command passes SIGTERM on to trawl, which stops cleanly with 143" {
	need_yaml
	server_start 1
	fake_path
	mkdir data
	url 1 /stall >data/urls.txt
	k8s script | sed "s#/data/#$BATS_TEST_TMPDIR/data/#g" >job.sh
	# The index whose shard holds the host: the other shards end at once.
	read -r _ n _ <<<"$(k8s mode)"
	for ((k = 0; k < n; k++)); do
		"$TRAWL" -q --shard "$k/$n" --no-robots -t 1 -e probe.jsonl \
		    data/urls.txt >/dev/null || true
		[ -s probe.jsonl ] && break
	done
	JOB_COMPLETION_INDEX=$k sh job.sh &
	pid=$!
	# Until the page's request is in flight (the server's /__stats).
	for ((i = 0; i < 100; i++)); do
		n=$("$PYTHON" -c 'import json, sys, urllib.request as u
o = u.build_opener(u.ProxyHandler({}))
print(json.load(o.open(sys.argv[1], timeout=5))["inflight_total"])' \
		    "http://${HOST[1]}:$PORT/__stats" 2>/dev/null) || n=0
		[ "${n:-0}" -ge 1 ] && break
		sleep 0.1
	done
	[ "${n:-0}" -ge 1 ] || fail "no request in flight after 10 s"
	start=$SECONDS
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 143 ] || fail "exit $rc, not 143"
	[ $((SECONDS - start)) -le 10 ] || fail "took $((SECONDS - start)) s"
	run check kinds "data/errors-$k.jsonl"
	assert_output "interrupted 1"
}

@test "slurm-array.sbatch, run for every array task, covers the list once" {
	server_start 6
	fake_path
	mkdir shared
	make_list shared/urls.txt
	max=$(sed -n 's/^#SBATCH --array=0-\([0-9][0-9]*\)$/\1/p' \
	    "$DEPLOY/slurm-array.sbatch")
	cd shared
	for ((k = 0; k <= max; k++)); do
		SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_MAX=$max \
		    run timeout -k 5 60 bash "$DEPLOY/slurm-array.sbatch"
		# 1: some URLs gave error records (the bad lines, in task 0).
		[ "$status" -eq 0 ] || [ "$status" -eq 1 ] ||
		    fail "task $k: exit $status"
	done
	cd ..
	covered shared $((max + 1))
}

@test "parallel.sh, run here by a stand-in for parallel, covers the list once" {
	server_start 6
	fake_path
	# GNU parallel's options in parallel.sh are taken and ignored; every
	# job runs here, one after the other.
	cat >bin/parallel <<'SH'
#!/bin/bash
while [ $# -gt 0 ]; do
	case $1 in
	-j|-S|--transferfile|--return) shift 2 ;;
	-*) echo "stand-in parallel: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
cmd=
while [ $# -gt 0 ] && [ "$1" != ::: ]; do
	cmd="$cmd $1"
	shift
done
shift
rc=0
for v in "$@"; do
	sh -c "${cmd//\{\}/$v}" || rc=$?
done
exit $rc
SH
	chmod +x bin/parallel
	mkdir home
	make_list home/urls.txt
	n=$(sed -n 's#.*--shard {}/\([0-9][0-9]*\) .*#\1#p' "$DEPLOY/parallel.sh")
	cd home
	run timeout -k 5 120 sh "$DEPLOY/parallel.sh"
	[ "$status" -eq 0 ] || [ "$status" -eq 1 ] || fail "exit $status"
	cd ..
	covered home "$n"
}

# ---- a shard with nothing to do -----------------------------------------

@test "a shard that gets no URL still leaves compressed files that zstd and gzip read (--state)" {
	server_start 1
	url 1 /page/0 >urls.txt
	# The one host falls in one shard of 2; run the other.
	run_trawl --shard 0/2 -o probe.jsonl urls.txt
	[ -s probe.jsonl ] && k=1 || k=0
	run_trawl --shard "$k/2" --state state.db -o corpus.jsonl.zst \
	    -e errors.jsonl.gz urls.txt
	assert_success
	zstd -q -t corpus.jsonl.zst || fail "corpus.jsonl.zst ($(stat -c %s corpus.jsonl.zst) bytes) is not a zstd file"
	gzip -t errors.jsonl.gz || fail "errors.jsonl.gz ($(stat -c %s errors.jsonl.gz) bytes) is not a gzip file"
}
