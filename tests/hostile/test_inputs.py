"""Issue 20, items 2, 3 and 7: every hostile input file is one failure row and the run goes on.

Readers that could hang or allocate gigabytes on a regression run in a subprocess with a
timeout and a 2 GB address-space limit (``_probe``; importing the package reserves about 0.8 GB), so a regression fails instead of
hanging CI or swapping the machine; the child reports its peak RSS, which the tests bound.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import resource
import socket
import subprocess
import sys
import tracemalloc
from pathlib import Path

import duckdb
import pytest

from backchannel import api
from backchannel.errors import EncodingError
from backchannel.inputs.clean import clean, decode
from backchannel.inputs.ingest import iter_inputs
from backchannel.records import Failure, RawInput
from backchannel.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = "Iran's foreign minister said on Sunday that talks with the United States could resume. " * 6
HTML = f"<html><body><article><p>{ARTICLE}</p></article></body></html>".encode()
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
#: a 1 MB gzip member of zeros is 1 KB; concatenated members are one gzip stream
ZEROS_MEMBER = gzip.compress(bytes(2**20))

#: the child's peak RSS is VmHWM (ru_maxrss would carry over the forking pytest process's), counted
#: from the high-water mark after the imports: what reading the inputs added
_PROBE = """
import json, re, sys
from backchannel.inputs.ingest import iter_inputs
from backchannel.settings import Settings
def hwm_kb():
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
paths, kw = json.loads(sys.argv[1])
imported = hwm_kb()
items = [[type(i).__name__, getattr(i, "code", None), i.source, getattr(i, "message", None)]
         for i in iter_inputs(paths, Settings(**kw))]
print(json.dumps({"items": items, "peak_mb": (hwm_kb() - imported) / 1024}))
"""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def _probe(paths: list[Path | str], **kw: object) -> tuple[list[tuple[str, str | None, str, str | None]], float]:
    """``iter_inputs`` in a child with a 60 s timeout and 2 GB of address space: (items, the MB its peak RSS grew by while reading)."""
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps([[os.fsdecode(p) for p in paths], kw])],
        capture_output=True, text=True, timeout=60, preexec_fn=_limit_memory, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stderr == "", proc.stderr[-3000:]  # nothing printed behind the failure rows' back
    out = json.loads(proc.stdout)
    return [tuple(i) for i in out["items"]], out["peak_mb"]  # type: ignore[misc]


def _codes(items: list[tuple[str, str | None, str, str | None]]) -> list[str | None]:
    return [code if kind == "Failure" else kind for kind, code, _source, _message in items]


def _warc_record(headers: list[str], block: bytes) -> bytes:
    head = "WARC/1.0\r\n" + "".join(h + "\r\n" for h in headers) + f"Content-Length: {len(block)}\r\n\r\n"
    return head.encode() + block + b"\r\n\r\n"


def _response(uri: str | None, body: bytes = HTML, ctype: str = "text/html") -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n\r\n".encode() + body
    headers = ["WARC-Type: response", "WARC-Record-ID: <urn:uuid:1>", "WARC-Date: 2020-01-01T00:00:00Z",
               "Content-Type: application/http; msgtype=response"]
    return _warc_record(headers + ([f"WARC-Target-URI: {uri}"] if uri else []), http)


# --- item 2: one bad file must not stop the run --------------------------------------------


def test_warc_record_without_target_uri_fails_alone(tmp_path: Path) -> None:
    warc = tmp_path / "a.warc"
    warc.write_bytes(_response(None) + _response("http://example.org/b"))
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    items, _ = _probe([warc, tmp_path / "b.txt"])
    assert _codes(items) == ["E123", "RawInput", "RawInput"]
    assert items[0][3].startswith(f"{warc}: WARC record 1: a response without WARC-Target-URI")  # type: ignore[union-attr]
    assert items[1][2] == f"{warc}#http://example.org/b"


@pytest.mark.parametrize("name", ["a.warc", "a.warc.gz", "a.jsonl", "a.parquet", "a.txt"])
def test_empty_file_of_any_format_is_one_row(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    items = list(iter_inputs([str(tmp_path / name)], Settings()))
    assert [(type(i).__name__, getattr(i, "code", None)) for i in items] == [("Failure", "E101")]


def test_unexpected_error_in_a_reader_is_one_e114_row_naming_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import backchannel.inputs.ingest as ingest

    def broken(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("a bug in a reader")

    monkeypatch.setattr(ingest, "_from_record", broken)  # any bug below the per-file level
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    items = list(iter_inputs([str(tmp_path)], Settings()))
    assert [type(i).__name__ for i in items] == ["Failure", "RawInput"]
    bad = items[0]
    assert isinstance(bad, Failure) and bad.code == "E114" and bad.source == str(tmp_path / "a.jsonl")
    assert "ZeroDivisionError: a bug in a reader" in bad.message


def test_non_utf8_file_names_are_stored_with_replacement_characters(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good, bad = os.fsdecode(b"caf\xe9-good.txt"), os.fsdecode(b"caf\xe9-\xff-bad.txt")
    (folder / good).write_text(ARTICLE, encoding="utf-8")
    (folder / bad).write_bytes(PNG)
    summary = api.read(folder, store=tmp_path / "s.duckdb", link=False, events=False)
    assert (summary.added, summary.failed) == (1, 1)
    with duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True) as con:
        assert con.sql("SELECT source FROM documents").fetchall() == [(f"{folder}/caf\ufffd-good.txt",)]
        rows = con.sql("SELECT source, code, message FROM failures").fetchall()
    assert [(s, c) for s, c, _ in rows] == [(f"{folder}/caf\ufffd-\ufffd-bad.txt", "E102")]
    assert rows[0][2].startswith(f"{folder}/caf\ufffd-\ufffd-bad.txt: looks like binary data")


# --- item 3: tiny inputs, unbounded reads ----------------------------------------------------


def test_fifo_given_or_in_a_directory_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "a-fifo.txt")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    items, _ = _probe([tmp_path / "a-fifo.txt", tmp_path])
    assert _codes(items) == ["E121", "E121", "RawInput"]
    assert items[0][3] == f"{tmp_path / 'a-fifo.txt'}: a FIFO (named pipe), not a regular file; only regular files are read."


def test_symlink_to_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    os.symlink("/dev/zero", tmp_path / "zero.warc.gz")
    items, peak = _probe([tmp_path / "zero.txt", tmp_path])
    assert _codes(items) == ["E121", "E121", "E121"]
    assert "a character device, not a regular file" in items[0][3]  # type: ignore[operator]
    assert peak < 200


def test_socket_and_symlink_loop_in_a_directory_are_one_row_each(tmp_path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "a.txt"))
    os.symlink(tmp_path / "b.txt", tmp_path / "b.txt")  # ELOOP
    os.symlink(tmp_path, tmp_path / "c-dir")  # a loop back to the top: not followed
    (tmp_path / "d.txt").write_text(ARTICLE, encoding="utf-8")
    try:
        items, _ = _probe([tmp_path])
    finally:
        sock.close()
    assert _codes(items) == ["E121", "E109", "RawInput"]
    assert "a socket, not a regular file" in items[0][3]  # type: ignore[operator]
    assert "Too many levels of symbolic links" in items[1][3]  # type: ignore[operator]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_unreadable_file_is_one_row(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.txt").chmod(0)
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    assert _codes(_probe([tmp_path])[0]) == ["E109", "RawInput"]


def test_warc_gz_of_zeros_is_refused_after_a_bounded_read(tmp_path: Path) -> None:
    bomb = tmp_path / "zeros.warc.gz"
    bomb.write_bytes(ZEROS_MEMBER * 1000)  # 1 MB on disk, 1 GB of zeros inflated
    (tmp_path / "zz.txt").write_text(ARTICLE, encoding="utf-8")
    items, peak = _probe([tmp_path])
    assert _codes(items) == ["E124", "RawInput"]
    assert items[0][3].startswith(f"{bomb}: WARC record 1 has a header line longer than 65,536 bytes")  # type: ignore[union-attr]
    assert peak < 200


def test_gzip_bomb_inside_a_valid_warc_record_is_refused(tmp_path: Path) -> None:
    """A well-formed record whose payload inflates 1000 to 1; skipping it must not inflate it all."""
    good = gzip.compress(_response("http://example.org/a"))
    n = 512 << 20
    head = _warc_record(["WARC-Type: resource", "WARC-Target-URI: http://example.org/big.bin"], b"")
    head = head.replace(b"Content-Length: 0", b"Content-Length: %d" % n)[: -len(b"\r\n\r\n")]
    bomb = tmp_path / "bomb.warc.gz"
    bomb.write_bytes(good + gzip.compress(head) + ZEROS_MEMBER * (n >> 20) + gzip.compress(b"\r\n\r\n"))
    items, peak = _probe([bomb], max_mb=0.5)
    assert _codes(items) == ["RawInput", "E122"]
    assert items[1][3].startswith(f"{bomb}: compressed data inflates more than 100 times")  # type: ignore[union-attr]
    assert peak < 200


def test_parquet_row_group_that_inflates_a_thousandfold_is_refused(tmp_path: Path) -> None:
    """Four 16 MB rows of one letter are 8 KB of zstd; reading them took 4 times their size in memory."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "bomb.parquet"
    pq.write_table(pa.table({"text": [ARTICLE] + ["a" * (16 << 20)] * 4}), path, compression="zstd",
                   use_dictionary=False, row_group_size=1)
    assert path.stat().st_size < 64 << 10
    items, peak = _probe([path])
    assert _codes(items) == ["RawInput", "E122"]  # the row group before the bomb is kept
    assert items[1][3].startswith(f"{path}: compressed data inflates more than 100 times (16.0 MB from 0.00 MB)")  # type: ignore[union-attr]
    assert peak < 200


def test_warc_header_line_that_never_ends_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "endless.warc"
    path.write_bytes(_response("http://example.org/a") + b"WARC/1.0\r\nWARC-Type: response\r\nX-Long: " + b"a" * (3 << 20))
    items, peak = _probe([path])
    assert _codes(items) == ["RawInput", "E124"]
    assert items[1][3].startswith(f"{path}: WARC record 2 has a header line longer than 65,536 bytes")  # type: ignore[union-attr]
    assert peak < 200


def test_http_header_block_that_never_ends_is_refused(tmp_path: Path) -> None:
    """Two million short header lines in a small gzip: warcio would keep them all as tuples."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + b"X-A: b\r\n" * 2_000_000
    head = _warc_record(["WARC-Type: response", "WARC-Target-URI: http://example.org/a"], http)
    path = tmp_path / "headers.warc.gz"
    path.write_bytes(gzip.compress(head, compresslevel=1))
    del http, head
    items, peak = _probe([path])
    assert _codes(items) == ["E124"]
    assert items[0][3].startswith(f"{path}: WARC record 1 has more than 1,000 header lines")  # type: ignore[union-attr]
    assert peak < 200


def test_warc_content_length_shorter_than_the_record_stops_quietly(tmp_path: Path) -> None:
    record = _response("http://example.org/a")
    lying = re.sub(rb"Content-Length: \d+", b"Content-Length: 100", record, count=1)
    assert lying != record
    path = tmp_path / "short.warc"
    path.write_bytes(_response("http://example.org/0") + lying + _response("http://example.org/b"))
    items, _ = _probe([path])  # _probe also asserts warcio printed no warning to stderr
    assert _codes(items) == ["RawInput", "E111"]  # the lying record is not kept, nor anything after it
    assert "record 2: data follows the record where its Content-Length says it ends" in items[1][3]  # type: ignore[operator]


def test_warc_content_length_past_the_end_is_a_truncated_archive(tmp_path: Path) -> None:
    record = _response("http://example.org/a")
    path = tmp_path / "cut.warc"
    path.write_bytes(_response("http://example.org/0") + record[: len(record) // 2])
    items, _ = _probe([path])
    assert _codes(items) == ["RawInput", "E111"]  # a cut-off record is not kept
    assert re.search(r"\(record 2: the archive ends \d+ bytes short of its Content-Length\)", items[1][3])  # type: ignore[operator]


def test_jsonl_line_that_never_ends_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    with path.open("wb") as fh:
        fh.write(b'{"text": "')
        for _ in range(24):
            fh.write(b"a" * 2**20)
        fh.write(b'"}\n' + json.dumps({"text": ARTICLE}).encode() + b"\n")
    tracemalloc.start()
    try:
        items = list(iter_inputs([str(path)], Settings(max_mb=0.5)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [getattr(i, "code", "RawInput") for i in items] == ["E104", "RawInput"]
    assert items[0].message.startswith(f"{path}:1: 24.0 MB is over the 0.5 MB limit")  # type: ignore[union-attr]
    assert peak < 4 << 20, peak


def test_endless_stdin_is_one_bounded_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    with open("/dev/zero", "rb") as zero:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(zero))
        items = list(iter_inputs(["-"], Settings(max_mb=0.5)))
    assert [(i.source, i.code) for i in items] == [("<stdin>", "E125")]  # type: ignore[union-attr]
    assert items[0].message == "<stdin>: more than the 0.5 MB limit per document (reading stopped there); split it or pass --max-mb."  # type: ignore[union-attr]


# --- item 7a: UTF-16 without a byte-order mark ----------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded_exactly(encoding: str) -> None:
    text = "“Talks could resume,” Iran’s foreign minister said on Sunday.\r\n\r\nNo date was set — yet. " * 5
    assert decode(text.encode(encoding), "news.txt") == (text, encoding)
    cleaned = clean(RawInput("news.txt", text.encode(encoding), "txt"), Settings())
    assert cleaned.text == text and cleaned.encoding == encoding


def test_utf16_without_bom_that_does_not_decode_says_so() -> None:
    data = "Talks could resume, the minister said. ".encode("utf-16-le") * 4 + b"\x00\xd8A\x00"  # a lone surrogate
    with pytest.raises(EncodingError) as err:
        decode(data, "news.txt")
    assert err.value.code == "E126"
    assert str(err.value).startswith("news.txt: looks like UTF-16LE without a byte-order mark, but does not decode")


# --- item 7b: a duplicate bad input is never "already stored" -------------------------------


@pytest.mark.parametrize("parts", [False, True], ids=["store", "parts"])
def test_duplicate_bad_input_fails_every_time(tmp_path: Path, parts: bool) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(PNG)
    (folder / "b.txt").write_bytes(PNG)  # the same bad bytes under another name
    options = {"parts": str(tmp_path / "parts")} if parts else {}
    for _run in (1, 2):  # and read again in a second run
        summary = api.read([folder, folder / "a.txt"], store=tmp_path / "s.duckdb", link=False, events=False, **options)
        assert (summary.inputs, summary.added, summary.unchanged, summary.failed) == (3, 0, 0, 3)
        assert [(Path(f.source).name, f.code) for f in summary.failures] == [("a.txt", "E102"), ("b.txt", "E102"), ("a.txt", "E102")]
        assert summary.failures[1].message.startswith(f"{folder / 'b.txt'}: looks like binary data")
        with duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True) as con:
            rows = con.sql("SELECT source, code FROM failures ORDER BY source").fetchall()
        assert rows == [(str(folder / "a.txt"), "E102"), (str(folder / "b.txt"), "E102")]


# --- found by a hostile review after the first round -------------------------------------


@pytest.mark.parametrize("bad", ['{"text": "x", "id": ' + "[" * 200_000 + "]" * 200_000 + "}",
                                 '{"text": "x", "id": ' + "9" * 5000 + "}"])
def test_a_jsonl_line_python_cannot_parse_fails_alone(tmp_path: Path, bad: str) -> None:
    """Nesting past the recursion limit and an integer over Python's 4,300 digits raise other
    errors than JSONDecodeError; the line fails (E106) and the lines after it are read."""
    path = tmp_path / "a.jsonl"
    path.write_text(bad + "\n" + json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    items = list(iter_inputs([str(path)], Settings()))
    assert [getattr(i, "code", type(i).__name__) for i in items] == ["E106", "RawInput"]
    assert items[0].source == f"{path}:1" and items[1].source == f"{path}:2"


def test_parquet_dictionary_bomb_is_refused_after_a_bounded_read(tmp_path: Path) -> None:
    """One 1.9 MB value stored once in a dictionary and handed to 2,000 rows: the row group's
    sizes look modest, the rows decode to 3.8 GB. Reading stops (E122) once the rows decoded
    pass 100 times the file's size."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    big = "".join(chr(97 + (i * 7919) % 26) for i in range(1_900_000))
    column = pa.DictionaryArray.from_arrays(pa.array([0] * 2000, type=pa.int32()), pa.array([big]))
    path = tmp_path / "dict.parquet"
    pq.write_table(pa.table({"text": column}), path, compression="zstd")
    items, grew = _probe([path])
    assert _codes(items)[-1] == "E122" and len(items) < 200
    assert grew < 300


def test_every_bad_warc_record_keeps_its_own_row(tmp_path: Path) -> None:
    """Two responses without a URI in one archive are two failure rows, not one overwritten."""
    warc = tmp_path / "a.warc"
    warc.write_bytes(_response(None) + _response(None) + _response("http://example.org/c"))
    summary = api.read([warc], store=tmp_path / "s.duckdb", link=False)
    assert summary.failed == 2
    with duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True) as con:
        rows = con.sql("SELECT source FROM failures WHERE code = 'E123' ORDER BY source").fetchall()
    assert rows == [(f"{warc}#record-1",), (f"{warc}#record-2",)]
