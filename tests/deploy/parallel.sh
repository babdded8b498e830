#!/bin/sh
# trawl on a few machines over ssh with GNU parallel: the URL list cut into
# 4 shards by host (trawl --shard K/4), two shards on each of host1 and
# host2.  Each machine needs trawl on its PATH; parallel copies urls.txt
# to it (--transferfile), and each shard's corpus and errors come back here
# (--return).  The state stays on the machine that ran the shard, so run
# the same line again to resume it.
parallel -j 2 -S host1,host2 --transferfile urls.txt --return corpus-{}.jsonl.zst --return errors-{}.jsonl trawl -q --shard {}/4 --state state-{}.db -o corpus-{}.jsonl.zst -e errors-{}.jsonl urls.txt ::: $(seq 0 3)
