"""Issue 12, fault 1: every decompression of the crawl is bounded by one helper and one cap.

Memory is measured with tracemalloc (bytes allocated, not time). The peak RSS of a whole crawl
against a bomb is measured by ``benchmarks/gzip_bomb.py`` (run by the last test here).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tracemalloc
import zlib
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from newscrawl.demo.faults import gzip_bomb
from newscrawl.safety.decompress import (
    DecompressionTooLarge,
    UndecodableContent,
    decompress,
)
from newscrawl.safety.limits import SafeHttpCompressionMiddleware
from newscrawl.spiders.base import gunzipped
from newscrawl.warc import META_KEY, WarcMiddleware, decode_content, iter_records, read_record

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024
CAP = 1 * MIB
#: 64 MiB of spaces in ~64 KB of gzip: big enough to see, small enough for CI.
BOMB = gzip_bomb(b"<html><body><p>Berita</p>", 64 * MIB)


def _peak(fn):
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_decode_content_stops_at_the_cap() -> None:
    content, peak = _peak(lambda: decode_content(BOMB, "gzip", max_size=CAP))
    assert content is None
    assert peak < 4 * CAP


def test_stacked_codings_are_bounded_as_a_whole() -> None:
    # Each layer alone is under the cap, both together are over it.
    layer = os.urandom(600 * 1024)
    body = gzip.compress(gzip.compress(layer))
    assert decompress(body, "gzip, gzip", max_size=2 * CAP) == layer
    with pytest.raises(DecompressionTooLarge):
        decompress(body, "gzip, gzip", max_size=CAP)
    # A bomb under a bomb stops at the cap too, whatever the nesting.
    nested = gzip.compress(BOMB)
    _, peak = _peak(lambda: decode_content(nested, "gzip,gzip", max_size=CAP))
    assert peak < 4 * CAP


def test_codings_and_damage() -> None:
    text = b"".join(b"<p>Berita %d</p>" % i for i in range(2000))
    assert decompress(zlib.compress(text), "deflate") == text
    assert decompress(zlib.compress(text)[2:-4], "deflate") == text  # raw deflate
    cut = decompress(gzip.compress(text)[:-30], "gzip")  # cut short: what came out is kept
    assert cut and text.startswith(cut) and len(cut) < len(text)
    with pytest.raises(UndecodableContent):
        decompress(b"not gzip", "gzip")
    with pytest.raises(UndecodableContent):
        decompress(text, "compress")
    assert decompress(text, "identity") == text


def _middleware(tmp_path, cls, **settings):
    crawler = get_crawler(
        settings_dict={
            "NEWSCRAWL_WARC_DIR": str(tmp_path),
            "NEWSCRAWL_DB_URL": "",
            "DOWNLOAD_MAXSIZE": CAP,
            **settings,
        }
    )
    crawler.stats.open_spider()
    return cls.from_crawler(crawler), crawler


def test_warc_revisit_check_is_bounded(tmp_path) -> None:
    mw, _ = _middleware(tmp_path, WarcMiddleware)
    request = Request("http://127.0.0.1/bom")
    response = Response(
        request.url,
        body=BOMB,
        headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
        request=request,
    )
    result, peak = _peak(lambda: mw.process_response(request, response))
    assert result is response
    assert peak < 4 * CAP + 2 * len(BOMB)
    mw.spider_closed()
    # The bytes are preserved as received; reading them back is bounded by the same helper.
    pointer = request.meta[META_KEY]
    path = tmp_path / pointer["warc_file"]
    stored, peak = _peak(lambda: read_record(path, pointer["warc_offset"]))
    assert stored.payload == BOMB and stored.content is None
    assert peak < 16 * MIB
    assert [r.record_type for _, r in iter_records(path)] == ["warcinfo", "response", "request"]


def test_compression_middleware_drops_stacked_bombs_and_counts_them(tmp_path) -> None:
    mw, crawler = _middleware(tmp_path, SafeHttpCompressionMiddleware)
    layer = os.urandom(600 * 1024)
    request = Request("http://127.0.0.1/bom")
    response = HtmlResponse(
        request.url,
        body=gzip.compress(gzip.compress(layer)),
        headers={"Content-Encoding": "gzip, gzip"},
        request=request,
    )
    with pytest.raises(IgnoreRequest):
        mw.process_response(request, response)
    assert crawler.stats.get_value("newscrawl/fault/bomb") == 1
    bad = HtmlResponse(request.url, body=b"garbage", headers={"Content-Encoding": "gzip"})
    with pytest.raises(IgnoreRequest):
        mw.process_response(request, bad)
    assert crawler.stats.get_value("newscrawl/fault/undecodable") == 1
    ok = HtmlResponse(
        request.url,
        body=gzip.compress(b"<html><body>Halo</body></html>"),
        headers={"Content-Encoding": "gzip"},
    )
    out = mw.process_response(request, ok)
    assert out.body == b"<html><body>Halo</body></html>" and "decompressed" in out.flags


def test_gzipped_sitemap_uses_the_crawl_cap() -> None:
    response = Response("http://127.0.0.1/sitemap.xml.gz", body=BOMB)
    assert gunzipped(response, CAP) is None
    small = Response("http://127.0.0.1/sitemap.xml.gz", body=gzip.compress(b"<urlset/>"))
    assert gunzipped(small, CAP).body == b"<urlset/>"


@pytest.mark.e2e
def test_bomb_crawl_stays_under_400_mb_peak_rss() -> None:
    """A real crawl (subprocess) of a portal serving gzip bombs just under the download cap."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gzip_bomb.py"), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures["bomb_crawl_exit"] == 0
    assert figures["bombs_served"] >= 2
    assert figures["bomb_peak_rss_mb"] < 400, figures
