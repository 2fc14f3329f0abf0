"""Turn paths, directories, JSONL, WARC and Parquet files, and standard input into ``RawInput`` items.

Only this module and ``store``/``export``/``cli`` touch the file system. Nothing is decoded
here: bytes go on to ``clean`` so that the encoding is detected once, in one place.
A problem with one input becomes a ``Failure`` in the stream and the next input follows.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import InputError, RecordError, TooLargeError, detail
from .records import Failure, RawInput
from .settings import Settings

logger = logging.getLogger(__name__)

TEXT_EXTENSIONS = (".txt", ".text")
HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
JSONL_EXTENSIONS = (".jsonl", ".ndjson")
WARC_EXTENSIONS = (".warc", ".warc.gz")
PARQUET_EXTENSIONS = (".parquet",)
SUPPORTED = TEXT_EXTENSIONS + HTML_EXTENSIONS + JSONL_EXTENSIONS + WARC_EXTENSIONS + PARQUET_EXTENSIONS
#: rows read from a Parquet file at a time (pyarrow holds one row group at most, never the file)
PARQUET_BATCH = 256
_SURROGATE = re.compile("[\ud800-\udfff]")
META_FIELDS = ("id", "title", "url", "date", "outlet", "author")


def article_id(data: bytes | str) -> str:
    """The content hash that keys a document, so re-reading the same bytes adds nothing."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()[:32]


def _failure(exc: InputError, source: str | None = None) -> Failure:
    return Failure(source=source or str(exc.fields.get("path", "?")), code=exc.code, message=str(exc), severity=exc.severity)


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
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.name.startswith(".") or _extension(child) not in SUPPORTED:
                    logger.debug("skipping %s: not a supported extension", child)
                    continue
                if (parts is not None and child.resolve().is_relative_to(parts)) or _partition_file(child):
                    continue
                yield from _from_file(child, settings)
        elif path.exists():
            yield from _from_file(path, settings)
        else:
            yield _failure(InputError("E109", path=path, detail="no such file or directory"))


def _partition_file(path: Path) -> bool:
    """A file a ``--parts`` run wrote: ``<dir>/<table>/part-….parquet`` beside a ``documents`` folder."""
    if not (path.name.startswith("part-") and path.suffix == ".parquet"):
        return False
    from .parts import PART_TABLES

    return path.parent.name in PART_TABLES and (path.parent.parent / "documents").is_dir()


def _from_file(path: Path, settings: Settings) -> Iterator[RawInput | Failure]:
    ext = _extension(path)
    try:
        if ext in JSONL_EXTENSIONS:
            with path.open("rb") as fh:
                yield from _from_jsonl(fh, str(path), settings)
        elif ext in WARC_EXTENSIONS:
            with path.open("rb") as fh:
                yield from _from_warc(fh, str(path), settings)
        elif ext in PARQUET_EXTENSIONS:
            yield from _from_parquet(path, settings)
        elif ext in TEXT_EXTENSIONS + HTML_EXTENSIONS:
            size = path.stat().st_size
            if size > settings.max_bytes:
                raise TooLargeError("E104", path=path, size_mb=size / 2**20, limit_mb=settings.max_mb)
            fmt = "html" if ext in HTML_EXTENSIONS else "txt"
            yield RawInput(source=str(path), data=path.read_bytes(), format=fmt)
        else:
            raise InputError("E110", path=path, ext=ext or "(none)")
    except InputError as exc:
        yield _failure(exc)
    except OSError as exc:
        yield _failure(InputError("E109", path=path, detail=exc.strerror or exc))


def _from_stdin(settings: Settings) -> Iterator[RawInput | Failure]:
    """Standard input: JSONL if every line is a JSON object, HTML if it looks like markup, else text."""
    stream = sys.stdin.buffer
    data = stream.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        yield _failure(TooLargeError("E104", path="<stdin>", size_mb=len(data) / 2**20, limit_mb=settings.max_mb))
        return
    head = data.lstrip()[:1024].lower()
    if head.startswith(b"{"):
        import io

        yield from _from_jsonl(io.BytesIO(data), "<stdin>", settings)
    elif head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<article")):
        yield RawInput(source="<stdin>", data=data, format="html")
    else:
        yield RawInput(source="<stdin>", data=data, format="txt")


def _from_jsonl(fh: BinaryIO, name: str, settings: Settings) -> Iterator[RawInput | Failure]:
    """One article per line; a bad line is a failure of that line alone."""
    for number, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        try:
            if len(line) > settings.max_bytes:
                raise TooLargeError("E104", path=f"{name}:{number}", size_mb=len(line) / 2**20, limit_mb=settings.max_mb)
            try:
                obj = json.loads(line)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise RecordError("E106", path=name, line=number, detail=detail(exc)) from None
            if not isinstance(obj, dict):
                raise RecordError("E106", path=name, line=number, detail=f"a {type(obj).__name__}, not an object")
            yield _from_record(obj, name, number)
        except InputError as exc:
            yield _failure(exc, source=f"{name}:{number}")  # one failure row per bad line


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


def _from_parquet(path: Path, settings: Settings) -> Iterator[RawInput | Failure]:
    """Rows of a Parquet file with a 'text' (or 'html') column, streamed batch by batch; row
    numbers count from 1 like JSONL lines, so a row's source is stable across reruns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    name = str(path)
    try:
        pf = pq.ParquetFile(path)
        columns = [c for c in ("text", "html", *META_FIELDS) if c in pf.schema_arrow.names]
        if "text" not in columns and "html" not in columns:
            raise InputError("E116", path=name, columns=", ".join(pf.schema_arrow.names[:12]) or "(none)")
        number = 0
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH, columns=columns):
            for row in batch.to_pylist():
                number += 1
                body = row.get("text") if isinstance(row.get("text"), str) and row["text"].strip() else row.get("html")
                try:
                    size = len(body.encode("utf-8", "surrogatepass")) if isinstance(body, str) else 0  # the limit is in bytes
                    if size > settings.max_bytes:
                        raise TooLargeError("E104", path=f"{name}:{number}", size_mb=size / 2**20, limit_mb=settings.max_mb)
                    yield _from_record(row, name, number, empty="E118")
                except InputError as exc:
                    yield _failure(exc, source=f"{name}:{number}")
    except InputError:
        raise
    except (OSError, ValueError, pa.ArrowException) as exc:  # ArrowInvalid and its kin for a damaged file
        raise InputError("E117", path=name, detail=detail(exc)) from None


def _from_warc(fh: BinaryIO, name: str, settings: Settings) -> Iterator[RawInput | Failure]:
    """HTML responses from a WARC; other records (requests, metadata, images) are skipped."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        for number, record in enumerate(ArchiveIterator(fh), start=1):
            if record.format != "warc":  # warcio reads any text as legacy ARC; we take WARC only
                raise ValueError(f"record {number} is not a WARC record")
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            if "html" not in ctype:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            source = f"{name}#{uri}"
            data = record.content_stream().read(settings.max_bytes + 1)
            if len(data) > settings.max_bytes:
                yield _failure(TooLargeError("E104", path=source, size_mb=len(data) / 2**20, limit_mb=settings.max_mb))
                continue
            meta = {"url": uri}
            warc_date = record.rec_headers.get_header("WARC-Date")
            if warc_date:
                meta["crawl_date"] = warc_date
            yield RawInput(source=source, data=data, format="html", meta=meta)
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
        yield _failure(InputError("E111", path=name, detail=detail(exc)))


def _clean_str(value: str) -> str:
    """Lone surrogates (valid in JSON escapes, not in UTF-8) become U+FFFD: same length, so
    offsets are unchanged, and the store can write them."""
    return _SURROGATE.sub("\ufffd", value)
