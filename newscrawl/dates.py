"""Indonesian news dates: strings as portals print them -> aware datetimes.

``parse_date`` reads one date string (a visible byline date, a meta value, a JSON-LD value, an
epoch) and returns an aware ``datetime`` or ``None``. It never guesses: no year, an impossible
day or time, free prose, or an unknown shape all give ``None`` (never "now").
``parse_date_detailed`` returns the same value with what was seen (``DateParse``);
``choose_date`` picks the publication date among the candidates of one page; ``date_from_url``
reads a date out of an article URL.

How it works: a cheap normalisation (lowercase; one kind of quote, dash and space), then a few
precompiled regexes (ISO / year-first, day-month-year in words, month-day-year, numeric
day-first), each followed by one time-and-zone regex, and dict lookups for month and day names.
Leading text ("Kompas.com - ", "Tayang:", "Diperbarui") is tolerated; trailing text only when it
is short (a portal name, not a sentence). A date inside parentheses ("Kamis (2/11/2023)") is an
in-text reference and is never taken.

Zones are fixed offsets (Indonesia has no DST): WIB = UTC+7, WITA = UTC+8, WIT = UTC+9. A time
without a zone is in ``default_tz`` (WIB unless the caller says otherwise); a date without a time
is midnight in that zone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from urllib.parse import urlsplit

__all__ = [
    "UTC",
    "WIB",
    "WIT",
    "WITA",
    "DateChoice",
    "DateParse",
    "choose_date",
    "date_from_url",
    "format_wib",
    "parse_date",
    "parse_date_detailed",
]

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")
UTC = UTC

#: Longest input accepted; longer text is prose, not a date string.
MAX_LEN = 200
#: Trailing text allowed after a date (a portal name, "(diperbarui)"), in characters and words.
MAX_TRAILER_CHARS = 50
MAX_TRAILER_WORDS = 6
MIN_YEAR, MAX_YEAR = 1900, 2100


def format_wib(value: datetime | None, *, seconds: bool = False, missing: str = "") -> str:
    """An instant as a person reads it: Western Indonesian Time, with the zone written.

    Machine formats (JSON, CSV) use ISO 8601 with an offset instead. A naive value is UTC.

    >>> format_wib(datetime(2024, 8, 13, 11, 13, 5, tzinfo=UTC))
    '2024-08-13 18:13 WIB'
    >>> format_wib(datetime(2024, 8, 13, 11, 13, 5), seconds=True)
    '2024-08-13 18:13:05 WIB'
    >>> format_wib(None, missing="-")
    '-'
    """
    if value is None:
        return missing
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(WIB).strftime("%Y-%m-%d %H:%M" + (":%S" if seconds else "")) + " WIB"


_ZONE_WORDS: dict[str, tzinfo] = {"wib": WIB, "wita": WITA, "wit": WIT}
_OFFSET_ZONES: dict[timedelta, tzinfo] = {
    timedelta(0): UTC,
    timedelta(hours=7): WIB,
    timedelta(hours=8): WITA,
    timedelta(hours=9): WIT,
}

_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        "januari jan january",
        "februari pebruari feb peb pebr febr february",
        "maret mar march",
        "april apr",
        "mei may",
        "juni jun june",
        "juli jul july",
        "agustus agu agt ags agus aug agst august",
        "september sep sept",
        "oktober okt oct october",
        "november nov nop nopember nopemb",
        "desember des dec december",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _num

_WEEKDAYS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        "senin monday mon",
        "selasa tuesday tue tues",
        "rabu wednesday wed",
        "kamis thursday thu thur thurs",
        "jumat jum'at friday fri",
        "sabtu saturday sat",
        "minggu ahad sunday sun",
    )
):
    for _name in _names.split():
        _WEEKDAYS[_name] = _num

# Normalisation: typographic quotes -> ', dashes -> -, odd spaces -> space, invisible -> nothing.
_TRANSLATE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2007": " ",
        "\u200b": None,
        "\ufeff": None,
        "\u200e": None,
    }
)

# Year-first numeric date: "2024-08-13", "2023/11/02", "2024.08.13" (same separator twice).
_YMD = re.compile(r"(?<![\w(])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
# Day-first numeric date: "02/11/2023", "8/1/2026", "13-08-2024", "13.08.2024".
_DMY = re.compile(r"(?<![\w(/.\-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?!\d)")
# Day, month word, year: "13 Agu 2024", "08 Oct 2016", "13 - Aug - 2024", "4 Mei, 2020".
_D_MON_Y = re.compile(
    r"(?<![\w(])(\d{1,2})(?:st|nd|rd|th)?[\s./\-]*([a-z]{3,9})\.?[\s./,\-]*(\d{4})(?!\d)"
)
# Month word, day, year (English order): "August 13, 2024", "Aug. 13 2024".
_MON_D_Y = re.compile(r"(?<![\w(])([a-z]{3,9})\.?\s*(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)")
# Time and zone right after a date: ", 18:13", " | 15.00 WIB", " - Pukul 18.13 Wib", "T18:13:00.5Z",
# "T20-59-53Z" (detik pubdate), "WIB19:17:34+07:00" (a malformed ISO value), "18:13 +0700".
_TIME = re.compile(
    r"(?:t|\s*[,|@\-]?\s*)"
    r"(?:(?:pukul|pkl|jam|at)\.?\s*)?"
    r"(?:(?P<zw0>wita|wib|wit)\s*)?"
    r"(?P<h>\d{1,2})"
    r"(?:(?P<s1>[:.])(?P<m>\d{2})(?:(?P=s1)(?P<sec>\d{2})(?:[.,](?P<frac>\d{1,9}))?)?"
    r"|-(?P<hm>\d{2})-(?P<hs>\d{2}))(?!\d)"
    r"(?:\s*(?P<ampm>[ap])\.?m\.?(?![a-z]))?"
    r"(?:\s*(?:(?P<z>z)(?![a-z])"
    r"|(?:utc|gmt)?\s?(?P<sign>[+-])(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?(?!\d)"
    r"|(?P<utc>utc|gmt)(?![a-z])"
    r"|(?P<zw>wita|wib|wit)(?![a-z])))?"
)
# Time written before the date: "18:13 WIB, Selasa 13 Agu 2024", "Pukul 07.00 - 13/08/2024".
_TIME_BEFORE = re.compile(
    r"(?<![\w:.])(?:(?:pukul|pkl|jam)\.?\s*)?"
    r"(?P<h>\d{1,2})(?P<s1>[:.])(?P<m>\d{2})(?:(?P=s1)(?P<sec>\d{2}))?(?!\d)"
    r"\s*(?:(?P<zw>wita|wib|wit)(?![a-z]))?[\s,|\-]*(?:[a-z']{3,9}[\s,|\-]*)?$"
)
# Last word before a date, to read a day name: "selasa, ", "jum'at ", "tayang: senin | ".
_DAY_TAIL = re.compile(r"(?<![a-z'])([a-z']{3,9})\.?[\s,|\-]*$")
# Relative with a count: "5 menit yang lalu", "2 jam lalu", "sejam lalu", "3 days ago".
_REL_COUNT = re.compile(
    r"(?<!\w)(\d{1,4}|se|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|an?)\s*"
    r"(detik|dtk|menit|mnt|jam|hari|minggu|pekan|bulan|tahun"
    r"|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)"
    r"\s+(?:(?:yang|yg)\s+)?(lalu|silam|ago)(?!\w)"
)
# Relative without a count: "minggu lalu" (last week), "bulan lalu", "tahun lalu", "last week".
_REL_LAST = re.compile(
    r"(?<!\w)(?:(minggu|pekan|bulan|tahun)\s+lalu|last\s+(week|month|year))(?!\w)"
)
# Named days and "just now": "kemarin", "kemarin, 18:13", "hari ini 07.00", "baru saja".
_REL_WORD = re.compile(
    r"(?<!\w)(kemarin|hari ini|yesterday|today|baru saja|barusan|just now)(?!\w)"
)
# Pure epoch seconds (detik d-time="1728045268").
_EPOCH = re.compile(r"\d{10}")
# Characters stripped around a trailer before judging whether it is short.
_TRAILER_STRIP = " \t\r\n,.;:|-()[]\"'"

_NUMBER_WORDS = {
    "se": 1,
    "satu": 1,
    "a": 1,
    "an": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
}
_UNITS = {
    "detik": "s",
    "dtk": "s",
    "menit": "min",
    "mnt": "min",
    "jam": "h",
    "hari": "d",
    "minggu": "w",
    "pekan": "w",
    "bulan": "mo",
    "tahun": "y",
    "week": "w",
    "month": "mo",
    "year": "y",
}
for _en, _unit in (
    ("second", "s"),
    ("sec", "s"),
    ("minute", "min"),
    ("min", "min"),
    ("hour", "h"),
    ("hr", "h"),
    ("day", "d"),
    ("week", "w"),
    ("month", "mo"),
    ("year", "y"),
):
    _UNITS[_en] = _UNITS[_en + "s"] = _unit

_SOURCE_RANK = {"jsonld": 0, "meta": 1, "feed": 2, "visible": 3}
_MACHINE = ("jsonld", "meta")
_SAME_MINUTE = timedelta(seconds=60)
_URL_FAR = 2  # days between a URL date and the chosen date before it is flagged


@dataclass(frozen=True)
class DateParse:
    """What ``parse_date_detailed`` read from one string."""

    value: datetime
    weekday_mismatch: bool
    relative: bool
    has_time: bool
    has_zone: bool
    raw: str


@dataclass(frozen=True)
class DateChoice:
    """The publication date chosen among a page's candidates."""

    value: datetime
    raw: str
    source: str
    flags: tuple[str, ...]


def parse_date(
    text: str | None, *, now: datetime | None = None, default_tz: tzinfo = WIB
) -> datetime | None:
    """Parse one Indonesian news date string into an aware datetime, or None.

    >>> parse_date("Selasa, 13 Agu 2024 18:13 WIB").isoformat()
    '2024-08-13T18:13:00+07:00'
    >>> parse_date("Kompas.com - 02/11/2023, 21:34 WIB").isoformat()
    '2023-11-02T21:34:00+07:00'
    >>> parse_date("Minggu, 17 Agustus 2025 | 15.00 wita").isoformat()
    '2025-08-17T15:00:00+08:00'
    >>> parse_date("2023-11-02T20-59-53Z").isoformat()  # detik pubdate: local time, not UTC
    '2023-11-02T20:59:53+07:00'
    >>> parse_date("2024-08-13").isoformat()
    '2024-08-13T00:00:00+07:00'
    >>> parse_date("1728045268").isoformat()
    '2024-10-04T19:34:28+07:00'
    >>> now = datetime(2024, 8, 13, 18, 0, tzinfo=WIB)
    >>> parse_date("5 menit yang lalu", now=now).isoformat()
    '2024-08-13T17:55:00+07:00'
    >>> parse_date("5 menit yang lalu") is None  # relative needs `now`
    True
    >>> parse_date("31 Februari 2024") is None, parse_date("13 Agustus") is None
    (True, True)
    >>> parse_date("Presiden tiba pada Kamis (2/11/2023) di Surabaya.") is None
    True
    """
    parsed = parse_date_detailed(text, now=now, default_tz=default_tz)
    return parsed.value if parsed is not None else None


def parse_date_detailed(
    text: str | None, *, now: datetime | None = None, default_tz: tzinfo = WIB
) -> DateParse | None:
    """Like ``parse_date``, but say what was seen (weekday mismatch, time, zone, relative).

    >>> p = parse_date_detailed("Jum'at, 13 Agu 2024 18.13 WIB")  # 13 Aug 2024 is a Tuesday
    >>> p.value.isoformat(), p.weekday_mismatch, p.has_time, p.has_zone
    ('2024-08-13T18:13:00+07:00', True, True, True)
    >>> p = parse_date_detailed("2 jam lalu", now=datetime(2024, 8, 13, 18, 0, tzinfo=WIB))
    >>> p.value.isoformat(), p.relative
    ('2024-08-13T16:00:00+07:00', True)
    >>> parse_date_detailed("02/11/2023 21:34", default_tz=WITA).value.isoformat()
    '2023-11-02T21:34:00+08:00'
    """
    if not isinstance(text, str):
        return None
    if not isinstance(default_tz, tzinfo):
        default_tz = WIB
    if now is not None and not isinstance(now, datetime):
        now = None
    try:
        return _parse(text, now, default_tz)
    except (ValueError, OverflowError, OSError):  # pragma: no cover - guarded shapes below
        return None


def _parse(raw: str, now: datetime | None, tz: tzinfo) -> DateParse | None:
    """The uncached parser behind ``parse_date_detailed`` (benchmarks call it directly)."""
    text = raw.strip()
    if not text or len(text) > MAX_LEN:
        return None
    if len(text) == 10 and _EPOCH.fullmatch(text):
        value = datetime.fromtimestamp(int(text), tz=tz)
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            return None
        return DateParse(value, False, False, True, True, raw)
    text = text.lower()
    if not text.isascii():
        text = text.translate(_TRANSLATE)

    # Every structural date match, earliest first; the first one followed by a short trailer wins.
    found: list[tuple[int, int, int, int, int]] = []  # (start, end, year, month, day)
    for m in _YMD.finditer(text):
        found.append((m.start(), m.end(), int(m[1]), int(m[3]), int(m[4])))
    for m in _DMY.finditer(text):
        found.append((m.start(), m.end(), int(m[4]), int(m[3]), int(m[1])))
    for m in _D_MON_Y.finditer(text):
        month = _MONTHS.get(m[2])
        if month:
            found.append((m.start(), m.end(), int(m[3]), month, int(m[1])))
    for m in _MON_D_Y.finditer(text):
        month = _MONTHS.get(m[1])
        if month:
            found.append((m.start(), m.end(), int(m[3]), month, int(m[2])))
    if len(found) > 1:
        found.sort()
    for start, end, year, month, day in found:
        tm = _TIME.match(text, end)
        if not _short_trailer(text, tm.end() if tm else end):
            continue
        if tm is None and start:
            tm = _TIME_BEFORE.search(text, max(0, start - 40), start)
        return _build(raw, text, start, year, month, day, tm, tz)
    if now is not None:
        return _parse_relative(raw, text, now, tz)
    return None


def _short_trailer(text: str, pos: int) -> bool:
    """True when what follows ``pos`` is a short tail (portal name), not a sentence.

    >>> _short_trailer("13 agu 2024 | surabaya pagi", 11), _short_trailer("13 agu 2024", 11)
    (True, True)
    >>> _short_trailer("13 agu 2024 polisi menangkap dua pelaku pencurian motor di pasar", 11)
    False
    """
    tail = text[pos:].strip(_TRAILER_STRIP)
    return not tail or (len(tail) <= MAX_TRAILER_CHARS and tail.count(" ") < MAX_TRAILER_WORDS)


def _build(
    raw: str,
    text: str,
    start: int,
    year: int,
    month: int,
    day: int,
    tm: re.Match[str] | None,
    default_tz: tzinfo,
) -> DateParse | None:
    """Assemble and validate the datetime for one date match and its time match (if any).

    ``tm`` is a match of ``_TIME`` or ``_TIME_BEFORE``; groups it lacks count as absent.
    """
    if not MIN_YEAR <= year <= MAX_YEAR or not 1 <= month <= 12 or day < 1:
        return None
    try:
        day_date = date(year, month, day)
    except ValueError:
        return None
    hour = minute = second = micro = 0
    tz = default_tz
    has_time = has_zone = False
    if tm is not None:
        g = tm.groupdict()
        hour = int(g["h"])
        if g["m"] is not None:
            minute = int(g["m"])
            second = int(g["sec"]) if g["sec"] else 0
            if g.get("frac"):
                micro = int(g["frac"][:6].ljust(6, "0"))
        else:
            minute, second = int(g["hm"]), int(g["hs"])
        if g.get("ampm"):
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if g["ampm"] == "p" else 0)
        if hour > 23 or minute > 59 or second > 59:
            return None
        has_time = True
        zone = _zone(g)
        if zone is False:
            return None
        if zone is not None:
            tz, has_zone = zone, True
    value = datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
    weekday = _weekday_before(text, start)
    mismatch = weekday is not None and weekday != day_date.weekday()
    return DateParse(value, mismatch, False, has_time, has_zone, raw)


def _zone(g: dict[str, str | None]) -> tzinfo | None | bool:
    """The zone stated with a time: a tzinfo, None (none stated) or False (impossible offset)."""
    if g.get("sign"):
        hours, minutes = int(g["oh"]), int(g["om"] or 0)
        if hours > 14 or minutes > 59:
            return False
        offset = timedelta(hours=hours, minutes=minutes)
        if g["sign"] == "-":
            offset = -offset
        return _OFFSET_ZONES.get(offset) or timezone(offset)
    if g.get("z"):
        # detik's pubdate "2023-11-02T20-59-53Z": hyphenated time, and the value is local time.
        return None if g["hm"] is not None else UTC
    if g.get("utc"):
        return UTC
    word = g.get("zw") or g.get("zw0")
    return _ZONE_WORDS[word] if word else None


def _weekday_before(text: str, start: int) -> int | None:
    """Weekday number of a day name right before ``start`` ("selasa, 13 ..."), else None.

    >>> _weekday_before("tayang: jum'at, 13 agu 2024", 16)
    4
    >>> _weekday_before("kompas.com - 02/11/2023", 13) is None
    True
    """
    if start == 0:
        return None
    m = _DAY_TAIL.search(text, max(0, start - 24), start)
    return _WEEKDAYS.get(m[1]) if m else None


def _parse_relative(raw: str, text: str, now: datetime, tz: tzinfo) -> DateParse | None:
    """Relative expressions resolved against ``now`` ("5 menit yang lalu", "kemarin 18:13")."""
    if now.tzinfo is None or now.utcoffset() is None:
        now = now.replace(tzinfo=tz)
    m = _REL_COUNT.search(text)
    if m is not None:
        if not _short_trailer(text, m.end()):
            return None
        count = _NUMBER_WORDS[m[1]] if m[1] in _NUMBER_WORDS else int(m[1])
        unit = _UNITS[m[2]]
        return _relative_result(raw, now, count, unit)
    m = _REL_LAST.search(text)
    if m is not None:
        if not _short_trailer(text, m.end()) or _count_word_before(text, m.start()):
            return None
        unit = _UNITS[m[1] or m[2]]
        return _relative_result(raw, now, 1, unit)
    m = _REL_WORD.search(text)
    if m is None:
        return None
    word = m[1]
    if word in ("baru saja", "barusan", "just now"):
        if not _short_trailer(text, m.end()):
            return None
        return DateParse(now, False, True, True, bool(now.tzinfo), raw)
    back = 1 if word in ("kemarin", "yesterday") else 0
    tm = _TIME.match(text, m.end())
    if not _short_trailer(text, tm.end() if tm else m.end()):
        return None
    if tm is None:
        return DateParse(now - timedelta(days=back), False, True, False, True, raw)
    local_day = now.astimezone(tz).date() - timedelta(days=back)
    built = _build(raw, text, m.start(), local_day.year, local_day.month, local_day.day, tm, tz)
    if built is None:
        return None
    return DateParse(built.value, False, True, True, built.has_zone, raw)


def _count_word_before(text: str, start: int) -> bool:
    """True when a count precedes ("beberapa minggu lalu", "2 minggu lalu"): not "last week"."""
    before = text[max(0, start - 12) : start].split()
    return bool(before) and (before[-1] in ("beberapa", "berapa") or before[-1].isdigit())


def _relative_result(raw: str, now: datetime, count: int, unit: str) -> DateParse | None:
    """``now`` minus ``count`` units; months and years by the calendar (day clamped)."""
    if count <= 0 and unit != "s":
        return None
    try:
        if unit == "mo":
            value = _shift_months(now, -count)
        elif unit == "y":
            value = _shift_months(now, -12 * count)
        else:
            seconds = {"s": 1, "min": 60, "h": 3600, "d": 86400, "w": 604800}[unit]
            value = now - timedelta(seconds=seconds * count)
    except (OverflowError, ValueError):
        return None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    has_time = unit in ("s", "min", "h")
    return DateParse(value, False, True, has_time, True, raw)


def _shift_months(value: datetime, months: int) -> datetime:
    """``value`` moved by whole calendar months, the day clamped to the month's length.

    >>> _shift_months(datetime(2024, 3, 31, 10, 0), -1)
    datetime.datetime(2024, 2, 29, 10, 0)
    """
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    day = value.day
    while day > 28:
        try:
            return value.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1
    return value.replace(year=year, month=month, day=day)


# URL dates: "/20240813/181300/" (jatimtimes/malangtimes: YYYYMMDD/HHMMSS).
_URL_COMPACT = re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/(?:(\d{2})(\d{2})(\d{2})/)?")
# URL dates: "/read/2023/11/02/", "/2020/05/04/slug", "/2024-08-13/".
_URL_PARTS = re.compile(r"/((?:19|20)\d{2})([/-])(\d{1,2})\2(\d{1,2})(?=/|$|[-_.])")


def date_from_url(url: str | None) -> str | None:
    """The date written in an article URL, as an ISO string (date, or date and local time).

    >>> date_from_url("https://regional.kompas.com/read/2023/11/02/213419578/slug")
    '2023-11-02'
    >>> date_from_url("https://www.tribunnews.com/regional/2020/05/04/judul-berita")
    '2020-05-04'
    >>> date_from_url("https://jatim.jatimtimes.com/baca/312345/20240813/181300/judul")
    '2024-08-13T18:13:00'
    >>> date_from_url("https://news.detik.com/berita/d-7013345/judul") is None
    True
    """
    if not isinstance(url, str) or not url or len(url) > 2048:
        return None
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return None
    m = _URL_COMPACT.search(path)
    if m is not None:
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            day = None
        if day is not None:
            if m[4] is not None:
                hour, minute, second = int(m[4]), int(m[5]), int(m[6])
                if hour < 24 and minute < 60 and second < 60:
                    return f"{day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}"
            return day.isoformat()
    for m in _URL_PARTS.finditer(path):
        try:
            return date(int(m[1]), int(m[3]), int(m[4])).isoformat()
        except ValueError:
            continue
    return None


def choose_date(
    candidates: Iterable[tuple[str, str]] | None,
    *,
    now: datetime | None = None,
    default_tz: tzinfo = WIB,
) -> DateChoice | None:
    """Choose a page's publication date among ``(source, raw)`` candidates.

    Sources: ``jsonld``, ``meta``, ``visible``, ``url``, ``feed``. Candidates with a time beat
    date-only ones: a date without a time never beats a candidate of the same day with one, and a
    machine value at exactly midnight (``2015-11-04T00:00:00+07:00``) counts as date-only when
    another candidate gives a time on that day. A visible time is what readers see: a machine
    value (jsonld/meta) in the same minute replaces it (it has seconds); one further off loses and the choice is flagged
    ``date_sources_disagree``. Without a visible time: jsonld > meta > feed > visible. A URL date
    serves only when nothing else parses, and flags ``date_far_from_url`` when the chosen date is
    more than two days from it. ``weekday_mismatch`` is flagged when the chosen string had it.

    >>> c = choose_date([("visible", "Kompas.com - 02/11/2023, 21:34 WIB"),
    ...                  ("jsonld", "2023-11-02T14:34:19+00:00")])
    >>> c.source, c.value.isoformat(), c.flags
    ('jsonld', '2023-11-02T14:34:19+00:00', ())
    >>> c = choose_date([("jsonld", "2026-01-08T20:16:00+07:00"), ("visible", " 08/1/2026 20:19")])
    >>> c.source, c.value.isoformat(), c.flags
    ('visible', '2026-01-08T20:19:00+07:00', ('date_sources_disagree',))
    >>> choose_date([("url", "https://x.kompas.com/read/2023/11/02/1/a"), ("meta", "n/a")]).raw
    '2023-11-02'
    >>> choose_date([("visible", "kemarin")]) is None
    True
    >>> c = choose_date([("jsonld", "2015-11-04"), ("visible", "Rabu, 4 November 2015 | 21:04 wib")])
    >>> c.source, c.value.isoformat(), c.flags
    ('visible', '2015-11-04T21:04:00+07:00', ())
    >>> c = choose_date([("meta", "2015-11-04T00:00:00+07:00"),
    ...                  ("visible", "Rabu, 4 November 2015 21:04 WIB")])
    >>> c.source, c.value.isoformat(), c.flags
    ('visible', '2015-11-04T21:04:00+07:00', ())
    """
    parsed: list[tuple[int, str, DateParse]] = []  # (input order, source, parse)
    url_parses: list[DateParse] = []
    for index, cand in enumerate(candidates or ()):
        try:
            source, raw = cand
        except (TypeError, ValueError):
            continue
        if not isinstance(source, str) or not isinstance(raw, str):
            continue
        source = source.strip().lower()
        if source == "url":
            from_url = date_from_url(raw) if "/" in raw else None
            p = parse_date_detailed(from_url or raw, now=now, default_tz=default_tz)
            if p is not None:
                url_parses.append(p)
            continue
        p = parse_date_detailed(raw, now=now, default_tz=default_tz)
        if p is not None:
            parsed.append((index, source, p))

    flags: list[str] = []
    if not parsed:
        if not url_parses:
            return None
        best = max(url_parses, key=lambda p: p.has_time)
        return DateChoice(
            best.value, best.raw, "url", ("weekday_mismatch",) * best.weekday_mismatch
        )

    # A machine value at exactly midnight is a date written as a timestamp ("2015-11-04T00:00:00"):
    # it is date-only when another candidate gives a time of the same day.
    parsed = [
        (i, s, _date_only(p) if s != "visible" and _bare_midnight(p, parsed) else p)
        for i, s, p in parsed
    ]
    timed = [c for c in parsed if c[2].has_time]
    pool = timed or parsed
    visible = next((c for c in pool if c[1] == "visible" and c[2].has_time), None)
    if visible is not None:
        machines = sorted(
            (c for c in pool if c[1] in _MACHINE), key=lambda c: (_SOURCE_RANK[c[1]], c[0])
        )
        agree = [c for c in machines if abs(c[2].value - visible[2].value) <= _SAME_MINUTE]
        chosen = agree[0] if agree else visible
        others = [c for c in parsed if c[1] in _MACHINE]
    else:
        chosen = min(pool, key=lambda c: (_SOURCE_RANK.get(c[1], 4), c[0]))
        others = parsed
    value = chosen[2].value
    for _i, _s, other in others:
        if other is chosen[2]:
            continue
        if other.has_time and chosen[2].has_time:
            off = abs(other.value - value) > _SAME_MINUTE
        else:
            off = other.value.date() != value.astimezone(other.value.tzinfo).date()
        if off:
            flags.append("date_sources_disagree")
            break
    if chosen[2].weekday_mismatch:
        flags.append("weekday_mismatch")
    for url_p in url_parses:
        gap = abs((value.astimezone(url_p.value.tzinfo).date() - url_p.value.date()).days)
        if gap > _URL_FAR:
            flags.append("date_far_from_url")
            break
    return DateChoice(value, chosen[2].raw, chosen[1], tuple(flags))


def _bare_midnight(p: DateParse, others: list[tuple[int, str, DateParse]]) -> bool:
    """Whether ``p`` is a timestamp at exactly midnight while another candidate gives a real time
    on the same day (then ``p`` only carries the date)."""
    v = p.value
    if not p.has_time or (v.hour, v.minute, v.second, v.microsecond) != (0, 0, 0, 0):
        return False
    for _i, _s, other in others:
        o = other.value.astimezone(v.tzinfo)
        if other.has_time and o.date() == v.date() and (o.hour, o.minute, o.second) != (0, 0, 0):
            return True
    return False


def _date_only(p: DateParse) -> DateParse:
    """``p`` marked as carrying no time of day."""
    return DateParse(p.value, p.weekday_mismatch, p.relative, False, p.has_zone, p.raw)
