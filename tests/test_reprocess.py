"""Reprocessing from WARC: the same code gives the same items; a newer extractor adds versions."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from archive.db import open_archive
from archive.models import Article, ArticleVersion
from newscrawl.reprocess import process_capture, reprocess_archive
from tests.archivist_support import copy_archive, needs_wiring

pytestmark = [pytest.mark.e2e, needs_wiring]


def _versions(db_url: str) -> list[ArticleVersion]:
    engine, Session = open_archive(db_url, readonly=True)
    try:
        with Session() as session:
            return list(
                session.scalars(
                    sa.select(ArticleVersion).order_by(
                        ArticleVersion.article_id, ArticleVersion.version_no
                    )
                )
            )
    finally:
        engine.dispose()


def test_same_code_same_items_no_new_versions(tmp_path) -> None:
    archive = copy_archive(tmp_path / "a")
    report = reprocess_archive(archive.db_url, archive.warc_dir)
    assert (report.examined, report.unchanged, report.changed) == (36, 36, 0)
    assert report.errors == [] and report.no_warc == 0 and report.invalid == 0
    assert len(_versions(archive.db_url)) == 36


def _newer_extractor(body, url, **kw):
    """A fake newer extractor: a different headline for every even article id."""
    result = process_capture(body, url, **kw)
    article_id = int(url.rsplit("/", 1)[-1].split("-")[1])
    if article_id % 2 == 0:
        from newscrawl.process import finalize

        result.item.title = result.item.title + " (diperbarui)"
        finalize(result.item)
        result.item.extractor_version = "newscrawl/9.9"
    return result


def test_newer_extractor_adds_versions_where_output_changed(tmp_path, capsys) -> None:
    from archive.db import open_archive as _open
    from newscrawl.cli import main
    from newscrawl.reprocess import reprocess

    archive = copy_archive(tmp_path / "a")
    before = {v.article_id: v for v in _versions(archive.db_url)}
    even = {
        aid
        for aid, v in before.items()
        if int(v.data["url"].rsplit("/", 1)[-1].split("-")[1]) % 2 == 0
    }
    assert 0 < len(even) < 36

    engine, Session = _open(archive.db_url)
    with Session() as session:
        dry = reprocess(session, archive.warc_dir, dry_run=True, process=_newer_extractor)
    assert dry.changed == len(even) and all(c.to_version is None for c in dry.changes)
    assert len(_versions(archive.db_url)) == 36  # a dry run writes nothing
    with Session.begin() as session:
        report = reprocess(session, archive.warc_dir, process=_newer_extractor)
    assert (report.changed, report.unchanged) == (len(even), 36 - len(even))
    assert {c.article_id for c in report.changes} == even
    assert all(c.headline_changed and c.to_version == 2 for c in report.changes)
    with Session.begin() as session:  # idempotent: the new versions are now the current ones
        assert reprocess(session, archive.warc_dir, process=_newer_extractor).changed == 0
    engine.dispose()

    after = _versions(archive.db_url)
    assert len(after) == 36 + len(even)
    for v in after:
        if v.version_no == 2:
            first = before[v.article_id]
            assert v.extractor_version == "newscrawl/9.9"
            assert v.headline_changed and v.title == first.title + " (diperbarui)"
            assert (v.warc_file, v.warc_offset, v.warc_record_id, v.raw_sha256) == (
                first.warc_file,
                first.warc_offset,
                first.warc_record_id,
                first.raw_sha256,
            )
            assert v.fetched_at == first.fetched_at
    engine, Session = _open(archive.db_url, readonly=True)
    with Session() as session:
        art = session.get(Article, next(iter(even)))
        assert art.version_count == 2 and art.title.endswith("(diperbarui)")
    engine.dispose()

    # show: versions and a diff of the last two
    assert main(["show", str(art.id), "--db", archive.db_url]) == 0
    out = capsys.readouterr().out
    assert "v2" in out and "newscrawl/9.9" in out and "[headline changed]" in out
    assert (
        f"-Title: {before[art.id].title}" in out
        and f"+Title: {before[art.id].title} (diperbarui)" in out
    )
    assert (
        main(["show", art.canonical_url, "--db", archive.db_url, "--json", "--diff", "1", "2"]) == 0
    )
    shown = json.loads(capsys.readouterr().out)
    assert [v["version_no"] for v in shown["versions"]] == [1, 2]
    assert shown["versions"][1]["warc"]["record_id"] == before[art.id].warc_record_id
    assert "+Title:" in shown["diff"]
    assert main(["show", str(art.id), "--db", archive.db_url, "--diff", "1", "5"]) == 2


def test_changed_cleaning_rule_changes_every_article(tmp_path, monkeypatch) -> None:
    import newscrawl.process

    archive = copy_archive(tmp_path / "a")
    original = newscrawl.process.normalize_text
    monkeypatch.setattr(newscrawl.process, "normalize_text", lambda text: original(text).upper())
    report = reprocess_archive(archive.db_url, archive.warc_dir, source="surabayapagi")
    assert report.changed == 36 and report.errors == []
    titles = [v.title for v in _versions(archive.db_url) if v.version_no == 2]
    assert len(titles) == 36 and all(t == t.upper() for t in titles)


def test_filters_and_missing_warc(tmp_path) -> None:
    archive = copy_archive(tmp_path / "a")
    assert reprocess_archive(archive.db_url, archive.warc_dir, source="detik").examined == 0
    from datetime import date

    late = reprocess_archive(archive.db_url, archive.warc_dir, since=date(2024, 8, 20))
    assert 0 < late.examined < 36
    engine, Session = open_archive(archive.db_url)
    with Session.begin() as session:  # a body taken from the AMP copy: not one record's output
        version = session.scalars(sa.select(ArticleVersion).order_by(ArticleVersion.id)).first()
        version.data = {**version.data, "flags": [*version.data.get("flags", []), "amp_body"]}
    engine.dispose()
    composite = reprocess_archive(archive.db_url, archive.warc_dir)
    assert (composite.composite, composite.unchanged, composite.changed) == (1, 35, 0)
    for path in archive.warc_dir.iterdir():
        path.unlink()
    gone = reprocess_archive(archive.db_url, archive.warc_dir)
    assert (gone.examined, gone.no_warc, gone.changed) == (36, 36, 0)


def test_reprocess_command(tmp_path, capsys) -> None:
    from newscrawl.cli import main

    archive = copy_archive(tmp_path / "a")
    args = ["reprocess", "--db", archive.db_url, "--warc-dir", str(archive.warc_dir)]
    assert main([*args, "--dry-run"]) == 0
    assert "examined 36: 36 unchanged, 0 would change" in capsys.readouterr().out
    assert main([*args, "--json", "--all-versions"]) == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == 36


def test_two_processes_give_the_same_outcome_written_in_the_same_order(tmp_path) -> None:
    """Reprocessing with a pool of two: same report, same versions, same row order."""

    def stale(db_url: str) -> None:  # as if an older extractor had written every even article
        engine, Session = open_archive(db_url)
        with Session.begin() as session:
            session.execute(
                sa.update(Article).where(Article.id % 2 == 0).values(content_sha256="0" * 64)
            )
        engine.dispose()

    runs = []
    for jobs in (1, 2):
        archive = copy_archive(tmp_path / f"j{jobs}")
        stale(archive.db_url)
        report = reprocess_archive(archive.db_url, archive.warc_dir, jobs=jobs)
        rows = [
            (v.id, v.article_id, v.version_no, v.content_sha256) for v in _versions(archive.db_url)
        ]
        runs.append((report.as_dict(), [vars(c) for c in report.changes], sorted(rows)))
    assert runs[0] == runs[1]
    assert runs[0][0]["changed"] == 18 and len(runs[0][2]) == 36 + 18
