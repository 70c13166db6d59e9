"""WARC preservation: records, digests, rotation, ``.open`` files, revisits, a real crawl."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.warc import (
    META_KEY,
    OPEN_SUFFIX,
    Capture,
    Original,
    WarcFileWriter,
    WarcMiddleware,
    iter_records,
    read_record,
    resolve_warc_path,
    warc_files,
)
from tests.archivist_support import (
    copy_archive,
    needs_wiring,
    run_crawl,
    shared_replica,
    template_archive,
)

WARCIO = str(Path(sys.executable).parent / "warcio")
#: <portal>-<17-digit UTC timestamp>-<pid>-<5-digit serial>.warc.gz
NAME_RE = re.compile(r"^surabayapagi-\d{17}-\d+-\d{5}\.warc\.gz$")


def warcio(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([WARCIO, *args], capture_output=True, text=True, timeout=60)


def index(path: Path) -> list[dict]:
    done = warcio(
        "index", "-f", "warc-type,warc-target-uri,offset,length,warc-refers-to", str(path)
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


class Tick:
    """A clock moving one millisecond per call (distinct file names, no sleeping)."""

    def __init__(self) -> None:
        self.t = datetime(2024, 8, 13, 11, 13, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.t += timedelta(milliseconds=1)
        return self.t


def capture(n: int, body: bytes | None = None, **kw) -> Capture:
    body = (
        body if body is not None else (f"<html><p>Berita {n}</p>" + "x" * 2000 + "</html>").encode()
    )
    return Capture(
        f"http://127.0.0.1/news-{n}-x",
        200,
        [("Content-Type", "text/html; charset=UTF-8")],
        body,
        **kw,
    )


def test_files_rotate_by_size_and_are_open_until_closed(tmp_path) -> None:
    writer = WarcFileWriter(
        tmp_path, "surabayapagi", max_size=3000, info={"newscrawl-run-id": "7"}, clock=Tick()
    )
    pointers = [writer.write(capture(n)) for n in range(5)]
    open_files = [p.name for p in tmp_path.iterdir() if p.name.endswith(OPEN_SUFFIX)]
    assert len(open_files) <= 1
    writer.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) >= 2 and all(NAME_RE.match(n) for n in names)
    assert {p["warc_file"] for p in pointers} == set(names)
    for n, pointer in enumerate(pointers):
        record = read_record(tmp_path / pointer["warc_file"], pointer["warc_offset"])
        assert record.record_type == "response" and record.record_id == pointer["warc_record_id"]
        assert record.url == f"http://127.0.0.1/news-{n}-x" and record.status == 200
        assert record.content.startswith(f"<html><p>Berita {n}</p>".encode())
    for name in names:
        assert warcio("check", "-v", str(tmp_path / name)).returncode == 0
        types = [r["warc-type"] for r in index(tmp_path / name)]
        assert types[0] == "warcinfo" and types[1:] == ["response", "request"] * (len(types) // 2)


def test_warcinfo_names_software_portal_and_run(tmp_path) -> None:
    writer = WarcFileWriter(
        tmp_path,
        "surabayapagi",
        info={"newscrawl-run-id": "42", "newscrawl-settings": {"DOWNLOAD_DELAY": 1}},
    )
    writer.write(capture(1))
    path = tmp_path / (writer.name + OPEN_SUFFIX)
    assert path.exists() and not (tmp_path / writer.name).exists()
    writer.close()
    offset, info = next(iter_records(path.with_name(path.name.removesuffix(OPEN_SUFFIX))))
    text = info.payload.decode()
    assert offset == 0 and info.record_type == "warcinfo"
    assert "software: newscrawl/" in text and "isPartOf: surabayapagi" in text
    assert "newscrawl-run-id: 42" in text and 'newscrawl-settings: {"DOWNLOAD_DELAY": 1}' in text


def test_a_new_writer_never_appends_to_an_old_file(tmp_path) -> None:
    first = WarcFileWriter(tmp_path, "surabayapagi")
    first.write(capture(1))  # left .open, as if the crawl was killed
    second = WarcFileWriter(tmp_path, "surabayapagi")
    second.serial = first.serial - 1  # same pid and serial: the name is taken
    second.write(capture(2))
    assert second.name != first.name
    second.close()
    assert len(list(tmp_path.iterdir())) == 2


def test_compressed_payload_is_kept_as_received_and_decoded_on_read(tmp_path) -> None:
    writer = WarcFileWriter(tmp_path, "surabayapagi")
    raw = gzip.compress(b"<html>isi berita</html>")
    pointer = writer.write(
        Capture(
            "http://127.0.0.1/a",
            200,
            [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
            raw,
        )
    )
    writer.close()
    record = read_record(tmp_path / pointer["warc_file"], pointer["warc_offset"])
    assert record.payload == raw and record.content == b"<html>isi berita</html>"
    assert warcio("check", str(tmp_path / pointer["warc_file"])).returncode == 0


def test_revisit_record_refers_to_the_original(tmp_path) -> None:
    writer = WarcFileWriter(tmp_path, "surabayapagi")
    first = writer.write(capture(1))
    stored = read_record(resolve_warc_path(tmp_path, first["warc_file"]), first["warc_offset"])
    original = Original(
        first["warc_file"],
        first["warc_offset"],
        first["warc_length"],
        stored.record_id,
        stored.date,
        stored.warc_headers["WARC-Payload-Digest"],
    )
    again = writer.write(capture(1), original)
    changed = writer.write(capture(1, body=b"<html>diubah</html>"), original)  # other payload
    writer.close()
    path = tmp_path / first["warc_file"]
    assert again["revisit"] and again["warc_record_id"] == first["warc_record_id"]
    assert not changed["revisit"]
    revisit = read_record(path, again["revisit_offset"])
    assert revisit.record_type == "revisit" and revisit.payload == b""
    headers = revisit.warc_headers
    assert headers["WARC-Refers-To"] == first["warc_record_id"]
    assert headers["WARC-Refers-To-Target-URI"] == "http://127.0.0.1/news-1-x"
    assert headers["WARC-Refers-To-Date"] == stored.date
    assert headers["WARC-Profile"].endswith("/revisit/identical-payload-digest")
    assert headers["WARC-Payload-Digest"] == stored.warc_headers["WARC-Payload-Digest"]
    assert warcio("check", str(path)).returncode == 0
    assert [r["warc-type"] for r in index(path)].count("revisit") == 1


def test_middleware_records_the_response_and_sets_the_pointer(tmp_path) -> None:
    crawler = get_crawler(
        settings_dict={"NEWSCRAWL_WARC_DIR": str(tmp_path), "NEWSCRAWL_DB_URL": ""}
    )
    mw = WarcMiddleware.from_crawler(crawler)
    request = Request("http://127.0.0.1/news-1-x", headers={"User-Agent": "newscrawl/test"})
    response = HtmlResponse(
        request.url,
        body=b"<html>Halo</html>",
        headers={"Content-Type": "text/html"},
        request=request,
    )
    assert mw.process_response(request, response) is response
    pointer = response.meta[META_KEY]
    assert pointer["warc_date"].endswith("Z") and pointer["payload_digest"].startswith("sha256:")
    mw.spider_closed()
    assert warc_files(tmp_path) == [tmp_path / pointer["warc_file"]]
    records = [r for _, r in iter_records(tmp_path / pointer["warc_file"])]
    assert [r.record_type for r in records] == ["warcinfo", "response", "request"]
    assert b"\r\nGET /news-1-x HTTP/1.1\r\n" in gzip.decompress(
        (tmp_path / pointer["warc_file"]).read_bytes()
    )
    assert dict(records[2].headers)["User-Agent"] == "newscrawl/test"


def test_middleware_is_off_when_disabled(tmp_path) -> None:
    from scrapy.exceptions import NotConfigured

    crawler = get_crawler(settings_dict={"NEWSCRAWL_WARC_ENABLED": False})
    with pytest.raises(NotConfigured):
        WarcMiddleware.from_crawler(crawler)


# --- a real crawl of the local replica -----------------------------------------------------------
@pytest.mark.e2e
def test_crawl_preserves_every_response(tmp_path) -> None:
    archive = copy_archive(tmp_path / "a")
    files = warc_files(archive.warc_dir)
    assert len(files) >= 2  # rotated at TEMPLATE_MAX_SIZE
    assert all(NAME_RE.match(f.name) for f in files)  # closed: no .open left
    records = []
    for path in files:
        done = warcio("check", str(path))
        assert done.returncode == 0, done.stdout
        records += index(path)
    responses = [r for r in records if r["warc-type"] == "response"]
    requests = [r for r in records if r["warc-type"] == "request"]
    assert len(responses) == len(requests)
    urls = {r["warc-target-uri"].split("/", 3)[-1] for r in responses}
    assert {"robots.txt", "feed", ""} <= urls
    assert sum(u.startswith("news-") for u in urls) == 36
    from archive.db import open_archive
    from archive.store import list_runs

    engine, Session = open_archive(archive.db_url, readonly=True)
    with Session() as session:
        (run,) = list_runs(session)
        assert run.stats["downloader/response_count"] == len(responses)
    engine.dispose()
    _, info = next(iter_records(files[0]))
    assert f"newscrawl-run-id: {run.id}" in info.payload.decode()


@pytest.mark.e2e
@needs_wiring
def test_unchanged_refetch_becomes_a_revisit(tmp_path) -> None:
    archive = copy_archive(tmp_path / "a")
    before = set(warc_files(archive.warc_dir))
    done = run_crawl(
        shared_replica().base_url, archive.db_url, archive.warc_dir, "--revisit", "all"
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (new,) = set(warc_files(archive.warc_dir)) - before
    assert warcio("check", str(new)).returncode == 0
    entries = index(new)
    revisits = [r for r in entries if r["warc-type"] == "revisit"]
    assert len(revisits) == 36  # every article, unchanged
    from archive.db import open_archive
    from archive.models import ArticleVersion

    engine, Session = open_archive(archive.db_url, readonly=True)
    with Session() as session:
        ids = {v.warc_record_id for v in session.query(ArticleVersion)}
        assert session.query(ArticleVersion).count() == 36  # no new versions
    engine.dispose()
    assert {r["warc-refers-to"] for r in revisits} == ids
    assert template_archive().warc_dir != archive.warc_dir
