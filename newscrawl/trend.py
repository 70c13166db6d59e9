"""Trend tables and charts of search results, and the archive's health statistics.

:func:`build_table` turns :func:`archive.search.trend` rows into a zero-filled table of periods
by sources with totals; :func:`format_table` prints it, :func:`render_png` draws it with
matplotlib (Agg) and :func:`render_svg` builds a small inline SVG (every text escaped) for the
web app. :func:`archive_stats` counts articles per portal per day, the field coverage of each
portal and the days on which a portal that normally publishes had nothing.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from html import escape
from typing import Any

PERIODS = ("day", "week", "month")
WIB = timezone(timedelta(hours=7), "WIB")
STATS_WINDOW_DAYS = 30
LONG_BODY_CHARS = 400
SVG_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#7f7f7f")
SVG_MAX_SERIES = 6  # sources drawn on their own; the rest are summed as "other"


# --- periods ------------------------------------------------------------------------------------


def period_start(day: date, by: str) -> date:
    """The first day of the period (``day``, ISO ``week`` from Monday, ``month``) holding ``day``.

    >>> period_start(date(2024, 8, 15), "week"), period_start(date(2024, 8, 15), "month")
    (datetime.date(2024, 8, 12), datetime.date(2024, 8, 1))
    >>> period_start(date(2024, 8, 15), "day")
    datetime.date(2024, 8, 15)
    """
    if by == "day":
        return day
    if by == "week":
        return day - timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown period {by!r}; use one of {', '.join(PERIODS)}")


def next_period(start: date, by: str) -> date:
    """The start of the period after the one starting at ``start``.

    >>> next_period(date(2024, 12, 1), "month"), next_period(date(2024, 8, 12), "week")
    (datetime.date(2025, 1, 1), datetime.date(2024, 8, 19))
    """
    if by == "day":
        return start + timedelta(days=1)
    if by == "week":
        return start + timedelta(days=7)
    if by == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    raise ValueError(f"unknown period {by!r}; use one of {', '.join(PERIODS)}")


def periods_between(first: date, last: date, by: str) -> list[date]:
    """Every period start from the period of ``first`` to the period of ``last``, inclusive.

    >>> periods_between(date(2024, 1, 31), date(2024, 3, 2), "month")
    [datetime.date(2024, 1, 1), datetime.date(2024, 2, 1), datetime.date(2024, 3, 1)]
    >>> periods_between(date(2024, 3, 2), date(2024, 3, 1), "day")
    []
    """
    out = []
    current, end = period_start(first, by), period_start(last, by)
    while current <= end:
        out.append(current)
        current = next_period(current, by)
    return out


def period_label(start: date, by: str) -> str:
    """A short label of a period: ``2024-08-13``, ``2024-W33``, ``2024-08``.

    >>> period_label(date(2024, 8, 12), "week"), period_label(date(2024, 8, 1), "month")
    ('2024-W33', '2024-08')
    """
    if by == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if by == "month":
        return start.strftime("%Y-%m")
    return start.isoformat()


# --- the table ----------------------------------------------------------------------------------


@dataclass
class TrendTable:
    """Counts per period (rows) and source (columns), zero-filled, with totals."""

    by: str
    periods: list[date]
    sources: list[str]
    counts: dict[tuple[date, str], int] = field(default_factory=dict)

    def count(self, period: date, source: str) -> int:
        return self.counts.get((period, source), 0)

    def period_total(self, period: date) -> int:
        return sum(self.count(period, s) for s in self.sources)

    def source_total(self, source: str) -> int:
        return sum(self.count(p, source) for p in self.periods)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def rows(self) -> list[dict[str, Any]]:
        """One dict per period: ``period``, ``label``, a count per source, ``total``."""
        out = []
        for period in self.periods:
            row: dict[str, Any] = {"period": period.isoformat(), "label": self.label(period)}
            row.update({s: self.count(period, s) for s in self.sources})
            row["total"] = self.period_total(period)
            out.append(row)
        return out

    def label(self, period: date) -> str:
        return period_label(period, self.by)

    def to_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "sources": list(self.sources),
            "rows": self.rows(),
            "totals": {s: self.source_total(s) for s in self.sources},
            "total": self.total,
        }


def _as_day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.astimezone(WIB).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def build_table(
    rows: Iterable[Any],
    by: str = "day",
    *,
    since: date | datetime | str | None = None,
    until: date | datetime | str | None = None,
    sources: Sequence[str] = (),
) -> TrendTable:
    """A zero-filled table from ``(period_start, source, count)`` rows (``archive.search.trend``).

    The periods run from ``since`` (else the first row) to ``until`` (else the last row);
    ``sources`` are always shown as columns, even without counts. Columns are sorted by total,
    largest first.

    >>> t = build_table([(date(2024, 8, 1), "detik", 2), (date(2024, 8, 3), "kompas", 1)])
    >>> [r["total"] for r in t.rows()], t.sources, t.total
    ([2, 0, 1], ['detik', 'kompas'], 3)
    """
    if by not in PERIODS:
        raise ValueError(f"unknown period {by!r}; use one of {', '.join(PERIODS)}")
    counts: dict[tuple[date, str], int] = {}
    for start, source, count in rows:
        key = (period_start(_as_day(start), by), source)
        counts[key] = counts.get(key, 0) + int(count)
    first, last = _as_day(since), _as_day(until)
    if counts:
        first = first or min(p for p, _ in counts)
        last = last or max(p for p, _ in counts)
    periods = periods_between(first, last, by) if first and last else []
    keep = set(periods)
    counts = {k: v for k, v in counts.items() if k[0] in keep}
    totals: dict[str, int] = dict.fromkeys(sources, 0)
    for (_, source), count in counts.items():
        totals[source] = totals.get(source, 0) + count
    ordered = sorted(totals, key=lambda s: (-totals[s], s))
    return TrendTable(by=by, periods=periods, sources=ordered, counts=counts)


def format_table(table: TrendTable) -> str:
    """The table as aligned text: a row per period, a column per source, totals last.

    >>> print(format_table(build_table([(date(2024, 8, 1), "detik", 2)], "day")))
    period      detik  total
    2024-08-01      2      2
    total           2      2
    """
    header = ["period", *table.sources, "total"]
    body = [
        [
            table.label(p),
            *(str(table.count(p, s)) for s in table.sources),
            str(table.period_total(p)),
        ]
        for p in table.periods
    ]
    body.append(["total", *(str(table.source_total(s)) for s in table.sources), str(table.total)])
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = []
    for row in [header, *body]:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _series(table: TrendTable, limit: int) -> list[tuple[str, list[int]]]:
    """Per-source counts of the ``limit`` largest sources, the rest summed as ``other``."""
    shown = table.sources[:limit]
    out = [(s, [table.count(p, s) for p in table.periods]) for s in shown]
    rest = table.sources[limit:]
    if rest:
        out.append(("other", [sum(table.count(p, s) for s in rest) for p in table.periods]))
    return out


def _no_mathtext(text: str) -> str:
    """Text for a matplotlib label, ``$`` escaped so that it is never read as math.

    >>> print(_no_mathtext("Rp $5"))
    Rp \\$5
    """
    return text.replace("$", r"\$")


def render_png(table: TrendTable, path: str, *, title: str = "") -> None:
    """Draw the table as stacked bars per period (one colour per source) into a PNG file."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(10, 4.5), dpi=100)
    try:
        labels = [table.label(p) for p in table.periods]
        positions = list(range(len(labels)))
        bottom = [0] * len(labels)
        for i, (name, values) in enumerate(_series(table, SVG_MAX_SERIES)):
            ax.bar(
                positions,
                values,
                bottom=bottom,
                label=_no_mathtext(name),
                color=SVG_PALETTE[i % 7],
                width=0.8,
            )
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        step = max(1, len(labels) // 15)
        ax.set_xticks(positions[::step], labels[::step], rotation=45, ha="right", fontsize=8)
        ax.set_ylabel("articles")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(_no_mathtext(title or f"articles per {table.by}"))
        if table.sources:
            ax.legend(fontsize=8, loc="upper left")
        fig.tight_layout()
        fig.savefig(path, format="png")
    finally:
        plt.close(fig)


def render_svg(table: TrendTable, *, width: int = 720, height: int = 220) -> str:
    """A stacked bar chart of the table as an SVG element; every text in it is escaped.

    >>> svg = render_svg(build_table([(date(2024, 8, 1), "<b>", 2)], "day"))
    >>> svg.startswith("<svg") and "&lt;b&gt;" in svg and "<b>" not in svg
    True
    """
    left, bottom_margin, top, right = 36, 40, 10, 10
    plot_w, plot_h = width - left - right, height - top - bottom_margin
    n = max(1, len(table.periods))
    peak = max([table.period_total(p) for p in table.periods] or [0]) or 1
    bar_w = plot_w / n
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend" width="{width}" '
        f'height="{height + 24}" viewBox="0 0 {width} {height + 24}" role="img" '
        f'aria-label="articles per {escape(table.by)}">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#999"/>',
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" font-size="10">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" font-size="10">0</text>',
    ]
    series = _series(table, SVG_MAX_SERIES)
    for i, period in enumerate(table.periods):
        x = left + i * bar_w
        y = top + plot_h
        for j, (name, values) in enumerate(series):
            value = values[i]
            if not value:
                continue
            h = plot_h * value / peak
            y -= h
            parts.append(
                f'<rect x="{x + bar_w * 0.1:.1f}" y="{y:.1f}" width="{bar_w * 0.8:.1f}" '
                f'height="{h:.1f}" fill="{SVG_PALETTE[j % 7]}"><title>'
                f"{escape(table.label(period))} {escape(name)}: {value}</title></rect>"
            )
    step = max(1, len(table.periods) // 8)
    for i in range(0, len(table.periods), step):
        x = left + (i + 0.5) * bar_w
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="middle" font-size="10">'
            f"{escape(table.label(table.periods[i]))}</text>"
        )
    legend_x = left
    for j, (name, _) in enumerate(series):
        parts.append(
            f'<rect x="{legend_x}" y="{height + 8}" width="10" height="10" '
            f'fill="{SVG_PALETTE[j % 7]}"/>'
            f'<text x="{legend_x + 14}" y="{height + 17}" font-size="11">{escape(name)}</text>'
        )
        legend_x += 24 + 7 * len(name)
    parts.append("</svg>")
    return "".join(parts)


# --- archive statistics -------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """How many of a portal's articles in the window have each field."""

    source: str
    articles: int
    with_date: int
    with_author: int
    with_editor: int
    long_body: int
    with_related: int

    def share(self, name: str) -> float:
        return getattr(self, name) / self.articles if self.articles else 0.0


COVERAGE_FIELDS = ("with_date", "with_author", "with_editor", "long_body", "with_related")


@dataclass
class ArchiveStats:
    """Articles per portal per day, field coverage per portal and publication gaps."""

    since: date
    until: date
    per_day: TrendTable
    coverage: list[Coverage]
    gaps: dict[str, list[date]]

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "per_day": self.per_day.to_json(),
            "coverage": [
                {
                    "source": c.source,
                    "articles": c.articles,
                    **{f: round(c.share(f), 4) for f in COVERAGE_FIELDS},
                }
                for c in self.coverage
            ],
            "gaps": {s: [d.isoformat() for d in days] for s, days in self.gaps.items()},
        }


def find_gaps(table: TrendTable, *, min_median: float = 1.0) -> dict[str, list[date]]:
    """Days without articles of each source whose median per day is at least ``min_median``.

    A source is looked at from its first day with articles in the table to the table's end (days
    before it came into the archive are not gaps; days after it went quiet are).

    >>> t = build_table([(date(2024, 8, d), "detik", 3) for d in (1, 2, 4)], "day")
    >>> find_gaps(t)
    {'detik': [datetime.date(2024, 8, 3)]}
    >>> find_gaps(build_table([(date(2024, 8, 1), "jarang", 1), (date(2024, 8, 5), "jarang", 1)]))
    {}
    >>> rows = [(date(2024, 8, 2), "baru", 2), (date(2024, 8, 3), "baru", 2)]
    >>> find_gaps(build_table(rows, since="2024-08-01", until="2024-08-04"))
    {'baru': [datetime.date(2024, 8, 4)]}
    """
    gaps: dict[str, list[date]] = {}
    for source in table.sources:
        daily = [table.count(p, source) for p in table.periods]
        first = next((i for i, n in enumerate(daily) if n), None)
        if first is None:
            continue
        days, daily = table.periods[first:], daily[first:]
        if statistics.median(daily) >= min_median:
            empty = [p for p, n in zip(days, daily, strict=True) if n == 0]
            if empty:
                gaps[source] = empty
    return gaps


def _wib_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=WIB)


def default_window(session: Any, days: int = STATS_WINDOW_DAYS) -> tuple[date, date]:
    """The last ``days`` WIB days up to the newest publication in the archive (or today)."""
    import sqlalchemy as sa

    from archive.models import Article

    newest = session.execute(sa.select(sa.func.max(Article.published_at))).scalar_one_or_none()
    today = datetime.now(WIB).date()
    if isinstance(newest, str):
        newest = datetime.fromisoformat(newest)
    if newest is not None and newest.tzinfo is None:
        newest = newest.replace(tzinfo=UTC)
    until = min(newest.astimezone(WIB).date(), today) if newest is not None else today
    return until - timedelta(days=days - 1), until


def archive_stats(
    session: Any, *, since: date | None = None, until: date | None = None
) -> ArchiveStats:
    """Statistics of the archive over WIB days ``since``..``until`` (default: the last 30 days
    up to the newest publication)."""
    import sqlalchemy as sa

    from archive.models import Article, Source
    from archive.search import trend

    if since is None or until is None:
        default_since, default_until = default_window(session)
        until = until or default_until
        since = since or min(default_since, until)
    rows = trend(session, None, by="day", since=since, until=until)
    per_day = build_table(rows, "day", since=since, until=until)

    lower, upper = _wib_start(since), _wib_start(until + timedelta(days=1))
    in_window = sa.or_(
        sa.and_(Article.published_at >= lower, Article.published_at < upper),
        sa.and_(
            Article.published_at.is_(None),
            Article.first_seen_at >= lower,
            Article.first_seen_at < upper,
        ),
    )

    def flag(condition: Any) -> Any:
        return sa.func.sum(sa.case((condition, 1), else_=0))

    def non_empty_list(column: Any) -> Any:
        return sa.and_(column.is_not(None), sa.cast(column, sa.Text).not_in(["[]", "null"]))

    stmt = (
        sa.select(
            Source.key,
            sa.func.count(Article.id),
            sa.func.count(Article.published_at),
            flag(non_empty_list(Article.authors)),
            flag(sa.func.coalesce(Article.editor, "") != ""),
            flag(sa.func.length(sa.func.coalesce(Article.body, "")) >= LONG_BODY_CHARS),
            flag(non_empty_list(Article.related_links)),
        )
        .join(Source, Source.id == Article.source_id)
        .where(in_window)
        .group_by(Source.key)
        .order_by(Source.key)
    )
    coverage = [
        Coverage(key, *(int(v or 0) for v in values)) for key, *values in session.execute(stmt)
    ]
    return ArchiveStats(
        since=since, until=until, per_day=per_day, coverage=coverage, gaps=find_gaps(per_day)
    )


def format_stats(stats: ArchiveStats) -> str:
    """The statistics as text: the per-day table, the coverage table and the gaps."""
    lines = [f"articles per portal per day, {stats.since} .. {stats.until} (WIB)", ""]
    lines.append(format_table(stats.per_day) if stats.per_day.sources else "(no articles)")
    lines += ["", "field coverage (share of the portal's articles in the window)", ""]
    head = ["portal", "articles", "date", "author", "editor", f"body>={LONG_BODY_CHARS}", "related"]
    table = [head] + [
        [c.source, str(c.articles), *(f"{c.share(f):.0%}" for f in COVERAGE_FIELDS)]
        for c in stats.coverage
    ]
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    for row in table:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
    lines += ["", "gaps (days without articles from a portal that publishes daily)", ""]
    if not stats.gaps:
        lines.append("none")
    for source, days in stats.gaps.items():
        lines.append(f"{source}: {len(days)} day(s): " + ", ".join(d.isoformat() for d in days))
    return "\n".join(lines)
