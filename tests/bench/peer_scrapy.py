#!/usr/bin/python3
"""A plain Scrapy spider over a URL list, the way its docs write one.

usage: peer_scrapy.py -j JOBS -p PER_HOST -o OUT.jsonl URLFILE

CONCURRENT_REQUESTS=JOBS, CONCURRENT_REQUESTS_PER_DOMAIN=PER_HOST (the
"domain" is the URL's host, here a distinct 127.0.0.N each), no download
delay, robots.txt not obeyed, log level WARNING, items written as JSON
lines through FEEDS. The spider keeps the title and the text of the
paragraphs (script and style text excluded); a failed request becomes an
item with its error, so there is one record per URL.
"""
import argparse

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import TextResponse

PARA_TEXT = ".//text()[not(ancestor::script) and not(ancestor::style)]"


class PagesSpider(scrapy.Spider):
    name = "pages"

    def __init__(self, urlfile=None, **kw):
        super().__init__(**kw)
        self.urlfile = urlfile

    def start_requests(self):
        with open(self.urlfile) as f:
            for line in f:
                url = line.strip()
                if url:
                    yield scrapy.Request(url, callback=self.parse,
                                         errback=self.failed,
                                         dont_filter=True)

    def parse(self, response):
        title = text = ""
        if isinstance(response, TextResponse):
            title = (response.xpath("//title/text()").get() or "").strip()
            paras = (" ".join(" ".join(p.xpath(PARA_TEXT).getall()).split())
                     for p in response.xpath("//p"))
            text = "\n".join(p for p in paras if p)
        yield {"url": response.request.url, "title": title, "text": text,
               "status": response.status}

    def failed(self, failure):
        resp = getattr(failure.value, "response", None)
        yield {"url": failure.request.url, "title": "", "text": "",
               "status": resp.status if resp is not None else 0,
               "error": repr(failure.value)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("-j", "--jobs", type=int, default=64)
    ap.add_argument("-p", "--per-host", type=int, default=4)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("urlfile")
    a = ap.parse_args()
    process = CrawlerProcess(settings={
        "CONCURRENT_REQUESTS": a.jobs,
        "CONCURRENT_REQUESTS_PER_DOMAIN": a.per_host,
        "DOWNLOAD_DELAY": 0,
        "ROBOTSTXT_OBEY": False,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True,
        "DOWNLOAD_TIMEOUT": 30,
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "FEEDS": {a.output: {"format": "jsonlines", "encoding": "utf8",
                             "overwrite": True}},
    })
    process.crawl(PagesSpider, urlfile=a.urlfile)
    process.start()
