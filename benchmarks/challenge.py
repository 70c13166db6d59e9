"""Benchmark: the bot-challenge check on realistic pages, with and without the pre-filter.

    .venv/bin/python benchmarks/challenge.py [--n 40] [--rounds 5]

On ``--n`` pages of ``newscrawl.demo.bench`` (about 95 KB each), what
``ResponseCheckMiddleware`` does per response for the markup check: before, the head (100,000
bytes) decoded and searched with the case-insensitive regex; now, the lower-cased literal
pre-filter on the head bytes first (``may_hold_challenge_markup``), and the decode and regex
only where it finds a hint. CPU time per page, best of ``--rounds``; the ratio is before/now.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from newscrawl.demo.bench import bench_pages  # noqa: E402
from newscrawl.safety.charset import (  # noqa: E402
    _CHALLENGE_HTML_RE,
    _CHALLENGE_SCAN,
    may_hold_challenge_markup,
)


def before(pages: list[bytes]) -> int:
    return sum(
        bool(_CHALLENGE_HTML_RE.search(b[:_CHALLENGE_SCAN].decode("utf-8", "replace")))
        for b in pages
    )


def now(pages: list[bytes]) -> int:
    hits = 0
    for body in pages:
        head = body[:_CHALLENGE_SCAN]
        if may_hold_challenge_markup(head):
            hits += bool(_CHALLENGE_HTML_RE.search(head.decode("utf-8", "replace")))
    return hits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    pages = [v[2] for k, v in bench_pages(args.n, "http://127.0.0.1:8000").items() if "/news-" in k]
    best = {}
    for fn in (before, now):
        times = []
        for _ in range(args.rounds):
            start = time.process_time()
            hits = fn(pages)
            times.append((time.process_time() - start) / len(pages))
        best[fn.__name__] = min(times)
        print(
            f"{fn.__name__:<7} {best[fn.__name__] * 1000:6.2f} ms CPU per page ({hits} challenges)"
        )
    print(f"before / now: {best['before'] / best['now']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
