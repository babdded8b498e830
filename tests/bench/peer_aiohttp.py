#!/usr/bin/python3
"""The asyncio + aiohttp + lxml scraper that async-Python tutorials teach.

usage: peer_aiohttp.py -j JOBS -p PER_HOST -o OUT.jsonl URLFILE

Written the way the tutorials write it, not tuned: one ClientSession with
a TCPConnector(limit=JOBS, limit_per_host=PER_HOST), a global
asyncio.Semaphore(JOBS) and one asyncio.Semaphore(PER_HOST) per host, one
task per URL gathered with asyncio.gather, lxml.html parsing with script,
style and noscript removed, the paragraphs' text_content() (the body's
text when a page has no <p>), and one JSONL record per URL: url, title,
text, status, and error when the fetch failed.

The body is taken with resp.read() and handed to lxml as bytes, so lxml
finds the <meta charset> itself (resp.text() on a response without a
charset in Content-Type would first run aiohttp's charset detection over
the whole body, which the tutorials' pages never have to pay for).
"""
import argparse
import asyncio
import json
import sys
from urllib.parse import urlsplit

import aiohttp
import lxml.html


def extract(body):
    doc = lxml.html.fromstring(body)
    for bad in doc.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    title = (doc.findtext(".//title") or "").strip()
    paras = (p.text_content().strip() for p in doc.iter("p"))
    text = "\n".join(p for p in paras if p)
    if not text:
        text = " ".join(doc.text_content().split())
    return title, text


async def fetch(session, url, sem, host_sems, per_host, out, counts):
    host = urlsplit(url).netloc
    hsem = host_sems.get(host)
    if hsem is None:
        hsem = host_sems[host] = asyncio.Semaphore(per_host)
    async with sem, hsem:
        try:
            async with session.get(url) as resp:
                status = resp.status
                body = await resp.read()
            title, text = extract(body)
            rec = {"url": url, "title": title, "text": text, "status": status}
            counts["ok"] += 1
        except Exception as e:  # record it and go on, as the tutorials do
            rec = {"url": url, "title": "", "text": "", "status": 0,
                   "error": f"{type(e).__name__}: {e}"}
            counts["err"] += 1
    out.write(json.dumps(rec, ensure_ascii=False) + "\n")


async def main(args):
    with open(args.urlfile) as f:
        urls = [line.strip() for line in f if line.strip()]
    sem = asyncio.Semaphore(args.jobs)
    host_sems = {}
    counts = {"ok": 0, "err": 0}
    connector = aiohttp.TCPConnector(limit=args.jobs,
                                     limit_per_host=args.per_host)
    timeout = aiohttp.ClientTimeout(total=30)
    with open(args.output, "w", encoding="utf-8") as out:
        async with aiohttp.ClientSession(connector=connector,
                                         timeout=timeout) as session:
            await asyncio.gather(*(fetch(session, u, sem, host_sems,
                                         args.per_host, out, counts)
                                   for u in urls))
    print(f"peer_aiohttp: {counts['ok']} pages, {counts['err']} errors",
          file=sys.stderr)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("-j", "--jobs", type=int, default=64)
    ap.add_argument("-p", "--per-host", type=int, default=4)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("urlfile")
    asyncio.run(main(ap.parse_args()))
