"""Benchmark: peak memory of a real crawl against gzip bombs, against the same crawl without them.

    .venv/bin/python benchmarks/gzip_bomb.py [--bomb-mib 7] [--json]

A local portal on 127.0.0.1 serves a home page linking four articles. In the ``bomb`` run three of
them are decompression bombs sent with a compressed size just under ``DOWNLOAD_MAXSIZE`` (8 MiB):
``gzip`` (one ``--bomb-mib`` MiB gzip member of spaces: about 1,000 times as much
decompressed), ``gzip, gzip`` (the same bomb gzipped again) and a 1 MiB ``gzip`` bomb; in the
``baseline`` run they are ordinary articles. Each run is ``newscrawl crawl --url ...`` in a
subprocess with WARC and revisit look-ups on (the path that once inflated bombs without a cap);
its peak RSS is the child's ``ru_maxrss`` (``os.wait4``). Printed: both peaks and their ratio.
The child runs under an address-space limit (``--as-limit-mib``) so a regression fails with a
MemoryError instead of taking the machine's memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import struct
import subprocess
import sys
import tempfile
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024

ARTICLE = (
    "<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{title}</title>"
    "<meta property='og:type' content='article'></head><body><article><h1>{title}</h1>"
    "<time datetime='2024-08-13T18:13:00+07:00'>Selasa, 13 Agustus 2024 18:13 WIB</time>"
    + "<p>SURABAYA - Warga memadati lokasi sejak pagi untuk melihat kondisi terbaru di kawasan "
    "itu, kata kepala dinas setempat kepada wartawan.</p>" * 4 + "</article></body></html>"
)
PATHS = {
    "/2024/08/13/berita-bom-gzip-besar": "gzip",
    "/2024/08/13/berita-bom-gzip-ganda": "gzip, gzip",
    "/2024/08/13/berita-bom-gzip-kecil": "gzip-small",
    "/2024/08/13/berita-biasa-di-surabaya": None,
}


def gzip_bomb(compressed_mib: float) -> bytes:
    """One gzip member of about ``compressed_mib`` MiB: an article head, then 8 MiB blocks of
    spaces (each block deflated once and repeated: a full flush makes blocks independent), about
    1,000 times as much decompressed. The trailer's CRC is not computed: nothing reads that far.
    """
    c = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = ARTICLE.format(title="Berita Bom").encode()[:400]
    start = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(b" " * (8 * MIB)) + c.flush(zlib.Z_FULL_FLUSH)
    end = c.compress(b"</p></article></body></html>") + c.flush()
    blocks = max(1, int(compressed_mib * MIB) // len(block))
    size = (len(head) + blocks * 8 * MIB + 28) % 2**32
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + start + block * blocks + end + struct.pack("<II", 0, size)


class Portal(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, bombs: bool, bomb_mib: float) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.bombs = bombs
        self.served: list[str] = []
        big = gzip_bomb(bomb_mib) if bombs else b""
        self.bodies = {
            "gzip": (big, "gzip"),
            "gzip, gzip": (zlib.compress(big, 9, 31) if bombs else b"", "gzip, gzip"),
            "gzip-small": (gzip_bomb(1) if bombs else b"", "gzip"),
        }


class Handler(BaseHTTPRequestHandler):
    server: Portal

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str, encoding: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if path == "/":
            links = "".join(f"<h2><a href='{p}'>Berita {i}</a></h2>" for i, p in enumerate(PATHS))
            return self._send(200, f"<html><body>{links}</body></html>".encode(), "text/html")
        if path in PATHS:
            kind = PATHS[path]
            if kind and self.server.bombs:
                body, encoding = self.server.bodies[kind]
                self.server.served.append(path)
                return self._send(200, body, "text/html; charset=utf-8", encoding)
            page = ARTICLE.format(title=f"Berita {path.rsplit('/', 1)[-1]}").encode()
            return self._send(200, page, "text/html; charset=utf-8")
        return self._send(404, b"<html><body>Tidak ada</body></html>", "text/html")


def run_crawl(bombs: bool, bomb_mib: float, as_limit_mib: int) -> dict[str, object]:
    """One crawl in a subprocess; its exit status and peak RSS (MB)."""
    portal = Portal(bombs, bomb_mib)
    thread = threading.Thread(target=portal.serve_forever, daemon=True)
    thread.start()

    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSCRAWL_")}
            env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
            command = [
                sys.executable,
                "-m",
                "newscrawl.cli",
                "crawl",
                "--url",
                f"http://127.0.0.1:{portal.server_address[1]}/",
                "--db",
                f"sqlite:///{tmp}/archive.sqlite3",
                "-q",
            ]
            for name, value in {
                "NEWSCRAWL_SSRF_ALLOW": "127.0.0.1",
                "DOWNLOAD_DELAY": "0",
                "AUTOTHROTTLE_ENABLED": "False",
                "NEWSCRAWL_WARC_DIR": f"{tmp}/warcs",
                "NEWSCRAWL_RUN_WATCHES": "False",
                "LOG_LEVEL": "ERROR",
            }.items():
                command += ["-s", f"{name}={value}"]
            child = subprocess.Popen(
                command,
                cwd=tmp,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            # The child only (it is still importing): a regression fails with a MemoryError
            # instead of taking the machine's memory.
            cap = as_limit_mib * MIB
            resource.prlimit(child.pid, resource.RLIMIT_AS, (cap, cap))
            stderr_chunks: list[bytes] = []
            reader = threading.Thread(
                target=lambda: stderr_chunks.append(child.stderr.read()), daemon=True
            )
            reader.start()
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            reader.join(10)
            return {
                "exit": child.returncode,
                "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
                "bombs_served": len(portal.served),
                "stderr": b"".join(stderr_chunks).decode("utf-8", "replace")[-2000:],
            }
    finally:
        portal.shutdown()
        portal.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bomb-mib", type=float, default=7.5, help="compressed size of the bomb")
    parser.add_argument("--as-limit-mib", type=int, default=4096, help="child address-space cap")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args(argv)
    base = run_crawl(False, args.bomb_mib, args.as_limit_mib)
    bomb = run_crawl(True, args.bomb_mib, args.as_limit_mib)
    figures = {
        "baseline_peak_rss_mb": base["peak_rss_mb"],
        "bomb_peak_rss_mb": bomb["peak_rss_mb"],
        "ratio": round(bomb["peak_rss_mb"] / max(base["peak_rss_mb"], 1), 2),
        "bomb_crawl_exit": bomb["exit"],
        "baseline_crawl_exit": base["exit"],
        "bombs_served": bomb["bombs_served"],
        "bomb_mib_compressed": args.bomb_mib,
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"baseline crawl: peak RSS {base['peak_rss_mb']} MB (exit {base['exit']})")
        print(
            f"bomb crawl:     peak RSS {bomb['peak_rss_mb']} MB (exit {bomb['exit']}, "
            f"{bomb['bombs_served']} bombs served, {args.bomb_mib} MiB compressed each)"
        )
        print(f"ratio bomb/baseline: {figures['ratio']} (target: bomb under 400 MB)")
    if bomb["exit"] != 0 and bomb["stderr"]:
        print(bomb["stderr"], file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
