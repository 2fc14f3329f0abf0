"""Turn paths, directories, JSONL, WARC and Parquet files, and standard input into ``RawInput`` items.

Only this module and ``store``/``export``/``cli`` touch the file system. Nothing is decoded
here: bytes go on to ``clean`` so that the encoding is detected once, in one place.
A problem with one input becomes a ``Failure`` in the stream and the next input follows.
Every read is bounded, because inputs may be hostile: at most ``max_bytes + 1`` bytes of a
document (inflated bytes included), lines and header blocks capped, gzip held to a ratio, and
only regular files opened (a FIFO blocks forever, a symlink to ``/dev/zero`` never ends).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import json
import logging
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader

from backchannel.errors import EmptyInputError, InputError, RecordError, TooLargeError, detail
from backchannel.records import PART_TABLES, Failure, RawInput
from backchannel.settings import Settings

logger = logging.getLogger(__name__)

TEXT_EXTENSIONS = (".txt", ".text")
HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
JSONL_EXTENSIONS = (".jsonl", ".ndjson")
WARC_EXTENSIONS = (".warc", ".warc.gz")
PARQUET_EXTENSIONS = (".parquet",)
SUPPORTED = TEXT_EXTENSIONS + HTML_EXTENSIONS + JSONL_EXTENSIONS + WARC_EXTENSIONS + PARQUET_EXTENSIONS
#: rows read from a Parquet file at a time (pyarrow holds one row group at most, never the file);
#: a batch is decoded whole, so it holds up to this many documents of the size limit
PARQUET_BATCH = 16
_SURROGATE = re.compile("[\ud800-\udfff]")
META_FIELDS = ("id", "title", "url", "date", "outlet", "author")
#: the longest WARC or HTTP header line read (``http.client``'s limit for an HTTP header line)
MAX_HEADER_LINE = 65536
#: header lines per WARC record, WARC and HTTP headers together (real records have a few dozen)
MAX_HEADER_LINES = 1000
#: gzip may inflate to this many times the compressed bytes read, plus one document; more is a
#: bomb (Apache POI's zip-bomb guard uses the same 1:100); real WARCs inflate 3 to 10 times
MAX_INFLATE_RATIO = 100
#: bytes read at a time where the amount is not otherwise bounded
_CHUNK = 1 << 16
_NOT_REGULAR: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISFIFO, "FIFO (named pipe)"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"), (stat.S_ISDIR, "directory"),
)


def article_id(data: bytes | str) -> str:
    """The content hash that keys a document, so re-reading the same bytes adds nothing."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()[:32]


def _failure(exc: InputError, source: str | None = None) -> Failure:
    source = _clean_str(source or str(exc.fields.get("path", "?")))
    return Failure(source=source, code=exc.code, message=_clean_str(str(exc)), severity=exc.severity)


def _name(path: Path) -> str:
    """A path as stored and shown: bytes that are not UTF-8 (surrogate escapes) become U+FFFD,
    which the store can write; the ``Path`` itself still opens the file."""
    return _clean_str(str(path))


def _extension(path: Path) -> str:
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else path.suffix.lower()


def iter_inputs(paths: Iterable[str | Path], settings: Settings) -> Iterator[RawInput | Failure]:
    """Every article under ``paths`` in a stable order (directories recursively, sorted). A
    ``--parts`` folder inside an input directory (this run's, or any earlier run's) is output,
    not input, and is skipped."""
    parts = Path(settings.parts).expanduser().resolve() if settings.parts else None
    for given in paths:
        if str(given) == "-":
            yield from _from_stdin(settings)
            continue
        path = Path(given)
        if path.is_dir():
            try:
                children = sorted(p for p in path.rglob("*") if not p.is_dir())  # FIFOs and devices too: each is reported
            except OSError as exc:
                yield _failure(InputError("E109", path=_name(path), detail=exc.strerror or exc))
                continue
            for child in children:
                if child.name.startswith(".") or _extension(child) not in SUPPORTED:
                    logger.debug("skipping %s: not a supported extension", child)
                    continue
                if (parts is not None and Path(os.path.realpath(child)).is_relative_to(parts)) or _partition_file(child):
                    continue
                yield from _from_file(child, settings)
        elif path.exists() or path.is_symlink():  # a dangling or looping link is reported by _from_file
            yield from _from_file(path, settings)
        else:
            yield _failure(InputError("E109", path=_name(path), detail="no such file or directory"))


def _partition_file(path: Path) -> bool:
    """A file a ``--parts`` run wrote: ``<dir>/<table>/part-….parquet`` beside a ``documents`` folder."""
    if not (path.name.startswith("part-") and path.suffix == ".parquet"):
        return False

    return path.parent.name in PART_TABLES and (path.parent.parent / "documents").is_dir()


def _from_file(path: Path, settings: Settings) -> Iterator[RawInput | Failure]:
    """One file's items. Whatever goes wrong with the file, a bug included, is one failure row
    naming it, and the next file is read."""
    name, ext = _name(path), _extension(path)
    try:
        if ext not in SUPPORTED:
            raise InputError("E110", path=name, ext=ext or "(none)")
        with _open_regular(path, name) as fh:
            if os.fstat(fh.fileno()).st_size == 0:  # else an empty container would yield nothing, not a row
                raise EmptyInputError("E101", path=name)
            if ext in JSONL_EXTENSIONS:
                yield from _from_jsonl(fh, name, settings)
            elif ext in WARC_EXTENSIONS:
                yield from _from_warc(fh, name, settings)
            elif ext in PARQUET_EXTENSIONS:
                yield from _from_parquet(fh, name, settings)
            else:
                yield _from_document(fh, name, "html" if ext in HTML_EXTENSIONS else "txt", settings)
    except InputError as exc:
        yield _failure(exc)
    except OSError as exc:
        yield _failure(InputError("E109", path=name, detail=exc.strerror or exc))
    except Exception as exc:  # a bug must cost one file, not the run
        logger.debug("unexpected error reading %s", name, exc_info=True)
        yield _failure(InputError("E114", path=name, detail=f"{type(exc).__name__}: {detail(exc)}"))


def _open_regular(path: Path, name: str) -> BinaryIO:
    """The file opened for reading if it is a regular file. Checked before opening (opening a
    device can act on it) and again on the descriptor, opened non-blocking so that a FIFO
    swapped in between cannot block."""
    _require_regular(os.stat(path).st_mode, name)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        _require_regular(os.fstat(fd).st_mode, name)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _require_regular(mode: int, name: str) -> None:
    if not stat.S_ISREG(mode):
        kind = next((kind for test, kind in _NOT_REGULAR if test(mode)), "special file")
        raise InputError("E121", path=name, kind=kind)


def _from_document(fh: BinaryIO, name: str, fmt: str, settings: Settings) -> RawInput:
    """A text or HTML file: its bytes, at most ``max_bytes`` of them (a file can grow after its size is read)."""
    size = os.fstat(fh.fileno()).st_size
    data = fh.read(settings.max_bytes + 1) if size <= settings.max_bytes else b""
    if size > settings.max_bytes or len(data) > settings.max_bytes:
        raise TooLargeError("E104", path=name, size_mb=max(size, len(data)) / 2**20, limit_mb=settings.max_mb)
    return RawInput(source=name, data=data, format=fmt)  # type: ignore[arg-type]


def _from_stdin(settings: Settings) -> Iterator[RawInput | Failure]:
    """Standard input: JSONL if every line is a JSON object, HTML if it looks like markup, else
    text. It may never end, so at most ``max_bytes + 1`` bytes are read."""
    data = sys.stdin.buffer.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        yield _failure(TooLargeError("E125", path="<stdin>", limit_mb=settings.max_mb))
        return
    head = data.lstrip()[:1024].lower()
    if head.startswith(b"{"):
        yield from _from_jsonl(io.BytesIO(data), "<stdin>", settings)
    elif head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<article")):
        yield RawInput(source="<stdin>", data=data, format="html")
    else:
        yield RawInput(source="<stdin>", data=data, format="txt")


def _from_jsonl(fh: BinaryIO, name: str, settings: Settings) -> Iterator[RawInput | Failure]:
    """One article per line; a bad line is a failure of that line alone."""
    for number, line in _lines(fh, settings.max_bytes):
        try:
            if isinstance(line, int):
                raise TooLargeError("E104", path=f"{name}:{number}", size_mb=line / 2**20, limit_mb=settings.max_mb)
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError) as exc:  # bad JSON, bad UTF-8, 200k nested '[', a 5,000-digit number
                raise RecordError("E106", path=name, line=number, detail=detail(exc)) from None
            if not isinstance(obj, dict):
                raise RecordError("E106", path=name, line=number, detail=f"a {type(obj).__name__}, not an object")
            yield _from_record(obj, name, number)
        except InputError as exc:
            yield _failure(exc, source=f"{name}:{number}")  # one failure row per bad line


def _lines(fh: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | int]]:
    """Numbered lines of at most ``limit`` bytes; a longer line (it may be gigabytes, or never
    end) is read past a chunk at a time and given as its length instead."""
    for number in itertools.count(1):
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            yield number, len(line) + _skip_line(fh)
        else:
            yield number, line


def _skip_line(fh: BinaryIO) -> int:
    """Read past the rest of a line, a chunk at a time; how many bytes that was."""
    skipped = 0
    while chunk := fh.readline(_CHUNK):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _from_record(obj: dict, name: str, number: int, empty: str = "E107") -> RawInput:
    """A JSONL line or a Parquet row: the body from 'text' (else 'html'), the metadata fields beside it."""
    body, fmt = obj.get("text"), "txt"
    if not (isinstance(body, str) and body.strip()):
        body, fmt = obj.get("html"), "html"
    if not (isinstance(body, str) and body.strip()):
        raise RecordError(empty, path=name, line=number, keys=sorted(obj))
    meta = {k: _clean_str(str(obj[k])) for k in META_FIELDS if obj.get(k) not in (None, "")}
    source = f"{name}:{number}#{meta['id']}" if "id" in meta else f"{name}:{number}"
    return RawInput(source=source, data=_clean_str(body), format=fmt, meta=meta)  # type: ignore[arg-type]


def _from_parquet(fh: BinaryIO, name: str, settings: Settings) -> Iterator[RawInput | Failure]:
    """Rows of a Parquet file with a 'text' (or 'html') column, streamed batch by batch; row
    numbers count from 1 like JSONL lines, so a row's source is stable across reruns."""

    try:
        pf = pq.ParquetFile(fh)
        columns = [c for c in ("text", "html", *META_FIELDS) if c in pf.schema_arrow.names]
        if "text" not in columns and "html" not in columns:
            raise InputError("E116", path=name, columns=", ".join(pf.schema_arrow.names[:12]) or "(none)")
        number, decoded = 0, 0
        packed = os.fstat(fh.fileno()).st_size
        for group in range(pf.metadata.num_row_groups):
            _require_modest_inflation(pf.metadata.row_group(group), columns, name, settings.max_bytes)
            for row in _parquet_rows(pf, group, columns):
                number += 1
                body = row.get("text") if isinstance(row.get("text"), str) and row["text"].strip() else row.get("html")
                size = len(body.encode("utf-8", "surrogatepass")) if isinstance(body, str) else 0  # the limit is in bytes
                decoded += size
                _require_modest_decoding(decoded, packed, name, settings.max_bytes)
                try:
                    if size > settings.max_bytes:
                        raise TooLargeError("E104", path=f"{name}:{number}", size_mb=size / 2**20, limit_mb=settings.max_mb)
                    yield _from_record(row, name, number, empty="E118")
                except InputError as exc:
                    yield _failure(exc, source=f"{name}:{number}")
    except InputError:
        raise
    except (OSError, ValueError, pa.ArrowException) as exc:  # ArrowInvalid and its kin for a damaged file
        raise InputError("E117", path=name, detail=detail(exc)) from None


def _require_modest_decoding(decoded: int, packed: int, name: str, slack: int) -> None:
    """Refuse (E122) a file whose rows decode to more than ``MAX_INFLATE_RATIO`` times its size: a
    dictionary-encoded column stores one 2 MB value once and hands it out for a million rows,
    which the column chunk's sizes do not show."""
    if decoded > MAX_INFLATE_RATIO * packed + slack:
        raise InputError("E122", path=name, ratio=MAX_INFLATE_RATIO, inflated_mb=decoded / 2**20, read_mb=packed / 2**20)


def _parquet_rows(pf: Any, group: int, columns: list[str]) -> Iterator[dict[str, Any]]:
    """One row group's rows as dicts, a batch at a time."""
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH, columns=columns, row_groups=[group]):
        yield from batch.to_pylist()


def _require_modest_inflation(group: Any, columns: list[str], name: str, slack: int) -> None:
    """Refuse (E122) a row group whose columns inflate more than ``MAX_INFLATE_RATIO`` times, from
    its metadata, before a page is read: pyarrow inflates a row group's column chunks whole,
    and 8 KB of zstd holds 64 MB of text."""
    chunks = [group.column(i) for i in range(group.num_columns) if group.column(i).path_in_schema in columns]
    packed = sum(c.total_compressed_size for c in chunks)
    inflated = sum(c.total_uncompressed_size for c in chunks)
    if inflated > MAX_INFLATE_RATIO * packed + slack:
        raise InputError("E122", path=name, ratio=MAX_INFLATE_RATIO, inflated_mb=inflated / 2**20, read_mb=packed / 2**20)


def _from_warc(fh: BinaryIO, name: str, settings: Settings) -> Iterator[RawInput | Failure]:
    """HTML responses from a WARC, gzipped or not; other records (requests, metadata, images) are
    skipped. A record is handed on once it has been read to its end, so a record whose
    Content-Length is wrong is not kept; damage ends the file with one failure row."""
    archive = _Archive(_inflated(fh, name, settings))
    pending: list[RawInput | Failure] = []
    try:
        for record in archive:
            yield from pending
            pending = []
            pending = list(_from_warc_record(record, archive.number, name, settings))
        yield from pending
    except (InputError, _Overrun, ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as exc:
        if archive.clean:  # the damage is in a record not yet handed on, not in the pending one
            yield from pending
        if isinstance(exc, InputError):
            yield _failure(exc)
        elif isinstance(exc, _Overrun):
            yield _failure(InputError("E124", path=name, record=archive.number, what=exc.what))
        else:
            yield _failure(InputError("E111", path=name, detail=f"record {archive.number}: {detail(exc)}"))


def _from_warc_record(record: Any, number: int, name: str, settings: Settings) -> Iterator[RawInput | Failure]:
    """The article in one WARC record, if it is an HTML response."""
    if record.format != "warc":  # warcio reads any text as legacy ARC; we take WARC only
        raise ValueError("not a WARC record")
    if record.length is None:  # the record would run to the end of the file
        raise ArchiveLoadFailed("no Content-Length header")
    if record.rec_type != "response":
        return
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    if not uri:
        # its own source: the failures table keeps one row per source and code, and a file may hold many such records
        yield _failure(RecordError("E123", path=name, record=number, detail="a response without WARC-Target-URI"),
                       source=f"{name}#record-{number}")
        return
    if record.http_headers is None or "html" not in (record.http_headers.get_header("Content-Type") or "").lower():
        return
    source = _clean_str(f"{name}#{uri}")
    data = record.content_stream().read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        yield _failure(TooLargeError("E104", path=source, size_mb=len(data) / 2**20, limit_mb=settings.max_mb))
        return
    meta = {"url": uri}
    warc_date = record.rec_headers.get_header("WARC-Date")
    if warc_date:
        meta["crawl_date"] = warc_date
    yield RawInput(source=source, data=data, format="html", meta=meta)


def _inflated(fh: BinaryIO, name: str, settings: Settings) -> BinaryIO:
    """The WARC's bytes: gzip (by its magic, whatever the extension) inflated under a budget."""
    magic = fh.read(2)
    fh.seek(0)
    return _Inflated(fh, name, settings.max_bytes) if magic == b"\x1f\x8b" else fh  # type: ignore[return-value]


class _Inflated:
    """A gzip file's inflated bytes (all members), refused with E122 once they outgrow
    ``MAX_INFLATE_RATIO`` times the compressed bytes read plus ``slack``: 1 MB of gzipped
    zeros is 1 GB, and skipping a record means inflating all of it."""

    def __init__(self, raw: BinaryIO, name: str, slack: int) -> None:
        self._raw, self._name, self._slack = raw, name, slack
        self._gzip = gzip.GzipFile(fileobj=raw, mode="rb")
        self._out = 0

    def tell(self) -> int:
        return self._out

    def read(self, size: int | None = -1) -> bytes:
        data = self._gzip.read(size if size is not None and 0 <= size <= _CHUNK else _CHUNK)
        self._out += len(data)
        read = self._raw.tell()
        if self._out > MAX_INFLATE_RATIO * read + self._slack:
            raise InputError("E122", path=self._name, ratio=MAX_INFLATE_RATIO, inflated_mb=self._out / 2**20,
                             read_mb=read / 2**20)
        return data


class _Overrun(Exception):
    """A header line or block over its limit (E124, once the record number is known)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class _HeaderLines(DecompressingBufferedReader):
    """warcio's reader with bounded lines. ``readline`` is how warcio reads headers; unbounded,
    a line that never ends grows until memory runs out, and a block that never ends is kept
    whole as a list of tuples."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream, decomp_type=None)  # inflating is _Inflated's job, under its budget
        self.lines = 0

    def readline(self, length: int | None = None) -> bytes:
        limit = MAX_HEADER_LINE if length is None or length < 0 else min(length, MAX_HEADER_LINE)
        line = b""
        while len(line) < limit and not line.endswith(b"\n"):  # warcio's own stops short at block edges
            part: bytes = super().readline(limit - len(line))
            if not part:
                break
            line += part
        if len(line) >= MAX_HEADER_LINE and not line.endswith(b"\n"):
            raise _Overrun(f"a header line longer than {MAX_HEADER_LINE:,} bytes")
        if line.strip():
            self.lines += 1
            if self.lines > MAX_HEADER_LINES:
                raise _Overrun(f"more than {MAX_HEADER_LINES:,} header lines")
        return line


class _Loader(ArcWarcRecordLoader):
    """warcio's record parser, which crashes on a response without WARC-Target-URI; such a
    record is parsed without HTTP headers and reported on its own (E123)."""

    def load_http_headers(self, rec_type: str, uri: str | None, stream: Any, length: int | None) -> Any:
        return super().load_http_headers(rec_type, uri or "", stream, length)


class _Archive(ArchiveIterator):
    """warcio's record iterator held to our limits: bounded header lines, no inflating of its
    own, records counted, and a wrong Content-Length an error rather than a warning on stderr."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.reader = _HeaderLines(self.fh)
        self.loader = _Loader(verify_http=False, arc2warc=False)
        self.number = 0
        #: every record so far was read to its end (so a failure now is in a new record's headers)
        self.clean = True

    def _next_record(self, next_line: bytes | None) -> Any:
        self.number += 1
        self.reader.lines = 0
        return super()._next_record(next_line)

    def read_to_end(self, record: Any = None) -> None:
        if not self.record or self.member_info:
            return super().read_to_end(record)
        self.clean = False
        super().read_to_end(record)
        left = getattr(self.record.raw_stream, "limit", 0)
        if left:
            raise ArchiveLoadFailed(f"the archive ends {left:,} bytes short of its Content-Length")
        self.clean = True
        return None

    def _consume_blanklines(self) -> tuple[bytes | None, int]:
        """The blank lines between records, and the next record's first line. Anything else
        there means the Content-Length was wrong (warcio warns on stderr and reads on out of step)."""
        empty = 0
        while line := self.reader.readline():
            if not line.strip():
                empty += len(line)
            elif empty or line.startswith(b"WARC/"):
                return line, empty
            else:
                raise ArchiveLoadFailed("data follows the record where its Content-Length says it ends")
        return None, empty


def _clean_str(value: str) -> str:
    """Lone surrogates (valid in JSON escapes, not in UTF-8) become U+FFFD: same length, so
    offsets are unchanged, and the store can write them."""
    return _SURROGATE.sub("\ufffd", value)
