"""Date strings as Indonesian portals print them, with the instant each one means.

Hand-written rows reproduce the shapes of docs/indonesian-news.md section 1 (the portal table, the
machine values and their traps); ``generated_month_cases`` adds every month spelling in several
shapes. Expected values are ISO 8601 with the offset the string states (or WIB when none).
"""

from __future__ import annotations

from datetime import date, datetime

from newscrawl.dates import WIB

# (string, expected ISO) for strings that must parse without ``now``.
REAL_CASES: list[tuple[str, str]] = [
    # surabayapagi.com byline and its variants
    ("Selasa, 13 Agu 2024 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    ("Selasa, 13 Agu 2024 18:13 Wib", "2024-08-13T18:13:00+07:00"),
    ("Selasa, 13 Agu 2024 18:13 wib", "2024-08-13T18:13:00+07:00"),
    ("Selasa, 13 Agt 2024 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    ("Selasa, 13 Ags 2024 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    ("Selasa, 13 Agus 2024 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    ("Selasa, 13 Agu. 2024 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    ("Selasa, 13 Agustus 2024 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    ("SELASA, 13 AGUSTUS 2024 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    ("author surabayapagi.com Selasa, 13 Agu 2024 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    ("- Pewarta Selasa, 13 Agu 2024 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    ("Selasa, 13 Agu 2024 18:13 WIB | Surabaya Pagi", "2024-08-13T18:13:00+07:00"),
    ("  Selasa,  13  Agu  2024  18:13  WIB  ", "2024-08-13T18:13:00+07:00"),
    ("Selasa,\u00a013\u00a0Agu\u00a02024\u00a018:13\u00a0WIB", "2024-08-13T18:13:00+07:00"),
    ("\ufeffSelasa, 13 Agu 2024 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    ("Selasa, 13 Agu 2024 18:13 WITA", "2024-08-13T18:13:00+08:00"),
    ("Selasa, 13 Agu 2024 18:13 WIT", "2024-08-13T18:13:00+09:00"),
    ("Selasa, 13 Agu 2024 18:13 wita", "2024-08-13T18:13:00+08:00"),
    ("Selasa, 13 Agu 2024 18:13 Wit", "2024-08-13T18:13:00+09:00"),
    ("Selasa, 13 Agu 2024 18:13:45 WIB", "2024-08-13T18:13:45+07:00"),
    ("Selasa, 13 Agu 2024 18:13", "2024-08-13T18:13:00+07:00"),
    ("Selasa, 13 Agu 2024", "2024-08-13T00:00:00+07:00"),
    ("Selasa 13 Agu 2024 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    ("Selasa, 13/08/2024 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    # detik.com
    ("Kamis, 02 Nov 2023 20:59 WIB", "2023-11-02T20:59:00+07:00"),
    ("Kamis, 02 Nop 2023 20:59 WIB", "2023-11-02T20:59:00+07:00"),
    ("Kamis, 02 Nopember 2023 20:59 WIB", "2023-11-02T20:59:00+07:00"),
    ("Jumat, 04 Okt 2024 19:34 WIB", "2024-10-04T19:34:00+07:00"),
    ("Jum'at, 04 Okt 2024 19:34 WIB", "2024-10-04T19:34:00+07:00"),
    ("Jum\u2019at, 04 Okt 2024 19:34 WIB", "2024-10-04T19:34:00+07:00"),
    ("Jum`at, 04 Okt 2024 19:34 WIB", "2024-10-04T19:34:00+07:00"),
    ("JUMAT, 04 OKT 2024 19:34 WIB", "2024-10-04T19:34:00+07:00"),
    ("2023/11/02 20:59:53", "2023-11-02T20:59:53+07:00"),
    ("2023-11-02T20-59-53Z", "2023-11-02T20:59:53+07:00"),
    ("1728045268", "2024-10-04T19:34:28+07:00"),
    (" 1728045268 ", "2024-10-04T19:34:28+07:00"),
    # kompas.com
    ("Kompas.com - 02/11/2023, 21:34 WIB", "2023-11-02T21:34:00+07:00"),
    ("Kompas.com \u2013 02/11/2023, 21:34 WIB", "2023-11-02T21:34:00+07:00"),
    ("KOMPAS.com - 02/11/2023, 21:34 WIB", "2023-11-02T21:34:00+07:00"),
    ("Kompas.com, 02/11/2023, 21:34 WIB", "2023-11-02T21:34:00+07:00"),
    ("02/11/2023, 21:34 WIB", "2023-11-02T21:34:00+07:00"),
    ("Kompas.com - 02/11/2023, 21:34 WITA", "2023-11-02T21:34:00+08:00"),
    ("Kompas.com - 02/11/2023", "2023-11-02T00:00:00+07:00"),
    ("2023-11-02T14:34:19+00:00", "2023-11-02T14:34:19+00:00"),
    ("2023-11-02 21:34:19", "2023-11-02T21:34:19+07:00"),
    ("Diperbarui 02/11/2023, 22:05 WIB", "2023-11-02T22:05:00+07:00"),
    # tribunnews.com
    ("Senin, 4 Mei 2020 04:25 WIB", "2020-05-04T04:25:00+07:00"),
    ("Tayang: Senin, 4 Mei 2020 04:25 WIB", "2020-05-04T04:25:00+07:00"),
    ("Tayang:Senin, 4 Mei 2020 04:25 WIB", "2020-05-04T04:25:00+07:00"),
    ("Senin, 04 Mei 2020 04:25 WIB", "2020-05-04T04:25:00+07:00"),
    ("Senin, 4 May 2020 04:25 WIB", "2020-05-04T04:25:00+07:00"),
    ("2020-05-04T04:25:10+07:00", "2020-05-04T04:25:10+07:00"),
    # mediaindonesia.com
    (" 08/1/2026 20:19", "2026-01-08T20:19:00+07:00"),
    ("08/1/2026 20:19", "2026-01-08T20:19:00+07:00"),
    ("8/1/2026 20:19", "2026-01-08T20:19:00+07:00"),
    ("08/01/2026 20:19", "2026-01-08T20:19:00+07:00"),
    ("2026-01-08T20:16:00+07:00", "2026-01-08T20:16:00+07:00"),
    # jpnn.com
    ("Minggu, 18 Juli 2021 \u2013 18:52 WIB", "2021-07-18T18:52:00+07:00"),
    ("Minggu, 18 Juli 2021 \u2014 18:52 WIB", "2021-07-18T18:52:00+07:00"),
    ("Minggu, 18 Juli 2021 - 18:52 WIB", "2021-07-18T18:52:00+07:00"),
    ("Ahad, 18 Juli 2021 \u2013 18:52 WIB", "2021-07-18T18:52:00+07:00"),
    ("Minggu, 18 Jul 2021 \u2013 18:52 WIB", "2021-07-18T18:52:00+07:00"),
    # liputan6
    ("Diterbitkan 13 Agu 2024, 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    ("Diperbarui 13 Agu 2024, 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    ("Diterbitkan 13 Agustus 2024, 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    (
        "Diterbitkan 13 Agu 2024, 18:13 WIB Diperbarui 14 Agu 2024, 10:00 WIB",
        "2024-08-13T18:13:00+07:00",
    ),
    # sindonews
    ("Kamis, 13 Oktober 2016 - 11:18 WIB", "2016-10-13T11:18:00+07:00"),
    ("Kamis, 13 Oktober 2016 - 11:18 wib", "2016-10-13T11:18:00+07:00"),
    # tempo
    ("Minggu, 17 Agustus 2025 | 15.00 WIB", "2025-08-17T15:00:00+07:00"),
    ("Minggu, 17 Agustus 2025 | 15.00", "2025-08-17T15:00:00+07:00"),
    ("Minggu, 17 Agustus 2025|15.00 WIB", "2025-08-17T15:00:00+07:00"),
    # jatimtimes / malangtimes template
    ("13 - Aug - 2024, 18:13", "2024-08-13T18:13:00+07:00"),
    ("13 - Agu - 2024, 18:13", "2024-08-13T18:13:00+07:00"),
    ("13-Aug-2024, 18:13", "2024-08-13T18:13:00+07:00"),
    ("13 - Aug - 2024", "2024-08-13T00:00:00+07:00"),
    # English leaks
    ("Sabtu 08 Oct 2016", "2016-10-08T00:00:00+07:00"),
    ("Sabtu, 08 October 2016 10:30 WIB", "2016-10-08T10:30:00+07:00"),
    ("Saturday, 08 October 2016", "2016-10-08T00:00:00+07:00"),
    ("October 8, 2016", "2016-10-08T00:00:00+07:00"),
    ("Oct 8, 2016 10:30 AM", "2016-10-08T10:30:00+07:00"),
    ("August 13, 2024 6:13 PM", "2024-08-13T18:13:00+07:00"),
    ("13th August 2024", "2024-08-13T00:00:00+07:00"),
    ("13 Aug 2024 12:00 AM", "2024-08-13T00:00:00+07:00"),
    ("13 Aug 2024 12:30 pm", "2024-08-13T12:30:00+07:00"),
    # "Pukul" and other time words
    ("Selasa, 13 Agustus 2024 Pukul 18.13 WIB", "2024-08-13T18:13:00+07:00"),
    ("Selasa, 13 Agustus 2024, pukul 18.13 WIB", "2024-08-13T18:13:00+07:00"),
    ("Selasa, 13 Agustus 2024 - Pukul 18.13 Wita", "2024-08-13T18:13:00+08:00"),
    ("13 Agustus 2024 pkl. 18.13 WIB", "2024-08-13T18:13:00+07:00"),
    ("13 Agustus 2024 jam 18:13", "2024-08-13T18:13:00+07:00"),
    ("18:13 WIB, Selasa 13 Agustus 2024", "2024-08-13T18:13:00+07:00"),
    ("Pukul 18.13 WITA - 13/08/2024", "2024-08-13T18:13:00+08:00"),
    # prefixes
    ("Dipublikasikan Selasa, 13 Agu 2024 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    ("Update: Selasa, 13 Agu 2024 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    ("Published: 2024-08-13T18:13:00+07:00", "2024-08-13T18:13:00+07:00"),
    ("Published: 13 Aug 2024", "2024-08-13T00:00:00+07:00"),
    ("Tanggal: 13-08-2024", "2024-08-13T00:00:00+07:00"),
    ("Surabaya Pagi | Selasa, 13 Agu 2024 18:13 WIB", "2024-08-13T18:13:00+07:00"),
    # old spellings
    ("Jumat, 06 Pebruari 2015 09:00 WIB", "2015-02-06T09:00:00+07:00"),
    ("Jumat, 06 Peb 2015 09:00 WIB", "2015-02-06T09:00:00+07:00"),
    ("Jumat, 09 Nopember 2018 07:05 WIB", "2018-11-09T07:05:00+07:00"),
    ("Jumat, 09 Nop 2018 07:05 WIB", "2018-11-09T07:05:00+07:00"),
    ("Jumat, 15 Maret 2024 08:00 WIB", "2024-03-15T08:00:00+07:00"),
    ("Jumat, 04 Agustus 2023 08:00 WIB", "2023-08-04T08:00:00+07:00"),
    ("Kamis, 25 Sept 2025 08:00 WIB", "2025-09-25T08:00:00+07:00"),
    # numeric day-first dates
    ("13-08-2024", "2024-08-13T00:00:00+07:00"),
    ("13/08/2024", "2024-08-13T00:00:00+07:00"),
    ("13.08.2024", "2024-08-13T00:00:00+07:00"),
    ("13-08-2024 18:13", "2024-08-13T18:13:00+07:00"),
    ("13/08/2024 18.13 WIB", "2024-08-13T18:13:00+07:00"),
    ("29/02/2024", "2024-02-29T00:00:00+07:00"),
    # ISO 8601 and machine values
    ("2024-08-13T18:13:00+07:00", "2024-08-13T18:13:00+07:00"),
    ("2024-08-13T11:13:00Z", "2024-08-13T11:13:00+00:00"),
    ("2024-08-13T11:13:00z", "2024-08-13T11:13:00+00:00"),
    ("2024-08-13T11:13:00+00:00", "2024-08-13T11:13:00+00:00"),
    ("2024-08-13T18:13:00.123+07:00", "2024-08-13T18:13:00.123000+07:00"),
    ("2024-08-13T11:13:00.123456Z", "2024-08-13T11:13:00.123456+00:00"),
    ("2024-08-13T11:13:00.123456789Z", "2024-08-13T11:13:00.123456+00:00"),
    ("2024-08-13T18:13:00+0700", "2024-08-13T18:13:00+07:00"),
    ("2024-08-13T18:13:00+07", "2024-08-13T18:13:00+07:00"),
    ("2024-08-13T19:13:00+08:00", "2024-08-13T19:13:00+08:00"),
    ("2024-08-13T06:13:00-05:00", "2024-08-13T06:13:00-05:00"),
    ("2024-08-13T18:13:00+05:30", "2024-08-13T18:13:00+05:30"),
    ("2024-08-13T18:13", "2024-08-13T18:13:00+07:00"),
    ("2024-08-13T18:13:00", "2024-08-13T18:13:00+07:00"),
    ("2024-08-13 18:13:00 +07:00", "2024-08-13T18:13:00+07:00"),
    ("2024-08-13 11:13:00 UTC", "2024-08-13T11:13:00+00:00"),
    ("2024-08-13 18:13 GMT+7", "2024-08-13T18:13:00+07:00"),
    ("2024-08-13", "2024-08-13T00:00:00+07:00"),
    ("2024/08/13", "2024-08-13T00:00:00+07:00"),
    ("2019-09-28WIB19:17:34+07:00", "2019-09-28T19:17:34+07:00"),
    ("2019-09-28 WIB 19:17:34", "2019-09-28T19:17:34+07:00"),
    ("2024-02-29T23:59:59+07:00", "2024-02-29T23:59:59+07:00"),
    ("2023-12-31T23:59:59Z", "2023-12-31T23:59:59+00:00"),
    ("2024-01-01T00:00:00+07:00", "2024-01-01T00:00:00+07:00"),
    ("1700000000", "2023-11-15T05:13:20+07:00"),
    # visible bylines with a bar between date and time, and a lower-case zone (issue 11)
    ("Rabu, 4 November 2015 | 21:04 WIB", "2015-11-04T21:04:00+07:00"),
    ("Rabu, 4 November 2015 | 21:04 wib", "2015-11-04T21:04:00+07:00"),
    ("Rabu, 4 November 2015 21:04 wib", "2015-11-04T21:04:00+07:00"),
    ("Rabu, 04 Nov 2015 | 21.04 Wib", "2015-11-04T21:04:00+07:00"),
    ("Oleh Redaksi | Rabu, 4 November 2015 | 21:04 WIB", "2015-11-04T21:04:00+07:00"),
    ("Surabaya | Rabu, 4 November 2015 | 21:04 WIB", "2015-11-04T21:04:00+07:00"),
]

# Strings that hold no complete, valid date: all give None.
NONE_CASES: list[object] = [
    None,
    "",
    "   ",
    "-",
    "WIB",
    "18:13 WIB",
    "Selasa",
    "Agustus 2024",
    "2024",
    "13 Agustus",
    "Selasa, 13 Agu 18:13 WIB",
    "Selasa (13/8)",
    "Kamis (2/11/2023)",
    "pada Kamis (2/11/2023).",
    "31 Februari 2024",
    "30 Feb 2024",
    "29 Februari 2023",
    "31 April 2024",
    "32 Januari 2024",
    "0 Januari 2024",
    "31/02/2024",
    "13/13/2024",
    "00/08/2024",
    "2024-02-30",
    "2024-13-01",
    "2024-00-10",
    "13 Agu 2024 25:00 WIB",
    "13 Agu 2024 24:00 WIB",
    "13 Agu 2024 18:61 WIB",
    "13 Agu 2024 18:13:61 WIB",
    "2024-08-13T25:13:00+07:00",
    "2024-08-13T18:60:00Z",
    "2024-08-13T18:13:00+15:00",
    "13 Aug 2024 13:00 PM",
    "13 Foo 2024",
    "13 Agu 0024",
    "13 Agu 1800",
    "13 Agu 2150",
    "5 menit yang lalu",  # relative without now
    "kemarin",
    "baru saja",
    "172804526",  # 9 digits: not an epoch
    "17280452680",  # 11 digits
    "1728045268.5",
    "abc" * 100,
    "13 Agu 2024 " + "x" * 300,
    "Selasa, 13 Agu 2024 18:13 WIB" + " " * 10 + "y" * 200,
    "lorem ipsum dolor sit amet",
    "!!!???***",
    "\x00\x01\x02",
    "Berita terbaru hari ini",
    "Kompas.com - ",
    "Tayang:",
    12345,
    1728045268,
    b"Selasa, 13 Agu 2024 18:13 WIB",
    # prose: in-text references, and dates followed by a sentence
    "Presiden Joko Widodo meresmikan jembatan di Surabaya pada Selasa (13/8) dan berjanji akan "
    "kembali pada Kamis (2/11/2023) untuk meninjau proyek lain.",
    "Polisi menangkap pelaku pada Selasa, 13 Agustus 2024 sekitar pukul 18.13 WIB di kawasan Jalan "
    "Ahmad Yani, Surabaya, kata Kapolres kepada wartawan.",
    "13 Agustus 2024 menjadi hari yang bersejarah bagi warga Kota Surabaya dan sekitarnya, kata "
    "wali kota.",
    "Dua jam lalu polisi menangkap dua pelaku pencurian motor di Pasar Turi, Surabaya, Jawa Timur.",
]

# (string, weekday_mismatch): the date is parsed either way.
WEEKDAY_CASES: list[tuple[str, str, bool]] = [
    ("Selasa, 13 Agu 2024 18:13 WIB", "2024-08-13T18:13:00+07:00", False),
    ("Rabu, 13 Agu 2024 18:13 WIB", "2024-08-13T18:13:00+07:00", True),
    ("Jumat, 13 Agu 2024 18:13 WIB", "2024-08-13T18:13:00+07:00", True),
    ("Jum'at, 04 Okt 2024 19:34 WIB", "2024-10-04T19:34:00+07:00", False),
    ("Sabtu, 04 Okt 2024 19:34 WIB", "2024-10-04T19:34:00+07:00", True),
    ("Minggu, 18 Juli 2021 - 18:52 WIB", "2021-07-18T18:52:00+07:00", False),
    ("Ahad, 18 Juli 2021 - 18:52 WIB", "2021-07-18T18:52:00+07:00", False),
    ("Senin, 18 Juli 2021 - 18:52 WIB", "2021-07-18T18:52:00+07:00", True),
    ("Kamis, 02/11/2023, 21:34 WIB", "2023-11-02T21:34:00+07:00", False),
    ("Selasa, 02/11/2023, 21:34 WIB", "2023-11-02T21:34:00+07:00", True),
    ("Tayang: Kamis, 13 Oktober 2016 - 11:18 WIB", "2016-10-13T11:18:00+07:00", False),
    ("Tayang: Rabu, 13 Oktober 2016 - 11:18 WIB", "2016-10-13T11:18:00+07:00", True),
    ("Saturday, 08 Oct 2016", "2016-10-08T00:00:00+07:00", False),
    ("Sunday, 08 Oct 2016", "2016-10-08T00:00:00+07:00", True),
    ("Kompas.com - 02/11/2023, 21:34 WIB", "2023-11-02T21:34:00+07:00", False),
]

#: Frozen fetch time for relative strings.
NOW = datetime(2024, 8, 13, 18, 0, 0, tzinfo=WIB)

# (string, expected ISO, has_time) resolved against NOW.
RELATIVE_CASES: list[tuple[str, str, bool]] = [
    ("5 menit yang lalu", "2024-08-13T17:55:00+07:00", True),
    ("5 menit lalu", "2024-08-13T17:55:00+07:00", True),
    ("5 Menit Yang Lalu", "2024-08-13T17:55:00+07:00", True),
    ("7 menit yang lalu", "2024-08-13T17:53:00+07:00", True),
    ("30 detik yang lalu", "2024-08-13T17:59:30+07:00", True),
    ("2 jam lalu", "2024-08-13T16:00:00+07:00", True),
    ("2 jam yang lalu", "2024-08-13T16:00:00+07:00", True),
    ("sejam lalu", "2024-08-13T17:00:00+07:00", True),
    ("satu jam yang lalu", "2024-08-13T17:00:00+07:00", True),
    ("dua jam lalu", "2024-08-13T16:00:00+07:00", True),
    ("3 hari lalu", "2024-08-10T18:00:00+07:00", False),
    ("3 hari yang lalu", "2024-08-10T18:00:00+07:00", False),
    ("sehari lalu", "2024-08-12T18:00:00+07:00", False),
    ("1 minggu lalu", "2024-08-06T18:00:00+07:00", False),
    ("2 minggu lalu", "2024-07-30T18:00:00+07:00", False),
    ("2 pekan lalu", "2024-07-30T18:00:00+07:00", False),
    ("Minggu lalu", "2024-08-06T18:00:00+07:00", False),
    ("1 bulan lalu", "2024-07-13T18:00:00+07:00", False),
    ("1 tahun lalu", "2023-08-13T18:00:00+07:00", False),
    ("kemarin", "2024-08-12T18:00:00+07:00", False),
    ("Kemarin", "2024-08-12T18:00:00+07:00", False),
    ("kemarin, 18:13", "2024-08-12T18:13:00+07:00", True),
    ("Kemarin 07.30 WIB", "2024-08-12T07:30:00+07:00", True),
    ("hari ini, 07.30 WIB", "2024-08-13T07:30:00+07:00", True),
    ("baru saja", "2024-08-13T18:00:00+07:00", True),
    ("Baru saja", "2024-08-13T18:00:00+07:00", True),
    ("Diperbarui 5 menit yang lalu", "2024-08-13T17:55:00+07:00", True),
    ("Detik.com | 7 menit yang lalu", "2024-08-13T17:53:00+07:00", True),
    ("5 minutes ago", "2024-08-13T17:55:00+07:00", True),
    ("an hour ago", "2024-08-13T17:00:00+07:00", True),
    # an absolute date wins over a relative phrase in the same string
    ("Jumat, 04 Okt 2024 19:34 WIB 7 menit yang lalu", "2024-10-04T19:34:00+07:00", True),
]

RELATIVE_NONE: list[str] = [
    "beberapa menit yang lalu",
    "beberapa minggu lalu",
    "0 hari lalu",
    "menit yang lalu",
    "5 menit",
    "5 menit lagi",
    "kemarin polisi menangkap dua pelaku pencurian motor di Pasar Turi Surabaya",
]

# Days and months as the generated table spells them (independent of newscrawl.dates).
_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTH_SPELLINGS: dict[int, tuple[str, ...]] = {
    1: ("Januari", "Jan", "January", "Jan."),
    2: ("Februari", "Pebruari", "Feb", "Peb", "February", "Feb."),
    3: ("Maret", "Mar", "March"),
    4: ("April", "Apr"),
    5: ("Mei", "May"),
    6: ("Juni", "Jun", "June"),
    7: ("Juli", "Jul", "July"),
    8: ("Agustus", "Agu", "Agt", "Ags", "Agus", "Aug", "August", "Agu."),
    9: ("September", "Sep", "Sept", "Sept."),
    10: ("Oktober", "Okt", "Oct", "October"),
    11: ("November", "Nopember", "Nov", "Nop"),
    12: ("Desember", "Des", "Dec", "December"),
}


def generated_month_cases() -> list[tuple[str, str]]:
    """Every month spelling in six shapes (byline, template, tempo, liputan6, date-only, English).

    >>> cases = generated_month_cases()
    >>> len(cases) > 250, cases[0]
    (True, ('Selasa, 9 Januari 2024 01:07 WIB', '2024-01-09T01:07:00+07:00'))
    """
    out: list[tuple[str, str]] = []
    for month, spellings in MONTH_SPELLINGS.items():
        day = date(2024, month, 8 + month)  # a different day per month
        wd = _DAYS[day.weekday()]
        d, y = day.day, day.year
        iso = day.isoformat()
        for i, mon in enumerate(spellings):
            hh, mm = (month + i * 3) % 24, (month * 7 + i) % 60
            t = f"{hh:02d}:{mm:02d}"
            td = f"{hh:02d}.{mm:02d}"
            out += [
                (f"{wd}, {d} {mon} {y} {t} WIB", f"{iso}T{t}:00+07:00"),
                (f"{d:02d} - {mon} - {y}, {t}", f"{iso}T{t}:00+07:00"),
                (f"{wd}, {d} {mon} {y} | {td} WITA", f"{iso}T{t}:00+08:00"),
                (f"Diterbitkan {d} {mon} {y}, {t} wit", f"{iso}T{t}:00+09:00"),
                (f"{d} {mon} {y}", f"{iso}T00:00:00+07:00"),
                (f"{mon} {d}, {y} {t}", f"{iso}T{t}:00+07:00"),
            ]
    return out


# choose_date: (id, candidates, expected source, expected ISO, expected flags)
CHOOSE_CASES: list[tuple[str, list[tuple[str, str]], str, str, tuple[str, ...]]] = [
    (
        "kompas_utc_jsonld_agrees_with_visible",
        [
            ("visible", "Kompas.com - 02/11/2023, 21:34 WIB"),
            ("jsonld", "2023-11-02T14:34:19+00:00"),
            ("meta", "2023-11-02 21:34:19"),
            ("url", "https://regional.kompas.com/read/2023/11/02/213419578/judul-berita"),
        ],
        "jsonld",
        "2023-11-02T14:34:19+00:00",
        (),
    ),
    (
        "detik_meta_and_pubdate",
        [
            ("meta", "2023/11/02 20:59:53"),
            ("meta", "2023-11-02T20-59-53Z"),
            ("visible", "Kamis, 02 Nov 2023 20:59 WIB"),
        ],
        "meta",
        "2023-11-02T20:59:53+07:00",
        (),
    ),
    (
        "detik_meta_only",
        [("meta", "2023-11-02T20-59-53Z"), ("meta", "2023/11/02 20:59:53")],
        "meta",
        "2023-11-02T20:59:53+07:00",
        (),
    ),
    (
        "mediaindonesia_jsonld_three_minutes_off",
        [("jsonld", "2026-01-08T20:16:00+07:00"), ("visible", " 08/1/2026 20:19")],
        "visible",
        "2026-01-08T20:19:00+07:00",
        ("date_sources_disagree",),
    ),
    (
        "jatimtimes_bare_date_jsonld_vs_visible_time",
        [
            ("jsonld", "2024-08-13"),
            ("visible", "13 - Aug - 2024, 18:13"),
            ("url", "https://jatim.jatimtimes.com/baca/312345/20240813/181300/judul"),
        ],
        "visible",
        "2024-08-13T18:13:00+07:00",
        (),
    ),
    (
        "jsonld_date_only_vs_visible_bar_and_lowercase_wib",
        [("jsonld", "2015-11-04"), ("visible", "Rabu, 4 November 2015 | 21:04 wib")],
        "visible",
        "2015-11-04T21:04:00+07:00",
        (),
    ),
    (
        "meta_date_only_vs_visible_time",
        [("meta", "2024-08-13"), ("visible", "Selasa, 13 Agu 2024 18:13 WIB")],
        "visible",
        "2024-08-13T18:13:00+07:00",
        (),
    ),
    (
        "jsonld_bare_midnight_vs_visible_time_same_day",
        [
            ("jsonld", "2015-11-04T00:00:00+07:00"),
            ("visible", "Rabu, 4 November 2015 | 21:04 WIB"),
        ],
        "visible",
        "2015-11-04T21:04:00+07:00",
        (),
    ),
    (
        "meta_bare_midnight_utc_vs_visible_time_same_day",
        [("meta", "2024-08-13T00:00:00Z"), ("visible", "Selasa, 13 Agu 2024 18:13 WIB")],
        "visible",
        "2024-08-13T18:13:00+07:00",
        (),
    ),
    (
        "bare_midnight_alone_is_kept",
        [("jsonld", "2015-11-04T00:00:00+07:00"), ("visible", "Rabu, 4 November 2015")],
        "jsonld",
        "2015-11-04T00:00:00+07:00",
        (),
    ),
    (
        "bare_midnight_other_day_still_disagrees",
        [("jsonld", "2015-11-03T00:00:00+07:00"), ("visible", "Rabu, 4 November 2015 21:04 WIB")],
        "visible",
        "2015-11-04T21:04:00+07:00",
        ("date_sources_disagree",),
    ),
    (
        "url_fallback_when_nothing_parses",
        [
            ("visible", "Berita Terkini"),
            ("jsonld", ""),
            ("url", "https://www.tribunnews.com/regional/2020/05/04/judul-berita"),
        ],
        "url",
        "2020-05-04T00:00:00+07:00",
        (),
    ),
    (
        "url_fallback_with_time",
        [("url", "https://jatim.jatimtimes.com/baca/312345/20240813/181300/judul")],
        "url",
        "2024-08-13T18:13:00+07:00",
        (),
    ),
    (
        "url_far_from_chosen",
        [
            ("jsonld", "2024-08-13T18:13:00+07:00"),
            ("url", "https://www.tribunnews.com/regional/2020/05/04/judul-berita"),
        ],
        "jsonld",
        "2024-08-13T18:13:00+07:00",
        ("date_far_from_url",),
    ),
    (
        "url_near_chosen_no_flag",
        [
            ("jsonld", "2020-05-05T01:00:00+07:00"),
            ("url", "https://www.tribunnews.com/regional/2020/05/04/judul-berita"),
        ],
        "jsonld",
        "2020-05-05T01:00:00+07:00",
        (),
    ),
    (
        "priority_without_visible",
        [
            ("feed", "Tue, 13 Aug 2024 11:13:00 +0000"),
            ("meta", "2024-08-13 18:13:00"),
            ("jsonld", "2024-08-13T18:13:00+07:00"),
        ],
        "jsonld",
        "2024-08-13T18:13:00+07:00",
        (),
    ),
    (
        "meta_over_feed",
        [("feed", "Tue, 13 Aug 2024 11:13:00 +0000"), ("meta", "2024-08-13 18:13:00")],
        "meta",
        "2024-08-13T18:13:00+07:00",
        (),
    ),
    (
        "timed_beats_date_only",
        [("jsonld", "2024-08-13"), ("meta", "2024-08-13 18:13:05")],
        "meta",
        "2024-08-13T18:13:05+07:00",
        (),
    ),
    (
        "visible_date_only_loses_to_machine_time",
        [("visible", "Selasa, 13 Agu 2024"), ("meta", "2024-08-13T18:13:05+07:00")],
        "meta",
        "2024-08-13T18:13:05+07:00",
        (),
    ),
    (
        "weekday_mismatch_flag",
        [("visible", "Rabu, 13 Agu 2024 18:13 WIB")],
        "visible",
        "2024-08-13T18:13:00+07:00",
        ("weekday_mismatch",),
    ),
    (
        "machine_disagree_without_visible",
        [("jsonld", "2024-08-13T18:13:00+07:00"), ("meta", "2024-08-13T20:00:00+07:00")],
        "jsonld",
        "2024-08-13T18:13:00+07:00",
        ("date_sources_disagree",),
    ),
    (
        "relative_visible_with_now",
        [("visible", "5 menit yang lalu")],
        "visible",
        "2024-08-13T17:55:00+07:00",
        (),
    ),
    (
        "garbage_candidates_skipped",
        [("visible", None), ("meta",), 42, ("jsonld", "2024-08-13T18:13:00+07:00")],
        "jsonld",
        "2024-08-13T18:13:00+07:00",
        (),
    ),
]

CHOOSE_NONE: list[object] = [
    [],
    None,
    [("visible", "")],
    [("visible", "Berita Terkini"), ("meta", "n/a")],
    [("url", "https://news.detik.com/berita/d-7013345/judul")],
]

# (url, expected) for date_from_url
URL_CASES: list[tuple[object, str | None]] = [
    ("https://regional.kompas.com/read/2023/11/02/213419578/judul", "2023-11-02"),
    ("https://www.tribunnews.com/regional/2020/05/04/judul-berita", "2020-05-04"),
    ("https://surabaya.tribunnews.com/2020/5/4/judul-berita", "2020-05-04"),
    ("https://jatim.jatimtimes.com/baca/312345/20240813/181300/judul", "2024-08-13T18:13:00"),
    ("https://www.malangtimes.com/baca/1/20240813/251300/judul", "2024-08-13"),
    ("https://www.malangtimes.com/baca/1/20240813/judul", "2024-08-13"),
    ("https://example.com/2024-08-13/judul", "2024-08-13"),
    ("https://regional.kompas.com/read/2023/11/02", "2023-11-02"),
    ("https://regional.kompas.com/read/2023/02/30/1/judul", None),
    ("https://news.detik.com/berita/d-7013345/judul", None),
    ("https://news.detik.com/indeks?page=2&date=11/02/2023", None),
    ("https://surabayapagi.com/news-12345-judul-berita", None),
    ("https://www.mediaindonesia.com/politik-dan-hukum/123456/judul", None),
    ("", None),
    (None, None),
    (12345, None),
    ("http://[::1", None),
]
