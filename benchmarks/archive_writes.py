"""Benchmark: the crawl's archive write path against raw inserts of the same rows.

    .venv/bin/python benchmarks/archive_writes.py [--n 5000] [--db URL]

``--n`` crawled articles (``benchmarks/search.py``'s synthetic ~2 KB Indonesian-like items, with
a WARC pointer and the date candidates and flags a crawled item carries) are written three
ways into fresh archives, each timed on its own:

- ``raw``: ``executemany`` of the article rows through the driver (``sqlite3`` / psycopg), in
  transactions of ``--batch`` rows, into the ``articles`` table with its indexes and full-text
  triggers (``search.raw_ingest``);
- ``pipeline``: :class:`newscrawl.pipelines.ArchivePipeline`, the crawl's write path, fed the
  items one by one (batches of ``NEWSCRAWL_ARCHIVE_BATCH_SIZE`` = ``--batch``), then flushed;
- ``per item``: what the pipeline did before batching: one transaction per item with
  ``get_or_create_source`` and ``upsert_article``.

The ratio printed is pipeline items/s over raw rows/s (target >= 0.5). On PostgreSQL
(``--db postgresql+psycopg://postgres@127.0.0.1:5432/test``) every run writes into a scratch
schema that is dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

import sqlalchemy as sa  # noqa: E402

from archive.db import open_archive, resolve_db_url  # noqa: E402
from benchmarks.search import make_items, raw_ingest  # noqa: E402


def crawled_items(n: int, seed: int = 11) -> list[dict]:
    """Items as the crawl hands them to the archive (one portal, WARC pointers, candidates)."""
    out = []
    for i, item in enumerate(make_items(n, seed)):
        item = dict(item, source="surabayapagi")
        item["date_candidates"] = [["meta", item["published_at"]], ["visible", "x"]]
        item["flags"] = []
        item["extractor_version"] = "bench"
        item["warc"] = {
            "warc_file": "NEWSCRAWL-surabayapagi-20240813120000-00001.warc.gz",
            "warc_offset": 1000 * i,
            "warc_length": 20_000,
            "warc_record_id": f"<urn:uuid:00000000-0000-0000-0000-{i:012d}>",
            "warc_date": "2024-08-13T12:00:00Z",
            "payload_digest": "sha256:x",
            "revisit": False,
        }
        out.append(item)
    return out


class _Stats:
    def __init__(self) -> None:
        self.values: dict = {}

    def inc_value(self, key, count=1, start=0):
        self.values[key] = self.values.get(key, start) + count

    def set_value(self, key, value):
        self.values[key] = value

    def get_stats(self):
        return dict(self.values)


def pipeline_seconds(url: str, items: list[dict], batch: int) -> float:
    from scrapy.settings import Settings

    from newscrawl.items import ArticleItem
    from newscrawl.pipelines import ArchivePipeline

    class Crawler:
        settings = Settings(
            {
                "NEWSCRAWL_DB_URL": url,
                "NEWSCRAWL_ARCHIVE_BATCH_SIZE": batch,
                "NEWSCRAWL_RUN_WATCHES": False,
            }
        )
        stats = _Stats()
        spider = None

    pipeline = ArchivePipeline(Crawler())
    from archive.db import open_archive as _open

    pipeline.engine, pipeline.Session = _open(url)
    objects = [ArticleItem(**item) for item in items]
    start = time.perf_counter()
    for item in objects:
        pipeline.process_item(item)
    pipeline.flush()
    seconds = time.perf_counter() - start
    pipeline.engine.dispose()
    assert Crawler.stats.values.get("newscrawl/archive/new") == len(items), Crawler.stats.values
    return seconds


def per_item_seconds(url: str, items: list[dict]) -> float:
    from archive.store import get_or_create_source, upsert_article

    engine, Session = open_archive(url)
    start = time.perf_counter()
    for item in items:
        data = {k: v for k, v in item.items() if k != "warc"}
        with Session.begin() as session:
            get_or_create_source(session, item["source"], name="Surabaya Pagi")
            upsert_article(session, data, crawl_run_id=None, warc=item["warc"])
    seconds = time.perf_counter() - start
    engine.dispose()
    return seconds


class Scratch:
    """A fresh archive URL per run: a temporary SQLite file, or a PostgreSQL schema."""

    def __init__(self, url: str | None) -> None:
        self.base = url
        self.serial = 0
        self.dirs: list[str] = []
        self.schemas: list[str] = []

    def new(self) -> str:
        self.serial += 1
        if not self.base or self.base.startswith("sqlite"):
            d = tempfile.mkdtemp(prefix="nc-writes-")
            self.dirs.append(d)
            return resolve_db_url(os.path.join(d, "a.sqlite3"))
        schema = f"bench_writes_{os.getpid()}_{self.serial}"
        engine = sa.create_engine(self.base)
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        engine.dispose()
        self.schemas.append(schema)
        sep = "&" if "?" in self.base else "?"
        return f"{self.base}{sep}options=-csearch_path%3D{schema}"

    def cleanup(self) -> None:
        for d in self.dirs:
            for name in os.listdir(d):
                os.remove(os.path.join(d, name))
            os.rmdir(d)
        if self.schemas:
            engine = sa.create_engine(self.base)
            with engine.begin() as conn:
                for schema in self.schemas:
                    conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=100, help="items per transaction")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", help="a PostgreSQL URL (default: temporary SQLite files)")
    args = parser.parse_args(argv)
    base = resolve_db_url(args.db) if args.db else None
    items = crawled_items(args.n)
    scratch = Scratch(base)
    best = {"raw": float("inf"), "pipeline": float("inf"), "per item": float("inf")}
    try:
        for _ in range(args.rounds):
            url = scratch.new()
            open_archive(url)[0].dispose()
            best["raw"] = min(best["raw"], raw_ingest(url, items, batch=args.batch))
            best["pipeline"] = min(
                best["pipeline"], pipeline_seconds(scratch.new(), items, args.batch)
            )
            best["per item"] = min(best["per item"], per_item_seconds(scratch.new(), items))
    finally:
        scratch.cleanup()
    backend = "SQLite" if base is None else "PostgreSQL"
    raw_rate = args.n / best["raw"]
    print(f"{backend}, {args.n:,} items, transactions of {args.batch}, best of {args.rounds}:")
    for name, seconds in best.items():
        rate = args.n / seconds
        print(f"  {name:<9} {rate:8,.0f} items/s  ({rate / raw_rate:.2f}x raw)")
    print(
        f"crawl write path (pipeline) / raw inserts: {args.n / best['pipeline'] / raw_rate:.2f}x "
        f"(target >= 0.5); before batching (per item): {args.n / best['per item'] / raw_rate:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
