"""Benchmark: what a crawl costs beside the fetch, against bare Scrapy in the same run.

    .venv/bin/python benchmarks/crawl.py [--n 1500] [--rounds 3] [--concurrency 32]

One local server (``newscrawl.demo.bench.BenchServer``: N article pages of about 90 KB with the
scripts, sidebars and link counts of real portal pages, half of them gzip-encoded, and an RSS
feed listing all of them) is started by this script on 127.0.0.1. Three crawlers then fetch
every article from it, each in its own process (so CPU time and peak RSS are its own),
interleaved and repeated ``--rounds`` times in rotating order:

- ``bare``: a Scrapy spider that reads the feed and fetches every article, doing nothing with
  it (the cost of the fetch);
- ``afternoon``: the same spider with ``trafilatura.bare_extraction`` on every page and an
  ``INSERT`` plus commit into a ``sqlite3`` table per item (the pipeline a user writes in an
  afternoon; no WARC);
- ``before`` (with ``--before DIR``): the same command run from an earlier source tree;
- ``newscrawl``: ``newscrawl crawl surabayapagi --base-url <server>`` (the real CLI: robots.txt,
  safety middlewares, WARC on, extraction, cleaning, dates, validation, the archive), with
  politeness delays off and the same concurrency.

Pages/s is measured by the server: N divided by the time from the first article request to
the last one of that run (process start-up and the end of the crawl are not in it). CPU ms per
page is the process's user + system time (start-up included) divided by N; peak RSS is the
process's VmHWM, read every 0.1 s while it runs. The afternoon pipeline's SQLite runs in WAL
mode with ``synchronous=NORMAL``, as the archive does, so both pay the same for a commit. Medians over the rounds are printed with the ratios
newscrawl/bare and newscrawl/afternoon. After every newscrawl run the archive is checked:
every article archived exactly once.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

VARIANTS = ("bare", "afternoon", "newscrawl")


# --- the two Scrapy baselines (run in a child process: --child bare|afternoon) ----------------
def run_scrapy_child(kind: str, base_url: str, workdir: str, concurrency: int) -> int:
    import re

    import scrapy
    from scrapy.crawler import CrawlerProcess

    link_re = re.compile(r"<link>(http[^<]+)</link>")

    class SqlitePipeline:
        """The afternoon pipeline's storage: one INSERT and commit per item."""

        def open_spider(self, spider=None):
            self.conn = sqlite3.connect(os.path.join(workdir, "afternoon.sqlite3"))
            # As the archive runs SQLite: the comparison is of CPU, not of this disk's fsync.
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS articles (url TEXT PRIMARY KEY, title TEXT, "
                "author TEXT, date TEXT, text TEXT)"
            )

        def process_item(self, item, spider=None):
            self.conn.execute(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?)",
                (item["url"], item["title"], item["author"], item["date"], item["text"]),
            )
            self.conn.commit()
            return item

        def close_spider(self, spider=None):
            self.conn.close()

    class BenchSpider(scrapy.Spider):
        name = "bench"

        async def start(self):
            yield scrapy.Request(base_url + "/feed", callback=self.parse_feed)

        def parse_feed(self, response):
            for url in dict.fromkeys(link_re.findall(response.text)):
                if "/news-" in url:
                    yield scrapy.Request(url, callback=self.parse_article)

        def parse_article(self, response):
            if kind == "bare":
                return
            import trafilatura

            doc = trafilatura.bare_extraction(response.text, url=response.url)
            if doc is None:
                return
            data = doc if isinstance(doc, dict) else doc.as_dict()
            yield {
                "url": response.url,
                "title": data.get("title"),
                "author": data.get("author"),
                "date": data.get("date"),
                "text": data.get("text"),
            }

    settings = {
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "DOWNLOAD_DELAY": 0,
        "ROBOTSTXT_OBEY": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "USER_AGENT": "bench (local replica)",
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    }
    if kind == "afternoon":
        settings["ITEM_PIPELINES"] = {SqlitePipeline: 300}
    process = CrawlerProcess(settings, install_root_handler=False)
    process.crawl(BenchSpider)
    process.start()
    return 0


# --- the parent: server, interleaved runs, figures ---------------------------------------------
def command_for(kind: str, base_url: str, workdir: str, concurrency: int) -> list[str]:
    if kind not in ("newscrawl", "before"):
        return [
            sys.executable, __file__, "--child", kind, "--base-url", base_url,
            "--workdir", workdir, "--concurrency", str(concurrency),
        ]  # fmt: skip
    settings = {
        "NEWSCRAWL_SSRF_ALLOW": "127.0.0.1",
        "DOWNLOAD_DELAY": 0,
        "DOWNLOAD_DELAY_JITTER": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "NEWSCRAWL_MAX_PAGES": 0,
        "NEWSCRAWL_WARC_DIR": os.path.join(workdir, "warcs"),
    }
    cmd = [
        sys.executable, "-m", "newscrawl", "crawl", "surabayapagi", "--base-url", base_url,
        "--db", f"sqlite:///{os.path.join(workdir, 'archive.sqlite3')}", "--json", "-q",
    ]  # fmt: skip
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value}"]
    return cmd


def run_variant(
    kind: str, server, n: int, concurrency: int, before: str | None = None
) -> dict[str, float]:
    workdir = tempfile.mkdtemp(prefix=f"nc-crawl-{kind}-")
    first_request = len(server.requests)
    with open(os.path.join(workdir, "out.txt"), "wb") as out:
        proc = subprocess.Popen(
            command_for(kind, server.base_url, workdir, concurrency),
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=workdir,
            env={**os.environ, "PYTHONPATH": before if kind == "before" else str(ROOT)},
        )
        peak_kb = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak_kb = max(peak_kb, high_water_kb(proc.pid))
            time.sleep(0.1)
        proc.returncode = os.waitstatus_to_exitcode(status)
    times = [t for path, t in server.requests[first_request:] if path.startswith("/news-")]
    output = Path(workdir, "out.txt").read_text(errors="replace")
    if len(times) < n:
        raise SystemExit(f"{kind}: only {len(times)} of {n} articles fetched\n{output[-3000:]}")
    result = {
        "pages_per_s": (len(times) - 1) / (max(times) - min(times)),
        "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000 / n,
        "rss_mb": peak_kb / 1024,
        "requests": len(server.requests) - first_request,
    }
    if kind in ("newscrawl", "before"):
        result["archived"], result["distinct"] = archived_counts(workdir)
        if result["archived"] != n or result["distinct"] != n:
            raise SystemExit(f"newscrawl: archive holds {result['archived']} rows for {n} pages")
    remove_tree(workdir)
    return result


def high_water_kb(pid: int) -> int:
    """The process's peak resident set (VmHWM), read while it runs: ``ru_maxrss`` would count
    the parent's size too (it survives the fork and exec)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def archived_counts(workdir: str) -> tuple[int, int]:
    conn = sqlite3.connect(os.path.join(workdir, "archive.sqlite3"))
    try:
        rows, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT canonical_url) FROM articles"
        ).fetchone()
    finally:
        conn.close()
    return rows, distinct


def remove_tree(path: str) -> None:
    for dirpath, dirnames, filenames in os.walk(path, topdown=False):
        for name in filenames:
            os.remove(os.path.join(dirpath, name))
        for name in dirnames:
            os.rmdir(os.path.join(dirpath, name))
    os.rmdir(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1500, help="article pages served and crawled")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--json", action="store_true", help="also print every run as JSON")
    parser.add_argument(
        "--before",
        metavar="DIR",
        help="also run `newscrawl crawl` from this source tree (e.g. `git archive` of an earlier "
        "commit unpacked there) as the variant `before`",
    )
    parser.add_argument("--child", choices=("bare", "afternoon"), help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return run_scrapy_child(args.child, args.base_url, args.workdir, args.concurrency)

    from newscrawl.demo.bench import BenchServer

    variants = [v for v in args.variants.split(",") if v]
    if args.before:
        variants.append("before")
    start = time.perf_counter()
    with BenchServer(args.n) as server:
        pages = [len(server.pages[u[len(server.base_url) :]][2]) for u in server.article_urls]
        print(
            f"serving {args.n} article pages at {server.base_url} (mean {statistics.mean(pages) / 1024:.0f} KB, "
            f"rendered in {time.perf_counter() - start:.0f} s); concurrency {args.concurrency}, "
            f"{args.rounds} rounds"
        )
        runs: dict[str, list[dict[str, float]]] = {v: [] for v in variants}
        for r in range(args.rounds):
            order = variants[r % len(variants) :] + variants[: r % len(variants)]
            for kind in order:
                result = run_variant(kind, server, args.n, args.concurrency, args.before)
                runs[kind].append(result)
                print(
                    f"  round {r + 1} {kind:<10} {result['pages_per_s']:7.1f} pages/s "
                    f"{result['cpu_ms']:6.1f} ms CPU/page {result['rss_mb']:6.0f} MB peak RSS "
                    f"({result['requests']} requests)",
                    flush=True,
                )
    med = {
        v: {k: statistics.median(r[k] for r in rs) for k in ("pages_per_s", "cpu_ms", "rss_mb")}
        for v, rs in runs.items()
    }
    print("\nmedians:")
    for v in variants:
        m = med[v]
        print(
            f"  {v:<10} {m['pages_per_s']:7.1f} pages/s {m['cpu_ms']:6.1f} ms CPU/page "
            f"{m['rss_mb']:6.0f} MB peak RSS"
        )
    if "newscrawl" in med:
        c = med["newscrawl"]
        for base, target in (("bare", 0.33), ("afternoon", 2.0)):
            if base in med:
                print(
                    f"newscrawl / {base}: {c['pages_per_s'] / med[base]['pages_per_s']:.2f}x "
                    f"pages/s (target >= {target}x), CPU per page "
                    f"{c['cpu_ms'] / med[base]['cpu_ms']:.2f}x, peak RSS "
                    f"{c['rss_mb'] / med[base]['rss_mb']:.2f}x"
                )
        if "before" in med:
            b = med["before"]
            print(
                f"newscrawl / before: {c['pages_per_s'] / b['pages_per_s']:.2f}x pages/s, CPU per "
                f"page {c['cpu_ms'] / b['cpu_ms']:.2f}x"
            )
        print(f"every newscrawl run archived each of the {args.n} articles exactly once")
    if args.json:
        print(json.dumps(runs, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
