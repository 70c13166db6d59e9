"""The one bounded decompression of the crawl: every Content-Encoding is undone here.

:func:`decompress` undoes the codings of a ``Content-Encoding`` header (``gzip``, ``x-gzip``,
``deflate``, ``br``, ``zstd``, ``identity``), last applied first, in chunks, and stops as soon as
the bytes produced by *all* layers together pass ``max_size`` (``DOWNLOAD_MAXSIZE``, 8 MiB by
default): a gzip bomb, or a stack of them (``Content-Encoding: gzip, gzip``), never costs more
than about ``max_size`` of memory. Scrapy's decompression middleware
(:class:`~newscrawl.safety.limits.SafeHttpCompressionMiddleware`), the WARC revisit check and
WARC reading (:func:`newscrawl.warc.decode_content`) and gzipped sitemaps all call it.

Like Scrapy's own helpers it is lenient with a stream cut short: what was decoded before the
cut is returned (an empty result is an error).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from io import BytesIO

__all__ = [
    "DEFAULT_MAX_SIZE",
    "DecompressionTooLarge",
    "UndecodableContent",
    "decompress",
    "split_codings",
]

MIB = 1024 * 1024
#: The decompressed-size cap when no setting names one (``DOWNLOAD_MAXSIZE``'s default).
DEFAULT_MAX_SIZE = 8 * MIB
#: Bytes produced per step: the most a step can overshoot the cap by.
CHUNK = 64 * 1024
#: Codings :func:`decompress` undoes.
SUPPORTED = frozenset(("gzip", "x-gzip", "deflate", "br", "zstd", "identity"))
_GZIP_MAGIC = b"\x1f\x8b"

try:  # Scrapy's HttpCompressionMiddleware catches this one: ours is one of it.
    from scrapy.utils._compression import _DecompressionMaxSizeExceeded as _TooLargeBase
except ImportError:  # pragma: no cover - private name
    _TooLargeBase = ValueError  # type: ignore[assignment,misc]


class DecompressionTooLarge(_TooLargeBase):  # type: ignore[misc,valid-type]
    """The decompressed bytes passed the cap (a decompression bomb)."""

    def __init__(self, decompressed_size: int, max_size: int) -> None:
        ValueError.__init__(self, decompressed_size, max_size)
        self.decompressed_size = decompressed_size
        self.max_size = max_size

    def __str__(self) -> str:
        return (
            f"decompressed size passed {self.max_size} B "
            f"({self.decompressed_size} B decoded when stopped)"
        )


class UndecodableContent(ValueError):
    """The body is not data of its declared coding."""


def split_codings(content_encoding: str | bytes | Iterable[str | bytes] | None) -> list[str]:
    """The codings of one or more ``Content-Encoding`` values, lower case, in header order.

    >>> split_codings("gzip, GZIP"), split_codings([b"br", b"x-gzip,identity"]), split_codings(None)
    (['gzip', 'gzip'], ['br', 'x-gzip', 'identity'], [])
    """
    if content_encoding is None:
        return []
    values = [content_encoding] if isinstance(content_encoding, str | bytes) else content_encoding
    out: list[str] = []
    for value in values:
        text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        out.extend(c.strip().lower() for c in text.split(",") if c.strip())
    return out


class _Budget:
    """Bytes produced so far by all layers, against the cap."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self.used = 0

    def take(self, n: int) -> None:
        self.used += n
        if self.max_size and self.used > self.max_size:
            raise DecompressionTooLarge(self.used, self.max_size)

    def room(self) -> int:
        """How much one step may produce (one byte over the cap is enough to know)."""
        if not self.max_size:
            return CHUNK
        return max(1, min(CHUNK, self.max_size - self.used + 1))


def _zlib_stream(data: bytes, wbits: int, budget: _Budget, out: BytesIO) -> tuple[bytes, bool]:
    """Inflate one zlib/gzip/raw-deflate stream into ``out`` in bounded steps; returns the bytes
    after it and whether it ended (False: the input was cut short)."""
    d = zlib.decompressobj(wbits)
    pending = data
    while True:
        room = budget.room()
        chunk = d.decompress(pending, room)
        budget.take(len(chunk))
        out.write(chunk)
        if d.eof:
            return d.unused_data, True
        pending = d.unconsumed_tail
        if not pending and len(chunk) < room:
            return b"", False


def _gunzip(data: bytes, budget: _Budget) -> bytes:
    if data[:2] != _GZIP_MAGIC:
        raise UndecodableContent("gzip: not gzip data")
    out = BytesIO()
    rest = data
    while rest[:2] == _GZIP_MAGIC:  # concatenated members; trailing garbage is ignored
        try:
            rest, ended = _zlib_stream(rest, 16 + zlib.MAX_WBITS, budget, out)
        except zlib.error as exc:
            if out.tell():
                break  # a damaged later part: keep what came out before it
            raise UndecodableContent(f"gzip: {exc}") from exc
        if not ended and not out.tell():
            raise UndecodableContent("gzip: cut short before any data")
    return out.getvalue()


def _inflate(data: bytes, budget: _Budget) -> bytes:
    out = BytesIO()
    try:
        _zlib_stream(data, zlib.MAX_WBITS, budget, out)
    except zlib.error:
        if out.tell():
            return out.getvalue()
        try:  # raw deflate, as some servers send it
            _zlib_stream(data, -zlib.MAX_WBITS, budget, out)
        except zlib.error as exc:
            if not out.tell():
                raise UndecodableContent(f"deflate: {exc}") from exc
    return out.getvalue()


def _unbrotli(data: bytes, budget: _Budget) -> bytes:
    try:
        import brotli  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - Scrapy depends on it
        import brotlicffi as brotli  # type: ignore[import-not-found,no-redef]
    out = BytesIO()
    d = brotli.Decompressor()
    try:
        chunk = d.process(data, output_buffer_limit=budget.room())
        while True:
            budget.take(len(chunk))
            out.write(chunk)
            if d.is_finished() or not chunk:
                break
            chunk = d.process(b"", output_buffer_limit=budget.room())
    except brotli.error as exc:
        if not out.tell():
            raise UndecodableContent(f"br: {exc}") from exc
    return out.getvalue()


def _unzstd(data: bytes, budget: _Budget) -> bytes:
    try:
        from compression import zstd  # type: ignore[import-not-found]
    except ImportError:
        from backports import zstd  # type: ignore[import-not-found,no-redef]
    out = BytesIO()
    reader = zstd.ZstdFile(BytesIO(data))
    try:
        while chunk := reader.read(budget.room()):
            budget.take(len(chunk))
            out.write(chunk)
    except EOFError:
        pass  # cut short: keep what came out
    except zstd.ZstdError as exc:
        if not out.tell():
            raise UndecodableContent(f"zstd: {exc}") from exc
    return out.getvalue()


_DECODERS = {"gzip": _gunzip, "x-gzip": _gunzip, "deflate": _inflate, "br": _unbrotli}
_DECODERS["zstd"] = _unzstd


def decompress(
    body: bytes,
    content_encoding: str | bytes | Iterable[str | bytes] | None,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
) -> bytes:
    """``body`` with every coding of ``content_encoding`` undone (the last applied first).

    Raises :class:`DecompressionTooLarge` as soon as all layers together have produced more than
    ``max_size`` bytes (0: no cap), :class:`UndecodableContent` for data that is not of its
    coding or for a coding not in :data:`SUPPORTED`.

    >>> import gzip
    >>> decompress(gzip.compress(gzip.compress(b"halo")), "gzip, gzip")
    b'halo'
    >>> decompress(gzip.compress(b" " * 100_000), "gzip", max_size=50_000)
    Traceback (most recent call last):
    ...
    newscrawl.safety.decompress.DecompressionTooLarge: decompressed size passed 50000 B (50001 B decoded when stopped)
    """
    budget = _Budget(max(0, int(max_size or 0)))
    data = body
    for coding in reversed(split_codings(content_encoding)):
        if coding == "identity":
            continue
        decoder = _DECODERS.get(coding)
        if decoder is None:
            raise UndecodableContent(f"unsupported content coding {coding!r}")
        data = decoder(data, budget)
    return data
