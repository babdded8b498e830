#!/usr/bin/env python3
"""
Hostile pages for trawl's fault tests (tests/faults.bats), Python 3
standard library only.  A companion to server.py for the scenarios it
does not have; it listens on one loopback address.

Usage:
    python3 hostile.py --addr 127.0.0.9 --port-file FILE [--log FILE]
        [--robots-status CODE] [--robots FILE]

Scenarios, chosen by path:
  /gzip-bomb/MB     Content-Encoding: gzip, chunked, a body of MB megabytes
                    of zeros once inflated (about 1 KB of gzip per MB),
                    made as it is sent; a client that stops inflating at
                    its size cap hangs up long before the end
  /nested/N         an HTML page with N nested <div>s around a paragraph,
                    and text after them
  /stray/N          an HTML page with N unclosed <x> elements around a
                    paragraph, then N stray </y> end tags and text after
  /big-attr/BYTES   an HTML page whose first <div> has an attribute value
                    of BYTES bytes, then paragraphs of text
  /page/N           a small HTML article naming N
  /robots.txt       --robots FILE with 200, or else a small body with
                    status --robots-status (default 404; e.g. 503)

The log (--log) gets one JSON line per request: path, bytes (body bytes
written, before chunk framing), error (null, or why the response was
cut), t0, t1 (time.monotonic).
"""

import argparse
import http.server
import json
import os
import socket
import sys
import threading
import time
import zlib

LOCK = threading.Lock()
LOGF = None
ROBOTS_STATUS = 404
ROBOTS = None

TEXT = ("The hostile server still has something to say in this paragraph, "
        "with enough ordinary words for an extractor to keep it as text. ")


def page(title, body):
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title></head><body>{body}</body></html>\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "trawl-hostile/1"
    sys_version = ""
    timeout = 60

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        self.sent = 0
        t0 = time.monotonic()
        err = None
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError,
                socket.timeout, TimeoutError) as e:
            err = type(e).__name__
            self.close_connection = True
        except OSError as e:
            err = f"OSError {e.errno}"
            self.close_connection = True
        finally:
            rec = {"path": self.path, "bytes": self.sent, "error": err,
                   "t0": t0, "t1": time.monotonic()}
            with LOCK:
                if LOGF is not None:
                    LOGF.write(json.dumps(rec) + "\n")
                    LOGF.flush()

    def send_html(self, text):
        data = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.sent += len(data)

    def route(self):
        parts = [p for p in self.path.split("?")[0].split("/") if p]
        head = parts[0] if parts else ""
        arg = parts[1] if len(parts) > 1 else "0"
        if self.path.split("?")[0] == "/robots.txt":
            if ROBOTS is not None:
                code, data, ctype = 200, ROBOTS, "text/plain"
            else:
                code, data, ctype = ROBOTS_STATUS, b"<p>robots</p>\n", \
                    "text/html"
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.sent += len(data)
        elif head == "gzip-bomb":
            self.gzip_bomb(int(arg))
        elif head == "nested":
            n = int(arg)
            body = ("<div>" * n + "<p>" + TEXT + "Deep inside.</p>"
                    + "</div>" * n + "<main><p>" + TEXT
                    + "After the nesting.</p></main>")
            self.send_html(page(f"Nested {n}", body))
        elif head == "stray":
            n = int(arg)
            body = ("<p>" + TEXT + "Before the tags.</p>" + "<x>" * n
                    + "<p>" + TEXT + "Deep inside.</p>" + "</y>" * n
                    + "<p>" + TEXT + "After the tags.</p>")
            self.send_html(page(f"Stray {n}", body))
        elif head == "big-attr":
            n = int(arg)
            body = ('<div data-x="' + "a" * n + '">' + "<p>" + TEXT
                    + "After the attribute.</p></div><main><p>" + TEXT
                    + "Second paragraph.</p></main>")
            self.send_html(page(f"Big attribute {n}", body))
        elif head == "page":
            self.send_html(page(f"Hostile page {arg}",
                                f"<main><p>{TEXT} Page {arg}.</p></main>"))
        else:
            data = b"<p>not found</p>\n"
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    def chunk(self, data):
        if data:
            self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")
            self.sent += len(data)

    def gzip_bomb(self, mb):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        self.chunk(c.compress(b"<!DOCTYPE html><html><head><title>Bomb"
                              b"</title></head><body><p>"))
        zeros = b"0" * (1 << 20)
        for _ in range(mb):
            self.chunk(c.compress(zeros))
            self.chunk(c.flush(zlib.Z_SYNC_FLUSH))
        self.chunk(c.compress(b"</p></body></html>\n") + c.flush())
        self.wfile.write(b"0\r\n\r\n")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def handle_error(self, request, client_address):
        pass


def main():
    global LOGF, ROBOTS, ROBOTS_STATUS
    ap = argparse.ArgumentParser(description="hostile pages for trawl tests")
    ap.add_argument("--addr", default="127.0.0.9")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--robots-status", type=int, default=404)
    ap.add_argument("--robots", help="robots.txt FILE, served with 200")
    args = ap.parse_args()
    ROBOTS_STATUS = args.robots_status
    if args.robots:
        with open(args.robots, "rb") as f:
            ROBOTS = f.read()
    if not args.addr.startswith("127."):
        ap.error("only loopback addresses")
    if args.log:
        LOGF = open(args.log, "a", encoding="utf-8")
    srv = Server((args.addr, args.port), Handler)
    port = srv.server_address[1]
    if args.port_file:
        tmp = f"{args.port_file}.tmp.{os.getpid()}"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.rename(tmp, args.port_file)
    else:
        print(port, flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
