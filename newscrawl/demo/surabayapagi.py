"""A deterministic replica of the Surabaya Pagi portal (surabayapagi.com) for demos and e2e tests.

Only a few facts about the real portal are known (see ``docs``: article URLs
``/news-<id>-<slug>``, RSS at ``/feed``, tags ``/tag/<kw>?page=N``, search
``/search/<kw>/<page>``, ``article:published_time`` meta, the site name shown as author, the
reporter code glued to the last paragraph, the "Editor : ..." line). Everything else is a
plausible regional-portal page: navigation with dozens of links, ads, share bars, captions,
"BERITA TERBARU" and "Terpopuler" lists, comments widget, big footer.

The body markup varies across articles among three layouts so a crawler meets several:
``modern`` (``article.detail-content`` with ``<p>``), ``itemprop``
(``div[itemprop=articleBody]``, Baca Juga as a list box and as an upper-case line) and
``oldcms`` (``div.article-content`` with ``<br><br>`` paragraphs, NBSP, inline links).

Usage::

    replica = SurabayaPagiReplica()
    with ReplicaServer(replica) as server:     # sets replica.base_url = server.base_url
        replica.articles[0]["url"]              # http://127.0.0.1:PORT/news-240650-...

``replica.articles`` lists every article (oldest first) with the values a careful reader takes
from its page (``title``, ``published_at``, ``body`` ...). Nothing is random.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from newscrawl.demo.server import Response

__all__ = [
    "DEFAULT_BASE_URL",
    "Link",
    "PageContext",
    "Story",
    "SurabayaPagiReplica",
    "article_path",
    "body_text",
    "day_ref",
    "render_article_page",
    "rfc822",
    "slugify",
    "visible_date",
]

WIB = timezone(timedelta(hours=7))
SITE_NAME = "Surabaya Pagi"
SITE_DOMAIN = "surabayapagi.com"
DEFAULT_BASE_URL = "https://surabayapagi.com"
HTML_TYPE = "text/html; charset=UTF-8"

HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")  # datetime.weekday()
BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
BULAN_PENDEK = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
EN_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# runs of characters that are not ASCII letters or digits (slug separators)
_NON_SLUG_RE = re.compile(r"[^a-z0-9]+")
# an article path: /news-<id>-<slug>, optional trailing slash
_ARTICLE_RE = re.compile(r"^/news-(\d+)-([a-z0-9-]+)/?$")
# the AMP copy of an article: /amp/news-<id>-<slug>
_AMP_RE = re.compile(r"^/amp/news-(\d+)-([a-z0-9-]+)/?$")
# a tag listing: /tag/<kw>
_TAG_RE = re.compile(r"^/tag/([^/]+)/?$")
# a search result page: /search/<kw> or /search/<kw>/<page>
_SEARCH_RE = re.compile(r"^/search/([^/]+)(?:/(\d+))?/?$")
# a section listing: /kanal/<section> or /kanal/<section>/<region>
_KANAL_RE = re.compile(r"^/kanal/([a-z0-9-]+)(?:/([a-z0-9-]+))?/?$")
# the end of the first sentence of a paragraph (period, then a space and a capital or quote)
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"])")


# --------------------------------------------------------------------------------------------
# Small pure helpers
# --------------------------------------------------------------------------------------------
def slugify(text: str) -> str:
    """URL slug of a title or tag, as the portal builds it.

    >>> slugify("Polres Malang Jaga Netralitas dalam Pilkada Serentak 2024")
    'polres-malang-jaga-netralitas-dalam-pilkada-serentak-2024'
    >>> slugify("Hukum & Kriminal"), slugify("HUT RI ke-79"), slugify('Dishub: "Gratis"')
    ('hukum-kriminal', 'hut-ri-ke-79', 'dishub-gratis')
    """
    return _NON_SLUG_RE.sub("-", text.lower()).strip("-")


def visible_date(dt: datetime) -> str:
    """The date line shown under the headline.

    >>> visible_date(datetime(2024, 8, 13, 18, 13, 27, tzinfo=WIB))
    'Selasa, 13 Agu 2024 18:13 WIB'
    """
    dt = dt.astimezone(WIB)
    return (
        f"{HARI[dt.weekday()]}, {dt.day:02d} {BULAN_PENDEK[dt.month - 1]} {dt.year} "
        f"{dt.hour:02d}:{dt.minute:02d} WIB"
    )


def long_date(dt: datetime) -> str:
    """Day and date in full, as in the top bar.

    >>> long_date(datetime(2024, 8, 21, 9, 0, tzinfo=WIB))
    'Rabu, 21 Agustus 2024'
    """
    dt = dt.astimezone(WIB)
    return f"{HARI[dt.weekday()]}, {dt.day} {BULAN[dt.month - 1]} {dt.year}"


def day_ref(dt: datetime) -> str:
    """An in-text date reference ("Selasa (13/8)"): NOT a publication date for the reader.

    >>> day_ref(datetime(2024, 8, 13, 18, 13, tzinfo=WIB))
    'Selasa (13/8)'
    """
    dt = dt.astimezone(WIB)
    return f"{HARI[dt.weekday()]} ({dt.day}/{dt.month})"


def rfc822(dt: datetime) -> str:
    """RSS ``pubDate`` in RFC 822 with the WIB offset.

    >>> rfc822(datetime(2024, 8, 13, 18, 13, 27, tzinfo=WIB))
    'Tue, 13 Aug 2024 18:13:27 +0700'
    """
    dt = dt.astimezone(WIB)
    return (
        f"{EN_DAYS[dt.weekday()]}, {dt.day:02d} {EN_MONTHS[dt.month - 1]} {dt.year} "
        f"{dt:%H:%M:%S} +0700"
    )


def http_date(dt: datetime) -> str:
    """An HTTP ``Last-Modified`` value (GMT).

    >>> http_date(datetime(2024, 8, 13, 18, 13, 27, tzinfo=WIB))
    'Tue, 13 Aug 2024 11:13:27 GMT'
    """
    dt = dt.astimezone(UTC)
    return (
        f"{EN_DAYS[dt.weekday()]}, {dt.day:02d} {EN_MONTHS[dt.month - 1]} {dt.year} "
        f"{dt:%H:%M:%S} GMT"
    )


def article_path(article_id: int, slug: str) -> str:
    """Path of an article page.

    >>> article_path(241234, "polres-malang-jaga-netralitas")
    '/news-241234-polres-malang-jaga-netralitas'
    """
    return f"/news-{article_id}-{slug}"


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph (used as the meta description).

    >>> first_sentence("Harga turun. Pedagang senang.")
    'Harga turun.'
    >>> first_sentence("Tanpa titik")
    'Tanpa titik'
    """
    return _SENTENCE_END_RE.split(text, maxsplit=1)[0]


def baca_juga_slots(n_paragraphs: int, n_related: int) -> list[int]:
    """Indexes of the paragraphs after which a "Baca Juga" line goes (never after the last).

    >>> baca_juga_slots(5, 3), baca_juga_slots(7, 3), baca_juga_slots(8, 2)
    ([1, 3], [1, 3, 5], [1, 3])
    """
    return [s for s in (1, 3, 5)[:n_related] if s < n_paragraphs - 1]


def _t(text: str) -> str:
    """Escape a text node (quotes stay as typed)."""
    return html.escape(text, quote=False)


def _a(text: str) -> str:
    """Escape an attribute value."""
    return html.escape(text, quote=True)


# --------------------------------------------------------------------------------------------
# Portal data: navigation, people, the 36 articles
# --------------------------------------------------------------------------------------------
NAV_SECTIONS = (
    "Surabaya", "Jatim", "Nasional", "Politik", "Pemerintahan", "Hukum & Kriminal", "Ekbis",
    "Olahraga", "Pendidikan", "Kesehatan", "Gaya Hidup", "Kuliner & Wisata", "Teknologi",
    "Internasional", "Opini", "Foto", "Video",
)  # fmt: skip
JATIM_REGIONS = (
    "Malang", "Batu", "Sidoarjo", "Gresik", "Mojokerto", "Pasuruan", "Probolinggo", "Lumajang",
    "Jember", "Banyuwangi", "Situbondo", "Bondowoso", "Kediri", "Blitar", "Tulungagung",
    "Trenggalek", "Nganjuk", "Jombang", "Madiun", "Ngawi", "Magetan", "Ponorogo", "Pacitan",
    "Bojonegoro", "Tuban", "Lamongan", "Bangkalan", "Sampang", "Pamekasan", "Sumenep",
)  # fmt: skip
INFO_PAGES = (
    ("Redaksi", "redaksi"), ("Pedoman Media Siber", "pedoman-media-siber"),
    ("Tentang Kami", "tentang-kami"), ("Kontak", "kontak"), ("Disclaimer", "disclaimer"),
    ("Kebijakan Privasi", "kebijakan-privasi"), ("Info Iklan", "info-iklan"), ("Karir", "karir"),
    ("E-Paper", "epaper"),
)  # fmt: skip
SOCIAL = (
    ("Facebook", "https://www.facebook.com/surabayapagi"),
    ("Twitter", "https://twitter.com/surabayapagi"),
    ("Instagram", "https://www.instagram.com/surabayapagi"),
    ("YouTube", "https://www.youtube.com/@surabayapagi"),
    ("TikTok", "https://www.tiktok.com/@surabayapagi"),
)
EDITORS = (("Moch Ilham", "ham"), ("Desy Ayu", "dsy"), ("Ali Mahfud", "ali"))
CITY_CODES = {
    "Malang": "Ml", "Surabaya": "Sb", "Sidoarjo": "Sd", "Gresik": "Gr", "Kediri": "Kd",
    "Jember": "Jb", "Banyuwangi": "Bw", "Mojokerto": "Mj", "Pasuruan": "Ps", "Madiun": "Md",
    "Blitar": "Bl", "Tuban": "Tb", "Lamongan": "Lm", "Probolinggo": "Pb", "Batu": "Bt",
    "Bojonegoro": "Bj",
}  # fmt: skip

# Paragraph banks per topic; ``{city}`` is the dateline city. Each article takes its lead and
# quote, then 3 to 6 bank paragraphs chosen by its position (deterministic).
BANKS: dict[str, tuple[str, ...]] = {
    "pilkada": (
        "Pilkada Serentak 2024 dijadwalkan berlangsung pada 27 November 2024. Seluruh tahapan, mulai dari pemutakhiran data pemilih hingga pendaftaran pasangan calon, diawasi secara berlapis oleh penyelenggara dan aparat keamanan.",
        "Komisi Pemilihan Umum (KPU) {city} juga terus menggencarkan sosialisasi kepada pemilih pemula. Kelompok pelajar dan mahasiswa menjadi sasaran utama karena jumlahnya cukup besar dalam daftar pemilih.",
        "Di sisi lain, Badan Pengawas Pemilu (Bawaslu) {city} membuka posko pengaduan di setiap kecamatan. Warga yang menemukan dugaan pelanggaran, termasuk politik uang, diminta segera melapor dengan menyertakan bukti.",
        "Sejumlah partai politik di {city} hingga kini masih melakukan komunikasi untuk membangun koalisi. Nama-nama bakal calon yang beredar di masyarakat belum seluruhnya mendapat rekomendasi resmi dari pengurus pusat partai.",
        "Pengamat politik dari salah satu perguruan tinggi di Surabaya menilai tingkat partisipasi pemilih menjadi tantangan tersendiri. Menurutnya, jarak waktu yang dekat dengan Pemilu 2024 berpotensi menimbulkan kejenuhan di tengah masyarakat.",
        "Aparatur sipil negara, kepala desa, dan perangkat desa kembali diingatkan untuk tidak terlibat dalam kegiatan kampanye. Sanksi tegas menanti siapa saja yang terbukti melanggar aturan netralitas.",
        "Penyelenggara juga menyiapkan anggaran pengamanan dan logistik sesuai naskah perjanjian hibah daerah (NPHD). Pencairan anggaran dilakukan bertahap menyesuaikan kebutuhan setiap tahapan.",
    ),
    "transport": (
        "Dinas Perhubungan mencatat jumlah penumpang angkutan umum terus meningkat dalam beberapa bulan terakhir. Kenaikan paling tinggi terjadi pada jam berangkat kerja dan pulang sekolah.",
        "Pembayaran tiket kini dapat dilakukan secara nontunai menggunakan kartu uang elektronik maupun kode QR. Penumpang juga bisa memantau posisi armada secara langsung melalui aplikasi di telepon pintar.",
        "Sejumlah warga {city} menyambut baik perubahan tersebut. Mereka berharap waktu tunggu di halte bisa lebih singkat sehingga angkutan umum benar-benar menjadi pilihan utama.",
        "Selama masa uji coba, petugas akan mengevaluasi kepadatan lalu lintas di titik-titik rawan kemacetan. Hasil evaluasi menjadi dasar penambahan armada maupun penyesuaian jadwal keberangkatan.",
        "Pemerintah daerah juga menyiapkan kantong parkir di dekat halte utama. Langkah itu diharapkan mendorong pengguna kendaraan pribadi beralih ke transportasi publik.",
        "Untuk menjaga keselamatan, seluruh pengemudi wajib menjalani pemeriksaan kesehatan sebelum bertugas. Kondisi armada juga diperiksa secara berkala di bengkel milik operator.",
    ),
    "bencana": (
        "Badan Penanggulangan Bencana Daerah (BPBD) {city} telah menyiagakan personel dan peralatan di sejumlah titik rawan. Koordinasi dilakukan bersama TNI, Polri, relawan, serta pemerintah desa.",
        "Warga diminta tetap waspada dan segera melapor ke posko terdekat jika melihat tanda-tanda bahaya. Informasi terkini juga disampaikan melalui media sosial resmi pemerintah daerah.",
        "Berdasarkan prakiraan Badan Meteorologi, Klimatologi, dan Geofisika (BMKG), puncak musim kemarau di Jawa Timur diperkirakan terjadi pada Agustus hingga September. Kondisi itu membuat sejumlah wilayah rentan mengalami kekeringan dan kebakaran lahan.",
        "Hingga kini belum ada laporan korban jiwa. Petugas masih mendata kerugian materiil yang dialami warga untuk diteruskan kepada dinas terkait.",
        "Bantuan logistik berupa air bersih, makanan siap saji, dan terpal telah disalurkan kepada warga terdampak. Distribusi akan dilanjutkan secara bertahap sesuai kebutuhan di lapangan.",
        "Pemerintah daerah berencana memperkuat mitigasi jangka panjang, termasuk pembangunan sumur bor dan perbaikan saluran. Usulan anggarannya akan dibahas dalam APBD tahun depan.",
    ),
    "kriminal": (
        "Dari tangan tersangka, petugas menyita sejumlah barang bukti yang kini diamankan di markas kepolisian. Polisi masih mendalami kemungkinan adanya pelaku lain yang terlibat.",
        "Tersangka dijerat dengan pasal berlapis dengan ancaman hukuman di atas lima tahun penjara. Penyidik juga berkoordinasi dengan kejaksaan agar berkas perkara segera dilimpahkan.",
        "Polisi mengimbau masyarakat {city} lebih berhati-hati dan tidak mudah tergiur tawaran yang tidak masuk akal. Warga yang merasa menjadi korban diminta segera membuat laporan ke kantor polisi terdekat.",
        "Pengungkapan kasus tersebut bermula dari laporan warga yang curiga dengan aktivitas pelaku. Petugas kemudian melakukan penyelidikan selama hampir dua pekan sebelum melakukan penangkapan.",
        "Kasus serupa tercatat beberapa kali terjadi di wilayah hukum setempat sepanjang tahun ini. Kepolisian berjanji meningkatkan patroli, terutama pada malam hari di kawasan permukiman.",
        "Saat ini tersangka ditahan di rumah tahanan kepolisian untuk kepentingan penyidikan lebih lanjut. Penyidik juga memeriksa sejumlah saksi guna melengkapi berkas perkara.",
    ),
    "ekonomi": (
        "Berdasarkan pantauan di lapangan, pasokan dari petani dan distributor relatif lancar. Kondisi itu membuat harga di tingkat pedagang eceran cenderung stabil dalam sepekan terakhir.",
        "Dinas Perindustrian dan Perdagangan {city} rutin melakukan pemantauan harga di pasar-pasar tradisional. Data tersebut dilaporkan setiap hari kepada tim pengendalian inflasi daerah.",
        "Sejumlah pedagang mengaku omzet mereka belum sepenuhnya pulih. Daya beli masyarakat dinilai masih tertahan karena kebutuhan biaya sekolah anak pada awal tahun ajaran baru.",
        "Pemerintah daerah juga mendorong pelaku usaha mikro, kecil, dan menengah (UMKM) memanfaatkan pemasaran digital. Pelatihan gratis digelar bekerja sama dengan perbankan dan perguruan tinggi.",
        "Bank Indonesia Perwakilan Jawa Timur mencatat inflasi tahunan di provinsi ini masih berada dalam rentang sasaran. Komoditas pangan bergejolak tetap menjadi perhatian utama dalam rapat koordinasi daerah.",
        "Warga berharap harga kebutuhan pokok tetap terjangkau dalam beberapa bulan ke depan. Pemerintah daerah menyatakan siap menggelar operasi pasar jika terjadi lonjakan harga.",
    ),
    "olahraga": (
        "Pelatih kepala menegaskan seluruh pemain dalam kondisi bugar. Hanya satu pemain yang masih menjalani pemulihan cedera dan diperkirakan absen dalam beberapa pekan ke depan.",
        "Tim pelatih memberikan porsi latihan khusus untuk memperbaiki penyelesaian akhir. Sejumlah peluang yang terbuang dalam pertandingan sebelumnya menjadi bahan evaluasi.",
        "Manajemen klub juga mengimbau suporter tertib saat menyaksikan pertandingan di stadion. Penjualan tiket dilakukan secara daring untuk menghindari penumpukan antrean di loket.",
        "Laga berikutnya diprediksi berlangsung ketat mengingat kedua tim sama-sama membutuhkan poin. Dalam lima pertemuan terakhir, hasil kedua kesebelasan relatif berimbang.",
        "Aparat kepolisian setempat menyiapkan ratusan personel untuk mengamankan setiap pertandingan kandang. Pengaturan arus lalu lintas di sekitar stadion diberlakukan sejak siang hari.",
        "Sejumlah pemain muda jebolan akademi klub mulai mendapat kepercayaan tampil. Manajemen berharap regenerasi pemain berjalan lancar tanpa mengorbankan target prestasi.",
    ),
    "kesehatan": (
        "Dinas Kesehatan {city} menyiagakan puskesmas dan rumah sakit rujukan untuk menangani pasien. Masyarakat diminta tidak ragu memeriksakan diri jika mengalami gejala.",
        "Petugas kesehatan bersama kader posyandu melakukan kunjungan dari rumah ke rumah. Kegiatan itu sekaligus menjadi sarana edukasi pola hidup bersih dan sehat bagi keluarga.",
        "Pemerintah daerah menargetkan cakupan layanan kesehatan dasar mencapai lebih dari 95 persen tahun ini. Anggaran tambahan disiapkan untuk pengadaan alat kesehatan di puskesmas.",
        "Warga yang belum terdaftar sebagai peserta Jaminan Kesehatan Nasional (JKN) diminta segera mendaftar. Iuran peserta dari keluarga kurang mampu ditanggung oleh pemerintah daerah.",
        "Menurut data dinas, sebagian besar kasus ditemukan di kawasan padat penduduk. Karena itu, kegiatan pemantauan difokuskan di wilayah tersebut dengan melibatkan pengurus RT dan RW.",
        "Pihak dinas juga menggandeng organisasi kemasyarakatan dan tokoh agama untuk memperluas sosialisasi. Pesan kesehatan disampaikan melalui pengajian, arisan, hingga kegiatan PKK.",
    ),
    "pendidikan": (
        "Dinas Pendidikan {city} memastikan program tersebut menyasar siswa dari keluarga kurang mampu dan berprestasi. Proses seleksi dilakukan secara terbuka melalui sekolah masing-masing.",
        "Kepala sekolah diminta aktif mendata siswa yang membutuhkan bantuan. Data itu kemudian diverifikasi oleh tim dari dinas agar bantuan tepat sasaran.",
        "Para guru juga mendapat pelatihan untuk menyesuaikan metode pembelajaran. Penggunaan teknologi digital di kelas menjadi salah satu materi yang paling banyak diminati.",
        "Sejumlah orang tua murid menyambut baik kebijakan tersebut. Mereka berharap beban biaya pendidikan anak bisa berkurang, terutama untuk kebutuhan seragam dan buku.",
        "Pemerintah daerah juga mengalokasikan anggaran untuk rehabilitasi ruang kelas yang rusak. Perbaikan diprioritaskan bagi sekolah yang kondisinya membahayakan keselamatan siswa.",
        "Dewan Pendidikan setempat meminta program itu dievaluasi secara berkala. Evaluasi dinilai penting agar manfaatnya benar-benar dirasakan oleh siswa dan sekolah.",
    ),
    "pemerintahan": (
        "Rapat paripurna dihadiri unsur forum koordinasi pimpinan daerah, tokoh masyarakat, dan perwakilan organisasi kemasyarakatan. Jalannya acara mendapat pengamanan dari aparat kepolisian setempat.",
        "Pemerintah daerah berharap hubungan dengan legislatif terjalin baik agar program pembangunan berjalan lancar. Sejumlah program prioritas, seperti perbaikan jalan dan penanganan kemiskinan, membutuhkan dukungan anggaran.",
        "Pembahasan rancangan APBD Perubahan tahun 2024 dijadwalkan berlangsung dalam waktu dekat. Badan anggaran akan meneliti setiap usulan dari organisasi perangkat daerah.",
        "Masyarakat {city} berharap para wakil rakyat dan pemerintah daerah lebih peka terhadap persoalan di lapangan. Aspirasi warga, mulai dari jalan rusak hingga banjir, diharapkan segera ditindaklanjuti.",
        "Sekretariat daerah memastikan seluruh proses administrasi telah dipersiapkan sesuai ketentuan. Dokumen pendukung juga telah diserahkan kepada pemerintah provinsi untuk dievaluasi.",
        "Pengamat kebijakan publik menilai transparansi anggaran menjadi kunci kepercayaan masyarakat. Ia mendorong dokumen anggaran diunggah ke laman resmi pemerintah daerah agar mudah diakses.",
    ),
    "kemerdekaan": (
        'Peringatan HUT ke-79 Republik Indonesia tahun ini mengusung tema "Nusantara Baru, Indonesia Maju". Tema tersebut juga diterjemahkan dalam berbagai kegiatan di tingkat kampung dan desa.',
        "Beragam lomba tradisional seperti balap karung, tarik tambang, dan panjat pinang digelar untuk anak-anak hingga orang dewasa. Warga antusias mengikuti setiap kegiatan meski cuaca cukup terik.",
        "Pemerintah daerah mengimbau warga mengibarkan bendera Merah Putih di rumah, kantor, dan tempat usaha selama bulan Agustus. Imbauan itu disampaikan melalui surat edaran kepada camat dan lurah.",
        "Aparat keamanan juga menyiapkan pengaturan lalu lintas di sekitar lokasi kegiatan. Pengendara diimbau mencari jalur alternatif untuk menghindari kepadatan.",
        "Menurut panitia, kegiatan tersebut dibiayai secara swadaya dari iuran warga dan bantuan pelaku usaha setempat. Semangat gotong royong dinilai menjadi inti dari perayaan kemerdekaan.",
        "Tokoh masyarakat {city} berharap semangat kemerdekaan tidak berhenti pada kemeriahan lomba. Nilai persatuan dan kepedulian terhadap sesama perlu terus dijaga dalam kehidupan sehari-hari.",
    ),
}
CAPTIONS = {
    "pilkada": "Petugas penyelenggara pemilu di {city} menyiapkan perlengkapan sosialisasi Pilkada Serentak 2024.",
    "transport": "Armada angkutan umum melintas di salah satu ruas jalan utama di {city}.",
    "bencana": "Petugas BPBD {city} meninjau lokasi terdampak bersama relawan.",
    "kriminal": "Tersangka beserta barang bukti dihadirkan saat rilis kasus di markas kepolisian di {city}.",
    "ekonomi": "Pedagang melayani pembeli di salah satu pasar tradisional di {city}.",
    "olahraga": "Para pemain menjalani sesi latihan di {city}.",
    "kesehatan": "Petugas kesehatan memberikan layanan kepada warga di {city}.",
    "pendidikan": "Suasana kegiatan belajar mengajar di salah satu sekolah di {city}.",
    "pemerintahan": "Suasana rapat paripurna di gedung DPRD {city}.",
    "kemerdekaan": "Warga {city} memeriahkan peringatan HUT ke-79 RI.",
}

# (title, dateline city, section, tags, topic, lead, quote) in publication order;
# ``{day_ref}`` becomes the in-text day reference of the publication day ("Selasa (13/8)").
ARTICLE_DATA: tuple[tuple[str, str, str, tuple[str, ...], str, str, str], ...] = (
    ("Kemarau Panjang, 12 Desa di Bojonegoro Krisis Air Bersih", "Bojonegoro", "Jatim",
     ("Kekeringan", "BPBD", "Jawa Timur"), "bencana",
     "Musim kemarau yang berkepanjangan membuat 12 desa di Kabupaten Bojonegoro mengalami krisis air bersih. Sumur warga mulai mengering sejak pertengahan Juli sehingga warga harus membeli air dari pedagang keliling.",
     '"Kami sudah mengirimkan bantuan air bersih sebanyak 60 tangki ke desa-desa terdampak," kata Kepala Pelaksana BPBD Bojonegoro, Sutrisno Hadi, {day_ref}.'),
    ("KPU Kota Malang Tetapkan 640 Ribu Pemilih dalam DPS Pilkada 2024", "Malang", "Politik",
     ("Pilkada", "KPU", "Kota Malang"), "pilkada",
     "Komisi Pemilihan Umum (KPU) Kota Malang menetapkan daftar pemilih sementara (DPS) Pilkada Serentak 2024 sebanyak 640.512 orang. Penetapan dilakukan dalam rapat pleno terbuka yang dihadiri perwakilan partai politik dan Bawaslu.",
     '"Masyarakat bisa mengecek namanya di DPS yang kami umumkan di kantor kelurahan masing-masing," ujar Ketua KPU Kota Malang, Aminah Rosyidah, {day_ref}.'),
    ("Suroboyo Bus Tambah Rute ke Terminal Benowo Mulai Pekan Depan", "Surabaya", "Surabaya",
     ("Suroboyo Bus", "Dishub Surabaya", "Transportasi"), "transport",
     "Dinas Perhubungan Kota Surabaya menambah rute Suroboyo Bus menuju Terminal Benowo mulai pekan depan. Rute baru itu akan melayani warga di kawasan Surabaya barat yang selama ini minim angkutan umum.",
     '"Ada enam armada yang kami siapkan untuk rute ini dengan waktu tunggu sekitar 20 menit," kata Kepala Dishub Surabaya, Teguh Santoso, {day_ref}.'),
    ("Polresta Sidoarjo Bongkar Sindikat Curanmor Lintas Kabupaten", "Sidoarjo", "Hukum & Kriminal",
     ("Curanmor", "Polresta Sidoarjo", "Jawa Timur"), "kriminal",
     "Satreskrim Polresta Sidoarjo membongkar sindikat pencurian kendaraan bermotor (curanmor) yang beraksi di tiga kabupaten. Empat orang tersangka ditangkap di tempat persembunyiannya di Kecamatan Porong.",
     '"Para tersangka sudah beraksi di 17 lokasi, mulai dari Sidoarjo, Pasuruan, hingga Mojokerto," kata Kasatreskrim Polresta Sidoarjo, AKP Dimas Prasetyo, {day_ref}.'),
    ("Harga Bawang Merah di Pasar Kediri Turun Jelang Panen Raya", "Kediri", "Ekbis",
     ("Harga Pangan", "Pasar Tradisional", "Jawa Timur"), "ekonomi",
     "Harga bawang merah di sejumlah pasar tradisional di Kediri mulai turun menjelang panen raya di sentra produksi. Di Pasar Setonobetek, harga bawang merah kini berkisar Rp 28.000 per kilogram, turun dari sebelumnya Rp 35.000.",
     '"Pasokan dari Nganjuk dan Probolinggo sudah mulai banyak, jadi harga ikut turun," kata Siti Aminah, salah satu pedagang, {day_ref}.'),
    ("Persebaya Jalani Uji Coba Terakhir Sebelum Liga 1 Bergulir", "Surabaya", "Olahraga",
     ("Persebaya", "Liga 1", "Surabaya"), "olahraga",
     "Persebaya Surabaya menjalani uji coba terakhir sebelum kompetisi Liga 1 musim 2024/2025 bergulir. Laga uji coba digelar tertutup di Surabaya dan berakhir dengan kemenangan 3-1.",
     '"Kami ingin melihat kesiapan pemain sebelum laga resmi. Secara umum hasilnya memuaskan," kata asisten pelatih Persebaya, Rudi Kurniawan, {day_ref}.'),
    ("Dinkes Jember Catat Kasus DBD Menurun Dibanding Tahun Lalu", "Jember", "Kesehatan",
     ("DBD", "Dinkes", "Jawa Timur"), "kesehatan",
     "Dinas Kesehatan Kabupaten Jember mencatat kasus demam berdarah dengue (DBD) sepanjang Januari hingga Juli 2024 menurun dibanding periode yang sama tahun lalu. Tercatat 412 kasus, jauh lebih sedikit dari 690 kasus pada tahun sebelumnya.",
     '"Gerakan satu rumah satu jumantik mulai menunjukkan hasil," kata Kepala Bidang Pencegahan dan Pengendalian Penyakit Dinkes Jember, dr. Lilik Handayani, {day_ref}.'),
    ("Bawaslu Gresik Ingatkan Kepala Desa Tak Ikut Politik Praktis", "Gresik", "Politik",
     ("Pilkada", "Bawaslu", "Netralitas ASN"), "pilkada",
     "Badan Pengawas Pemilu (Bawaslu) Kabupaten Gresik mengingatkan seluruh kepala desa agar tidak terlibat politik praktis menjelang Pilkada Serentak 2024. Imbauan itu disampaikan dalam rapat koordinasi bersama Asosiasi Kepala Desa (AKD) setempat.",
     '"Kepala desa dilarang membuat keputusan yang menguntungkan salah satu bakal calon. Kalau terbukti, ada sanksi pidana," tegas Ketua Bawaslu Gresik, Nur Kholis, {day_ref}.'),
    ("Karhutla di Lereng Gunung Arjuno Meluas, Ratusan Relawan Dikerahkan", "Batu", "Jatim",
     ("Karhutla", "BPBD", "Jawa Timur"), "bencana",
     "Kebakaran hutan dan lahan (karhutla) di lereng Gunung Arjuno terus meluas. Hingga kini, api telah menghanguskan sekitar 150 hektare hutan di wilayah Kota Batu dan sekitarnya.",
     '"Medan yang curam dan angin kencang menjadi kendala utama pemadaman," kata Kepala Pelaksana BPBD Kota Batu, Agung Priyono, {day_ref}.'),
    ("Pemkot Surabaya Gelar Operasi Pasar Murah di 31 Kecamatan", "Surabaya", "Ekbis",
     ("Pasar Murah", "Harga Pangan", "Surabaya"), "ekonomi",
     "Pemerintah Kota Surabaya menggelar operasi pasar murah secara serentak di 31 kecamatan. Warga dapat membeli beras, minyak goreng, dan gula pasir dengan harga di bawah harga pasar.",
     '"Setiap warga bisa membeli beras premium seharga Rp 62.000 per lima kilogram," kata Kepala Dinas Perdagangan Surabaya, Hendro Wibowo, {day_ref}.'),
    ("Dua Pengedar Sabu Diringkus Satresnarkoba Polres Malang", "Malang", "Hukum & Kriminal",
     ("Narkoba", "Polres Malang", "Jawa Timur"), "kriminal",
     "Satresnarkoba Polres Malang meringkus dua pengedar sabu di wilayah Kecamatan Singosari. Dari tangan keduanya, polisi menyita 45 gram sabu yang sudah dikemas dalam paket-paket kecil.",
     '"Kedua tersangka merupakan jaringan lama yang sudah kami pantau sejak Juni," kata Kasatresnarkoba Polres Malang, AKP Yudi Santoso, {day_ref}.'),
    ("Partai Politik Mulai Petakan Bakal Calon Bupati Kediri", "Kediri", "Politik",
     ("Pilkada", "Partai Politik", "Jawa Timur"), "pilkada",
     "Partai-partai politik di Kabupaten Kediri mulai memetakan bakal calon bupati yang akan diusung dalam Pilkada Serentak 2024. Sedikitnya lima nama telah menjalani penjaringan di internal partai.",
     '"Kami masih menunggu keputusan dewan pimpinan pusat. Komunikasi dengan partai lain terus berjalan," ujar Sekretaris DPC salah satu partai di Kediri, Arif Budiman, {day_ref}.'),
    ("Ratusan Siswa SD di Banyuwangi Terima Beasiswa Pendidikan", "Banyuwangi", "Pendidikan",
     ("Beasiswa", "Pendidikan", "Jawa Timur"), "pendidikan",
     "Sebanyak 750 siswa sekolah dasar di Banyuwangi menerima beasiswa pendidikan dari pemerintah daerah tahun ini. Bantuan diberikan dalam bentuk uang tunai untuk membeli perlengkapan sekolah.",
     '"Kami tidak ingin ada anak yang putus sekolah karena alasan biaya," kata Kepala Dinas Pendidikan Banyuwangi, Suratno, {day_ref}.'),
    ("Perbaikan Jalan Nasional Sidoarjo-Porong Ditargetkan Rampung Akhir Agustus", "Sidoarjo", "Jatim",
     ("Infrastruktur", "Transportasi", "Jawa Timur"), "transport",
     "Perbaikan jalan nasional ruas Sidoarjo-Porong ditargetkan rampung pada akhir Agustus 2024. Pengerjaan dilakukan pada malam hari untuk mengurangi dampak kemacetan di jalur utama menuju Pasuruan dan Malang.",
     '"Progres fisik saat ini sudah mencapai 80 persen," kata pejabat pembuat komitmen Balai Besar Pelaksanaan Jalan Nasional Jawa Timur-Bali, Andi Saputra, {day_ref}.'),
    ("Arema FC Fokus Benahi Lini Belakang Jelang Laga Kandang", "Malang", "Olahraga",
     ("Arema FC", "Liga 1", "Jawa Timur"), "olahraga",
     "Arema FC fokus membenahi lini belakang jelang laga kandang perdana di Liga 1 musim 2024/2025. Tim pelatih menilai koordinasi antarpemain bertahan masih perlu ditingkatkan.",
     '"Kami kebobolan dari situasi bola mati di uji coba. Itu yang kami perbaiki sepekan ini," kata asisten pelatih Arema FC, Hendra Gunawan, {day_ref}.'),
    ("Banjir Rob Genangi Permukiman Pesisir Kenjeran", "Surabaya", "Surabaya",
     ("Banjir Rob", "BPBD", "Surabaya"), "bencana",
     "Banjir rob menggenangi permukiman warga di pesisir Kenjeran, Surabaya. Air laut pasang masuk ke rumah warga dengan ketinggian 20 hingga 40 sentimeter sejak dini hari.",
     '"Setiap bulan purnama pasti begini, tapi kali ini airnya lebih tinggi," kata Suwarni, warga Kelurahan Sukolilo Baru, {day_ref}.'),
    ("Posyandu di Mojokerto Digerakkan untuk Tekan Angka Stunting", "Mojokerto", "Kesehatan",
     ("Stunting", "Posyandu", "Jawa Timur"), "kesehatan",
     "Pemerintah Kabupaten Mojokerto menggerakkan seluruh posyandu untuk menekan angka stunting. Setiap balita ditimbang dan diukur tinggi badannya secara rutin setiap bulan.",
     '"Target kami angka stunting turun di bawah 14 persen pada akhir tahun," kata Kepala Dinas Kesehatan Kabupaten Mojokerto, dr. Ratna Dewi, {day_ref}.'),
    ("Netralitas ASN Jadi Sorotan, Pemkab Jember Terbitkan Surat Edaran", "Jember", "Politik",
     ("Pilkada", "Netralitas ASN", "Jawa Timur"), "pilkada",
     "Pemerintah Kabupaten Jember menerbitkan surat edaran tentang netralitas aparatur sipil negara (ASN) menjelang Pilkada Serentak 2024. ASN dilarang mengunggah, menyukai, atau membagikan konten kampanye bakal calon di media sosial.",
     '"Pelanggaran sekecil apa pun akan kami tindak sesuai aturan kepegawaian," kata Sekretaris Daerah Jember, Bambang Sutejo, {day_ref}.'),
    ("Penipuan Berkedok Lowongan Kerja Online Marak, Polisi Imbau Warga Waspada", "Surabaya", "Hukum & Kriminal",
     ("Penipuan Online", "Polrestabes Surabaya", "Surabaya"), "kriminal",
     "Polrestabes Surabaya menerima belasan laporan penipuan berkedok lowongan kerja daring dalam sebulan terakhir. Para korban diminta mentransfer sejumlah uang dengan dalih biaya pelatihan dan seragam.",
     '"Perusahaan resmi tidak pernah memungut biaya dalam proses rekrutmen," kata Kasat Reskrim Polrestabes Surabaya, AKBP Fajar Ramadhan, {day_ref}.'),
    ("UMKM Batik Gedog Tuban Tembus Pasar Ekspor", "Tuban", "Ekbis",
     ("UMKM", "Ekspor", "Jawa Timur"), "ekonomi",
     "Produk batik tulis gedog dari Kabupaten Tuban berhasil menembus pasar ekspor. Sebanyak 300 lembar kain dikirim ke Jepang dan Belanda melalui kerja sama dengan eksportir di Surabaya.",
     '"Motif dan pewarna alami menjadi daya tarik utama bagi pembeli luar negeri," kata pemilik usaha batik di Kecamatan Kerek, Sri Wahyuni, {day_ref}.'),
    ("Trans Jatim Buka Koridor Baru Rute Gresik-Lamongan", "Gresik", "Jatim",
     ("Trans Jatim", "Transportasi", "Jawa Timur"), "transport",
     "Bus Trans Jatim kini melayani koridor baru rute Gresik-Lamongan. Tarif umum ditetapkan Rp 5.000, sedangkan pelajar dan santri cukup membayar Rp 2.500.",
     '"Antusiasme warga sangat tinggi. Pada hari pertama tercatat lebih dari 3.000 penumpang," kata Kepala UPT Angkutan Dishub Jatim, Wahyu Hidayat, {day_ref}.'),
    ("Persik Kediri Tatap Laga Perdana dengan Skuad Muda", "Kediri", "Olahraga",
     ("Persik Kediri", "Liga 1", "Jawa Timur"), "olahraga",
     "Persik Kediri akan menjalani laga perdana Liga 1 dengan mengandalkan sejumlah pemain muda. Manajemen menyebut komposisi skuad musim ini merupakan yang termuda dalam lima tahun terakhir.",
     '"Pemain muda kami punya semangat tinggi dan siap bersaing," kata manajer Persik Kediri, Dedi Sulistyo, {day_ref}.'),
    ("Sekolah di Pasuruan Terapkan Kurikulum Merdeka Secara Penuh", "Pasuruan", "Pendidikan",
     ("Kurikulum Merdeka", "Pendidikan", "Jawa Timur"), "pendidikan",
     "Seluruh sekolah dasar dan menengah pertama di Kabupaten Pasuruan menerapkan Kurikulum Merdeka secara penuh pada tahun ajaran 2024/2025. Sebelumnya, penerapan dilakukan bertahap sejak 2022.",
     '"Guru-guru sudah kami bekali melalui pelatihan dan komunitas belajar," kata Kepala Dinas Pendidikan Kabupaten Pasuruan, Heru Prasetyo, {day_ref}.'),
    ("Anggota DPRD Gresik Periode 2024-2029 Resmi Dilantik", "Gresik", "Pemerintahan",
     ("DPRD", "Pelantikan", "Jawa Timur"), "pemerintahan",
     "Sebanyak 50 anggota DPRD Kabupaten Gresik periode 2024-2029 resmi dilantik dalam rapat paripurna istimewa. Pengambilan sumpah dan janji dipimpin oleh Ketua Pengadilan Negeri Gresik.",
     '"Kami berharap anggota dewan yang baru segera bekerja menyerap aspirasi masyarakat," kata Sekretaris DPRD Gresik, Imam Syafii, {day_ref}.'),
    ("Warga Kampung di Surabaya Hias Gang Sambut HUT RI ke-79", "Surabaya", "Surabaya",
     ("HUT RI ke-79", "Kampung", "Surabaya"), "kemerdekaan",
     "Warga di sejumlah kampung di Surabaya berlomba menghias gang untuk menyambut HUT ke-79 Republik Indonesia. Bendera, umbul-umbul, dan mural bertema perjuangan menghiasi sudut-sudut kampung.",
     '"Semua dikerjakan bersama-sama, dananya dari iuran warga," kata Ketua RT 05 Kelurahan Tambaksari, Slamet Riyadi, {day_ref}.'),
    ("Kirab Bendera Merah Putih Sepanjang 1 Kilometer Meriahkan Kota Blitar", "Blitar", "Jatim",
     ("HUT RI ke-79", "Budaya", "Jawa Timur"), "kemerdekaan",
     "Kirab bendera Merah Putih sepanjang satu kilometer memeriahkan peringatan HUT ke-79 RI di Kota Blitar. Ribuan pelajar, anggota TNI-Polri, dan warga mengarak bendera raksasa itu dari alun-alun menuju Makam Bung Karno.",
     '"Kirab ini menjadi pengingat bahwa Blitar adalah kota yang lekat dengan sejarah proklamasi," kata Kepala Dinas Pariwisata dan Kebudayaan Kota Blitar, Yuli Astuti, {day_ref}.'),
    ("Pemkot Madiun Alokasikan Rp 12 Miliar untuk Perbaikan Drainase", "Madiun", "Pemerintahan",
     ("APBD", "Infrastruktur", "Jawa Timur"), "pemerintahan",
     "Pemerintah Kota Madiun mengalokasikan anggaran Rp 12 miliar untuk perbaikan drainase dalam rancangan APBD Perubahan 2024. Perbaikan difokuskan di kawasan yang kerap tergenang saat musim hujan.",
     '"Kami ingin pekerjaan selesai sebelum musim hujan tiba pada November," kata Kepala Dinas Pekerjaan Umum dan Penataan Ruang Kota Madiun, Agus Setiawan, {day_ref}.'),
    ("Gladi Bersih Upacara HUT RI ke-79 Digelar di Gedung Negara Grahadi", "Surabaya", "Surabaya",
     ("HUT RI ke-79", "Upacara", "Surabaya"), "kemerdekaan",
     "Gladi bersih upacara peringatan HUT ke-79 RI digelar di halaman Gedung Negara Grahadi, Surabaya. Pasukan pengibar bendera pusaka (Paskibraka) Jawa Timur berlatih sejak pagi hingga siang hari.",
     '"Semua petugas sudah siap. Kami berharap upacara besok berjalan lancar dan khidmat," kata pelatih Paskibraka Jatim, Rahmat Hidayat, {day_ref}.'),
    ("Ribuan Warga Ikuti Upacara Kemerdekaan di Alun-Alun Jember", "Jember", "Jatim",
     ("HUT RI ke-79", "Upacara", "Jawa Timur"), "kemerdekaan",
     "Ribuan warga mengikuti upacara peringatan HUT ke-79 RI di Alun-Alun Jember. Upacara berlangsung khidmat meski peserta harus berdiri di bawah terik matahari.",
     '"Ini tahun pertama saya ikut upacara di alun-alun, rasanya bangga sekali," kata Nadia Putri, pelajar SMA yang datang bersama teman-temannya, {day_ref}.'),
    ("Lomba Panjat Pinang dan Balap Karung Warnai Agustusan di Lamongan", "Lamongan", "Jatim",
     ("HUT RI ke-79", "Lomba Agustusan", "Jawa Timur"), "kemerdekaan",
     "Lomba panjat pinang dan balap karung mewarnai perayaan HUT ke-79 RI di sejumlah desa di Lamongan. Hadiah berupa sepeda, alat rumah tangga, hingga kambing disediakan panitia.",
     '"Yang paling ramai tetap panjat pinang, penontonnya sampai dari desa tetangga," kata Ketua Panitia Agustusan Desa Sugio, Muhammad Faizin, {day_ref}.'),
    ("Polda Jatim Siagakan Ribuan Personel Amankan Pendaftaran Calon Kepala Daerah", "Surabaya", "Politik",
     ("Pilkada", "Polda Jatim", "Jawa Timur"), "pilkada",
     "Kepolisian Daerah Jawa Timur menyiagakan ribuan personel untuk mengamankan tahapan pendaftaran pasangan calon kepala daerah pada akhir Agustus. Pengamanan difokuskan di kantor-kantor KPU di 38 kabupaten dan kota.",
     '"Kami petakan potensi kerawanan di setiap daerah, termasuk pengerahan massa saat pendaftaran," kata Kabid Humas Polda Jatim, Kombes Pol Wahyu Nugroho, {day_ref}.'),
    ("Harga Beras Medium di Jatim Stabil, Bulog Pastikan Stok Aman", "Surabaya", "Ekbis",
     ("Harga Pangan", "Bulog", "Jawa Timur"), "ekonomi",
     "Harga beras medium di pasar-pasar Jawa Timur terpantau stabil dalam sepekan terakhir. Perum Bulog Kantor Wilayah Jawa Timur memastikan stok beras di gudang mencukupi hingga akhir tahun.",
     '"Stok kami saat ini sekitar 400 ribu ton dan terus kami salurkan lewat program stabilisasi harga," kata Pemimpin Wilayah Bulog Jatim, Heru Susanto, {day_ref}.'),
    ("Angin Kencang Robohkan Puluhan Baliho di Sidoarjo", "Sidoarjo", "Jatim",
     ("Angin Kencang", "BPBD", "Jawa Timur"), "bencana",
     "Angin kencang yang melanda Sidoarjo merobohkan puluhan baliho dan papan reklame di sejumlah ruas jalan. Beberapa di antaranya menimpa kendaraan yang sedang melintas.",
     '"Kami bersama satpol PP sudah menertibkan baliho yang rawan roboh," kata Kepala Pelaksana BPBD Sidoarjo, Dwi Handoko, {day_ref}.'),
    ("Persebaya Petik Kemenangan Kandang di Gelora Bung Tomo", "Surabaya", "Olahraga",
     ("Persebaya", "Liga 1", "Surabaya"), "olahraga",
     "Persebaya Surabaya memetik kemenangan 2-0 atas tamunya dalam lanjutan Liga 1 di Stadion Gelora Bung Tomo. Dua gol tuan rumah dicetak pada babak kedua.",
     '"Anak-anak bermain disiplin dan sabar menunggu peluang," kata asisten pelatih Persebaya, Rudi Kurniawan, usai pertandingan {day_ref} malam.'),
    ("Imunisasi Polio Massal Sasar Puluhan Ribu Balita di Probolinggo", "Probolinggo", "Kesehatan",
     ("Imunisasi", "Kesehatan", "Jawa Timur"), "kesehatan",
     "Dinas Kesehatan Kabupaten Probolinggo menggelar imunisasi polio massal yang menyasar lebih dari 90 ribu balita dan anak. Kegiatan dilaksanakan di posyandu, puskesmas, hingga sekolah.",
     '"Kami minta orang tua membawa anaknya ke pos imunisasi terdekat agar cakupan bisa maksimal," kata Kepala Dinas Kesehatan Kabupaten Probolinggo, dr. Hasan Basri, {day_ref}.'),
    ("Bakal Pasangan Calon Wali Kota Surabaya Siapkan Berkas Pendaftaran", "Surabaya", "Politik",
     ("Pilkada", "KPU", "Surabaya"), "pilkada",
     "Bakal pasangan calon wali kota dan wakil wali kota Surabaya mulai menyiapkan berkas pendaftaran ke KPU. Pendaftaran pasangan calon dijadwalkan berlangsung pada 27 hingga 29 Agustus 2024.",
     '"Kami sudah melengkapi syarat pencalonan, termasuk surat keterangan kesehatan," kata ketua tim pemenangan salah satu bakal pasangan calon, Bagus Wicaksono, {day_ref}.'),
)  # fmt: skip


# --------------------------------------------------------------------------------------------
# The model the renderer works from
# --------------------------------------------------------------------------------------------
@dataclass
class Story:
    """One article of the portal, as the CMS holds it (clean paragraphs, metadata)."""

    id: int
    slug: str
    title: str
    city: str
    section: str
    tags: list[str]
    paragraphs: list[str]  # clean text: no dateline, no reporter code
    published: datetime
    editor: str
    reporter_code: str
    caption: str
    layout: str = "modern"  # modern | itemprop | oldcms
    description: str = ""
    reporter: str | None = None  # a named "Pewarta"; None shows the site name
    modified: datetime | None = None
    topic: str = ""

    @property
    def path(self) -> str:
        return article_path(self.id, self.slug)


@dataclass(frozen=True)
class Link:
    """A teaser link to an article (lists, Baca Juga)."""

    title: str
    url: str
    published: datetime | None = None
    section: str = ""
    description: str = ""


@dataclass
class PageContext:
    """What the page chrome needs besides the article: base URL, lists and the tag cloud."""

    base_url: str
    latest: list[Link] = field(default_factory=list)
    popular: list[Link] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    today: datetime | None = None


def body_text(story: Story) -> str:
    """The clean body a careful reader takes from the page: paragraphs joined by a blank line.

    >>> s = Story(1, "x", "T", "Malang", "Politik", [], ["Satu.", "Dua."],
    ...           datetime(2024, 8, 1, tzinfo=WIB), "Moch Ilham", "Ml-01/ham", "c")
    >>> body_text(s)
    'Satu.\\n\\nDua.'
    """
    return "\n\n".join(story.paragraphs)


def build_stories() -> list[Story]:
    """The portal's 36 articles in publication order (ids increase with time)."""
    stories: list[Story] = []
    per_day: dict[int, int] = {}
    for i, (title, city, section, tags, topic, lead, quote_) in enumerate(ARTICLE_DATA):
        day = 1 + (i * 20) // (len(ARTICLE_DATA) - 1)
        rank = per_day.get(day, 0)
        per_day[day] = rank + 1
        published = datetime(
            2024, 8, day, 7 + rank * 5 + i % 3, (i * 23 + 7) % 60, (i * 41 + 13) % 60, tzinfo=WIB
        )
        editor, initials = EDITORS[i % len(EDITORS)]
        code = f"{CITY_CODES[city]}-0{1 + (i // 3) % 3}"
        bank = BANKS[topic]
        extra = [bank[(i + j) % len(bank)] for j in range(3 + i % 4)]
        values = {"city": city, "day_ref": day_ref(published)}
        paragraphs = [p.format(**values) for p in (lead, quote_, *extra)]
        stories.append(
            Story(
                id=240650 + i * 47 + (i * i) % 13,
                slug=slugify(title),
                title=title,
                city=city,
                section=section,
                tags=list(tags),
                paragraphs=paragraphs,
                published=published,
                editor=editor,
                reporter_code=f"{code}/{initials}",
                caption=f"{CAPTIONS[topic].format(city=city)} Foto: SP/{code}",
                layout={4: "itemprop", 5: "oldcms"}.get(i % 6, "modern"),
                description=first_sentence(paragraphs[0]),
                topic=topic,
            )
        )
    return stories


# --------------------------------------------------------------------------------------------
# Rendering: page chrome
# --------------------------------------------------------------------------------------------
GA_ID = "G-SP4X7K2QLM"
ADSENSE_CLIENT = "ca-pub-4811712395617323"
GPT_NETWORK = "/21865392/surabayapagi"


def _image_url(base: str, story_id: int, published: datetime) -> str:
    return f"{base}/assets/images/news/{published:%Y/%m}/{story_id}-thumb.jpg"


def _share_bar(url: str, title: str, extra_class: str = "") -> str:
    text = quote(f"{title} {url}")
    u = quote(url, safe="")
    return f"""<div class="share-bar {extra_class}">
  <span class="share-label">Bagikan:</span>
  <a class="share-fb" href="https://www.facebook.com/sharer/sharer.php?u={u}" target="_blank" rel="noopener">Facebook</a>
  <a class="share-tw" href="https://twitter.com/intent/tweet?text={quote(title)}&amp;url={u}" target="_blank" rel="noopener">Twitter</a>
  <a class="share-wa" href="https://api.whatsapp.com/send?text={text}" target="_blank" rel="noopener">WhatsApp</a>
  <a class="share-tg" href="https://t.me/share/url?url={u}&amp;text={quote(title)}" target="_blank" rel="noopener">Telegram</a>
  <a class="share-line" href="https://social-plugins.line.me/lineit/share?url={u}" target="_blank" rel="noopener">LINE</a>
  <a class="share-copy" href="javascript:void(0)" data-url="{_a(url)}">Salin Link</a>
</div>"""


def _ad_slot(name: str, size: str = "728x90") -> str:
    w, h = size.split("x")
    return f"""<div class="ads ads-{name}">
  <span class="ads-label">ADVERTISEMENT</span>
  <div id="div-gpt-ad-{name}" style="min-width:{w}px;min-height:{h}px;">
    <script>googletag.cmd.push(function() {{ googletag.display('div-gpt-ad-{name}'); }});</script>
  </div>
</div>"""


def _adsense(slot: str) -> str:
    return f"""<div class="ads ads-adsense">
  <ins class="adsbygoogle" style="display:block" data-ad-client="{ADSENSE_CLIENT}" data-ad-slot="{slot}" data-ad-format="auto" data-full-width-responsive="true"></ins>
  <script>(adsbygoogle = window.adsbygoogle || []).push({{}});</script>
</div>"""


def _head(
    ctx: PageContext,
    *,
    title: str,
    description: str,
    canonical: str,
    og_title: str | None = None,
    og_type: str = "website",
    image: str | None = None,
    extra: str = "",
    jsonld: Iterable[dict[str, Any]] = (),
) -> str:
    base = ctx.base_url
    image = image or f"{base}/assets/images/logo-share.jpg"
    scripts = "\n".join(
        '<script type="application/ld+json">'
        + json.dumps(d, ensure_ascii=False, indent=1).replace("</", "<\\/")
        + "</script>"
        for d in jsonld
    )
    return f"""<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
<title>{_t(title)}</title>
<meta name="description" content="{_a(description)}">
<meta name="author" content="{SITE_DOMAIN}">
<meta name="robots" content="index, follow, max-image-preview:large">
<meta name="googlebot-news" content="index, follow">
<link rel="canonical" href="{_a(canonical)}">
<meta property="og:site_name" content="{SITE_NAME}">
<meta property="og:locale" content="id_ID">
<meta property="og:type" content="{og_type}">
<meta property="og:title" content="{_a(og_title or title)}">
<meta property="og:description" content="{_a(description)}">
<meta property="og:url" content="{_a(canonical)}">
<meta property="og:image" content="{_a(image)}">
<meta property="og:image:width" content="750">
<meta property="og:image:height" content="422">
<meta property="fb:app_id" content="1418846318419117">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:site" content="@surabayapagi">
<meta name="twitter:title" content="{_a(og_title or title)}">
<meta name="twitter:description" content="{_a(description)}">
<meta name="twitter:image" content="{_a(image)}">
{extra}<link rel="shortcut icon" href="{base}/assets/images/favicon.ico" type="image/x-icon">
<link rel="apple-touch-icon" href="{base}/assets/images/apple-touch-icon.png">
<link rel="alternate" type="application/rss+xml" title="Surabaya Pagi RSS" href="{base}/feed">
<link rel="preconnect" href="https://fonts.googleapis.com">
<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto:wght@400;500;700&amp;display=swap">
<link rel="stylesheet" href="{base}/assets/css/bootstrap.min.css">
<link rel="stylesheet" href="{base}/assets/css/style.css?v=3.2.1">
<script async src="https://www.googletagmanager.com/gtag/js?id={GA_ID}"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){{dataLayer.push(arguments);}}
  gtag('js', new Date());
  gtag('config', '{GA_ID}');
</script>
<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
<script>
  window.googletag = window.googletag || {{cmd: []}};
  googletag.cmd.push(function() {{
    googletag.defineSlot('{GPT_NETWORK}/billboard', [[970, 250], [728, 90]], 'div-gpt-ad-billboard').addService(googletag.pubads());
    googletag.defineSlot('{GPT_NETWORK}/sidebar', [300, 250], 'div-gpt-ad-sidebar').addService(googletag.pubads());
    googletag.defineSlot('{GPT_NETWORK}/inarticle', [[300, 250], [336, 280]], 'div-gpt-ad-inarticle').addService(googletag.pubads());
    googletag.pubads().enableSingleRequest();
    googletag.enableServices();
  }});
</script>
<script async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client={ADSENSE_CLIENT}" crossorigin="anonymous"></script>
{scripts}
</head>"""


def _header(ctx: PageContext) -> str:
    base = ctx.base_url
    today = long_date(ctx.today) if ctx.today else ""
    social = "".join(
        f'<li><a href="{u}" target="_blank" rel="noopener" title="{n}">{n}</a></li>'
        for n, u in SOCIAL
    )
    regions = "\n".join(
        f'        <li><a href="{base}/kanal/jatim/{slugify(r)}">{r}</a></li>' for r in JATIM_REGIONS
    )
    items = []
    for name in NAV_SECTIONS:
        link = f'<a href="{base}/kanal/{slugify(name)}">{_t(name)}</a>'
        if name == "Jatim":
            items.append(
                f'    <li class="has-dropdown">{link}\n      <ul class="dropdown">\n{regions}\n'
                "      </ul>\n    </li>"
            )
        else:
            items.append(f"    <li>{link}</li>")
    nav = "\n".join(items)
    trending = " ".join(f'<a href="{base}/tag/{slugify(t)}">#{_t(t)}</a>' for t in ctx.tags[:8])
    return f"""<div class="topbar">
  <div class="container">
    <span class="topbar-date">{today}</span>
    <ul class="topbar-links"><li><a href="{base}/redaksi">Redaksi</a></li><li><a href="{base}/pedoman-media-siber">Pedoman Media Siber</a></li><li><a href="{base}/info-iklan">Info Iklan</a></li></ul>
    <ul class="topbar-social">{social}</ul>
  </div>
</div>
<header class="site-header">
  <div class="container">
    <a class="logo" href="{base}/"><img src="{base}/assets/images/logo-surabayapagi.png" alt="Surabaya Pagi" width="260" height="60"></a>
    <form class="search-form" action="{base}/search" method="get">
      <input type="text" name="q" placeholder="Cari berita..." aria-label="Cari">
      <button type="submit">Cari</button>
    </form>
  </div>
</header>
<nav class="main-nav" id="main-nav">
  <div class="container">
  <ul class="menu">
    <li class="home"><a href="{base}/">Home</a></li>
{nav}
    <li><a href="{base}/indeks">Indeks</a></li>
  </ul>
  </div>
</nav>
<div class="trending-bar"><div class="container"><span class="trending-label">Trending:</span> {trending}</div></div>
{_ad_slot("billboard", "970x250")}"""


def _sidebar(ctx: PageContext) -> str:
    base = ctx.base_url
    popular = "\n".join(
        f'    <li><span class="num">{n}</span><a href="{_a(link.url)}">{_t(link.title)}</a></li>'
        for n, link in enumerate(ctx.popular, 1)
    )
    cloud = "\n".join(
        f'    <a class="tag" href="{base}/tag/{slugify(t)}">{_t(t)}</a>' for t in ctx.tags
    )
    return f"""<aside class="col-side sidebar">
  {_ad_slot("sidebar", "300x250")}
  <div class="widget widget-popular">
    <h3 class="widget-title">Terpopuler</h3>
    <ol class="popular-list">
{popular}
    </ol>
  </div>
  {_adsense("6017228921")}
  <div class="widget widget-tags">
    <h3 class="widget-title">Tag Populer</h3>
    <div class="tag-cloud">
{cloud}
    </div>
  </div>
  <div class="widget widget-epaper">
    <h3 class="widget-title">E-Paper</h3>
    <a href="{base}/epaper"><img src="{base}/assets/images/epaper-cover.jpg" alt="E-Paper Surabaya Pagi"></a>
  </div>
</aside>"""


def _footer(ctx: PageContext) -> str:
    base = ctx.base_url
    kanal = "".join(
        f'<li><a href="{base}/kanal/{slugify(n)}">{_t(n)}</a></li>' for n in NAV_SECTIONS
    )
    info = "".join(f'<li><a href="{base}/{slug}">{n}</a></li>' for n, slug in INFO_PAGES[:-1])
    social = "".join(
        f'<a href="{u}" target="_blank" rel="noopener" aria-label="{n}">{n}</a>' for n, u in SOCIAL
    )
    return f"""<footer class="site-footer">
  <div class="container">
    <div class="footer-about">
      <a href="{base}/"><img src="{base}/assets/images/logo-white.png" alt="Surabaya Pagi"></a>
      <p>Harian Pagi Surabaya Pagi. Jl. Raya Jemursari No. 132, Surabaya. Telp. (031) 8433022.</p>
    </div>
    <div class="footer-kanal"><h4>Kanal</h4><ul>{kanal}</ul></div>
    <div class="footer-info"><h4>Informasi</h4><ul>{info}</ul></div>
    <div class="footer-apps">
      <a href="https://play.google.com/store/apps/details?id=com.surabayapagi.android"><img src="{base}/assets/images/google-play.png" alt="Google Play"></a>
      <a href="https://apps.apple.com/id/app/surabaya-pagi/id1500000000"><img src="{base}/assets/images/app-store.png" alt="App Store"></a>
    </div>
    <div class="footer-social">{social}</div>
    <p class="copyright">Copyright &copy; 2024 {SITE_DOMAIN}. All Rights Reserved.</p>
  </div>
</footer>
<a href="#" class="back-to-top" aria-label="Kembali ke atas">&#8593;</a>
<script src="{base}/assets/js/jquery-3.6.0.min.js"></script>
<script src="{base}/assets/js/bootstrap.bundle.min.js"></script>
<script src="{base}/assets/js/main.js?v=3.2.1"></script>
<div id="fb-root"></div>
<script async defer crossorigin="anonymous" src="https://connect.facebook.net/id_ID/sdk.js#xfbml=1&amp;version=v18.0"></script>"""


def _page(head: str, ctx: PageContext, main: str, body_class: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="id">
{head}
<body class="{body_class}">
{_header(ctx)}
<main class="container main-content">
<div class="row">
{main}
{_sidebar(ctx)}
</div>
</main>
{_footer(ctx)}
</body>
</html>
"""


# --------------------------------------------------------------------------------------------
# Rendering: article bodies in three layouts
# --------------------------------------------------------------------------------------------
def _autolink(paragraphs: list[str], tag: str, url: str) -> list[str]:
    """Escape paragraphs and turn the first mention of ``tag`` after the lead into a link."""
    out = [_t(p) for p in paragraphs]
    needle = _t(tag)
    for i in range(1, len(out)):
        if needle in out[i]:
            out[i] = out[i].replace(needle, f'<a href="{_a(url)}">{needle}</a>', 1)
            break
    return out


def _layout_modern(story: Story, related: list[Link], base: str) -> str:
    image = _image_url(base, story.id, story.published)
    tag_url = f"{base}/tag/{slugify(story.tags[0])}" if story.tags else base
    paras = _autolink(story.paragraphs, story.tags[0] if story.tags else "", tag_url)
    slots = dict(zip(baca_juga_slots(len(paras), len(related)), related, strict=False))
    lines = [
        f'<figure class="detail-image">\n  <img src="{image}" alt="{_a(story.title)}" '
        f'width="750" height="422">\n  <figcaption>{_t(story.caption)}</figcaption>\n</figure>'
    ]
    for i, p in enumerate(paras):
        if i == 0:
            p = f"<strong>SURABAYAPAGI.COM, {_t(story.city)}</strong> - {p}"
        if i == len(paras) - 1:
            p = f"{p} {_t(story.reporter_code)}"
        lines.append(f"<p>{p}</p>")
        if i in slots:
            link = slots[i]
            lines.append(
                f'<p><strong>Baca Juga:</strong> <a href="{_a(link.url)}">{_t(link.title)}</a></p>'
            )
        if i == 2:
            lines.append(
                '<div class="ads ads-inarticle"><small>ADVERTISEMENT</small>'
                f'<ins class="adsbygoogle" style="display:block; text-align:center;" '
                f'data-ad-layout="in-article" data-ad-format="fluid" data-ad-client="{ADSENSE_CLIENT}" '
                'data-ad-slot="7322818812"></ins>'
                "<script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div>"
            )
    lines.append(f'<div class="editor-name">Editor : {_t(story.editor)}</div>')
    inner = "\n".join(lines)
    return f'<article class="detail-content" id="detail-content">\n{inner}\n</article>'


def _layout_itemprop(story: Story, related: list[Link], base: str) -> str:
    image = _image_url(base, story.id, story.published)
    paras = [_t(p) for p in story.paragraphs]
    slots = dict(zip(baca_juga_slots(len(paras), len(related)), related, strict=False))
    lines = []
    for i, p in enumerate(paras):
        if i == 0:
            p = f"SURABAYAPAGI.COM, {_t(story.city)} - {p}"
        if i == len(paras) - 1:
            p = f"{p} {_t(story.reporter_code)}"
        lines.append(f"<p>{p}</p>")
        if i in slots:
            link = slots[i]
            if i == 1:  # the first one as a boxed list, later ones as upper-case lines
                lines.append(
                    '<div class="baca-juga"><span>Baca Juga:</span><ul>'
                    f'<li><a href="{_a(link.url)}">{_t(link.title)}</a></li></ul></div>'
                )
            else:
                lines.append(f'<p>BACA JUGA : <a href="{_a(link.url)}">{_t(link.title)}</a></p>')
        if i == 2:
            lines.append(
                '<div class="parallax-ads"><p>ADVERTISEMENT</p>'
                '<div id="div-gpt-ad-inarticle"></div><p>SCROLL TO CONTINUE WITH CONTENT</p></div>'
            )
    inner = "\n".join(lines)
    return f"""<div class="photo-detail">
  <img src="{image}" alt="{_a(story.title)}" width="750" height="422">
  <div class="caption">{_t(story.caption)}</div>
</div>
<div class="post-content" itemprop="articleBody">
{inner}
</div>
<div class="detail-editor">Editor : <span>{_t(story.editor)}</span></div>"""


def _oldcms_text(text: str, index: int) -> str:
    """Escape a paragraph the way an old WYSIWYG editor stored it (NBSP after "Rp" and,
    in odd paragraphs, after the first full stop)."""
    out = text.replace("Rp ", "Rp\u00a0")
    if index % 2 == 1:
        out = out.replace(". ", ".\u00a0 ", 1)
    return _t(out).replace("\u00a0", "&nbsp;")


def _layout_oldcms(story: Story, related: list[Link], base: str) -> str:
    image = _image_url(base, story.id, story.published)
    paras = [_oldcms_text(p, i) for i, p in enumerate(story.paragraphs)]
    if story.tags:  # an inline link inside a sentence, as old editors made them
        needle = _t(story.tags[0])
        for i in range(1, len(paras)):
            if needle in paras[i]:
                url = f"{base}/tag/{slugify(story.tags[0])}"
                paras[i] = paras[i].replace(needle, f'<a href="{url}">{needle}</a>', 1)
                break
    slots = dict(zip(baca_juga_slots(len(paras), len(related)), related, strict=False))
    chunks = []
    for i, p in enumerate(paras):
        if i == 0:
            p = f"<b>SURABAYAPAGI.COM, {_t(story.city)} –</b> {p}"
        if i == len(paras) - 1:
            p = f"{p} {_t(story.reporter_code)}"
        chunks.append(p)
        if i in slots:
            link = slots[i]
            chunks.append(f'Baca Juga: <a href="{_a(link.url)}">{_t(link.title)}</a>')
        if i == 2:
            chunks.append(
                '<div class="ads" align="center"><small>ADVERTISEMENT</small><br>'
                f'<ins class="adsbygoogle" style="display:inline-block;width:336px;height:280px" '
                f'data-ad-client="{ADSENSE_CLIENT}" data-ad-slot="2201945377"></ins>'
                "<script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div>"
            )
    chunks.append(f"Editor : {_t(story.editor)}")
    text = "<br><br>\n".join(chunks)
    return f"""<div class="article-content">
<table class="foto" width="100%" cellpadding="0" cellspacing="0"><tr><td><img src="{image}" alt="" width="750"></td></tr><tr><td class="caption"><i>{_t(story.caption)}</i></td></tr></table>
{text}
</div>"""


LAYOUTS: dict[str, Callable[[Story, list[Link], str], str]] = {
    "modern": _layout_modern,
    "itemprop": _layout_itemprop,
    "oldcms": _layout_oldcms,
}


def _news_jsonld(story: Story, canonical: str, image: str, base: str) -> list[dict[str, Any]]:
    modified = story.modified or story.published
    return [
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
            "headline": story.title,
            "description": story.description,
            "image": {"@type": "ImageObject", "url": image, "width": 750, "height": 422},
            "datePublished": story.published.isoformat(),
            "dateModified": modified.isoformat(),
            # the site's template names the site as author (a trap for author extraction)
            "author": {"@type": "Person", "name": SITE_DOMAIN, "url": f"{base}/"},
            "publisher": {
                "@type": "Organization",
                "name": SITE_NAME,
                "logo": {"@type": "ImageObject", "url": f"{base}/assets/images/logo-amp.png"},
            },
            "articleSection": story.section,
            "keywords": ", ".join(story.tags),
        },
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{base}/"},
                {
                    "@type": "ListItem",
                    "position": 2,
                    "name": story.section,
                    "item": f"{base}/kanal/{slugify(story.section)}",
                },
            ],
        },
    ]


def render_article_page(story: Story, related: list[Link], ctx: PageContext) -> str:
    """The full HTML page of one article, with all the portal's chrome around it."""
    base = ctx.base_url
    canonical = base + story.path
    image = _image_url(base, story.id, story.published)
    published = story.published.isoformat()
    modified = (story.modified or story.published).isoformat()
    tag_meta = "".join(f'<meta property="article:tag" content="{_a(t)}">\n' for t in story.tags)
    extra = (
        f'<meta name="keywords" content="{_a(", ".join(story.tags))}">\n'
        f'<link rel="amphtml" href="{base}/amp{story.path}">\n'
        f'<meta property="article:published_time" content="{published}">\n'
        f'<meta property="article:modified_time" content="{modified}">\n'
        f'<meta property="article:section" content="{_a(story.section)}">\n{tag_meta}'
        f'<meta property="article:publisher" content="https://www.facebook.com/surabayapagi">\n'
    )
    head = _head(
        ctx,
        title=f"{story.title} - Surabaya Pagi",
        description=story.description,
        canonical=canonical,
        og_title=f"{story.title} - Surabaya Pagi",
        og_type="article",
        image=image,
        extra=extra,
        jsonld=_news_jsonld(story, canonical, image, base),
    )
    sslug = slugify(story.section)
    if story.reporter:
        byline = (
            f'<a href="{base}/penulis/{slugify(story.reporter)}" rel="author">'
            f"{_t(story.reporter)}</a>"
        )
    else:
        byline = f'<a href="{base}/penulis/surabayapagi" rel="author">{SITE_DOMAIN}</a>'
    tags = "\n".join(
        f'    <li><a href="{base}/tag/{slugify(t)}">{_t(t)}</a></li>' for t in story.tags
    )
    latest = "\n".join(
        f'    <li class="news-item"><a class="thumb" href="{_a(link.url)}"><img src="{base}/assets/images/thumb-default.jpg" alt="{_a(link.title)}" loading="lazy"></a>'
        f'<div class="news-text"><span class="kanal">{_t(link.section)}</span><a href="{_a(link.url)}">{_t(link.title)}</a>'
        f'<span class="date">{visible_date(link.published) if link.published else ""}</span></div></li>'
        for link in ctx.latest
    )
    body = LAYOUTS[story.layout](story, related, base)
    main = f"""<div class="col-main">
<ol class="breadcrumb">
  <li class="breadcrumb-item"><a href="{base}/">Home</a></li>
  <li class="breadcrumb-item"><a href="{base}/kanal/{sslug}">{_t(story.section)}</a></li>
</ol>
<div class="detail-header">
  <h1 class="detail-title">{_t(story.title)}</h1>
  <div class="detail-meta">
    <div class="detail-author"><img class="avatar" src="{base}/assets/images/avatar.png" alt="author" width="32" height="32"> {byline} <span class="role">- Pewarta</span></div>
    <div class="date"><time datetime="{published}">{visible_date(story.published)}</time></div>
  </div>
</div>
{_share_bar(canonical, story.title)}
{body}
<div class="detail-tags">
  <span class="tags-label">Tags:</span>
  <ul class="tags">
{tags}
  </ul>
</div>
{_share_bar(canonical, story.title, "share-bottom")}
{_adsense("9475530110")}
<div class="comments">
  <h3 class="section-title">Komentar</h3>
  <div class="fb-comments" data-href="{_a(canonical)}" data-numposts="5" data-width="100%"></div>
  <noscript>Aktifkan JavaScript untuk melihat komentar.</noscript>
</div>
<div class="berita-terbaru">
  <h3 class="section-title">BERITA TERBARU</h3>
  <ul class="news-list">
{latest}
  </ul>
</div>
</div>"""
    return _page(head, ctx, main, "detail-page")


def render_amp_page(story: Story, related: list[Link], ctx: PageContext) -> str:
    """A minimal AMP copy of an article (canonical points to the normal page)."""
    base = ctx.base_url
    canonical = base + story.path
    paras = [_t(p) for p in story.paragraphs]
    slots = dict(zip(baca_juga_slots(len(paras), len(related)), related, strict=False))
    lines = []
    for i, p in enumerate(paras):
        if i == 0:
            p = f"<strong>SURABAYAPAGI.COM, {_t(story.city)}</strong> - {p}"
        if i == len(paras) - 1:
            p = f"{p} {_t(story.reporter_code)}"
        lines.append(f"<p>{p}</p>")
        if i in slots:
            link = slots[i]
            lines.append(
                f'<p><strong>Baca Juga:</strong> <a href="{_a(link.url)}">{_t(link.title)}</a></p>'
            )
    inner = "\n".join(lines)
    return f"""<!doctype html>
<html amp lang="id">
<head>
<meta charset="utf-8">
<title>{_t(story.title)} - Surabaya Pagi</title>
<link rel="canonical" href="{_a(canonical)}">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
<meta property="article:published_time" content="{story.published.isoformat()}">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<style amp-boilerplate>body{{visibility:hidden}}</style>
</head>
<body>
<header><a href="{base}/">Surabaya Pagi</a></header>
<h1>{_t(story.title)}</h1>
<div class="date">{visible_date(story.published)}</div>
<figure><amp-img src="{_image_url(base, story.id, story.published)}" width="750" height="422" layout="responsive"></amp-img><figcaption>{_t(story.caption)}</figcaption></figure>
{inner}
<div class="editor">Editor : {_t(story.editor)}</div>
</body>
</html>
"""


# --------------------------------------------------------------------------------------------
# Rendering: listings, home, feed, sitemap, static pages
# --------------------------------------------------------------------------------------------
def _listing_items(items: list[Link], base: str) -> str:
    return "\n".join(
        f"""  <div class="list-item">
    <a class="list-thumb" href="{_a(link.url)}"><img src="{base}/assets/images/thumb-default.jpg" alt="{_a(link.title)}" loading="lazy"></a>
    <div class="list-content">
      <span class="kanal">{_t(link.section)}</span>
      <h2 class="list-title"><a href="{_a(link.url)}">{_t(link.title)}</a></h2>
      <span class="date">{visible_date(link.published) if link.published else ""}</span>
      <p class="list-desc">{_t(link.description)}</p>
    </div>
  </div>"""
        for link in items
    )


def _pagination(page: int, pages: int, page_url: Callable[[int], str]) -> str:
    if pages <= 1:
        return ""
    parts = []
    if page > 1:
        parts.append(f'<li><a href="{_a(page_url(page - 1))}" rel="prev">Prev</a></li>')
    for n in range(1, pages + 1):
        if n == page:
            parts.append(f'<li class="active"><span>{n}</span></li>')
        else:
            parts.append(f'<li><a href="{_a(page_url(n))}">{n}</a></li>')
    if page < pages:
        parts.append(f'<li><a href="{_a(page_url(page + 1))}" rel="next">Next</a></li>')
    return '<ul class="pagination">\n  ' + "\n  ".join(parts) + "\n</ul>"


def render_listing_page(
    ctx: PageContext,
    *,
    heading: str,
    items: list[Link],
    page: int,
    pages: int,
    page_url: Callable[[int], str],
    empty_text: str = "Belum ada berita.",
) -> str:
    """A tag, section, search or index listing page with numbered pagination."""
    canonical = page_url(page)
    title = f"{heading} - Halaman {page}" if page > 1 else heading
    head = _head(
        ctx,
        title=f"{title} - Surabaya Pagi",
        description=f"Kumpulan berita {heading} terbaru hari ini di Surabaya Pagi.",
        canonical=canonical,
    )
    listing = _listing_items(items, ctx.base_url) if items else f'<p class="empty">{empty_text}</p>'
    main = f"""<div class="col-main">
<ol class="breadcrumb"><li class="breadcrumb-item"><a href="{ctx.base_url}/">Home</a></li><li class="breadcrumb-item active">{_t(heading)}</li></ol>
<h1 class="page-title">{_t(heading)}</h1>
<div class="list-news">
{listing}
</div>
{_pagination(page, pages, page_url)}
</div>"""
    return _page(head, ctx, main, "listing-page")


def render_home_page(ctx: PageContext, picks: list[Link]) -> str:
    """The homepage: headline, Pilihan Redaksi, the latest 10 and a link to the index."""
    base = ctx.base_url
    head = _head(
        ctx,
        title="Surabaya Pagi - Berita Terkini Surabaya dan Jawa Timur",
        description="Surabaya Pagi menyajikan berita terkini Surabaya, Jawa Timur, politik, "
        "hukum, ekonomi, dan olahraga.",
        canonical=f"{base}/",
        jsonld=[
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "url": f"{base}/",
                "name": SITE_NAME,
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": f"{base}/search/{{search_term_string}}/1",
                    "query-input": "required name=search_term_string",
                },
            }
        ],
    )
    top = ctx.latest[0] if ctx.latest else None
    headline = (
        f"""<div class="headline">
  <a href="{_a(top.url)}"><img src="{base}/assets/images/headline.jpg" alt="{_a(top.title)}"></a>
  <h2><a href="{_a(top.url)}">{_t(top.title)}</a></h2>
  <p>{_t(top.description)}</p>
</div>"""
        if top
        else ""
    )
    pick_html = "\n".join(
        f'  <li><a href="{_a(link.url)}">{_t(link.title)}</a></li>' for link in picks
    )
    main = f"""<div class="col-main">
{headline}
<div class="pilihan-redaksi">
  <h3 class="section-title">Pilihan Redaksi</h3>
  <ul>
{pick_html}
  </ul>
</div>
{_adsense("1187722098")}
<div class="berita-terbaru">
  <h3 class="section-title">BERITA TERBARU</h3>
{_listing_items(ctx.latest, base)}
</div>
<a class="btn-more" href="{base}/indeks">Indeks Berita</a>
</div>"""
    return _page(head, ctx, main, "home-page")


def render_feed(base: str, stories: list[Story]) -> str:
    """RSS 2.0 of the given stories (newest first)."""
    items = []
    for s in stories:
        url = base + s.path
        items.append(
            f"""  <item>
    <title>{_t(s.title)}</title>
    <link>{_t(url)}</link>
    <guid isPermaLink="true">{_t(url)}</guid>
    <pubDate>{rfc822(s.published)}</pubDate>
    <dc:creator><![CDATA[{SITE_DOMAIN}]]></dc:creator>
    <category><![CDATA[{s.section}]]></category>
    <description><![CDATA[{s.description}]]></description>
    <media:content url="{_a(_image_url(base, s.id, s.published))}" medium="image" type="image/jpeg"/>
  </item>"""
        )
    last = rfc822(stories[0].published) if stories else ""
    body = "\n".join(items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>Surabaya Pagi - Berita Terkini Surabaya dan Jawa Timur</title>
  <link>{base}/</link>
  <description>Berita terkini Surabaya, Jawa Timur dan nasional dari Surabaya Pagi</description>
  <language>id</language>
  <lastBuildDate>{last}</lastBuildDate>
  <atom:link href="{base}/feed" rel="self" type="application/rss+xml"/>
{body}
</channel>
</rss>
"""


def render_sitemap(base: str, stories: list[Story]) -> str:
    """A sitemap with every article (newest first)."""
    urls = "\n".join(
        f"  <url><loc>{_t(base + s.path)}</loc>"
        f"<lastmod>{(s.modified or s.published).isoformat()}</lastmod></url>"
        for s in stories
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}\n</urlset>\n"
    )


def render_static_page(ctx: PageContext, title: str) -> str:
    """An information page (Redaksi, Kontak, ...)."""
    head = _head(ctx, title=f"{title} - Surabaya Pagi", description=title, canonical=ctx.base_url)
    main = f"""<div class="col-main">
<h1 class="page-title">{_t(title)}</h1>
<div class="static-content"><p>Halaman {_t(title)} Surabaya Pagi. Informasi lebih lanjut hubungi redaksi melalui telepon (031) 8433022.</p></div>
</div>"""
    return _page(head, ctx, main, "static-page")


# --------------------------------------------------------------------------------------------
# The replica portal
# --------------------------------------------------------------------------------------------
def _html(body: str, status: int = 200, **headers: str) -> Response:
    hdrs = {"Content-Type": HTML_TYPE, "Cache-Control": "public, max-age=60"}
    hdrs.update({k.replace("_", "-"): v for k, v in headers.items()})
    return Response(status, hdrs, body.encode("utf-8"))


def _redirect(location: str, status: int = 301) -> Response:
    return Response(status, {"Location": location, "Content-Type": HTML_TYPE}, b"")


def _page_number(query: dict[str, list[str]]) -> int:
    """``?page=N`` (1 when absent or not a positive number).

    >>> _page_number({"page": ["3"]}), _page_number({}), _page_number({"page": ["x"]})
    (3, 1, 1)
    """
    raw = (query.get("page") or ["1"])[0]
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


class SurabayaPagiReplica:
    """The replica portal: 36 articles from 1 to 21 August 2024 (WIB), served by ``respond``.

    Pages: ``/`` (latest 10), ``/feed`` (RSS, latest 20), ``/tag/<kw>?page=N`` (10 a page),
    ``/kanal/<section>[/<region>]?page=N``, ``/indeks?page=N``, ``/search/<kw>/<page>``
    (and ``/search?q=kw`` redirecting there), ``/news-<id>-<slug>`` (a wrong slug redirects
    301 to the right one), ``/amp/news-<id>-<slug>``, ``/robots.txt``, ``/sitemap.xml`` and the
    footer's information pages. Anything else (``/assets/...`` too) is ``None`` (404).

    Links are absolute, built from ``base_url``; while it is ``None`` they are built from the
    request's Host header (``ReplicaServer.start()`` sets it to the server's base URL).

    >>> r = SurabayaPagiReplica("http://127.0.0.1:8000")
    >>> len(r.articles), r.articles[0]["published_at"], r.articles[-1]["published_at"]
    (36, '2024-08-01T07:07:13+07:00', '2024-08-21T09:32:08+07:00')
    >>> r.respond("GET", "/feed", {}).status, r.respond("GET", "/nope", {}) is None
    (200, True)
    """

    name = "surabayapagi"
    PER_PAGE = 10
    FEED_SIZE = 20
    LATEST_SIZE = 10

    def __init__(self, base_url: str | None = None) -> None:
        self.base_url = base_url.rstrip("/") if base_url else None
        self._lock = threading.Lock()
        stories = build_stories()
        self._by_id: dict[int, Story] = {s.id: s for s in stories}
        self._oldest_first: list[Story] = stories
        self._newest_first: list[Story] = sorted(stories, key=lambda s: s.published, reverse=True)
        self._related: dict[int, list[int]] = {s.id: self._pick_related(s) for s in stories}
        self._edits: dict[int, int] = {}
        self._tags: list[str] = self._tag_cloud()

    # -- derived data ------------------------------------------------------------------------
    def _pick_related(self, story: Story) -> list[int]:
        """2 or 3 other articles: earlier ones first, same topic first, then nearest in time."""
        idx = self._oldest_first.index(story)
        others = [s for s in self._oldest_first if s.id != story.id]
        others.sort(
            key=lambda s: (
                s.published > story.published,
                s.topic != story.topic,
                abs(self._oldest_first.index(s) - idx),
            )
        )
        return [s.id for s in others[: 2 + idx % 2]]

    def _tag_cloud(self) -> list[str]:
        """Every tag, most used first (ties by name): the sidebar shows them all."""
        counts: dict[str, int] = {}
        for s in self._oldest_first:
            for t in s.tags:
                counts[t] = counts.get(t, 0) + 1
        return sorted(counts, key=lambda t: (-counts[t], t))

    def _base(self, headers: Any = None) -> str:
        if self.base_url:
            return self.base_url
        host = headers.get("Host") if headers is not None else None
        return f"http://{host}" if host else DEFAULT_BASE_URL

    def _link(self, story: Story, base: str) -> Link:
        return Link(story.title, base + story.path, story.published, story.section,
                    story.description)  # fmt: skip

    def _related_links(self, story: Story, base: str) -> list[Link]:
        links = [self._link(self._by_id[i], base) for i in self._related[story.id]]
        return links[: len(baca_juga_slots(len(story.paragraphs), len(links)))]

    def _popular(self) -> list[Story]:
        return sorted(self._oldest_first, key=lambda s: ((s.id * 7919) % 97, s.id))[:10]

    def _context(self, base: str) -> PageContext:
        return PageContext(
            base_url=base,
            latest=[self._link(s, base) for s in self._newest_first[: self.LATEST_SIZE]],
            popular=[self._link(s, base) for s in self._popular()],
            tags=self._tags,
            today=self._newest_first[0].published,
        )

    # -- public data -------------------------------------------------------------------------
    @property
    def articles(self) -> list[dict[str, Any]]:
        """Every article, oldest first, with what a careful reader takes from its page."""
        base = self._base()
        out = []
        with self._lock:
            for s in self._oldest_first:
                related = self._related_links(s, base)
                url = base + s.path
                out.append(
                    {
                        "id": s.id,
                        "slug": s.slug,
                        "path": s.path,
                        "url": url,
                        "canonical_url": url,
                        "amp_url": f"{base}/amp{s.path}",
                        "title": s.title,
                        "published_at": s.published.isoformat(),
                        "modified_at": (s.modified or s.published).isoformat(),
                        "editor": s.editor,
                        "reporter": s.reporter,
                        "authors": [s.reporter] if s.reporter else [],
                        "reporter_code": s.reporter_code,
                        "dateline_city": s.city,
                        "section": s.section,
                        "tags": list(s.tags),
                        "captions": [s.caption],
                        "description": s.description,
                        "related_titles": [link.title for link in related],
                        "related_links": [{"title": lk.title, "url": lk.url} for lk in related],
                        "layout": s.layout,
                        "body": body_text(s),
                    }
                )
        return out

    def article(self, article_id: int) -> dict[str, Any]:
        """One entry of :attr:`articles` by id (KeyError when unknown)."""
        for entry in self.articles:
            if entry["id"] == article_id:
                return entry
        raise KeyError(article_id)

    def edit_article(
        self, article_id: int, title: str | None = None, append_paragraph: str | None = None
    ) -> dict[str, Any]:
        """Change an article (new title and/or one more paragraph) for revision tests.

        The slug and URL stay; ``article:modified_time`` moves to published + 2 h per edit.
        Returns the updated entry of :attr:`articles`.
        """
        with self._lock:
            story = self._by_id[article_id]
            if title is not None:
                story.title = " ".join(title.split())
            if append_paragraph is not None:
                story.paragraphs = [*story.paragraphs, " ".join(append_paragraph.split())]
            self._edits[article_id] = self._edits.get(article_id, 0) + 1
            story.modified = story.published + timedelta(hours=2 * self._edits[article_id])
        return self.article(article_id)

    # -- HTTP --------------------------------------------------------------------------------
    def respond(self, method: str, path: str, headers: Any) -> Response | None:
        """Answer one request; ``None`` means 404."""
        if method not in ("GET", "HEAD"):
            return Response(405, {"Allow": "GET, HEAD", "Content-Type": HTML_TYPE}, b"")
        base = self._base(headers)
        parts = urlsplit(path)
        route = unquote(parts.path) or "/"
        query = parse_qs(parts.query)
        with self._lock:
            return self._route(route, query, base)

    def _route(self, route: str, query: dict[str, list[str]], base: str) -> Response | None:
        if route in ("/", "/index.php"):
            return self._home(base)
        if route in ("/feed", "/feed/", "/rss"):
            body = render_feed(base, self._newest_first[: self.FEED_SIZE])
            return Response(200, {"Content-Type": "application/rss+xml; charset=UTF-8"},
                            body.encode("utf-8"))  # fmt: skip
        if route == "/robots.txt":
            text = f"User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"
            return Response(200, {"Content-Type": "text/plain; charset=UTF-8"}, text.encode())
        if route == "/sitemap.xml":
            body = render_sitemap(base, self._newest_first)
            return Response(200, {"Content-Type": "application/xml; charset=UTF-8"},
                            body.encode("utf-8"))  # fmt: skip
        if m := _ARTICLE_RE.match(route):
            return self._article(int(m[1]), m[2], base, amp=False)
        if m := _AMP_RE.match(route):
            return self._article(int(m[1]), m[2], base, amp=True)
        if m := _TAG_RE.match(route):
            return self._tag(slugify(m[1]), _page_number(query), base)
        if route in ("/search", "/search/"):
            q = " ".join((query.get("q") or [""])[0].split())
            return _redirect(f"{base}/search/{quote(q)}/1", 302) if q else None
        if m := _SEARCH_RE.match(route):
            return self._search(m[1], int(m[2] or 1), base)
        if m := _KANAL_RE.match(route):
            return self._kanal(m[1], m[2], _page_number(query), base)
        if route.rstrip("/") == "/penulis/surabayapagi":
            return self._listing(
                SITE_DOMAIN, self._newest_first, _page_number(query), base,
                lambda n: f"{base}/penulis/surabayapagi?page={n}",
            )  # fmt: skip
        if route in ("/indeks", "/indeks/"):
            return self._listing(
                "Indeks Berita", self._newest_first, _page_number(query), base,
                lambda n: f"{base}/indeks?page={n}",
            )  # fmt: skip
        for title, slug in INFO_PAGES:
            if route.rstrip("/") == f"/{slug}":
                return _html(render_static_page(self._context(base), title))
        return None

    def _home(self, base: str) -> Response:
        ctx = self._context(base)
        picks = [self._link(s, base) for s in self._popular()[:4]]
        return _html(render_home_page(ctx, picks))

    def _article(self, article_id: int, slug: str, base: str, *, amp: bool) -> Response | None:
        story = self._by_id.get(article_id)
        if story is None:
            return None
        if slug != story.slug:
            return _redirect(f"{base}{'/amp' if amp else ''}{story.path}")
        related = self._related_links(story, base)
        ctx = self._context(base)
        page = render_amp_page if amp else render_article_page
        return _html(
            page(story, related, ctx),
            Last_Modified=http_date(story.modified or story.published),
        )

    def _listing(
        self,
        heading: str,
        stories: list[Story],
        page: int,
        base: str,
        page_url: Callable[[int], str],
        *,
        allow_empty: bool = False,
    ) -> Response | None:
        pages = max(1, -(-len(stories) // self.PER_PAGE))
        if (not stories and not allow_empty) or page > pages:
            return None
        chunk = stories[(page - 1) * self.PER_PAGE : page * self.PER_PAGE]
        html_ = render_listing_page(
            self._context(base),
            heading=heading,
            items=[self._link(s, base) for s in chunk],
            page=page,
            pages=pages,
            page_url=page_url,
        )
        return _html(html_)

    def _tag(self, kw: str, page: int, base: str) -> Response | None:
        stories = [s for s in self._newest_first if kw in {slugify(t) for t in s.tags}]
        names = [t for s in stories for t in s.tags if slugify(t) == kw]
        heading = f"Tag: {names[0]}" if names else f"Tag: {kw}"
        return self._listing(heading, stories, page, base, lambda n: f"{base}/tag/{kw}?page={n}")

    def _kanal(self, section: str, region: str | None, page: int, base: str) -> Response | None:
        names = {slugify(n): n for n in NAV_SECTIONS}
        if section not in names:
            return None
        stories = [s for s in self._newest_first if slugify(s.section) == section]
        heading = names[section]
        path = f"/kanal/{section}"
        if region:
            regions = {slugify(r): r for r in JATIM_REGIONS}
            if section != "jatim" or region not in regions:
                return None
            stories = [s for s in self._newest_first if slugify(s.city) == region]
            heading = f"Jatim - {regions[region]}"
            path += f"/{region}"
        return self._listing(
            heading, stories, page, base, lambda n: f"{base}{path}?page={n}", allow_empty=True
        )

    def _search(self, raw_kw: str, page: int, base: str) -> Response | None:
        words = raw_kw.replace("+", " ").replace("-", " ").lower().split()
        stories = [
            s
            for s in self._newest_first
            if words and all(w in f"{s.title} {body_text(s)}".lower() for w in words)
        ]
        kw = quote(raw_kw)
        return self._listing(
            f"Hasil Pencarian: {raw_kw}", stories, page, base,
            lambda n: f"{base}/search/{kw}/{n}", allow_empty=True,
        )  # fmt: skip
