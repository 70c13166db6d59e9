"""Benchmark: article extraction with a profile, generic extraction, and trafilatura.

    .venv/bin/python benchmarks/extraction.py [--rounds 5] [--portal detik]

On every article fixture page (tests/fixtures/<portal>/<case>/), three extractors read the same
saved bytes:

- ``profile``: ``newscrawl.extract.extract_page`` (page class with the portal's profile, then the
  cleaning, date and validation stages): what the crawl runs;
- ``generic``: the same with ``generic=True`` (no profile: ``newscrawl extract --generic``);
- ``trafilatura``: ``trafilatura.extract(html, url=..., include_comments=False)``, text output.

Time per page is the best of ``--rounds`` passes over all pages divided by the page count (one
warm-up pass first); ratios are against trafilatura measured in the same run. Quality is the
body token F1 (bag of lower-cased words) against ``expected.json``'s ``body``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from newscrawl.extract import extract_page  # noqa: E402
from newscrawl.pages.score import token_f1  # noqa: E402
from tests.fixture_pages import Case, load_cases  # noqa: E402


def _ours(case: Case, generic: bool) -> str:
    result = extract_page(
        case.body,
        case.meta["url"],
        generic=generic,
        fetched_at=case.meta.get("fetched_at"),
        headers=case.meta.get("headers"),
    )
    return result.item.body or ""


def _trafilatura(case: Case) -> str:
    import trafilatura

    html = case.body.decode("utf-8", "replace")
    return trafilatura.extract(html, url=case.meta["url"], include_comments=False) or ""


EXTRACTORS = {
    "profile": lambda c: _ours(c, False),
    "generic": lambda c: _ours(c, True),
    "trafilatura": _trafilatura,
}


def best_time(fn, cases: list[Case], rounds: int) -> float:
    """Best seconds per page over ``rounds`` passes (after a warm-up pass)."""
    for case in cases:
        fn(case)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for case in cases:
            fn(case)
        best = min(best, time.perf_counter() - start)
    return best / len(cases)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--portal", help="only this portal's fixtures")
    args = parser.parse_args(argv)
    cases = [c for c in load_cases(args.portal) if c.is_article and "body" in c.expected]
    if not cases:
        print("no article fixtures with an expected body", file=sys.stderr)
        return 1

    f1: dict[str, dict[str, list[float]]] = {name: defaultdict(list) for name in EXTRACTORS}
    for case in cases:
        for name, fn in EXTRACTORS.items():
            f1[name][case.portal].append(token_f1(fn(case), case.expected["body"]))
    times = {name: best_time(fn, cases, args.rounds) for name, fn in EXTRACTORS.items()}

    portals = sorted({c.portal for c in cases})
    print(f"{len(cases)} article pages from {len(portals)} portals, best of {args.rounds} rounds\n")
    print("body token F1 (mean per portal)")
    print(f"{'portal':<16}" + "".join(f"{n:>13}" for n in EXTRACTORS))
    for portal in portals:
        row = "".join(f"{statistics.mean(f1[n][portal]):>13.3f}" for n in EXTRACTORS)
        print(f"{portal:<16}{row}")
    overall = {n: statistics.mean(v for vs in f1[n].values() for v in vs) for n in EXTRACTORS}
    worst = {n: min(v for vs in f1[n].values() for v in vs) for n in EXTRACTORS}
    print(f"{'mean':<16}" + "".join(f"{overall[n]:>13.3f}" for n in EXTRACTORS))
    print(f"{'min':<16}" + "".join(f"{worst[n]:>13.3f}" for n in EXTRACTORS))
    print("\ntime per page")
    base = times["trafilatura"]
    for name in EXTRACTORS:
        print(
            f"  {name:<12} {times[name] * 1000:8.2f} ms   "
            f"{base / times[name]:5.1f}x the speed of trafilatura"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
