"""``newscrawl verify``: damaged WARC files and wrong pointers are named; ``.open`` files warn."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from newscrawl.verify import (
    Pointer,
    check_pointer,
    gzip_members,
    verify,
    verify_archive,
    verify_file,
)
from newscrawl.warc import OPEN_SUFFIX, Capture, WarcFileWriter, iter_records, warc_files
from tests.archivist_support import WIRED, copy_archive, needs_wiring


def _write(directory: Path, n: int = 3, *, close: bool = True) -> tuple[Path, list[dict]]:
    writer = WarcFileWriter(directory, "surabayapagi")
    pointers = [
        writer.write(
            Capture(
                f"http://127.0.0.1/news-{i}-x",
                200,
                [("Content-Type", "text/html")],
                b"<p>isi</p>" * (50 + i),
            )
        )
        for i in range(n)
    ]
    name = writer.name
    if close:
        writer.close()
        return directory / name, pointers
    writer._fh.flush()
    return directory / (name + OPEN_SUFFIX), pointers


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x20
    path.write_bytes(bytes(data))


def test_intact_file_has_no_problems(tmp_path) -> None:
    path, _ = _write(tmp_path)
    records, problems = verify_file(path)
    assert (records, problems) == (7, [])


def test_gzip_members_find_the_damage() -> None:
    blob = gzip.compress(b"satu") + gzip.compress(b"dua")
    assert [e for _, _, e in gzip_members_of(blob)] == [None, None]
    broken = bytearray(blob)
    broken[len(gzip.compress(b"satu")) + 12] ^= 0xFF
    assert [e is None for _, _, e in gzip_members_of(bytes(broken))] == [True, False]


def gzip_members_of(blob: bytes):
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".gz") as f:
        f.write(blob)
        f.flush()
        return list(gzip_members(f.name))


@pytest.mark.parametrize("where", ["header", "payload", "tail"])
def test_one_flipped_byte_is_found_with_its_record_offset(tmp_path, where) -> None:
    path, pointers = _write(tmp_path)
    target = pointers[1]
    spot = {"header": 40, "payload": target["warc_length"] // 2, "tail": target["warc_length"] - 6}[
        where
    ]
    _flip(path, target["warc_offset"] + spot)
    _, problems = verify_file(path)
    assert problems and all(p.severity == "error" for p in problems)
    assert problems[0].offset == target["warc_offset"]


def test_uncompressed_warc_digest_mismatch_is_found(tmp_path) -> None:
    path, pointers = _write(tmp_path)
    plain = tmp_path / "plain.warc"
    plain.write_bytes(gzip.decompress(path.read_bytes()))
    data = plain.read_bytes()
    at = data.index(b"<p>isi</p>", data.index(b"WARC-Type: response")) + 1
    _flip(plain, at)
    _, problems = verify_file(plain)
    response_offset = data.rindex(b"WARC/1.0", 0, at)
    assert [(p.offset, p.message.split(":")[0].split(" sha256")[0]) for p in problems] == [
        (response_offset, "block digest failed"),
        (response_offset, "payload digest failed"),
    ]


def test_truncated_file_is_an_error_but_an_open_one_only_warns(tmp_path) -> None:
    closed, _ = _write(tmp_path / "a")
    closed.write_bytes(closed.read_bytes()[:-50])
    _, problems = verify_file(closed)
    assert [p.severity for p in problems] == ["error"]
    opened, _ = _write(tmp_path / "b", close=False)
    opened.write_bytes(opened.read_bytes()[:-50])
    _, problems = verify_file(opened)
    assert [p.severity for p in problems] == ["warning", "warning"]
    assert "interrupted" in problems[0].message and "incomplete last record" in problems[1].message


def test_pointer_checks(tmp_path) -> None:
    path, pointers = _write(tmp_path)
    records = {off: rec for off, rec in iter_records(path)}
    p = pointers[0]
    raw = records[p["warc_offset"]].content_sha256

    def pointer(**kw) -> Pointer:
        base = dict(
            label="article 1 v1",
            warc_file=p["warc_file"],
            warc_offset=p["warc_offset"],
            warc_record_id=p["warc_record_id"],
            raw_sha256=raw,
        )
        return Pointer(**{**base, **kw})

    assert check_pointer(tmp_path, pointer()) is None
    assert "WARC file missing" in check_pointer(tmp_path, pointer(warc_file="gone.warc.gz")).message
    assert "is not the version's" in check_pointer(tmp_path, pointer(raw_sha256="0" * 64)).message
    assert "record id" in check_pointer(tmp_path, pointer(warc_record_id="<urn:uuid:x>")).message
    request_offset = sorted(records)[2]  # warcinfo, response, request
    assert "not a response" in check_pointer(tmp_path, pointer(warc_offset=request_offset)).message
    assert "no readable record" in check_pointer(tmp_path, pointer(warc_offset=3)).message
    report = verify(tmp_path, [pointer(), pointer(raw_sha256="0" * 64)])
    assert (report.files, report.pointers, len(report.errors)) == (1, 2, 1)


@pytest.mark.e2e
def test_crawl_archive_verifies(tmp_path) -> None:
    archive = copy_archive(tmp_path / "a")
    report = verify_archive(archive.db_url, archive.warc_dir)
    assert report.ok and report.problems == []
    assert report.files >= 2 and report.records > 100
    if WIRED:
        assert report.pointers == 36


@pytest.mark.e2e
def test_flipped_byte_and_truncated_file_are_exactly_the_two_reported(tmp_path, capsys) -> None:
    from newscrawl.cli import main

    archive = copy_archive(tmp_path / "a")
    files = warc_files(archive.warc_dir)
    flipped, truncated = files[0], files[-1]
    _flip(flipped, flipped.stat().st_size // 2)
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size - 100])
    report = verify_archive(archive.db_url, archive.warc_dir)
    names = {Path(p.file).name for p in report.problems}
    assert names == {flipped.name, truncated.name}
    assert all(p.severity == "error" and p.offset is not None for p in report.problems)
    code = main(["verify", "--db", archive.db_url, "--warc-dir", str(archive.warc_dir)])
    assert code == 1
    err = capsys.readouterr().err
    assert flipped.name in err and truncated.name in err


@pytest.mark.e2e
def test_open_file_of_an_interrupted_crawl_only_warns(tmp_path) -> None:
    archive = copy_archive(tmp_path / "a")
    last = warc_files(archive.warc_dir)[-1]
    last.rename(last.with_name(last.name + OPEN_SUFFIX))  # as a killed crawl leaves it
    report = verify_archive(archive.db_url, archive.warc_dir)
    assert report.ok  # pointers into the .open file still resolve
    assert [p.severity for p in report.problems] == ["warning"]


@pytest.mark.e2e
@needs_wiring
def test_version_whose_payload_differs_is_named(tmp_path) -> None:
    import sqlalchemy as sa

    from archive.db import open_archive
    from archive.models import ArticleVersion

    archive = copy_archive(tmp_path / "a")
    engine, Session = open_archive(archive.db_url)
    with Session.begin() as session:
        version = session.scalars(sa.select(ArticleVersion).order_by(ArticleVersion.id)).first()
        version.raw_sha256 = "f" * 64
        where = (version.warc_file, version.warc_offset, version.article_id)
    engine.dispose()
    report = verify_archive(archive.db_url, archive.warc_dir)
    (problem,) = report.problems
    assert (problem.file, problem.offset) == where[:2]
    assert f"article {where[2]} v1" in problem.message and "payload sha256" in problem.message
