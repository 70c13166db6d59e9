"""Table tests for newscrawl.dates: real portal shapes, None cases, weekdays, relative, choice."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawl.dates import (
    WIT,
    WITA,
    DateChoice,
    DateParse,
    choose_date,
    date_from_url,
    parse_date,
    parse_date_detailed,
)
from tests.data.dates_cases import (
    CHOOSE_CASES,
    CHOOSE_NONE,
    NONE_CASES,
    NOW,
    REAL_CASES,
    RELATIVE_CASES,
    RELATIVE_NONE,
    URL_CASES,
    WEEKDAY_CASES,
    generated_month_cases,
)

ALL_CASES = REAL_CASES + generated_month_cases()


def test_table_is_large_enough():
    assert len(ALL_CASES) >= 300
    assert len({text for text, _ in ALL_CASES}) == len(ALL_CASES)


@pytest.mark.parametrize(("text", "expected"), ALL_CASES)
def test_parses_to_exact_instant_and_offset(text, expected):
    value = parse_date(text)
    assert value is not None, text
    assert value.isoformat() == expected
    assert value.tzinfo is not None


@pytest.mark.parametrize(("text", "expected"), ALL_CASES)
def test_now_does_not_change_absolute_dates(text, expected):
    assert parse_date(text, now=NOW).isoformat() == expected


@pytest.mark.parametrize(("text", "expected"), REAL_CASES)
def test_real_cases_have_right_weekday(text, expected):
    assert parse_date_detailed(text).weekday_mismatch is False


@pytest.mark.parametrize("text", NONE_CASES, ids=lambda t: repr(t)[:40])
def test_none_cases(text):
    assert parse_date(text) is None
    assert parse_date_detailed(text) is None


@pytest.mark.parametrize(("text", "expected", "mismatch"), WEEKDAY_CASES)
def test_weekday_mismatch_is_parsed_and_flagged(text, expected, mismatch):
    parsed = parse_date_detailed(text)
    assert parsed.value.isoformat() == expected
    assert parsed.weekday_mismatch is mismatch


@pytest.mark.parametrize(("text", "expected", "has_time"), RELATIVE_CASES)
def test_relative_with_frozen_now(text, expected, has_time):
    parsed = parse_date_detailed(text, now=NOW)
    assert parsed is not None, text
    assert parsed.value.isoformat() == expected
    assert parsed.has_time is has_time
    assert parsed.raw == text


@pytest.mark.parametrize(("text", "expected", "has_time"), RELATIVE_CASES)
def test_relative_now_in_utc_gives_same_instant(text, expected, has_time):
    value = parse_date(text, now=NOW.astimezone(UTC))
    assert value == datetime.fromisoformat(expected)


def test_relative_naive_now_is_default_zone():
    naive = NOW.replace(tzinfo=None)
    assert parse_date("2 jam lalu", now=naive).isoformat() == "2024-08-13T16:00:00+07:00"
    assert parse_date("2 jam lalu", now=naive, default_tz=WITA).isoformat() == (
        "2024-08-13T16:00:00+08:00"
    )


@pytest.mark.parametrize("text", RELATIVE_NONE)
def test_relative_none(text):
    assert parse_date(text, now=NOW) is None


@pytest.mark.parametrize("text", [t for t, _, _ in RELATIVE_CASES[:-1]])
def test_relative_without_now_is_none(text):
    assert parse_date(text) is None


def test_relative_flag_and_absolute_flag():
    assert parse_date_detailed("3 hari lalu", now=NOW).relative is True
    assert parse_date_detailed("Selasa, 13 Agu 2024 18:13 WIB", now=NOW).relative is False


@pytest.mark.parametrize(
    ("text", "has_time", "has_zone"),
    [
        ("Selasa, 13 Agu 2024 18:13 WIB", True, True),
        ("Selasa, 13 Agu 2024 18:13", True, False),
        ("Selasa, 13 Agu 2024", False, False),
        ("2024-08-13T18:13:00+07:00", True, True),
        ("2024-08-13T11:13:00Z", True, True),
        ("2023-11-02T20-59-53Z", True, False),  # detik's "Z" is not a zone
        ("2023/11/02 20:59:53", True, False),
        ("2024-08-13", False, False),
        ("1728045268", True, True),
    ],
)
def test_time_and_zone_flags(text, has_time, has_zone):
    parsed = parse_date_detailed(text)
    assert (parsed.has_time, parsed.has_zone) == (has_time, has_zone)


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        ("02/11/2023 21:34", WITA, "2023-11-02T21:34:00+08:00"),
        ("02/11/2023 21:34", WIT, "2023-11-02T21:34:00+09:00"),
        ("02/11/2023 21:34 WIB", WIT, "2023-11-02T21:34:00+07:00"),
        ("13 Agustus 2024", WITA, "2024-08-13T00:00:00+08:00"),
        ("2023-11-02T20-59-53Z", WITA, "2023-11-02T20:59:53+08:00"),
        ("2024-08-13T11:13:00Z", WITA, "2024-08-13T11:13:00+00:00"),
        ("1728045268", UTC, "2024-10-04T12:34:28+00:00"),
    ],
)
def test_default_tz(text, tz, expected):
    assert parse_date(text, default_tz=tz).isoformat() == expected


def test_zone_names_and_offsets():
    assert parse_date("13 Agu 2024 18:13 WIB").utcoffset() == timedelta(hours=7)
    assert parse_date("13 Agu 2024 18:13 WITA").utcoffset() == timedelta(hours=8)
    assert parse_date("13 Agu 2024 18:13 WIT").utcoffset() == timedelta(hours=9)
    assert parse_date("13 Agu 2024 18:13 WIB").tzname() == "WIB"


def test_detailed_result_is_frozen_dataclass():
    parsed = parse_date_detailed("Selasa, 13 Agu 2024 18:13 WIB")
    assert isinstance(parsed, DateParse)
    assert parsed.raw == "Selasa, 13 Agu 2024 18:13 WIB"
    with pytest.raises(AttributeError):
        parsed.value = None  # type: ignore[misc]


def test_bad_arguments_do_not_raise():
    assert parse_date("Selasa, 13 Agu 2024", default_tz="WIB").isoformat() == (  # type: ignore[arg-type]
        "2024-08-13T00:00:00+07:00"
    )
    assert parse_date("2 jam lalu", now="yesterday") is None  # type: ignore[arg-type]


# --- date_from_url ------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "expected"), URL_CASES)
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


# --- choose_date --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidates", "source", "expected", "flags"),
    [c[1:] for c in CHOOSE_CASES],
    ids=[c[0] for c in CHOOSE_CASES],
)
def test_choose_date(candidates, source, expected, flags):
    choice = choose_date(candidates, now=NOW)
    assert isinstance(choice, DateChoice)
    assert (choice.source, choice.value.isoformat(), choice.flags) == (source, expected, flags)


def test_choose_date_keeps_raw_string():
    choice = choose_date(
        [("visible", "Kompas.com - 02/11/2023, 21:34 WIB"), ("jsonld", "2023-11-02T14:34:19+00:00")]
    )
    assert choice.raw == "2023-11-02T14:34:19+00:00"
    choice = choose_date([("jsonld", "2026-01-08T20:16:00+07:00"), ("visible", " 08/1/2026 20:19")])
    assert choice.raw == " 08/1/2026 20:19"


def test_choose_date_accepts_a_generator():
    choice = choose_date(iter([("meta", "2023/11/02 20:59:53")]))
    assert choice.value.isoformat() == "2023-11-02T20:59:53+07:00"


@pytest.mark.parametrize("candidates", CHOOSE_NONE, ids=repr)
def test_choose_date_none(candidates):
    assert choose_date(candidates, now=NOW) is None


def test_choose_date_relative_without_now_is_none():
    assert choose_date([("visible", "5 menit yang lalu")]) is None


# --- properties ---------------------------------------------------------------------------------

_DATEISH = st.lists(
    st.sampled_from(
        [
            "Selasa",
            "Jum'at",
            ",",
            " ",
            "13",
            "31",
            "02",
            "/",
            "-",
            "\u2013",
            "|",
            "Agu",
            "Februari",
            "Nop",
            "2024",
            "1999",
            "18:13",
            "25:61",
            "18.13",
            "WIB",
            "wita",
            "T",
            "Z",
            "+07:00",
            "Pukul",
            "menit",
            "jam",
            "yang",
            "lalu",
            "kemarin",
            "(",
            ")",
            "1728045268",
        ]
    ),
    max_size=14,
).map("".join)


def _check(value):
    assert value is None or (isinstance(value, datetime) and value.utcoffset() is not None)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_random_text_never_raises(text):
    _check(parse_date(text))
    _check(parse_date(text, now=NOW))


@settings(max_examples=600, deadline=None)
@given(_DATEISH)
def test_random_dateish_text_never_raises(text):
    _check(parse_date(text))
    _check(parse_date(text, now=NOW, default_tz=WITA))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["jsonld", "meta", "visible", "url", "feed", "x"]), _DATEISH)
    )
)
def test_choose_date_never_raises(candidates):
    choice = choose_date(candidates, now=NOW)
    assert choice is None or choice.value.utcoffset() is not None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_date_from_url_never_raises(url):
    result = date_from_url("https://example.com/" + url)
    assert result is None or isinstance(result, str)


# --- the benchmark corpus: every generated string must give its expected instant ---------------


def _load_corpus():
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "date_corpus.py"
    spec = importlib.util.spec_from_file_location("_date_corpus", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_benchmark_corpus_sample_is_parsed_exactly():
    corpus = _load_corpus()
    wrong = []
    for case in corpus.generate(3000, seed=7):
        value = parse_date(case.text, now=corpus.NOW)
        expected = None if case.expected is None else datetime.fromisoformat(case.expected)
        if value != expected:
            wrong.append((case.text, value, case.expected))
    assert wrong == []
