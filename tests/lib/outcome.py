#!/usr/bin/env python3
"""
One-pass checks of a trawl run for tests/faults.bats, tests/robots.bats
and tests/signals.bats (one Python start instead of many: check.py's
subcommands each cost a process).

  outcome.py OUT ERR URLS [SPEC]

OUT and ERR are the corpus and errors files (a missing ERR counts as
empty), URLS the input list (one URL a line, as trawl normalises them).
Checks, failing with exit 1 and the reason:
  - OUT has check.py's document schema and ERR its error-record schema
    (valid UTF-8, whole lines, strict JSON);
  - no string of any record holds a NUL or another C0 control character
    other than tab and newline;
  - accounting: every URL of URLS has exactly one record, a document or
    an error, and there is no record for any other URL;
  - SPEC, if given, has lines "OUTCOME URL": OUTCOME is "document", an
    error kind, or several of these joined by "|"; every URL of URLS not
    in SPEC must be a document, unless a line "OUTCOME *" gives another
    default.
Prints one line per URL of URLS: "URL OUTCOME STATUS ATTEMPTS" (attempts
- for documents), in input order.
"""

import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check  # noqa: E402


def die(msg):
    print(msg)
    sys.exit(1)


def schema(fn, path):
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            fn(path)
    except SystemExit:
        die(buf.getvalue().strip())
    return [r for _, _, r in check.load(path)]


def main():
    if len(sys.argv) not in (4, 5):
        die(__doc__)
    out, err, urls = sys.argv[1:4]
    docs = schema(check.cmd_docs, out) if os.path.exists(out) else []
    errs = schema(check.cmd_errors, err) if os.path.exists(err) else []
    for r in docs + errs:
        for s in check.walk_strings(r):
            bad = [hex(ord(c)) for c in s if ord(c) < 32 and c not in "\t\n"]
            if bad:
                die(f"{r.get('url')}: control characters {bad[:8]} in a string")
    with open(urls, encoding="utf-8") as f:
        want = [line.strip() for line in f if line.strip()]
    got = {}
    for r in docs:
        got.setdefault(r["url"], []).append(("document", r["status"], "-"))
    for r in errs:
        got.setdefault(r["url"], []).append((r["error"], r["status"],
                                             r["attempts"]))
    problems = []
    for u in sorted(set(got) - set(want)):
        problems.append(f"record for a URL not in the input: {u}")
    for u in want:
        n = len(got.get(u, []))
        if n != 1:
            problems.append(f"{n} records for {u}: {got.get(u)}")
    spec = {}
    default = ["document"]
    if len(sys.argv) == 5:
        with open(sys.argv[4], encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    kind, u = line.split(None, 1)
                    if u.strip() == "*":
                        default = kind.split("|")
                    else:
                        spec[u.strip()] = kind.split("|")
    for u in want:
        recs = got.get(u, [])
        ok = spec.get(u, default)
        if recs and recs[0][0] not in ok:
            problems.append(f"{u}: got {recs[0][0]}, want {'|'.join(ok)}")
    for u in want:
        for kind, status, attempts in got.get(u, []):
            print(u, kind, status, attempts)
    if problems:
        print("\n".join(problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
