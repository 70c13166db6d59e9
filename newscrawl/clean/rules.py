"""Global boilerplate rules: what an element's class says, what a text line is.

Every rule has a short name (``read_also``, ``ad_slot``, ``embed``, ...) that the engine records
with each removal. Regexes are compiled once here; the functions are cheap and pure.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "CRAWL_BAN_RE",
    "classify_attrs",
    "classify_line",
    "find_promo",
    "has_crawl_ban",
    "match_read_also",
    "syndication_source",
]

# ANTARA's notice banning crawling and automated indexing (up to the end of its sentence).
CRAWL_BAN_RE = re.compile(
    r"dilarang\s+keras\s+mengambil\s+konten[^.\n]{0,300}?"
    r"(?:crawling|pengindeksan|mengindeks|indexing)[^.\n]*(?:\.|$)",
    re.I,
)

# --- line rules -------------------------------------------------------------------------------

# A whole line that only labels an ad slot ("ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT").
_AD_TEXT_RE = re.compile(
    r"[-–—\s\[(]*(?:advertisement|advertisment|advertising|advertorial\s+slot|iklan|ads|ad"
    r"|scroll\s+to\s+continue\s+with\s+content|scroll\s+untuk\s+melanjutkan(?:\s+membaca)?"
    r"|sponsored(?:\s+content)?|konten\s+(?:sponsor|bersponsor)|promoted|continue\s+reading"
    r"|lanjutkan\s+membaca|gulir\s+untuk\s+melanjutkan)[-–—\s\])]*",
    re.I,
)
# A "read also" label opening a line, with its separator (colon, dash, ellipsis) when present.
_READ_ALSO_RE = re.compile(
    r"^[\s»›>•·*\-–—]{0,3}(?P<label>"
    r"(?:baca|lihat|simak)\s+(?:juga|pula)(?:\s+(?:berita|artikel))?"
    r"|baca(?:\s+(?:berita|artikel))?(?:\s+(?:lainnya|terkait|selengkapnya|selanjutnya))?"
    r"|read\s+(?:also|more)|(?:berita|artikel)\s+terkait"
    r")\b(?P<sep>\s*[:：]+|\s+[-–—»›>]+|\s*(?:\.{3}|…))?\s*",
    re.I,
)
# Labels that count without a separator when a link or capitals confirm them.
_STRONG_LABELS = frozenset(
    (
        "baca juga",
        "baca pula",
        "lihat juga",
        "simak juga",
        "read also",
        "berita terkait",
        "artikel terkait",
        "baca juga berita",
        "baca juga artikel",
        "lihat juga berita",
    )
)
# A heading over a list of other articles ("BERITA TERBARU", "Terpopuler", "Rekomendasi").
_LIST_HEADING_RE = re.compile(
    r"[\s»›>•·*\-–—]*(?:(?:berita|artikel|video|foto|topik)\s+(?:terbaru|terkini|lainnya|populer"
    r"|terpopuler|pilihan|rekomendasi|terkait|menarik(?:\s+lainnya)?)|terpopuler|terbaru|terkini"
    r"|populer|rekomendasi(?:\s+untuk\s+(?:anda|kamu))?|(?:most\s+)?popular|trending(?:\s+now)?"
    r"|baca\s+(?:berita|artikel)(?:\s+menarik)?\s+lainnya|pilihan\s+redaksi|editor'?s\s+picks?|(?:berita|artikel)"
    r"\s+(?:terkait|lainnya)\s+\w+|jangan\s+lewatkan|lihat\s+juga\s+berita\s+lainnya"
    r")\s*[:：]?\s*",
    re.I,
)
# Which list headings announce related articles (their links are kept).
_RELATED_HEADING_RE = re.compile(r"terkait|jangan\s+lewatkan", re.I)
# A video or other embed announced in a line ("Simak Video '...'", "[Gambas:Video 20detik]",
# "Tonton juga: ...", "Saksikan juga: ...", "Jangan Lewatkan Video Terbaru:").
_EMBED_LINE_RE = re.compile(
    r"(?:\[\s*gambas\s*:[^\]]*\]"
    r"|(?:(?:yuk|ayo|mari),?\s+)?(?:simak|saksikan|tonton|lihat)(?:\s+(?:juga|pula))?\s+"
    r"(?:video|live\s+streaming|tayangan|siaran\s+langsung)\b.{0,250}"
    r"|(?:(?:yuk|ayo|mari),?\s+)?(?:tonton|saksikan)\s+(?:juga|pula)\s*[:：].{0,250}"
    r"|video\s+(?:pilihan|terkait|rekomendasi)\s*[:：]?.{0,200}"
    r"|jangan\s+lewatkan\s+(?:juga\s+)?video(?:\s+(?:terbaru|terkini|pilihan|menarik|lainnya"
    r"|berikut|ini))*(?:\s*[:：!…]|\s*[:：]\s*.{1,200})?)",
    re.I,
)
# An embed token inside a line ("[Gambas:Video CNN]").
GAMBAS_INLINE_RE = re.compile(r"\s*\[\s*gambas\s*:[^\]]{0,200}\]", re.I)
# Cloudflare's email obfuscation token.
EMAIL_PROTECTION_RE = re.compile(r"\s*\[\s*email\s+protected\s*\]", re.I)
# A call to follow, subscribe, install or click, opening a line.
_CTA_RE = re.compile(
    r"(?:(?:yuk|ayo|mari),?\s+)?(?:"
    r"dapatkan\s+(?:update|informasi|berita|info|notifikasi|kabar)\b"
    r"|baca\s+berita\s+tanpa\s+iklan|simak\s+breaking\s+news|pilih\s+saluran\s+andalanmu"
    r"|pastikan\s+(?:kamu|anda)\s+sudah\s+(?:meng)?inst?al"
    r"|ada\s+informasi\s+menarik\b.{0,60}klik"
    r"|(?:cek|ikuti|follow|gabung(?:lah)?|bergabung(?:lah)?|join|kunjungi|simak|pantau|download"
    r"|unduh|update|subscribe|langganan|berlangganan|dengarkan|baca)\b.{0,200}?"
    r"\b(?:google\s*news|whatsapp|telegram|instagram|twitter|facebook|tiktok|youtube|line\s+today"
    r"|play\s*store|app\s*store|aplikasi\s+\w+|channel|saluran|podcast|newsletter|spotify)\b"
    r")",
    re.I,
)
# "Simak berita lainnya di X", "Baca berita menarik lainnya", "Ikuti kami di ...", "Follow us".
_CTA_MORE_RE = re.compile(
    r"(?:(?:yuk|ayo|mari),?\s+)?(?:"
    r"(?:simak|baca|cek|ikuti|dapatkan|temukan|lihat)\s+(?:berita|artikel|informasi|info|kabar)"
    r"(?:\s+(?:menarik|terbaru|terkini|lengkap|pilihan|seputar\s+\S+))?\s+lainnya"
    r"(?:\s+(?:hanya\s+)?(?:di|dari|melalui|lewat)\s+.{1,80})?"
    r"|(?:ikuti|follow)\s+(?:kami|us|akun\s+(?:resmi\s+)?\S+)\s+(?:di|on|pada)\s+.{1,80}"
    r")[\s.!]*",
    re.I,
)
# A short line ending with a follow target ("... di Google News", "... WhatsApp Channel").
_CTA_TAIL_RE = re.compile(
    r"\b(?:google\s*news|whatsapp\s+channel|saluran\s+whatsapp|channel\s+whatsapp)\b"
    r"[\s.!:]*(?:https?://\S+)?[\s.!]*$",
    re.I,
)
# "Klik di sini" anywhere in a short line.
_KLIK_RE = re.compile(r"\bklik\s+(?:di\s*sini|link\s+ini|tautan\s+ini)\b", re.I)
# The syndication footer and the portal (or url) it names.
_SYNDICATION_RE = re.compile(
    r"(?:sebagian\s+)?(?:artikel|berita|tulisan|konten|naskah)\s+ini\s+"
    r"(?:(?:telah|sudah|pernah)\s+)?(?:tayang|terbit|dimuat|ditayangkan|diterbitkan"
    r"|dipublikasikan|dipublikasi)(?:\s+(?:lebih\s+dulu|sebelumnya|pertama\s+kali))?\s+"
    r"(?:di|pada|dalam|oleh)\s+(?:(?:situs|laman|portal|website|media)\s+)?"
    r"(?P<src>[^,\s]+(?:\s+[^,\s]+){0,3}?)"
    r"(?=\s+dengan\s+judul\b|\s*,|\s*\.?\s*$|\s+https?://|(?:\s*\.)?\s+baca\s+selengkapnya\b)",
    re.I,
)
# A web address inside a line.
_URL_RE = re.compile(r"https?://[^\s\"'<>“”]+")
# Bullets and footnote marks opening a line ("*) Dapatkan update ...", "» Baca juga").
_LEAD_MARKS_RE = re.compile(r"^[\s*•·»›>)\-–—]+")
# A line that is only a url (the tail of a syndication footer).
URL_LINE_RE = re.compile(
    r"(?:(?:klik\s+untuk\s+baca|baca\s+selengkapnya|selengkapnya|sumber|link)\s*[:：]?\s*)?"
    r"(?:https?://|www\.)\S+",
    re.I,
)
# A copyright line.
_COPYRIGHT_RE = re.compile(
    r"(?:copyright\s*(?:©|\(c\))?[^.]{0,80}\.?|©.{0,120}|\(c\)\s*\d{4}.{0,100}"
    r"|.{0,60}all\s+rights\s+reserved.{0,60}|hak\s+cipta\s+dilindungi.{0,100})",
    re.I,
)
# A copyright notice glued to the end of a line ("... ujarnya. Copyright © ANTARA 2024").
COPYRIGHT_TAIL_RE = re.compile(
    r"\s*(?:copyright\s*(?:©|\(c\))?|©)\s*(?:[\w .,]{0,40}?\d{4}|\d{4}\s+[\w .,&]{1,40}?)"
    r"\s*\.?\s*$",
    re.I,
)
# A caption printed as a line ("Foto: ... (detikcom)", "(Foto: Budi/SP)").
_CAPTION_LINE_RE = re.compile(
    r"\(?\s*(?:foto|ilustrasi|gambar|photo|image)\s*[:：]\s*.{2,300}", re.I
)
# A caption ending with its credit, after a sentence or in parentheses ("Warga melintas.
# Foto: SP/Sd-01", "Petugas memeriksa tanggul (Foto: Budi/SP)"); capitalised label only.
_CAPTION_CREDIT_RE = re.compile(
    r"(?:(?<=[.!?\"”’])\s+|\s*\()(?:Foto|FOTO|Photo|PHOTO|Ilustrasi|ILUSTRASI)\s*[:：]\s*"
    r"[^():.!?]{2,50}\)?\s*$"
)
# A pagination line ("Halaman: 1 2 3 Selanjutnya", "Next page", "Halaman 2 dari 3").
_PAGINATION_RE = re.compile(
    r"[\s«‹<>›»|]*(?:"
    r"(?:halaman|hal\.?|page)\s*[:：]?(?:[\s«‹<>›»|]*\b(?:\d{1,3}|selanjutnya|berikutnya"
    r"|sebelumnya|next|prev(?:ious)?|lanjut|terakhir|pertama|first|last))+"
    r"|(?:halaman|page)\s+\d{1,3}\s+(?:dari|of)\s+\d{1,3}"
    r"|(?:(?:baca\s+)?selengkapnya\s+)?(?:di\s+|ke\s+)?(?:halaman|hal\.?)\s+"
    r"(?:selanjutnya|berikutnya|sebelumnya|lanjutan)"
    r"|(?:next|previous|prev)\s+page|(?:go\s+to\s+)?page\s+\d{1,3}"
    r"|(?:(?:sebelumnya|prev(?:ious)?)[\s«‹<>›»|]+)?(?:\d{1,3}[\s«‹<>›»|]+)+"
    r"(?:selanjutnya|berikutnya|next|lanjut)"
    r"|selanjutnya|berikutnya|lanjut\s+baca|tampilkan\s+semua|show\s+all"
    r")[\s«‹<>›»|:.]*",
    re.I,
)
# Characters a separator line ("***", "* * *", "---", "___") is made of.
_SEPARATOR_CHARS = " *-–—_=~•·#.…"
# A short "Sumber: ANTARA" line naming where the text came from (dropped near the end only).
SOURCE_LINE_RE = re.compile(
    r"\(?\s*(?:sumber|source)\s*[:：]\s*(?:[^:;!?()]{2,60}|(?:https?://|www\.)\S{1,300})"
    r"\s*\)?\s*\.?",
    re.I,
)
# A tag list printed as a line.
_TAGS_LINE_RE = re.compile(r"(?:tags?|topik|kata\s+kunci|keywords?)\s*[:：]\s*.{0,300}", re.I)
# A share prompt alone on its line.
_SHARE_LINE_RE = re.compile(
    r"(?:bagikan|share(?:\s+this)?|sebarkan)(?:\s+(?:artikel|berita|article))?(?:\s+ini)?"
    r"\s*[:：]?(?:\s*(?:facebook|twitter|whatsapp|telegram|line|email|copy\s+link|x)\b)*\s*",
    re.I,
)

# --- reporter codes at the very end of a body ----------------------------------------------------

# A slash code in parentheses or brackets ("(vyp/kna)", "(mcr23/jpnn)", "[yul/hds]") or "(*)".
TRAIL_SLASH_CODE_RE = re.compile(
    r"\s*(?:\(\s*(?:\*|[A-Za-z0-9*]{1,12}(?:\s*/\s*[A-Za-z0-9*.\-]{1,12}){1,3})\s*\)"
    r"|\[\s*[A-Za-z0-9*]{1,12}(?:\s*/\s*[A-Za-z0-9*.\-]{1,12}){1,3}\s*\])\s*$"
)
# A short code after the final sentence ("... kata dia. (ant)", "(H-4)", "Ml-01/ham").
TRAIL_SHORT_CODE_RE = re.compile(
    r"(?:(?<=[.!?\"”'’)\]])|^)\s*(?:\(\s*(?:[a-z]{2,4}\d{0,3}|[A-Z]{1,4}-\d{1,3}|[A-Z]{2,4})\s*\)"
    r"|[A-Za-z]{1,6}(?:-\d{1,3})?/[A-Za-z]{2,8})\s*$"
)
# A metadata note in parentheses at the end ("... ujarnya. (Editor: Hendra)").
TRAIL_META_RE = re.compile(
    r"\s*\(\s*(?P<label>editor|penyunting|penulis|pewarta|reporter|kontributor)\s*[:：]\s*"
    r"(?P<value>[^()]{2,60}?)\s*\)\s*$",
    re.I,
)


def has_crawl_ban(text: str) -> bool:
    """Whether ``text`` (page text or HTML) carries ANTARA's ban on crawling.

    >>> has_crawl_ban("Dilarang keras mengambil konten, melakukan crawling atau pengindeksan "
    ...               "otomatis untuk AI di situs web ini tanpa izin tertulis dari Kantor Berita ANTARA.")
    True
    >>> has_crawl_ban("Polisi melarang keras warga mengambil konten video di lokasi.")
    False
    """
    if not isinstance(text, str):
        return False
    return CRAWL_BAN_RE.search(text) is not None


def match_read_also(text: str, has_links: bool = False) -> str | None:
    """The title part of a "read also" line ("" for a label alone), or None when it is not one.

    >>> match_read_also("Baca juga : Pemkot Malang Gelar Rapat")
    'Pemkot Malang Gelar Rapat'
    >>> match_read_also("BACA JUGA Pemkot Malang Gelar Rapat")
    'Pemkot Malang Gelar Rapat'
    >>> match_read_also("Baca Juga:")
    ''
    >>> match_read_also("Baca juga buku panduan itu, kata dia.") is None
    True
    >>> match_read_also("Baca: Polisi Tangkap Pelaku")
    'Polisi Tangkap Pelaku'
    """
    m = _READ_ALSO_RE.match(text)
    if not m:
        return None
    label = " ".join(m.group("label").lower().split())
    has_sep = m.group("sep") is not None
    rest = text[m.end() :].strip()
    if len(rest) > 250 and not has_links:
        return None
    if label in _STRONG_LABELS:
        if has_sep or has_links or not rest or m.group("label").isupper():
            return rest
        return None
    # Weak labels ("Baca:", "Baca selengkapnya:") need a separator, and a link unless plain "Baca".
    if has_sep and (has_links or label == "baca" or not rest):
        return rest
    return None


def list_heading(text: str) -> str | None:
    """The rule of a heading over a list of other articles (``read_also`` for "Berita Terkait",
    ``latest_list`` otherwise), or None.

    >>> list_heading("BERITA TERBARU"), list_heading("Berita Terkait :"), list_heading("Terbaru ini")
    ('latest_list', 'read_also', None)
    """
    if len(text) > 60 or not _LIST_HEADING_RE.fullmatch(text):
        return None
    return "read_also" if _RELATED_HEADING_RE.search(text) else "latest_list"


def syndication_source(text: str) -> str | None:
    """Where a syndication footer says the article first appeared: its url when the footer gives
    one, else the portal's name; None when the line is not a syndication footer.

    >>> syndication_source("Artikel ini telah tayang di Surya.co.id dengan judul Banjir")
    'Surya.co.id'
    >>> syndication_source("Artikel ini telah tayang di Surya.co.id dengan judul Banjir, https://x.id/a")
    'https://x.id/a'
    >>> syndication_source("Artikel ini telah tayang di https://jatim.tribunnews.com/2024/a")
    'https://jatim.tribunnews.com/2024/a'
    >>> syndication_source("Artikel ini telah tayang di detikJatim. Baca selengkapnya di sini.")
    'detikJatim'
    """
    m = _SYNDICATION_RE.match(text)
    if not m:
        return None
    url = _URL_RE.search(text, m.start("src"))
    if url:
        return url.group(0).rstrip(".,;:)\"'”’")
    src = m.group("src").strip("\"'“”‘’.,;:()[]")
    return src or None


def classify_line(text: str) -> str | None:
    """The rule that drops a whole line of text on its own, or None (prose, or needs context).

    Covers ad labels, list headings, embeds, calls to action, syndication footers, the crawl ban,
    copyright, caption, tag, share, pagination and separator lines. "Read also" lines, metadata
    lines and "Sumber: X" lines need the engine (links, fields, position); see
    :func:`match_read_also`.

    >>> classify_line("ADVERTISEMENT"), classify_line("[Gambas:Video 20detik]")
    ('ad_slot', 'embed')
    >>> classify_line("Jangan Lewatkan Video Terbaru:")
    'embed'
    >>> classify_line("Cek Berita dan Artikel lainnya di Google News")
    'call_to_action'
    >>> classify_line("Copyright © ANTARA 2024")
    'copyright'
    >>> classify_line("*) Ikuti berita terbaru TIMES Indonesia di Google News")
    'call_to_action'
    >>> classify_line("Halaman: 1 2 3 Selanjutnya"), classify_line("* * *")
    ('pagination', 'separator')
    >>> classify_line("Warga melintas di Jalan Darmo. Foto: SP/Sd-01")
    'caption'
    >>> classify_line("Iklan rokok dilarang tayang di televisi pada siang hari.") is None
    True
    """
    if not text:
        return None
    if text[0] in _SEPARATOR_CHARS and not text.strip(_SEPARATOR_CHARS) and text.strip(" .…"):
        return "separator"
    if text[0] in "*•·»›>)-–—":
        text = _LEAD_MARKS_RE.sub("", text)
    n = len(text)
    if n <= 80:
        if n <= 60:
            if _AD_TEXT_RE.fullmatch(text):
                return "ad_slot"
            rule = list_heading(text)
            if rule == "latest_list":
                return rule
            if _SHARE_LINE_RE.fullmatch(text):
                return "share_bar"
        if _PAGINATION_RE.fullmatch(text):
            return "pagination"
    if n > 500:
        return "crawl_ban" if CRAWL_BAN_RE.match(text) and n < 700 else None
    if _EMBED_LINE_RE.fullmatch(text):
        return "embed"
    if _CTA_RE.match(text) and n <= 400:
        return "call_to_action"
    low = text.lower()
    if n <= 250:
        if ("news" in low or "whatsapp" in low) and _CTA_TAIL_RE.search(text):
            return "call_to_action"
        if n <= 150 and "klik" in low and _KLIK_RE.search(text):
            return "call_to_action"
        if n <= 200 and _CTA_MORE_RE.fullmatch(text):
            return "call_to_action"
    if _SYNDICATION_RE.match(text):
        return "syndication"
    if CRAWL_BAN_RE.match(text):
        return "crawl_ban"
    if (
        n <= 160
        and ("©" in text or "copyright" in low or "(c)" in low or "rights" in low or "cipta" in low)
        and _COPYRIGHT_RE.fullmatch(text)
    ):
        return "copyright"
    if _CAPTION_LINE_RE.fullmatch(text):
        return "caption"
    if (
        n <= 300
        and ("foto" in low or "photo" in low or "ilustrasi" in low)
        and _CAPTION_CREDIT_RE.search(text)
    ):
        return "caption"
    if _TAGS_LINE_RE.fullmatch(text):
        return "tags"
    return None


def is_ad_label(text: str) -> bool:
    """Whether a line only labels an ad slot (what :func:`classify_line` calls ``ad_slot``).

    >>> is_ad_label("ADVERTISEMENT"), is_ad_label("- Iklan -"), is_ad_label("Iklan rokok dilarang.")
    (True, True, False)
    """
    if text[:1] in "*•·»›>)-–—":
        text = _LEAD_MARKS_RE.sub("", text)
    return len(text) <= 60 and _AD_TEXT_RE.fullmatch(text) is not None


def find_promo(text: str) -> list[str]:
    """Lines of a cleaned body that still look like promotion, ads or "read also" leftovers.

    Used after cleaning and by benchmarks; returns [] for normal news prose.

    >>> find_promo("Pemkot Malang menggelar rapat.\\n\\nBaca juga: Banjir di Surabaya\\n\\nSimak Video 'Banjir'")
    ['Baca juga: Banjir di Surabaya', "Simak Video 'Banjir'"]
    >>> find_promo("Dia membaca juga koran pagi. Iklan itu dipasang di jalan.")
    []
    """
    if not isinstance(text, str):
        return []
    out = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if (
            classify_line(line) is not None
            or list_heading(line) is not None
            or match_read_also(line) is not None
            or GAMBAS_INLINE_RE.search(line)
            or EMAIL_PROTECTION_RE.search(line)
            or CRAWL_BAN_RE.search(line)
        ):
            out.append(line)
    return out


# --- element rules ------------------------------------------------------------------------------

# Splits class and id values into sub-tokens ("detail__body-tag" -> detail, body, tag).
_SUBTOKEN_SPLIT_RE = re.compile(r"[-_\s]+")
# Whole class tokens of "read also" containers, with a container suffix ("baca-juga-box").
_READ_ALSO_CLASS_RE = re.compile(
    r"(?:linksisip|lihatjg|baca[-_]?(?:juga|jg)|baca|read[-_]?also|lihat[-_]?juga"
    r"|(?:berita|artikel)[-_]?terkait|related(?:[-_]+(?:news|posts?|articles?|links?|content"
    r"|berita|box|list))?|(?:box|list)[-_]related)"
    r"(?:[-_]+(?:box|boxes|wrap|wrapper|container|list|block|widget|items?|links?|posts?))*",
    re.I,
)
# Sub-tokens of caption and photo-credit elements. A bare "credit" is a byline box on these
# portals (kompas "read__credit", tribun "credit", times "detail-credit"): a photo word must join it.
_CAPTION_TOKENS = frozenset(["caption", "figcaption", "keterangan", "photocredit", "fotocredit"])
_PHOTO_TOKENS = frozenset(["photo", "foto", "image", "img", "gambar", "picture"])
_AD_TOKENS = frozenset(
    [
        "ads",
        "ad",
        "iklan",
        "banner",
        "advertisement",
        "advertorial",
        "adsense",
        "advert",
        "adv",
        "adsbygoogle",
        "dfp",
        "parallaxindetail",
        "paradetail",
        "sponsor",
        "sponsored",
        "billboard",
        "leaderboard",
        "skyscraper",
    ]
)
_SHARE_TOKENS = frozenset(
    [
        "share",
        "sharing",
        "shares",
        "sharer",
        "social",
        "sosmed",
        "socmed",
        "addthis",
        "sharethis",
        "socialshare",
    ]
)
_LATEST_TOKENS = frozenset(
    [
        "terpopuler",
        "populer",
        "popular",
        "rekomendasi",
        "recommendation",
        "recommended",
        "trending",
        "terbaru",
        "latest",
        "terkini",
        "newest",
        "mostpopular",
    ]
)
_TAG_TOKENS = frozenset(["tag", "tags", "tagcloud", "taglist", "keywords"])
_EMBED_TOKENS = frozenset(["embed", "twitter", "tweet", "instagram", "tiktok"])
_COMMENT_TOKENS = frozenset(["comment", "comments", "komentar", "disqus"])
_PAGINATION_TOKENS = frozenset(["pagination", "paging", "pager"])
_META_IDS = frozenset(("penulis", "editor", "reporter", "pewarta", "kontributor"))


@lru_cache(maxsize=4096)
def classify_attrs(cls: str, ident: str) -> str | None:
    """What an element's class and id make it: a rule name, ``meta`` or None (ordinary).

    Ad, share and tag words must be whole tokens: "leads", "uploads", "threads" do not count.

    >>> classify_attrs("lihatjg", ""), classify_attrs("ads-slot", ""), classify_attrs("", "div-gpt-ad-1")
    ('read_also', 'ad_slot', 'ad_slot')
    >>> classify_attrs("leads uploads threads", "") is None
    True
    >>> classify_attrs("detail__media-caption", ""), classify_attrs("", "penulis")
    ('caption', 'meta')
    >>> classify_attrs("baca-juga-box", ""), classify_attrs("keterangan", "")
    ('read_also', 'caption')
    """
    low_cls = cls.lower()
    full = low_cls.split()
    ident_low = ident.lower().strip()
    if ident_low in _META_IDS or any(t in _META_IDS for t in full):
        return "meta"
    if any(_READ_ALSO_CLASS_RE.fullmatch(t) for t in full):
        return "read_also"
    subs = set(_SUBTOKEN_SPLIT_RE.split(low_cls + " " + ident_low))
    subs.discard("")
    if subs & _CAPTION_TOKENS or ("credit" in subs and subs & _PHOTO_TOKENS):
        return "caption"
    if subs & _AD_TOKENS:
        return "ad_slot"
    if subs & _SHARE_TOKENS:
        return "share_bar"
    if subs & _EMBED_TOKENS:
        return "embed"
    if subs & _LATEST_TOKENS:
        return "latest_list"
    if subs & _TAG_TOKENS:
        return "tags"
    if subs & _COMMENT_TOKENS:
        return "comments"
    if subs & _PAGINATION_TOKENS:
        return "pagination"
    return None
