"""Full-text search over the archive: one query language, FTS5 on SQLite, tsvector on PostgreSQL.

The query language::

    banjir surabaya            both words (AND)
    "jalan ahmad yani"         an exact phrase
    banjir OR longsor          either (OR binds tighter than AND: ``a b OR c`` = a AND (b OR c))
    -pilkada  -"kota batu"     exclude a word or a phrase
    pemkot*                    prefix
    (banjir OR longsor) -hoaks parentheses group
    source:detik  section:hukum  author:"Moch Ilham"     filters (not inside OR or parentheses)

User text never reaches ``MATCH`` or ``to_tsquery`` unquoted. For FTS5 every term is written as a
string (``"tok"``, quotes doubled; prefix ``"tok"*``) joined by AND/OR/NOT built here. For
PostgreSQL every term is a bound parameter of ``plainto_tsquery``/``phraseto_tsquery``; prefixes go
to ``to_tsquery`` only as ``[^\\W_]+`` runs joined by ``<->`` with ``:*`` on the last.

Snippets mark matches with :data:`HIGHLIGHT_START` / :data:`HIGHLIGHT_END` (control characters
that never occur in article text); :func:`render_highlights` turns them into anything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal, NamedTuple

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session

from archive.models import ID_MAX, Article, Source, WatchArticle, to_utc
from archive.store import clean_text

HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"
SNIPPET_ELLIPSIS = "…"
MAX_QUERY_LENGTH = 500
MAX_DEPTH = 8
FILTER_KEYS = ("source", "section", "author")
WIB = timezone(timedelta(hours=7), "WIB")
"""Periods of :func:`trend` and plain dates of ``since``/``until`` are in WIB (UTC+7)."""

PG_CONFIG = sa.literal_column("'indonesian'::regconfig")
PG_WORK_MEM = "64MB"
"""``work_mem`` of a search or trend transaction on PostgreSQL. The GIN index hands the matches
over as a bitmap; past ``work_mem`` it turns lossy (whole pages), and every row of a lossy page
has its tsvector read and re-checked: with the server's default 4 MB, a word in a quarter of a
million-article archive does that for most of the table."""
PG_HEADLINE_OPTIONS = (
    f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=35, MinWords=15, "
    "MaxFragments=2, FragmentDelimiter=" + SNIPPET_ELLIPSIS
)
FTS5_BM25_WEIGHTS = (10.0, 1.0)  # title counts ten times the body
FALLBACK_SNIPPET_CHARS = 240

# Characters that a searchable term must contain: letters or digits (FTS5 and PostgreSQL drop
# everything else, so a term of punctuation only would match nothing).
_WORDCHAR_RE = re.compile(r"[^\W_]")
# Runs of letters/digits: the only text a prefix term passes to to_tsquery.
_WORDRUN_RE = re.compile(r"[^\W_]+")
# A filter in front of its value: "source:", "Author:" (a URL's "https://" is not one).
_FILTER_RE = re.compile(r"([A-Za-z_]+):(?!//)")
# Characters that end a bare word.
_WORD_END_RE = re.compile(r'[\s"()]')


class QueryError(ValueError):
    """A query that cannot be searched; the message names the problem for the user."""


#: The days ``since``/``until`` may name: news is not older, and beyond them date arithmetic
#: overflows (``0001-01-01`` in WIB is before the first representable UTC instant).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


def check_day(value: date) -> date:
    """``value`` when it lies in :data:`FIRST_DAY`..:data:`LAST_DAY`, else a QueryError.

    >>> check_day(date(2024, 8, 13))
    datetime.date(2024, 8, 13)
    >>> check_day(date(1, 1, 1))
    Traceback (most recent call last):
    ...
    archive.search.QueryError: date 0001-01-01 is out of range (1900-01-01 to 2100-12-31)
    """
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise QueryError(f"date {day.isoformat()} is out of range ({FIRST_DAY} to {LAST_DAY})")
    return value


def check_int(name: str, value: int, *, low: int = 0, high: int = ID_MAX) -> int:
    """``value`` when it lies in ``low``..``high`` (by default what an id column holds).

    >>> check_int("offset", 40)
    40
    >>> check_int("offset", 2**63)
    Traceback (most recent call last):
    ...
    archive.search.QueryError: offset 9223372036854775808 is out of range (0 to 2147483647)
    """
    if not low <= value <= high:
        raise QueryError(f"{name} {value} is out of range ({low} to {high})")
    return value


# --- the parsed query ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A word or a phrase, possibly a prefix (``pemkot*``, ``"kota sura"*``)."""

    text: str
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class AnyOf:
    """Alternatives joined by OR."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class AllOf:
    """Terms that must all match, and terms that must not (at least one positive)."""

    items: tuple[Node, ...]
    excluded: tuple[Node, ...] = ()


Node = Term | AnyOf | AllOf


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: the full-text expression (None for filters only) and the filters."""

    text: str
    expr: Node | None = None
    sources: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()

    @property
    def has_terms(self) -> bool:
        return self.expr is not None

    def to_fts5(self) -> str:
        """The FTS5 MATCH string ('' for filters only).

        >>> parse_query('banjir "kota batu" -hoaks pemkot*').to_fts5()
        '(("banjir" AND "kota batu" AND "pemkot"*) NOT "hoaks")'
        """
        return compile_fts5(self.expr) if self.expr is not None else ""


# --- tokenizer ----------------------------------------------------------------------------------


@dataclass
class _Tok:
    kind: Literal["term", "or", "and", "lparen", "rparen", "filter"]
    text: str = ""
    phrase: bool = False
    prefix: bool = False
    negated: bool = False
    pos: int = 0
    raw: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _read_phrase(text: str, start: int) -> tuple[str, int]:
    """The phrase opening at ``text[start] == '"'`` and the index after its closing quote."""
    end = text.find('"', start + 1)
    if end < 0:
        raise QueryError(f'unbalanced quote: the " at position {start + 1} is never closed')
    return text[start + 1 : end], end + 1


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        start = i
        negated = False
        if ch == "-":
            if i + 1 >= n or text[i + 1].isspace():
                raise QueryError(
                    f"lone '-' at position {i + 1}: put the word to exclude right after it"
                )
            negated = True
            i += 1
            ch = text[i]
        if ch == "(":
            tokens.append(_Tok("lparen", negated=negated, pos=start))
            i += 1
            continue
        if ch == ")":
            if negated:
                raise QueryError(f"'-' at position {start + 1} is not followed by a term")
            tokens.append(_Tok("rparen", pos=start))
            i += 1
            continue
        if ch == '"':
            phrase, i = _read_phrase(text, i)
            prefix = i < n and text[i] == "*"
            while i < n and text[i] == "*":
                i += 1
            tokens.append(
                _Tok("term", phrase, phrase=True, prefix=prefix, negated=negated, pos=start)
            )
            continue
        match = _WORD_END_RE.search(text, i)
        end = match.start() if match else n
        word = text[i:end]
        i = end
        filt = _FILTER_RE.match(word)
        if filt:
            key = filt.group(1).lower()
            if key not in FILTER_KEYS:
                raise QueryError(
                    f"unknown filter '{filt.group(1)}:'; known filters: "
                    + ", ".join(f"{k}:" for k in FILTER_KEYS)
                )
            if negated:
                raise QueryError(f"filter '{key}:' cannot be excluded with '-'")
            value = word[filt.end() :]
            if not value and i < n and text[i] == '"':
                value, i = _read_phrase(text, i)
            value = " ".join(value.split())
            if not value:
                raise QueryError(f"filter '{key}:' needs a value, e.g. {key}:\"...\"")
            tokens.append(_Tok("filter", value, pos=start, raw=key))
            continue
        if word == "OR" and not negated:
            tokens.append(_Tok("or", pos=start))
            continue
        if word == "AND" and not negated:
            tokens.append(_Tok("and", pos=start))
            continue
        prefix = word.endswith("*")
        stem = word.rstrip("*")
        if prefix and not stem:
            raise QueryError(
                f"bare '*' at position {start + 1}: a prefix needs letters before it, e.g. pemkot*"
            )
        tokens.append(_Tok("term", stem, prefix=prefix, negated=negated, pos=start))
    return tokens


# --- parser -------------------------------------------------------------------------------------


class _Parser:
    """Recursive descent over tokens::

    seq     := (item)*            until ')' or the end
    item    := filter | alt
    alt     := unary ("OR" unary)*
    unary   := ["-"] (term | "(" seq ")")
    """

    def __init__(self, tokens: list[_Tok]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.filters: dict[str, list[str]] = {k: [] for k in FILTER_KEYS}

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def seq(self, depth: int) -> AllOf | None:
        if depth > MAX_DEPTH:
            raise QueryError(f"parentheses nested too deeply (at most {MAX_DEPTH} levels)")
        items: list[Node] = []
        excluded: list[Node] = []
        while (tok := self.peek()) is not None and tok.kind != "rparen":
            if tok.kind == "and":
                self.take()
                nxt = self.peek()
                if not items and not excluded or nxt is None or nxt.kind in ("rparen", "or"):
                    raise QueryError("AND must stand between two terms")
                continue
            if tok.kind == "or":
                raise QueryError(
                    "OR at the start of the query or group needs a term before it"
                    if not items and not excluded
                    else "OR must stand between two terms"
                )
            if tok.kind == "filter":
                if depth:
                    raise QueryError(f"filter '{tok.raw}:' cannot stand inside parentheses")
                self.take()
                self.filters[tok.raw].append(tok.text)
                nxt = self.peek()
                if nxt is not None and nxt.kind == "or":
                    raise QueryError(f"filter '{tok.raw}:' cannot be an alternative of OR")
                continue
            node, negated = self.alt()
            if node is None:
                continue
            (excluded if negated else items).append(node)
        if not items and not excluded:
            return None
        if not items:
            raise QueryError("the query needs at least one positive term besides the excluded ones")
        if len(items) == 1 and not excluded:
            only = items[0]
            return only if isinstance(only, AllOf) else AllOf((only,))
        return AllOf(tuple(items), tuple(excluded))

    def alt(self) -> tuple[Node | None, bool]:
        first, negated = self.unary()
        options = [(first, negated)]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind == "rparen":
                raise QueryError("OR at the end of the query or group needs a term after it")
            if nxt.kind in ("or", "and"):
                raise QueryError("OR must stand between two terms")
            if nxt.kind == "filter":
                raise QueryError(f"filter '{nxt.raw}:' cannot be an alternative of OR")
            options.append(self.unary())
        if len(options) == 1:
            return first, negated
        if any(neg for _, neg in options):
            raise QueryError("an excluded term cannot be an alternative of OR")
        nodes = tuple(node for node, _ in options if node is not None)
        if not nodes:
            return None, False
        return (nodes[0] if len(nodes) == 1 else AnyOf(nodes)), False

    def unary(self) -> tuple[Node | None, bool]:
        tok = self.take()
        if tok.kind == "term":
            if not _WORDCHAR_RE.search(tok.text):
                return None, tok.negated  # punctuation only: nothing to search for
            return Term(tok.text, phrase=tok.phrase, prefix=tok.prefix), tok.negated
        if tok.kind == "lparen":
            self.depth += 1
            inner = self.seq(depth=self.depth)
            self.depth -= 1
            close = self.peek()
            if close is None:
                raise QueryError(
                    f"unbalanced parenthesis: '(' at position {tok.pos + 1} is never closed"
                )
            self.take()
            if inner is None:
                raise QueryError(f"empty parentheses at position {tok.pos + 1}")
            return inner, tok.negated
        raise QueryError(f"unexpected {tok.kind} at position {tok.pos + 1}")  # pragma: no cover


def parse_query(text: str, *, allow_empty: bool = False) -> ParsedQuery:
    """Parse a search query; raise :class:`QueryError` naming the problem when it is malformed.

    ``allow_empty`` accepts a query without terms or filters (list everything).

    >>> q = parse_query('banjir OR longsor source:detik author:"Moch Ilham"')
    >>> q.expr
    AllOf(items=(AnyOf(items=(Term(text='banjir', phrase=False, prefix=False), Term(text='longsor', phrase=False, prefix=False))),), excluded=())
    >>> q.sources, q.authors
    (('detik',), ('Moch Ilham',))
    >>> parse_query('"kota batu')
    Traceback (most recent call last):
    ...
    archive.search.QueryError: unbalanced quote: the " at position 1 is never closed
    >>> parse_query("-hoaks")
    Traceback (most recent call last):
    ...
    archive.search.QueryError: the query needs at least one positive term besides the excluded ones
    """
    if not isinstance(text, str):
        raise QueryError("the query must be text")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"query too long: {len(text)} characters, at most {MAX_QUERY_LENGTH}")
    text = clean_text(text)
    stripped = text.strip()
    if not stripped:
        if allow_empty:
            return ParsedQuery(text="")
        raise QueryError("empty query: type some words to search for")
    parser = _Parser(_tokenize(stripped))
    expr = parser.seq(depth=0)
    if parser.peek() is not None:  # only a ')' stops the top level early
        tok = parser.peek()
        raise QueryError(f"unbalanced parenthesis: ')' at position {tok.pos + 1} has no '('")
    filters = parser.filters
    if expr is None and not any(filters.values()) and not allow_empty:
        raise QueryError("the query has no searchable words (letters or digits)")
    return ParsedQuery(
        text=stripped,
        expr=expr,
        sources=tuple(filters["source"]),
        sections=tuple(filters["section"]),
        authors=tuple(filters["author"]),
    )


# --- compilers ----------------------------------------------------------------------------------


def fts5_string(text: str) -> str:
    """``text`` as an FTS5 string literal (double quotes doubled).

    >>> fts5_string('a"b')
    '"a""b"'
    """
    return '"' + text.replace('"', '""') + '"'


def compile_fts5(node: Node) -> str:
    """The FTS5 MATCH expression of a parsed node; every user token is a quoted string.

    >>> compile_fts5(AllOf((AnyOf((Term("a"), Term("b c", phrase=True))),), (Term("d"),)))
    '(("a" OR "b c") NOT "d")'
    >>> compile_fts5(Term('x" OR title:y NEAR(', prefix=True))
    '"x"" OR title:y NEAR("*'
    """
    if isinstance(node, Term):
        return fts5_string(node.text) + ("*" if node.prefix else "")
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(compile_fts5(n) for n in node.items) + ")"
    positive = " AND ".join(compile_fts5(n) for n in node.items)
    out = f"({positive})" if len(node.items) > 1 else positive
    if node.excluded:
        excluded = " OR ".join(compile_fts5(n) for n in node.excluded)
        out = f"({out} NOT ({excluded}))" if len(node.excluded) > 1 else f"({out} NOT {excluded})"
    return out


def pg_prefix_lexemes(text: str) -> str | None:
    """The ``to_tsquery`` text of a prefix term: word runs joined by ``<->``, ``:*`` on the last.

    Only letters and digits get through, so no tsquery syntax can come from the user.

    >>> pg_prefix_lexemes("pemkot")
    'pemkot:*'
    >>> pg_prefix_lexemes("e-ktp")
    'e <-> ktp:*'
    >>> pg_prefix_lexemes("'|&!:") is None
    True
    """
    runs = _WORDRUN_RE.findall(text)
    if not runs:
        return None
    return " <-> ".join(runs) + ":*"


def compile_pg(node: Node) -> sa.ColumnElement[Any]:
    """The tsquery expression of a parsed node, every user token a bound parameter."""
    if isinstance(node, Term):
        if node.prefix:
            lexemes = pg_prefix_lexemes(node.text)
            if lexemes is not None:
                return sa.func.to_tsquery(PG_CONFIG, sa.bindparam(None, lexemes, sa.Text))
        fn = sa.func.phraseto_tsquery if node.phrase else sa.func.plainto_tsquery
        return fn(PG_CONFIG, sa.bindparam(None, node.text, sa.Text))
    if isinstance(node, AnyOf):
        return _pg_combine(sa.func.tsquery_or, [compile_pg(n) for n in node.items])
    out = _pg_combine(sa.func.tsquery_and, [compile_pg(n) for n in node.items])
    if node.excluded:
        excluded = _pg_combine(sa.func.tsquery_or, [compile_pg(n) for n in node.excluded])
        out = sa.func.tsquery_and(out, sa.func.tsquery_not(excluded))
    return out


def _pg_combine(fn: Any, parts: list[Any]) -> Any:
    """``parts`` joined pairwise by ``fn`` as a balanced tree (shallow SQL for long queries)."""
    while len(parts) > 1:
        parts = [
            fn(*parts[i : i + 2]) if i + 1 < len(parts) else parts[i]
            for i in range(0, len(parts), 2)
        ]
    return parts[0]


# --- date bounds --------------------------------------------------------------------------------

DateLike = date | datetime | str | None


def _as_bound(value: DateLike, *, end: bool) -> tuple[datetime, bool] | None:
    """A UTC bound and whether it is exclusive, from a date (a whole WIB day) or a datetime.

    >>> _as_bound(date(2024, 8, 13), end=False)
    (datetime.datetime(2024, 8, 12, 17, 0, tzinfo=datetime.timezone.utc), False)
    >>> _as_bound("2024-08-13", end=True)
    (datetime.datetime(2024, 8, 13, 17, 0, tzinfo=datetime.timezone.utc), True)
    >>> _as_bound(datetime(2024, 8, 13, 18, 0), end=True)
    (datetime.datetime(2024, 8, 13, 11, 0, tzinfo=datetime.timezone.utc), False)
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value) if len(value) <= 10 else datetime.fromisoformat(value)
        except ValueError as exc:
            raise QueryError(f"not a date: {value!r} (use YYYY-MM-DD)") from exc
    check_day(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=WIB)
        return to_utc(value), False
    day = value + timedelta(days=1) if end else value
    return to_utc(datetime.combine(day, time(0), tzinfo=WIB)), end


# --- building statements ------------------------------------------------------------------------


def _escape_like(text: str) -> str:
    r"""``text`` with LIKE wildcards escaped (escape character ``\``).

    >>> _escape_like("50%_a\\b")
    '50\\%\\_a\\\\b'
    """
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(column: Any, value: str) -> sa.ColumnElement[bool]:
    return column.ilike(f"%{_escape_like(value)}%", escape="\\")


@dataclass
class _Plan:
    """The parts of a search statement that depend on the backend and the query.

    ``conditions`` are the filters on ``articles`` (source, section, author, dates);
    ``index_conditions`` the ones an index of ``articles`` serves (source and dates).
    """

    dialect: str
    parsed: ParsedQuery
    conditions: list[sa.ColumnElement[bool]]
    index_conditions: list[sa.ColumnElement[bool]]
    needs_source: bool = False
    date_bounds: tuple[datetime | None, datetime | None] | None = None
    match: sa.ColumnElement[bool] | None = None
    score: sa.ColumnElement[Any] | None = None
    tsquery: sa.ColumnElement[Any] | None = None
    fts_hits: sa.CTE | None = None

    def hits(self, *fts_conditions: sa.ColumnElement[bool], ranked: bool = False) -> sa.CTE:
        """The FTS5 matches (``id``, and ``rank`` when ``ranked``), computed once, first: a
        materialised CTE (joined directly, SQLite may drive the join from a filter's index and
        re-run MATCH for every article, which is slow)."""
        columns = [_FTS.c.rowid.label("id")]
        if ranked:
            columns.append(sa.func.bm25(_FTS_REF, *FTS5_BM25_WEIGHTS).label("rank"))
        return (
            sa.select(*columns)
            .select_from(_FTS)
            .where(self.match, *fts_conditions)
            .cte("fts_hits")
            .prefix_with("MATERIALIZED")
        )

    def apply(self, stmt: sa.Select) -> sa.Select:
        """``stmt`` (selecting from ``articles``) joined and filtered for this search."""
        if self.fts_hits is not None:
            stmt = stmt.join(self.fts_hits, self.fts_hits.c.id == Article.id)
        elif self.match is not None:
            stmt = stmt.where(self.match)
        if self.needs_source:
            stmt = stmt.join(Source, Source.id == Article.source_id)
        return stmt.where(*self.conditions)


_FTS = sa.table("article_fts", sa.column("rowid", sa.Integer))
_FTS_REF = sa.literal_column("article_fts")
_PG_VECTOR = sa.literal_column("articles.search_vector")


class _CrossJoin(sa.sql.selectable.Join):
    """An inner join that SQLite must run with the left side as the outer loop (``CROSS
    JOIN``): the full-text matches drive, each checked in ``articles`` by its id."""

    inherit_cache = True


@compiles(_CrossJoin, "sqlite")
def _compile_cross_join(join: _CrossJoin, compiler: Any, **kw: Any) -> str:
    kw["asfrom"] = True
    left = join.left._compiler_dispatch(compiler, **kw)
    right = join.right._compiler_dispatch(compiler, **kw)
    kw.pop("asfrom")
    return f"{left} CROSS JOIN {right} ON {join.onclause._compiler_dispatch(compiler, **kw)}"


def _fts5_match(parsed: ParsedQuery) -> sa.ColumnElement[bool]:
    return _FTS_REF.bool_op("MATCH")(sa.bindparam("fts_query", parsed.to_fts5(), sa.Text))


def _tune(session: Session, plan: _Plan) -> None:
    """Per-transaction settings a search needs on PostgreSQL (see :data:`PG_WORK_MEM`)."""
    if plan.dialect == "postgresql" and plan.match is not None:
        session.execute(sa.text(f"SET LOCAL work_mem = '{PG_WORK_MEM}'"))


@contextmanager
def _bitmap_only(session: Session, plan: _Plan, *, when: bool = True) -> Iterator[None]:
    """On PostgreSQL, count text matches through the GIN index (bitmap scans) only.

    With the count capped (``LIMIT count_limit + 1``) the planner prefers to walk the table, or
    the date index, and test every row with ``@@``, since it expects to stop early; but ``@@`` on
    a stored tsvector reads (de-TOASTs) the whole vector of every row it tests, which the cost
    model does not see: 2.1 s instead of milliseconds for a common word over a year of a
    250k-article archive. A bitmap from the GIN index (ANDed with the date index's) never reads
    a vector, and a count over all-visible pages reads no row at all.
    """
    if not when or plan.dialect != "postgresql" or plan.match is None:
        yield
        return
    session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    session.execute(sa.text("SET LOCAL enable_indexscan = off"))
    try:
        yield
    finally:
        session.execute(sa.text("SET LOCAL enable_seqscan = on"))
        session.execute(sa.text("SET LOCAL enable_indexscan = on"))


def _plan(
    session: Session,
    query: str | ParsedQuery | None,
    *,
    source: str | Sequence[str] | None,
    since: DateLike,
    until: DateLike,
) -> _Plan:
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query or "", allow_empty=True)
    dialect = session.get_bind().dialect.name
    conditions: list[sa.ColumnElement[bool]] = []
    indexed: list[sa.ColumnElement[bool]] = []
    if source:
        keys = [clean_text(source)] if isinstance(source, str) else [clean_text(k) for k in source]
        indexed.append(Article.source_id.in_(sa.select(Source.id).where(Source.key.in_(keys))))
    if parsed.sources:
        indexed.append(
            Article.source_id.in_(sa.select(Source.id).where(Source.key.in_(parsed.sources)))
        )
    for section in parsed.sections:
        conditions.append(_contains(Article.section, section))
    for author in parsed.authors:
        conditions.append(
            sa.or_(
                _contains(sa.cast(Article.authors, sa.Text), author),
                _contains(Article.editor, author),
                _contains(Article.reporter, author),
            )
        )
    lower = _as_bound(since, end=False)
    if lower is not None:
        indexed.append(Article.published_at >= lower[0])
    upper = _as_bound(until, end=True)
    if upper is not None:
        bound, exclusive = upper
        indexed.append(Article.published_at < bound if exclusive else Article.published_at <= bound)
    plan = _Plan(dialect, parsed, [*indexed, *conditions], indexed)
    if lower is not None or upper is not None:
        plan.date_bounds = (lower[0] if lower else None, upper[0] if upper else None)
    if parsed.expr is None:
        return plan
    if dialect == "sqlite":
        plan.match = _fts5_match(parsed)
        plan.fts_hits = plan.hits()
    elif dialect == "postgresql":
        plan.tsquery = compile_pg(parsed.expr)
        plan.match = _PG_VECTOR.bool_op("@@")(plan.tsquery)
        plan.score = sa.func.ts_rank(_PG_VECTOR, plan.tsquery)
    else:  # pragma: no cover - only the two backends are supported
        raise NotImplementedError(f"full-text search is not available on {dialect}")
    return plan


def _newest_order(dialect: str) -> list[Any]:
    published = Article.published_at.desc()
    if dialect == "postgresql":
        published = published.nulls_last()
    return [published, Article.id.desc()]


def _check_sort(sort: str) -> None:
    if sort not in ("relevance", "newest"):
        raise QueryError(f"unknown sort {sort!r}; use 'relevance' or 'newest'")


def _order(plan: _Plan, sort: str) -> list[Any]:
    _check_sort(sort)
    if sort == "relevance" and plan.score is not None:
        return [plan.score.desc(), *_newest_order(plan.dialect)]
    return _newest_order(plan.dialect)


# --- search -------------------------------------------------------------------------------------

COUNT_LIMIT = 10_000
"""Matches :func:`search` counts by default; above it the total is reported as this many and
flagged (:attr:`SearchPage.total_is_estimate`: show "10000+")."""


class Hit(NamedTuple):
    """One search result. ``snippet`` marks matches with HIGHLIGHT_START/END; a higher ``score``
    is a better match (0.0 without a text query, and when sorted by newest: ranking
    costs a pass over every match)."""

    article_id: int
    url: str
    source: str
    title: str | None
    published_at: datetime | None
    snippet: str
    score: float


@dataclass(frozen=True)
class SearchPage:
    """A page of hits and the total number of matching articles.

    ``total_is_estimate``: there are more matches than were counted (the ``count_limit`` of
    :func:`search`); ``total`` is then that limit, a lower bound.
    """

    total: int
    hits: list[Hit]
    total_is_estimate: bool = False

    @property
    def total_text(self) -> str:
        """The total for people: ``"432"``, or ``"10000+"`` when it is a lower bound.

        >>> SearchPage(432, []).total_text, SearchPage(10000, [], True).total_text
        ('432', '10000+')
        """
        return f"{self.total}+" if self.total_is_estimate else str(self.total)


def _fallback_snippet(text: str | None) -> str:
    """The opening of an article for hits without a text query.

    >>> _fallback_snippet("Surabaya  dilanda\\nbanjir.")
    'Surabaya dilanda banjir.'
    >>> _fallback_snippet("kata " * 100).endswith("…")
    True
    """
    words = " ".join((text or "").split())
    if len(words) <= FALLBACK_SNIPPET_CHARS:
        return words
    cut = words[:FALLBACK_SNIPPET_CHARS].rsplit(" ", 1)[0]
    return cut + SNIPPET_ELLIPSIS


def _capped_count(session: Session, stmt: sa.Select, count_limit: int | None) -> tuple[int, bool]:
    """The number of rows of ``stmt``, counting at most ``count_limit`` + 1; (total, capped)."""
    if count_limit is not None:
        stmt = stmt.limit(count_limit + 1)
    total = session.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar_one()
    if count_limit is not None and total > count_limit:
        return count_limit, True
    return total, False


SPAN_SHARE = 0.25
"""Largest share of the archive's time that a date range may cover for :func:`_id_span` to be
worth its index scan (a wide range's id span covers most of the archive anyway)."""


def _id_span(session: Session, plan: _Plan) -> tuple[int, int] | None | Literal[False]:
    """The lowest and highest id of the articles the indexed filters (dates, source) allow;
    None when it is not worth knowing, False when no article passes the filters.

    Full-text candidates outside the span need no look-up: in an archive whose ids grow with
    publication time (as a crawl's do) this leaves few candidates outside a narrow date range.
    """
    if not plan.date_bounds:
        return None
    low, high = plan.date_bounds
    first, last = session.execute(  # two subqueries: each is one look-up in the index
        sa.select(
            sa.select(sa.func.min(Article.published_at)).scalar_subquery(),
            sa.select(sa.func.max(Article.published_at)).scalar_subquery(),
        )
    ).one()
    if first is None:
        return False
    covered = (min(high or last, last) - max(low or first, first)).total_seconds()
    whole = max((last - first).total_seconds(), 1.0)
    if covered > SPAN_SHARE * whole:
        return None
    low_id, high_id = session.execute(
        sa.select(sa.func.min(Article.id), sa.func.max(Article.id)).where(*plan.index_conditions)
    ).one()
    return False if low_id is None else (low_id, high_id)


def _sqlite_text_page(
    session: Session, plan: _Plan, sort: str, limit: int, offset: int, count_limit: int | None
) -> tuple[int, bool, list[int]]:
    """Total and page ids of a text search on SQLite.

    1. The FTS5 matches drive (highest ids first, within the id span of a narrow date range),
       each checked in ``articles`` through the narrow ``ix_articles_id_published_at`` index;
       at most ``count_limit`` + 1 are taken, and one statement counts and sorts them (bm25 only
       for relevance). That is the answer unless there were more.
    2. More matches than that, sorted by newest: walk ``published_at`` downwards and probe the
       FTS5 index per article (it stops after the page); by relevance: rank every match.
    """
    span = _id_span(session, plan)
    if span is False:
        return 0, False, []
    fts_conditions = [] if span is None else [_FTS.c.rowid.between(*span)]
    columns = [Article.id, Article.published_at]
    if sort == "relevance":
        columns.append(sa.func.bm25(_FTS_REF, *FTS5_BM25_WEIGHTS).label("rank"))
    candidates = (
        sa.select(*columns)
        .select_from(_CrossJoin(_FTS, Article.__table__, Article.id == _FTS.c.rowid))
        .where(plan.match, *fts_conditions, *plan.conditions)
        .order_by(_FTS.c.rowid.desc())
    )
    if count_limit is not None:
        candidates = candidates.limit(count_limit + 1)
    found = candidates.subquery("found")
    order = [found.c.rank] if sort == "relevance" else []
    order += [found.c.published_at.desc(), found.c.id.desc()]
    rows = session.execute(
        sa.select(found.c.id, sa.func.count().over().label("total"))
        .order_by(*order)
        .limit(max(limit, 1))
        .offset(offset)
    ).all()
    if rows:
        total = rows[0].total
    elif offset:  # past the end: count on their own
        total = session.execute(sa.select(sa.func.count()).select_from(found)).scalar_one()
    else:
        total = 0
    if count_limit is None or total <= count_limit:
        return total, False, [row.id for row in rows[:limit]]
    if limit == 0:
        return count_limit, True, []
    if sort == "newest":
        probe = (
            sa.select(sa.literal(1))
            .select_from(_FTS)
            .where(_fts5_match(plan.parsed), _FTS.c.rowid == Article.id)
            .exists()
        )
        stmt = sa.select(Article.id).where(probe, *plan.conditions)
    else:
        hits = plan.hits(*fts_conditions, ranked=True)
        stmt = sa.select(Article.id).join(hits, hits.c.id == Article.id).where(*plan.conditions)
        stmt = stmt.order_by(hits.c.rank)
    stmt = stmt.order_by(*_newest_order(plan.dialect)).limit(limit).offset(offset)
    return count_limit, True, list(session.scalars(stmt))


def search(
    session: Session,
    query: str | ParsedQuery | None,
    *,
    source: str | Sequence[str] | None = None,
    since: DateLike = None,
    until: DateLike = None,
    sort: Literal["relevance", "newest"] = "relevance",
    limit: int = 20,
    offset: int = 0,
    count_limit: int | None = COUNT_LIMIT,
) -> SearchPage:
    """Search the archive.

    ``query`` is parsed with :func:`parse_query` (a :class:`QueryError` for a malformed one); an
    empty query lists the articles matching the filters, newest first. ``source`` is a key or
    keys; ``since``/``until`` are dates (whole WIB days, inclusive) or datetimes (naive = WIB).
    At most ``count_limit`` matches are counted (None: all); beyond that the page's
    ``total_is_estimate`` is set and ``total`` is ``count_limit``.
    """
    plan = _plan(session, query, source=source, since=since, until=until)
    _check_sort(sort)
    _tune(session, plan)
    limit = check_int("limit", max(0, int(limit)))
    offset = check_int("offset", max(0, int(offset)))
    if count_limit is not None:
        count_limit = max(0, int(count_limit))

    if plan.dialect == "sqlite" and plan.match is not None:
        total, capped, ids = _sqlite_text_page(session, plan, sort, limit, offset, count_limit)
    else:
        stmt = sa.select(Article.id).select_from(Article)
        if plan.match is not None:
            stmt = stmt.where(plan.match)
        with _bitmap_only(session, plan):
            total, capped = _capped_count(session, stmt.where(*plan.conditions), count_limit)
        ids = []
        if limit and (offset < total or capped):
            order = _order(plan, sort)
            page_stmt = plan.apply(sa.select(Article.id).select_from(Article))
            page_stmt = page_stmt.order_by(*order).limit(limit).offset(offset)
            # Few matches (counted exactly): fetch them all through the GIN bitmap and sort;
            # walking the date index and testing each row is only quick when many match.
            with _bitmap_only(session, plan, when=not capped):
                ids = list(session.scalars(page_stmt))
    if not ids:
        return SearchPage(total=total, hits=[], total_is_estimate=capped)

    rows = session.execute(
        sa.select(
            Article.id,
            Article.canonical_url,
            Article.title,
            Article.published_at,
            Source.key,
            sa.func.substr(Article.body, 1, FALLBACK_SNIPPET_CHARS * 2).label("opening"),
        )
        .join(Source, Source.id == Article.source_id)
        .where(Article.id.in_(ids))
    ).all()
    by_id = {row.id: row for row in rows}
    snippets = _snippets(session, plan, ids, scored=sort == "relevance")

    hits = []
    for article_id in ids:
        art = by_id[article_id]
        snippet, score = snippets.get(article_id, (None, 0.0))
        hits.append(
            Hit(
                article_id=art.id,
                url=art.canonical_url,
                source=art.key,
                title=art.title,
                published_at=art.published_at,
                snippet=snippet or _fallback_snippet(art.opening),
                score=float(score or 0.0),
            )
        )
    return SearchPage(total=total, hits=hits, total_is_estimate=capped)


def _snippets(
    session: Session, plan: _Plan, ids: list[int], *, scored: bool
) -> dict[int, tuple[str, float]]:
    """Highlighted snippets of the body and scores for the given hits (this page only).

    On SQLite the score (bm25) is computed only when ``scored``: its first use in a query
    counts every match of every term, which is what sorting by newest avoids.
    """
    if plan.match is None or not ids:
        return {}
    if plan.dialect == "sqlite":
        score = -sa.func.bm25(_FTS_REF, *FTS5_BM25_WEIGHTS) if scored else sa.literal(0.0)
        stmt = (
            sa.select(
                _FTS.c.rowid,
                sa.func.snippet(
                    _FTS_REF, 1, HIGHLIGHT_START, HIGHLIGHT_END, SNIPPET_ELLIPSIS, 24
                ).label("snippet"),
                score.label("score"),
            )
            .select_from(_FTS)
            .where(_fts5_match(plan.parsed), _FTS.c.rowid.in_(ids))
        )
    else:
        # ts_rank reads each hit's tsvector (out of line since 0010_pg_search): only when
        # sorted by relevance, as on SQLite.
        score = plan.score if scored else sa.literal(0.0)
        stmt = sa.select(
            Article.id,
            sa.func.ts_headline(
                PG_CONFIG, sa.func.coalesce(Article.body, ""), plan.tsquery, PG_HEADLINE_OPTIONS
            ).label("snippet"),
            score.label("score"),
        ).where(Article.id.in_(ids))
    return {row[0]: (row.snippet, row.score) for row in session.execute(stmt)}


def matching_ids(
    session: Session,
    query: str | ParsedQuery | None,
    *,
    source: str | Sequence[str] | None = None,
    above_id: int | None = None,
    limit: int | None = None,
    unclaimed_by: int | None = None,
) -> list[int]:
    """Ids of the articles matching ``query`` (and ``source``), lowest first: those above
    ``above_id`` only, at most ``limit``. For saved searches: ``unclaimed_by`` leaves out the
    articles that watch (a :class:`archive.models.SavedWatch` id) has claimed already.
    """
    plan = _plan(session, query, source=source, since=None, until=None)
    above = [] if above_id is None else [Article.id > above_id]
    if plan.fts_hits is not None:
        plan.fts_hits = plan.hits(*([] if above_id is None else [_FTS.c.rowid > above_id]))
    stmt = plan.apply(sa.select(Article.id).select_from(Article)).where(*above)
    if unclaimed_by is not None:
        claimed = sa.exists().where(
            WatchArticle.watch_id == unclaimed_by, WatchArticle.article_id == Article.id
        )
        stmt = stmt.where(~claimed)
    stmt = stmt.order_by(Article.id)
    if limit is not None:
        stmt = stmt.limit(max(0, int(limit)))
    return list(session.scalars(stmt))


def iter_search(
    session: Session,
    query: str | ParsedQuery | None,
    *,
    source: str | Sequence[str] | None = None,
    since: DateLike = None,
    until: DateLike = None,
    sort: Literal["relevance", "newest"] = "newest",
    batch: int = 1000,
) -> Iterator[Article]:
    """Every matching article (ORM rows), streamed ``batch`` at a time (constant memory).

    Same arguments as :func:`search`; meant for exports. Uses a server-side cursor on PostgreSQL,
    so keep the session's transaction open while iterating.
    """
    plan = _plan(session, query, source=source, since=since, until=until)
    if plan.fts_hits is not None and sort == "relevance":
        plan.fts_hits = plan.hits(ranked=True)
        plan.score = -plan.fts_hits.c.rank
    stmt = plan.apply(sa.select(Article)).order_by(*_order(plan, sort))
    result = session.execute(stmt.execution_options(yield_per=max(1, batch)))
    yield from result.scalars()


# --- trend --------------------------------------------------------------------------------------


class TrendRow(NamedTuple):
    """Number of matching articles of one source in one period (a WIB day, week or month)."""

    period_start: date
    source: str
    count: int


_PERIODS = ("day", "week", "month")


def _period_expr(dialect: str, by: str) -> sa.ColumnElement[Any]:
    if dialect == "sqlite":
        local = sa.func.datetime(Article.published_at, sa.literal_column("'+7 hours'"))
        if by == "day":
            return sa.func.date(local)
        if by == "week":  # the Monday on or before the day
            return sa.func.date(
                local, sa.literal_column("'weekday 0'"), sa.literal_column("'-6 days'")
            )
        return sa.func.strftime(sa.literal_column("'%Y-%m-01'"), local)
    local = sa.func.timezone(sa.literal_column("'Asia/Jakarta'"), Article.published_at)
    return sa.cast(sa.func.date_trunc(sa.literal_column(f"'{by}'"), local), sa.Date)


def trend(
    session: Session,
    query: str | ParsedQuery | None,
    *,
    by: Literal["day", "week", "month"] = "day",
    source: str | Sequence[str] | None = None,
    since: DateLike = None,
    until: DateLike = None,
) -> list[TrendRow]:
    """Counts of matching articles per period and source, oldest period first.

    Periods are WIB calendar days, ISO weeks (starting Monday) or months; articles without a
    publication time are left out.
    """
    if by not in _PERIODS:
        raise QueryError(f"unknown period {by!r}; use one of {', '.join(_PERIODS)}")
    plan = _plan(session, query, source=source, since=since, until=until)
    _tune(session, plan)
    period = _period_expr(plan.dialect, by).label("period")
    # Grouped by source id, named afterwards: no join, and a narrower sort or hash.
    stmt = plan.apply(
        sa.select(period, Article.source_id, sa.func.count()).select_from(Article)
    ).where(Article.published_at.is_not(None))
    stmt = stmt.group_by(period, Article.source_id)
    keys = {row[0]: row[1] for row in session.execute(sa.select(Source.id, Source.key))}
    out = []
    for start, source_id, count in session.execute(stmt):
        if isinstance(start, datetime):
            start = start.date()
        elif isinstance(start, str):
            start = date.fromisoformat(start)
        out.append(TrendRow(start, keys.get(source_id, str(source_id)), int(count)))
    out.sort(key=lambda row: (row.period_start, row.source))
    return out


def render_highlights(snippet: str, start: str = "[", end: str = "]") -> str:
    """``snippet`` with the highlight markers replaced, e.g. by ANSI codes or HTML tags.

    >>> render_highlights("banjir di \\x02Surabaya\\x03", "<mark>", "</mark>")
    'banjir di <mark>Surabaya</mark>'
    """
    return snippet.replace(HIGHLIGHT_START, start).replace(HIGHLIGHT_END, end)
