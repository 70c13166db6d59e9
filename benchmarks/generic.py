"""Benchmark: the generic extractor against trafilatura on the WCXB development split.

    .venv/bin/python benchmarks/generic.py [--data DIR] [--limit N] [--worst K] [--split heldout]

``DIR`` (default ``../shared/data/wcxb-dev`` beside the checkout) holds WCXB's development pages
(``dev/html/ID.html.gz``), their ground truth (``dev/ground-truth/ID.json``) and
``metadata.json`` (page type per ID); its README gives the layout and the scoring rule. Only
local files are read.

In one run, on the same decoded text of every page:

- ``newscrawl``: ``newscrawl.extract.extract_page(..., generic=True)``, what ``newscrawl extract
  --generic`` and the crawl of a portal without a profile run (not-article detection, the
  generic page class, cleaning, validation); its ``body`` is scored;
- ``trafilatura``: ``trafilatura.extract(html, url=..., include_comments=False)``.

Article pages are scored with WCXB's word-level F1 (lower-cased ``\\w+`` tokens, multiset
overlap; an empty reference scores 1.0 only against an empty prediction), averaged over pages.
Listing and collection pages count as refused when newscrawl's not-article detection
(``not_article_reason``) names a reason; an article counts as refused for the same reason, and as
dropped when validation finds no title or no body (the crawl archives neither).

``--split dev`` / ``--split heldout`` keep the IDs not ending / ending in 0 or 1: the held-out
fifth was not looked at while tuning the extractor.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from newscrawl.extract import extract_page, make_response  # noqa: E402

#: ``../shared/data/wcxb-dev`` beside the checkout (or beside the folder of a worktree).
DEFAULT_DATA = next(
    (
        base / "shared" / "data" / "wcxb-dev"
        for base in ROOT.parents
        if (base / "shared" / "data" / "wcxb-dev").is_dir()
    ),
    ROOT.parent / "shared" / "data" / "wcxb-dev",
)
#: Reasons of the not-article detection (the others come from validation).
DETECT_REASONS = frozenset(["listing", "soft_404", "bot_challenge"])
_WORD_RE = re.compile(r"\w+")


def word_prf(predicted: str | None, reference: str | None) -> tuple[float, float, float]:
    """WCXB's word-level precision, recall and F1.

    >>> word_prf("The cat sat", "the cat sat down")
    (1.0, 0.75, 0.8571428571428571)
    >>> word_prf("", ""), word_prf("x", "")
    ((1.0, 1.0, 1.0), (0.0, 0.0, 0.0))
    """
    pred = Counter(_WORD_RE.findall((predicted or "").lower()))
    ref = Counter(_WORD_RE.findall((reference or "").lower()))
    if not ref:
        return (1.0, 1.0, 1.0) if not pred else (0.0, 0.0, 0.0)
    if not pred:
        return 0.0, 0.0, 0.0
    overlap = sum((pred & ref).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    p, r = overlap / sum(pred.values()), overlap / sum(ref.values())
    return p, r, 2 * p * r / (p + r)


@dataclass
class Page:
    id: str
    kind: str
    domain: str
    url: str
    html: bytes
    reference: str


def load_pages(data: Path, *, split: str = "all", limit: int | None = None) -> list[Page]:
    meta = json.loads((data / "metadata.json").read_text(encoding="utf-8"))["files"]
    pages: list[Page] = []
    for page_id in sorted(meta):
        info = meta[page_id]
        kind = info.get("page_type")
        if kind not in ("article", "listing", "collection"):
            continue
        held = page_id[-1] in "01"
        if (split == "dev" and held) or (split == "heldout" and not held):
            continue
        truth = json.loads((data / "dev" / "ground-truth" / f"{page_id}.json").read_text("utf-8"))
        html = gzip.decompress((data / "dev" / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(
            Page(
                id=page_id,
                kind=kind,
                domain=info.get("domain", ""),
                url=truth.get("url") or f"https://{info.get('domain', 'example.com')}/",
                html=html,
                reference=(truth.get("ground_truth") or {}).get("main_content") or "",
            )
        )
        if limit and len(pages) >= limit:
            break
    return pages


def run_newscrawl(page: Page) -> tuple[str, str | None, str | None]:
    """Body text, the invalid reason and the body source of newscrawl's generic extraction."""
    result = extract_page(page.html, page.url, generic=True)
    return result.item.body or "", result.invalid_reason, result.body_source


def run_trafilatura(text: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(text, url=url, include_comments=False) or ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="WCXB dev folder")
    parser.add_argument("--limit", type=int, help="only the first N pages (by ID)")
    parser.add_argument("--split", choices=("all", "dev", "heldout"), default="all")
    parser.add_argument("--worst", type=int, default=0, help="list the K worst articles")
    parser.add_argument("--ids", help="comma-separated IDs only")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # trafilatura and lxml chatter about broken pages

    if not (args.data / "metadata.json").is_file():
        print(f"no WCXB data in {args.data} (metadata.json missing)", file=sys.stderr)
        return 1
    pages = load_pages(args.data, split=args.split, limit=args.limit)
    if args.ids:
        wanted = set(args.ids.split(","))
        pages = [p for p in pages if p.id in wanted]
    if not pages:
        print("no pages", file=sys.stderr)
        return 1

    rows = []
    time_ours = time_traf = 0.0
    refused_lists: list[str] = []
    refused_articles: list[tuple[str, str]] = []
    dropped_articles: list[tuple[str, str]] = []
    kinds = Counter(p.kind for p in pages)
    for page in pages:
        start = time.perf_counter()
        body, reason, how = run_newscrawl(page)
        time_ours += time.perf_counter() - start
        if page.kind != "article":
            if reason in DETECT_REASONS:
                refused_lists.append(page.id)
            continue
        text = make_response(page.html, page.url).text
        start = time.perf_counter()
        traf = run_trafilatura(text, page.url)
        time_traf += time.perf_counter() - start
        if reason in DETECT_REASONS:
            refused_articles.append((page.id, reason))
        elif reason:
            dropped_articles.append((page.id, reason))
        ours_prf = word_prf(body, page.reference)
        traf_prf = word_prf(traf, page.reference)
        rows.append((page, ours_prf, traf_prf, how))

    n = len(rows)
    lists = kinds["listing"] + kinds["collection"]
    print(
        f"WCXB dev ({args.split}): {n} articles, {kinds['listing']} listings, "
        f"{kinds['collection']} collections from {args.data}\n"
    )
    if n:
        print(f"{'article body':<22}{'newscrawl':>12}{'trafilatura':>13}")
        for i, name in enumerate(("precision", "recall", "F1")):
            ours = statistics.mean(r[1][i] for r in rows)
            traf = statistics.mean(r[2][i] for r in rows)
            print(f"  mean {name:<15}{ours:>12.3f}{traf:>13.3f}")
        worse = sum(r[1][2] < r[2][2] - 0.01 for r in rows)
        better = sum(r[1][2] > r[2][2] + 0.01 for r in rows)
        print(f"  pages worse by >0.01 {worse:>12}{better:>13}")
        print(f"  pages with F1 < 0.5  {sum(r[1][2] < 0.5 for r in rows):>12}", end="")
        print(f"{sum(r[2][2] < 0.5 for r in rows):>13}")
        refused = ", ".join(f"{i} ({why})" for i, why in refused_articles)
        print(f"  articles refused as not articles: {len(refused_articles)}/{n} {refused}")
        dropped = ", ".join(f"{i} ({why})" for i, why in dropped_articles)
        print(f"  articles failing validation: {len(dropped_articles)}/{n} {dropped}")
        if args.split == "all":
            for name, held in (("tuning (IDs not ending 0/1)", False), ("held out (0/1)", True)):
                part = [r for r in rows if (r[0].id[-1] in "01") == held]
                if part:
                    ours = statistics.mean(r[1][2] for r in part)
                    traf = statistics.mean(r[2][2] for r in part)
                    print(f"  F1 on {name}, {len(part)} pages: {ours:.3f} vs {traf:.3f}")
        sources = Counter((r[3] or "none").split(":")[0] for r in rows)
        print("  body sources: " + ", ".join(f"{k} {v}" for k, v in sources.most_common()))
    if lists:
        share = len(refused_lists) / lists
        print(
            f"\nlisting + collection pages refused as not articles: "
            f"{len(refused_lists)}/{lists} ({share:.1%})"
        )
        held = [p.id for p in pages if p.kind != "article" and p.id[-1] in "01"]
        if args.split == "all" and held:
            got = sum(i in refused_lists for i in held)
            print(f"  of them held out (IDs ending 0/1): {got}/{len(held)}")
    print(
        f"\ntime per page: newscrawl {time_ours * 1000 / len(pages):.1f} ms "
        f"(all {len(pages)} pages, detection + extraction + cleaning), "
        f"trafilatura {time_traf * 1000 / max(n, 1):.1f} ms (articles)"
    )
    if args.worst and rows:
        print(
            f"\nworst {args.worst} articles for newscrawl (id, domain, F1 ours/traf, P/R, source)"
        )
        for page, ours, traf, how in sorted(rows, key=lambda r: r[1][2] - r[2][2])[: args.worst]:
            print(
                f"  {page.id} {page.domain:<28} {ours[2]:.3f}/{traf[2]:.3f} "
                f"P {ours[0]:.2f} R {ours[1]:.2f}  {how}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
