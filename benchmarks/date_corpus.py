"""A seeded corpus of realistic Indonesian news date strings with their expected instants.

Every shape comes from section 1 of docs/indonesian-news.md (portal bylines, meta and JSON-LD
values, epochs, relative listings), with the spelling variants seen in the wild (Agu/Agt/Ags/Agus,
Pebruari, Nopember, Jum'at, Ahad, English leaks), zones in any case, and the prefixes portals put
before the date. A few strings hold no valid date (impossible days, no year) and expect None.

    >>> cases = generate(50, seed=1)
    >>> len(cases), all(isinstance(c.text, str) for c in cases)
    (50, True)
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")
UTC = UTC

#: The fetch time relative strings are resolved against.
NOW = datetime(2024, 8, 13, 18, 0, 0, tzinfo=WIB)

DAYS = (
    ("Senin",),
    ("Selasa",),
    ("Rabu",),
    ("Kamis",),
    ("Jumat", "Jum'at", "Jum\u2019at", "JUMAT"),
    ("Sabtu",),
    ("Minggu", "Ahad"),
)
MONTHS_FULL = (
    ("Januari",),
    ("Februari", "Pebruari"),
    ("Maret",),
    ("April",),
    ("Mei",),
    ("Juni",),
    ("Juli",),
    ("Agustus",),
    ("September",),
    ("Oktober",),
    ("November", "Nopember"),
    ("Desember",),
)
MONTHS_SHORT = (
    ("Jan", "Jan."),
    ("Feb", "Peb", "Feb."),
    ("Mar", "Mar."),
    ("Apr",),
    ("Mei",),
    ("Jun",),
    ("Jul",),
    ("Agu", "Agt", "Ags", "Agus", "Agu."),
    ("Sep", "Sept", "Sep."),
    ("Okt",),
    ("Nov", "Nop"),
    ("Des",),
)
MONTHS_EN = (
    ("Jan", "January"),
    ("Feb", "February"),
    ("Mar", "March"),
    ("Apr", "April"),
    ("May",),
    ("Jun", "June"),
    ("Jul", "July"),
    ("Aug", "August"),
    ("Sep", "September"),
    ("Oct", "October"),
    ("Nov", "November"),
    ("Dec", "December"),
)
ZONES = (("WIB", WIB), ("WITA", WITA), ("WIT", WIT))
PREFIXES = (
    "",
    "",
    "",
    "Tayang: ",
    "Diterbitkan ",
    "Diperbarui ",
    "Dipublikasikan ",
    "Update: ",
    "Published: ",
    "Kompas.com - ",
    "Surabaya Pagi | ",
)


@dataclass(frozen=True)
class Case:
    """One corpus string, the instant it means (ISO with offset, or None) and its shape."""

    text: str
    expected: str | None
    kind: str
    relative: bool = False


def _zone_case(rng: random.Random, word: str) -> str:
    return rng.choice((word, word, word.lower(), word.title()))


def _dt(rng: random.Random, tz: timezone = WIB, *, seconds: bool = False) -> datetime:
    day = date(2010, 1, 1) + timedelta(days=rng.randrange(6200))
    sec = rng.randrange(60) if seconds else 0
    return datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60), sec, 0, tz)


def _day(rng: random.Random, value: datetime) -> str:
    return rng.choice(DAYS[value.weekday()])


def _full(rng: random.Random, value: datetime) -> str:
    return rng.choice(MONTHS_FULL[value.month - 1])


def _short(rng: random.Random, value: datetime) -> str:
    return rng.choice(MONTHS_SHORT[value.month - 1])


def _en(rng: random.Random, value: datetime) -> str:
    return rng.choice(MONTHS_EN[value.month - 1])


def _zoned(rng: random.Random) -> tuple[str, timezone]:
    word, tz = rng.choice(ZONES[:1] * 6 + ZONES[1:])
    return _zone_case(rng, word), tz


def _surabayapagi(rng: random.Random) -> Case:
    zone, tz = _zoned(rng)
    v = _dt(rng, tz)
    text = f"{_day(rng, v)}, {v.day} {_short(rng, v)} {v.year} {v:%H:%M} {zone}"
    return Case(text, v.isoformat(), "surabayapagi")


def _detik(rng: random.Random) -> Case:
    v = _dt(rng)
    return Case(
        f"{_day(rng, v)}, {v:%d} {_short(rng, v)} {v.year} {v:%H:%M} WIB", v.isoformat(), "detik"
    )


def _kompas(rng: random.Random) -> Case:
    zone, tz = _zoned(rng)
    v = _dt(rng, tz)
    return Case(f"Kompas.com - {v:%d/%m/%Y, %H:%M} {zone}", v.isoformat(), "kompas")


def _tribun(rng: random.Random) -> Case:
    v = _dt(rng)
    prefix = rng.choice(("", "Tayang: ", "Tayang:"))
    text = f"{prefix}{_day(rng, v)}, {v.day} {_full(rng, v)} {v.year} {v:%H:%M} WIB"
    return Case(text, v.isoformat(), "tribunnews")


def _mediaindonesia(rng: random.Random) -> Case:
    v = _dt(rng)
    return Case(f" {v:%d}/{v.month}/{v.year} {v:%H:%M}", v.isoformat(), "mediaindonesia")


def _jpnn(rng: random.Random) -> Case:
    v = _dt(rng)
    dash = rng.choice(("\u2013", "\u2014", "-"))
    text = f"{_day(rng, v)}, {v:%d} {_full(rng, v)} {v.year} {dash} {v:%H:%M} WIB"
    return Case(text, v.isoformat(), "jpnn")


def _liputan6(rng: random.Random) -> Case:
    v = _dt(rng)
    word = rng.choice(("Diterbitkan", "Diperbarui"))
    return Case(
        f"{word} {v.day} {_short(rng, v)} {v.year}, {v:%H:%M} WIB", v.isoformat(), "liputan6"
    )


def _sindonews(rng: random.Random) -> Case:
    v = _dt(rng)
    text = f"{_day(rng, v)}, {v:%d} {_full(rng, v)} {v.year} - {v:%H:%M} WIB"
    return Case(text, v.isoformat(), "sindonews")


def _tempo(rng: random.Random) -> Case:
    zone, tz = _zoned(rng)
    v = _dt(rng, tz)
    text = f"{_day(rng, v)}, {v.day} {_full(rng, v)} {v.year} | {v:%H.%M} {zone}"
    return Case(text, v.isoformat(), "tempo")


def _jatimtimes(rng: random.Random) -> Case:
    v = _dt(rng)
    return Case(f"{v:%d} - {_en(rng, v)[:3]} - {v.year}, {v:%H:%M}", v.isoformat(), "jatimtimes")


def _pukul(rng: random.Random) -> Case:
    zone, tz = _zoned(rng)
    v = _dt(rng, tz)
    prefix = rng.choice(PREFIXES)
    text = f"{prefix}{_day(rng, v)}, {v.day} {_full(rng, v)} {v.year} Pukul {v:%H.%M} {zone}"
    return Case(text, v.isoformat(), "pukul")


def _english_leak(rng: random.Random) -> Case:
    v = _dt(rng).replace(hour=0, minute=0)
    return Case(f"{_day(rng, v)} {v:%d} {_en(rng, v)} {v.year}", v.isoformat(), "english_leak")


def _date_only(rng: random.Random) -> Case:
    v = _dt(rng).replace(hour=0, minute=0)
    month = rng.choice((_full, _short))(rng, v)
    prefix = rng.choice(PREFIXES)
    day = rng.choice((f"{_day(rng, v)}, ", ""))
    return Case(f"{prefix}{day}{v.day} {month} {v.year}", v.isoformat(), "date_only")


def _numeric_date(rng: random.Random) -> Case:
    v = _dt(rng).replace(hour=0, minute=0)
    sep = rng.choice("-/")
    return Case(f"{v:%d}{sep}{v:%m}{sep}{v.year}", v.isoformat(), "numeric_date")


def _iso(rng: random.Random) -> Case:
    tz = rng.choice((WIB, WIB, UTC))
    v = _dt(rng, tz, seconds=True)
    if rng.random() < 0.2:
        v = v.replace(microsecond=rng.randrange(1000) * 1000)
    text = v.isoformat()
    if tz is UTC and rng.random() < 0.5:
        text = text.replace("+00:00", "Z")
    return Case(text, v.isoformat(), "iso")


def _iso_date(rng: random.Random) -> Case:
    v = _dt(rng).replace(hour=0, minute=0)
    return Case(f"{v:%Y-%m-%d}", v.isoformat(), "iso_date")


def _detik_publishdate(rng: random.Random) -> Case:
    v = _dt(rng, seconds=True)
    return Case(f"{v:%Y/%m/%d %H:%M:%S}", v.isoformat(), "detik_publishdate")


def _detik_pubdate(rng: random.Random) -> Case:
    v = _dt(rng, seconds=True)
    return Case(f"{v:%Y-%m-%dT%H-%M-%S}Z", v.isoformat(), "detik_pubdate")


def _kompas_meta(rng: random.Random) -> Case:
    v = _dt(rng, seconds=True)
    return Case(f"{v:%Y-%m-%d %H:%M:%S}", v.isoformat(), "kompas_meta")


def _malformed_iso(rng: random.Random) -> Case:
    v = _dt(rng, seconds=True)
    return Case(f"{v:%Y-%m-%d}WIB{v:%H:%M:%S}+07:00", v.isoformat(), "malformed_iso")


def _epoch(rng: random.Random) -> Case:
    v = _dt(rng, seconds=True)
    return Case(str(int(v.timestamp())), v.isoformat(), "epoch")


def _relative(rng: random.Random) -> Case:
    n = rng.randrange(1, 59)
    kind = rng.randrange(7)
    if kind == 0:
        text, delta = f"{n} menit yang lalu", timedelta(minutes=n)
    elif kind == 1:
        n = n % 23 + 1
        text, delta = rng.choice((f"{n} jam lalu", f"{n} jam yang lalu")), timedelta(hours=n)
    elif kind == 2:
        n = n % 6 + 2
        text, delta = f"{n} hari lalu", timedelta(days=n)
    elif kind == 3:
        text, delta = "kemarin", timedelta(days=1)
    elif kind == 4:
        text, delta = "baru saja", timedelta(0)
    elif kind == 5:
        n = n % 3 + 1
        text, delta = f"{n} minggu lalu", timedelta(weeks=n)
    else:
        text, delta = f"{n} detik yang lalu", timedelta(seconds=n)
    return Case(text, (NOW - delta).isoformat(), "relative", relative=True)


def _invalid(rng: random.Random) -> Case:
    v = _dt(rng)
    kind = rng.randrange(4)
    if kind == 0:
        text = f"{rng.randrange(30, 32)} Februari {v.year} {v:%H:%M} WIB"
    elif kind == 1:
        text = f"{_day(rng, v)} ({v.day}/{v.month})"
    elif kind == 2:
        text = f"{v.day} {_full(rng, v)} {v:%H:%M} WIB"
    else:
        text = f"{v.day} {_short(rng, v)} {v.year} {rng.randrange(24, 30)}:{v:%M} WIB"
    return Case(text, None, "invalid")


#: (weight, generator): bylines dominate real crawls; machine values and the rest follow.
SHAPES: tuple[tuple[int, Callable[[random.Random], Case]], ...] = (
    (8, _surabayapagi),
    (8, _detik),
    (8, _kompas),
    (8, _tribun),
    (6, _mediaindonesia),
    (6, _jpnn),
    (5, _liputan6),
    (5, _sindonews),
    (5, _tempo),
    (5, _jatimtimes),
    (4, _pukul),
    (3, _english_leak),
    (4, _date_only),
    (3, _numeric_date),
    (6, _iso),
    (2, _iso_date),
    (3, _detik_publishdate),
    (3, _detik_pubdate),
    (3, _kompas_meta),
    (1, _malformed_iso),
    (2, _epoch),
    (5, _relative),
    (2, _invalid),
)


def generate(n: int = 10_000, seed: int = 20240813) -> list[Case]:
    """``n`` cases drawn with weights from ``SHAPES``; the same seed gives the same corpus."""
    rng = random.Random(seed)
    weights = [w for w, _ in SHAPES]
    makers = [m for _, m in SHAPES]
    return [rng.choices(makers, weights)[0](rng) for _ in range(n)]
