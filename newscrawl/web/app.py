"""The web app: search, trend chart, top portals, article pages, CSV export and a JSON API.

Everything archived is untrusted text. Templates autoescape everything; the highlight markers of
snippets become ``<mark>`` only after escaping (:func:`highlight_html`); links to archived URLs
are kept only for http(s); and every response carries a Content-Security-Policy that allows
scripts from the app's own ``/static`` only (no inline script, no ``on...=`` handler runs).
The archive is opened read-only.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

from archive.db import open_archive
from archive.models import ID_MAX, Source
from archive.search import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    WIB,
    QueryError,
    check_int,
    iter_search,
    search,
    trend,
)
from archive.store import get_article, get_versions
from newscrawl.dates import format_wib

HERE = Path(__file__).parent
PAGE_SIZE = 20
API_MAX_LIMIT = 100
TOP_PORTALS = 10
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
# A well-formed highlight: the start marker, text without markers, the end marker.
_MARKED_RE = re.compile(re.escape(HIGHLIGHT_START) + r"([^\x02\x03]*)" + re.escape(HIGHLIGHT_END))
# Stray highlight markers left after pairing.
_MARKER_RE = re.compile(r"[\x02\x03]")
# Paragraph breaks of a clean body: a blank line (or more).
_PARAGRAPH_RE = re.compile(r"\n\s*\n")


# Query parameters of the API (module level: FastAPI resolves the annotations by name).
SourceParam = Annotated[str | None, Query(description="portal key, e.g. surabayapagi")]
SinceParam = Annotated[str | None, Query(description="first day (WIB), YYYY-MM-DD")]
UntilParam = Annotated[str | None, Query(description="last day (WIB), YYYY-MM-DD")]
QueryParam = Annotated[
    str, Query(description='query: words, "phrases", OR, -exclude, prefix*, source:, author:')
]


def highlight_html(snippet: str | None) -> Markup:
    """A snippet as safe HTML: escaped first, then markers turned into ``<mark>``.

    >>> str(highlight_html("<b>x</b> \\x02banjir\\x03 \\x02"))
    '&lt;b&gt;x&lt;/b&gt; <mark>banjir</mark> '
    """
    escaped = str(escape(snippet or ""))
    return Markup(_MARKER_RE.sub("", _MARKED_RE.sub(r"<mark>\1</mark>", escaped)))


def wib(value: Any, seconds: bool = False) -> str:
    """A UTC datetime shown in Western Indonesian Time.

    >>> from datetime import datetime, UTC
    >>> wib(datetime(2024, 8, 13, 11, 13, tzinfo=UTC))
    '2024-08-13 18:13 WIB'
    """
    return format_wib(value, seconds=seconds)


def plain_snippet(snippet: str | None) -> str:
    """A snippet without highlight markers.

    >>> plain_snippet("di \\x02Surabaya\\x03")
    'di Surabaya'
    """
    return _MARKER_RE.sub("", snippet or "")


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL (safe for ``href``), else None.

    >>> safe_url("https://surabayapagi.com/a"), safe_url("javascript:alert(1)"), safe_url(None)
    ('https://surabayapagi.com/a', None, None)
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def paragraphs(body: str | None) -> list[str]:
    """The paragraphs of a clean body.

    >>> paragraphs("Satu.\\n\\nDua.\\n \\nTiga.")
    ['Satu.', 'Dua.', 'Tiga.']
    """
    return [p.strip() for p in _PARAGRAPH_RE.split(body or "") if p.strip()]


def auto_period(first: date | None, last: date | None) -> str:
    """The trend period that gives a readable chart for a span of days.

    >>> auto_period(date(2024, 1, 1), date(2024, 3, 1)), auto_period(date(2021, 1, 1), date(2024, 1, 1))
    ('day', 'month')
    """
    if first is None or last is None:
        return "day"
    days = (last - first).days
    return "day" if days <= 92 else "week" if days <= 730 else "month"


def _iso(value: Any) -> str | None:
    return value.astimezone(WIB).isoformat() if value is not None else None


def _hit_json(hit: Any) -> dict[str, Any]:
    return {
        "id": hit.article_id,
        "url": hit.url,
        "source": hit.source,
        "title": hit.title,
        "published_at": _iso(hit.published_at),
        "score": hit.score,
        "snippet": plain_snippet(hit.snippet),
        "snippet_html": str(highlight_html(hit.snippet)),
    }


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def create_app(db_url: str | None = None, *, page_size: int = PAGE_SIZE) -> FastAPI:
    """The web app over the archive at ``db_url`` (``$NEWSCRAWL_DB_URL`` or the default)."""
    from newscrawl import __version__
    from newscrawl.export import FETCH_BATCH, iter_csv
    from newscrawl.trend import build_table, render_svg

    engine, session_factory = open_archive(db_url, readonly=True)
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    env.filters["highlight"] = highlight_html
    env.filters["safe_url"] = safe_url
    env.filters["paragraphs"] = paragraphs
    env.filters["wib"] = wib
    templates = Jinja2Templates(env=env)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="newscrawl archive",
        version=__version__,
        description="Search, trends and exports over the archive of Indonesian news portals.",
        docs_url=None,  # Swagger UI needs inline and third-party scripts; /openapi.json stays
        redoc_url=None,
    )
    app.state.engine = engine
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    def sources() -> list[str]:
        """The portal keys for the filter (no counts: that would scan every article)."""
        with session_factory() as session:
            return list(session.scalars(sa.select(Source.key).order_by(Source.key)))

    def export_response(q: str, source: str | None, since: str | None, until: str | None):
        """A streaming CSV of every match; the query is checked before the first byte."""
        from archive.search import parse_query

        parsed = parse_query(q or "", allow_empty=True)
        with session_factory() as session:  # bad dates fail here, before streaming
            search(session, parsed, source=source, since=since, until=until, limit=0)

        def chunks() -> Iterator[bytes]:
            with session_factory() as session:
                articles = iter_search(
                    session, parsed, source=source, since=since, until=until, batch=FETCH_BATCH
                )
                for chunk in iter_csv(articles, bom=True):
                    yield chunk.encode("utf-8")

        name = "newscrawl-export.csv"
        return StreamingResponse(
            chunks(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    def trend_table(
        session: Any, q: str, source: str | None, since: str | None, until: str | None, by: str
    ):
        rows = trend(session, q, by="day", source=source, since=since, until=until)
        first = (
            date.fromisoformat(since[:10]) if since else (rows[0].period_start if rows else None)
        )
        last = (
            date.fromisoformat(until[:10]) if until else (rows[-1].period_start if rows else None)
        )
        by = by if by in ("day", "week", "month") else auto_period(first, last)
        return build_table(rows, by, since=since, until=until)

    # --- pages ----------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        q: str = "",
        source: str = "",
        since: str = "",
        until: str = "",
        sort: str = "relevance",
        page: int = 1,
    ):
        source_, since_, until_ = _clean(source), _clean(since), _clean(until)
        page = max(1, page)
        sort = sort if sort in ("relevance", "newest") else "relevance"
        context: dict[str, Any] = {
            "q": q,
            "source": source_ or "",
            "since": since_ or "",
            "until": until_ or "",
            "sort": sort,
            "page": page,
            "sources": sources(),
            "error": None,
            "result": None,
        }
        status = 200
        try:
            check_int("page", page, low=1, high=ID_MAX // page_size + 1)
            with session_factory() as session:
                result = search(
                    session,
                    q,
                    source=source_,
                    since=since_,
                    until=until_,
                    sort=sort,
                    limit=page_size,
                    offset=(page - 1) * page_size,
                )
                context["result"] = result
                if q.strip() and result.total:
                    table = trend_table(session, q, source_, since_, until_, "")
                    context["chart"] = Markup(render_svg(table))
                    context["trend_by"] = table.by
                    context["top_portals"] = [
                        (s, table.source_total(s)) for s in table.sources[:TOP_PORTALS]
                    ]
        except QueryError as exc:
            context["error"] = str(exc)
            status = 400
        params = {
            k: v
            for k, v in {"q": q, "source": source_, "since": since_, "until": until_}.items()
            if v
        }
        if sort != "relevance":
            params["sort"] = sort
        result = context["result"]
        pages = -(-result.total // page_size) if result else 0
        context.update(
            pages=pages,
            first=(page - 1) * page_size + 1,
            last=(page - 1) * page_size + (len(result.hits) if result else 0),
            prev_url="/?" + urlencode({**params, "page": page - 1}) if page > 1 else None,
            next_url="/?" + urlencode({**params, "page": page + 1}) if page < pages else None,
            export_url="/export.csv?" + urlencode(params),
        )
        return templates.TemplateResponse(request, "search.html", context, status_code=status)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: int):
        if not 0 <= article_id <= ID_MAX:
            return templates.TemplateResponse(
                request,
                "error.html",
                {"message": f"Bad article id {article_id} (0 to {ID_MAX})."},
                status_code=400,
            )
        with session_factory() as session:
            article = get_article(session, article_id)
            if article is None:
                return templates.TemplateResponse(
                    request,
                    "error.html",
                    {"message": f"No article with id {article_id}."},
                    status_code=404,
                )
            versions = get_versions(session, article_id)
            context = {"article": article, "source": article.source.key, "versions": versions}
            return templates.TemplateResponse(request, "article.html", context)

    @app.get("/export.csv", include_in_schema=False)
    def export_page(q: str = "", source: str = "", since: str = "", until: str = ""):
        try:
            return export_response(q, _clean(source), _clean(since), _clean(until))
        except QueryError as exc:
            return HTMLResponse(f"<p>Bad query: {escape(str(exc))}</p>", status_code=400)

    # --- API ------------------------------------------------------------------------------------

    @app.exception_handler(QueryError)
    async def bad_query(_request: Request, exc: QueryError) -> JSONResponse:
        return JSONResponse({"error": "bad_query", "message": str(exc)}, status_code=400)

    @app.get("/api/search", summary="Full-text search")
    def api_search(
        q: QueryParam = "",
        source: SourceParam = None,
        since: SinceParam = None,
        until: UntilParam = None,
        sort: Annotated[str, Query(pattern="^(relevance|newest)$")] = "relevance",
        limit: Annotated[int, Query(ge=0, le=API_MAX_LIMIT)] = PAGE_SIZE,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        with session_factory() as session:
            result = search(
                session,
                q,
                source=_clean(source),
                since=_clean(since),
                until=_clean(until),
                sort=sort,
                limit=limit,
                offset=offset,
            )
        return {
            "total": result.total,
            "total_is_estimate": result.total_is_estimate,
            "limit": limit,
            "offset": offset,
            "hits": [_hit_json(h) for h in result.hits],
        }

    @app.get("/api/articles/{article_id}", summary="One article with its versions")
    def api_article(article_id: int) -> dict[str, Any]:
        from newscrawl.export import article_record

        check_int("article id", article_id)
        with session_factory() as session:
            article = get_article(session, article_id)
            if article is None:
                raise HTTPException(404, detail=f"no article with id {article_id}")
            record = article_record(article)
            record["versions"] = [
                {
                    "version_no": v.version_no,
                    "title": v.title,
                    "fetched_at": _iso(v.fetched_at),
                    "content_sha256": v.content_sha256,
                    "headline_changed": v.headline_changed,
                    "is_correction": v.is_correction,
                }
                for v in get_versions(session, article_id)
            ]
        return record

    @app.get("/api/trend", summary="Matching articles per period and portal")
    def api_trend(
        q: QueryParam = "",
        by: Annotated[str, Query(pattern="^(day|week|month)$")] = "day",
        source: SourceParam = None,
        since: SinceParam = None,
        until: UntilParam = None,
    ) -> dict[str, Any]:
        since, until, source = _clean(since), _clean(until), _clean(source)
        with session_factory() as session:
            rows = trend(session, q, by=by, source=source, since=since, until=until)
        return build_table(rows, by, since=since, until=until).to_json()

    @app.get(
        "/api/export.csv",
        summary="Every matching article as CSV (streamed)",
        response_class=StreamingResponse,
        responses={200: {"content": {"text/csv": {}}}},
    )
    def api_export(
        q: QueryParam = "",
        source: SourceParam = None,
        since: SinceParam = None,
        until: UntilParam = None,
    ):
        return export_response(q, _clean(source), _clean(since), _clean(until))

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, Any]:
        with session_factory() as session:
            session.execute(sa.text("SELECT 1"))
        return {"ok": True}

    return app
