"""A portal of N realistic article pages for the crawl benchmark (``benchmarks/crawl.py``).

The pages are the Surabaya Pagi replica's (:mod:`newscrawl.demo.surabayapagi`: three body
layouts, Baca Juga lines and boxes, reporter codes, share bars, ads), with the weight real
portal pages carry around the article: inline scripts (a tag-manager and ad-slot config, a
minified vendor bundle, a ``__INITIAL_STATE__`` JSON of teasers), a mega menu, "Pilihan
Editor" and "Berita Terkait" teaser lists and a footer site map, so that a page is about 90 KB
with 350-400 links, as on the East Java portals. Every page is rendered once, up front; even
article ids are sent gzip-encoded when the client accepts it, odd ones plain.

Served paths: ``/`` (a hub linking the latest articles), ``/feed`` (RSS of every article, the
crawl's way to all of them), ``/robots.txt`` and the articles; anything else is a 404.

    with BenchServer(n=200) as server:
        server.article_urls      # the N article URLs
        server.requests          # [(path, monotonic time)] of every request served
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from dataclasses import replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from newscrawl.demo.surabayapagi import (
    Link,
    PageContext,
    Story,
    build_stories,
    render_article_page,
    render_feed,
    slugify,
)

__all__ = ["BenchServer", "bench_pages", "bench_stories"]

HTML_TYPE = "text/html; charset=UTF-8"
_REGIONS = (
    "Surabaya", "Sidoarjo", "Gresik", "Malang", "Batu", "Pasuruan", "Probolinggo", "Jember",
    "Banyuwangi", "Madiun", "Kediri", "Blitar", "Tulungagung", "Mojokerto", "Jombang",
    "Lamongan", "Tuban", "Bojonegoro", "Ngawi", "Magetan", "Ponorogo", "Pacitan", "Trenggalek",
    "Nganjuk", "Lumajang", "Bondowoso", "Situbondo", "Bangkalan", "Sampang", "Pamekasan",
    "Sumenep",
)  # fmt: skip
_MENU = ("Politik", "Ekonomi", "Hukum & Kriminal", "Pendidikan", "Kesehatan", "Olahraga",
         "Gaya Hidup", "Teknologi", "Opini", "Nasional", "Internasional", "Video", "Foto")  # fmt: skip


def bench_stories(n: int) -> list[Story]:
    """``n`` stories, oldest first: the replica's 36 articles, repeated with new ids, titles
    (a region and a number) and dates three weeks apart."""
    base = build_stories()
    out = []
    for i in range(n):
        story = base[i % len(base)]
        round_ = i // len(base)
        title = story.title
        if round_:
            title = f"{title}, {_REGIONS[round_ % len(_REGIONS)]} ({round_ + 1})"
        out.append(
            replace(
                story,
                id=500000 + i,
                slug=slugify(title),
                title=title,
                published=story.published + timedelta(days=21 * round_),
            )
        )
    return out


def _link(story: Story, base: str) -> Link:
    return Link(story.title, base + story.path, story.published, story.section, story.description)


def _vendor_bundle(seed: int) -> str:
    """About 8 KB of minified-looking JavaScript (a vendor bundle inlined by the CMS)."""
    parts = []
    for k in range(90):
        a = (seed * 7919 + k * 104729) % 65521
        parts.append(
            f"function _0x{a:04x}(t,e){{var n=t[e%{k + 3}]||0;return(n<<{k % 7})^0x{a:04x}}}"
            f"var _c{k}=window._c{k}||[];_c{k}.push(_0x{a:04x});"
        )
    return "!function(){" + "".join(parts) + "}();"


def _noise_head(story: Story, teasers: list[Link]) -> str:
    slots = [
        {"id": f"div-gpt-ad-{n}", "path": f"/21865392/surabayapagi/{n}", "sizes": [[300, 250]],
         "targeting": {"kanal": story.section, "pos": n % 4, "artikel": story.id}}
        for n in range(40)
    ]  # fmt: skip
    state = {
        "page": {"type": "article", "id": story.id, "section": story.section},
        "teasers": [
            {"title": t.title, "url": t.url, "section": t.section, "summary": t.description,
             "image": f"{t.url}/thumb.jpg"}
            for t in teasers
        ],
    }  # fmt: skip
    return (
        "<script>window.__ADS__=" + json.dumps(slots) + ";</script>\n"
        "<script>" + _vendor_bundle(story.id) + "</script>\n"
        "<script>window.__INITIAL_STATE__="
        + json.dumps(state, ensure_ascii=False).replace("</", "<\\/")
        + ";</script>\n"
    )


def _teaser_list(css: str, heading: str, teasers: list[Link]) -> str:
    items = "\n".join(
        f'<li><a class="thumb" href="{t.url}"><img src="{t.url}/thumb.jpg" alt="" loading="lazy">'
        f'</a><a href="{t.url}">{t.title}</a><span class="kanal">{t.section}</span></li>'
        for t in teasers
    )
    return f'<div class="widget {css}"><h3 class="widget-title">{heading}</h3><ul>\n{items}\n</ul></div>\n'


def _mega_menu(base: str) -> str:
    cells = []
    for section in _MENU:
        s = slugify(section)
        links = "".join(
            f'<li><a href="{base}/kanal/{s}/{slugify(r)}">{section} {r}</a></li>'
            for r in _REGIONS[:6]
        )
        cells.append(
            f'<li class="mega"><a href="{base}/kanal/{s}">{section}</a><ul>{links}</ul></li>'
        )
    return '<nav class="mega-menu"><ul>' + "".join(cells) + "</ul></nav>\n"


def _footer_map(base: str) -> str:
    links = "".join(
        f'<li><a href="{base}/kanal/daerah/{slugify(r)}">Berita {r}</a></li>' for r in _REGIONS
    )
    return f'<div class="footer-sitemap"><h4>Daerah</h4><ul>{links}</ul></div>\n'


def render_bench_page(stories: list[Story], index: int, base: str) -> str:
    """The page of ``stories[index]`` with its chrome and the extra weight of a real portal."""
    story = stories[index]
    n = len(stories)
    near = [stories[(index - k) % n] for k in (1, 2, 3) if n > 1]
    related = [_link(s, base) for s in near[:2]]
    latest = [_link(stories[(n - 1 - k) % n], base) for k in range(10)]
    popular = [_link(stories[(index * 7 + k * 13) % n], base) for k in range(10)]
    teasers = [_link(stories[(index * 31 + k * 17) % n], base) for k in range(44)]
    ctx = PageContext(
        base_url=base,
        latest=latest,
        popular=popular,
        tags=sorted({t for s in stories[:36] for t in s.tags}),
        today=stories[-1].published,
    )
    page = render_article_page(story, related, ctx)
    page = page.replace("</head>", _noise_head(story, teasers[:24]) + "</head>", 1)
    page = page.replace('<main class="container', _mega_menu(base) + '<main class="container', 1)
    widgets = _teaser_list("pilihan-editor", "Pilihan Editor", teasers[:22]) + _teaser_list(
        "berita-terkait terpopuler", "Berita Lainnya", teasers[22:]
    )
    page = page.replace("</aside>", widgets + "</aside>", 1)
    return page.replace(
        '<footer class="site-footer">', _footer_map(base) + '<footer class="site-footer">', 1
    )


def bench_pages(n: int, base: str) -> dict[str, tuple[int, dict[str, str], bytes, bytes | None]]:
    """Every path served: ``path -> (status, headers, body, gzipped body or None)``."""
    base = base.rstrip("/")
    stories = bench_stories(n)
    pages: dict[str, tuple[int, dict[str, str], bytes, bytes | None]] = {}
    for i, story in enumerate(stories):
        body = render_bench_page(stories, i, base).encode("utf-8")
        packed = gzip.compress(body, 6) if story.id % 2 == 0 else None
        pages[story.path] = (200, {"Content-Type": HTML_TYPE}, body, packed)
    newest = stories[::-1]
    feed = render_feed(base, newest).encode("utf-8")
    pages["/feed"] = (200, {"Content-Type": "application/rss+xml; charset=UTF-8"}, feed, None)
    hub = "".join(f'<li><a href="{base}{s.path}">{s.title}</a></li>' for s in newest[:10])
    home = (
        '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Surabaya Pagi'
        f'</title><link rel="alternate" type="application/rss+xml" href="{base}/feed"></head>'
        f"<body><ul>{hub}</ul></body></html>"
    )
    pages["/"] = (200, {"Content-Type": HTML_TYPE}, home.encode("utf-8"), None)
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n".encode()
    pages["/robots.txt"] = (200, {"Content-Type": "text/plain; charset=UTF-8"}, robots, None)
    return pages


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real portals
    server_version = "nginx"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        owner: BenchServer = self.server.owner  # type: ignore[attr-defined]
        owner.requests.append((self.path, time.monotonic()))
        found = owner.pages.get(self.path.split("?", 1)[0])
        if found is None:
            status, headers, body, packed = 404, {"Content-Type": HTML_TYPE}, b"<h1>404</h1>", None
        else:
            status, headers, body, packed = found
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if packed is not None and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = packed
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class BenchServer:
    """Serve :func:`bench_pages` on 127.0.0.1 (a free port) from a background thread."""

    def __init__(self, n: int) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.pages = bench_pages(n, self.base_url)
        self.article_urls = [
            self.base_url + path for path in self.pages if path.startswith("/news-")
        ]
        self.requests: list[tuple[str, float]] = []
        self._thread: threading.Thread | None = None

    def __enter__(self) -> BenchServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
