"""A small threaded HTTP server on 127.0.0.1 for replica portals (``make demo``, e2e tests).

The server knows nothing about news: for every request it asks the *site* object::

    site.respond(method, path_with_query, headers) -> Response | None

``None`` means "no such page" and is answered with a plain 404 page. ``headers`` is the
request's case-insensitive header mapping (``headers.get("Host")``). Only the standard library
is used (``http.server.ThreadingHTTPServer``).

Background use (tests)::

    with ReplicaServer(SurabayaPagiReplica()) as server:
        urllib.request.urlopen(server.base_url + "/feed")
        server.requests   # [RequestLog(path="/feed", time=...)]

Foreground use (``newscrawl serve-replica``-like): ``ReplicaServer(site, port=8000,
quiet=False).serve_forever()`` blocks until Ctrl-C.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple, Protocol

__all__ = ["ReplicaServer", "ReplicaSite", "RequestLog", "Response", "not_found_page"]


@dataclass
class Response:
    """What a replica site answers: status, headers and the body bytes as sent."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class RequestLog(NamedTuple):
    """One request the server received: the path with its query, and when (``time.time()``)."""

    path: str
    time: float


class ReplicaSite(Protocol):
    """Anything with a ``respond`` method can be served."""

    def respond(self, method: str, path: str, headers: Any) -> Response | None: ...


def not_found_page(path: str) -> Response:
    """The plain 404 page used when a site answers ``None``.

    >>> r = not_found_page("/nope")
    >>> r.status, r.headers["Content-Type"]
    (404, 'text/html; charset=UTF-8')
    >>> b"/nope" in r.body
    True
    """
    safe = path.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    html = (
        '<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
        "<title>404 Halaman Tidak Ditemukan</title></head><body>"
        f"<h1>404</h1><p>Halaman {safe} tidak ditemukan.</p></body></html>\n"
    )
    return Response(404, {"Content-Type": "text/html; charset=UTF-8"}, html.encode("utf-8"))


def _error_page(exc: BaseException) -> Response:
    body = f"500 Internal Server Error: {exc.__class__.__name__}\n".encode()
    return Response(500, {"Content-Type": "text/plain; charset=UTF-8"}, body)


class _Handler(BaseHTTPRequestHandler):
    """Forwards every request to ``self.server.replica`` (a :class:`ReplicaServer`)."""

    protocol_version = "HTTP/1.0"
    server_version = "nginx"  # what the real portals announce
    sys_version = ""

    def _handle(self, send_body: bool) -> None:
        owner: ReplicaServer = self.server.replica  # type: ignore[attr-defined]
        owner._log(self.path)
        try:
            response = owner.site.respond(self.command, self.path, self.headers)
        except Exception as exc:  # a broken site must not kill the server
            response = _error_page(exc)
        if response is None:
            response = not_found_page(self.path.split("?", 1)[0])
        self.send_response(response.status)
        lower = {k.lower() for k in response.headers}
        for name, value in response.headers.items():
            self.send_header(name, value)
        if "content-length" not in lower:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if send_body and response.body:
            self.wfile.write(response.body)

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._handle(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._handle(send_body=False)

    def do_POST(self) -> None:  # noqa: N802
        self._handle(send_body=True)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        owner: ReplicaServer = self.server.replica  # type: ignore[attr-defined]
        if not owner.quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


class ReplicaServer:
    """Serve ``site`` on ``host:port`` (port 0 = a free port chosen by the OS).

    ``start()`` serves in a daemon thread and returns at once; ``stop()`` shuts down; the object
    is a context manager doing both. ``base_url`` is ``"http://127.0.0.1:PORT"`` once bound.
    When the site has a ``base_url`` attribute that is ``None``, ``start()`` sets it to the
    server's base URL so the site renders absolute links to itself.

    >>> class Hello:
    ...     def respond(self, method, path, headers):
    ...         return Response(200, {"Content-Type": "text/plain"}, b"hi") if path == "/" else None
    >>> import urllib.request, urllib.error
    >>> with ReplicaServer(Hello()) as server:
    ...     urllib.request.urlopen(server.base_url + "/").read()
    ...     try:
    ...         urllib.request.urlopen(server.base_url + "/x")
    ...     except urllib.error.HTTPError as err:
    ...         err.code
    ...     [r.path for r in server.requests]
    b'hi'
    404
    ['/', '/x']
    """

    def __init__(
        self,
        site: ReplicaSite,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        quiet: bool = True,
    ) -> None:
        self.site = site
        self.host = host
        self.port = port
        self.quiet = quiet
        self.requests: list[RequestLog] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def _bind(self) -> ThreadingHTTPServer:
        if self._httpd is None:
            httpd = ThreadingHTTPServer((self.host, self.port), _Handler)
            httpd.daemon_threads = True
            httpd.replica = self  # type: ignore[attr-defined]
            self._httpd = httpd
            self.port = httpd.server_address[1]
            if getattr(self.site, "base_url", "") is None:
                self.site.base_url = self.base_url  # type: ignore[attr-defined]
        return self._httpd

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` (the port is known after ``start()``)."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> ReplicaServer:
        """Bind and serve in a daemon thread; returns self."""
        httpd = self._bind()
        if self._thread is None:
            self._thread = threading.Thread(
                target=httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"replica-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until Ctrl-C (foreground mode)."""
        httpd = self._bind()
        if not self.quiet:
            sys.stderr.write(f"Serving {type(self.site).__name__} at {self.base_url}/\n")
        try:
            httpd.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            httpd.server_close()
            self._httpd = None

    def stop(self) -> None:
        """Stop serving and release the port (safe to call twice)."""
        httpd, thread = self._httpd, self._thread
        self._httpd = self._thread = None
        if httpd is not None:
            if thread is not None:
                httpd.shutdown()
                thread.join(timeout=5)
            httpd.server_close()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- request log -----------------------------------------------------------------------
    def _log(self, path: str) -> None:
        with self._lock:
            self.requests.append(RequestLog(path, time.time()))

    def paths(self) -> list[str]:
        """The requested paths so far, in order (a copy)."""
        with self._lock:
            return [r.path for r in self.requests]


def main(argv: list[str] | None = None) -> int:
    """``python -m newscrawl.demo.server [--port N]``: serve the Surabaya Pagi replica."""
    import argparse

    from newscrawl.demo.surabayapagi import SurabayaPagiReplica

    parser = argparse.ArgumentParser(description="Serve the Surabaya Pagi replica portal.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    ReplicaServer(SurabayaPagiReplica(), args.host, args.port, quiet=False).serve_forever()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
