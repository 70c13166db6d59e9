"""``newscrawl verify``: are the WARC files intact, and does every archived version point at them?

Two checks:

1. Every record of every WARC file under the WARC directory: the gzip member is whole and its
   CRC right, the record is as long as it says, and its block and payload digests match.
2. Every article version with a WARC pointer: the file exists (closed, or still ``.open``), the
   record at ``warc_offset`` is a response with that ``WARC-Record-ID``, and the SHA-256 of its
   decoded payload equals the version's ``raw_sha256``.

A file still named ``.open`` belongs to a crawl that was interrupted (or is running): it is a
warning, and so is an incomplete record at its very end (the crawl died while writing it). Every
other problem is an error naming the file, the offset and what is wrong.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from newscrawl.warc import OPEN_SUFFIX, read_record, resolve_warc_path, warc_files

_CHUNK = 1 << 16


@dataclass(frozen=True)
class Problem:
    """One finding: ``severity`` is ``"error"`` or ``"warning"``.

    >>> str(Problem("error", "a.warc.gz", 120, "payload digest failed"))
    'error: a.warc.gz @ 120: payload digest failed'
    >>> str(Problem("warning", "b.warc.gz.open", None, "interrupted crawl"))
    'warning: b.warc.gz.open: interrupted crawl'
    """

    severity: str
    file: str
    offset: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.offset is None else f"{self.file} @ {self.offset}"
        return f"{self.severity}: {where}: {self.message}"


@dataclass
class VerifyReport:
    """What ``verify`` found, and how much it looked at."""

    files: int = 0
    records: int = 0
    pointers: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


# --- gzip framing ----------------------------------------------------------------------------
def gzip_members(path: str | os.PathLike[str]) -> Iterator[tuple[int, int | None, str | None]]:
    """``(offset, length, error)`` for each gzip member of a file, in order.

    ``error`` is None for a whole member; otherwise the member (and the rest of the file) is
    unreadable and iteration stops: ``"truncated"`` when the file ends inside it, else zlib's
    complaint (a bad CRC or corrupt data).

    >>> import gzip, tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".gz", delete=False) as f:
    ...     _ = f.write(gzip.compress(b"one") + gzip.compress(b"two")[:-3])
    >>> [(o, e) for o, _, e in gzip_members(f.name)]
    [(0, None), (23, 'truncated')]
    >>> os.unlink(f.name)
    """
    with open(path, "rb") as fh:
        offset = 0
        pending = b""
        while True:
            data = pending or fh.read(_CHUNK)
            pending = b""
            if not data:
                return
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            consumed = 0
            try:
                while True:
                    d.decompress(data)
                    if d.eof:
                        consumed += len(data) - len(d.unused_data)
                        pending = d.unused_data
                        break
                    consumed += len(data)
                    data = fh.read(_CHUNK)
                    if not data:
                        yield offset, None, "truncated"
                        return
            except zlib.error as exc:
                yield offset, None, f"corrupt gzip data ({exc})"
                return
            yield offset, consumed, None
            offset += consumed


# --- one file --------------------------------------------------------------------------------
def _drain(stream: Any) -> int:
    total = 0
    while True:
        piece = stream.read(_CHUNK)
        if not piece:
            return total
        total += len(piece)


def verify_file(
    path: str | os.PathLike[str], *, name: str | None = None
) -> tuple[int, list[Problem]]:
    """Check every record of one WARC file; returns (records read, problems)."""
    path = Path(path)
    name = name or path.name
    is_open = path.name.endswith(OPEN_SUFFIX)
    problems: list[Problem] = []
    bad_from: int | None = None
    if ".gz" in path.suffixes:
        members = list(gzip_members(path))
        size = path.stat().st_size
        for offset, _length, error in members:
            if error is None:
                continue
            bad_from = offset
            if is_open and error == "truncated":
                problems.append(
                    Problem("warning", name, offset, "incomplete last record (interrupted crawl)")
                )
            else:
                problems.append(Problem("error", name, offset, error))
        if not members and size:
            problems.append(Problem("error", name, 0, "not a gzip file"))
            return 0, problems
    records = 0
    try:
        with open(path, "rb") as fh:
            iterator = ArchiveIterator(fh, check_digests=True)
            for record in iterator:
                offset = iterator.get_record_offset()
                if bad_from is not None and offset >= bad_from:
                    break
                stream = record.raw_stream
                _drain(stream)
                records += 1
                missing = getattr(stream, "limit", 0)
                if missing:
                    if is_open:
                        problems.append(
                            Problem(
                                "warning",
                                name,
                                offset,
                                "incomplete last record (interrupted crawl)",
                            )
                        )
                    else:
                        problems.append(
                            Problem(
                                "error", name, offset, f"record truncated: {missing} bytes missing"
                            )
                        )
                    break
                checker = record.digest_checker
                if checker.passed is False:
                    for message in checker.problems:
                        problems.append(Problem("error", name, offset, message))
    except Exception as exc:  # noqa: BLE001 - any failure to read is a finding, not a crash
        if bad_from is None:
            problems.append(Problem("error", name, None, f"unreadable: {exc!r}"))
    if is_open:
        problems.insert(
            0,
            Problem(
                "warning",
                name,
                None,
                "still .open: the crawl writing it was interrupted or is running",
            ),
        )
    return records, problems


# --- pointers --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pointer:
    """A version's WARC address and what its payload must hash to."""

    label: str
    warc_file: str
    warc_offset: int | None
    warc_record_id: str | None
    raw_sha256: str | None


def archive_pointers(session: Any) -> list[Pointer]:
    """Every article version that has a WARC file, as a :class:`Pointer`
    (from :func:`archive.store.warc_pointers`)."""
    from archive.store import warc_pointers

    return [
        Pointer(
            f"article {p.article_id} v{p.version_no} ({p.canonical_url})",
            p.warc_file,
            p.warc_offset,
            p.warc_record_id,
            p.raw_sha256,
        )
        for p in warc_pointers(session)
    ]


def check_pointer(warc_dir: str | os.PathLike[str], pointer: Pointer) -> Problem | None:
    """The problem with one pointer, or None when it is good."""
    path = resolve_warc_path(warc_dir, pointer.warc_file)
    if path is None:
        return Problem(
            "error", pointer.warc_file, pointer.warc_offset, f"{pointer.label}: WARC file missing"
        )
    name = path.name
    if pointer.warc_offset is None:
        return Problem("error", name, None, f"{pointer.label}: pointer has no offset")
    try:
        record = read_record(path, pointer.warc_offset)
    except Exception as exc:  # noqa: BLE001
        return Problem(
            "error", name, pointer.warc_offset, f"{pointer.label}: no readable record ({exc!r})"
        )
    if record.record_type != "response":
        return Problem(
            "error",
            name,
            pointer.warc_offset,
            f"{pointer.label}: record is {record.record_type!r}, not a response",
        )
    if pointer.warc_record_id and record.record_id != pointer.warc_record_id:
        return Problem(
            "error",
            name,
            pointer.warc_offset,
            f"{pointer.label}: record id {record.record_id} is not {pointer.warc_record_id}",
        )
    if pointer.raw_sha256 and record.content_sha256 != pointer.raw_sha256:
        return Problem(
            "error",
            name,
            pointer.warc_offset,
            f"{pointer.label}: payload sha256 {record.content_sha256} is not the version's {pointer.raw_sha256}",
        )
    return None


# --- everything ------------------------------------------------------------------------------
def verify(warc_dir: str | os.PathLike[str], pointers: Iterable[Pointer] = ()) -> VerifyReport:
    """Check every WARC file under ``warc_dir`` and every pointer given."""
    report = VerifyReport()
    base = Path(warc_dir)
    for path in warc_files(base):
        report.files += 1
        records, problems = verify_file(path, name=str(path.relative_to(base)))
        report.records += records
        report.problems.extend(problems)
    for pointer in pointers:
        report.pointers += 1
        problem = check_pointer(base, pointer)
        if problem is not None:
            report.problems.append(problem)
    return report


def verify_archive(db_url: str | None, warc_dir: str | os.PathLike[str]) -> VerifyReport:
    """:func:`verify` with the pointers of every version in the archive at ``db_url``."""
    pointers: list[Pointer] = []
    if db_url:
        from archive.db import open_archive

        engine, Session = open_archive(db_url, readonly=True)
        try:
            with Session() as session:
                pointers = archive_pointers(session)
        finally:
            engine.dispose()
    return verify(warc_dir, pointers)
