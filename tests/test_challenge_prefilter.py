"""The bot-challenge pre-filter changes no decision: a table over every fixture page, the fault
portal's challenge page and awkward cases, checked against the full case-insensitive regex."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from newscrawl.demo.faults import PARAGRAPHS, article_html
from newscrawl.safety.charset import (
    _CHALLENGE_HTML_RE,
    _CHALLENGE_SCAN,
    _CHALLENGE_TITLE_RE,
    is_bot_challenge,
    may_hold_challenge_markup,
)
from newscrawl.safety.limits import CHALLENGE_META, ResponseCheckMiddleware

FIXTURES = Path(__file__).parent / "fixtures"


def _reference(title: str, html: str) -> bool:
    """The decision without the pre-filter: the two regexes over the whole head."""
    return bool(
        _CHALLENGE_TITLE_RE.search(title) or _CHALLENGE_HTML_RE.search(html[:_CHALLENGE_SCAN])
    )


def _fixture_pages() -> list[tuple[str, bytes]]:
    return [
        (str(p.relative_to(FIXTURES)), p.read_bytes()) for p in sorted(FIXTURES.rglob("*.html"))
    ]


_FAULT_CHALLENGE = article_html(
    "Just a moment...", PARAGRAPHS, extra_head="<script>window._cf_chl_opt={cvId:'3'};</script>"
)
_ARTICLE = article_html("Wali Kota Resmikan Taman", PARAGRAPHS)
_FILLER = "<p>" + "Isi berita panjang. " * 5_000 + "</p>"  # ~100,000 characters

#: (name, title, html): markers in any case, split by odd whitespace, behind characters that
#: re.IGNORECASE folds onto ASCII letters, and at the edge of the scanned head.
AWKWARD = [
    ("fault challenge", "", _FAULT_CHALLENGE),
    ("plain article", "", _ARTICLE),
    ("upper case", "", "<DIV ID='CHALLENGE-FORM'>"),
    ("mixed case", "", "<p>ChEcKiNg\tYOUR\n browser  BEFORE accessing</p>"),
    ("cookies", "", "Enable\u00a0JavaScript and COOKIES to continue"),
    ("incapsula", "", "<iframe src='/_Incapsula_Resource?x=1'>"),
    ("ddos-guard", "", "<a href='https://DDOS-GUARD.NET/'>"),
    ("sucuri", "", "<a href='https://sucuri.net/privacy-policy'>"),
    ("long s", "", "<a href='https://\u017fucuri.net/privacy-policy'>"),
    ("kelvin", "", "Chec\u212aing your browser before accessing"),
    ("dotted I", "", "<div \u0130d='challenge-form'>"),
    ("dotless i", "", "<div class='cf-browser-ver\u0131f\u0131cation'>"),
    ("inside the head", "", _FILLER[: _CHALLENGE_SCAN - 40] + "_cf_chl_opt"),
    ("past the head", "", _FILLER + "_cf_chl_opt"),
    ("hint without marker", "", "<p>checking cookies cf- challenge</p>"),
    ("cloudflare email link", "", '<a href="/cdn-cgi/l/email-protection#abc">x</a>'),
    ("title only", "Attention Required! | Cloudflare", _ARTICLE),
    ("empty", "", ""),
]


@pytest.mark.parametrize(("name", "title", "html"), AWKWARD, ids=[a[0] for a in AWKWARD])
def test_same_decision_on_awkward_pages(name, title, html) -> None:
    assert is_bot_challenge(title, html) is _reference(title, html)


def test_same_decision_on_every_fixture_page() -> None:
    pages = _fixture_pages()
    assert len(pages) > 40
    for name, body in pages:
        text = body.decode("utf-8", "replace")
        for title in ("", "Berita"):
            assert is_bot_challenge(title, text) is _reference(title, text), name


def test_bytes_prefilter_never_hides_a_marker() -> None:
    bodies = [body for _, body in _fixture_pages()] + [
        html.encode("utf-8") for _, _, html in AWKWARD
    ]
    bodies.append("<p>caf\u00e9</p>".encode("cp1252") + b"_CF_CHL_OPT")
    for body in bodies:
        head = body[:_CHALLENGE_SCAN]
        if not may_hold_challenge_markup(head):
            assert not _CHALLENGE_HTML_RE.search(head.decode("utf-8", "replace")), head[:80]


class _Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


class _Crawler:
    def __init__(self) -> None:
        self.stats = _Stats()


@pytest.mark.parametrize(("name", "title", "html"), AWKWARD, ids=[a[0] for a in AWKWARD])
def test_middleware_marks_the_same_pages(name, title, html) -> None:
    page = f"<html><head><title>{title}</title></head><body>{html}</body></html>"
    request = Request("http://127.0.0.1/a")
    response = HtmlResponse(request.url, body=page.encode("utf-8"), request=request)
    ResponseCheckMiddleware(_Crawler()).process_response(request, response)
    head = page.encode("utf-8")[:_CHALLENGE_SCAN].decode("utf-8", "replace")
    assert bool(request.meta.get(CHALLENGE_META)) is _reference(title, head)
