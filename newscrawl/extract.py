"""Extraction of a saved page: bytes and a URL in, a processed item out.

Used by ``newscrawl extract``, fixture tests, benchmarks and reprocessing from WARC. It runs the same
page class and stages as the crawl.
"""

from __future__ import annotations

from collections.abc import Mapping

from scrapy.http import HtmlResponse

from newscrawl.items import RawArticle
from newscrawl.pages import page_for
from newscrawl.pages.detect import not_article_reason
from newscrawl.portals import Profile, get_profile, profile_for_url
from newscrawl.process import MIN_BODY_CHARS, ProcessResult, process_raw
from newscrawl.safety.charset import repair_response
from newscrawl.safety.decompress import DEFAULT_MAX_SIZE


def make_response(
    body: bytes, url: str, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> HtmlResponse:
    """An HtmlResponse for saved bytes, decoded as the crawl decodes them (charset repaired)."""
    response = HtmlResponse(url=url, body=body, status=status, headers=dict(headers or {}))
    return repair_response(response)


def choose_profile(url: str, *, site: str | None = None, generic: bool = False) -> Profile | None:
    if generic:
        return None
    if site:
        return get_profile(site)
    return profile_for_url(url)


def extract_page(
    body: bytes,
    url: str,
    *,
    site: str | None = None,
    generic: bool = False,
    fetched_at: str | None = None,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    min_body_chars: int = MIN_BODY_CHARS,
    max_size: int = DEFAULT_MAX_SIZE,
) -> ProcessResult:
    """Extract, clean and date one page; the result says what every stage did.

    A page bigger than ``max_size`` (the crawl's ``DOWNLOAD_MAXSIZE``: a crawl never receives
    one) is not extracted: its result is empty with ``invalid_reason = "too_large"``.
    """
    profile = choose_profile(url, site=site, generic=generic)
    if max_size and len(body) > max_size:
        raw = RawArticle(url=url, source=profile.key if profile else "generic")
        result = process_raw(raw, profile, min_body_chars=min_body_chars)
        result.invalid_reason = "too_large"
        return result
    response = make_response(body, url, status=status, headers=headers)
    page = page_for(response, profile, fetched_at=fetched_at)
    raw = page.to_raw()
    result = process_raw(raw, profile, min_body_chars=min_body_chars)
    result.body_source = raw.body_source
    reason = not_article_reason(response, profile)
    if reason:
        result.invalid_reason = reason
    return result
