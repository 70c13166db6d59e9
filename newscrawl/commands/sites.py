"""``newscrawl sites``: the portals with their entry points and crawl policy, and
``newscrawl sites check SITE``: run a portal's fixture cases and show, field by field, what came
out against what a reader expects (exit 1 on any mismatch)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from newscrawl.cli import command, fail

#: Fields of an article case's expected.json that describe the item.
ITEM_FIELDS = (
    "title",
    "published_at",
    "authors",
    "editor",
    "reporter",
    "dateline_city",
    "section",
    "tags",
    "related_links",
    "captions",
    "syndicated_from",
    "canonical_url",
    "description",
    "body",
)


def _sites_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", nargs="?", choices=("check",), help="check: run a portal's fixtures")
    p.add_argument("site", nargs="?", help="portal key (with check)")
    p.add_argument(
        "--fixtures",
        default="tests/fixtures",
        metavar="DIR",
        help="fixture directory for check (default: tests/fixtures)",
    )
    p.add_argument("--generic", action="store_true", help="check: ignore the profile")
    p.add_argument("--json", action="store_true", help="print as JSON")


def site_rows() -> list[dict[str, Any]]:
    from newscrawl.portals import all_profiles

    rows = []
    for p in all_profiles().values():
        rows.append(
            {
                "key": p.key,
                "name": p.name,
                "base_url": p.base_url,
                "domains": list(p.domains),
                "feeds": list(p.feeds),
                "sitemaps": list(p.sitemaps),
                "listings": list(dict.fromkeys(p.start_urls + p.listings)),
                "date_index": p.date_index,
                "split_param": p.split_param,
                "timezone": p.timezone,
                "allowed": p.policy.allowed,
                "policy": "allowed" if p.policy.allowed else f"excluded: {p.policy.reason}",
                "revisit_hours": p.policy.revisit_hours,
            }
        )
    return rows


@command(
    "sites",
    "list the portals with entry points and crawl policy; `sites check SITE` runs its fixtures",
    "newscrawl sites --json\n  newscrawl sites check kompas --fixtures tests/fixtures",
    _sites_args,
)
def cmd_sites(args: argparse.Namespace) -> int:
    if args.action == "check":
        if not args.site:
            return fail("sites check needs a portal key")
        return check_site(args.site, Path(args.fixtures), generic=args.generic, as_json=args.json)
    rows = site_rows()
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for r in rows:
        print(f"{r['key']:<16} {r['name']} <{r['base_url']}>  [{r['timezone']}] {r['policy']}")
        print(f"{'':<16} domains: {', '.join(r['domains'])}")
        entries = (
            r["feeds"]
            + r["sitemaps"]
            + r["listings"]
            + ([r["date_index"]] if r["date_index"] else [])
        )
        print(f"{'':<16} entry points: {', '.join(entries)}")
    return 0


def check_site(
    key: str,
    fixtures: Path,
    *,
    generic: bool = False,
    as_json: bool = False,
    out: TextIO | None = None,
) -> int:
    """Run every fixture case of portal ``key``; print ✓/✗ per field; 1 on any mismatch."""
    from newscrawl.demo.fixture_site import load_fixture_cases
    from newscrawl.portals import all_profiles

    out = out or sys.stdout
    if key not in all_profiles():
        return fail(f"unknown portal {key!r}; known: {', '.join(all_profiles())}")
    cases = load_fixture_cases(key, fixtures)
    if not cases:
        return fail(f"no fixture cases for {key} under {fixtures}")
    report = [check_case(key, case, generic=generic) for case in cases]
    bad = sum(1 for r in report for f in r["fields"] if not f["ok"])
    total = sum(len(r["fields"]) for r in report)
    if as_json:
        json.dump(
            {"site": key, "cases": report, "mismatches": bad}, out, ensure_ascii=False, indent=2
        )
        print(file=out)
    else:
        for r in report:
            print(f"{r['case']} ({r['kind']})", file=out)
            for f in r["fields"]:
                mark = "✓" if f["ok"] else "✗"
                line = f"  {mark} {f['field']}"
                if f.get("note"):
                    line += f"  {f['note']}"
                if not f["ok"]:
                    line += f"\n      got      {f['got']}\n      expected {f['expected']}"
                print(line, file=out)
        print(f"{key}: {total - bad}/{total} fields as expected in {len(report)} cases", file=out)
    return 1 if bad else 0


def check_case(key: str, case: Any, *, generic: bool = False) -> dict[str, Any]:
    from newscrawl.pages.score import short, token_f1

    fields: list[dict[str, Any]] = []
    if case.is_listing:
        articles, pages = listing_schedule(key, case)
        for name, got in (("article_urls", articles), ("next_pages", pages)):
            if name in case.expected:
                exp = case.expected[name]
                fields.append(
                    {
                        "field": name,
                        "ok": got == exp,
                        "got": short(got),
                        "expected": short(exp),
                        "note": f"{len(got)} vs {len(exp)}",
                    }
                )
        return {"case": case.name, "kind": "listing", "fields": fields}
    from newscrawl.extract import extract_page, make_response
    from newscrawl.pages.detect import not_article_reason

    if not case.is_article:
        from newscrawl.portals import get_profile

        response = make_response(case.body, case.url, headers=case.headers, status=case.status)
        got = not_article_reason(response, get_profile(key))
        exp = case.expected.get("reason")
        fields.append(
            {"field": "reason", "ok": got == exp, "got": short(got), "expected": short(exp)}
        )
        return {"case": case.name, "kind": "not an article", "fields": fields}
    result = extract_page(
        case.body,
        case.url,
        site=None if generic else key,
        generic=generic,
        status=case.status,
        headers=case.headers,
    )
    item = result.item
    for name in ITEM_FIELDS:
        if name not in case.expected:
            continue
        got, exp = getattr(item, name), case.expected[name]
        entry = {"field": name, "ok": got == exp, "got": short(got), "expected": short(exp)}
        if name == "body":
            entry["note"] = f"token F1 {token_f1(got, exp):.3f}"
        fields.append(entry)
    fields.append(
        {
            "field": "valid article",
            "ok": result.invalid_reason is None,
            "got": short(result.invalid_reason),
            "expected": "None",
        }
    )
    return {"case": case.name, "kind": "article", "fields": fields}


def listing_schedule(key: str, case: Any) -> tuple[list[str], list[str]]:
    """The article URLs and next listing pages the portal's spider schedules from a saved
    listing, feed or sitemap (no network)."""
    from scrapy.http import HtmlResponse, Request, XmlResponse
    from scrapy.utils.test import get_crawler

    from newscrawl.spiders.portals import spider_class

    cls = spider_class(key)
    crawler = get_crawler(cls, {"NEWSCRAWL_DB_URL": ""})
    spider = cls.from_crawler(crawler)
    crawler.spider = spider
    crawler.stats.open_spider()
    rcls = XmlResponse if case.body.lstrip()[:5] == b"<?xml" else HtmlResponse
    response = rcls(url=case.url, body=case.body, headers=case.headers, request=Request(case.url))
    articles, pages = [], []
    for request in spider.parse_listing(response):
        if request.callback == spider.parse_article:
            articles.append(request.url)
        elif request.callback == spider.parse_listing:
            pages.append(request.url)
    return articles, pages
