"""Issue 12: the ``.open`` WARC files of killed crawls are sealed by the next crawl (whole records
kept, a torn tail cut and recorded), and ``verify`` is clean afterwards."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

from scrapy.utils.test import get_crawler

from newscrawl.verify import Pointer, verify
from newscrawl.warc import (
    OPEN_SUFFIX,
    SEALED_FIELD,
    Capture,
    WarcFileWriter,
    WarcMiddleware,
    iter_records,
    read_record,
    seal_dead_open_files,
    warc_files,
)


def _capture(n: int) -> Capture:
    body = f"<html><body><h1>Berita {n}</h1><p>{'Isi berita. ' * 50}</p></body></html>".encode()
    return Capture(
        url=f"https://surabayapagi.com/read/{n}/berita",
        status=200,
        headers=[("Content-Type", "text/html")],
        body=body,
        date=datetime(2024, 8, 13, 11, n, tzinfo=UTC),
    )


def _killed_file(tmp_path, records: int, cut: int):
    """A dead run's ``.open`` file: ``records`` captures written, then ``cut`` bytes lost."""
    live = tmp_path / "live"
    writer = WarcFileWriter(live, "surabayapagi")
    pointers = [writer.write(_capture(n)) for n in range(records)]
    dead = tmp_path / "warcs"
    dead.mkdir()
    src = writer.open_path
    data = src.read_bytes()
    (dead / src.name).write_bytes(data[: len(data) - cut] if cut else data)
    writer.close()
    shutil.rmtree(live)
    return dead, pointers


def _pointers(pointers) -> list[Pointer]:
    return [
        Pointer(f"p{n}", p["warc_file"], p["warc_offset"], p["warc_record_id"], None)
        for n, p in enumerate(pointers)
    ]


def test_torn_tail_is_cut_recorded_and_verify_is_clean(tmp_path) -> None:
    dead, pointers = _killed_file(tmp_path, 3, cut=40)  # inside the last request record
    before = verify(dead, _pointers(pointers))
    assert any(p.file.endswith(OPEN_SUFFIX) for p in before.warnings)

    [sealed] = seal_dead_open_files(dead, sealed_by="test")
    assert sealed.cut_bytes > 40 and sealed.cut_offset and "truncated" in sealed.cut_reason
    [path] = warc_files(dead)
    assert not path.name.endswith(OPEN_SUFFIX)
    records = [r for _, r in iter_records(path)]
    assert [r.record_type for r in records] == [
        "warcinfo",
        *["response", "request"] * 2,
        "response",  # the last whole record; its torn request record was cut
        "metadata",
    ]
    note = records[-1].payload.decode()
    assert SEALED_FIELD in note and f"newscrawl-cut-bytes: {sealed.cut_bytes}" in note
    report = verify(dead, _pointers(pointers))
    assert report.problems == [] and report.pointers == 3
    assert read_record(path, pointers[2]["warc_offset"]).record_type == "response"


def test_whole_file_is_sealed_with_nothing_cut(tmp_path) -> None:
    dead, pointers = _killed_file(tmp_path, 2, cut=0)
    [sealed] = seal_dead_open_files(dead)
    assert sealed.cut_bytes == 0 and sealed.cut_reason is None
    assert verify(dead, _pointers(pointers)).problems == []


def test_file_torn_inside_its_first_record(tmp_path) -> None:
    dead, _ = _killed_file(tmp_path, 1, cut=0)
    [path] = warc_files(dead)
    path.write_bytes(path.read_bytes()[:30])
    [sealed] = seal_dead_open_files(dead)
    assert sealed.kept_bytes == 0 and sealed.cut_bytes == 30
    [path] = warc_files(dead)
    assert [r.record_type for _, r in iter_records(path)] == ["metadata"]
    assert verify(dead).problems == []


def test_a_live_crawls_file_is_left_alone(tmp_path) -> None:
    writer = WarcFileWriter(tmp_path, "surabayapagi")
    writer.write(_capture(1))
    assert seal_dead_open_files(tmp_path) == []
    assert writer.open_path.exists()
    writer.close()


def test_the_next_crawl_seals_on_start(tmp_path) -> None:
    dead, _ = _killed_file(tmp_path, 2, cut=25)
    crawler = get_crawler(settings_dict={"NEWSCRAWL_WARC_DIR": str(dead), "NEWSCRAWL_DB_URL": ""})
    crawler.stats.open_spider()
    mw = WarcMiddleware.from_crawler(crawler)
    mw.spider_opened()
    assert crawler.stats.get_value("newscrawl/warc/sealed") == 1
    assert crawler.stats.get_value("newscrawl/warc/sealed_cut_bytes") > 25
    assert verify(dead).problems == []
