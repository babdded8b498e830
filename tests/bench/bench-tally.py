#!/usr/bin/python3
"""Helpers for tests/bench/bench-fetch and bench-memory.

bench-tally.py check URLFILE OUT.jsonl [ERR.jsonl]
    Check that the JSONL output holds exactly one valid JSON document per
    URL of URLFILE (over OUT and ERR together). Prints one tab-separated
    line: docs errors invalid missing dupes error-kinds
    (docs: records without an "error" key; errors: records with one or in
    ERR; invalid: lines that are not a JSON object with a "url"; missing:
    URLs with no record; dupes: URLs with more than one).

bench-tally.py report RESULTS.tsv SCENARIO TITLE
    Print the table of SCENARIO's rows (medians over repetitions) and, on
    the last line, the ratios of trawl to each peer. "nginx CPU" is the
    server's CPU seconds during the run, "other CPU" the CPU seconds of
    every other process on the machine then (a shared machine's noise).

bench-tally.py ratelog ACCESS.log RATE URLS_PER_HOST
    From an nginx access log of "$msec $server_addr $request_time ..."
    lines, print how the starts of the requests to each host were spaced,
    against the ideal of the rate.
"""
import collections
import json
import statistics
import sys


def check(urlfile, out, err=None):
    with open(urlfile) as f:
        want = set(line.strip() for line in f if line.strip())
    seen = collections.Counter()
    docs = errs = invalid = 0
    kinds = collections.Counter()
    for path, is_err in ((out, False), (err, True)):
        if not path:
            continue
        try:
            f = open(path, "rb")
        except OSError:
            continue
        with f:
            for raw in f:
                try:
                    rec = json.loads(raw)
                    url = rec["url"]
                except (ValueError, KeyError, TypeError):
                    invalid += 1
                    continue
                if not isinstance(rec, dict):
                    invalid += 1
                    continue
                seen[url] += 1
                st = rec.get("status", 200)
                if is_err or "error" in rec or st != 200:
                    errs += 1
                    k = str(rec.get("error", f"status {st}"))
                    k = k.split(":")[0].split("(")[0].strip() or "?"
                    kinds[k] += 1
                else:
                    docs += 1
    missing = len(want - set(seen))
    dupes = sum(1 for u, n in seen.items() if n > 1)
    extra = sum(1 for u in seen if u not in want)
    kind = ",".join(f"{k}={n}" for k, n in kinds.most_common(4)) or "-"
    if extra:
        kind += f",not_in_input={extra}"
    print(f"{docs}\t{errs}\t{invalid}\t{missing}\t{dupes}\t{kind}")


FIELDS = ("scenario tool rep urls wall user sys rss exit docs errs invalid "
          "missing dupes kinds ngcpu othcpu").split()


def fnum(x):
    try:
        return float(x)
    except ValueError:
        return None


def report(results, scenario, title):
    rows = collections.OrderedDict()
    with open(results) as f:
        for line in f:
            v = line.rstrip("\n").split("\t")
            if len(v) != len(FIELDS):
                continue
            r = dict(zip(FIELDS, v))
            if r["scenario"] != scenario:
                continue
            rows.setdefault(r["tool"], []).append(r)
    print()
    print(f"== {title}")
    hdr = (f"{'tool':<14} {'runs':>4} {'wall s':>8} {'pages/s':>9} "
           f"{'CPU s':>8} {'CPU s/1k':>9} {'RSS MB':>8} {'nginx CPU':>9} "
           f"{'other CPU':>9}  "
           f"{'records (ok/err/bad/missing/dup)':<33} {'exit':<6} "
           f"wall per run")
    print(hdr)
    print("-" * len(hdr))
    med = {}
    for tool, rs in rows.items():
        urls = int(rs[0]["urls"])
        wall = statistics.median(float(r["wall"]) for r in rs)
        cpu = statistics.median(float(r["user"]) + float(r["sys"])
                                for r in rs)
        rss = statistics.median(float(r["rss"]) for r in rs) / 1024
        ng = statistics.median(float(r["ngcpu"]) for r in rs)
        oth = statistics.median(float(r["othcpu"]) for r in rs)
        pps = urls / wall if wall > 0 else 0
        cpk = cpu / urls * 1000
        med[tool] = (pps, cpk)
        if rs[0]["docs"] == "-":
            recs = "- (no output to check)"
        else:
            def one(k):
                vals = sorted(set(r[k] for r in rs), key=lambda s: int(s))
                return "|".join(vals)
            recs = "/".join(one(k) for k in
                            ("docs", "errs", "invalid", "missing", "dupes"))
            bad = [r for r in rs if r["invalid"] != "0" or
                   r["missing"] != "0" or r["dupes"] != "0"]
            recs += " ok" if not bad else " FAIL"
        exits = "|".join(sorted(set(r["exit"] for r in rs)))
        walls = " ".join(f"{float(r['wall']):.2f}" for r in rs)
        print(f"{tool:<14} {len(rs):>4} {wall:>8.2f} {pps:>9.0f} {cpu:>8.2f} "
              f"{cpk:>9.3f} {rss:>8.1f} {ng:>9.2f} {oth:>9.2f}  {recs:<33} {exits:<6} "
              f"{walls}")
    kinds = collections.OrderedDict()
    for tool, rs in rows.items():
        ks = sorted(set(r["kinds"] for r in rs if r["kinds"] not in ("-", "")))
        if ks:
            kinds[tool] = " | ".join(ks)
    for tool, k in kinds.items():
        print(f"  errors of {tool}: {k}")
    trawls = [t for t in med if t.startswith("trawl")]
    peers = [t for t in med if not t.startswith("trawl")]
    if trawls and peers:
        t = trawls[0]
        parts = []
        for p in peers:
            tp, tc = med[t]
            pp, pc = med[p]
            sp = tp / pp if pp else float("inf")
            cr = tc / pc if pc else float("inf")
            parts.append(f"vs {p}: {sp:.2f}x pages/s, {cr:.3f}x CPU/page")
        print(f"ratios {t}: " + "; ".join(parts))
    elif len(trawls) >= 2:
        a, b = trawls[0], trawls[-1]
        print(f"scaling: {b} / {a} = {med[b][0] / med[a][0]:.2f}x pages/s, "
              f"{med[b][1] / med[a][1]:.2f}x CPU/page")


def ratelog(log, rate, per_host_urls):
    """Per-host request times from nginx's access log ($msec $server_addr
    $request_time): $msec is when the response ended, so the start of a
    request is $msec - $request_time (when that field is there)."""
    rate = float(rate)
    times = collections.defaultdict(list)
    with open(log) as f:
        for line in f:
            v = line.split()
            if len(v) >= 2:
                t = float(v[0])
                try:
                    t -= float(v[2])
                except (IndexError, ValueError):
                    pass
                times[v[1]].append(t)
    if not times:
        print("  access log: no requests logged")
        return
    spans, mingaps, burst = [], [], 0
    for ts in times.values():
        ts.sort()
        spans.append(ts[-1] - ts[0])
        gaps = [b - a for a, b in zip(ts, ts[1:])]
        if gaps:
            mingaps.append(min(gaps))
        # most requests seen in any window of 1/rate seconds
        j = 0
        for i in range(len(ts)):
            while ts[i] - ts[j] >= 1 / rate:
                j += 1
            burst = max(burst, i - j + 1)
    t0 = min(t[0] for t in times.values())
    t1 = max(t[-1] for t in times.values())
    n = sum(len(t) for t in times.values())
    ideal = (int(per_host_urls) - 1) / rate
    print(f"  access log: {n} requests on {len(times)} hosts over "
          f"{t1 - t0:.2f} s; per-host first-to-last span median "
          f"{statistics.median(spans):.2f} s (min {min(spans):.2f}, max "
          f"{max(spans):.2f}; ideal {ideal:.2f}); smallest gap between two "
          f"requests to one host {min(mingaps) * 1000:.0f} ms "
          f"(1/rate = {1000 / rate:.0f} ms); most requests to one host in "
          f"any {1000 / rate:.0f} ms window: {burst}")


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "check":
        check(*sys.argv[2:5])
    elif len(sys.argv) == 5 and sys.argv[1] == "ratelog":
        ratelog(*sys.argv[2:5])
    elif len(sys.argv) == 5 and sys.argv[1] == "report":
        report(*sys.argv[2:5])
    else:
        sys.exit(__doc__)
