"""Benchmark: reprocessing archived WARC records offline, with one and with two processes.

    .venv/bin/python benchmarks/reprocess.py [--n 600] [--rounds 3] [--jobs 1,2]

An archive of ``--n`` articles is built first, as a crawl would leave it: every page of
``newscrawl.demo.bench`` (about 90 KB, half of them gzip-encoded as sent) written to a WARC
file as a response record, and its extracted item stored with the record's pointer. Then
``newscrawl.reprocess.reprocess_archive`` (what ``newscrawl reprocess`` runs: read each record,
extract, clean, date, compare the content hash) runs over the whole archive with each
``--jobs`` value, interleaved and repeated ``--rounds`` times. Nothing changes, so nothing is
written: the figure is the cost of re-extraction. Printed: records/s per jobs value (median)
and the ratio of the largest to ``jobs=1`` (target >= 1.8x with 2 on a 2-core machine), and per
run the CPU seconds of this process and of its workers (where the work went). The speed-up
needs idle cores: on a machine busy with other work the ratio says more about the load.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]


def build_archive(n: int, workdir: str) -> tuple[str, str]:
    """A SQLite archive and WARC directory holding ``n`` captured bench pages."""
    from archive.db import open_archive
    from archive.store import get_or_create_source, insert_articles
    from newscrawl.demo.bench import bench_pages
    from newscrawl.extract import extract_page
    from newscrawl.warc import Capture, WarcFileWriter

    base = "http://127.0.0.1:8000"
    pages = bench_pages(n, base)
    warc_dir = os.path.join(workdir, "warcs")
    db_url = f"sqlite:///{os.path.join(workdir, 'archive.sqlite3')}"
    writer = WarcFileWriter(warc_dir, "surabayapagi")
    items = []
    fetched = datetime(2024, 9, 1, tzinfo=UTC)
    for path, (status, headers, body, packed) in pages.items():
        if not path.startswith("/news-"):
            continue
        sent = [(k, v) for k, v in headers.items()]
        if packed is not None:
            sent.append(("Content-Encoding", "gzip"))
        url = base + path
        pointer = writer.write(
            Capture(url=url, status=status, headers=sent, body=packed or body, date=fetched)
        )
        result = extract_page(body, url, site="surabayapagi", fetched_at=pointer["warc_date"])
        data = result.item.to_dict()
        data["warc"] = pointer
        items.append(data)
    writer.close()
    engine, Session = open_archive(db_url)
    with Session.begin() as session:
        get_or_create_source(session, "surabayapagi", name="Surabaya Pagi")
        insert_articles(session, items)
    engine.dispose()
    return db_url, warc_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", default="1,2", help="comma-separated worker counts")
    args = parser.parse_args(argv)
    from newscrawl.reprocess import reprocess_archive

    jobs = [int(j) for j in args.jobs.split(",")]
    with tempfile.TemporaryDirectory(prefix="nc-reprocess-") as workdir:
        start = time.perf_counter()
        db_url, warc_dir = build_archive(args.n, workdir)
        size = sum(f.stat().st_size for f in Path(warc_dir).iterdir())
        print(
            f"archive of {args.n} captures built in {time.perf_counter() - start:.0f} s "
            f"({size / 1e6:.0f} MB of WARC); {args.rounds} rounds of jobs={args.jobs}"
        )
        rates: dict[int, list[float]] = {j: [] for j in jobs}
        for r in range(args.rounds):
            order = jobs[r % len(jobs) :] + jobs[: r % len(jobs)]
            for j in order:
                start = time.perf_counter()
                own, kids = (
                    resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                )
                report = reprocess_archive(db_url, warc_dir, jobs=j)
                seconds = time.perf_counter() - start
                own2, kids2 = (
                    resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                )
                cpu_own = own2.ru_utime + own2.ru_stime - own.ru_utime - own.ru_stime
                cpu_kids = kids2.ru_utime + kids2.ru_stime - kids.ru_utime - kids.ru_stime
                if report.unchanged != args.n or report.errors:
                    raise SystemExit(f"jobs={j}: unexpected report {report.as_dict()}")
                rates[j].append(args.n / seconds)
                print(
                    f"  round {r + 1} jobs={j}: {args.n / seconds:6.1f} records/s; CPU s: "
                    f"this process {cpu_own:.1f}, workers {cpu_kids:.1f}; wall {seconds:.1f} s",
                    flush=True,
                )
    med = {j: statistics.median(v) for j, v in rates.items()}
    for j in jobs:
        print(f"jobs={j}: {med[j]:6.1f} records/s ({1000 / med[j]:.1f} ms per record)")
    if 1 in med and len(med) > 1:
        top = max(jobs)
        print(f"jobs={top} / jobs=1: {med[top] / med[1]:.2f}x (target >= 1.8x with 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
