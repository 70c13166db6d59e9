"""Malformed input: decoding mislabelled HTML bytes, soft 404s and bot challenges.

Pure functions, no Scrapy: bytes or strings in, a value out, never an exception for bad input.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

__all__ = ["decode_html", "is_bot_challenge", "looks_like_soft_404", "may_hold_challenge_markup"]

# A UTF-8 (really CESU-8/WTF-8) encoded surrogate code point, U+D800..U+DFFF: ED A0..BF 80..BF.
# Strict UTF-8 rejects these; they are junk from broken encoders and are dropped.
_UTF8_SURROGATE_RE = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")
# A lone surrogate code point in a decoded str (cannot be encoded to UTF-8).
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# How many broken sequences a mostly-UTF-8 document may have per valid multi-byte character.
_UTF8_MAX_DAMAGE_RATIO = 0.25
_REPLACEMENT = "\ufffd"
# Characters XML (and so lxml) refuses: C0 controls but tab, newline and carriage return, and
# the non-characters U+FFFE and U+FFFF.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CONTROL_CODES = frozenset([*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])
# A numeric character reference (the HTML parser turns ``&#12;`` into the character itself).
_CONTROL_REF_RE = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,6})|0*([0-9]{1,7}))(?![0-9a-fA-F]);?")


def _utf8_or_none(body: bytes) -> str | None:
    """Decode *body* as UTF-8 if it really is UTF-8, allowing a little damage.

    A document is UTF-8 when it decodes strictly, or when its valid multi-byte characters
    outnumber its broken sequences enough (a page cut in the middle of a character, one bad
    paste). cp1252 bytes labelled UTF-8 have no valid multi-byte characters and give None.

    >>> _utf8_or_none("Café".encode())
    'Café'
    >>> _utf8_or_none("Café".encode("cp1252")) is None
    True
    >>> _utf8_or_none(b"plain ascii")
    'plain ascii'
    """
    body = _UTF8_SURROGATE_RE.sub(b"", body)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    cut = _utf8_cut_tail(body)
    if cut is not None:
        return cut
    text = body.decode("utf-8", errors="replace")
    bad = text.count(_REPLACEMENT) - body.count("\ufffd".encode())
    good = sum(1 for ch in text if ch > "\x7f" and ch != _REPLACEMENT)
    if good and bad <= good * _UTF8_MAX_DAMAGE_RATIO:
        return text
    return None


def _utf8_cut_tail(body: bytes) -> str | None:
    """Valid UTF-8 cut inside its last character (a truncated page): decoded, tail replaced.

    >>> _utf8_cut_tail("é".encode() + b"\\xc3"), _utf8_cut_tail(b"Caf\\xe9") is None
    ('é\\ufffd', True)
    """
    for k in (1, 2, 3):
        if len(body) <= k:
            break
        if body[-k] >= 0xC2:  # the lead byte of the cut character
            try:
                head = body[:-k].decode("utf-8")
            except UnicodeDecodeError:
                return None
            # Only a document with real multi-byte characters is known to be UTF-8.
            return head + _REPLACEMENT if not head.isascii() else None
        if not 0x80 <= body[-k] <= 0xBF:
            break
    return None


def _decode_valid(body: bytes, encoding: str) -> str | None:
    """*body* decoded with *encoding* when the bytes are valid in it, else None.

    >>> _decode_valid("Café".encode("cp1252"), "cp1252")
    'Café'
    >>> _decode_valid("Café".encode("cp1252"), "utf-8") is None
    True
    >>> _decode_valid(b"x", "no-such-codec") is None
    True
    """
    if encoding == "utf-8":
        return _utf8_or_none(body)
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _control_ref(match: re.Match[str]) -> str:
    hex_digits, digits = match.group(1), match.group(2)
    code = int(hex_digits, 16) if hex_digits is not None else int(digits)
    return " " if code in _CONTROL_CODES else match.group(0)


def _clean(text: str) -> str:
    """Text every XML tool takes: control characters (NUL included) and references to them
    (``&#12;``) become a space, so the words on either side stay apart; lone surrogates go.

    lxml refuses such characters when a tree is changed (``ValueError: All strings must be XML
    compatible``), and a NUL between two words used to join them.

    >>> _clean("Berita\\x00Uji\\x0cdi&#12;Surabaya&#x0B;!\\ud800 &#8211; &#10;")
    'Berita Uji di Surabaya ! &#8211; &#10;'
    """
    text = _SURROGATE_RE.sub("", text)
    if "&#" in text:
        text = _CONTROL_REF_RE.sub(_control_ref, text)
    return _CONTROL_RE.sub(" ", text)


def _bomless_utf16(body: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` for UTF-16 text without a byte order mark (ASCII-range text
    then has a NUL in every other byte), else None.

    >>> _bomless_utf16("Berita".encode("utf-16-le")), _bomless_utf16("Berita".encode("utf-16-be"))
    ('utf-16-le', 'utf-16-be')
    >>> _bomless_utf16(b"Berita\\x00Uji di Surabaya") is None
    True
    """
    head = body[:4096]
    half = len(head) // 2
    if half < 2 or head.count(0) < half * 0.6:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd >= half * 0.8 and even <= half * 0.1:
        return "utf-16-le"
    if even >= half * 0.8 and odd <= half * 0.1:
        return "utf-16-be"
    return None


def _declared(header: str | None, body: bytes) -> list[str]:
    """Candidate encodings in order: header charset, then meta charset, then UTF-8.

    >>> _declared("text/html; charset=ISO-8859-1", b'<meta charset="utf-8">')
    ['cp1252', 'utf-8']
    >>> _declared(None, b"")
    ['utf-8']
    """
    candidates: list[str] = []
    header_enc = http_content_type_encoding(header) if header else None
    if header_enc:
        candidates.append(resolve_encoding(header_enc) or header_enc)
    try:
        meta_enc = html_body_declared_encoding(body)
    except Exception:  # w3lib on hostile bytes: never let it escape
        meta_enc = None
    if meta_enc:
        resolved = resolve_encoding(meta_enc) or meta_enc
        # HTML spec: a meta charset of UTF-16 means UTF-8 (the meta was readable as ASCII).
        candidates.append("utf-8" if resolved.startswith("utf-16") else resolved)
    candidates.append("utf-8")
    return list(dict.fromkeys(candidates))


def decode_html(body: bytes, content_type_header: str | None = None) -> tuple[str, str]:
    """Decode HTML *body* into ``(text, encoding used)``, trusting labels only as far as the bytes.

    Order: byte order mark; the HTTP header charset unless the bytes are invalid in it; the
    ``<meta charset>`` / ``http-equiv`` charset; UTF-8; cp1252 as the last resort. When the
    header and the meta disagree, the first one under which the bytes are valid wins (the header
    when both are). Lone surrogates are removed and control characters made spaces
    (:func:`_clean`): the text always encodes to UTF-8 and goes into any XML tree.

    cp1252 bytes labelled UTF-8 (a very common server misconfiguration):

    >>> decode_html("Café “kopi”".encode("cp1252"), "text/html; charset=utf-8")
    ('Café “kopi”', 'cp1252')

    Header and meta disagree; the bytes are only valid in the meta's charset:

    >>> body = '<meta charset="windows-1252"><p>Rp 5.000 – murah</p>'.encode("cp1252")
    >>> decode_html(body, "text/html; charset=UTF-8")[1]
    'cp1252'

    Both valid: the header wins, as in the HTML spec:

    >>> body = '<meta charset="utf-8"><p>Café</p>'.encode()
    >>> decode_html(body, "text/html; charset=iso-8859-1")
    ('<meta charset="utf-8"><p>CafÃ©</p>', 'cp1252')

    A BOM beats everything; UTF-8-encoded surrogates are dropped, control characters (NUL
    included) become spaces:

    >>> decode_html(b"\\xef\\xbb\\xbfCaf\\xc3\\xa9", "text/html; charset=cp1252")
    ('Café', 'utf-8')
    >>> decode_html(b"a\\x00b\\xed\\xa0\\x80c\\x0cd", None)
    ('a bc d', 'utf-8')
    >>> decode_html(b"", None)
    ('', 'utf-8')
    """
    if not isinstance(body, (bytes, bytearray, memoryview)):
        return "", "utf-8"
    body = bytes(body)
    try:
        bom_enc, bom = read_bom(body)
    except Exception:
        bom_enc, bom = None, b""
    if bom_enc:
        return _clean(body[len(bom) :].decode(bom_enc, errors="replace")), bom_enc
    utf16 = _bomless_utf16(body)
    if utf16:
        return _clean(body.decode(utf16, errors="replace")), utf16
    for encoding in _declared(content_type_header, body):
        text = _decode_valid(body, encoding)
        if text is not None:
            return _clean(text), encoding
    return _clean(body.decode("cp1252", errors="replace")), "cp1252"


# Soft-404 titles: "Halaman tidak ditemukan", "Page not found", "Not Found", "Error 404",
# "404 - ..." and "404" alone (but not a headline that merely starts with a number, such as
# "404 warga terdampak banjir").
_SOFT404_TITLE_RE = re.compile(
    r"""
    ^\s*(?:error\s*)?404\s*(?:$|[-|:–—]|not\b|error\b|page\b|halaman\b)
    | \b(?:page|halaman|berita|artikel|konten|content)\s+(?:yang\s+anda\s+cari\s+)?
      (?:not\s+found|tidak\s+(?:ditemukan|tersedia|ada)|tak\s+ditemukan)
    | ^\s*not\s+found\b
    | \berror\s+404\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Soft-404 wording inside a short body text: words about *the page*, never a number (an
# article may well say "Rp 404 juta" or be article number 404).
_SOFT404_TEXT_RE = re.compile(
    r"halaman\s+(?:yang\s+anda\s+cari\s+)?(?:tidak|tak)\s+(?:ditemukan|tersedia)"
    r"|page\s+(?:you\s+requested\s+)?(?:was\s+)?not\s+found",
    re.IGNORECASE,
)
# Below this many characters of body text a page is not an article.
_MIN_ARTICLE_TEXT = 80
# A body longer than this is an article even if it mentions "404" or "tidak ditemukan".
_MAX_SOFT404_TEXT = 1500


def looks_like_soft_404(title: str | None, text: str | None) -> bool:
    """True when a 200 response is really a "not found" page (or has next to no text): by its
    title, by next to no text, or by not-found wording in a short text. A number in the text
    ("404") never decides it.

    >>> looks_like_soft_404("Halaman tidak ditemukan - Surabaya Pagi", "Kembali ke beranda")
    True
    >>> looks_like_soft_404("404 Not Found", "")
    True
    >>> looks_like_soft_404("Page not found", "x" * 5000)
    True
    >>> looks_like_soft_404("Berita", "Maaf, halaman yang Anda cari tidak ditemukan. " * 3)
    True
    >>> looks_like_soft_404("Warga Surabaya Antre Air Bersih", "")
    True
    >>> looks_like_soft_404("404 Warga Terdampak Banjir di Sidoarjo", "Banjir merendam. " * 20)
    False
    >>> looks_like_soft_404("Pemkot Surabaya Buka Lowongan", "Pemerintah kota membuka. " * 20)
    False
    >>> looks_like_soft_404("Dana Desa Cair", "Anggaran Rp 404 juta disalurkan ke desa. " * 5)
    False
    """
    text = (text if isinstance(text, str) else "").strip()
    if soft_404_title(title) or len(text) < _MIN_ARTICLE_TEXT:
        return True
    return len(text) <= _MAX_SOFT404_TEXT and soft_404_wording(text)


def soft_404_title(title: str | None) -> bool:
    """A title (or headline) of a not-found page.

    >>> soft_404_title("404 - Halaman Tidak Ditemukan"), soft_404_title("404 Warga Terdampak Banjir")
    (True, False)
    """
    return isinstance(title, str) and bool(_SOFT404_TITLE_RE.search(title))


def soft_404_wording(text: str | None) -> bool:
    """Not-found wording in a text ("halaman yang Anda cari tidak ditemukan"); never a number.

    >>> soft_404_wording("Maaf, halaman yang Anda cari tidak ditemukan."), soft_404_wording("Rp 404 juta")
    (True, False)
    """
    return isinstance(text, str) and bool(_SOFT404_TEXT_RE.search(text))


# Titles of bot-challenge pages (Cloudflare, DDoS-Guard, Sucuri and the like).
_CHALLENGE_TITLE_RE = re.compile(
    r"^\s*(?:just\s+a\s+moment|attention\s+required|checking\s+your\s+browser|"
    r"please\s+wait\.*\s*\|\s*cloudflare|one\s+more\s+step|ddos-guard|"
    r"you\s+are\s+being\s+rate\s+limited|sucuri\s+website\s+firewall)",
    re.IGNORECASE,
)
# Markup found only on challenge pages (not the JS-detection script Cloudflare adds to
# ordinary pages, nor its email obfuscation links).
_CHALLENGE_HTML_RE = re.compile(
    r"cf-browser-verification|_cf_chl_opt|id=[\"']challenge-form[\"']|cf-challenge-running"
    r"|checking\s+your\s+browser\s+before\s+accessing"
    r"|enable\s+javascript\s+and\s+cookies\s+to\s+continue"
    r"|_Incapsula_Resource|ddos-guard\.net/|sucuri\.net/privacy-policy",
    re.IGNORECASE,
)
# Only the head of a page is scanned for challenge markup.
_CHALLENGE_SCAN = 100_000
# Lower-case literals of which every match of _CHALLENGE_HTML_RE contains one (its parts
# without \s): a head holding none of them cannot match, and finding a literal in the
# lower-cased head is 10-20x cheaper than the case-insensitive alternation.
_CHALLENGE_HINTS = (
    "cf-browser-verification",
    "_cf_chl_opt",
    "challenge-form",
    "cf-challenge-running",
    "checking",
    "cookies",
    "_incapsula_resource",
    "ddos-guard.net/",
    "sucuri.net/privacy-policy",
)
_CHALLENGE_HINTS_BYTES = tuple(h.encode("ascii") for h in _CHALLENGE_HINTS)
# Non-ASCII characters that re.IGNORECASE matches to an ASCII letter (İ ı ~ i, ſ ~ s, K ~ k),
# which lower-casing does not map: a head holding one takes the full regex.
_CASE_ODDITIES = "\u0130\u0131\u017f\u212a"
_CASE_ODDITIES_UTF8 = tuple(c.encode("utf-8") for c in _CASE_ODDITIES)


def may_hold_challenge_markup(head: bytes | str) -> bool:
    """False only when ``head`` cannot hold challenge markup (no hint, in any case).

    A cheap pre-filter for :func:`is_bot_challenge`: bytes are read as UTF-8 would decode
    them (undecodable bytes never turn into ASCII letters).

    >>> may_hold_challenge_markup(b"<p>Wali Kota Resmikan Taman</p>")
    False
    >>> may_hold_challenge_markup(b"<SCRIPT>window._CF_CHL_OPT={}</SCRIPT>")
    True
    >>> may_hold_challenge_markup("<p>enable JavaScript and Cookies to continue</p>")
    True
    """
    if isinstance(head, bytes):
        if any(c in head for c in _CASE_ODDITIES_UTF8):
            return True
        low = head.lower()
        return any(h in low for h in _CHALLENGE_HINTS_BYTES)
    if any(c in head for c in _CASE_ODDITIES):
        return True
    low = head.lower()
    return any(h in low for h in _CHALLENGE_HINTS)


def is_bot_challenge(title: str | None, html: str | None) -> bool:
    """True when the page is an anti-bot interstitial, not content.

    >>> is_bot_challenge("Just a moment...", "")
    True
    >>> is_bot_challenge("Attention Required! | Cloudflare", "")
    True
    >>> is_bot_challenge("", '<div id="cf-browser-verification">')
    True
    >>> is_bot_challenge("Berita", "<p>Checking your browser before accessing x.com</p>")
    True
    >>> is_bot_challenge("Wali Kota Resmikan Taman", '<a href="/cdn-cgi/l/email-protection">')
    False
    >>> is_bot_challenge(None, None)
    False
    """
    title = title if isinstance(title, str) else ""
    html = html if isinstance(html, str) else ""
    if _CHALLENGE_TITLE_RE.search(title):
        return True
    head = html[:_CHALLENGE_SCAN]
    return may_hold_challenge_markup(head) and bool(_CHALLENGE_HTML_RE.search(head))


# --- responses ---------------------------------------------------------------------------------
#: Prefix of the response flag in which :func:`repair_response` keeps the digest of the bytes
#: as received (responses take no new attributes; flags are Scrapy's place for such notes).
RAW_DIGEST_FLAG = "raw_sha256:"


def raw_digest(response: Any) -> str:
    """SHA-256 (hex) of the response body exactly as received, even after a charset repair."""
    for flag in response.flags or ():
        if flag.startswith(RAW_DIGEST_FLAG):
            return flag.removeprefix(RAW_DIGEST_FLAG)
    return hashlib.sha256(response.body).hexdigest()


def repair_response(response: Any) -> Any:
    """The response with its text decoded the careful way (:func:`decode_html`).

    When Scrapy's own decoding would give other text (cp1252 labelled UTF-8, a header charset
    that contradicts the bytes, NUL bytes, lone surrogates), the result carries that text as UTF-8
    and remembers the digest of the original bytes (:func:`raw_digest`). Other responses are
    returned as they are.
    """
    from scrapy.http import TextResponse

    if not isinstance(response, TextResponse) or not response.body:
        return response
    header = response.headers.get(b"Content-Type") or b""
    text, _encoding = decode_html(response.body, header.decode("latin-1"))
    if text == response.text:
        return response
    digest = RAW_DIGEST_FLAG + hashlib.sha256(response.body).hexdigest()
    # The wire length no longer describes the body (truncation was judged on the original).
    headers = response.headers.copy()
    headers.pop(b"Content-Length", None)
    return response.replace(
        body=text.encode("utf-8"),
        encoding="utf-8",
        headers=headers,
        flags=[*(response.flags or ()), digest],
    )


class CharsetRepairMiddleware:
    """Downloader middleware: every text response is decoded with :func:`repair_response`.

    It sits below the WARC writer (which preserves the bytes as received) and counts each
    repair in ``newscrawl/charset/repaired``.
    """

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> CharsetRepairMiddleware:
        return cls(crawler.stats)

    def process_response(self, request: Any, response: Any) -> Any:
        fixed = repair_response(response)
        if fixed is not response:
            self.stats.inc_value("newscrawl/charset/repaired")
        return fixed
