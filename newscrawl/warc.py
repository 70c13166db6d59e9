"""WARC preservation: every fetched response written as it was received, with digests.

:class:`WarcMiddleware` is a downloader middleware (``DOWNLOADER_MIDDLEWARES``, priority 650: it
sees every response before redirects, retries and decompression are handled, robots.txt too).
For every response it writes a ``response`` record (or, when the archive already holds the same
payload for that URL, a ``revisit`` record with the identical-payload-digest profile) followed by
the ``request`` record, gzip-compressed one record per member, with SHA-256 block and payload
digests. Each file starts with a ``warcinfo`` record (software, portal, crawl settings, run id).

Files are named ``<portal>-<UTC timestamp>-<pid>-<serial>.warc.gz`` and rotated by size. A file
being written is ``NAME.warc.gz.open`` until it is closed, so a killed crawl never leaves a file
that looks complete and a new crawl never appends to an old file. The writer holds a lock on its
``.open`` file; when the next crawl starts, every ``.open`` file nobody holds (its crawl was
killed) is sealed: whole records kept, a torn last record cut, a ``metadata`` record saying what
was cut, the suffix dropped (:func:`seal_dead_open_files`).

The middleware puts the record's address in ``response.meta["newscrawl_warc"]``::

    {"warc_file": "surabayapagi-20240813111300123-4242-00000.warc.gz", "warc_offset": 1234,
     "warc_length": 5678, "warc_record_id": "<urn:uuid:...>", "payload_digest": "sha256:...",
     "warc_date": "2024-08-13T11:13:00Z"}

Records are written and flushed synchronously in ``process_response``, before the spider sees
the response, so an archive row never points at a record that is not fully written. For a
revisit, the pointer is the original capture's (that record holds the payload) and
``revisit_record_id`` names the new revisit record.

A page the spider refuses (not an article, extraction failed) keeps its response record; the
spider sends :data:`page_refused` and a ``metadata`` record with the reason
(``newscrawl-refused: soft_404``) and the response's address follows it, so ``newscrawl
reprocess --refused`` can recover the page later (:func:`refusals`).

Settings: ``NEWSCRAWL_WARC_ENABLED`` (True), ``NEWSCRAWL_WARC_DIR`` (``"warcs"``),
``NEWSCRAWL_WARC_MAX_SIZE`` (512 MiB), ``NEWSCRAWL_WARC_REVISITS`` (True: look payloads up in
the archive at ``NEWSCRAWL_DB_URL``), ``NEWSCRAWL_WARC_FSYNC`` (False: fsync after every record).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import socket
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from newscrawl import __version__
from newscrawl.safety.decompress import DEFAULT_MAX_SIZE as DEFAULT_MAX_DECODED
from newscrawl.safety.decompress import decompress

logger = logging.getLogger(__name__)

#: ``request.meta`` / ``response.meta`` key of the WARC pointer.
META_KEY = "newscrawl_warc"
#: Request meta set by the spider: False when the URL is not archived (no revisit look-up).
ARCHIVED_META = "newscrawl_archived"
#: Field of a ``metadata`` record naming why the crawl refused the response it refers to.
REFUSED_FIELD = "newscrawl-refused"
#: Signal a spider sends when it refuses a fetched page (``response=..., reason=...``): the WARC
#: middleware records the reason beside the response record.
page_refused = object()
#: Suffix of a WARC file that is still being written (or whose crawl was killed).
OPEN_SUFFIX = ".open"
DEFAULT_DIR = "warcs"
DEFAULT_MAX_SIZE = 512 * 1024 * 1024
WARC_VERSION = "WARC/1.0"
SOFTWARE = f"newscrawl/{__version__}"

#: Names of complete or in-progress WARC files (``x.warc``, ``x.warc.gz``, plus ``.open``).
_WARC_NAME_RE = re.compile(r"\.warc(\.gz)?(\.open)?$")
#: The first bytes of every gzip member.
_GZIP_MAGIC = b"\x1f\x8b"
#: Characters not allowed in the portal part of a file name.
_UNSAFE_NAME_RE = re.compile(r"[^A-Za-z0-9_.-]+")


# --- small pure helpers ----------------------------------------------------------------------
def warc_filename(portal: str, when: datetime, pid: int, serial: int) -> str:
    """The name of a WARC file: portal, UTC timestamp (milliseconds), process id, serial.

    >>> warc_filename("surabayapagi", datetime(2024, 8, 13, 11, 13, 0, 123456, tzinfo=UTC), 42, 3)
    'surabayapagi-20240813111300123-42-00003.warc.gz'
    >>> warc_filename("a/b c", datetime(2024, 1, 1, tzinfo=UTC), 1, 0)
    'a_b_c-20240101000000000-1-00000.warc.gz'
    """
    stamp = when.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")[:17]
    safe = _UNSAFE_NAME_RE.sub("_", portal) or "crawl"
    return f"{safe}-{stamp}-{pid}-{serial:05d}.warc.gz"


def is_warc_name(name: str) -> bool:
    """Whether a file name is a WARC file (complete or ``.open``).

    >>> [is_warc_name(n) for n in ("a.warc.gz", "a.warc", "a.warc.gz.open", "a.cdx", "a.gz")]
    [True, True, True, False, False]
    """
    return bool(_WARC_NAME_RE.search(name))


def warc_date(when: datetime) -> str:
    """A WARC-Date (UTC, seconds).

    >>> warc_date(datetime(2024, 8, 13, 18, 13, 5, 999, tzinfo=UTC))
    '2024-08-13T18:13:05Z'
    """
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256_digest(data: bytes) -> str:
    """A WARC digest value: ``sha256:`` and the base32 SHA-256.

    >>> sha256_digest(b"")
    'sha256:4OYMIQUY7QOBJGX36TEJS35ZEQT24QPEMSNZGTFESWMRW6CSXBKQ===='
    """
    return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode("ascii")


def status_line(status: int) -> str:
    """The status and reason of an HTTP status line.

    >>> status_line(200), status_line(404), status_line(599)
    ('200 OK', '404 Not Found', '599 Unknown')
    """
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def http_protocol(protocol: str | None) -> str:
    """The protocol to write in a record: HTTP/1.0 or HTTP/1.1 (WARC readers know no other).

    >>> http_protocol("HTTP/1.0"), http_protocol("h2"), http_protocol(None)
    ('HTTP/1.0', 'HTTP/1.1', 'HTTP/1.1')
    """
    return protocol if protocol in ("HTTP/1.0", "HTTP/1.1") else "HTTP/1.1"


def header_pairs(headers: Any, *, drop: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """``(name, value)`` text pairs from Scrapy ``Headers`` (bytes) or a plain mapping.

    >>> header_pairs({b"Content-Type": [b"text/html"], "X": "1", "Transfer-Encoding": "chunked"},
    ...              drop=("transfer-encoding",))
    [('Content-Type', 'text/html'), ('X', '1')]
    """
    out: list[tuple[str, str]] = []
    for name, values in (headers or {}).items():
        text = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        if text.lower() in drop:
            continue
        if not isinstance(values, list | tuple):
            values = [values]
        for value in values:
            out.append((text, value.decode("latin-1") if isinstance(value, bytes) else str(value)))
    return out


def decode_content(
    body: bytes, content_encoding: str | None, *, max_size: int = DEFAULT_MAX_DECODED
) -> bytes | None:
    """The entity of ``body`` with its Content-Encoding undone; None when it cannot be decoded
    or decodes to more than ``max_size`` bytes (all codings together: one bounded helper,
    :func:`newscrawl.safety.decompress.decompress`).

    >>> import gzip
    >>> decode_content(gzip.compress(b"halo"), "gzip"), decode_content(b"halo", None)
    (b'halo', b'halo')
    >>> decode_content(b"not gzip", "gzip") is None
    True
    >>> decode_content(gzip.compress(gzip.compress(b" " * 5000)), "gzip, gzip", max_size=4096)
    """
    try:
        return decompress(body, content_encoding, max_size=max_size)
    except Exception:  # noqa: BLE001 - any failure means "cannot decode"
        return None


def resolve_warc_path(warc_dir: str | os.PathLike[str], relpath: str) -> Path | None:
    """The file a pointer names: the closed file, else the same file still ``.open``; or None."""
    if not relpath:
        return None
    base = Path(warc_dir)
    path = base / relpath
    if path.is_file():
        return path
    open_path = base / (relpath + OPEN_SUFFIX)
    return open_path if open_path.is_file() else None


def warc_files(warc_dir: str | os.PathLike[str]) -> list[Path]:
    """Every WARC file under ``warc_dir`` (``.open`` ones too), sorted by path."""
    base = Path(warc_dir)
    if not base.is_dir():
        return []
    return sorted(p for p in base.rglob("*") if p.is_file() and is_warc_name(p.name))


# --- writing ---------------------------------------------------------------------------------
class _Sha256Writer(WARCWriter):
    """A warcio writer whose block and payload digests are SHA-256."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


@dataclass
class Capture:
    """One exchange to preserve: what was asked and what came back."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    method: str = "GET"
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    request_body: bytes = b""
    protocol: str = "HTTP/1.1"
    ip_address: str | None = None
    date: datetime | None = None
    truncated: bool = False


@dataclass
class Original:
    """An archived capture with the same payload: where its response record is."""

    warc_file: str
    warc_offset: int
    warc_length: int | None
    warc_record_id: str
    warc_date: str
    payload_digest: str | None = None


class WarcFileWriter:
    """Writes captures into size-rotated ``.warc.gz`` files in ``directory``.

    ``info`` goes into the warcinfo record that starts every file. Files are created with an
    ``.open`` suffix (exclusive create: never an old file) and renamed when closed.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        portal: str,
        *,
        max_size: int = DEFAULT_MAX_SIZE,
        info: Mapping[str, Any] | None = None,
        fsync: bool = False,
        clock: Any = None,
    ) -> None:
        self.directory = Path(directory)
        self.portal = portal
        self.max_size = max(1, int(max_size))
        self.info = dict(info or {})
        self.fsync = fsync
        self.clock = clock or (lambda: datetime.now(UTC))
        self.pid = os.getpid()
        self.serial = 0
        self.name: str | None = None
        self._fh: BinaryIO | None = None
        self._writer: _Sha256Writer | None = None
        self.files_closed: list[str] = []

    # -- files ---------------------------------------------------------------------------
    @property
    def open_path(self) -> Path | None:
        return self.directory / (self.name + OPEN_SUFFIX) if self.name else None

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:
            name = warc_filename(self.portal, self.clock(), self.pid, self.serial)
            self.serial += 1
            try:
                fh = open(self.directory / (name + OPEN_SUFFIX), "xb")  # noqa: SIM115
            except FileExistsError:
                continue
            if (self.directory / name).exists():  # pragma: no cover - same ms, pid and serial
                fh.close()
                os.unlink(self.directory / (name + OPEN_SUFFIX))
                continue
            # Held while the file is written (the kernel lets go when the process dies, even
            # by SIGKILL): a file nobody holds is a dead run's, for seal_dead_open_files().
            with contextlib.suppress(OSError):
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        self.name, self._fh = name, fh
        self._writer = _Sha256Writer(fh, gzip=True, warc_version=WARC_VERSION)
        info = {
            "software": f"{SOFTWARE} (warcio)",
            "format": "WARC File Format 1.0",
            "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
            "hostname": socket.gethostname(),
            "isPartOf": self.portal,
        }
        for key, value in self.info.items():
            if value is None or value == "":
                continue
            info[key] = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
        record = self._writer.create_warcinfo_record(name, info)
        self._writer.write_record(record)
        self._sync()

    def _sync(self) -> None:
        assert self._fh is not None
        self._fh.flush()
        if self.fsync:
            os.fsync(self._fh.fileno())

    def close(self) -> str | None:
        """Close the current file and drop its ``.open`` suffix; returns its name."""
        if self._fh is None:
            return None
        name, fh = self.name, self._fh
        self._fh = self._writer = None
        self.name = None
        try:
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fh.close()
        os.replace(self.directory / (name + OPEN_SUFFIX), self.directory / name)
        self.files_closed.append(name)
        return name

    # -- records -------------------------------------------------------------------------
    def write(self, capture: Capture, original: Original | None = None) -> dict[str, Any]:
        """Write a response (or revisit) record and its request record; return the pointer."""
        if self._fh is None:
            self._open()
        assert self._fh is not None and self._writer is not None and self.name is not None
        writer = self._writer
        when = capture.date or self.clock()
        date = warc_date(when)
        digest = sha256_digest(capture.body)
        http_headers = StatusAndHeaders(
            status_line(capture.status), list(capture.headers), protocol=capture.protocol
        )
        warc_headers: dict[str, str] = {"WARC-Date": date}
        if capture.ip_address:
            warc_headers["WARC-IP-Address"] = capture.ip_address
        if original is not None and original.payload_digest == digest:
            record = writer.create_revisit_record(
                capture.url,
                digest,
                capture.url,
                original.warc_date,
                http_headers=http_headers,
                warc_headers_dict=warc_headers,
            )
            record.rec_headers.add_header("WARC-Refers-To", original.warc_record_id)
        else:
            original = None
            if capture.truncated:
                warc_headers["WARC-Truncated"] = "disconnect"
            record = writer.create_warc_record(
                capture.url,
                "response",
                payload=BytesIO(capture.body),
                length=len(capture.body),
                http_headers=http_headers,
                warc_headers_dict=warc_headers,
            )
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        offset = self._fh.tell()
        writer.write_record(record)
        length = self._fh.tell() - offset
        request = self._request_record(capture, date, record_id)
        writer.write_record(request)
        self._sync()
        if original is None:
            pointer: dict[str, Any] = {
                "warc_file": self.name,
                "warc_offset": offset,
                "warc_length": length,
                "warc_record_id": record_id,
            }
        else:
            pointer = {
                "warc_file": original.warc_file,
                "warc_offset": original.warc_offset,
                "warc_length": original.warc_length,
                "warc_record_id": original.warc_record_id,
                "revisit_record_id": record_id,
                "revisit_file": self.name,
                "revisit_offset": offset,
            }
        pointer.update(payload_digest=digest, warc_date=date, revisit=original is not None)
        if self._fh.tell() >= self.max_size:
            self.close()
        return pointer

    def write_refusal(self, url: str, pointer: Mapping[str, Any], reason: str) -> dict[str, Any]:
        """Write a ``metadata`` record saying the crawl refused the response at ``pointer``
        (not an article, extraction failed) and why; returns where it is.

        The record refers to the response (``WARC-Refers-To``) and names its file and offset,
        so :func:`refusals` and ``newscrawl reprocess --refused`` can find the page again.
        """
        if self._fh is None:
            self._open()
        assert self._fh is not None and self._writer is not None
        fields = {
            REFUSED_FIELD: reason,
            "newscrawl-warc-file": str(pointer.get("warc_file") or ""),
            "newscrawl-warc-offset": str(pointer.get("warc_offset") or 0),
        }
        body = "".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode("utf-8")
        refers_to = pointer.get("revisit_record_id") or pointer.get("warc_record_id") or ""
        record = self._writer.create_warc_record(
            url,
            "metadata",
            payload=BytesIO(body),
            length=len(body),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Date": warc_date(self.clock()),
                "WARC-Refers-To": refers_to,
                "WARC-Concurrent-To": refers_to,
            },
        )
        offset = self._fh.tell()
        self._writer.write_record(record)
        self._sync()
        where = {"warc_file": self.name, "warc_offset": offset}
        if self._fh.tell() >= self.max_size:
            self.close()
        return where

    def _request_record(self, capture: Capture, date: str, concurrent_to: str) -> Any:
        parts = urlsplit(capture.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = list(capture.request_headers)
        if not any(name.lower() == "host" for name, _ in headers):
            headers.insert(0, ("Host", parts.netloc))
        http_headers = StatusAndHeaders(
            f"{capture.method} {target} {capture.protocol}", headers, is_http_request=True
        )
        return self._writer.create_warc_record(  # type: ignore[union-attr]
            capture.url,
            "request",
            payload=BytesIO(capture.request_body),
            length=len(capture.request_body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": concurrent_to},
        )


# --- sealing the files of dead runs ----------------------------------------------------------
#: Field of the ``metadata`` record written when a dead run's file is sealed.
SEALED_FIELD = "newscrawl-sealed"


@dataclass
class SealedFile:
    """A dead run's ``.open`` file, sealed: what was kept and what was cut."""

    name: str
    kept_bytes: int
    cut_bytes: int
    cut_offset: int | None
    cut_reason: str | None

    def __str__(self) -> str:
        if not self.cut_bytes:
            return f"{self.name}: sealed, nothing cut"
        return (
            f"{self.name}: sealed, torn last record cut ({self.cut_bytes} bytes from offset "
            f"{self.cut_offset}: {self.cut_reason})"
        )


def seal_dead_open_files(
    warc_dir: str | os.PathLike[str], *, sealed_by: str = ""
) -> list[SealedFile]:
    """Seal every ``.open`` WARC file under ``warc_dir`` whose writer is gone (a killed crawl):
    keep every whole record, cut a torn tail, append a ``metadata`` record saying what was cut
    (``newscrawl-sealed``), and drop the ``.open`` suffix. Files a live crawl holds (its lock)
    are left alone. Returns what was done, one entry per file."""
    out: list[SealedFile] = []
    for path in warc_files(warc_dir):
        if not path.name.endswith(OPEN_SUFFIX) or ".gz" not in path.suffixes:
            continue
        final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
        try:
            fh = open(path, "r+b")  # noqa: SIM115 - closed below, after the lock test
        except OSError:
            continue
        with fh:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a live crawl is writing it
            if final.exists():
                logger.warning("cannot seal %s: %s exists", path.name, final.name)
                continue
            sealed = _seal(path, fh, final.name, sealed_by)
            os.replace(path, final)
        out.append(sealed)
    return out


def _seal(path: Path, fh: BinaryIO, final_name: str, sealed_by: str) -> SealedFile:
    from newscrawl.verify import gzip_members

    size = os.fstat(fh.fileno()).st_size
    keep, cut_reason = 0, None
    for offset, length, error in gzip_members(path):
        if error is not None or length is None:
            cut_reason = error or "unreadable"
            break
        keep = offset + length
    cut = size - keep
    if cut and cut_reason is None:
        cut_reason = "not gzip data"
    fh.truncate(keep)
    fh.seek(keep)
    fields = {
        SEALED_FIELD: "a crawl was interrupted while writing this file; sealed by the next one",
        "newscrawl-cut-bytes": str(cut),
        "newscrawl-cut-offset": str(keep) if cut else "",
        "newscrawl-cut-reason": cut_reason or "",
        "newscrawl-sealed-by": sealed_by,
    }
    body = "".join(f"{k}: {v}\r\n" for k, v in fields.items() if v).encode("utf-8")
    writer = _Sha256Writer(fh, gzip=True, warc_version=WARC_VERSION)
    record = writer.create_warc_record(
        f"urn:newscrawl:warc:{final_name}",
        "metadata",
        payload=BytesIO(body),
        length=len(body),
        warc_content_type="application/warc-fields",
        warc_headers_dict={"WARC-Date": warc_date(datetime.now(UTC))},
    )
    writer.write_record(record)
    fh.flush()
    os.fsync(fh.fileno())
    return SealedFile(final_name, keep, cut, keep if cut else None, cut_reason)


# --- reading ---------------------------------------------------------------------------------
@dataclass
class StoredRecord:
    """One record read back: its headers and its payload, as stored and decoded."""

    record_type: str
    record_id: str | None
    url: str | None
    date: str | None
    status: int | None
    headers: list[tuple[str, str]]
    payload: bytes
    content: bytes | None
    warc_headers: dict[str, str]

    @property
    def content_sha256(self) -> str | None:
        """Hex SHA-256 of the decoded payload (what items call ``raw_sha256``)."""
        return hashlib.sha256(self.content).hexdigest() if self.content is not None else None


def read_record(path: str | os.PathLike[str], offset: int) -> StoredRecord:
    """The record at ``offset`` in a WARC file (errors propagate: callers report them).

    In a gzipped file a record starts a gzip member: any other offset is a ValueError.
    """
    with open(path, "rb") as fh:
        if ".gz" in Path(path).suffixes:
            fh.seek(offset)
            if fh.read(2) != _GZIP_MAGIC:
                raise ValueError(f"no gzip member starts at offset {offset}")
        fh.seek(offset)
        iterator = ArchiveIterator(fh, check_digests=False)
        return _stored(next(iter(iterator)))


def iter_records(path: str | os.PathLike[str]) -> Iterator[tuple[int, StoredRecord]]:
    """``(offset, record)`` for every record of a file, in order."""
    with open(path, "rb") as fh:
        iterator = ArchiveIterator(fh, check_digests=False)
        for record in iterator:
            stored = _stored(record)  # reads the payload, so the offset below is this record's
            yield iterator.get_record_offset(), stored


def _stored(record: Any) -> StoredRecord:
    """A warcio record read into a :class:`StoredRecord` (payload read, content decoded)."""
    payload = record.raw_stream.read()
    http = record.http_headers
    codings = [
        v for k, v in (http.headers if http is not None else []) if k.lower() == "content-encoding"
    ]
    encoding = ", ".join(codings) or None
    status = None
    if http is not None and record.rec_type in ("response", "revisit"):
        try:
            status = int(http.get_statuscode())
        except (TypeError, ValueError):
            status = None
    rec = record.rec_headers
    return StoredRecord(
        record_type=record.rec_type,
        record_id=rec.get_header("WARC-Record-ID"),
        url=rec.get_header("WARC-Target-URI"),
        date=rec.get_header("WARC-Date"),
        status=status,
        headers=list(http.headers) if http is not None else [],
        payload=payload,
        content=decode_content(payload, encoding),
        warc_headers=dict(rec.headers),
    )


@dataclass
class Refusal:
    """A page the crawl refused, as a WARC metadata record tells: the response and why."""

    url: str
    reason: str
    warc_file: str
    warc_offset: int
    response_record_id: str


def refusals(warc_dir: str | os.PathLike[str]) -> Iterator[Refusal]:
    """Every refusal recorded under ``warc_dir`` (:meth:`WarcFileWriter.write_refusal`), in file
    order; unreadable files are skipped."""
    base = Path(warc_dir)
    for path in warc_files(base):
        try:
            for _offset, record in iter_records(path):
                if record.record_type != "metadata":
                    continue
                fields = _warc_fields(record.payload)
                if REFUSED_FIELD not in fields:
                    continue
                try:
                    offset = int(fields.get("newscrawl-warc-offset") or "")
                except ValueError:
                    continue
                yield Refusal(
                    url=record.url or "",
                    reason=fields[REFUSED_FIELD],
                    warc_file=fields.get("newscrawl-warc-file") or "",
                    warc_offset=offset,
                    response_record_id=record.warc_headers.get("WARC-Refers-To") or "",
                )
        except Exception as exc:  # noqa: BLE001 - a damaged file: verify reports it
            logger.warning("cannot read refusals in %s: %r", path, exc)


def _warc_fields(payload: bytes) -> dict[str, str]:
    """``application/warc-fields`` as a dict.

    >>> _warc_fields(b"newscrawl-refused: soft_404\\r\\nx: 1\\r\\n")
    {'newscrawl-refused': 'soft_404', 'x': '1'}
    """
    out: dict[str, str] = {}
    for line in payload.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            out[name.strip()] = value.strip()
    return out


# --- the archive look-up (a store function: takes a session) --------------------------------
def archived_capture(session: Any, url: str, raw_sha256: str) -> dict[str, Any] | None:
    """The newest archived version of the article at ``url`` (canonical or fetched URL) whose
    raw payload hash is ``raw_sha256`` and that has a WARC pointer, as a dict; or None.

    A thin wrapper of :func:`archive.store.find_capture`.
    """
    from archive.store import find_capture

    found = find_capture(session, url, raw_sha256)
    return found._asdict() if found is not None else None


# --- the middleware --------------------------------------------------------------------------
class WarcMiddleware:
    """Downloader middleware writing every response to WARC files (see the module docs)."""

    def __init__(self, crawler: Any) -> None:
        from scrapy.exceptions import NotConfigured

        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_WARC_ENABLED", True):
            raise NotConfigured("NEWSCRAWL_WARC_ENABLED is off")
        self.crawler = crawler
        self.stats = crawler.stats
        self.directory = Path(settings.get("NEWSCRAWL_WARC_DIR") or DEFAULT_DIR)
        self.max_size = settings.getint("NEWSCRAWL_WARC_MAX_SIZE", DEFAULT_MAX_SIZE)
        self.fsync = settings.getbool("NEWSCRAWL_WARC_FSYNC", False)
        self.revisits = settings.getbool("NEWSCRAWL_WARC_REVISITS", True)
        self.db_url = settings.get("NEWSCRAWL_DB_URL") if self.revisits else None
        #: The decompression cap of the revisit check: the crawl's (``DOWNLOAD_MAXSIZE``).
        self.max_decoded = settings.getint("DOWNLOAD_MAXSIZE", DEFAULT_MAX_DECODED)
        self.writer: WarcFileWriter | None = None
        self._engine: Any = None
        self._session_factory: Any = None
        self._db_failed = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcMiddleware:
        from scrapy import signals

        mw = cls(crawler)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(mw.page_refused, signal=page_refused)
        return mw

    # -- helpers -------------------------------------------------------------------------
    def _portal(self) -> str:
        spider = getattr(self.crawler, "spider", None)
        profile = getattr(spider, "profile", None)
        return getattr(profile, "key", None) or getattr(spider, "name", None) or "crawl"

    def _info(self) -> dict[str, Any]:
        settings = self.crawler.settings
        spider = getattr(self.crawler, "spider", None)
        crawl = {
            name: settings.get(name)
            for name in (
                "USER_AGENT",
                "ROBOTSTXT_OBEY",
                "DOWNLOAD_DELAY",
                "CONCURRENT_REQUESTS_PER_DOMAIN",
                "AUTOTHROTTLE_ENABLED",
                "DEPTH_LIMIT",
            )
        }
        for name in ("base_url", "since", "until", "max_articles", "revisit", "query"):
            value = getattr(spider, name, None)
            if value is not None:
                crawl[name] = str(value)
        return {
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": settings.get("USER_AGENT"),
            "newscrawl-run-id": str(self.stats.get_value("newscrawl/run_id") or ""),
            "newscrawl-spider": getattr(spider, "name", None),
            "newscrawl-settings": {k: v for k, v in crawl.items() if v is not None},
        }

    def _writer(self) -> WarcFileWriter:
        if self.writer is None or self.writer._fh is None:
            if self.writer is None:
                self.writer = WarcFileWriter(
                    self.directory, self._portal(), max_size=self.max_size, fsync=self.fsync
                )
            self.writer.info = self._info()
        return self.writer

    def _session(self) -> Any:
        if self._session_factory is None and not self._db_failed and self.db_url:
            try:
                from archive.db import open_archive

                self._engine, self._session_factory = open_archive(self.db_url, readonly=True)
            except Exception as exc:  # noqa: BLE001 - no archive: no revisits, still preserve
                self._db_failed = True
                logger.warning("WARC revisits off: cannot open the archive (%r)", exc)
        return self._session_factory

    def original_for(self, url: str, content: bytes | None) -> Original | None:
        """The archived capture of ``url`` with the same payload, when its record is readable."""
        factory = self._session() if content is not None else None
        if factory is None:
            return None
        try:
            with factory() as session:
                found = archived_capture(session, url, hashlib.sha256(content).hexdigest())
        except Exception as exc:  # noqa: BLE001 - a failed look-up only costs a full record
            logger.debug("revisit look-up failed for %s: %r", url, exc)
            return None
        if not found:
            return None
        path = resolve_warc_path(self.directory, found["warc_file"])
        if path is None:
            return None
        try:
            stored = read_record(path, int(found["warc_offset"]))
        except Exception:  # noqa: BLE001 - unreadable original: write a full record
            return None
        if stored.record_type != "response" or stored.record_id != found["warc_record_id"]:
            return None
        return Original(
            warc_file=found["warc_file"],
            warc_offset=int(found["warc_offset"]),
            warc_length=found["warc_length"],
            warc_record_id=stored.record_id or "",
            warc_date=stored.date or "",
            payload_digest=stored.warc_headers.get("WARC-Payload-Digest"),
        )

    # -- Scrapy hooks --------------------------------------------------------------------
    def process_response(self, request: Any, response: Any) -> Any:
        try:
            headers = header_pairs(response.headers, drop=("transfer-encoding",))
            ip = getattr(response, "ip_address", None)
            capture = Capture(
                url=response.url,
                status=response.status,
                headers=headers,
                body=response.body,
                method=request.method,
                request_headers=header_pairs(request.headers),
                request_body=request.body or b"",
                protocol=http_protocol(getattr(response, "protocol", None)),
                ip_address=str(ip) if ip else None,
                date=datetime.now(UTC),
                truncated="dataloss" in (response.flags or []),
            )
            original = None
            # A spider that knows the archived URLs says whether this one is (listings never are).
            if self.revisits and response.status == 200 and request.meta.get(ARCHIVED_META, True):
                encoding = b",".join(response.headers.getlist("Content-Encoding"))
                content = decode_content(
                    response.body,
                    encoding.decode("latin-1") if encoding else None,
                    max_size=request.meta.get("download_maxsize", self.max_decoded),
                )
                original = self.original_for(response.url, content)
            pointer = self._writer().write(capture, original)
        except Exception as exc:  # noqa: BLE001 - a WARC failure is counted, the crawl goes on
            self.stats.inc_value("newscrawl/warc/error")
            logger.error("could not write %s to WARC: %r", response.url, exc)
            return response
        request.meta[META_KEY] = pointer
        self.stats.inc_value(
            "newscrawl/warc/revisit" if pointer["revisit"] else "newscrawl/warc/response"
        )
        return response

    def spider_opened(self, spider: Any = None) -> None:
        """Resume: seal the ``.open`` files killed crawls left behind (see
        :func:`seal_dead_open_files`), one line and a counter each."""
        run = self.stats.get_value("newscrawl/run_id")
        try:
            sealed = seal_dead_open_files(
                self.directory, sealed_by=f"{SOFTWARE} pid {os.getpid()} run {run or '-'}"
            )
        except Exception as exc:  # noqa: BLE001 - sealing is housekeeping: never stop a crawl
            self.stats.inc_value("newscrawl/warc/error")
            logger.error("could not seal the WARC files of interrupted crawls: %r", exc)
            return
        for done in sealed:
            self.stats.inc_value("newscrawl/warc/sealed")
            if done.cut_bytes:
                self.stats.inc_value("newscrawl/warc/sealed_cut_bytes", done.cut_bytes)
            logger.warning("WARC file of an interrupted crawl %s", done)

    def page_refused(self, response: Any = None, reason: str = "", **_: Any) -> None:
        """A spider refused ``response``: record why beside its response record."""
        pointer = (getattr(response, "meta", None) or {}).get(META_KEY)
        if not pointer or not reason:
            return
        try:
            self._writer().write_refusal(response.url, pointer, reason)
        except Exception as exc:  # noqa: BLE001 - counted; the response record is kept anyway
            self.stats.inc_value("newscrawl/warc/error")
            logger.error("could not record the refusal of %s: %r", response.url, exc)
            return
        self.stats.inc_value("newscrawl/warc/refusal")

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        if self.writer is not None:
            try:
                self.writer.close()
            finally:
                self.stats.set_value("newscrawl/warc/files", len(self.writer.files_closed))
        if self._engine is not None:
            self._engine.dispose()
            self._engine = self._session_factory = None
