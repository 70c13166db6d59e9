"""A fault-injecting local news portal, and a canary that must never be reached.

:class:`FaultPortal` is a small threaded HTTP server on 127.0.0.1 (a free port) that writes its
bytes on the wire itself, so it can misbehave exactly: a few good article pages linked from an
index page, and fault pages linked from the same index (slow, truncated, huge, gzip bomb,
redirect loops, redirects to internal addresses, wrong charsets, NUL bytes, deep nesting,
empty, soft 404, bot challenge, 500), with a robots.txt variant chosen per instance.

:class:`CanaryServer` listens on 127.0.0.2 (Linux routes all of 127/8 to loopback) and records
every connection; an SSRF guard that works means it records none.

Both stop themselves after ``lifetime`` seconds; every slow or streaming response is bounded
in time and size, and the number of requests served is capped.

Run ``python -m newscrawl.demo.faults --robots ok`` to poke at it by hand.
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import socketserver
import threading
import time
import zlib
from dataclasses import dataclass
from html import escape
from typing import Literal
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "FAULT_PATHS",
    "GOOD_PATHS",
    "RECOVERABLE_PATHS",
    "CanaryServer",
    "FaultPortal",
    "article_html",
]

MIB = 1024 * 1024
RobotsMode = Literal["ok", "5xx", "flaky", "404", "timeout", "disallow", "crawl-delay"]
ROBOTS_MODES: tuple[str, ...] = ("ok", "5xx", "flaky", "404", "timeout", "disallow", "crawl-delay")

# Well-formed articles.
GOOD_PATHS: tuple[str, ...] = ("/article/1", "/article/2", "/article/3")
# Articles with broken encodings that a careful crawler recovers (correct text expected).
RECOVERABLE_PATHS: tuple[str, ...] = ("/wrong-charset", "/meta-conflict", "/nul")
# Pages that must never be stored as a good article.
FAULT_PATHS: tuple[str, ...] = (
    "/slow",
    "/truncated",
    "/huge",
    "/huge-declared",
    "/bomb",
    "/loop",
    "/chain",
    "/redirect-internal",
    "/redirect-decimal",
    "/redirect-localhost",
    "/deep",
    "/empty",
    "/soft404",
    "/challenge",
    "/500",
)

DATE = "2024-08-13T18:13:00+07:00"
GOOD_TITLES = {
    "/article/1": "Banjir Rob Genangi Kawasan Pesisir Surabaya Utara",
    "/article/2": "Pemkot Surabaya Perluas Jalur Sepeda di Jalan Tunjungan",
    "/article/3": "Pasar Wonokromo Kembali Ramai Setelah Renovasi",
}
RECOVERABLE_TITLES = {
    "/wrong-charset": "Kafé “Kopi Tubruk” Buka di Surabaya – Harga Rp 5.000",
    "/meta-conflict": "Diskon “Besar” di Pasar Atom — Warga Antre Sejak Pagi",
    "/nul": "Warga Gubeng Gotong Royong Bersihkan Saluran",
}
PARAGRAPHS = (
    "SURABAYA - Ratusan warga memadati lokasi sejak pagi hari untuk melihat langsung kondisi "
    "terbaru di kawasan tersebut.",
    "Kepala dinas setempat mengatakan pihaknya telah menyiapkan langkah-langkah penanganan "
    "agar aktivitas warga tidak terganggu dalam beberapa hari ke depan.",
    "Warga berharap pemerintah kota terus memantau perkembangan dan memberi informasi yang "
    "jelas kepada masyarakat.",
)


def article_html(
    title: str,
    paragraphs: tuple[str, ...] | list[str] = PARAGRAPHS,
    *,
    date: str = DATE,
    meta_charset: str | None = "utf-8",
    extra_head: str = "",
) -> str:
    """A simple article page: ``<h1>``, a ``<time datetime>`` and paragraphs.

    >>> page = article_html("Judul", ["Isi."])
    >>> "<h1>Judul</h1>" in page and page.rstrip().endswith("</html>")
    True
    """
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html lang="id"><head>{meta}<title>{escape(title)} - Portal Uji</title>'
        f"{extra_head}</head>\n<body><article><h1>{escape(title)}</h1>\n"
        f'<time datetime="{date}">Selasa, 13 Agustus 2024 18:13 WIB</time>\n{paras}\n'
        "</article></body></html>\n"
    )


@dataclass
class _Reply:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


_REASONS = {
    200: "OK",
    302: "Found",
    404: "Not Found",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_HTML = ("Content-Type", "text/html; charset=utf-8")
_TEXT = ("Content-Type", "text/plain; charset=utf-8")


def _head(status: int, headers: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
    lines += [f"{k}: {v}" for k, v in headers]
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        portal = self.server.portal
        sock: socket.socket = self.request
        sock.settimeout(10)
        data = b""
        try:
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = sock.recv(4096)
                if not chunk:
                    return
                data += chunk
            request_line = data.split(b"\r\n", 1)[0].decode("latin-1")
            method, target, _ = (request_line.split(" ", 2) + ["", ""])[:3]
            headers = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]
            user_agent = next(
                (
                    h.split(":", 1)[1].strip()
                    for h in headers
                    if h.lower().startswith("user-agent:")
                ),
                "",
            )
            portal._serve(sock, method, target, user_agent)
        except OSError:  # the client went away (timeouts, size caps): expected here
            return


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], portal: FaultPortal):
        self.portal = portal
        super().__init__(address, _Handler)


class FaultPortal:
    """The fault-injecting portal. Use as a context manager; ``url(path)`` gives full URLs.

    ``requests`` lists ``(method, target, user_agent)`` in arrival order.
    """

    def __init__(
        self,
        robots_mode: RobotsMode = "ok",
        *,
        host: str = "127.0.0.1",
        canary_port: int | None = None,
        local_canary_port: int | None = None,
        decimal_canary_port: int | None = None,
        fault_links: bool = True,
        index_paths: tuple[str, ...] | list[str] | None = None,
        slow_seconds: float = 6.0,
        huge_bytes: int = 16 * MIB,
        bomb_bytes: int = 32 * MIB,
        robots_failures: int = 1,
        crawl_delay: float = 30.0,
        max_requests: int = 5000,
        lifetime: float = 300.0,
    ):
        if robots_mode not in ROBOTS_MODES:
            raise ValueError(f"robots_mode must be one of {ROBOTS_MODES}, not {robots_mode!r}")
        self.robots_mode = robots_mode
        self.host = host
        self.canary_port = canary_port
        self.local_canary_port = local_canary_port
        # The decimal redirect aims at 127.0.0.3, not at the dotted redirect's 127.0.0.2: w3lib
        # >= 2.6 writes a decimal host dotted, and two equal targets would be merged by the
        # duplicate filter before the guard saw the second.
        self.decimal_canary_port = decimal_canary_port or canary_port
        self.fault_links = fault_links
        self.index_paths = list(index_paths) if index_paths is not None else None
        self.slow_seconds = min(slow_seconds, 60.0)
        self.huge_bytes = min(huge_bytes, 256 * MIB)
        self.bomb_bytes = min(bomb_bytes, 1024 * MIB)
        self.robots_failures = robots_failures
        self.crawl_delay = crawl_delay
        self.max_requests = max_requests
        self.lifetime = lifetime
        self.requests: list[tuple[str, str, str]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._robots_fetches = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._timer: threading.Timer | None = None
        self._bomb: bytes | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> FaultPortal:
        # Build the bomb before serving: made on the first request, it can take longer than a
        # test's download timeout on a loaded machine, and the bomb then looks like a timeout.
        self._bomb_body()
        self._server = _Server((self.host, 0), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        self._timer = threading.Timer(self.lifetime, self.stop)
        self._timer.daemon = True
        self._timer.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._timer is not None:
            self._timer.cancel()
        if self._server is not None:
            server, self._server = self._server, None
            server.shutdown()
            server.server_close()

    def __enter__(self) -> FaultPortal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "portal not started"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def paths(self) -> list[str]:
        """Paths requested so far (without query strings), in order."""
        with self._lock:
            return [urlsplit(target).path for _, target, _ in self.requests]

    def index_links(self) -> list[str]:
        """Paths the index page links to: ``index_paths`` if given, else good (and fault) pages."""
        if self.index_paths is not None:
            return list(self.index_paths)
        links = list(GOOD_PATHS)
        if self.fault_links:
            links += list(RECOVERABLE_PATHS) + list(FAULT_PATHS)
        return links

    # -- serving ---------------------------------------------------------------------------
    def _serve(self, sock: socket.socket, method: str, target: str, user_agent: str) -> None:
        with self._lock:
            self.requests.append((method, target, user_agent))
            over_budget = len(self.requests) > self.max_requests
        if over_budget or self._stop.is_set():
            sock.sendall(_head(503, [_TEXT, ("Content-Length", "0")]))
            return
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query)
        streaming = {
            "/slow": self._slow,
            "/truncated": self._truncated,
            "/huge": self._huge,
            "/huge-declared": self._huge_declared,
        }
        if path in streaming:
            streaming[path](sock)
            return
        reply = self._reply(path, query)
        headers = [*reply.headers, ("Content-Length", str(len(reply.body)))]
        sock.sendall(_head(reply.status, headers) + (reply.body if method != "HEAD" else b""))

    def _reply(self, path: str, query: dict[str, list[str]]) -> _Reply:
        if path == "/":
            links = "\n".join(f'<li><a href="{p}">{p}</a></li>' for p in self.index_links())
            page = (
                '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Portal Uji</title>'
                f"</head><body><ul>{links}</ul></body></html>"
            )
            return _Reply(200, page.encode(), (_HTML,))
        if path == "/robots.txt":
            return self._robots()
        if path in GOOD_TITLES:
            return _Reply(200, article_html(GOOD_TITLES[path]).encode(), (_HTML,))
        if path == "/wrong-charset":  # cp1252 bytes labelled UTF-8 (header and meta)
            body = article_html(RECOVERABLE_TITLES[path], meta_charset="utf-8").encode("cp1252")
            return _Reply(200, body, (("Content-Type", "text/html; charset=utf-8"),))
        if path == "/meta-conflict":  # header says UTF-8, meta says windows-1252, bytes are cp1252
            body = article_html(RECOVERABLE_TITLES[path], meta_charset="windows-1252").encode(
                "cp1252"
            )
            return _Reply(200, body, (("Content-Type", "text/html; charset=UTF-8"),))
        if path == "/nul":  # NUL bytes, a UTF-8-encoded lone surrogate and a surrogate char ref
            # A NUL between two words separates them (it reads as a space), never joins them.
            paras = [*PARAGRAPHS, "Sampah menumpuk di\x00 saluran &#xD800; sejak pekan lalu."]
            page = article_html(RECOVERABLE_TITLES[path], paras).replace("&amp;#xD800;", "&#xD800;")
            body = (
                page.encode()
                .replace(b"Gotong Royong", b"Gotong\x00Royong")
                .replace(b"pekan", b"pe\xed\xa0\x80kan")
            )
            return _Reply(200, body, (_HTML,))
        if path == "/bomb":
            return _Reply(200, self._bomb_body(), (_HTML, ("Content-Encoding", "gzip")))
        if path == "/loop":  # /loop -> /loop2 -> /loop: a true cycle
            return _Reply(302, b"", (("Location", "/loop2"),))
        if path == "/loop2":
            return _Reply(302, b"", (("Location", "/loop"),))
        if path == "/chain":  # endless (bounded) chain of distinct redirects
            n = _int(query.get("n", ["0"])[0])
            if n >= 50:
                return _Reply(200, b"end of chain", (_TEXT,))
            return _Reply(302, b"", (("Location", f"/chain?n={n + 1}"),))
        if path == "/redirect-internal":
            return self._to_canary(f"http://127.0.0.2:{self.canary_port}/", self.canary_port)
        if path == "/redirect-decimal":  # 2130706435 == 127.0.0.3
            return self._to_canary(
                f"http://2130706435:{self.decimal_canary_port}/", self.decimal_canary_port
            )
        if path == "/redirect-localhost":
            return self._to_canary(
                f"http://localhost:{self.local_canary_port}/", self.local_canary_port
            )
        if path == "/deep":  # 10,000 nested divs
            depth = 10_000
            page = (
                "<!DOCTYPE html><html><head><title>Dalam</title></head><body>"
                + "<div>" * depth
                + "<p>dasar</p>"
                + "</div>" * depth
                + "</body></html>"
            )
            return _Reply(200, page.encode(), (_HTML,))
        if path == "/empty":
            return _Reply(200, b"", (_HTML,))
        if path == "/soft404":
            page = article_html(
                "Halaman tidak ditemukan", ["Maaf, halaman yang Anda cari tidak ditemukan."]
            )
            return _Reply(200, page.encode(), (_HTML,))
        if path == "/challenge":
            page = article_html(
                "Just a moment...",
                PARAGRAPHS,
                extra_head="<script>window._cf_chl_opt={cvId:'3'};</script>",
            )
            return _Reply(200, page.encode(), (_HTML,))
        if path == "/500":
            return _Reply(500, article_html("Galat Server", PARAGRAPHS).encode(), (_HTML,))
        return _Reply(404, b"not found", (_TEXT,))

    def _to_canary(self, location: str, port: int | None) -> _Reply:
        if port is None:
            return _Reply(404, b"no canary", (_TEXT,))
        return _Reply(302, b"", (("Location", location),))

    def _robots(self) -> _Reply:
        with self._lock:
            self._robots_fetches += 1
            fetches = self._robots_fetches
        mode = self.robots_mode
        if mode == "5xx" or (mode == "flaky" and fetches <= self.robots_failures):
            return _Reply(503, b"maintenance", (_TEXT,))
        if mode == "404":
            return _Reply(404, b"not found", (_TEXT,))
        if mode == "timeout":
            self._stop.wait(self.slow_seconds)
        if mode == "disallow":
            # The agent-specific group wins over "*" for newscrawl.
            text = "User-agent: *\nDisallow: /\n\nUser-agent: newscrawl\nDisallow: /article/2\n"
        elif mode == "crawl-delay":
            text = f"User-agent: *\nCrawl-delay: {self.crawl_delay}\nAllow: /\n"
        else:
            text = "User-agent: *\nAllow: /\n"
        return _Reply(200, text.encode(), (_TEXT,))

    def _slow(self, sock: socket.socket) -> None:
        """Answers only after ``slow_seconds`` (or when the portal stops)."""
        self._stop.wait(self.slow_seconds)
        body = article_html("Berita Lambat").encode()
        sock.sendall(_head(200, [_HTML, ("Content-Length", str(len(body)))]) + body)

    def _truncated(self, sock: socket.socket) -> None:
        """Declares the full length, sends a third of the page, closes the connection."""
        body = article_html("Berita Terpotong", PARAGRAPHS * 4).encode()
        sock.sendall(
            _head(200, [_HTML, ("Content-Length", str(len(body)))]) + body[: len(body) // 3]
        )

    def _stream(self, sock: socket.socket, chunked: bool) -> None:
        head = article_html("Berita Raksasa").encode().replace(b"</article></body></html>\n", b"")
        chunk = b"<p>" + b"isi " * 16_000 + b"</p>\n"  # ~64 KB
        sent = 0
        pieces = [head]
        while sent < self.huge_bytes and not self._stop.is_set():
            piece = (pieces.pop() if pieces else chunk)[: self.huge_bytes - sent]
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            sent += len(piece)
        if chunked:
            sock.sendall(b"0\r\n\r\n")

    def _huge(self, sock: socket.socket) -> None:
        """A body bigger than any sane cap, chunked (no Content-Length)."""
        sock.sendall(_head(200, [_HTML, ("Transfer-Encoding", "chunked")]))
        self._stream(sock, chunked=True)

    def _huge_declared(self, sock: socket.socket) -> None:
        """A body bigger than any sane cap, announced by its Content-Length."""
        sock.sendall(_head(200, [_HTML, ("Content-Length", str(self.huge_bytes))]))
        self._stream(sock, chunked=False)

    def _bomb_body(self) -> bytes:
        """gzip of an article head followed by ``bomb_bytes`` of spaces (tiny compressed)."""
        if self._bomb is None:
            self._bomb = gzip_bomb(
                article_html("Berita Bom").encode().replace(b"</article>", b""), self.bomb_bytes
            )
        return self._bomb


def gzip_bomb(prefix: bytes, size: int) -> bytes:
    """gzip data that decompresses to *prefix* + *size* spaces + ``</html>``.

    >>> import gzip
    >>> data = gzip_bomb(b"<html>", 10 * 1024 * 1024)
    >>> len(data) < 20_000, len(gzip.decompress(data))
    (True, 10485773)
    """
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [comp.compress(prefix)]
    block = b" " * MIB
    remaining = size
    while remaining > 0:
        out.append(comp.compress(block[: min(MIB, remaining)]))
        remaining -= MIB
    out.append(comp.compress(b"</html>"))
    out.append(comp.flush())
    return b"".join(out)


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


class CanaryServer:
    """Listens on ``host`` (127.0.0.2 by default) and records every connection it receives.

    ``start()`` raises OSError when the address cannot be bound (not Linux, no 127/8 routing).
    """

    def __init__(self, host: str = "127.0.0.2", lifetime: float = 300.0):
        self.host = host
        self.lifetime = lifetime
        self.connections: list[tuple[str, bytes]] = []
        self._sock: socket.socket | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._deadline = 0.0

    def start(self) -> CanaryServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, 0))
            sock.listen(16)
        except OSError:
            sock.close()
            raise
        sock.settimeout(0.1)
        self._sock = sock
        self._deadline = time.monotonic() + self.lifetime
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()
        return self

    def _accept_loop(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set() and time.monotonic() < self._deadline:
            try:
                conn, addr = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            conn.settimeout(0.5)
            try:
                first = conn.recv(1024)
            except OSError:
                first = b""
            self.connections.append((f"{addr[0]}:{addr[1]}", first))
            with contextlib.suppress(OSError):
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\ncanary"
                )
            conn.close()
        self._close()

    def _close(self) -> None:
        if self._sock is not None:
            sock, self._sock = self._sock, None
            sock.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self._close()

    @property
    def port(self) -> int:
        assert self._sock is not None, "canary not started"
        return self._sock.getsockname()[1]

    def __enter__(self) -> CanaryServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the fault-injecting portal on 127.0.0.1.")
    parser.add_argument("--robots", choices=ROBOTS_MODES, default="ok")
    parser.add_argument("--lifetime", type=float, default=600.0)
    args = parser.parse_args(argv)
    with (
        CanaryServer(lifetime=args.lifetime) as canary,
        FaultPortal(args.robots, canary_port=canary.port, lifetime=args.lifetime) as portal,
    ):
        print(f"fault portal: {portal.url('/')}  canary: http://127.0.0.2:{canary.port}/")
        try:
            while not portal._stop.is_set():
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        print(f"canary connections: {len(canary.connections)}")


if __name__ == "__main__":
    main()
