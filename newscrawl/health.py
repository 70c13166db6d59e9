"""Crawl health: the figures of a finished crawl, compared with the portal's recent history.

Figures come from the crawl stats: pages fetched, articles new / changed / unchanged, problems by
kind, field coverage of the valid items (share with a date, with an author, with a body of normal
length, :data:`NORMAL_BODY_CHARS` characters or more) and the leftover-promo rate (items where
cleaning left promotional text, stat ``newscrawl/clean/promo_left``). Coverage is counted per item
by :func:`count_coverage` (called by the validate pipeline) into ``newscrawl/coverage/*``; for a
crawl without those stats it is computed from the versions the run archived.

Selector drift is counted per item too (:func:`count_fields`, stats
``newscrawl/field/<field>/profile`` and ``.../fallback``): for each field the portal profile
names its own selector for, whether that selector gave the value or generic extraction had to
(the item's ``fallback_fields``).

A run is **degraded** when, on its own (no history needed), a watched field (:class:`Drift`)
fell back on more than ``NEWSCRAWL_DRIFT_MAX_FALLBACK`` of its items ("beritajatim: title
selector matched 0/40 pages; generic used"); when it extracted nothing from many article pages;
or, against the median of the portal's previous finished runs: date or author coverage fell by more than
:data:`COVERAGE_DROP` (30 points), the share of normal bodies fell by half, or the promo rate
rose by more than 20 points. A degraded run gets ``status = "degraded"`` and an alert is
delivered (:func:`newscrawl.deliver.deliver`) to each target of setting ``NEWSCRAWL_ALERTS``.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

NORMAL_BODY_CHARS = 400
COVERAGE_KEYS = ("with_date", "with_author", "body_normal")
#: Drop (in share points, 0-1) of date or author coverage that marks a run degraded.
COVERAGE_DROP = 0.30
#: Rise of the leftover-promo rate that marks a run degraded.
PROMO_RISE = 0.20
#: Fewer valid items than this: too few to judge coverage.
MIN_ITEMS = 5
#: Fewer previous runs than this: no history to compare with.
MIN_HISTORY = 3
DEFAULT_HISTORY = 5


@dataclass(frozen=True)
class Drift:
    """When a profile's selectors count as drifted: a watched field fell back on more than
    ``max_fallback`` of a run's items, with at least ``min_pages`` items that had the field's
    selector (settings ``NEWSCRAWL_DRIFT_MAX_FALLBACK``, ``..._MIN_PAGES``, ``..._FIELDS``)."""

    max_fallback: float = 0.5
    min_pages: int = 5
    fields: tuple[str, ...] = ("title", "date", "body")

    @classmethod
    def from_settings(cls, settings: Any) -> Drift:
        return cls(
            max_fallback=settings.getfloat("NEWSCRAWL_DRIFT_MAX_FALLBACK", cls.max_fallback),
            min_pages=settings.getint("NEWSCRAWL_DRIFT_MIN_PAGES", cls.min_pages),
            fields=tuple(settings.getlist("NEWSCRAWL_DRIFT_FIELDS", list(cls.fields))),
        )


def count_fields(stats: Any, item: Any, own_fields: Iterable[str]) -> None:
    """Count, for each field the profile names its own source for (``own_fields``), whether the
    item's value came from it (``newscrawl/field/<field>/profile``) or from generic extraction
    (``.../fallback``, the item's ``fallback_fields``)."""
    fallback = set(getattr(item, "fallback_fields", None) or ())
    for name in own_fields:
        how = "fallback" if name in fallback else "profile"
        stats.inc_value(f"newscrawl/field/{name}/{how}")


def field_counts(stats: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per field: items whose value came from the profile's selector, from the generic
    fallback, and the profile's share.

    >>> field_counts({"newscrawl/field/title/fallback": 40, "newscrawl/field/date/profile": 38,
    ...               "newscrawl/field/date/fallback": 2})
    {'title': {'profile': 0, 'fallback': 40, 'share': 0.0}, 'date': {'profile': 38, 'fallback': 2, 'share': 0.95}}
    """
    out: dict[str, dict[str, Any]] = {}
    for key in sorted(stats):
        parts = key.split("/")
        if (
            len(parts) != 4
            or parts[:2] != ["newscrawl", "field"]
            or parts[3]
            not in (
                "profile",
                "fallback",
            )
        ):
            continue
        entry = out.setdefault(parts[2], {"profile": 0, "fallback": 0})
        entry[parts[3]] = _int(stats, key)
    for entry in out.values():
        entry["share"] = _share(entry["profile"], entry["profile"] + entry["fallback"]) or 0.0
    order = ("title", "date", "body", "authors")
    return dict(
        sorted(out.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 9, kv[0]))
    )


def drift_reasons(
    fields: Mapping[str, Mapping[str, Any]], source: str = "", drift: Drift | None = None
) -> list[str]:
    """The reasons a run's selectors drifted, one per watched field that fell back too often.

    >>> drift_reasons({"title": {"profile": 0, "fallback": 40, "share": 0.0},
    ...                "date": {"profile": 38, "fallback": 2, "share": 0.95}}, "beritajatim")
    ['beritajatim: title selector matched 0/40 pages; generic used']
    """
    drift = drift or Drift()
    out = []
    for name in drift.fields:
        entry = fields.get(name) or {}
        own, back = int(entry.get("profile") or 0), int(entry.get("fallback") or 0)
        total = own + back
        if total >= drift.min_pages and back / total > drift.max_fallback:
            prefix = f"{source}: " if source else ""
            out.append(f"{prefix}{name} selector matched {own}/{total} pages; generic used")
    return out


def count_coverage(stats: Any, item: Any) -> None:
    """Count one valid item's coverage into crawl stats (``newscrawl/coverage/*``)."""
    stats.inc_value("newscrawl/coverage/items")
    if getattr(item, "published_at", None):
        stats.inc_value("newscrawl/coverage/with_date")
    if getattr(item, "authors", None):
        stats.inc_value("newscrawl/coverage/with_author")
    if len(getattr(item, "body", None) or "") >= NORMAL_BODY_CHARS:
        stats.inc_value("newscrawl/coverage/body_normal")


def _int(stats: Mapping[str, Any], key: str) -> int:
    try:
        return int(stats.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def coverage_from_items(items: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Coverage counts from item dicts (when the stats have none).

    >>> coverage_from_items([{"published_at": "x", "authors": [], "body": "b" * 500},
    ...                      {"published_at": None, "authors": ["A"], "body": "short"}])
    {'items': 2, 'with_date': 1, 'with_author': 1, 'body_normal': 1}
    """
    counts = {"items": 0, "with_date": 0, "with_author": 0, "body_normal": 0}
    for item in items:
        counts["items"] += 1
        counts["with_date"] += bool(item.get("published_at"))
        counts["with_author"] += bool(item.get("authors"))
        counts["body_normal"] += len(item.get("body") or "") >= NORMAL_BODY_CHARS
    return counts


def figures(stats: Mapping[str, Any], coverage: Mapping[str, int] | None = None) -> dict[str, Any]:
    """The key figures of a crawl from its stats (``coverage`` counts override the stats').

    >>> f = figures({"downloader/response_count": 12, "newscrawl/pages/article": 10,
    ...              "newscrawl/archive/new": 8, "newscrawl/coverage/items": 8,
    ...              "newscrawl/coverage/with_date": 6, "newscrawl/coverage/body_normal": 8,
    ...              "newscrawl/clean/items": 10, "newscrawl/clean/promo_left": 1,
    ...              "newscrawl/rejected/no_body": 2, "downloader/response_status_count/404": 1})
    >>> f["coverage"], f["promo_rate"], f["errors"]
    ({'items': 8, 'with_date': 0.75, 'with_author': 0.0, 'body_normal': 1.0}, 0.1, {'http/404': 1, 'rejected/no_body': 2})
    """
    counts = (
        dict(coverage)
        if coverage
        else {
            "items": _int(stats, "newscrawl/coverage/items"),
            **{k: _int(stats, f"newscrawl/coverage/{k}") for k in COVERAGE_KEYS},
        }
    )
    items = counts.get("items", 0)
    errors: dict[str, int] = {}
    for key, value in stats.items():
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        if key.startswith(("newscrawl/rejected/", "newscrawl/error/", "newscrawl/archive/error")):
            errors[key.removeprefix("newscrawl/")] = value
        elif key.startswith("downloader/exception_type_count/"):
            errors["exception/" + key.rsplit("/", 1)[-1].rsplit(".", 1)[-1]] = value
        elif key.startswith("downloader/response_status_count/") and key[-3:] not in (
            "200",
            "301",
            "302",
            "304",
        ):
            errors["http/" + key.rsplit("/", 1)[-1]] = value
    cleaned = _int(stats, "newscrawl/clean/items")
    return {
        "pages": _int(stats, "downloader/response_count"),
        "article_pages": _int(stats, "newscrawl/pages/article"),
        "articles": {
            "new": _int(stats, "newscrawl/archive/new"),
            "changed": _int(stats, "newscrawl/archive/changed"),
            "unchanged": _int(stats, "newscrawl/archive/unchanged"),
        },
        "errors": dict(sorted(errors.items())),
        "coverage": {
            "items": items,
            **{k: _share(counts.get(k, 0), items) or 0.0 for k in COVERAGE_KEYS},
        }
        if items
        else {"items": 0, **dict.fromkeys(COVERAGE_KEYS)},
        "promo_rate": _share(_int(stats, "newscrawl/clean/promo_left"), cleaned),
        "fields": field_counts(stats),
    }


def baseline(history: Sequence[Mapping[str, Any]]) -> dict[str, float | None]:
    """Medians of coverage shares and promo rate over previous runs' figures (None if no data).

    >>> h = [{"coverage": {"items": 9, "with_date": d, "with_author": 0.5, "body_normal": 1.0},
    ...       "promo_rate": 0.0} for d in (0.9, 1.0, 0.8)]
    >>> baseline(h)
    {'with_date': 0.9, 'with_author': 0.5, 'body_normal': 1.0, 'promo_rate': 0.0}
    """
    out: dict[str, float | None] = {}
    for key in COVERAGE_KEYS:
        values = [
            f["coverage"][key]
            for f in history
            if (f.get("coverage") or {}).get("items") and f["coverage"].get(key) is not None
        ]
        out[key] = round(statistics.median(values), 4) if values else None
    promo = [f["promo_rate"] for f in history if f.get("promo_rate") is not None]
    out["promo_rate"] = round(statistics.median(promo), 4) if promo else None
    return out


@dataclass
class Health:
    status: str  # "ok" or "degraded"
    reasons: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    baseline: dict[str, Any] = field(default_factory=dict)
    history: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reasons": list(self.reasons),
            "figures": self.figures,
            "baseline": self.baseline,
            "history": self.history,
        }


def assess(
    current: Mapping[str, Any],
    history: Sequence[Mapping[str, Any]],
    *,
    min_history: int = MIN_HISTORY,
    min_items: int = MIN_ITEMS,
    source: str = "",
    drift: Drift | None = None,
) -> Health:
    """Judge a run's figures against previous runs' figures.

    >>> good = {"coverage": {"items": 20, "with_date": 0.95, "with_author": 0.6,
    ...         "body_normal": 0.9}, "promo_rate": 0.0, "article_pages": 20}
    >>> bad = {"coverage": {"items": 20, "with_date": 0.4, "with_author": 0.6,
    ...        "body_normal": 0.3}, "promo_rate": 0.0, "article_pages": 20}
    >>> assess(good, [good] * 3).status
    'ok'
    >>> h = assess(bad, [good] * 3)
    >>> h.status, h.reasons
    ('degraded', ['date coverage 40% (usually 95%)', 'normal-length bodies 30% (usually 90%)'])
    >>> assess(bad, [good] * 2).status  # too little history to compare
    'ok'
    >>> drifted = dict(good, fields={"title": {"profile": 0, "fallback": 20}})
    >>> assess(drifted, [], source="beritajatim").reasons  # no history needed
    ['beritajatim: title selector matched 0/20 pages; generic used']
    """
    reasons: list[str] = []
    cov = current.get("coverage") or {}
    items = cov.get("items") or 0
    article_pages = current.get("article_pages") or 0
    reasons.extend(drift_reasons(current.get("fields") or {}, source, drift))
    if article_pages >= min_items and items == 0:
        reasons.append(f"no article extracted from {article_pages} article pages")
    base = baseline(history)
    if len(history) >= min_history and items >= min_items:
        for key, label in (("with_date", "date coverage"), ("with_author", "author coverage")):
            now, usual = cov.get(key), base.get(key)
            if now is not None and usual is not None and usual - now > COVERAGE_DROP:
                reasons.append(f"{label} {now:.0%} (usually {usual:.0%})")
        now, usual = cov.get("body_normal"), base.get("body_normal")
        if now is not None and usual and now < usual / 2:
            reasons.append(f"normal-length bodies {now:.0%} (usually {usual:.0%})")
        now, usual = current.get("promo_rate"), base.get("promo_rate")
        if now is not None and usual is not None and now - usual > PROMO_RISE:
            reasons.append(f"leftover promo in {now:.0%} of items (usually {usual:.0%})")
    return Health(
        "degraded" if reasons else "ok", reasons, dict(current), base, history=len(history)
    )


# --- the archive side (store functions: they take a session) ---------------------------------
def run_figures(run: Any) -> dict[str, Any]:
    """A stored run's figures: from its health summary, else from its stats."""
    health = (run.summary or {}).get("health") or {}
    return health.get("figures") or figures(run.stats or {})


def previous_figures(
    session: Any, source_key: str, before_id: int, limit: int
) -> list[dict[str, Any]]:
    """Figures of the source's last ``limit`` finished runs before run ``before_id``."""
    from archive.store import previous_runs

    return [run_figures(run) for run in previous_runs(session, source_key, before_id, limit)]


def run_coverage(session: Any, run_id: int) -> dict[str, int]:
    """Coverage counts of the versions a run archived (for runs without coverage stats)."""
    from archive.store import run_versions_data

    return coverage_from_items(run_versions_data(session, run_id))


def alert_payload(run: Any, health: Health) -> dict[str, Any]:
    return {
        "kind": "crawl_degraded",
        "subject": f"newscrawl: crawl #{run.id} of {run.source_key} is degraded",
        "text": f"Crawl #{run.id} of {run.source_key} looks degraded: "
        + "; ".join(health.reasons)
        + ".",
        "source": run.source_key,
        "run_id": run.id,
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "reasons": health.reasons,
        "figures": health.figures,
        "baseline": health.baseline,
    }


def evaluate_run(
    session: Any,
    run_id: int,
    stats: Mapping[str, Any] | None = None,
    *,
    history: int = DEFAULT_HISTORY,
    drift: Drift | None = None,
) -> tuple[Health, dict[str, Any]] | None:
    """Assess a finished run, store ``summary["health"]`` and mark it degraded when it is.

    Returns the health and the alert payload, or None when there is no such run.
    """
    from archive.models import CrawlRun

    run = session.get(CrawlRun, run_id)
    if run is None:
        return None
    stats = dict(stats if stats is not None else run.stats or {})
    coverage = None
    if not stats.get("newscrawl/coverage/items"):
        coverage = run_coverage(session, run_id)
    current = figures(stats, coverage)
    health = assess(
        current,
        previous_figures(session, run.source_key, run.id, history),
        source=run.source_key,
        drift=drift,
    )
    summary = dict(run.summary or {})
    summary["health"] = health.as_dict()
    run.summary = summary
    if health.status == "degraded" and run.status == "finished":
        run.status = "degraded"
    session.flush()
    return health, alert_payload(run, health)


def check_run(
    session_factory: Any,
    run_id: int,
    stats: Mapping[str, Any] | None = None,
    *,
    alerts: Iterable[str] = (),
    history: int = DEFAULT_HISTORY,
    drift: Drift | None = None,
) -> Health | None:
    """Evaluate a run in its own transaction, then deliver alerts if degraded; never raises."""
    from newscrawl.deliver import deliver

    try:
        with session_factory.begin() as session:
            found = evaluate_run(session, run_id, stats, history=history, drift=drift)
    except Exception:  # noqa: BLE001 - health must never break the end of a crawl
        logger.exception("could not assess crawl run %s", run_id)
        return None
    if found is None:
        return None
    health, payload = found
    if health.status == "degraded":
        logger.warning("crawl run %s is degraded: %s", run_id, "; ".join(health.reasons))
        for target in alerts or ():
            result = deliver(target, payload)
            if not result.ok:
                logger.error("alert to %s failed: %s", target, result.detail)
    return health
