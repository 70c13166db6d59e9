"""Exports of search results as CSV or JSON Lines, streamed one article at a time.

The CSV is made for spreadsheets: UTF-8 (optionally with a BOM, which Excel needs to detect it),
one row per article, ``\\r\\n`` row ends, lists joined with ``"; "``, line breaks of the body kept
inside quoted cells, and a guard against formula injection: a text cell starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` so that a spreadsheet shows
it as text instead of running it.

Nothing here collects the rows: :func:`iter_csv` and :func:`iter_jsonl` take any iterable of
articles (e.g. :func:`archive.search.iter_search`) and yield text chunks, so memory stays
constant however many articles match.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, TextIO

from newscrawl.dates import WIB

CSV_COLUMNS = (
    "id",
    "source",
    "published_at",
    "title",
    "url",
    "authors",
    "editor",
    "reporter",
    "section",
    "tags",
    "dateline_city",
    "description",
    "body",
    "related_links",
    "first_seen_at",
    "version_count",
)
"""Columns of the CSV export, in order."""

LIST_SEPARATOR = "; "
BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""Cell openings a spreadsheet may take for a formula (OWASP's list)."""
FLUSH_ROWS = 200
"""Rows gathered into one chunk by :func:`iter_csv` / :func:`iter_jsonl`."""
FETCH_BATCH = 200
"""Articles fetched from the database at a time for an export (``iter_search(batch=...)``):
memory is about this many articles, whatever the number of rows (~3 MB at 200)."""


def csv_safe(value: Any) -> Any:
    """``value`` made harmless for a spreadsheet: text that would start a formula gets ``'``.

    Numbers are left alone (a negative number is not a formula).

    >>> csv_safe("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> csv_safe("-10% turun"), csv_safe("@walikota"), csv_safe("Banjir"), csv_safe(-3)
    ("'-10% turun", "'@walikota", 'Banjir', -3)
    >>> csv_safe(None)
    ''
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def join_list(values: Any) -> str:
    """A list as one cell: items joined by ``"; "``; related links by their URL.

    >>> join_list(["Moch Ilham", "Dya Ayu"])
    'Moch Ilham; Dya Ayu'
    >>> join_list([{"title": "Baca juga", "url": "https://a/1"}, {"url": "https://a/2"}])
    'https://a/1; https://a/2'
    >>> join_list(None), join_list("satu")
    ('', 'satu')
    """
    if not values:
        return ""
    if isinstance(values, str):
        return values
    parts = []
    for value in values:
        if isinstance(value, Mapping):
            value = value.get("url") or value.get("title") or ""
        text = " ".join(str(value).split())
        if text:
            parts.append(text)
    return LIST_SEPARATOR.join(parts)


def _iso(value: datetime | None) -> str:
    return value.astimezone(WIB).isoformat() if value is not None else ""


def article_record(article: Any) -> dict[str, Any]:
    """The JSON-ready record of an archived article (lists kept as lists).

    ``article`` is an :class:`archive.models.Article` or anything with the same attributes.
    """
    return {
        "id": article.id,
        "source": article.source.key if getattr(article, "source", None) is not None else None,
        "published_at": _iso(article.published_at) or None,
        "title": article.title,
        "url": article.canonical_url,
        "fetched_url": article.url,
        "authors": list(article.authors or []),
        "editor": article.editor,
        "reporter": article.reporter,
        "section": article.section,
        "tags": list(article.tags or []),
        "dateline_city": article.dateline_city,
        "description": article.description,
        "body": article.body,
        "related_links": list(article.related_links or []),
        "captions": list(article.captions or []),
        "language": article.language,
        "first_seen_at": _iso(article.first_seen_at) or None,
        "last_seen_at": _iso(article.last_seen_at) or None,
        "version_count": article.version_count,
    }


def csv_row(record: Mapping[str, Any]) -> list[Any]:
    """One CSV row (values in :data:`CSV_COLUMNS` order) of a record from :func:`article_record`.

    >>> row = csv_row({"id": 7, "title": "=1+1", "authors": ["A", "B"], "body": "p1\\n\\np2"})
    >>> row[0], row[3], row[5], row[12]
    (7, "'=1+1", 'A; B', 'p1\\n\\np2')
    """
    out = []
    for column in CSV_COLUMNS:
        value = record.get(column)
        if isinstance(value, list | tuple):
            value = join_list(value)
        out.append(csv_safe(value))
    return out


class _Buffer:
    """A csv writer over a string buffer that can be drained into chunks."""

    def __init__(self) -> None:
        self.buf = io.StringIO()
        self.writer = csv.writer(self.buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)

    def drain(self) -> str:
        text = self.buf.getvalue()
        self.buf.seek(0)
        self.buf.truncate()
        return text


def iter_csv(articles: Iterable[Any], *, bom: bool = False) -> Iterator[str]:
    """The CSV export of ``articles`` as text chunks (header first), a few hundred rows each.

    >>> from types import SimpleNamespace as NS
    >>> art = NS(id=1, source=NS(key="detik"), published_at=None, title="Banjir", url="u",
    ...          canonical_url="u", authors=["A"], editor=None, reporter=None, section=None,
    ...          tags=[], dateline_city=None, description=None, body="a\\nb", related_links=[],
    ...          captions=[], language="id", first_seen_at=None, last_seen_at=None,
    ...          version_count=1)
    >>> text = "".join(iter_csv([art]))
    >>> text.splitlines()[0][:30]
    'id,source,published_at,title,u'
    >>> '"a\\nb"' in text
    True
    """
    buffer = _Buffer()
    if bom:
        buffer.buf.write(BOM)
    buffer.writer.writerow(CSV_COLUMNS)
    for rows, article in enumerate(articles, 1):
        buffer.writer.writerow(csv_row(article_record(article)))
        if rows % FLUSH_ROWS == 0:
            yield buffer.drain()
    tail = buffer.drain()
    if tail:
        yield tail


def iter_jsonl(articles: Iterable[Any]) -> Iterator[str]:
    """The JSON Lines export of ``articles``: one JSON object per line, in chunks."""
    lines: list[str] = []
    for article in articles:
        lines.append(json.dumps(article_record(article), ensure_ascii=False) + "\n")
        if len(lines) >= FLUSH_ROWS:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def write_export(
    articles: Iterable[Any], out: TextIO, *, format: str = "csv", bom: bool = False
) -> int:
    """Write the export of ``articles`` to ``out`` (``format`` csv or jsonl); return the rows.

    ``out`` should be opened with ``newline=""`` for CSV (rows end in ``\\r\\n`` already).
    """
    if format not in ("csv", "jsonl"):
        raise ValueError(f"unknown export format {format!r}; use csv or jsonl")
    count = 0

    def counted(items: Iterable[Any]) -> Iterator[Any]:
        nonlocal count
        for item in items:
            count += 1
            yield item

    chunks = (
        iter_csv(counted(articles), bom=bom) if format == "csv" else iter_jsonl(counted(articles))
    )
    for chunk in chunks:
        out.write(chunk)
    return count
