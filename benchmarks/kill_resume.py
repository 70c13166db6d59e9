"""Kill a large crawl at random points with SIGKILL, resume it, and check the archive is whole.

Serves N realistic article pages on 127.0.0.1 (:class:`newscrawl.demo.bench.BenchServer`), runs
the real ``newscrawl crawl`` against them and SIGKILLs it K times, each after a random number of
article requests; then crawls again until a crawl finishes. Prints, and exits non-zero unless:
every article archived exactly once with one version, no ``.open`` WARC file left, one seal
record per kill, and ``verify`` with no error and no warning.

    .venv/bin/python benchmarks/kill_resume.py --n 600 --kills 10 [--db postgresql+psycopg://...]

The suite keeps a small version of this (tests/test_crash_resume.py, 36 articles, 3 kills).
"""

from __future__ import annotations

import argparse
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.db import open_archive  # noqa: E402
from archive.models import Article, ArticleVersion  # noqa: E402
from benchmarks.crawl import command_for  # noqa: E402
from newscrawl.demo.bench import BenchServer  # noqa: E402
from newscrawl.verify import verify_archive  # noqa: E402
from newscrawl.warc import OPEN_SUFFIX, SEALED_FIELD, iter_records, warc_files  # noqa: E402


def crawl(server: BenchServer, workdir: str, db_url: str, kill_after: int | None) -> int:
    cmd = command_for("newscrawl", server.base_url, workdir, concurrency=8)
    cmd[cmd.index("--db") + 1] = db_url
    start = sum(1 for path, _ in server.requests if path.startswith("/news-"))
    proc = subprocess.Popen(cmd, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if kill_after is not None:
        while proc.poll() is None:
            done = sum(1 for path, _ in server.requests if path.startswith("/news-")) - start
            if done >= kill_after:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
    return proc.wait(timeout=1800)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=600, help="article pages served")
    parser.add_argument("--kills", type=int, default=10, help="SIGKILLs at random points")
    parser.add_argument("--seed", type=int, default=20240813)
    parser.add_argument("--db", help="archive URL (default: a SQLite file in a temp dir)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    workdir = tempfile.mkdtemp(prefix="nc-kill-")
    db_url = args.db or f"sqlite:///{Path(workdir, 'archive.sqlite3')}"
    warc_dir = Path(workdir, "warcs")
    started = time.monotonic()
    with BenchServer(args.n) as server:
        server.httpd.handle_error = lambda *_: None  # a killed crawler resets its connections
        codes = []
        for _ in range(args.kills):
            codes.append(crawl(server, workdir, db_url, rng.randint(5, max(6, args.n // 4))))
        finals = []
        for _ in range(5):
            finals.append(crawl(server, workdir, db_url, None))
            if finals[-1] == 0:
                break
        expected = {url.split("/", 3)[-1] for url in server.article_urls}
    engine, Session = open_archive(db_url, readonly=True)
    try:
        with Session() as session:
            urls = [u.split("/", 3)[-1] for u in session.scalars(sa.select(Article.canonical_url))]
            versions = session.scalar(sa.select(sa.func.count(ArticleVersion.id)))
    finally:
        engine.dispose()
    report = verify_archive(db_url, warc_dir)
    files = warc_files(warc_dir)
    sealed = sum(
        1
        for f in files
        for _, r in iter_records(f)
        if r.record_type == "metadata" and SEALED_FIELD.encode() in r.payload
    )
    killed = sum(1 for c in codes if c == -signal.SIGKILL)
    checks = {
        "every article once": sorted(urls) == sorted(expected) and len(urls) == len(set(urls)),
        "one version each": versions == len(expected),
        "no .open file left": not any(f.name.endswith(OPEN_SUFFIX) for f in files),
        "a seal record per kill": sealed >= killed,
        "verify: no error, no warning": report.problems == [],
        "last crawl finished": finals[-1] == 0,
    }
    print(
        f"{args.n} articles, {killed} SIGKILLs of {args.kills}, then {len(finals)} resuming "
        f"crawl(s) in {time.monotonic() - started:.0f} s"
    )
    print(f"archived {len(urls)} ({len(set(urls))} distinct), {versions} versions")
    print(f"WARC files {len(files)}, seal records {sealed}, verify problems {len(report.problems)}")
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    for problem in report.problems[:10]:
        print(f"    {problem}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
