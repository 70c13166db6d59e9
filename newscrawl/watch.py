"""Saved searches ("watches") that report new matching articles, exactly once per watch.

A watch is a query (plus an optional portal) and delivery targets: ``file:PATH`` (JSON Lines),
``http(s)://URL`` (webhook POST of JSON), ``mailto:ADDR`` or ``-`` (print). Deliveries go
through :func:`newscrawl.deliver.deliver` (``deliver(target, payload)``).

How "exactly once" survives crashes
-----------------------------------
Each run of a watch works in three steps:

1. **claim** (one transaction): the matching articles that are newer than the watch
   (``id > baseline_id``, the archive's highest id when the watch was added) and not yet claimed by
   this watch are recorded in ``watch_articles`` together with a new *pending* row of
   ``watch_deliveries`` that carries a random ``delivery_id``. Commit.
2. **deliver** the batch to every target not yet done, the payload carrying the ``delivery_id``;
   after each successful target its name is committed into the delivery's ``targets_done``.
3. **finish**: the delivery is marked delivered (``delivered_at``). Commit.

A run first re-sends any delivery still pending (a crash or an error between 1 and 3) before it
claims new articles, to the targets not yet done, with the *same* ``delivery_id`` and the same
articles. So an article is claimed by a watch once (primary key ``(watch_id, article_id)``); a
target receives it at least once, and more than once only after a crash between a delivery and
its commit, then always with the same ``delivery_id``, by which receivers can drop the repeat.

Claiming by "id not yet claimed" rather than by a high-water mark of article ids keeps articles
that a concurrent crawl commits late with a lower id (PostgreSQL sequences) from being skipped.

The tables are the archive's own (``archive.models``, created by ``init_db`` and by migration
``0002``); :func:`ensure_tables` creates them in an archive that is not yet upgraded.
"""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from archive.models import SavedWatch, WatchArticle, WatchDelivery

MAX_BATCH = 200
"""Articles in one delivery; a run sends as many deliveries as it needs."""
EXCERPT_CHARS = 280
NAME_MAX = 100

# A watch name: letters, digits, dot, dash, underscore; starts with a letter or digit.
_NAME_RE = re.compile(r"^[^\W_][\w.-]*$")

# The tables are the archive's (``archive.models``: SavedWatch, WatchDelivery, WatchArticle).
watches = SavedWatch.__table__
watch_deliveries = WatchDelivery.__table__
watch_articles = WatchArticle.__table__


class WatchError(ValueError):
    """A watch that cannot be added or found; the message is for the user."""


class DeliveryError(RuntimeError):
    """A target refused or failed a delivery."""


@dataclass(frozen=True)
class Watch:
    """A saved search."""

    id: int
    name: str
    query: str
    source: str | None
    targets: list[str]
    baseline_id: int
    created_at: datetime
    last_run_at: datetime | None
    last_error: str | None


@dataclass
class WatchRun:
    """What one run of a watch did: the deliveries sent and the articles in them.

    ``redelivered`` lists the delivery ids re-sent from an earlier, unfinished run; ``error`` is
    set when a delivery failed (it stays pending and is re-sent by the next run).
    """

    name: str
    delivery_ids: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    redelivered: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


# --- targets ------------------------------------------------------------------------------------


def make_targets(
    *,
    webhooks: Sequence[str] = (),
    emails: Sequence[str] = (),
    jsonl: Sequence[str] = (),
) -> list[str]:
    """Delivery targets from command-line options; ``["-"]`` (print) when none is given.

    >>> make_targets(webhooks=["https://hook.example/x"], emails=["a@b.id"], jsonl=["/tmp/w.jsonl"])
    ['https://hook.example/x', 'mailto:a@b.id', 'file:/tmp/w.jsonl']
    >>> make_targets()
    ['-']
    """
    out = []
    for url in webhooks:
        if not url.startswith(("http://", "https://")):
            raise WatchError(f"a webhook must be an http(s) URL, got {url!r}")
        out.append(url)
    for addr in emails:
        addr = addr.removeprefix("mailto:")
        if "@" not in addr or any(c.isspace() for c in addr):
            raise WatchError(f"not an email address: {addr!r}")
        out.append(f"mailto:{addr}")
    for path in jsonl:
        path = path.removeprefix("file:")
        out.append(f"file:{Path(path).expanduser().resolve()}" if path != "-" else "-")
    return out or ["-"]


def default_deliver() -> Callable[[str, dict[str, Any]], Any]:
    """The delivery function: :func:`newscrawl.deliver.deliver`."""
    from newscrawl.deliver import deliver

    return deliver


def _send(deliver: Callable[[str, dict[str, Any]], Any], target: str, payload: dict) -> None:
    """Call ``deliver``; a ``False`` result or a result with a false ``ok`` (``Delivery`` of
    ``newscrawl.deliver``, which never raises) is a failure too."""
    result = deliver(target, payload)
    if result is False or (result is not None and getattr(result, "ok", True) is False):
        reason = getattr(result, "detail", None) or "delivery refused"
        raise DeliveryError(f"{target}: {reason}")


# --- tables and watches -------------------------------------------------------------------------


def ensure_tables(engine: sa.Engine) -> None:
    """Create the watch tables on the archive's engine when missing (idempotent)."""
    SavedWatch.metadata.create_all(engine, tables=[watches, watch_deliveries, watch_articles])


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _row_to_watch(row: Any) -> Watch:
    return Watch(
        id=row.id,
        name=row.name,
        query=row.query,
        source=row.source,
        targets=list(row.targets or []),
        baseline_id=int(row.baseline_id or 0),
        created_at=row.created_at,
        last_run_at=row.last_run_at,
        last_error=row.last_error,
    )


def add_watch(
    session: Session,
    name: str,
    query: str,
    *,
    source: str | None = None,
    targets: Sequence[str] = ("-",),
    backfill: bool = False,
) -> Watch:
    """Save a watch. It reports articles archived after now (all matches with ``backfill``).

    Raises :class:`WatchError` for a bad name, a duplicate name or a malformed query.
    """
    from archive.models import Article
    from archive.search import QueryError, parse_query

    if not _NAME_RE.match(name or "") or len(name) > NAME_MAX:
        raise WatchError(
            f"bad watch name {name!r}: use letters, digits, '.', '-' or '_' (at most {NAME_MAX})"
        )
    try:
        parse_query(query)
    except QueryError as exc:
        raise WatchError(f"bad query: {exc}") from None
    if session.execute(sa.select(watches.c.id).where(watches.c.name == name)).first():
        raise WatchError(f"a watch named {name!r} exists already")
    baseline = 0
    if not backfill:
        baseline = session.execute(sa.select(sa.func.max(Article.id))).scalar_one_or_none() or 0
    session.execute(
        sa.insert(watches).values(
            name=name,
            query=query,
            source=source or None,
            targets=list(targets) or ["-"],
            baseline_id=baseline,
            created_at=_utcnow(),
        )
    )
    return get_watch(session, name)


def get_watch(session: Session, name: str) -> Watch:
    """The watch called ``name``; :class:`WatchError` when there is none."""
    row = session.execute(sa.select(watches).where(watches.c.name == name)).first()
    if row is None:
        raise WatchError(f"no watch named {name!r}")
    return _row_to_watch(row)


def list_watches(session: Session) -> list[Watch]:
    """Every watch, by name."""
    return [_row_to_watch(r) for r in session.execute(sa.select(watches).order_by(watches.c.name))]


def remove_watch(session: Session, name: str) -> None:
    """Delete a watch with its delivery history; :class:`WatchError` when there is none."""
    watch = get_watch(session, name)
    session.execute(sa.delete(watch_articles).where(watch_articles.c.watch_id == watch.id))
    session.execute(sa.delete(watch_deliveries).where(watch_deliveries.c.watch_id == watch.id))
    session.execute(sa.delete(watches).where(watches.c.id == watch.id))


def pending_deliveries(session: Session, watch_id: int) -> list[Any]:
    """Deliveries of a watch claimed but not yet confirmed, oldest first."""
    stmt = (
        sa.select(watch_deliveries)
        .where(watch_deliveries.c.watch_id == watch_id, watch_deliveries.c.delivered_at.is_(None))
        .order_by(watch_deliveries.c.id)
    )
    return list(session.execute(stmt))


# --- running ------------------------------------------------------------------------------------


def _new_matches(session: Session, watch: Watch, limit: int) -> list[int]:
    """Ids of matching articles newer than the watch and not yet claimed by it, oldest first."""
    from archive.search import matching_ids

    return matching_ids(
        session,
        watch.query,
        source=watch.source,
        above_id=watch.baseline_id,
        limit=limit,
        unclaimed_by=watch.id,
    )


def _claim(session: Session, watch: Watch, limit: int) -> tuple[str, list[int]] | None:
    ids = _new_matches(session, watch, limit)
    if not ids:
        return None
    delivery_id = f"{watch.name}-{uuid.uuid4().hex}"
    session.execute(
        sa.insert(watch_deliveries).values(
            watch_id=watch.id,
            delivery_id=delivery_id,
            article_ids=ids,
            targets_done=[],
            attempts=0,
            created_at=_utcnow(),
        )
    )
    session.execute(
        sa.insert(watch_articles),
        [{"watch_id": watch.id, "article_id": i, "delivery_id": delivery_id} for i in ids],
    )
    return delivery_id, ids


def _excerpt(article: Any) -> str:
    text = article.description or article.body or ""
    words = " ".join(text.split())
    return words if len(words) <= EXCERPT_CHARS else words[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"


def build_payload(
    session: Session, watch: Watch, delivery_id: str, article_ids: Sequence[int]
) -> dict[str, Any]:
    """The JSON payload of a delivery: the watch, the ``delivery_id`` and the articles."""
    from archive.models import Article, Source

    rows = session.execute(
        sa.select(Article, Source.key)
        .join(Source, Source.id == Article.source_id)
        .where(Article.id.in_(list(article_ids)))
    ).all()
    by_id = {article.id: (article, key) for article, key in rows}
    articles = []
    for article_id in article_ids:
        if article_id not in by_id:
            continue  # deleted from the archive meanwhile
        article, key = by_id[article_id]
        articles.append(
            {
                "id": article.id,
                "source": key,
                "title": article.title,
                "url": article.canonical_url,
                "published_at": article.published_at.isoformat() if article.published_at else None,
                "excerpt": _excerpt(article),
            }
        )
    lines = [f"- {a['title'] or '(untitled)'} ({a['source']})\n  {a['url']}" for a in articles]
    return {
        "kind": "watch",
        "subject": f"newscrawl: {len(articles)} new article(s) for watch {watch.name}",
        "text": f"New articles matching {watch.query!r}:\n\n" + "\n".join(lines),
        "delivery_id": delivery_id,
        "watch": watch.name,
        "query": watch.query,
        "source": watch.source,
        "count": len(articles),
        "articles": articles,
    }


def _deliver_one(
    session_factory: sessionmaker[Session],
    watch: Watch,
    delivery_id: str,
    article_ids: list[int],
    done: list[str],
    deliver: Callable[[str, dict[str, Any]], Any],
) -> None:
    """Send one claimed delivery to the targets not yet done, committing progress per target."""
    with session_factory.begin() as session:
        payload = build_payload(session, watch, delivery_id, article_ids)
        session.execute(
            sa.update(watch_deliveries)
            .where(watch_deliveries.c.delivery_id == delivery_id)
            .values(attempts=watch_deliveries.c.attempts + 1)
        )
    done = list(done)
    for target in watch.targets:
        if target in done:
            continue
        _send(deliver, target, payload)
        done.append(target)
        with session_factory.begin() as session:
            session.execute(
                sa.update(watch_deliveries)
                .where(watch_deliveries.c.delivery_id == delivery_id)
                .values(targets_done=list(done))
            )
    with session_factory.begin() as session:
        session.execute(
            sa.update(watch_deliveries)
            .where(watch_deliveries.c.delivery_id == delivery_id)
            .values(delivered_at=_utcnow())
        )


def run_watch(
    session_factory: sessionmaker[Session],
    name: str,
    *,
    deliver: Callable[[str, dict[str, Any]], Any] | None = None,
    batch: int = MAX_BATCH,
) -> WatchRun:
    """Run one watch: re-send its pending deliveries, then claim and send new matches.

    Delivery failures do not raise: they are in :attr:`WatchRun.error` (and ``last_error``);
    the failed delivery stays pending for the next run.
    """
    deliver = deliver or default_deliver()
    with session_factory() as session:
        watch = get_watch(session, name)
        pending = [
            (row.delivery_id, list(row.article_ids), list(row.targets_done or []))
            for row in pending_deliveries(session, watch.id)
        ]
    result = WatchRun(name=name)
    try:
        for delivery_id, ids, done in pending:
            _deliver_one(session_factory, watch, delivery_id, ids, done, deliver)
            result.redelivered.append(delivery_id)
            result.delivery_ids.append(delivery_id)
            result.article_ids.extend(ids)
        while True:
            with session_factory.begin() as session:
                claimed = _claim(session, watch, max(1, batch))
            if claimed is None:
                break
            delivery_id, ids = claimed
            _deliver_one(session_factory, watch, delivery_id, ids, [], deliver)
            result.delivery_ids.append(delivery_id)
            result.article_ids.extend(ids)
    except Exception as exc:  # a delivery failed: it stays pending for the next run
        result.error = f"{exc.__class__.__name__}: {exc}"
    with session_factory.begin() as session:
        session.execute(
            sa.update(watches)
            .where(watches.c.id == watch.id)
            .values(last_run_at=_utcnow(), last_error=result.error)
        )
    return result


def run_watches(
    session_factory: sessionmaker[Session],
    names: Sequence[str] | None = None,
    *,
    deliver: Callable[[str, dict[str, Any]], Any] | None = None,
) -> list[WatchRun]:
    """Run every watch (or those named) against a writable archive; one result per watch.

    Meant to be called after each crawl. Never raises for a failed delivery (see
    :attr:`WatchRun.error`); raises :class:`WatchError` for an unknown name.
    """
    engine = session_factory.kw.get("bind")
    if engine is not None:
        ensure_tables(engine)
    with session_factory() as session:
        all_names = [w.name for w in list_watches(session)]
    if names:
        unknown = [n for n in names if n not in all_names]
        if unknown:
            raise WatchError(f"no watch named {unknown[0]!r}")
        all_names = list(names)
    return [run_watch(session_factory, name, deliver=deliver) for name in all_names]


def describe_run(run: WatchRun, out: Any = None) -> None:
    """Print one line about a watch run."""
    out = out or sys.stdout
    status = "ok" if run.ok else f"FAILED ({run.error}); will retry"
    again = f", {len(run.redelivered)} re-sent" if run.redelivered else ""
    print(
        f"{run.name}: {len(run.article_ids)} new article(s) in {len(run.delivery_ids)} "
        f"delivery(ies){again}: {status}",
        file=out,
    )
