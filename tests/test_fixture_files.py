"""Every fixture case under ``tests/fixtures/<portal>/<case>/`` is well formed.

The checks hold for every portal's folder, whoever wrote it: the files a case needs, valid JSON
with the allowed keys and types, article bodies free of boilerplate, and expectations that can
be read on the page itself (title, body paragraphs, related links and captions are in the page's
visible text; listing URLs are in the listing's source). The fixture format is described in the
project's fixture spec: page.html (or feed.xml / sitemap.xml), meta.json, expected.json.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from newscrawl.items import FIELD_NAMES

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p for p in FIXTURES.glob("*/*") if p.is_dir() and not p.name.startswith("."))
CASE_IDS = [f"{p.parent.name}/{p.name}" for p in CASES]

PAGE_FILES = ("page.html", "feed.xml", "sitemap.xml")
META_KEYS = {"url", "fetched_at", "status", "headers"}
META_REQUIRED = {"url", "fetched_at", "status"}
# Listing/feed expectations: the spec's two lists, plus the all-pagination list and the feed form
# (``item_links`` / ``items``) used by the Surabaya Pagi replica tests.
LISTING_URL_LISTS = ("article_urls", "next_pages", "pagination_urls", "item_links")
LISTING_KEYS = {*LISTING_URL_LISTS, "items"}
NOT_ARTICLE_KEYS = {"is_article", "reason"}
ARTICLE_KEYS = set(FIELD_NAMES) | {"is_article"}
STR_OR_NULL = ("editor", "reporter", "dateline_city", "section", "syndicated_from")
STR_LISTS = ("authors", "tags", "captions")

# Boilerplate that must never survive into an expected body (matched case-insensitively).
FORBIDDEN_IN_BODY = (
    "baca juga",
    "lihat juga",
    "advertisement",
    "scroll to continue",
    "[gambas",
    "simak video",
    "google news",
    "whatsapp channel",
    "artikel ini telah tayang",
    "dapatkan update berita",
    "yuk, simak juga video",
    "dilarang keras mengambil konten",
    "copyright ©",
)
# A paragraph that is a "read also" line or an editor/writer/reporter line.
BOILERPLATE_PARAGRAPH = re.compile(
    r"^(?:baca(?: juga)?\s*:|lihat juga\s*:|(?:editor|penulis|pewarta|reporter|redaktur)\s*:"
    r"|laporan wartawan\b)",
    re.IGNORECASE,
)
# A dateline left at the start of the body: "JAKARTA, KOMPAS.com - ", "Jakarta, CNN Indonesia --",
# "SURYA.co.id | MALANG - ", "jpnn.com, JAKARTA - ", "Surabaya (beritajatim.com) –".
DATELINE_AT_START = re.compile(
    r"^.{0,40}?\b(?:KOMPAS\.com|CNN Indonesia|ANTARA|TRIBUN\w*\.COM|SURYA\.co\.id|jpnn\.com"
    r"|SURABAYAPAGI\.COM|beritajatim\.com|detik\w*)\)?\s*(?:[|,][^-–—]{0,30})?[-–—|]",
    re.IGNORECASE,
)
# Reporter codes at the very end: "(vyp/kna)", "(mcr12/jpnn)", "(H-4)", "(Ant/P-5)", "Ml-01/ham".
REPORTER_CODE_AT_END = re.compile(
    r"(?:\((?:[a-z0-9]{2,8}/){1,3}[a-z0-9]{2,8}\)|\((?:[A-Za-z]{2,4}/)?[A-Z]{1,3}-\d{1,3}\)"
    r"|\b[A-Z][a-z]{1,3}-\d{2}/[a-z]{2,4})\s*$"
)
# Characters a clean body never holds: NBSP, zero-width space/joiners, BOM.
INVISIBLE = re.compile("[\u00a0\u200b\u200c\u200d\u2060\ufeff]")
WHITESPACE_RUN = re.compile(r"\s+")
CHARSET = re.compile(r"charset=([\w-]+)", re.IGNORECASE)
META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.IGNORECASE)
BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "td", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "figure", "figcaption", "section", "article", "header", "footer", "blockquote", "br",
}  # fmt: skip


def _load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _page_file(case: Path) -> Path | None:
    return next((case / n for n in PAGE_FILES if (case / n).is_file()), None)


def _is_listing(case: Path, expected: dict) -> bool:
    return case.name.startswith("listing-") or bool(LISTING_KEYS & set(expected))


def _is_not_article(expected: dict) -> bool:
    """A page that must not be archived as an article (bot challenge, listing, ...)."""
    return expected.get("is_article") is False


def _is_abs_url(value) -> bool:
    if not isinstance(value, str) or value != value.strip():
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _norm(text: str) -> str:
    text = INVISIBLE.sub(lambda m: " " if m.group() == "\u00a0" else "", text)
    return unicodedata.normalize("NFC", WHITESPACE_RUN.sub(" ", text).strip())


def _decode(case: Path, raw: bytes) -> str:
    meta = _load_json(case / "meta.json")
    ctype = str(meta.get("headers", {}).get("Content-Type", ""))
    m = CHARSET.search(ctype) or META_CHARSET.search(raw[:4096])
    charset = m.group(1) if m else "utf-8"
    if isinstance(charset, bytes):
        charset = charset.decode("ascii")
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _json_strings(v)


def _html_text(fragment: str) -> str:
    try:
        root = lxml.html.fromstring(fragment)
    except Exception:  # noqa: BLE001 - plain text or an empty fragment
        return fragment
    for el in root.iter():
        if el.get("data-cfemail"):
            # Cloudflare email obfuscation: the reader's browser shows the decoded address.
            decoded = _cf_email(el.get("data-cfemail"))
            if decoded:
                for child in list(el):
                    el.remove(child)
                el.text = decoded
        if isinstance(el.tag, str) and el.tag.lower() in BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    return root.text_content()


def _cf_email(hexed: str) -> str:
    """Decode Cloudflare's ``data-cfemail`` (first byte is the XOR key)."""
    try:
        data = bytes.fromhex(hexed)
    except ValueError:
        return ""
    return bytes(b ^ data[0] for b in data[1:]).decode("utf-8", errors="replace") if data else ""


def _visible_text(case: Path) -> str:
    """The page's text as a reader sees it, plus strings of embedded JSON data (Next.js
    ``script`` blobs and Inertia ``data-page`` attributes)."""
    source = _decode(case, (case / "page.html").read_bytes())
    parts = [_html_text(source)]
    root = lxml.html.fromstring(source)
    blobs = [
        script.text or ""
        for script in root.iter("script")
        if (script.get("type") or "").lower() in ("application/json", "application/ld+json")
        or script.get("id") == "__NEXT_DATA__"
    ]
    blobs += [str(v) for v in root.xpath("//@data-page")]
    for blob in blobs:
        try:
            data = json.loads(blob)
        except ValueError:
            continue
        parts.extend(_html_text(s) if "<" in s else html.unescape(s) for s in _json_strings(data))
    return _norm("\n".join(parts))


def test_fixture_cases_exist():
    assert CASES, f"no fixture cases under {FIXTURES}"


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_case_has_required_files(case: Path):
    assert _page_file(case) is not None, f"{case}: needs one of {PAGE_FILES}"
    assert (case / "meta.json").is_file(), f"{case}: meta.json missing"
    assert (case / "expected.json").is_file(), f"{case}: expected.json missing"


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_meta_json(case: Path):
    meta = _load_json(case / "meta.json")
    assert isinstance(meta, dict)
    assert set(meta) >= META_REQUIRED, f"missing {META_REQUIRED - set(meta)}"
    assert set(meta) <= META_KEYS, f"unknown keys {set(meta) - META_KEYS}"
    assert _is_abs_url(meta["url"]), meta["url"]
    fetched = datetime.fromisoformat(meta["fetched_at"])
    assert fetched.utcoffset() is not None and fetched.utcoffset().total_seconds() == 0
    assert isinstance(meta["status"], int) and 100 <= meta["status"] <= 599
    headers = meta.get("headers", {})
    assert isinstance(headers, dict)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items())


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_expected_json_keys_and_types(case: Path):
    expected = _load_json(case / "expected.json")
    assert isinstance(expected, dict) and expected
    if _is_listing(case, expected):
        assert set(expected) <= LISTING_KEYS, f"unknown keys {set(expected) - LISTING_KEYS}"
        for key in set(LISTING_URL_LISTS) & set(expected):
            urls = expected[key]
            assert isinstance(urls, list)
            assert all(_is_abs_url(u) for u in urls), [u for u in urls if not _is_abs_url(u)]
            assert len(urls) == len(set(urls)), f"{key} has duplicates"
        for item in expected.get("items", []):
            assert isinstance(item, dict) and _is_abs_url(item.get("url")), item
            if item.get("published_at") is not None:
                assert datetime.fromisoformat(item["published_at"]).utcoffset() is not None
        return
    if _is_not_article(expected):
        assert set(expected) <= NOT_ARTICLE_KEYS, f"unknown keys {set(expected) - NOT_ARTICLE_KEYS}"
        assert isinstance(expected.get("reason", "?"), str) and expected.get("reason", "?")
        return
    assert set(expected) <= ARTICLE_KEYS, f"unknown keys {set(expected) - ARTICLE_KEYS}"
    if "title" in expected:
        assert isinstance(expected["title"], str) and expected["title"].strip()
        assert expected["title"] == _norm(expected["title"])
    if expected.get("published_at") is not None:
        when = datetime.fromisoformat(expected["published_at"])
        assert when.utcoffset() is not None, "published_at needs an offset"
    for key in STR_OR_NULL:
        if key in expected:
            assert expected[key] is None or (isinstance(expected[key], str) and expected[key])
    for key in STR_LISTS:
        if key in expected:
            assert isinstance(expected[key], list)
            assert all(isinstance(v, str) and v.strip() for v in expected[key])
    if "canonical_url" in expected:
        assert _is_abs_url(expected["canonical_url"])
    for link in expected.get("related_links", []):
        assert isinstance(link, dict) and set(link) == {"title", "url"}, link
        assert isinstance(link["title"], str) and link["title"].strip()
        assert _is_abs_url(link["url"]), link
    if "body" in expected:
        assert isinstance(expected["body"], str)


ARTICLE_CASES = [
    c
    for c in CASES
    if (c / "expected.json").is_file()
    and not _is_listing(c, _load_json(c / "expected.json"))
    and not _is_not_article(_load_json(c / "expected.json"))
    and isinstance(_load_json(c / "expected.json").get("body"), str)
]


@pytest.mark.parametrize(
    "case", ARTICLE_CASES, ids=[f"{c.parent.name}/{c.name}" for c in ARTICLE_CASES]
)
def test_article_body_is_clean(case: Path):
    body = _load_json(case / "expected.json")["body"]
    assert body.strip(), "empty body"
    lowered = body.lower()
    found = [s for s in FORBIDDEN_IN_BODY if s in lowered]
    assert not found, f"boilerplate left in body: {found}"
    assert not INVISIBLE.search(body), "NBSP / zero-width / BOM in body"
    assert body == unicodedata.normalize("NFC", body), "body is not NFC"
    assert not DATELINE_AT_START.match(body), f"dateline left at start: {body[:60]!r}"
    assert not REPORTER_CODE_AT_END.search(body), f"reporter code at end: {body[-40:]!r}"
    for para in body.split("\n\n"):
        assert para, "empty paragraph (three or more newlines)"
        assert para == para.strip(), f"untrimmed paragraph: {para[:40]!r}"
        assert "\n" not in para, f"single newline inside a paragraph: {para[:40]!r}"
        assert "  " not in para and "\t" not in para, f"double space: {para[:40]!r}"
        assert not BOILERPLATE_PARAGRAPH.match(para), f"boilerplate paragraph: {para[:60]!r}"


HTML_ARTICLE_CASES = [c for c in ARTICLE_CASES if (c / "page.html").is_file()]


@pytest.mark.parametrize(
    "case", HTML_ARTICLE_CASES, ids=[f"{c.parent.name}/{c.name}" for c in HTML_ARTICLE_CASES]
)
def test_expected_text_is_on_the_page(case: Path):
    expected = _load_json(case / "expected.json")
    text = _visible_text(case)
    missing = []
    if expected.get("title"):
        missing += [("title", expected["title"])] if _norm(expected["title"]) not in text else []
    for para in expected["body"].split("\n\n"):
        if _norm(para) not in text:
            missing.append(("body", para[:80]))
    for link in expected.get("related_links", []):
        if _norm(link["title"]) not in text:
            missing.append(("related", link["title"]))
    for caption in expected.get("captions", []):
        if _norm(caption) not in text:
            missing.append(("caption", caption[:80]))
    assert not missing, f"expected text not found on the page: {missing}"


LISTING_CASES = [
    c
    for c in CASES
    if (c / "expected.json").is_file() and _is_listing(c, _load_json(c / "expected.json"))
]


@pytest.mark.parametrize(
    "case", LISTING_CASES, ids=[f"{c.parent.name}/{c.name}" for c in LISTING_CASES]
)
def test_listing_urls_are_in_the_source(case: Path):
    expected = _load_json(case / "expected.json")
    page = _page_file(case)
    assert page is not None
    source = html.unescape(_decode(case, page.read_bytes()))
    missing = []
    listed = [u for key in LISTING_URL_LISTS for u in expected.get(key, [])]
    listed += [item["url"] for item in expected.get("items", [])]
    for url in listed:
        parts = urlsplit(url)
        relative = parts.path + (f"?{parts.query}" if parts.query else "")
        if url not in source and relative not in source:
            missing.append(url)
    assert not missing, f"listed URLs not found in {page.name}: {missing}"
    assert listed, "listing lists nothing"
