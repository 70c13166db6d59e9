"""A small archive of Indonesian articles for the monitor and web tests (built with upsert)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from archive.db import open_archive
from archive.store import upsert_article

WIB = timezone(timedelta(hours=7))
HOSTILE_TITLE = '<script>window.__pwned = 1</script>Banjir <img src=x onerror="window.__pwned=2">'
HOSTILE_BODY = (
    "Warga melaporkan banjir di Gubeng.\n\n"
    '<script>window.__pwned = 3</script><img src=x onerror="window.__pwned=4">\n\n'
    '"><svg onload="window.__pwned=5"> =cmd|calc banjir lagi.'
)
LONG_PARA = (
    "Pemerintah Kota Surabaya bersama Badan Penanggulangan Bencana Daerah terus memantau "
    "kondisi di lapangan dan menyiapkan pompa air di sejumlah titik rawan genangan, sementara "
    "warga diminta tidak membuang sampah ke saluran air agar aliran tetap lancar. "
)

# key: (source, day in August 2024, title, body)
ARTICLES = {
    "banjir-ayani": (
        "surabayapagi",
        13,
        "Banjir Rendam Jalan Ahmad Yani Surabaya",
        "Hujan deras sejak sore membuat banjir merendam kawasan Jalan Ahmad Yani.\n\n"
        "Warga Surabaya mengeluhkan genangan setinggi lutut.\n\n" + LONG_PARA * 2,
    ),
    "cabai": (
        "surabayapagi",
        14,
        "Harga Cabai Naik di Pasar Keputran",
        "Harga cabai rawit di Pasar Keputran naik menjadi Rp80 ribu per kilogram.",
    ),
    "longsor": (
        "detik",
        13,
        "Longsor Tutup Jalur Malang-Kediri",
        "Tanah longsor menutup jalur penghubung Malang dan Kediri.\n\nPetugas BPBD membersihkan "
        "material longsor sejak pagi.",
    ),
    "banjir-pompa": (
        "kompas",
        15,
        "Pemkot Surabaya Siapkan Pompa Air Hadapi Banjir",
        "Pemerintah Kota Surabaya menyiapkan pompa air di sejumlah titik rawan banjir.\n\n"
        + LONG_PARA,
    ),
    "pilkada": (
        "tribunnews",
        16,
        "Pilkada Kota Batu Memanas",
        "Debat calon wali kota Batu berlangsung panas. Isu banjir dan sampah menjadi sorotan.",
    ),
    "hostile": ("surabayapagi", 16, HOSTILE_TITLE, HOSTILE_BODY),
}


def item(
    key: str, source: str, day: date, title: str, body: str, *, hour: int = 10
) -> dict[str, object]:
    """An article item dict as the crawler stores it."""
    published = datetime.combine(day, time(hour), tzinfo=WIB)
    return {
        "url": f"https://{source}.example/{day.isoformat()}/{key}",
        "canonical_url": f"https://{source}.example/{day.isoformat()}/{key}",
        "source": source,
        "title": title,
        "body": body,
        "description": body.split("\n")[0][:200],
        "authors": ["Moch Ilham"] if source == "surabayapagi" else [],
        "editor": "Redaksi" if source in ("surabayapagi", "detik") else None,
        "section": "Peristiwa",
        "tags": ["banjir", "surabaya"] if "banjir" in title.lower() else ["jatim"],
        "published_at": published.isoformat(),
        "published_raw": published.strftime("%d/%m/%Y %H:%M"),
        "published_source": "meta",
        "related_links": (
            [{"title": "Baca juga", "url": f"https://{source}.example/related/{key}"}]
            if source == "kompas"
            else []
        ),
        "language": "id",
        "fetched_at": (published + timedelta(hours=1)).isoformat(),
        "http_status": 200,
    }


def build_archive(url: str, *, daily: bool = True) -> dict[str, int]:
    """Store :data:`ARTICLES` (plus, with ``daily``, one routine surabayapagi and detik article
    every day from 1 to 20 August 2024 except detik on the 10th, a gap); return ids by key."""
    engine, session_factory = open_archive(url)
    ids: dict[str, int] = {}
    with session_factory.begin() as session:
        for key, (source, day, title, body) in ARTICLES.items():
            result = upsert_article(session, item(key, source, date(2024, 8, day), title, body))
            ids[key] = result.article_id
        if daily:
            for d in range(1, 21):
                for source in ("surabayapagi", "detik"):
                    if source == "detik" and d == 10:
                        continue
                    key = f"rutin-{source}-{d}"
                    body = f"Laporan harian lalu lintas kota nomor {d}. Kondisi jalan ramai lancar."
                    result = upsert_article(
                        session,
                        item(
                            key, source, date(2024, 8, d), f"Lalu lintas hari ke-{d}", body, hour=7
                        ),
                    )
                    ids[key] = result.article_id
    engine.dispose()
    return ids


def add_article(url: str, key: str, source: str, day: date, title: str, body: str) -> int:
    """Store one more article; return its id."""
    engine, session_factory = open_archive(url)
    with session_factory.begin() as session:
        result = upsert_article(session, item(key, source, day, title, body))
    engine.dispose()
    return result.article_id
