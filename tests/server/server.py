#!/usr/bin/env python3
"""
trawl's fixture HTTP/1.1 server for loopback tests (Python 3 standard
library only).

It listens on one port on several 127.0.0.x addresses, so that each
address is a distinct "host" for trawl's politeness rules, and logs every
request as one JSON line with its start and end times and the number of
requests in flight to that address and in total when it started.  Tests
read the log to assert politeness (--per-host, --jobs, --rate).

Usage:
    python3 server.py --addr 127.0.0.2 --addr 127.0.0.3 [--port 0]
        [--port-file FILE] [--pid-file FILE] [--log FILE]
        [--robots FILE | --robots ADDR=FILE ...] [--robots-delay MS]
        [--docroot DIR]
        [--vhost ADDR=DIR ...]

With --port 0 (the default) the first address is bound to a free port and
the others to the same port (retrying with another port if one of them is
taken).  The port is written to --port-file (atomically, by rename) once
every listener is up: tests wait for that file.

Scenarios, chosen by path (sizes take K, M, G suffixes):
  /page/N                 small HTML article naming N, with nav/header/
                          footer/aside/script/style an extractor should drop
  /delay/MS[/...]         the page after MS milliseconds (holds a request in
                          flight, to make concurrency observable)
  /status/CODE            that status, with a small HTML body (none for
                          1xx/204/304)
  /ctype/TYPE             that Content-Type (TYPE is the rest of the path,
                          %-decoded, e.g. /ctype/application/pdf); an HTML
                          page if TYPE contains "html", otherwise a binary
                          body of ?size= bytes (default 2M)
  /big/BYTES              HTML body of exactly BYTES, with Content-Length
  /bigchunked/BYTES       the same, chunked, with no Content-Length
                          (also /big/BYTES?chunked=1)
  /gzip/BYTES             Content-Encoding: gzip, a highly compressible HTML
                          body of BYTES once decompressed (sent whatever the
                          request's Accept-Encoding; ?chunked=1 to chunk)
  /deflate/BYTES          the same with Content-Encoding: deflate
  /redirect/N             302 chain: /redirect/N -> /redirect/N-1 -> ... ->
                          /redirect/0, which is a page; ?rel=1 for relative
                          Locations, ?code=301|303|307|308
  /redirect-to?url=U      302 with Location: U verbatim (file:///etc/passwd,
                          ftp://..., another 127.0.0.x host); &code=
  /redirect-loop          302 to itself, forever
  /latin1-header          ISO-8859-1 page, charset in the Content-Type header
  /latin1-meta            ISO-8859-1 page, charset in <meta charset>
  /latin1-http-equiv      ISO-8859-1 page, charset in <meta http-equiv>
  /latin1-late-meta       ISO-8859-1, <meta charset> after 1 KB of head
  /utf8-header            UTF-8 page, charset in the header
  /utf8-meta              UTF-8 page, charset in <meta charset>
  /bad-utf8               declared UTF-8, with invalid byte sequences
  /bom                    UTF-8 with a byte order mark and no declaration
  /bom-utf16              UTF-16LE with a byte order mark
  /drip[/N]               N bytes (default 40) of HTML, one byte per
                          ?interval= seconds (default 1), with Content-Length
  /stall                  headers and half a page, then nothing (until the
                          client hangs up or 300 s)
  /stall-headers          accept the request, never answer
  /reset                  headers promising 100000 bytes, 2000 bytes of body,
                          then a TCP reset
  /truncated-chunked      chunked body whose final chunk never comes, then
                          the connection closes
  /lying-length           Content-Length 100000, 2000 bytes, then close
  /http09                 a page with no status line or headers (HTTP/0.9),
                          then close
  /bad-status-line        "HTTP/1.1 abc Weird" and a page, then close
  /nul                    binary bytes and NULs served as text/html
  /empty                  200 text/html with an empty body
  /204                    204 No Content
  /huge-headers[/BYTES]   BYTES (default 256K) of extra response headers in
                          4 KB lines, then a page
  /huge-header-line[/BYTES]  one response header line of BYTES (default 200K)
  /retry-after/CODE/SECS/N[/...]  the first N requests (per address and
                          path) get CODE (429 or 503) with Retry-After: SECS
                          (?date=1 for an HTTP-date), then the page
  /flaky/CODE/N[/...]     the first N requests get CODE, no Retry-After
  /cond/NAME              ETag and Last-Modified; 304 on a matching
                          If-None-Match or If-Modified-Since
  /links/N                a page with N links to /page/i
  /echo[/...]             a page whose text lists the request's headers
  /robots.txt             404, unless --robots FILE (all addresses) or
                          --robots ADDR=FILE (that address) gives one;
                          answered after --robots-delay MS (default 0)
  /__stats                JSON: requests in flight (total, by address) and
                          requests logged; not logged itself
  anything else           a file under the address's --vhost ADDR=DIR, or
                          else under --docroot (the bundled sample site is
                          served this way); a directory gives its
                          index.html; .html as text/html, but NAME.latin1.html
                          with charset=iso-8859-1 in the header; else 404

Log line keys: t0, t1 (time.monotonic at start and end), wall0, wall1
(time.time), addr (the address the request arrived on), port, host (the
Host header), method, path (with the query), ua, inm (If-None-Match), ims
(If-Modified-Since), ae (Accept-Encoding), inflight_host and inflight_total
(requests in flight to addr and in total when it started, itself
included), conn_seq (1 for the first request on a connection), status,
bytes (body bytes written), error (null, or why the response was cut).
"""

import argparse
import email.utils
import errno
import gzip
import http.server
import json
import os
import random
import select
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse
import zlib

LOCK = threading.Lock()
INFLIGHT = {}           # addr -> requests in flight
INFLIGHT_TOTAL = 0
LOGGED = 0
COUNTERS = {}           # (addr, path) -> requests seen, for retry-after/flaky
GZIP_CACHE = {}         # (encoding, size) -> compressed bytes
LOGF = None
ROBOTS = {}             # addr or "*" -> bytes
ROBOTS_DELAY = 0.0      # seconds before robots.txt is answered
DOCROOT = None
VHOSTS = {}             # addr -> document root

STALL_MAX = 300.0
MAX_BYTES = 8 << 30

LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do "
         "eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim "
         "ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut "
         "aliquip ex ea commodo consequat.")


def parse_size(s):
    mult = 1
    if s and s[-1] in "kKmMgG":
        mult = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[s[-1].lower()]
        s = s[:-1]
    n = int(s) * mult
    if n < 0 or n > MAX_BYTES:
        raise ValueError("size out of range")
    return n


def page_html(n, extra="", lang="en", charset_meta=True):
    n = str(n)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
{'<meta charset="utf-8">' if charset_meta else ''}
<title>Page {n}</title>
<style>body {{ font-family: sans-serif; }} .nav {{ color: red; }}</style>
<script>var tracking = "script text must not appear {n}";</script>
</head>
<body>
<header><div class="logo">Fixture Site Header</div></header>
<nav><ul><li><a href="/page/1">Home navigation</a></li>
<li><a href="/page/2">Archive navigation</a></li></ul></nav>
<main>
<article>
<h1>Article number {n}</h1>
<p>This is the first paragraph of page {n}. It talks about the fixture
server and the number {n}, which is this page's own number.</p>
<p>The second paragraph of page {n} adds a few more words, so that the
extractor has real sentences to keep and count.</p>
<p>A third paragraph closes page {n}.{extra}</p>
</article>
</main>
<aside>Related links sidebar text</aside>
<footer>Fixture footer copyright notice</footer>
</body>
</html>
"""


# Texts for the charset scenarios; tests look for these exact words.
CHARSET_TITLE = "Café Grüße"
CHARSET_BODY = ("Un café crème à la gare, s'il vous plaît. "
                "Herzliche Grüße aus Köln, schöne Straße. "
                "Año español, niño, señor.")


def charset_page(meta=""):
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
{meta}
<title>{CHARSET_TITLE}</title>
</head>
<body>
<nav>Menü</nav>
<main><p>{CHARSET_BODY}</p>
<p>Deuxième paragraphe: déjà vu, naïve façade.</p></main>
</body>
</html>
"""


def sized_html(size, title):
    """Yield an HTML document of exactly size bytes, in pieces."""
    head = (f"<!DOCTYPE html><html><head><title>{title}</title></head>"
            "<body><main>\n").encode()
    tail = b"\n</main></body></html>\n"
    block = ("<p>" + LOREM + "</p>\n").encode()
    if size < len(head) + len(tail):
        yield (head + tail)[:size]
        return
    yield head
    left = size - len(head) - len(tail)
    piece = block * (65536 // len(block))
    while left >= len(piece):
        yield piece
        left -= len(piece)
    while left >= len(block):
        yield block
        left -= len(block)
    if left:
        yield b" " * left
    yield tail


def compressed(encoding, size):
    key = (encoding, size)
    with LOCK:
        data = GZIP_CACHE.get(key)
    if data is not None:
        return data
    if encoding == "gzip":
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
    else:
        c = zlib.compressobj(9, zlib.DEFLATED, 15)
    out = []
    for piece in sized_html(size, f"Compressed {size}"):
        out.append(c.compress(piece))
    out.append(c.flush())
    data = b"".join(out)
    with LOCK:
        if len(GZIP_CACHE) > 16:
            GZIP_CACHE.clear()
        GZIP_CACHE[key] = data
    return data


def binary_body(size, ctype):
    rnd = random.Random(size)
    if "png" in ctype:
        first = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR"
    elif "pdf" in ctype:
        first = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    else:
        first = b""
    first = first[:size]
    yield first
    left = size - len(first)
    chunk = bytes(rnd.getrandbits(8) for _ in range(4096)) * 16
    while left > 0:
        piece = chunk[:left]
        yield piece
        left -= len(piece)


class Cut(Exception):
    """The response was cut on purpose (reset, close, lie)."""


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "trawl-fixture/1"
    sys_version = ""
    timeout = 120           # idle keep-alive connections go away

    def version_string(self):
        return self.server_version

    def setup(self):
        super().setup()
        self.conn_seq = 0

    def log_message(self, fmt, *args):
        pass

    # --- plumbing -------------------------------------------------------

    def do_GET(self):
        self.handle_any(body=True)

    def do_HEAD(self):
        self.handle_any(body=False)

    def do_POST(self):
        self.handle_any(body=True)

    def handle_any(self, body):
        global INFLIGHT_TOTAL, LOGGED
        self.want_body = body
        self.sent = 0
        self.status = 0
        self.conn_seq += 1
        addr, port = self.connection.getsockname()[:2]
        self.addr = addr
        self.port = port
        path = self.path
        if path.startswith("/__stats"):
            with LOCK:
                d = {"inflight_total": INFLIGHT_TOTAL,
                     "inflight": dict(INFLIGHT), "logged": LOGGED}
            self.send_bytes(200, json.dumps(d).encode(), "application/json")
            return
        t0 = time.monotonic()
        wall0 = time.time()
        with LOCK:
            INFLIGHT[addr] = INFLIGHT.get(addr, 0) + 1
            INFLIGHT_TOTAL += 1
            n_host = INFLIGHT[addr]
            n_total = INFLIGHT_TOTAL
        err = None
        try:
            self.route()
        except Cut as e:
            err = str(e) or "cut"
            self.close_connection = True
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError,
                socket.timeout, TimeoutError) as e:
            err = type(e).__name__
            self.close_connection = True
        except OSError as e:
            err = f"OSError {e.errno}"
            self.close_connection = True
        finally:
            t1 = time.monotonic()
            wall1 = time.time()
            h = self.headers
            rec = {"t0": t0, "t1": t1, "wall0": wall0, "wall1": wall1,
                   "addr": addr, "port": port, "host": h.get("Host"),
                   "method": self.command, "path": path,
                   "ua": h.get("User-Agent"), "inm": h.get("If-None-Match"),
                   "ims": h.get("If-Modified-Since"),
                   "ae": h.get("Accept-Encoding"),
                   "inflight_host": n_host, "inflight_total": n_total,
                   "conn_seq": self.conn_seq, "status": self.status,
                   "bytes": self.sent, "error": err}
            line = json.dumps(rec) + "\n"
            with LOCK:
                INFLIGHT[addr] -= 1
                INFLIGHT_TOTAL -= 1
                LOGGED += 1
                if LOGF is not None:
                    LOGF.write(line)
                    LOGF.flush()

    def start(self, code, ctype=None, length=None, headers=(), chunked=False,
              close=False):
        self.status = code
        self.send_response(code)
        if ctype is not None:
            self.send_header("Content-Type", ctype)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif length is not None:
            self.send_header("Content-Length", str(length))
        for k, v in headers:
            self.send_header(k, v)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.chunked = chunked

    def write(self, data):
        if not self.want_body or not data:
            return
        if self.chunked:
            self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")
        else:
            self.wfile.write(data)
        self.sent += len(data)

    def finish_chunked(self):
        if self.want_body and self.chunked:
            self.wfile.write(b"0\r\n\r\n")

    def send_bytes(self, code, data, ctype="text/html; charset=utf-8",
                   headers=()):
        self.start(code, ctype, len(data), headers)
        self.write(data)

    def send_page(self, n, extra="", headers=()):
        self.send_bytes(200, page_html(n, extra).encode(), headers=headers)

    def send_stream(self, code, ctype, pieces, length=None, chunked=False,
                    headers=()):
        self.start(code, ctype, length, headers, chunked=chunked)
        for p in pieces:
            self.write(p)
        self.finish_chunked()

    def reset(self):
        """Abort the connection with a TCP RST."""
        try:
            self.wfile.flush()
        except OSError:
            pass
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        self.connection.close()
        raise Cut("reset")

    def wait_hangup(self, limit):
        """Sleep until the client closes the connection or limit seconds."""
        end = time.monotonic() + limit
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([self.connection], [], [], min(left, 1.0))
            if r:
                try:
                    data = self.connection.recv(4096, socket.MSG_PEEK)
                except OSError:
                    return
                if not data:
                    return
                # Pipelined bytes: keep waiting, but do not spin.
                time.sleep(0.2)

    # --- routing --------------------------------------------------------

    def route(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        parts = [p for p in u.path.split("/") if p != ""]
        head = parts[0] if parts else ""
        fn = getattr(self, "sc_" + head.replace("-", "_").replace(".", "_"),
                     None)
        if fn is not None:
            try:
                fn(parts[1:], q, u)
            except (ValueError, IndexError, OverflowError) as e:
                if self.status == 0:
                    self.send_bytes(400, f"<p>bad request: {e}</p>\n".encode())
                else:
                    raise
            return
        if u.path == "/robots.txt":
            self.serve_robots()
            return
        self.serve_docroot(u.path)

    def serve_robots(self):
        if ROBOTS_DELAY > 0:
            time.sleep(ROBOTS_DELAY)
        data = ROBOTS.get(self.addr, ROBOTS.get("*"))
        if data is None:
            self.send_bytes(404, b"<p>no robots.txt</p>\n")
        else:
            self.send_bytes(200, data, "text/plain")

    def serve_docroot(self, path):
        root = VHOSTS.get(self.addr, DOCROOT)
        if root is None:
            self.send_bytes(404, b"<p>not found</p>\n")
            return
        rel = urllib.parse.unquote(path).lstrip("/")
        full = os.path.realpath(os.path.join(root, rel))
        root = os.path.realpath(root)
        if os.path.isdir(full):
            full = os.path.join(full, "index.html")
        if not (full == root or full.startswith(root + os.sep)) or \
                not os.path.isfile(full):
            self.send_bytes(404, b"<p>not found</p>\n")
            return
        with open(full, "rb") as f:
            data = f.read()
        if full.endswith(".latin1.html"):
            ctype = "text/html; charset=iso-8859-1"
        elif full.endswith(".html") or full.endswith(".htm"):
            ctype = "text/html"
        elif full.endswith(".txt"):
            ctype = "text/plain; charset=utf-8"
        elif full.endswith(".pdf"):
            ctype = "application/pdf"
        elif full.endswith(".png"):
            ctype = "image/png"
        elif full.endswith(".css"):
            ctype = "text/css"
        else:
            ctype = "application/octet-stream"
        self.send_bytes(200, data, ctype)

    def sc_page(self, a, q, u):
        self.send_page(a[0] if a else "0")

    def sc_delay(self, a, q, u):
        ms = int(a[0])
        if ms < 0 or ms > 600000:
            raise ValueError("delay out of range")
        time.sleep(ms / 1000.0)
        self.send_page("/".join(a[1:]) or "delay-" + a[0])

    def sc_status(self, a, q, u):
        code = int(a[0])
        if code < 100 or code > 599:
            raise ValueError("status out of range")
        if code < 200 or code in (204, 304):
            self.start(code)
            return
        body = f"""<!DOCTYPE html><html><head><title>Status {code}</title>
</head><body><p>This page answers with HTTP status {code}.</p></body></html>
""".encode()
        self.send_bytes(code, body)

    def sc_ctype(self, a, q, u):
        ctype = urllib.parse.unquote("/".join(a))
        if "html" in ctype:
            self.send_bytes(200, page_html("ctype").encode(), ctype)
            return
        size = parse_size(q.get("size", ["2M"])[0])
        self.send_stream(200, ctype, binary_body(size, ctype), size)

    def sc_big(self, a, q, u):
        size = parse_size(a[0])
        if "chunked" in q:
            self.send_stream(200, "text/html", sized_html(size, f"Big {size}"),
                             chunked=True)
        else:
            self.send_stream(200, "text/html", sized_html(size, f"Big {size}"),
                             size)

    def sc_bigchunked(self, a, q, u):
        size = parse_size(a[0])
        self.send_stream(200, "text/html", sized_html(size, f"Big {size}"),
                         chunked=True)

    def sc_gzip(self, a, q, u, enc="gzip"):
        size = parse_size(a[0])
        data = compressed(enc, size)
        hdr = [("Content-Encoding", enc), ("Vary", "Accept-Encoding")]
        if "chunked" in q:
            self.send_stream(200, "text/html",
                             (data[i:i + 65536]
                              for i in range(0, len(data), 65536)),
                             chunked=True, headers=hdr)
        else:
            self.send_bytes(200, data, "text/html", headers=hdr)

    def sc_deflate(self, a, q, u):
        self.sc_gzip(a, q, u, enc="deflate")

    def redirect(self, code, location):
        body = b"<p>moved</p>\n"
        self.send_bytes(code, body, headers=[("Location", location)])

    def base(self):
        return "http://" + (self.headers.get("Host") or
                            f"{self.addr}:{self.port}")

    def sc_redirect(self, a, q, u):
        n = int(a[0])
        if n < 0:
            raise ValueError("negative")
        if n == 0:
            self.send_page("redirect-end")
            return
        code = int(q.get("code", ["302"])[0])
        loc = f"/redirect/{n - 1}"
        if u.query:
            loc += "?" + u.query
        if "rel" not in q:
            loc = self.base() + loc
        self.redirect(code, loc)

    def sc_redirect_to(self, a, q, u):
        # Verbatim: take the raw query text after url=, not a re-encoding.
        raw = u.query
        loc = None
        for part in raw.split("&"):
            if part.startswith("url="):
                loc = urllib.parse.unquote(part[4:])
        if loc is None:
            raise ValueError("url= missing")
        code = int(q.get("code", ["302"])[0])
        self.redirect(code, loc)

    def sc_redirect_loop(self, a, q, u):
        self.redirect(302, self.base() + "/redirect-loop")

    def charset(self, text, enc, ctype):
        self.send_bytes(200, text.encode(enc), ctype)

    def sc_latin1_header(self, a, q, u):
        self.charset(charset_page(), "iso-8859-1",
                     "text/html; charset=iso-8859-1")

    def sc_latin1_meta(self, a, q, u):
        self.charset(charset_page('<meta charset="iso-8859-1">'),
                     "iso-8859-1", "text/html")

    def sc_latin1_http_equiv(self, a, q, u):
        self.charset(charset_page('<meta http-equiv="Content-Type" '
                                  'content="text/html; charset=ISO-8859-1">'),
                     "iso-8859-1", "text/html")

    def sc_latin1_late_meta(self, a, q, u):
        filler = "<!-- " + "x" * 1024 + " -->\n"
        self.charset(charset_page(filler + '<meta charset="iso-8859-1">'),
                     "iso-8859-1", "text/html")

    def sc_utf8_header(self, a, q, u):
        self.charset(charset_page(), "utf-8", "text/html; charset=utf-8")

    def sc_utf8_meta(self, a, q, u):
        self.charset(charset_page('<meta charset="utf-8">'), "utf-8",
                     "text/html")

    def sc_bad_utf8(self, a, q, u):
        body = (b'<!DOCTYPE html><html><head><meta charset="utf-8">'
                b"<title>Bad \xff UTF-8 \xc3</title></head><body><main>"
                b"<p>Valid caf\xc3\xa9 then a lone byte \xff and \xfe,"
                b" a truncated sequence \xc3 here, an overlong \xc0\x80,"
                b" a surrogate \xed\xa0\x80, a stray continuation \x80\xbf,"
                b" a code point too big \xf5\x80\x80\x80, end.</p>"
                b"<p>Second paragraph after the bad bytes \xe2\x82.</p>"
                b"</main></body></html>\n")
        self.send_bytes(200, body, "text/html; charset=utf-8")

    def sc_bom(self, a, q, u):
        self.send_bytes(200, b"\xef\xbb\xbf" + charset_page().encode("utf-8"),
                        "text/html")

    def sc_bom_utf16(self, a, q, u):
        self.send_bytes(200, b"\xff\xfe" + charset_page().encode("utf-16-le"),
                        "text/html")

    def sc_drip(self, a, q, u):
        n = int(a[0]) if a else 40
        interval = float(q.get("interval", ["1"])[0])
        doc = (b"<html><head><title>Drip</title></head><body><p>"
               + b"d" * max(0, n) + b"</p></body></html>\n")[:n]
        self.start(200, "text/html", len(doc))
        for i in range(len(doc)):
            self.write(doc[i:i + 1])
            time.sleep(interval)

    def sc_stall(self, a, q, u):
        doc = page_html("stall").encode()
        self.start(200, "text/html", len(doc))
        self.write(doc[:len(doc) // 2])
        self.wait_hangup(float(q.get("secs", [STALL_MAX])[0]))
        raise Cut("stalled")

    def sc_stall_headers(self, a, q, u):
        self.wait_hangup(float(q.get("secs", [STALL_MAX])[0]))
        raise Cut("stalled before headers")

    def sc_reset(self, a, q, u):
        doc = b"".join(sized_html(100000, "Reset"))
        self.start(200, "text/html", len(doc))
        self.write(doc[:2000])
        self.reset()

    def sc_truncated_chunked(self, a, q, u):
        doc = page_html("truncated").encode()
        self.start(200, "text/html", chunked=True, close=True)
        self.write(doc[:300])
        self.write(doc[300:600])
        self.wfile.flush()
        raise Cut("truncated chunked")

    def sc_lying_length(self, a, q, u):
        doc = b"".join(sized_html(100000, "Lying length"))
        self.start(200, "text/html", len(doc), close=True)
        self.write(doc[:2000])
        raise Cut("lying length")

    def sc_http09(self, a, q, u):
        self.wfile.write(page_html("http09").encode())
        self.wfile.flush()
        raise Cut("http/0.9")

    def sc_bad_status_line(self, a, q, u):
        doc = page_html("bad status line").encode()
        self.wfile.write(b"HTTP/1.1 abc Weird\r\nContent-Type: text/html\r\n"
                         b"Content-Length: %d\r\n\r\n" % len(doc) + doc)
        self.wfile.flush()
        raise Cut("bad status line")

    def sc_nul(self, a, q, u):
        rnd = random.Random(7)
        junk = bytes(rnd.getrandbits(8) for _ in range(2048))
        body = (b"<html><head><title>NUL\x00title</title></head><body><p>"
                b"text before\x00\x00the NULs\x01\x02\x1b[31m</p>"
                + junk + b"<p>after the junk</p></body></html>\n")
        self.send_bytes(200, body, "text/html")

    def sc_empty(self, a, q, u):
        self.send_bytes(200, b"", "text/html")

    def sc_204(self, a, q, u):
        self.start(204)

    def sc_huge_headers(self, a, q, u):
        size = parse_size(a[0]) if a else 256 * 1024
        line = "h" * 4000
        hdr = [(f"X-Filler-{i}", line) for i in range(size // 4016 + 1)]
        self.send_bytes(200, page_html("huge-headers").encode(), headers=hdr)

    def sc_huge_header_line(self, a, q, u):
        size = parse_size(a[0]) if a else 200 * 1024
        self.send_bytes(200, page_html("huge-header-line").encode(),
                        headers=[("X-Huge", "h" * size)])

    def count(self, u):
        key = (self.addr, u.path)
        with LOCK:
            COUNTERS[key] = COUNTERS.get(key, 0) + 1
            return COUNTERS[key]

    def sc_retry_after(self, a, q, u):
        code, secs, n = int(a[0]), int(a[1]), int(a[2])
        if self.count(u) <= n:
            if "date" in q:
                ra = email.utils.formatdate(time.time() + secs, usegmt=True)
            else:
                ra = str(secs)
            self.send_bytes(code, f"<p>try again in {secs} s</p>\n".encode(),
                            headers=[("Retry-After", ra)])
        else:
            self.send_page("retry-after " + "/".join(a))

    def sc_flaky(self, a, q, u):
        code, n = int(a[0]), int(a[1])
        if self.count(u) <= n:
            self.send_bytes(code, b"<p>flaky</p>\n")
        else:
            self.send_page("flaky " + "/".join(a))

    def sc_cond(self, a, q, u):
        name = a[0] if a else "x"
        etag = f'"v1-{name}"'
        lm = "Sat, 21 Nov 2026 12:00:00 GMT"
        hdr = [("ETag", etag), ("Last-Modified", lm),
               ("Cache-Control", "max-age=0")]
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if (inm is not None and etag in inm) or \
                (inm is None and ims is not None and ims == lm):
            self.start(304, headers=hdr)
            return
        self.send_page("cond " + name, headers=hdr)

    def sc_links(self, a, q, u):
        n = int(a[0])
        if n < 0 or n > 1000000:
            raise ValueError("links out of range")
        links = "".join(f'<li><a href="/page/{i}">page {i}</a></li>\n'
                        for i in range(n))
        body = (f"<!DOCTYPE html><html><head><title>Links {n}</title></head>"
                f"<body><main><p>A page with {n} links.</p><ul>\n{links}"
                "</ul></main></body></html>\n")
        self.send_bytes(200, body.encode())

    def sc_echo(self, a, q, u):
        import html
        rows = "".join(f"<p>{html.escape(k)}: {html.escape(v)}</p>\n"
                       for k, v in self.headers.items())
        body = (f"<!DOCTYPE html><html><head><title>Echo</title></head><body>"
                f"<main><p>{html.escape(self.command)} "
                f"{html.escape(self.path)}</p>\n{rows}</main></body></html>\n")
        self.send_bytes(200, body.encode())


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = False

    def handle_error(self, request, client_address):
        pass


def bind_all(addrs, port, tries=50):
    """Bind every address on one port; returns the servers."""
    for _ in range(tries if port == 0 else 1):
        servers = []
        try:
            first = Server((addrs[0], port), Handler)
            servers.append(first)
            p = first.server_address[1]
            for a in addrs[1:]:
                servers.append(Server((a, p), Handler))
            return servers
        except OSError as e:
            for s in servers:
                s.server_close()
            if e.errno != errno.EADDRINUSE or port != 0:
                raise
    raise OSError(errno.EADDRINUSE, "no port free on every address")


def write_atomic(path, text):
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


def main():
    global LOGF, DOCROOT, ROBOTS_DELAY
    ap = argparse.ArgumentParser(description="trawl's fixture HTTP server")
    ap.add_argument("--addr", action="append", default=[],
                    help="address to listen on (repeat); default 127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--pid-file")
    ap.add_argument("--log")
    ap.add_argument("--robots", action="append", default=[],
                    help="FILE for every address, or ADDR=FILE")
    ap.add_argument("--robots-delay", type=int, default=0, metavar="MS",
                    help="answer robots.txt after MS milliseconds")
    ap.add_argument("--docroot", help="serve files from DIR")
    ap.add_argument("--vhost", action="append", default=[],
                    help="ADDR=DIR: serve DIR's files on ADDR")
    args = ap.parse_args()
    addrs = args.addr or ["127.0.0.1"]
    for a in addrs:
        if not a.startswith("127."):
            ap.error(f"{a}: only loopback addresses")
    for r in args.robots:
        if "=" in r and not os.path.exists(r):
            a, f = r.split("=", 1)
        else:
            a, f = "*", r
        with open(f, "rb") as fh:
            ROBOTS[a] = fh.read()
    ROBOTS_DELAY = args.robots_delay / 1000.0
    DOCROOT = args.docroot
    for v in args.vhost:
        a, d = v.split("=", 1)
        if not os.path.isdir(d):
            ap.error(f"{d}: not a directory")
        VHOSTS[a] = d
    if args.log:
        LOGF = open(args.log, "a", encoding="utf-8")

    def stop(signum, frame):
        with LOCK:
            if LOGF is not None:
                LOGF.flush()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)

    servers = bind_all(addrs, args.port)
    port = servers[0].server_address[1]
    if args.pid_file:
        write_atomic(args.pid_file, f"{os.getpid()}\n")
    for s in servers:
        threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2},
                         daemon=True).start()
    if args.port_file:
        write_atomic(args.port_file, f"{port}\n")
    else:
        print(port, flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
