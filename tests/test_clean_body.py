"""clean_body as input/expected tables: one case per pattern and markup of the shared doc."""

from __future__ import annotations

import lxml.etree
import lxml.html
import pytest

from newscrawl.clean import CleanResult, PortalRules, clean_body

BASE = "https://example.co.id/berita/1"


def _check(result: CleanResult, expect: dict) -> None:
    for key, want in expect.items():
        if key == "rules":
            counts = result.rule_counts
            for rule in want:
                assert counts.get(rule), f"rule {rule!r} not recorded: {counts}"
        elif key == "not_in_body":
            for s in want:
                assert s not in result.body
        elif key == "related_titles":
            assert [x["title"] for x in result.related_links] == want
        else:
            assert getattr(result, key) == want, key


# --- "read also" blocks in every markup ---------------------------------------------------------

READ_ALSO = [
    pytest.param(
        '<p>Harga cabai naik.</p><table class="linksisip"><tr><td><div class="lihatjg">'
        '<strong>Baca juga: </strong><a href="https://news.detik.com/d-1/cabai">Cabai Langka di '
        "Pasar</a></div></td></tr></table><p>Pedagang mengeluh.</p>",
        {
            "body": "Harga cabai naik.\n\nPedagang mengeluh.",
            "related_links": [
                {"title": "Cabai Langka di Pasar", "url": "https://news.detik.com/d-1/cabai"}
            ],
            "rules": ["read_also"],
        },
        id="detik-linksisip",
    ),
    pytest.param(
        "<p>Pemerintah menaikkan harga BBM.</p><p><strong>Baca juga: "
        '<a class="inner-link-baca-juga" href="https://nasional.kompas.com/read/2023/11/02/1/bbm">'
        "Harga BBM Naik Lagi</a></strong></p><p>Kenaikan berlaku besok.</p>",
        {
            "body": "Pemerintah menaikkan harga BBM.\n\nKenaikan berlaku besok.",
            "related_links": [
                {
                    "title": "Harga BBM Naik Lagi",
                    "url": "https://nasional.kompas.com/read/2023/11/02/1/bbm",
                }
            ],
        },
        id="kompas-inner-link",
    ),
    pytest.param(
        "<p>Polisi menangkap pelaku.</p><p>Baca juga: "
        '<a class="inner-link-baca-juga" href="/a">Satu</a></p><p>Baca juga: '
        '<a class="inner-link-baca-juga" href="/b">Dua</a></p><p>Pelaku ditahan.</p>',
        {
            "body": "Polisi menangkap pelaku.\n\nPelaku ditahan.",
            "related_titles": ["Satu", "Dua"],
        },
        id="kompas-several",
    ),
    pytest.param(
        '<p>Polisi menangkap pelaku.</p><p class="baca"><strong>Baca: '
        '<a href="https://jatim.tribunnews.com/2024/1/pelaku" title="Pelaku Ditangkap">'
        "Pelaku Ditangkap</a></strong></p><p>Pelaku ditahan.</p>",
        {
            "body": "Polisi menangkap pelaku.\n\nPelaku ditahan.",
            "related_links": [
                {"title": "Pelaku Ditangkap", "url": "https://jatim.tribunnews.com/2024/1/pelaku"}
            ],
        },
        id="tribun-baca",
    ),
    pytest.param(
        "<p>Polisi menangkap pelaku.</p><p><strong>Baca: "
        '<a href="/x">Pelaku Ditangkap</a></strong></p><p>Pelaku ditahan.</p>',
        {
            "body": "Polisi menangkap pelaku.\n\nPelaku ditahan.",
            "related_titles": ["Pelaku Ditangkap"],
        },
        id="tribun-baca-no-class",
    ),
    pytest.param(
        '<p>Kebijakan itu dinilai tepat.</p><p class="related-news"><strong>Baca juga :&nbsp;'
        '<a href="https://mediaindonesia.com/politik/1/kebijakan">Kebijakan Baru</a></strong></p>'
        "<p>Pemerintah diminta konsisten.</p>",
        {
            "body": "Kebijakan itu dinilai tepat.\n\nPemerintah diminta konsisten.",
            "related_links": [
                {"title": "Kebijakan Baru", "url": "https://mediaindonesia.com/politik/1/kebijakan"}
            ],
        },
        id="mediaindonesia-space-before-colon",
    ),
    pytest.param(
        "<p>Kebijakan itu dinilai tepat.</p><p><strong>Baca juga :&nbsp;"
        '<a href="/k">Kebijakan Baru</a></strong></p><p>Pemerintah diminta konsisten.</p>',
        {
            "body": "Kebijakan itu dinilai tepat.\n\nPemerintah diminta konsisten.",
            "related_titles": ["Kebijakan Baru"],
        },
        id="nbsp-after-colon-no-class",
    ),
    pytest.param(
        "<p>Ketua KPU menyampaikan hasil rapat.</p>"
        '<div class="baca-juga"><div class="titleh4">Baca Juga:</div><ul>'
        '<li><a href="https://www.jpnn.com/news/a">KPU Gelar Rapat</a></li>'
        '<li><a href="https://www.jpnn.com/news/b">Pemilu Damai</a></li></ul></div>'
        "<p>Hasil diumumkan besok.</p>",
        {
            "body": "Ketua KPU menyampaikan hasil rapat.\n\nHasil diumumkan besok.",
            "related_links": [
                {"title": "KPU Gelar Rapat", "url": "https://www.jpnn.com/news/a"},
                {"title": "Pemilu Damai", "url": "https://www.jpnn.com/news/b"},
            ],
        },
        id="jpnn-div-ul",
    ),
    pytest.param(
        '<p>Gempa terjadi di Cianjur.</p><table class="linksisip"><tr><td>'
        '<div class="lihatjg"><strong>Lihat Juga :</strong><a href="/g">Gempa Susulan</a>'
        "</div></td></tr></table><p>Warga mengungsi.</p>",
        {
            "body": "Gempa terjadi di Cianjur.\n\nWarga mengungsi.",
            "related_titles": ["Gempa Susulan"],
        },
        id="cnn-lihat-juga",
    ),
    pytest.param(
        '<p>Gempa terjadi.</p><p>Lihat Juga : <a href="/g">Gempa Susulan</a></p><p>Warga aman.</p>',
        {"body": "Gempa terjadi.\n\nWarga aman.", "related_titles": ["Gempa Susulan"]},
        id="lihat-juga-plain-p",
    ),
    pytest.param(
        '<p>Gempa terjadi.</p><p>Simak juga: <a href="/g">Gempa Susulan</a></p><p>Warga aman.</p>',
        {"body": "Gempa terjadi.\n\nWarga aman.", "related_titles": ["Gempa Susulan"]},
        id="simak-juga",
    ),
    pytest.param(
        '<div>Warga antusias.<br><br>Baca Juga: <a href="/b/1">Warga Sambut Festival</a><br><br>'
        "Acara berjalan lancar.</div>",
        {
            "body": "Warga antusias.\n\nAcara berjalan lancar.",
            "related_links": [
                {"title": "Warga Sambut Festival", "url": "https://example.co.id/b/1"}
            ],
        },
        id="oldcms-br-link",
    ),
    pytest.param(
        "<div>Warga antusias.<br><br>BACA JUGA : Lomba Dimulai Pekan Depan<br><br>"
        "Acara berjalan lancar.</div>",
        {
            "body": "Warga antusias.\n\nAcara berjalan lancar.",
            "related_links": [{"title": "Lomba Dimulai Pekan Depan", "url": ""}],
        },
        id="oldcms-caps-no-link",
    ),
    pytest.param(
        "<div>Warga antusias.<br><br>BACA JUGA Lomba Dimulai Pekan Depan<br><br>Acara lancar.</div>",
        {
            "body": "Warga antusias.\n\nAcara lancar.",
            "related_titles": ["Lomba Dimulai Pekan Depan"],
        },
        id="oldcms-caps-no-colon",
    ),
    pytest.param(
        "<p>Pemkot Malang menggelar rapat.</p><p>Baca Juga: Wali Kota Resmikan Taman</p>"
        "<p>Rapat berlangsung tertutup.</p>",
        {
            "body": "Pemkot Malang menggelar rapat.\n\nRapat berlangsung tertutup.",
            "related_links": [{"title": "Wali Kota Resmikan Taman", "url": ""}],
        },
        id="surabayapagi-text-line",
    ),
    pytest.param(
        '<p>Pemkot Malang menggelar rapat.</p><p><strong>Baca Juga:</strong> <a href="/news-1-a">'
        "Wali Kota Resmikan Taman</a></p><p>Rapat berlangsung tertutup.</p>",
        {
            "body": "Pemkot Malang menggelar rapat.\n\nRapat berlangsung tertutup.",
            "related_links": [
                {"title": "Wali Kota Resmikan Taman", "url": "https://example.co.id/news-1-a"}
            ],
        },
        id="surabayapagi-strong-label-link",
    ),
    pytest.param(
        '<p>Pemkot Malang menggelar rapat.</p><div class="baca-juga">Baca Juga: '
        '<a href="/news-2-b">Taman Baru</a></div><p>Rapat tertutup.</p>',
        {
            "body": "Pemkot Malang menggelar rapat.\n\nRapat tertutup.",
            "related_titles": ["Taman Baru"],
        },
        id="surabayapagi-div",
    ),
    pytest.param(
        "<p>Pemkot Malang menggelar rapat. <span>Baca Juga: Taman Baru Dibuka</span></p>"
        "<p>Rapat tertutup.</p>",
        {"body": "Pemkot Malang menggelar rapat. Baca Juga: Taman Baru Dibuka\n\nRapat tertutup."},
        id="span-inline-mid-paragraph-kept",
    ),
    pytest.param(
        "<p>Pemkot Malang menggelar rapat.</p><p><span>Baca Juga: Taman Baru Dibuka</span></p>"
        "<p>Rapat tertutup.</p>",
        {
            "body": "Pemkot Malang menggelar rapat.\n\nRapat tertutup.",
            "related_titles": ["Taman Baru Dibuka"],
        },
        id="surabayapagi-span",
    ),
    pytest.param(
        '<p>Harga naik.</p><p>Baca Juga:</p><ul><li><a href="/a">Judul A</a></li>'
        '<li><a href="/b">Judul B</a></li></ul><p>Warga mengeluh.</p>',
        {"body": "Harga naik.\n\nWarga mengeluh.", "related_titles": ["Judul A", "Judul B"]},
        id="label-alone-then-ul",
    ),
    pytest.param(
        '<p>Harga naik.</p><p>Baca juga:</p><p><a href="/a">Judul A</a></p><p>Warga mengeluh.</p>',
        {"body": "Harga naik.\n\nWarga mengeluh.", "related_titles": ["Judul A"]},
        id="label-alone-then-p-link",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>BACA JUGA</p><p>Judul Tanpa Tautan</p><p>Warga mengeluh.</p>",
        {"body": "Harga naik.\n\nWarga mengeluh.", "related_titles": ["Judul Tanpa Tautan"]},
        id="label-alone-then-title-line",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>Baca juga:</p><p>Pedagang mengeluh karena omzet turun.</p>",
        {"body": "Harga naik.\n\nPedagang mengeluh karena omzet turun."},
        id="label-alone-then-prose-kept",
    ),
    pytest.param(
        '<p>Harga naik.</p><p>baca juga: <a href="/a">huruf kecil</a></p><p>Warga mengeluh.</p>',
        {"body": "Harga naik.\n\nWarga mengeluh.", "related_titles": ["huruf kecil"]},
        id="lowercase-label",
    ),
    pytest.param(
        '<p>Harga naik.</p><p>Baca selengkapnya: <a href="/a">Harga Naik Lagi</a></p>',
        {"body": "Harga naik.", "related_titles": ["Harga Naik Lagi"]},
        id="baca-selengkapnya-with-link",
    ),
]

# --- negatives: prose that must stay -------------------------------------------------------------

NEGATIVE = [
    pytest.param(
        "<p>Dia meminta warga membaca juga aturan itu. Guru itu berkata, baca juga buku sejarah.</p>",
        {
            "body": "Dia meminta warga membaca juga aturan itu. Guru itu berkata, baca juga buku "
            "sejarah.",
            "removed": [],
        },
        id="baca-juga-mid-sentence",
    ),
    pytest.param(
        "<p>Baca juga buku panduan yang diterbitkan dinas, kata Kepala Dinas Pendidikan.</p>",
        {"body": "Baca juga buku panduan yang diterbitkan dinas, kata Kepala Dinas Pendidikan."},
        id="baca-juga-opening-prose-no-colon",
    ),
    pytest.param(
        "<p>Iklan rokok dilarang tayang pada siang hari di televisi.</p>",
        {"body": "Iklan rokok dilarang tayang pada siang hari di televisi.", "removed": []},
        id="iklan-in-sentence",
    ),
    pytest.param(
        '<div class="leads uploads threads"><p>Belanja iklan digital (advertising) naik 20 persen,'
        " menurut asosiasi periklanan.</p></div>",
        {
            "body": "Belanja iklan digital (advertising) naik 20 persen, menurut asosiasi periklanan."
        },
        id="advertising-paragraph-and-token-lookalikes",
    ),
    pytest.param(
        "<p>Pelaku menipu korban lewat grup Telegram dan Google News palsu.</p>",
        {"body": "Pelaku menipu korban lewat grup Telegram dan Google News palsu."},
        id="telegram-in-prose",
    ),
    pytest.param(
        "<p>Rapat digelar hari ini.</p><p>Editor majalah itu hadir bersama penulis buku.</p>",
        {
            "body": "Rapat digelar hari ini.\n\nEditor majalah itu hadir bersama penulis buku.",
            "editor": None,
        },
        id="editor-word-in-prose",
    ),
    pytest.param(
        "<p>Wakil Presiden - yang hadir pagi itu - membuka acara.</p>",
        {"body": "Wakil Presiden - yang hadir pagi itu - membuka acara.", "dateline_city": None},
        id="dash-in-first-sentence-not-dateline",
    ),
    pytest.param(
        "<p>Harga beras naik menjelang Lebaran (H-4).</p><p>Pedagang menjual beras (premium)</p>",
        {"body": "Harga beras naik menjelang Lebaran (H-4).\n\nPedagang menjual beras (premium)"},
        id="parenthesis-in-prose-not-code",
    ),
    pytest.param(
        "<p>Polisi menangkap pelaku. Pelaku dijerat pasal penipuan dan/atau penggelapan</p>",
        {"body": "Polisi menangkap pelaku. Pelaku dijerat pasal penipuan dan/atau penggelapan"},
        id="slash-words-not-code",
    ),
    pytest.param(
        "<p>Warga memadati Jalan Tunjungan.</p><p>Mereka menonton pawai.</p>",
        {"body": "Warga memadati Jalan Tunjungan.\n\nMereka menonton pawai.", "removed": []},
        id="plain-prose",
    ),
]

# --- ads, embeds, share bars, captions, lists ------------------------------------------------------

NOISE = [
    pytest.param(
        '<p>Harga naik.</p><div class="parallaxindetail scrollpage"><p>ADVERTISEMENT</p>'
        "<p>SCROLL TO CONTINUE WITH CONTENT</p></div><p>Warga mengeluh.</p>",
        {"body": "Harga naik.\n\nWarga mengeluh.", "rules": ["ad_slot"]},
        id="detik-parallax",
    ),
    pytest.param(
        '<p>Harga naik.</p><div class="paradetail"><div>ADVERTISEMENT</div></div><p>Warga.</p>',
        {"body": "Harga naik.\n\nWarga.", "rules": ["ad_slot"]},
        id="cnn-paradetail",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>ADVERTISEMENT</p><p>SCROLL TO CONTINUE WITH CONTENT</p>"
        "<p>Advertisement</p><p>Iklan</p><p>Warga.</p>",
        {"body": "Harga naik.\n\nWarga.", "rules": ["ad_slot"]},
        id="ad-text-paragraphs",
    ),
    pytest.param(
        '<p>Isi.</p><ins class="adsbygoogle" data-ad-slot="1"></ins><div id="div-gpt-ad-12345-0">'
        '</div><div class="iklan_tengah">x</div><div class="banner-top">y</div>'
        '<div class="ads-box">z</div><p>Lanjut.</p>',
        {"body": "Isi.\n\nLanjut.", "rules": ["ad_slot"]},
        id="ad-classes-ids",
    ),
    pytest.param(
        "<p>Isi.</p><script>var a = 1;</script><style>p{}</style><noscript>x</noscript>"
        '<iframe src="https://www.youtube.com/embed/x"></iframe><form><input><button>Kirim</button>'
        "</form><svg><text>ikon</text></svg><p>Lanjut.</p>",
        {"body": "Isi.\n\nLanjut.", "rules": ["script", "style", "embed", "form", "media"]},
        id="scripts-iframes-forms",
    ),
    pytest.param(
        '<p>Isi.</p><div class="share-box"><a>Facebook</a><a>Twitter</a></div>'
        '<div class="sosmed">Bagikan</div><div class="social_links">x</div><p>Lanjut.</p>',
        {"body": "Isi.\n\nLanjut.", "rules": ["share_bar"]},
        id="share-bars",
    ),
    pytest.param(
        '<figure><img src="a.jpg"><figcaption>Warga antre minyak goreng. (Foto: Budi/detikcom)'
        "</figcaption></figure><p>Warga antre.</p>",
        {
            "body": "Warga antre.",
            "captions": ["Warga antre minyak goreng. (Foto: Budi/detikcom)"],
            "rules": ["caption"],
        },
        id="figure-figcaption",
    ),
    pytest.param(
        '<div class="wp-caption"><img src="b.jpg"><p class="wp-caption-text">Petugas berjaga</p>'
        '</div><p>Isi.</p><div class="caption">Suasana rapat</div>',
        {"body": "Isi.", "captions": ["Petugas berjaga", "Suasana rapat"]},
        id="wp-caption-and-caption-class",
    ),
    pytest.param(
        '<p>Isi.</p><p class="para_caption">ADVERTISEMENT</p><p>Lanjut.</p>',
        {"body": "Isi.\n\nLanjut.", "captions": [], "rules": ["ad_slot"]},
        id="para-caption-advertisement",
    ),
    pytest.param(
        "<p>Isi.</p><p>Foto: Suasana rapat di Balai Kota (detikcom)</p><p>Lanjut.</p>",
        {"body": "Isi.\n\nLanjut.", "captions": ["Foto: Suasana rapat di Balai Kota (detikcom)"]},
        id="foto-line-caption",
    ),
    pytest.param(
        '<p>Isi.</p><p><img src="x.jpg" alt="foto"></p><p>Lanjut.</p>',
        {"body": "Isi.\n\nLanjut.", "rules": ["image"]},
        id="bare-image",
    ),
    pytest.param(
        "<p>Banjir melanda.</p><p>Simak Video 'Banjir Rendam Surabaya'</p>"
        "<p>[Gambas:Video 20detik]</p>",
        {"body": "Banjir melanda.", "rules": ["embed"]},
        id="detik-simak-video-gambas",
    ),
    pytest.param(
        "<p>Banjir melanda kota. [Gambas:Video CNN]</p><p>Warga mengungsi.</p>",
        {"body": "Banjir melanda kota.\n\nWarga mengungsi.", "rules": ["embed"]},
        id="cnn-gambas-inline",
    ),
    pytest.param(
        "<p>Banjir.</p><p>[Gambas:Instagram]</p><p>Yuk, Simak Juga Video ini!</p>"
        "<p>Saksikan video selengkapnya di kanal kami.</p>",
        {"body": "Banjir.", "rules": ["embed"]},
        id="gambas-any-jpnn-yuk-saksikan",
    ),
    pytest.param(
        '<p>Banjir.</p><blockquote class="twitter-tweet"><p>Banjir lagi</p></blockquote>',
        {"body": "Banjir.", "rules": ["embed"]},
        id="tweet-embed",
    ),
    pytest.param(
        "<p>Banjir melanda.</p><h3>BERITA TERBARU</h3><ul><li><a href='/1'>Banjir Rendam Kota</a>"
        "</li><li><a href='/2'>Pemkot Gelar Lomba</a></li></ul>",
        {"body": "Banjir melanda.", "rules": ["latest_list"], "related_links": []},
        id="berita-terbaru-list",
    ),
    pytest.param(
        "<p>Banjir melanda.</p><p><strong>Terpopuler</strong></p><p><a href='/1'>Satu Dua</a></p>"
        "<p>Rekomendasi</p><p>Judul Berita Lain</p>",
        {"body": "Banjir melanda.", "rules": ["latest_list"]},
        id="terpopuler-rekomendasi",
    ),
    pytest.param(
        "<p>Banjir melanda.</p><h3>Berita Terkait</h3><ul><li><a href='/x'>Banjir Lagi</a></li>"
        "</ul>",
        {
            "body": "Banjir melanda.",
            "related_links": [{"title": "Banjir Lagi", "url": "https://example.co.id/x"}],
        },
        id="berita-terkait-links-kept",
    ),
    pytest.param(
        '<p>Banjir melanda.</p><div class="detail__body-tag"><a>banjir</a> <a>surabaya</a></div>'
        "<p>Tags: banjir, surabaya</p>",
        {"body": "Banjir melanda.", "rules": ["tags"]},
        id="tag-box-and-line",
    ),
    pytest.param(
        '<p>Banjir melanda.</p><div class="box-terpopuler"><p>Satu</p></div><p>Selesai.</p>',
        {"body": "Banjir melanda.\n\nSelesai.", "rules": ["latest_list"]},
        id="latest-box-class",
    ),
]

# --- calls to action, copyright, crawl ban, syndication, email protection -----------------------

FOOTERS = [
    pytest.param(
        "<p>Harga naik.</p><p>Dapatkan update berita pilihan dan breaking news setiap hari dari "
        'Kompas.com. Mari bergabung di Grup Telegram "Kompas.com News Update", caranya klik link '
        "https://t.me/kompascomupdate, kemudian join.</p>",
        {"body": "Harga naik.", "rules": ["call_to_action"]},
        id="kompas-dapatkan-update",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>Simak breaking news dan berita pilihan kami langsung di ponselmu. "
        "Pilih saluran andalanmu akses berita Kompas.com WhatsApp Channel : "
        "https://www.whatsapp.com/channel/0029VaFPbedBPzjZrk13HO3D.</p>",
        {"body": "Harga naik.", "rules": ["call_to_action"]},
        id="kompas-whatsapp-channel",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>Cek Berita dan Artikel lainnya di Google News</p>"
        "<p>Ikuti berita terkini Surabaya Pagi di Google News</p>",
        {"body": "Harga naik.", "rules": ["call_to_action"]},
        id="google-news",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>Gabung ke channel Telegram kami untuk berita terkini.</p>"
        "<p>Klik di sini untuk berlangganan.</p>",
        {"body": "Harga naik.", "rules": ["call_to_action"]},
        id="telegram-klik-di-sini",
    ),
    pytest.param(
        "<p>Bank Indonesia menahan suku bunga.</p><p>Pewarta: Budi Santoso<br>Editor: Citra Dewi"
        "<br>Copyright © ANTARA 2024</p><p>Dilarang keras mengambil konten, melakukan crawling "
        "atau pengindeksan otomatis untuk AI di situs web ini tanpa izin tertulis dari Kantor "
        "Berita ANTARA.</p>",
        {
            "body": "Bank Indonesia menahan suku bunga.",
            "reporter": "Budi Santoso",
            "editor": "Citra Dewi",
            "rules": ["copyright", "crawl_ban", "reporter", "editor"],
        },
        id="antara-footer",
    ),
    pytest.param(
        "<p>Bank Indonesia menahan suku bunga. Dilarang keras mengambil konten, melakukan "
        "crawling atau pengindeksan otomatis untuk AI di situs web ini tanpa izin tertulis dari "
        "Kantor Berita ANTARA.</p>",
        {"body": "Bank Indonesia menahan suku bunga.", "rules": ["crawl_ban"]},
        id="crawl-ban-glued",
    ),
    pytest.param(
        "<p>Bank Indonesia menahan suku bunga. Copyright © ANTARA 2024</p>",
        {"body": "Bank Indonesia menahan suku bunga.", "rules": ["copyright"]},
        id="copyright-glued",
    ),
    pytest.param(
        "<p>Hubungi panitia di [email&#160;protected] untuk mendaftar.</p>",
        {"body": "Hubungi panitia di untuk mendaftar.", "rules": ["email_protection"]},
        id="cloudflare-email-text",
    ),
    pytest.param(
        '<p>Hubungi <a href="/cdn-cgi/l/email-protection" class="__cf_email__" '
        'data-cfemail="abc">[email&#160;protected]</a> segera.</p>',
        {"body": "Hubungi segera.", "rules": ["email_protection"]},
        id="cloudflare-email-anchor",
    ),
    pytest.param(
        "<p>Polisi menangkap pelaku.</p><p>Artikel ini telah tayang di Surya.co.id dengan judul "
        "Polisi Tangkap Pelaku</p>",
        {"body": "Polisi menangkap pelaku.", "syndicated_from": "Surya.co.id"},
        id="syndication-name-only",
    ),
    pytest.param(
        '<p>Hubungi <a href="/cdn-cgi/l/email-protection#543931142c2c7a373b39" '
        'class="__cf_email__" data-cfemail="543931142c2c7a373b39">[email&#160;protected]</a> '
        "segera.</p>",
        {"body": "Hubungi me@xx.com segera.", "removed": []},
        id="cloudflare-email-decoded",
    ),
    pytest.param(
        "<p>Isi.</p><p>*) Dapatkan update informasi pilihan setiap hari dari TIMES Indonesia "
        "dengan bergabung di WhatsApp Channel TIMES Indonesia.</p>",
        {"body": "Isi.", "rules": ["call_to_action"]},
        id="footnote-marked-cta",
    ),
    pytest.param(
        "<p>Polisi menangkap pelaku.</p><p>Artikel ini telah tayang di Surya.co.id dengan judul "
        "Polisi Tangkap Pelaku, https://surabaya.tribunnews.com/2024/01/02/polisi</p>",
        {
            "body": "Polisi menangkap pelaku.",
            "syndicated_from": "https://surabaya.tribunnews.com/2024/01/02/polisi",
            "rules": ["syndication"],
        },
        id="tribun-syndication",
    ),
    pytest.param(
        '<p>Isi.</p><p>Artikel ini telah tayang di <a href="https://surabaya.tribunnews.com/x">'
        "Surya.co.id</a> dengan judul Banjir Surabaya<br>https://surabaya.tribunnews.com/x<br>"
        "Penulis: Luhur Pambudi | Editor: Dwi Prastika</p>",
        {
            "body": "Isi.",
            "syndicated_from": "https://surabaya.tribunnews.com/x",
            "writers": ["Luhur Pambudi"],
            "editor": "Dwi Prastika",
            "related_links": [],
        },
        id="syndication-multiline",
    ),
    pytest.param(
        '<p>Isi.</p><p>Artikel ini telah tayang di Kompas.com dengan judul "Banjir", Klik untuk '
        "baca: https://regional.kompas.com/read/2024/1/banjir.</p>",
        {"body": "Isi.", "syndicated_from": "https://regional.kompas.com/read/2024/1/banjir"},
        id="kompas-syndication",
    ),
]

# --- metadata lines ---------------------------------------------------------------------------------

METADATA = [
    pytest.param(
        "<p>Rapat selesai sore hari.</p><p>Editor : Moch Ilham</p>",
        {"body": "Rapat selesai sore hari.", "editor": "Moch Ilham", "rules": ["editor"]},
        id="surabayapagi-editor",
    ),
    pytest.param(
        '<p>Polisi menangkap pelaku.</p><div id="penulis">Penulis: Luhur Pambudi</div>'
        '<div id="editor">Editor: Dwi Prastika</div>',
        {
            "body": "Polisi menangkap pelaku.",
            "writers": ["Luhur Pambudi"],
            "editor": "Dwi Prastika",
            "rules": ["writer", "editor"],
        },
        id="tribun-div-penulis-editor",
    ),
    pytest.param(
        '<p>Polisi menangkap pelaku.</p><div id="penulis"><a href="/penulis/luhur">Luhur Pambudi'
        "</a></div>",
        {"body": "Polisi menangkap pelaku.", "writers": ["Luhur Pambudi"]},
        id="div-penulis-without-label",
    ),
    pytest.param(
        "<p>Laporan Wartawan TribunJatim.com, Luhur Pambudi</p>"
        "<p>TRIBUNJATIM.COM, SURABAYA - Polisi menangkap pelaku.</p>",
        {
            "body": "Polisi menangkap pelaku.",
            "reporter": "Luhur Pambudi",
            "dateline_city": "Surabaya",
        },
        id="tribun-laporan-wartawan",
    ),
    pytest.param(
        "<p>Isi berita.</p><p>Reporter: Anisa Rahma</p><p>Kontributor: Bayu Aji</p>"
        "<p>Penulis: Andi Wijaya dan Budi Santoso</p>",
        {
            "body": "Isi berita.",
            "reporter": "Anisa Rahma",
            "writers": ["Andi Wijaya", "Budi Santoso"],
        },
        id="reporter-kontributor-penulis",
    ),
    pytest.param(
        "<p>Isi berita.</p><p>(Editor: Hendra Gunawan)</p>",
        {"body": "Isi berita.", "editor": "Hendra Gunawan"},
        id="editor-in-parentheses-line",
    ),
    pytest.param(
        "<p>Isi berita. (Editor: Hendra Gunawan)</p>",
        {"body": "Isi berita.", "editor": "Hendra Gunawan"},
        id="editor-in-parentheses-glued",
    ),
    pytest.param(
        "<p>Isi berita.</p><p>EDITOR: HENDRA GUNAWAN</p><p>penulis:Ani Lestari</p>",
        {"body": "Isi berita.", "editor": "HENDRA GUNAWAN", "writers": ["Ani Lestari"]},
        id="metadata-any-case-no-space",
    ),
    pytest.param(
        "<p>Isi berita.</p><p>Penulis: Redaksi Surabaya Pagi</p><p>Editor: Admin</p>",
        {"body": "Isi berita.", "writers": [], "editor": None, "rules": ["writer", "editor"]},
        id="metadata-non-person-filtered",
    ),
]

# --- datelines ---------------------------------------------------------------------------------------

DATELINES = [
    pytest.param(
        "<p>SURABAYAPAGI.COM, Malang - Pemkot Malang menggelar rapat.</p>",
        {"body": "Pemkot Malang menggelar rapat.", "dateline_city": "Malang"},
        id="surabayapagi",
    ),
    pytest.param(
        "<p>Surabaya (beritajatim.com) – Polisi menangkap pelaku.</p>",
        {"body": "Polisi menangkap pelaku.", "dateline_city": "Surabaya"},
        id="beritajatim",
    ),
    pytest.param(
        '<p class="text-foreground mb-6"><strong class="uppercase">BATU – </strong>Petani apel.</p>',
        {"body": "Petani apel.", "dateline_city": "Batu"},
        id="timesindonesia-lokus-F49174953252",
    ),
    pytest.param(
        '<p><strong class="uppercase">TIMESINDONESIA – </strong>Petani apel.</p>',
        {"body": "Petani apel.", "dateline_city": None},
        id="timesindonesia-no-lokus",
    ),
    pytest.param(
        "<p>TIMESINDONESIA, MALANG – Petani apel.</p>",
        {"body": "Petani apel.", "dateline_city": "Malang"},
        id="timesindonesia-old-site",
    ),
    pytest.param(
        "<p><strong>Mojokerto (beritajatim.com) –</strong> Kota Mojokerto bersiap.</p>",
        {"body": "Kota Mojokerto bersiap.", "dateline_city": "Mojokerto"},
        id="beritajatim-bold-F40229439964",
    ),
    pytest.param(
        "<p>Banyuwangi (beritajatim.com) - Festival dibuka.</p>",
        {"body": "Festival dibuka.", "dateline_city": "Banyuwangi"},
        id="beritajatim-hyphen",
    ),
    pytest.param(
        "<p>SURABAYA, KOMPAS.com – Polisi menangkap pelaku.</p>",
        {"body": "Polisi menangkap pelaku.", "dateline_city": "Surabaya"},
        id="kompas-en-dash",
    ),
    pytest.param(
        "<p><strong>JAKARTA, KOMPAS.com -</strong> Pemerintah menaikkan harga.</p>",
        {"body": "Pemerintah menaikkan harga.", "dateline_city": "Jakarta"},
        id="kompas-bold",
    ),
    pytest.param(
        "<p>Jakarta, CNN Indonesia -- Pemerintah menaikkan harga.</p>",
        {"body": "Pemerintah menaikkan harga.", "dateline_city": "Jakarta"},
        id="cnn",
    ),
    pytest.param(
        "<p>Jakarta (ANTARA) - Bank Indonesia menahan suku bunga.</p>",
        {"body": "Bank Indonesia menahan suku bunga.", "dateline_city": "Jakarta"},
        id="antara",
    ),
    pytest.param(
        "<p>TRIBUNNEWS.COM, JAKARTA - Pemerintah menaikkan harga.</p>",
        {"body": "Pemerintah menaikkan harga.", "dateline_city": "Jakarta"},
        id="tribun",
    ),
    pytest.param(
        "<p>SURYA.co.id | Warga Surabaya antusias.</p>",
        {"body": "Warga Surabaya antusias.", "dateline_city": None, "rules": ["dateline"]},
        id="surya-bar-no-city",
    ),
    pytest.param(
        "<p>SURYA.co.id | MALANG - Warga antusias.</p>",
        {"body": "Warga antusias.", "dateline_city": "Malang"},
        id="surya-bar-then-city",
    ),
    pytest.param(
        "<p>SURYA.co.id, SURABAYA - Warga antusias.</p>",
        {"body": "Warga antusias.", "dateline_city": "Surabaya"},
        id="surya-city",
    ),
    pytest.param(
        "<p>jpnn.com, JAKARTA - Ketua KPU hadir.</p>",
        {"body": "Ketua KPU hadir.", "dateline_city": "Jakarta"},
        id="jpnn",
    ),
    pytest.param(
        "<p><strong>Jakarta</strong> - Presiden meresmikan pasar.</p>",
        {"body": "Presiden meresmikan pasar.", "dateline_city": "Jakarta"},
        id="detik-bold-city",
    ),
    pytest.param(
        "<p>MALANGTIMES - Warga antusias.</p>",
        {"body": "Warga antusias.", "dateline_city": None, "rules": ["dateline"]},
        id="malangtimes",
    ),
    pytest.param(
        "<p>TIMESINDONESIA, MALANG – Warga antusias.</p>",
        {"body": "Warga antusias.", "dateline_city": "Malang"},
        id="timesindonesia",
    ),
    pytest.param(
        "<p>Kedua kalinya.</p><p>JAKARTA, KOMPAS.com - bukan pembuka.</p>",
        {"body": "Kedua kalinya.\n\nJAKARTA, KOMPAS.com - bukan pembuka.", "dateline_city": None},
        id="only-first-paragraph",
    ),
]

# --- reporter codes ---------------------------------------------------------------------------------

CODES = [
    pytest.param(
        "<p>Isi.</p><p>Acara lancar.</p><p>(vyp/kna)</p>",
        {"body": "Isi.\n\nAcara lancar."},
        id="detik-own-paragraph",
    ),
    pytest.param("<p>Acara lancar. (boy/jpnn)</p>", {"body": "Acara lancar."}, id="jpnn"),
    pytest.param("<p>Acara lancar.(H-4)</p>", {"body": "Acara lancar."}, id="mediaindonesia"),
    pytest.param("<p>Acara lancar. (mcr23/jpnn)</p>", {"body": "Acara lancar."}, id="jpnn-mcr"),
    pytest.param(
        "<p>Rapat membahas pemilu demi demokrasi. Ml-01/ham</p><p>Editor : Moch Ilham</p>",
        {
            "body": "Rapat membahas pemilu demi demokrasi.",
            "editor": "Moch Ilham",
            "rules": ["reporter_code", "editor"],
        },
        id="surabayapagi-glued",
    ),
    pytest.param("<p>Acara lancar. [yul/hds]</p>", {"body": "Acara lancar."}, id="beritajatim"),
    pytest.param("<p>Acara lancar. [fyi/beq]</p>", {"body": "Acara lancar."}, id="beritajatim-fyi"),
    pytest.param(
        "<p>Isi.</p><p>Acara lancar.</p><p>[lus/ian]</p>",
        {"body": "Isi.\n\nAcara lancar.", "reporter": None, "editor": None},
        id="beritajatim-own-paragraph",
    ),
    pytest.param(
        "<p>Acara lancar.[sar/but]</p>", {"body": "Acara lancar."}, id="beritajatim-glued"
    ),
    pytest.param("<p>Acara lancar. (*)</p>", {"body": "Acara lancar."}, id="star"),
    pytest.param("<p>Acara lancar. (ant)</p>", {"body": "Acara lancar."}, id="ant"),
    pytest.param("<p>Acara lancar.(bbn)</p>", {"body": "Acara lancar."}, id="bbn"),
    pytest.param(
        "<p>Pertama (abc/def) tidak.</p><p>Akhir.</p>",
        {"body": "Pertama (abc/def) tidak.\n\nAkhir."},
        id="only-at-the-end",
    ),
]

# --- text quality -----------------------------------------------------------------------------------

TEXT = [
    pytest.param(
        '<p>Harga cabai di <a href="/p">Pasar</a> Turi naik.</p>',
        {"body": "Harga cabai di Pasar Turi naik."},
        id="inline-link-spacing",
    ),
    pytest.param(
        "<p>Kota\u00a0Malang\u200b hari\ufeff ini&nbsp;cerah.</p>",
        {"body": "Kota Malang hari ini cerah."},
        id="nbsp-zwsp-bom",
    ),
    pytest.param(
        "<p>&amp;quot;Kami siap,&amp;quot; katanya.</p>",
        {"body": '"Kami siap," katanya.'},
        id="double-encoded-entities",
    ),
    pytest.param(
        "<p>Satu.</p><p> </p><p>&nbsp;</p><p>Dua.</p>",
        {"body": "Satu.\n\nDua."},
        id="empty-paragraphs",
    ),
    pytest.param(
        "<div>Satu.<br>Baris dua.<br><br>Dua.</div>",
        {"body": "Satu.\nBaris dua.\n\nDua."},
        id="br-lines",
    ),
    pytest.param("<p>Cafe\u0301 baru.</p>", {"body": "Caf\u00e9 baru."}, id="nfc"),
]


# --- gaps found on fixture pages ----------------------------------------------------------------------

GAPS = [
    pytest.param(
        "<p>Isi berita.</p><p>Redaktur &amp; Reporter : Ricky Saputra</p>",
        {
            "body": "Isi berita.",
            "editor": "Ricky Saputra",
            "reporter": "Ricky Saputra",
            "rules": ["editor"],
        },
        id="redaktur-and-reporter",
    ),
    pytest.param(
        "<p>Isi berita.</p><p>Penulis/Editor: Andi Wijaya</p>",
        {"body": "Isi berita.", "editor": "Andi Wijaya", "writers": ["Andi Wijaya"]},
        id="penulis-slash-editor",
    ),
    pytest.param(
        "<p>Isi berita.</p><p>Laporan oleh Rina Anggraeni</p>",
        {"body": "Isi berita.", "reporter": "Rina Anggraeni", "rules": ["reporter"]},
        id="laporan-oleh",
    ),
    pytest.param(
        "<p>Isi berita.</p><p>Publisher : Sholihin Nur</p>",
        {
            "body": "Isi berita.",
            "writers": [],
            "editor": None,
            "reporter": None,
            "rules": ["publisher"],
        },
        id="publisher-line",
    ),
    pytest.param(
        "<p>Isi berita.</p><p>Reporter: Rina Anggraeni | Publisher: Sholihin Nur</p>",
        {"body": "Isi berita.", "reporter": "Rina Anggraeni", "writers": []},
        id="reporter-and-publisher",
    ),
    pytest.param(
        '<p>Isi.</p><p class="keterangan">Warga melintas. Foto: SP/Sd-01</p><p>Lanjut.</p>',
        {
            "body": "Isi.\n\nLanjut.",
            "captions": ["Warga melintas. Foto: SP/Sd-01"],
            "rules": ["caption"],
        },
        id="caption-class-keterangan",
    ),
    pytest.param(
        '<p>Isi.</p><p class="photo-credit">Dok. Humas Pemkot</p><p>Lanjut.</p>',
        {"body": "Isi.\n\nLanjut.", "captions": ["Dok. Humas Pemkot"]},
        id="caption-class-credit",
    ),
    pytest.param(
        "<p>Isi.</p><p>Warga melintas di Jalan Darmo. Foto: SP/Sd-01</p><p>Lanjut.</p>",
        {"body": "Isi.\n\nLanjut.", "captions": ["Warga melintas di Jalan Darmo. Foto: SP/Sd-01"]},
        id="caption-foto-credit-at-end",
    ),
    pytest.param(
        "<p>Isi.</p><p>(Foto: Budi/Surabaya Pagi)</p><p>Lanjut.</p>",
        {"body": "Isi.\n\nLanjut.", "captions": ["(Foto: Budi/Surabaya Pagi)"]},
        id="caption-foto-in-parentheses",
    ),
    pytest.param(
        "<p>Isi.</p><p>Petugas memeriksa tanggul (Foto: Budi/SP)</p><p>Lanjut.</p>",
        {"body": "Isi.\n\nLanjut.", "captions": ["Petugas memeriksa tanggul (Foto: Budi/SP)"]},
        id="caption-foto-parentheses-at-end",
    ),
    pytest.param(
        "<p>Isi.</p><p>FOTO: Petugas memeriksa tanggul.</p><p>Lanjut.</p>",
        {"body": "Isi.\n\nLanjut.", "captions": ["FOTO: Petugas memeriksa tanggul."]},
        id="caption-foto-caps",
    ),
    pytest.param(
        "<p>Banjir melanda.</p><p>Tonton juga: Banjir di Surabaya</p>",
        {"body": "Banjir melanda.", "rules": ["embed"]},
        id="tonton-juga",
    ),
    pytest.param(
        "<p>Banjir melanda.</p><p>Tonton Video: Banjir di Surabaya</p>"
        "<p>Saksikan juga: Tanggul Jebol</p><p>Lihat Video: Evakuasi Warga</p>",
        {"body": "Banjir melanda."},
        id="tonton-saksikan-lihat-video",
    ),
    pytest.param(
        "<p>Banjir melanda kota. (ant/dar)</p><p>Tonton juga: Banjir di Surabaya</p>",
        {"body": "Banjir melanda kota.", "rules": ["embed", "reporter_code"]},
        id="code-before-tonton-juga",
    ),
    pytest.param(
        "<p>Banjir melanda kota.</p><p>(ant/dar)</p><p>Sumber: ANTARA</p><p>(*)</p>",
        {"body": "Banjir melanda kota.", "rules": ["source_line", "reporter_code"]},
        id="code-source-marker-iterated",
    ),
    pytest.param(
        "<p>Banjir melanda kota.</p><p>Halaman: 1 2 3 Selanjutnya</p>",
        {"body": "Banjir melanda kota.", "rules": ["pagination"]},
        id="pagination-halaman-numbers",
    ),
    pytest.param(
        "<p>Banjir melanda kota.</p><p>Baca Selengkapnya di halaman berikutnya</p>"
        "<p>Warga mengungsi.</p><p>Halaman selanjutnya</p><p>Next page</p>",
        {"body": "Banjir melanda kota.\n\nWarga mengungsi.", "rules": ["pagination"]},
        id="pagination-lines",
    ),
    pytest.param(
        "<p>Banjir melanda kota.</p><p>Halaman 2 dari 3</p><p>« Sebelumnya 1 2 Berikutnya »</p>",
        {"body": "Banjir melanda kota.", "rules": ["pagination"]},
        id="pagination-dari-and-arrows",
    ),
    pytest.param(
        "<p>Banjir melanda kota.</p><p>Sumber: ANTARA</p>",
        {"body": "Banjir melanda kota.", "rules": ["source_line"]},
        id="source-line-last",
    ),
    pytest.param(
        "<p>Banjir melanda kota.</p><p>Sumber: ANTARA</p><p>Editor: Citra Dewi</p>",
        {"body": "Banjir melanda kota.", "editor": "Citra Dewi", "rules": ["source_line"]},
        id="source-line-before-editor",
    ),
    pytest.param(
        "<p>Banjir melanda kota.</p><p>Sumber: ANTARA</p><p>Warga mengungsi.</p>",
        {"body": "Banjir melanda kota.\n\nWarga mengungsi.", "rules": ["source_line"]},
        id="source-line-second-to-last",
    ),
]

# --- real-world shapes of section 2 of the shared doc, all markups -------------------------------------

SHAPES = [
    pytest.param(
        '<p>Harga naik.</p><p><strong>Baca juga:</strong><a href="/a">Harga Cabai Naik</a></p>'
        "<p>Warga mengeluh.</p>",
        {"body": "Harga naik.\n\nWarga mengeluh.", "related_titles": ["Harga Cabai Naik"]},
        id="strong-label-link-outside-no-space",
    ),
    pytest.param(
        '<p>Harga naik.</p><p><b>BACA JUGA :</b> <a href="/a">Harga Cabai Naik</a> </p>'
        "<p>Warga mengeluh.</p>",
        {"body": "Harga naik.\n\nWarga mengeluh.", "related_titles": ["Harga Cabai Naik"]},
        id="b-label-link-outside",
    ),
    pytest.param(
        '<p>Harga naik.</p><h3>Baca Juga</h3><ul><li><a href="/a">Judul A</a></li>'
        '<li><a href="/b">Judul B</a></li></ul><p>Warga mengeluh karena harga terus naik.</p>',
        {
            "body": "Harga naik.\n\nWarga mengeluh karena harga terus naik.",
            "related_titles": ["Judul A", "Judul B"],
        },
        id="h3-heading-then-ul",
    ),
    pytest.param(
        '<p>Harga naik.</p><h4>Baca juga:</h4><ul><li><a href="/a">Judul A</a></li></ul>'
        "<p>Warga mengeluh karena harga terus naik.</p>",
        {
            "body": "Harga naik.\n\nWarga mengeluh karena harga terus naik.",
            "related_titles": ["Judul A"],
        },
        id="h4-heading-then-ul",
    ),
    pytest.param(
        '<p>Harga naik.</p><div class="baca-juga-box"><span>Baca Juga</span>'
        '<a href="/a">Judul A</a></div><p>Warga mengeluh.</p>',
        {
            "body": "Harga naik.\n\nWarga mengeluh.",
            "related_titles": ["Judul A"],
            "rules": ["read_also"],
        },
        id="div-baca-juga-box",
    ),
    pytest.param(
        '<p>Harga naik.</p><div class="related_post-wrapper"><a href="/a">Judul A</a></div>'
        "<p>Warga mengeluh.</p>",
        {"body": "Harga naik.\n\nWarga mengeluh.", "related_titles": ["Judul A"]},
        id="div-related-wrapper",
    ),
    pytest.param(
        '<p>Harga naik.</p><aside class="related"><h4>Berita Terkait</h4><a href="/a">Judul A</a>'
        "</aside><p>Warga mengeluh.</p>",
        {"body": "Harga naik.\n\nWarga mengeluh.", "related_titles": ["Judul A"]},
        id="aside-related-class",
    ),
    pytest.param(
        '<p>Harga naik.</p><aside><a href="/a">Judul Satu</a><a href="/b">Judul Dua</a></aside>'
        "<p>Warga mengeluh.</p>",
        {
            "body": "Harga naik.\n\nWarga mengeluh.",
            "related_titles": ["Judul Satu", "Judul Dua"],
            "rules": ["read_also"],
        },
        id="aside-bare-links",
    ),
    pytest.param(
        '<p>Harga naik.</p><aside><h4>Terpopuler</h4><a href="/1">Judul Satu</a>'
        '<a href="/2">Judul Dua</a></aside>',
        {"body": "Harga naik.", "related_links": [], "rules": ["latest_list"]},
        id="aside-terpopuler-stays-latest-list",
    ),
    pytest.param(
        "<p>Harga naik.</p><aside><p>Fakta singkat: harga cabai rawit naik dua kali lipat dalam "
        "sepekan.</p></aside><p>Warga mengeluh.</p>",
        {
            "body": "Harga naik.\n\nFakta singkat: harga cabai rawit naik dua kali lipat dalam "
            "sepekan.\n\nWarga mengeluh.",
            "removed": [],
        },
        id="aside-prose-kept",
    ),
    pytest.param(
        '<p>Harga naik.</p><div class="keterangan">Penulis: Andi Wijaya</div>',
        {"body": "Harga naik.", "writers": ["Andi Wijaya"], "captions": []},
        id="byline-in-caption-box",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>ARTIKEL TERKAIT</p><p><a href='/a'>Judul A</a></p>"
        "<p>Warga mengeluh karena harga terus naik.</p>",
        {
            "body": "Harga naik.\n\nWarga mengeluh karena harga terus naik.",
            "related_titles": ["Judul A"],
        },
        id="artikel-terkait-caps",
    ),
    pytest.param(
        '<p>Harga naik.</p><p>Berita Terkait: <a href="/a">Judul A</a></p><p>Warga mengeluh.</p>'
        "<p>Berita Terkait: Judul Tanpa Tautan</p><p>Pedagang pasrah.</p>",
        {
            "body": "Harga naik.\n\nWarga mengeluh.\n\nPedagang pasrah.",
            "related_titles": ["Judul A", "Judul Tanpa Tautan"],
        },
        id="berita-terkait-inline",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>Simak berita lainnya di surabayapagi.com</p>"
        "<p>Simak berita lainnya di Google News</p>",
        {"body": "Harga naik.", "rules": ["call_to_action"]},
        id="simak-berita-lainnya",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>Ikuti kami di media sosial</p>"
        "<p>Ikuti kami di Instagram @surabayapagi</p>",
        {"body": "Harga naik.", "rules": ["call_to_action"]},
        id="ikuti-kami",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>Follow Instagram @surabayapagi untuk berita terbaru</p>",
        {"body": "Harga naik.", "rules": ["call_to_action"]},
        id="follow-instagram",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>Baca berita menarik lainnya</p>"
        "<p>Baca berita menarik lainnya di surabayapagi.com</p>",
        {"body": "Harga naik.", "related_links": []},
        id="baca-berita-menarik-lainnya",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>Download aplikasi Surabaya Pagi di Play Store</p>"
        "<p>Download aplikasi Surabaya Pagi sekarang!</p>",
        {"body": "Harga naik.", "rules": ["call_to_action"]},
        id="download-aplikasi",
    ),
    pytest.param(
        "<p>Harga naik. (*)</p>",
        {"body": "Harga naik.", "rules": ["reporter_code"]},
        id="star-glued",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>(*)</p>",
        {"body": "Harga naik.", "rules": ["reporter_code"]},
        id="star-own-line",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>***</p><p>Warga mengeluh.</p><p>* * *</p>",
        {"body": "Harga naik.\n\nWarga mengeluh.", "rules": ["separator"]},
        id="star-separators",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>---</p><p>Warga mengeluh.</p><p>———</p><p>___</p>",
        {"body": "Harga naik.\n\nWarga mengeluh.", "rules": ["separator"]},
        id="dash-separators",
    ),
    pytest.param(
        "<p>Bank Indonesia menahan suku bunga. DILARANG KERAS MENGAMBIL KONTEN, MELAKUKAN "
        "CRAWLING ATAU PENGINDEKSAN OTOMATIS UNTUK AI DI SITUS WEB INI TANPA IZIN TERTULIS DARI "
        "KANTOR BERITA ANTARA.</p>",
        {"body": "Bank Indonesia menahan suku bunga.", "rules": ["crawl_ban"]},
        id="crawl-ban-caps-glued",
    ),
    pytest.param(
        "<p>Bank Indonesia menahan suku bunga.</p><p>dilarang keras mengambil konten, melakukan "
        "crawling atau pengindeksan otomatis untuk ai di situs web ini tanpa izin tertulis dari "
        "kantor berita antara.</p>",
        {"body": "Bank Indonesia menahan suku bunga.", "rules": ["crawl_ban"]},
        id="crawl-ban-lowercase-line",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>Copyright © 2024 Surabaya Pagi. All rights reserved.</p>",
        {"body": "Harga naik.", "rules": ["copyright"]},
        id="copyright-year-first-line",
    ),
    pytest.param(
        "<p>Harga naik. COPYRIGHT © 2024 Surabaya Pagi</p>",
        {"body": "Harga naik.", "rules": ["copyright"]},
        id="copyright-year-first-glued-caps",
    ),
]

# --- negatives: prose that merely mentions these words -------------------------------------------------

SHAPE_NEGATIVE = [
    pytest.param(
        "<p>Redaktur senior dan reporter muda itu hadir dalam diskusi.</p>",
        {"body": "Redaktur senior dan reporter muda itu hadir dalam diskusi.", "removed": []},
        id="redaktur-reporter-in-prose",
    ),
    pytest.param(
        "<p>Laporan oleh warga diterima polisi pada Senin pagi.</p>",
        {"body": "Laporan oleh warga diterima polisi pada Senin pagi.", "reporter": None},
        id="laporan-oleh-in-prose",
    ),
    pytest.param(
        "<p>Publisher game itu menunda peluncuran hingga tahun depan.</p>",
        {"body": "Publisher game itu menunda peluncuran hingga tahun depan.", "removed": []},
        id="publisher-in-prose",
    ),
    pytest.param(
        "<p>Ia lalu menunjukkan sebuah foto: dua orang pria berdiri di depan rumah.</p>",
        {
            "body": "Ia lalu menunjukkan sebuah foto: dua orang pria berdiri di depan rumah.",
            "captions": [],
        },
        id="foto-colon-in-prose",
    ),
    pytest.param(
        "<p>Warga diminta tonton juga siaran ulang rapat itu, kata dia.</p>"
        "<p>Kami menonton video itu bersama.</p>",
        {
            "body": "Warga diminta tonton juga siaran ulang rapat itu, kata dia.\n\n"
            "Kami menonton video itu bersama.",
            "removed": [],
        },
        id="tonton-in-prose",
    ),
    pytest.param(
        "<p>Halaman rumah warga terendam banjir setinggi lutut.</p>"
        "<p>Halaman selanjutnya dari laporan itu memuat daftar korban.</p>",
        {
            "body": "Halaman rumah warga terendam banjir setinggi lutut.\n\n"
            "Halaman selanjutnya dari laporan itu memuat daftar korban.",
            "removed": [],
        },
        id="halaman-in-prose",
    ),
    pytest.param(
        "<p>Sumber: ANTARA</p><p>Bank Indonesia menahan suku bunga.</p><p>Inflasi terkendali.</p>"
        "<p>Rupiah menguat.</p>",
        {
            "body": "Sumber: ANTARA\n\nBank Indonesia menahan suku bunga.\n\nInflasi terkendali."
            "\n\nRupiah menguat."
        },
        id="source-line-not-at-end-kept",
    ),
    pytest.param(
        "<p>Harga naik.</p><p>Sumber: data Badan Pusat Statistik menunjukkan inflasi turun tajam "
        "sepanjang tahun ini, terutama pada kelompok bahan pangan.</p>",
        {
            "body": "Harga naik.\n\nSumber: data Badan Pusat Statistik menunjukkan inflasi turun "
            "tajam sepanjang tahun ini, terutama pada kelompok bahan pangan."
        },
        id="long-sumber-line-kept",
    ),
    pytest.param(
        "<p>Menurut sumber di kepolisian, pelaku sudah ditangkap.</p>",
        {"body": "Menurut sumber di kepolisian, pelaku sudah ditangkap.", "removed": []},
        id="sumber-in-prose",
    ),
    pytest.param(
        "<p>Ia mengaku rajin mengikuti akun itu dan follow Instagram artis tersebut.</p>"
        "<p>Warga diminta download aplikasi PeduliLindungi sebelum masuk mal, kata petugas "
        "yang berjaga di pintu masuk sejak pagi hari untuk memeriksa pengunjung.</p>",
        {
            "body": "Ia mengaku rajin mengikuti akun itu dan follow Instagram artis tersebut.\n\n"
            "Warga diminta download aplikasi PeduliLindungi sebelum masuk mal, kata petugas yang "
            "berjaga di pintu masuk sejak pagi hari untuk memeriksa pengunjung.",
            "removed": [],
        },
        id="follow-download-in-prose",
    ),
    pytest.param(
        "<p>Ia meminta warga ikuti kami ke lokasi, kata petugas.</p>",
        {"body": "Ia meminta warga ikuti kami ke lokasi, kata petugas.", "removed": []},
        id="ikuti-kami-mid-sentence",
    ),
    pytest.param(
        "<p>Skor akhir 3-1 untuk tuan rumah.</p><p>Harga turun 5 - 10 persen.</p>",
        {"body": "Skor akhir 3-1 untuk tuan rumah.\n\nHarga turun 5 - 10 persen.", "removed": []},
        id="dashes-in-prose",
    ),
    pytest.param(
        "<p>Berita terkait banjir itu ramai dibagikan warganet sejak pagi.</p>",
        {"body": "Berita terkait banjir itu ramai dibagikan warganet sejak pagi.", "removed": []},
        id="berita-terkait-in-prose",
    ),
    pytest.param(
        "<p>Hak cipta dan copyright lagu itu dipersoalkan sejak 2019 oleh penciptanya.</p>",
        {
            "body": "Hak cipta dan copyright lagu itu dipersoalkan sejak 2019 oleh penciptanya.",
            "removed": [],
        },
        id="copyright-in-prose",
    ),
    pytest.param(
        "<p>Polisi dilarang keras mengambil konten pribadi warga tanpa izin, kata Kapolres.</p>",
        {
            "body": "Polisi dilarang keras mengambil konten pribadi warga tanpa izin, kata Kapolres.",
            "removed": [],
        },
        id="dilarang-keras-in-prose",
    ),
    pytest.param(
        "<p>Simak berita lainnya soal banjir, warga diminta waspada karena hujan deras diprediksi "
        "turun hingga akhir pekan di sebagian besar wilayah Jawa Timur menurut BMKG setempat.</p>",
        {
            "body": "Simak berita lainnya soal banjir, warga diminta waspada karena hujan deras "
            "diprediksi turun hingga akhir pekan di sebagian besar wilayah Jawa Timur menurut BMKG "
            "setempat.",
        },
        id="simak-berita-long-prose",
    ),
]


# --- leaks: syndication with links, inline "Baca juga", embeds straight to clean_body -----------

DETIK_URL = "https://www.detik.com/jatim/berita/d-1/banjir"

LEAKS = [
    pytest.param(
        f'<p>Warga antre air bersih.</p><p>Artikel ini telah tayang di <a href="{DETIK_URL}">'
        f'detikJatim</a>. Baca selengkapnya <a href="{DETIK_URL}">di sini</a>.</p>',
        {"body": "Warga antre air bersih.", "syndicated_from": DETIK_URL, "related_links": []},
        id="syndication-detik-baca-selengkapnya",
    ),
    pytest.param(
        "<p>Warga antre air bersih.</p><p>Artikel ini telah tayang di detikJatim. Baca "
        "selengkapnya di sini.</p>",
        {"body": "Warga antre air bersih.", "syndicated_from": "detikJatim"},
        id="syndication-detik-no-link",
    ),
    pytest.param(
        '<p>Polisi masih menyelidiki kasus itu. <strong>Baca Juga: <a href="/a">Judul Lain</a>'
        "</strong> Sementara itu warga diminta tenang.</p>",
        {
            "body": "Polisi masih menyelidiki kasus itu. Sementara itu warga diminta tenang.",
            "related_links": [{"title": "Judul Lain", "url": "https://example.co.id/a"}],
            "rules": ["read_also"],
        },
        id="inline-bold-baca-juga",
    ),
    pytest.param(
        '<p>Polisi masih menyelidiki kasus itu. <b>Baca juga:</b> <a href="/a">Judul Lain</a> '
        "Sementara itu warga diminta tenang.</p>",
        {
            "body": "Polisi masih menyelidiki kasus itu. Sementara itu warga diminta tenang.",
            "related_titles": ["Judul Lain"],
        },
        id="inline-bold-label-link-after",
    ),
    pytest.param(
        '<p>Satu.</p><div class="fb-post" data-href="https://www.facebook.com/x/posts/1">'
        '<blockquote cite="https://www.facebook.com/x/posts/1" class="fb-xfbml-parse-ignore">'
        '<p>Isi unggahan.</p>Posted by <a href="https://www.facebook.com/x">Pemkot</a> on '
        "Monday, 1 July 2024</blockquote></div><p>Dua.</p>",
        {"body": "Satu.\n\nDua.", "rules": ["embed"], "not_in_body": ["Posted by"]},
        id="embed-fb-post",
    ),
    pytest.param(
        '<p>Satu.</p><blockquote data-instgrm-permalink="https://www.instagram.com/p/C1/" '
        'data-instgrm-version="14"><div><a href="https://www.instagram.com/p/C1/">A post '
        "shared by Pemkot (@pemkot)</a></div></blockquote><p>Dua.</p>",
        {"body": "Satu.\n\nDua.", "rules": ["embed"], "related_links": []},
        id="embed-instagram-no-class",
    ),
    pytest.param(
        '<p>Satu.</p><figure class="wp-block-embed is-type-rich is-provider-twitter">'
        '<div class="wp-block-embed__wrapper"><blockquote class="twitter-tweet"><p>Isi cuitan.'
        '</p>&mdash; Pemkot (@pemkot) <a href="https://twitter.com/x/status/1">July 1, 2024</a>'
        "</blockquote></div></figure><p>Dua.</p>",
        {"body": "Satu.\n\nDua.", "captions": [], "rules": ["embed"]},
        id="embed-wp-block-tweet",
    ),
    pytest.param(
        "<p>Warga diminta waspada terhadap banjir.</p><p>(mcr12/jpnn)</p><p><strong>Jangan "
        'Lewatkan Video Terbaru:</strong></p><div><iframe src="https://x.id/v"></iframe></div>',
        {"body": "Warga diminta waspada terhadap banjir.", "rules": ["embed", "reporter_code"]},
        id="jpnn-video-plug-then-code",
    ),
]

LEAKS_NEGATIVE = [
    pytest.param(
        "<p>Warga menonton video banjir itu. Artikel ini telah dibaca ribuan orang.</p>",
        {
            "body": "Warga menonton video banjir itu. Artikel ini telah dibaca ribuan orang.",
            "syndicated_from": None,
        },
        id="prose-artikel-ini",
    ),
    pytest.param(
        '<p>Menurut <strong><a href="/p">Polri</a></strong>, kasus itu masih diselidiki.</p>',
        {"body": "Menurut Polri, kasus itu masih diselidiki.", "related_links": []},
        id="bold-link-prose",
    ),
    pytest.param(
        "<p>Guru meminta murid <strong>baca juga</strong> buku sejarah.</p>",
        {"body": "Guru meminta murid baca juga buku sejarah.", "related_links": []},
        id="bold-baca-juga-without-link",
    ),
    pytest.param(
        '<p>Ia berkata, <strong>Baca juga <a href="/b">buku</a> panduan itu</strong>, lalu '
        "pergi.</p>",
        {"body": "Ia berkata, Baca juga buku panduan itu, lalu pergi.", "related_links": []},
        id="bold-label-with-prose",
    ),
    pytest.param(
        "<p>Satu.</p><blockquote><p>Kami akan menuntaskan kasus ini, kata Kapolri.</p>"
        "</blockquote><p>Dua.</p>",
        {"body": "Satu.\n\nKami akan menuntaskan kasus ini, kata Kapolri.\n\nDua."},
        id="quote-blockquote-kept",
    ),
    pytest.param(
        "<p>Jangan lewatkan video pengumuman itu, kata Budi kepada wartawan di Balai Kota "
        "Surabaya pada Senin sore karena jadwalnya berubah.</p>",
        {
            "body": "Jangan lewatkan video pengumuman itu, kata Budi kepada wartawan di Balai "
            "Kota Surabaya pada Senin sore karena jadwalnya berubah."
        },
        id="jangan-lewatkan-video-prose",
    ),
]


def test_embed_definition_is_shared() -> None:
    from newscrawl.clean import embeds
    from newscrawl.pages import blocks

    assert blocks.is_embed is embeds.is_embed


@pytest.mark.parametrize(
    ("html", "expect"),
    READ_ALSO
    + NEGATIVE
    + NOISE
    + FOOTERS
    + METADATA
    + DATELINES
    + CODES
    + TEXT
    + GAPS
    + SHAPES
    + SHAPE_NEGATIVE
    + LEAKS
    + LEAKS_NEGATIVE,
)
def test_clean_body(html: str, expect: dict) -> None:
    _check(clean_body(html, base_url=BASE), expect)


# --- portal rules -----------------------------------------------------------------------------------

SP_RULES = PortalRules(
    drop_selectors=(".komentar", "#comments"),
    related_selectors=(".bacajuga-box",),
    line_patterns=(r"^Follow Surabaya Pagi",),
    site_names=("surabayapagi.com", "Surabaya Pagi"),
    reporter_code_patterns=(r"\s*\b[A-Z][A-Za-z]{0,3}-\d{1,3}/[A-Za-z]{1,5}\s*$",),
)

PORTAL = [
    pytest.param(
        '<p>Isi.</p><div class="komentar"><p>Komentar pembaca panjang.</p></div>',
        {"body": "Isi.", "rules": ["portal_selector"]},
        id="drop-selector",
    ),
    pytest.param(
        '<p>Isi.</p><section class="bacajuga-box"><a href="/n-1">Judul Satu</a></section>',
        {
            "body": "Isi.",
            "related_links": [{"title": "Judul Satu", "url": "https://surabayapagi.com/n-1"}],
        },
        id="related-selector",
    ),
    pytest.param(
        "<p>Isi.</p><p>Follow Surabaya Pagi di Instagram @surabayapagi</p>",
        {"body": "Isi.", "rules": ["portal_line"]},
        id="line-pattern",
    ),
    pytest.param(
        "<p>Isi berita penting. SB-12/abc</p>",
        {"body": "Isi berita penting.", "rules": ["reporter_code"]},
        id="code-pattern",
    ),
    pytest.param(
        "<p>Surabaya Pagi, Malang - Warga antusias.</p>",
        {"body": "Warga antusias.", "dateline_city": "Malang"},
        id="site-name-dateline",
    ),
    pytest.param(
        "<p>Isi.</p><p>Penulis: Surabaya Pagi</p>",
        {"body": "Isi.", "writers": []},
        id="site-name-not-writer",
    ),
]


@pytest.mark.parametrize(("html", "expect"), PORTAL)
def test_portal_rules(html: str, expect: dict) -> None:
    _check(clean_body(html, rules=SP_RULES, base_url="https://surabayapagi.com/news-1-x"), expect)


# --- whole articles ---------------------------------------------------------------------------------

DETIK_ARTICLE = """
<div class="detail__body-text itp_bodycontent">
<p><strong>Jakarta</strong> - Presiden Joko Widodo meresmikan <a href="https://www.detik.com/tag/pasar">Pasar</a> Turi di Surabaya, Kamis (2/11/2023).</p>
<table class="linksisip"><tr><td><div class="lihatjg"><strong>Baca juga: </strong><a href="https://news.detik.com/berita/d-7012345/cabai">Harga Cabai Naik</a></div></td></tr></table>
<div class="parallaxindetail scrollpage"><div class="paradetail"><p>ADVERTISEMENT</p><p>SCROLL TO CONTINUE WITH CONTENT</p></div></div>
<p>Acara itu dihadiri ribuan warga.</p>
<p>Simak Video 'Jokowi Resmikan Pasar Turi'</p>
<p>[Gambas:Video 20detik]</p>
<p>(vyp/kna)</p>
</div>
"""


def test_detik_article_from_element() -> None:
    root = lxml.html.fragment_fromstring(DETIK_ARTICLE.strip())
    before = lxml.html.tostring(root)
    r = clean_body(root, base_url="https://news.detik.com/berita/d-1/x")
    assert lxml.html.tostring(root) == before  # the element is not modified
    assert r.body == (
        "Presiden Joko Widodo meresmikan Pasar Turi di Surabaya, Kamis (2/11/2023).\n\n"
        "Acara itu dihadiri ribuan warga."
    )
    assert r.dateline_city == "Jakarta"
    assert r.related_links == [
        {"title": "Harga Cabai Naik", "url": "https://news.detik.com/berita/d-7012345/cabai"}
    ]
    assert r.rule_counts == {
        "read_also": 1,
        "ad_slot": 1,
        "dateline": 1,
        "embed": 2,
        "reporter_code": 1,
    }


def test_removals_are_in_order_and_auditable() -> None:
    r = clean_body("<p>Baca juga: Satu</p><p>Isi.</p><p>Editor: Budi Santoso</p>")
    assert [(x.rule, x.text) for x in r.removed] == [
        ("read_also", "Baca juga: Satu"),
        ("editor", "Editor: Budi Santoso"),
    ]


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        None,
        12,
        b"<p>bytes \xff</p>",
        "<p>\x00\x01</p>",
        "<?xml version='1.0' encoding='utf-8'?><p>x</p>",
    ],
)
def test_bad_input_never_raises(bad: object) -> None:
    r = clean_body(bad)  # type: ignore[arg-type]
    assert isinstance(r, CleanResult)
    assert "\x00" not in r.body
    assert not any(x.rule == "error" for x in r.removed)


def test_full_document_uses_body() -> None:
    r = clean_body(
        "<!DOCTYPE html><html><head><title>T</title></head><body><p>Isi.</p></body></html>"
    )
    assert r.body == "Isi."


def test_deep_nesting() -> None:
    html = "<div>" * 200 + "Isi." + "</div>" * 200
    r = clean_body(html)
    assert r.body == "Isi."
    assert not any(x.rule == "error" for x in r.removed)


def test_absurd_nesting_falls_back_to_plain_text() -> None:
    root = el = lxml.html.Element("div")
    for _ in range(5000):
        el = lxml.etree.SubElement(el, "div")
    el.text = "Isi."
    r = clean_body(root)
    assert r.body == "Isi."


def test_portal_rules_accept_lists() -> None:
    rules = PortalRules(drop_selectors=[".x"], site_names=["a.com"])  # type: ignore[arg-type]
    assert rules.drop_selectors == (".x",)
    assert clean_body('<p>Isi.</p><p class="x">y</p>', rules=rules).body == "Isi."


def test_bad_portal_rules_are_skipped() -> None:
    rules = PortalRules(drop_selectors=("[[",), line_patterns=("(",))
    assert clean_body("<p>Isi.</p>", rules=rules).body == "Isi."


def test_closing_list_heading_drops_the_rest_but_keeps_metadata() -> None:
    html = (
        "<p>Pemkot Malang menggelar rapat koordinasi pemilu bersama seluruh camat dan lurah.</p>"
        "<p>Rapat membahas pemilu yang jujur demi demokrasi. Ml-01/ham</p>"
        "<h3>BERITA TERBARU</h3>"
        "<ul><li><a href='/n-1'>Banjir Rendam Surabaya</a><p>Hujan deras sejak pagi membuat "
        "sejumlah ruas jalan tergenang.</p></li></ul>"
        "<p>Editor : Moch Ilham</p>"
    )
    r = clean_body(html, rules=SP_RULES)
    assert r.body == (
        "Pemkot Malang menggelar rapat koordinasi pemilu bersama seluruh camat dan lurah.\n\n"
        "Rapat membahas pemilu yang jujur demi demokrasi."
    )
    assert r.editor == "Moch Ilham"
    assert r.rule_counts["latest_list"] == 3


def test_list_heading_mid_article_keeps_following_prose() -> None:
    html = (
        "<p>Pembuka.</p><p>Terpopuler</p><p><a href='/1'>Judul Populer Satu</a></p>"
        "<p>Warga memadati Jalan Tunjungan sejak pagi untuk menyaksikan pawai budaya tahunan.</p>"
        "<p>Pawai berlangsung meriah dan tertib hingga sore hari menurut panitia penyelenggara.</p>"
    )
    r = clean_body(html)
    assert r.body == (
        "Pembuka.\n\n"
        "Warga memadati Jalan Tunjungan sejak pagi untuk menyaksikan pawai budaya tahunan.\n\n"
        "Pawai berlangsung meriah dan tertib hingga sore hari menurut panitia penyelenggara."
    )


# --- the fast walk: text nodes are copied untranslated, so odd characters must not break it -------

RAW_TEXT = [
    pytest.param(
        "<p>a&#1;b&#6;c&#4;d&#5;e</p><p>f&#3;g</p>", "abcde\n\nfg", id="control-char-refs"
    ),
    pytest.param("<p>Satu\nbaris\r\ndua\tkata</p>", "Satu baris dua kata", id="source-newlines"),
    pytest.param("<pre>baris 1\nbaris 2</pre><p>Isi.</p>", "baris 1\nbaris 2\n\nIsi.", id="pre"),
    pytest.param(
        "<p>Isi\u00a0berita\u200b.</p><p>\u201cKami siap,\u201d katanya.</p>",
        "Isi berita.\n\n\u201cKami siap,\u201d katanya.",
        id="non-ascii-spaces",
    ),
    pytest.param("<div>Satu.<br>\n  <br>Dua.</div>", "Satu.\n\nDua.", id="br-space-br"),
]


@pytest.mark.parametrize(("html", "body"), RAW_TEXT)
def test_raw_text_nodes(html: str, body: str) -> None:
    assert clean_body(html).body == body


def test_marker_characters_in_element_text() -> None:
    # lxml.html keeps control characters it parses; the engine must walk such a tree safely.
    root = lxml.html.fromstring("<div><p>a\x04b\x01c</p><p>d\x06e <a href='/x'>f\x03</a></p></div>")
    r = clean_body(root)
    assert r.body == "abc\n\nde f"
    assert not any(x.rule == "error" for x in r.removed)


def test_link_text_across_source_newline() -> None:
    r = clean_body('<p>Isi.</p><p>Baca juga: <a href="/x">Judul\nBaru</a></p>', base_url=BASE)
    assert r.body == "Isi."
    assert r.related_links == [{"title": "Judul Baru", "url": "https://example.co.id/x"}]


# --- TIMES Indonesia's closing promo (F49174953252), whatever the portal rules -----------------

TIMES_PROMO = [
    '<p>Isi.</p><p class="italic text-foreground text-base md:text-lg">Simak breaking news dan '
    "berita pilihan TIMES Indonesia langsung dari WhatsApp-mu! Klik 👉 <a href="
    '"https://whatsapp.com/channel/0029Va">Channel TIMES Indonesia</a>. Pastikan WhatsApp kamu '
    "sudah terpasang.</p>",
    "<p>Isi.</p><p>Simak breaking news dan berita pilihan TIMES Indonesia langsung dari "
    "WhatsApp-mu!</p>",
]


@pytest.mark.parametrize("html", TIMES_PROMO)
@pytest.mark.parametrize("portal", [None, "timesindonesia"])
def test_times_whatsapp_promo(html: str, portal: str | None) -> None:
    from newscrawl.portals import get_profile

    rules = get_profile(portal).rules if portal else None
    assert clean_body(html, rules=rules, base_url=BASE).body == "Isi."


# --- Radar JawaPos: "Baca Juga" is <strong class="read__others"> (portal-evidence §5.5) ----------

RADAR = [
    pytest.param(
        '<p>Isi satu.</p><p><strong class="read__others">Baca Juga: <a href="/surabaya/1/a">'
        "Judul Lain</a></strong></p><p>Isi dua.</p>",
        {
            "body": "Isi satu.\n\nIsi dua.",
            "related_links": [
                {"title": "Judul Lain", "url": "https://radarsurabaya.jawapos.com/surabaya/1/a"}
            ],
        },
        id="own-paragraph-F53116540163",
    ),
    pytest.param(
        '<p>Isi satu yang panjang. <strong class="read__others">Baca Juga: <a href="/jatim/2/b">'
        "Judul Dua</a></strong></p><p>Isi dua.</p>",
        {"body": "Isi satu yang panjang.\n\nIsi dua.", "related_titles": ["Judul Dua"]},
        id="inside-prose-S3",
    ),
    pytest.param(
        '<p>Isi.</p><p><strong class="read__others">Judul Tanpa Label</strong></p><p>Akhir.</p>',
        {"body": "Isi.\n\nAkhir.", "not_in_body": ["Judul Tanpa Label"]},
        id="no-label-F24130064846",
    ),
    pytest.param(
        "<p>Isi.</p><p><strong> <!--img1--> </strong></p><p>Akhir.</p>",
        {"body": "Isi.\n\nAkhir."},
        id="image-placeholder-F33431720749",
    ),
]


@pytest.mark.parametrize(("html", "expect"), RADAR)
def test_radar_rules(html: str, expect: dict) -> None:
    from newscrawl.portals import get_profile

    rules = get_profile("radarjawapos").rules
    url = "https://radarsurabaya.jawapos.com/surabaya/774912345/x"
    _check(clean_body(html, rules=rules, base_url=url), expect)
