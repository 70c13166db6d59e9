"""Benchmark: newscrawl.dates.parse_date against dateparser on Indonesian news date strings.

    .venv/bin/python benchmarks/dates.py [--n 10000] [--seed 20240813] [--no-dateparser]

Both parsers read the same seeded corpus (benchmarks/date_corpus.py: every portal shape of
docs/indonesian-news.md section 1, spelling variants, zones, prefixes, relative listings, a few
invalid strings). Accuracy is exact instant equality with the expected value; dateparser's naive
results are read as WIB, and an expected None is right only when the parser returns None.
dateparser is called as ``dateparser.parse(s, languages=["id"])``; relative strings also get
``settings={"RELATIVE_BASE": <fetch time, naive WIB>}``, the same fetch time ours receives as
``now``. parse_date has no cache, so every call is a real parse; the corpus is parsed once per
parser (after one warm-up call), and the time per string is the total divided by the count.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from date_corpus import NOW, WIB, Case, generate  # noqa: E402

from newscrawl.dates import parse_date  # noqa: E402


def _correct(result: datetime | None, case: Case) -> bool:
    if case.expected is None:
        return result is None
    if result is None:
        return False
    if result.tzinfo is None or result.utcoffset() is None:
        result = result.replace(tzinfo=WIB)
    return result == datetime.fromisoformat(case.expected)


def run_ours(cases: list[Case]) -> tuple[list[datetime | None], float]:
    parse_date("Selasa, 13 Agu 2024 18:13 WIB")
    results: list[datetime | None] = []
    append = results.append
    start = time.perf_counter()
    for case in cases:
        append(parse_date(case.text, now=NOW))
    return results, time.perf_counter() - start


def run_dateparser(cases: list[Case]) -> tuple[list[datetime | None], float]:
    import dateparser

    base = NOW.replace(tzinfo=None)
    relative_settings = {"RELATIVE_BASE": base}
    dateparser.parse("Selasa, 13 Agustus 2024 18:13 WIB", languages=["id"])
    results: list[datetime | None] = []
    start = time.perf_counter()
    for case in cases:
        try:
            if case.relative:
                value = dateparser.parse(case.text, languages=["id"], settings=relative_settings)
            else:
                value = dateparser.parse(case.text, languages=["id"])
        except Exception:  # a crash counts as a wrong answer
            value = None
        results.append(value)
    return results, time.perf_counter() - start


def report(name: str, cases: list[Case], results: list, seconds: float) -> tuple[int, float]:
    wrong = [(c, r) for c, r in zip(cases, results, strict=True) if not _correct(r, c)]
    per_us = seconds / len(cases) * 1e6
    ok = len(cases) - len(wrong)
    print(
        f"{name:<11} accuracy {ok}/{len(cases)} = {ok / len(cases):7.2%}   {per_us:9.1f} us/string"
    )
    return len(wrong), per_us


def by_kind(cases: list[Case], columns: dict[str, list]) -> None:
    total = Counter(c.kind for c in cases)
    good = {name: Counter() for name in columns}
    for name, results in columns.items():
        for case, result in zip(cases, results, strict=True):
            good[name][case.kind] += _correct(result, case)
    print(f"\n{'shape':<18}{'n':>6}" + "".join(f"{name:>13}" for name in columns))
    for kind in sorted(total):
        row = "".join(f"{good[name][kind] / total[kind]:>13.1%}" for name in columns)
        print(f"{kind:<18}{total[kind]:>6}{row}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="corpus size (default 10000)")
    parser.add_argument("--seed", type=int, default=20240813)
    parser.add_argument("--no-dateparser", action="store_true", help="time ours only")
    args = parser.parse_args(argv)

    cases = generate(args.n, args.seed)
    print(
        f"corpus: {len(cases)} strings, seed {args.seed}, {len(Counter(c.kind for c in cases))} shapes"
    )
    ours, ours_s = run_ours(cases)
    our_errors, our_us = report("newscrawl", cases, ours, ours_s)
    for case, result in [(c, r) for c, r in zip(cases, ours, strict=True) if not _correct(r, c)][
        :10
    ]:
        print(f"  ours wrong: {case.text!r} -> {result} (expected {case.expected})")
    columns = {"newscrawl": ours}
    if not args.no_dateparser:
        theirs, theirs_s = run_dateparser(cases)
        _, their_us = report("dateparser", cases, theirs, theirs_s)
        columns["dateparser"] = theirs
        by_kind(cases, columns)
        print(f"\nours is {their_us / our_us:.1f}x faster than dateparser")
    return 1 if our_errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
