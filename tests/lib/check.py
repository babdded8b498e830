#!/usr/bin/env python3
"""
Checks for trawl's bats tests: JSONL output files and the fixture server's
request log.  Each subcommand prints what it found and exits 1 (with the
reason) when a check fails.

  jsonl FILE              every line is one strict JSON object, the file is
                          valid UTF-8 ending in a newline, no string holds a
                          lone surrogate or a raw control byte; prints the
                          number of lines
  docs FILE               jsonl, plus the document schema of DESIGN.md
                          (keys and their order, types; extra keys may
                          follow DESIGN.md's); prints the count
  errors FILE             jsonl, plus the error record schema; prints count
  urls FILE               the url field of each line, one a line
  get FILE URL KEY        KEY of the one record whose url is URL (strings
                          raw, other values as JSON); fails if not exactly one
  kinds FILE              "KIND COUNT" per error kind, sorted
  normalise FILE          each record without "added", keys sorted, lines
                          sorted: for comparing runs
  count LOG REGEX         requests (not /robots.txt) whose path matches
  conc LOG [EPS]          the most requests (not /robots.txt) in flight at
                          once to one address, and in total, from the logged
                          intervals; an overlap shorter than EPS seconds
                          (default 0.05) is not counted, since the server logs
                          an end a moment after the client may have seen it
  gaps LOG ADDR           n, the smallest gap between consecutive request
                          starts to ADDR (not /robots.txt), and the span
                          from the first to the last start
  ended-before LOG ADDR   the latest end of a request to any other address,
                          and the last start to ADDR
  idle ADDR PORT [SECS]   wait until the fixture server at ADDR:PORT has no
                          request in flight (its /__stats), at most SECS
                          (default 10); fails if it stays busy
"""

import json
import re
import sys

DOC_KEYS = ["id", "url", "final_url", "status", "added", "source",
            "content_type", "lang", "title", "words", "text"]
ERR_KEYS = ["url", "error", "detail", "status", "attempts", "at"]
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def die(msg):
    print(msg)
    sys.exit(1)


def walk_strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from walk_strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from walk_strings(x)


def no_constant(name):
    raise ValueError(f"non-standard constant {name}")


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        die(f"{path}: invalid UTF-8 at byte {e.start}: {raw[max(0, e.start - 20):e.start + 20]!r}")
    if text and not text.endswith("\n"):
        die(f"{path}: last line has no newline")
    recs = []
    for n, line in enumerate(text.split("\n")[:-1], 1):
        try:
            # strict=True (the default) rejects raw control characters.
            obj = json.loads(line, object_pairs_hook=list,
                             parse_constant=no_constant)
        except ValueError as e:
            die(f"{path}:{n}: not JSON ({e}): {line[:200]!r}")
        if not isinstance(obj, list):
            die(f"{path}:{n}: not an object: {line[:200]!r}")
        for s in walk_strings(dict(obj)):
            try:
                s.encode("utf-8")
            except UnicodeEncodeError:
                die(f"{path}:{n}: a string holds a lone surrogate: {s[:100]!r}")
        keys = [k for k, _ in obj]
        if len(set(keys)) != len(keys):
            die(f"{path}:{n}: duplicate keys {keys}")
        recs.append((n, keys, dict(obj)))
    return recs


def check_types(path, n, rec, spec):
    for k, types in spec.items():
        if not isinstance(rec[k], types) or isinstance(rec[k], bool):
            die(f"{path}:{n}: {k} has type {type(rec[k]).__name__}: "
                f"{str(rec[k])[:100]!r}")


def cmd_jsonl(path):
    print(len(load(path)))


def cmd_docs(path):
    recs = load(path)
    for n, keys, r in recs:
        # DESIGN.md's keys, in its order; optional extra keys may follow.
        if keys[:len(DOC_KEYS)] != DOC_KEYS:
            die(f"{path}:{n}: keys {keys}, want {DOC_KEYS} first")
        check_types(path, n, r, {
            "id": str, "url": str, "final_url": str, "status": int,
            "added": str, "source": str, "content_type": str,
            "lang": (str, type(None)), "title": (str, type(None)),
            "words": int, "text": str})
        if not re.fullmatch(r"[0-9a-f]{8,}", r["id"]):
            die(f"{path}:{n}: id is not hex: {r['id']!r}")
        if not TIME_RE.match(r["added"]):
            die(f"{path}:{n}: added is not an RFC 3339 UTC time: {r['added']!r}")
        if r["words"] < 0:
            die(f"{path}:{n}: words < 0")
    print(len(recs))


def cmd_errors(path):
    recs = load(path)
    for n, keys, r in recs:
        if keys != ERR_KEYS:
            die(f"{path}:{n}: keys {keys}, want {ERR_KEYS}")
        check_types(path, n, r, {
            "url": str, "error": str, "detail": (str, type(None)),
            "status": int, "attempts": int, "at": str})
        if not TIME_RE.match(r["at"]):
            die(f"{path}:{n}: at is not an RFC 3339 UTC time: {r['at']!r}")
    print(len(recs))


def cmd_urls(path):
    for _, _, r in load(path):
        print(r.get("url"))


def cmd_get(path, url, key):
    hits = [r for _, _, r in load(path) if r.get("url") == url]
    if len(hits) != 1:
        die(f"{path}: {len(hits)} records for {url}")
    v = hits[0].get(key)
    print(v if isinstance(v, str) else json.dumps(v))


def cmd_kinds(path):
    kinds = {}
    for _, _, r in load(path):
        kinds[r.get("error")] = kinds.get(r.get("error"), 0) + 1
    for k in sorted(kinds, key=str):
        print(k, kinds[k])


def cmd_normalise(path):
    lines = []
    for _, _, r in load(path):
        r.pop("added", None)
        lines.append(json.dumps(r, sort_keys=True, ensure_ascii=False))
    for line in sorted(lines):
        print(line)


def read_log(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["path"].split("?")[0] == "/robots.txt":
                continue
            out.append(r)
    return out


def cmd_count(path, regex):
    print(sum(1 for r in read_log(path) if re.search(regex, r["path"])))


def max_overlap(recs, eps):
    """Most intervals open at one start, ignoring overlaps under eps."""
    best = 0
    for r in recs:
        n = sum(1 for q in recs
                if q is r or (q["t0"] <= r["t0"] and q["t1"] > r["t0"] + eps))
        best = max(best, n)
    return best


def cmd_conc(path, eps="0.05"):
    recs = read_log(path)
    eps = float(eps)
    by = {}
    for r in recs:
        by.setdefault(r["addr"], []).append(r)
    host = max((max_overlap(v, eps) for v in by.values()), default=0)
    total = max_overlap(recs, eps)
    raw_host = max((r["inflight_host"] for r in recs), default=0)
    raw_total = max((r["inflight_total"] for r in recs), default=0)
    print(f"{host} {total} (server counters, robots.txt included: "
          f"{raw_host} {raw_total})")


def cmd_gaps(path, addr):
    t = sorted(r["t0"] for r in read_log(path) if r["addr"] == addr)
    if len(t) < 2:
        die(f"{len(t)} requests to {addr}")
    gaps = [b - a for a, b in zip(t, t[1:])]
    print(f"{len(t)} {min(gaps):.4f} {t[-1] - t[0]:.4f}")


def cmd_ended_before(path, addr):
    recs = read_log(path)
    mine = [r["t0"] for r in recs if r["addr"] == addr]
    other = [r["t1"] for r in recs if r["addr"] != addr]
    if not mine or not other:
        die("no requests")
    print(f"{max(other):.4f} {max(mine):.4f}")


def cmd_idle(addr, port, secs="10"):
    import time
    import urllib.request
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    end = time.monotonic() + float(secs)
    last = None
    while time.monotonic() < end:
        try:
            with opener.open(f"http://{addr}:{port}/__stats", timeout=2) as r:
                last = json.load(r)
            if last["inflight_total"] == 0:
                return
        except OSError as e:
            last = str(e)
        time.sleep(0.05)
    die(f"fixture server still busy after {secs} s: {last}")


def main():
    if len(sys.argv) < 2:
        die(__doc__)
    name = "cmd_" + sys.argv[1].replace("-", "_")
    fn = globals().get(name)
    if fn is None:
        die(f"unknown subcommand {sys.argv[1]}")
    try:
        fn(*sys.argv[2:])
    except TypeError as e:
        die(f"usage: {e}")


if __name__ == "__main__":
    main()
