"""The SQL archive: models, storage and search. It never imports newscrawl.

Typical use::

    from archive import open_archive, upsert_article, search

    engine, Session = open_archive()            # $NEWSCRAWL_DB_URL or archive.sqlite3
    with Session.begin() as session:
        upsert_article(session, item)
    with Session.begin() as session:
        page = search(session, 'banjir "jalan ahmad yani" source:surabayapagi')
"""

from archive.db import (
    DEFAULT_DB_URL,
    init_db,
    make_engine,
    make_session_factory,
    open_archive,
    resolve_db_url,
)
from archive.models import Article, ArticleVersion, CrawlRun, Source
from archive.search import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Hit,
    ParsedQuery,
    QueryError,
    SearchPage,
    TrendRow,
    iter_search,
    parse_query,
    render_highlights,
    search,
    trend,
)
from archive.store import (
    UpsertResult,
    count_articles,
    counts_by_source,
    finish_run,
    get_article,
    get_or_create_source,
    get_versions,
    known_urls,
    list_runs,
    recent_urls,
    start_run,
    upsert_article,
    url_is_archived,
)

__all__ = [
    "DEFAULT_DB_URL",
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "Article",
    "ArticleVersion",
    "CrawlRun",
    "Hit",
    "ParsedQuery",
    "QueryError",
    "SearchPage",
    "Source",
    "TrendRow",
    "UpsertResult",
    "count_articles",
    "counts_by_source",
    "finish_run",
    "get_article",
    "get_or_create_source",
    "get_versions",
    "init_db",
    "iter_search",
    "known_urls",
    "list_runs",
    "make_engine",
    "make_session_factory",
    "open_archive",
    "parse_query",
    "recent_urls",
    "render_highlights",
    "resolve_db_url",
    "search",
    "start_run",
    "trend",
    "upsert_article",
    "url_is_archived",
]
