"""Metadata hidden in article text: author names, datelines, editor and reporter lines.

Pure functions over strings; the cleaning engine calls them on normalised lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from newscrawl.clean.text import normalize_line

__all__ = [
    "KNOWN_SITES",
    "META_FIELDS",
    "filter_authors",
    "is_site_name",
    "parse_dateline",
    "parse_meta_line",
    "parse_laporan",
    "site_keys",
    "strip_site_parts",
]

# Portal names as written in datelines and bylines, as keys (lowercase, letters and digits only).
KNOWN_SITES = frozenset(
    [
        "antara",
        "antaranews",
        "antaranewscom",
        "kantorberitaantara",
        "kompas",
        "kompascom",
        "kompascybermedia",
        "kompastv",
        "cnnindonesia",
        "cnn",
        "detik",
        "detikcom",
        "detiknews",
        "detikjatim",
        "tempo",
        "tempoco",
        "tribunnews",
        "tribun",
        "tribunjatim",
        "surya",
        "suryacoid",
        "suryamalang",
        "timesindonesia",
        "malangtimes",
        "jatimtimes",
        "suarasurabaya",
        "beritajatim",
        "jpnn",
        "jpnncom",
        "liputan6",
        "liputan6com",
        "okezone",
        "sindonews",
        "viva",
        "vivanews",
        "republika",
        "beritasatu",
        "idntimes",
        "kumparan",
        "merdeka",
        "merdekacom",
        "suara",
        "suaracom",
        "metrotvnews",
        "inews",
        "surabayapagi",
        "radarsurabaya",
        "jawapos",
        "mediaindonesia",
        "bisnis",
        "bisniscom",
        "kontan",
        "katadata",
        "jatimnow",
        "ngopibareng",
    ]
)
# How a label word maps to a field.
META_FIELDS = {
    "editor": "editor",
    "penyunting": "editor",
    "redaktur": "editor",
    "penulis": "writer",
    "pewarta": "reporter",
    "reporter": "reporter",
    "kontributor": "reporter",
    "wartawan": "reporter",
    "fotografer": "photographer",
    "videografer": "photographer",
    "publisher": "publisher",
}

# Characters that are not letters or digits (for site keys).
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")
# A domain suffix inside a name ("KOMPAS.com", "Surya.co.id", "beritajatim.com").
_DOMAIN_RE = re.compile(
    r"\.(?:com|co\.id|id|net|org|tv|news|info|web\.id|or\.id|go\.id|my\.id)\b", re.I
)
# Top-level-domain endings of a site key ("surabayapagicom" -> "surabayapagi").
_TLD_KEY_RE = re.compile(r"(?:coid|com|net|org|id|tv)$")
# Separators between several names: commas, "dan", "and", "&", ";", "|".
_NAME_SPLIT_RE = re.compile(r"\s*(?:,|;|\||&|\bdan\b|\band\b)\s*", re.I)
# A leading byline word ("Oleh:", "By", "Penulis:").
_BYLINE_PREFIX_RE = re.compile(
    r"^(?:oleh|by|penulis|pewarta|reporter|editor|kontributor|author)\s*:?\s+", re.I
)
# A trailing " - detikJatim" / " - Kompas.com" suffix of a byline.
_BYLINE_SUFFIX_RE = re.compile(r"\s+[-–—|]\s*(?P<site>\S+(?:\s+\S+)?)\s*$")
# Academic and religious titles left over after splitting on commas ("S.H.", "M.Si", "S.Sos").
_TITLE_RE = re.compile(r"^(?:[A-Z][A-Za-z]{0,3}\.\s*){1,4}[A-Za-z]{0,5}\.?$|^(?:Ph\.?D|MBA|MM|SH)$")
# Words that mark a name as an account or a desk rather than a person.
_NOT_PERSON_WORDS = frozenset(
    [
        "admin",
        "administrator",
        "redaksi",
        "redaktur",
        "webmaster",
        "developer",
        "dev",
        "editor",
        "editorial",
        "humas",
        "kontributor",
        "penulis",
        "author",
        "staff",
        "staf",
        "tim",
        "team",
        "desk",
        "newsroom",
    ]
)
# A web address or an email address.
_URL_OR_EMAIL_RE = re.compile(r"https?://|www\.|@|\.(?:html?|php)\b", re.I)

# Label words of metadata lines (see META_FIELDS).
_LABEL = (
    r"(?:editor|penyunting|redaktur|penulis|pewarta|reporter|kontributor|wartawan|fotografer"
    r"|videografer|publisher)"
)
# Joiners between labels sharing one value ("Redaktur & Reporter :", "Penulis/Editor:").
_LABEL_JOIN = r"\s*(?:&|/|\+|,|\bdan\b|\band\b)\s*"
# A metadata line: label(s), colon, value ("Editor : Moch Ilham", "(Editor: X)",
# "Redaktur & Reporter : X"). Value: no sentence punctuation.
_META_LINE_RE = re.compile(
    rf"^\(?\s*(?P<label>{_LABEL}(?:{_LABEL_JOIN}{_LABEL})*)\s*[:：]\s*"
    r"(?P<value>[^():;?!\"“”]{2,80}?)\s*\)?\s*[.,]?$",
    re.I,
)
# The same label without a colon, followed only by a few capitalised words ("Editor Moch Ilham").
_META_NOCOLON_RE = re.compile(
    r"^(?P<label>(?i:editor|penyunting|penulis|pewarta|reporter|kontributor))\s+"
    r"(?P<value>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})$"
)
# Labels joined before one colon ("Redaktur & Reporter :"), rewritten "Redaktur+Reporter".
_LABEL_GROUP_RE = re.compile(rf"\b{_LABEL}(?:{_LABEL_JOIN}{_LABEL})+\b(?=\s*[:：])", re.I)
# Where a second metadata segment starts inside one line ("Penulis: A | Editor: B"); never
# inside a joined label group.
_META_SPLIT_RE = re.compile(rf"\s*[|;,/\-–—]?\s*(?<!\+)(?=\b{_LABEL}\s*[:：])", re.I)
# A line that opens with a metadata label (cheap test before splitting).
_META_START_RE = re.compile(rf"\(?\s*{_LABEL}\b", re.I)
# One label inside a joined label group.
_LABEL_RE = re.compile(_LABEL, re.I)
# "Laporan Wartawan TribunJatim.com, Luhur Pambudi" (the name follows the comma).
_LAPORAN_RE = re.compile(
    r"^laporan\s+(?:wartawan|reporter|koresponden|kontributor|jurnalis)\s+"
    r"(?P<site>[^,]{2,40}?)\s*,\s*(?P<name>[^,|:;?!]{2,60}?)\s*[.]?$",
    re.I,
)
# "Laporan oleh Rina Anggraeni", "Dilaporkan oleh: Rina" (a name only: capitalised words).
_LAPORAN_OLEH_RE = re.compile(
    r"^(?i:laporan|dilaporkan|liputan|diliput)\s+(?i:oleh)\s*:?\s+"
    r"(?P<name>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|bin|binti|van|de)){0,5})\s*\.?$"
)

# A dateline at the start of a paragraph: first part, then ", second part" or "(site)", then a
# dash or a bar ("SURABAYAPAGI.COM, Malang -", "Jakarta (ANTARA) -", "SURYA.co.id |").
_DATELINE_RE = re.compile(
    r"""^\s*
    (?P<a>[^\s,()|\-–—:"“”][^,()|\-–—:"“”\n]{0,40}?)
    (?:\s*,\s*(?P<b>[^,()|\-–—:"“”\n]{2,40}?)
     |\s*\(\s*(?P<c>[^()\n]{2,40}?)\s*\))?
    \s*(?P<sep>-{1,3}|–|—|\|)(?:\s+|$|(?=\S))""",
    re.X,
)
# A plausible city: letters, dots, apostrophes and spaces, at most four words.
_CITY_RE = re.compile(r"^[A-Za-z][A-Za-z.'’]*(?:\s+[A-Za-z][A-Za-z.'’]*){0,3}$")
# Upper-case acronyms that open sentences and are not cities.
_NOT_CITIES = frozenset(
    [
        "KPK",
        "DPR",
        "DPRD",
        "MPR",
        "TNI",
        "POLRI",
        "PDIP",
        "PKB",
        "PKS",
        "BPBD",
        "BMKG",
        "KPU",
        "BAWASLU",
        "PLN",
        "PSSI",
        "OJK",
        "BPS",
        "BI",
        "PBNU",
    ]
)


def site_keys(names: Iterable[str]) -> frozenset[str]:
    """Comparison keys of site names: lowercase alphanumerics, with and without the TLD.

    >>> sorted(site_keys(["surabayapagi.com", "Surabaya Pagi"]))
    ['surabayapagi', 'surabayapagicom']
    """
    if type(names) is tuple:  # a profile's names: computed once
        try:
            return _site_keys_cached(names)
        except TypeError:  # an unhashable member
            pass
    return _site_keys(names)


@lru_cache(maxsize=256)
def _site_keys_cached(names: tuple) -> frozenset[str]:
    return _site_keys(names)


def _site_keys(names: Iterable[str]) -> frozenset[str]:
    keys = set()
    for name in names:
        if not isinstance(name, str):
            continue
        low = name.lower().strip()
        if low.startswith("www."):
            low = low[4:]
        key = _NON_ALNUM_RE.sub("", low)
        if key:
            keys.add(key)
            short = _TLD_KEY_RE.sub("", key)
            if short and _DOMAIN_RE.search(low):
                keys.add(short)
    return frozenset(keys)


def _key(s: str) -> str:
    return _NON_ALNUM_RE.sub("", s.lower())


def is_site_name(part: str, extra_keys: frozenset[str] = frozenset()) -> bool:
    """Whether a dateline or byline part names a site rather than a city or a person.

    >>> [is_site_name(x) for x in ("KOMPAS.com", "CNN Indonesia", "ANTARA", "Malang")]
    [True, True, True, False]
    """
    if _DOMAIN_RE.search(part):
        return True
    key = _key(part)
    if not key:
        return False
    return key in KNOWN_SITES or key in extra_keys or _TLD_KEY_RE.sub("", key) in extra_keys


def _city_name(part: str) -> str | None:
    part = part.strip(" .")
    if not _CITY_RE.match(part):
        return None
    if part.isupper() or part.islower():
        part = part.title()
    return part


def parse_dateline(
    text: str, site_names: Iterable[str] = (), bold: str | None = None
) -> tuple[str | None, int] | None:
    """Find a dateline opening ``text``: ``(city or None, end offset)``, or None when there is none.

    ``bold`` is the text of a bold run opening the paragraph (detik prints ``<strong>Jakarta
    </strong> -``): a bare city is only taken when it is bold or written in capitals.

    >>> parse_dateline("SURABAYAPAGI.COM, Malang - Pemkot Malang menggelar rapat.")
    ('Malang', 27)
    >>> parse_dateline("JAKARTA, KOMPAS.com - Presiden")[0]
    'Jakarta'
    >>> parse_dateline("Surabaya (beritajatim.com) – Polisi")[0]
    'Surabaya'
    >>> parse_dateline("SURYA.co.id | Warga Surabaya")
    (None, 14)
    >>> parse_dateline("Jakarta - Presiden", bold="Jakarta")[0]
    'Jakarta'
    >>> parse_dateline("Wakil Presiden - yang hadir") is None
    True
    """
    m = _DATELINE_RE.match(text)
    if not m:
        return None
    keys = site_keys(site_names)
    a, b, c, sep = m.group("a").strip(), m.group("b"), m.group("c"), m.group("sep")
    a_site = is_site_name(a, keys)
    if b is not None:
        b = b.strip()
        b_site = is_site_name(b, keys)
        if a_site and not b_site:
            city = _city_name(b)
        elif b_site and not a_site:
            city = _city_name(a)
        else:
            return None
        if city is None:
            return None
    elif c is not None:
        if a_site or not (is_site_name(c, keys) or c.isupper()):
            return None
        city = _city_name(a)
        if city is None:
            return None
    elif a_site:
        city = None
    else:
        # A bare city: only when bold or in capitals, and followed by a spaced dash.
        if sep == "|" or not text[m.start("sep") - 1 : m.start("sep")].isspace():
            return None
        is_bold = bold is not None and bold.strip(" -–—") == a
        caps = a.isupper() and len(a) >= 4 and a not in _NOT_CITIES
        if not (is_bold or caps):
            return None
        city = _city_name(a)
        if city is None or not all(w[:1].isupper() for w in city.split()):
            return None
    return city, m.end()


def parse_meta_line(line: str) -> list[tuple[str, str]] | None:
    """Parse an editor / writer / reporter line into ``[(field, value), ...]``, or None.

    Fields are ``editor``, ``writer``, ``reporter``, ``photographer`` and ``publisher`` (the
    account that posted the article: metadata, never an author). Labels joined by "&", "/" or
    "dan" share the value.

    >>> parse_meta_line("Editor : Moch Ilham")
    [('editor', 'Moch Ilham')]
    >>> parse_meta_line("Penulis: Luhur Pambudi | Editor: Dwi Prastika")
    [('writer', 'Luhur Pambudi'), ('editor', 'Dwi Prastika')]
    >>> parse_meta_line("(Editor: Hendra)")
    [('editor', 'Hendra')]
    >>> parse_meta_line("Redaktur & Reporter : Ricky Saputra")
    [('editor', 'Ricky Saputra'), ('reporter', 'Ricky Saputra')]
    >>> parse_meta_line("Publisher : Sholihin Nur")
    [('publisher', 'Sholihin Nur')]
    >>> parse_meta_line("Reporter: Apa yang terjadi kemarin?") is None
    True
    """
    if len(line) > 200 or not _META_START_RE.match(line):
        return None
    if line.startswith("(") and line.endswith(")"):
        line = line[1:-1]
    line = _LABEL_GROUP_RE.sub(lambda m: "+".join(_LABEL_RE.findall(m.group(0))), line)
    segments = [s for s in _META_SPLIT_RE.split(line) if s.strip(" |;,/-–—")]
    out = []
    for seg in segments:
        seg = seg.strip(" |;,/-–—")
        m = _META_LINE_RE.match(seg) or _META_NOCOLON_RE.match(seg)
        if not m:
            return None
        value = m.group("value").strip(" .,-–—")
        if not value or len(value.split()) > 10:
            return None
        for label in _LABEL_RE.findall(m.group("label")):
            pair = (META_FIELDS[label.lower()], value)
            if pair not in out:
                out.append(pair)
    return out or None


def parse_laporan(line: str) -> str | None:
    """The reporter of a "Laporan Wartawan <site>, <name>" or "Laporan oleh <name>" line, or None.

    >>> parse_laporan("Laporan Wartawan TribunJatim.com, Luhur Pambudi")
    'Luhur Pambudi'
    >>> parse_laporan("Laporan oleh Rina Anggraeni")
    'Rina Anggraeni'
    >>> parse_laporan("Laporan oleh warga diterima polisi.") is None
    True
    """
    if len(line) > 120 or line[:1] not in "LlDd":
        return None
    m = _LAPORAN_RE.match(line) or _LAPORAN_OLEH_RE.match(line)
    return m.group("name").strip() if m else None


def _split_names(names: object) -> list[str]:
    if isinstance(names, str):
        names = [names]
    elif not isinstance(names, Iterable):
        return []
    parts: list[str] = []
    for raw in names:
        if not isinstance(raw, str):
            continue
        name = normalize_line(raw)
        if _URL_OR_EMAIL_RE.search(name):
            continue
        name = _BYLINE_PREFIX_RE.sub("", name)
        m = _BYLINE_SUFFIX_RE.search(name)
        if m and (is_site_name(m.group("site")) or m.group("site").lower().startswith("detik")):
            name = name[: m.start()]
        parts.extend(p for p in _NAME_SPLIT_RE.split(name) if p)
    return parts


def filter_authors(names: object, site_names: Iterable[str] = ()) -> list[str]:
    """People among author names: site names, desks, accounts, urls and duplicates dropped.

    Splits "A dan B" and "A, B"; strips "Oleh:" and a " - detikJatim" suffix. Never raises.

    >>> filter_authors(["Kompas Cyber Media", "Luhur Pambudi dan Dwi Prastika", "Redaksi"])
    ['Luhur Pambudi', 'Dwi Prastika']
    >>> filter_authors("mediaindonesia.com developer")
    []
    >>> filter_authors(["Surabaya Pagi", "Budi, S.H.", "budi"], site_names=["surabayapagi.com", "Surabaya Pagi"])
    ['Budi']
    >>> filter_authors(["Rifkianto Nugroho - detikJatim"])
    ['Rifkianto Nugroho']
    """
    keys = site_keys(site_names)
    out: list[str] = []
    seen: set[str] = set()
    try:
        parts = _split_names(names)
    except (TypeError, ValueError):
        return []
    for part in parts:
        name = part.strip(" .,-–—:;|\"'“”()[]")
        if len(name) < 2 or len(name) > 80 or not any(ch.isalpha() for ch in name):
            continue
        if _TITLE_RE.match(name) or _URL_OR_EMAIL_RE.search(name):
            continue
        if is_site_name(name, keys):
            continue
        low_words = set(_key(w) for w in name.split())
        if low_words & _NOT_PERSON_WORDS or "cyber media" in name.lower():
            continue
        key = _key(name)
        if key in seen:
            continue
        seen.add(key)
        out.append(name)
    return out


# Separators between the parts of a page title ("Headline - Rubrik :: Portal", "Portal | Headline").
_TITLE_PART_SEP_RE = re.compile(r"(\s+(?:::|[-|–—:»•·~])\s+)")
# Host labels that name no site ("www", top-level domains).
_HOST_NOISE = frozenset(
    ["www", "m", "amp", "com", "co", "id", "net", "org", "or", "go", "ac", "web"]
)
# A site part is short: a name, not a clause of the headline.
_SITE_PART_MAX_WORDS = 6


def _title_site_keys(names: Iterable[str]) -> frozenset[str]:
    """Site keys plus the labels of host names ("regional.kompas.com" gives "kompas")."""
    keys = set(site_keys(tuple(n for n in names if isinstance(n, str))))
    for name in names:
        if isinstance(name, str) and "." in name and " " not in name.strip():
            for label in name.lower().strip().split("."):
                if len(label) >= 4 and label not in _HOST_NOISE:
                    keys.add(_key(label))
    return frozenset(k for k in keys if len(k) >= 4)


def _is_site_part(part: str, keys: frozenset[str]) -> bool:
    """Whether one title part names the site: a portal name, the host, a domain."""
    part = part.strip()
    if not part or len(part) > 60 or len(part.split()) > _SITE_PART_MAX_WORDS:
        return False
    if is_site_name(part, keys):
        return True
    key = _key(part)
    if len(key) < 4:
        return False
    few_words = len(part.split()) <= 4
    return any((few_words and k in key) or key in k for k in keys)


def strip_site_parts(title: str, names: Iterable[str] = ()) -> str:
    """A page title without the parts that name the site, cut from either end.

    A part names the site when it matches one of ``names`` (the portal's names, ``og:site_name``,
    the host) or is a domain or a known portal. A section part between the headline and a site
    part that repeats it ("Rubrik :: Portal Rubrik") goes with it. The headline itself is never
    cut away: when every part names the site, the title is returned as it is.

    >>> strip_site_parts("Banjir di Gresik - Surabaya Pagi", ["Surabaya Pagi"])
    'Banjir di Gresik'
    >>> strip_site_parts("Banjir di Gresik - Ekonomi :: Tempo Ekonomi", ["Tempo"])
    'Banjir di Gresik'
    >>> strip_site_parts("beritajatim.com - Banjir di Gresik", ["www.beritajatim.com"])
    'Banjir di Gresik'
    >>> strip_site_parts("Banjir di Gresik | Regional", ["regional.kompas.com"])
    'Banjir di Gresik'
    >>> strip_site_parts("Jokowi - Prabowo Bertemu di Solo | KOMPAS.com", [])
    'Jokowi - Prabowo Bertemu di Solo'
    >>> strip_site_parts("Surabaya Pagi", ["Surabaya Pagi"])
    'Surabaya Pagi'
    >>> strip_site_parts("Harga Cabai Naik: Pedagang Mengeluh", ["Surabaya Pagi"])
    'Harga Cabai Naik: Pedagang Mengeluh'
    """
    if not isinstance(title, str):
        return title
    pieces = _TITLE_PART_SEP_RE.split(title.strip())
    parts, seps = pieces[::2], pieces[1::2]
    if len(parts) < 2:
        return title.strip()
    keys = _title_site_keys(list(names))
    start, end = 0, len(parts)
    cut: list[str] = []
    while end - start > 1 and _is_site_part(parts[end - 1], keys):
        end -= 1
        cut.append(_key(parts[end]))
    while end - start > 1 and _is_site_part(parts[start], keys):
        cut.append(_key(parts[start]))
        start += 1
    # A section repeated inside a cut site part ("Ekonomi :: Tempo Ekonomi").
    while end - start > 1 and cut and _repeated(parts[end - 1], cut):
        end -= 1
    while end - start > 1 and cut and _repeated(parts[start], cut):
        start += 1
    if (start, end) == (0, len(parts)):
        return title.strip()
    out = parts[start]
    for i in range(start + 1, end):
        out += seps[i - 1] + parts[i]
    return out.strip()


def _repeated(part: str, cut: list[str]) -> bool:
    key = _key(part)
    return len(part.split()) <= 3 and len(key) >= 3 and any(key in c and key != c for c in cut)
