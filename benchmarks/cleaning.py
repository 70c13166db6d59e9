"""Benchmark: boilerplate left in article text, ours (extraction + cleaning) against trafilatura.

    .venv/bin/python benchmarks/cleaning.py [--rounds 5] [--portal kompas] [--show]

On every article fixture page, two pipelines read the same saved bytes:

- ``ours``: ``newscrawl.extract.extract_page`` with the portal's profile (page class, cleaning,
  dates, validation): the text the archive stores;
- ``trafilatura``: ``trafilatura.extract(html, url=..., include_comments=False)``.

Promotion left in the text is counted two ways, per page: lines flagged by
``newscrawl.clean.find_promo`` (read-also lines, ad labels, calls to follow, embeds, crawl bans,
copyright, syndication footers), and lines containing one of :data:`PROMO_MARKERS` (known
boilerplate strings of these portals, matched case-insensitively). Time per page is the best of
``--rounds`` passes (after a warm-up); the speed ratio is trafilatura's time over ours.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from newscrawl.clean import find_promo  # noqa: E402
from newscrawl.extract import extract_page  # noqa: E402
from tests.fixture_pages import Case, load_cases  # noqa: E402

#: Boilerplate strings seen on these portals (docs/indonesian-news.md, section 2).
PROMO_MARKERS = (
    "baca juga",
    "baca:",
    "lihat juga",
    "advertisement",
    "scroll to continue",
    "simak video",
    "[gambas",
    "google news",
    "whatsapp channel",
    "dapatkan update",
    "yuk, simak",
    "dilarang keras mengambil konten",
    "copyright",
    "artikel ini telah tayang",
    "editor :",
    "editor:",
    "penulis:",
    "pewarta:",
    "laporan wartawan",
    "[email protected]",
    "berita terkait",
    "terpopuler",
)


def marker_lines(text: str) -> list[str]:
    """Lines of ``text`` containing a known promo marker."""
    out = []
    for line in text.splitlines():
        low = line.lower()
        if any(m in low for m in PROMO_MARKERS):
            out.append(line.strip())
    return out


def ours(case: Case) -> str:
    result = extract_page(
        case.body,
        case.meta["url"],
        fetched_at=case.meta.get("fetched_at"),
        headers=case.meta.get("headers"),
    )
    return result.item.body or ""


def theirs(case: Case) -> str:
    import trafilatura

    html = case.body.decode("utf-8", "replace")
    return trafilatura.extract(html, url=case.meta["url"], include_comments=False) or ""


PIPELINES = {"ours": ours, "trafilatura": theirs}


def best_time(fn, cases: list[Case], rounds: int) -> float:
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
    parser.add_argument("--show", action="store_true", help="print every leftover line")
    args = parser.parse_args(argv)
    cases = [c for c in load_cases(args.portal) if c.is_article]
    if not cases:
        print("no article fixtures", file=sys.stderr)
        return 1

    promo: dict[str, dict[str, int]] = {n: defaultdict(int) for n in PIPELINES}
    markers: dict[str, dict[str, int]] = {n: defaultdict(int) for n in PIPELINES}
    for case in cases:
        for name, fn in PIPELINES.items():
            text = fn(case)
            left, marked = find_promo(text), marker_lines(text)
            promo[name][case.portal] += len(left)
            markers[name][case.portal] += len(marked)
            if args.show:
                for line in dict.fromkeys(left + marked):
                    print(f"  {name:<12} {case.id}: {line[:110]}")
    times = {name: best_time(fn, cases, args.rounds) for name, fn in PIPELINES.items()}

    portals = sorted({c.portal for c in cases})
    print(f"{len(cases)} article pages from {len(portals)} portals, best of {args.rounds} rounds\n")
    print("promo lines left (find_promo / known markers)")
    print(f"{'portal':<16}{'ours':>12}{'trafilatura':>16}")
    for portal in portals:
        o = f"{promo['ours'][portal]} / {markers['ours'][portal]}"
        t = f"{promo['trafilatura'][portal]} / {markers['trafilatura'][portal]}"
        print(f"{portal:<16}{o:>12}{t:>16}")
    total = {n: f"{sum(promo[n].values())} / {sum(markers[n].values())}" for n in PIPELINES}
    print(f"{'total':<16}{total['ours']:>12}{total['trafilatura']:>16}")
    print("\ntime per page (extraction + cleaning)")
    for name in PIPELINES:
        print(f"  {name:<12} {times[name] * 1000:8.2f} ms")
    print(f"  ours is {times['trafilatura'] / times['ours']:.1f}x the speed of trafilatura")
    return 0


if __name__ == "__main__":
    sys.exit(main())
