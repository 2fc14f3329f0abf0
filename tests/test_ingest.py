"""Every input format, and bad containers, as RawInput or Failure items."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from backchannel.inputs.ingest import article_id, iter_inputs
from backchannel.records import Failure, RawInput
from backchannel.settings import Settings

ARTICLE = "Iran’s foreign minister said on Sunday that talks could resume. " * 10


def _items(paths: list[Path | str], **kw: object) -> list[RawInput | Failure]:
    return list(iter_inputs([str(p) for p in paths], Settings(**kw)))  # type: ignore[arg-type]


def test_ingest_txt_and_html_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.HTML").write_text(f"<html><body><p>{ARTICLE}</p></body></html>", encoding="utf-8")
    items = _items([tmp_path / "a.txt", tmp_path / "b.HTML"])
    assert [(type(i).__name__, i.format) for i in items] == [("RawInput", "txt"), ("RawInput", "html")]  # type: ignore[union-attr]
    assert isinstance(items[0].data, bytes)  # type: ignore[union-attr]


def test_ingest_directory_is_recursive_sorted_and_skips_other_files(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "b.txt").write_text(ARTICLE)
    (tmp_path / "sub" / "a.txt").write_text(ARTICLE + "x")
    (tmp_path / "sub" / "deeper" / "c.htm").write_text("<p>x</p>")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden.txt").write_text("x")
    items = _items([tmp_path])
    assert [Path(i.source).relative_to(tmp_path).as_posix() for i in items] == ["b.txt", "sub/a.txt", "sub/deeper/c.htm"]


def test_ingest_jsonl_fields_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "n1", "text": ARTICLE, "title": "T", "url": "http://example.org/1", "date": "2013-02-12", "outlet": "Reuters"}),
        json.dumps({"id": "n2", "html": f"<p>{ARTICLE}</p>"}),
        "{not json",
        json.dumps({"id": "n3", "body": "wrong field"}),
        json.dumps(["a", "list"]),
        "",
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _items([path])
    good = [i for i in items if isinstance(i, RawInput)]
    bad = [i for i in items if isinstance(i, Failure)]
    assert [g.format for g in good] == ["txt", "html"]
    assert good[0].meta == {"id": "n1", "title": "T", "url": "http://example.org/1", "date": "2013-02-12", "outlet": "Reuters"}
    assert [b.code for b in bad] == ["E106", "E107", "E106"]
    assert bad[0].message.startswith(f"{path}: line 3: not valid JSON")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # warcio's writer leaves a temp file
def test_ingest_warc_html_responses_only(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for uri, ctype, body in [
            ("http://example.org/a", "text/html; charset=utf-8", f"<html><body><p>{ARTICLE}</p></body></html>"),
            ("http://example.org/logo.png", "image/png", "\x89PNG"),
            ("http://example.org/b", "text/html", f"<html><body><p>{ARTICLE} b</p></body></html>"),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body.encode()), http_headers=headers)
            writer.write_record(record)
    items = _items([path])
    assert [i.meta["url"] for i in items] == ["http://example.org/a", "http://example.org/b"]  # type: ignore[union-attr]
    assert all(isinstance(i, RawInput) and i.format == "html" for i in items)


def test_ingest_damaged_warc_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "broken.warc"
    path.write_bytes(b"this is not a warc file\r\n\r\n" * 10)
    items = _items([path])
    assert [i.code for i in items] == ["E111"]  # type: ignore[union-attr]


def test_ingest_missing_unsupported_and_oversized(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # 50 MB, written in chunks
        chunk = (ARTICLE * 16).encode()
        while fh.tell() < 50 * 2**20:
            fh.write(chunk)
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    items = _items([tmp_path / "nope.txt", tmp_path / "x.pdf", big])
    assert [i.code for i in items] == ["E109", "E110", "E104"]  # type: ignore[union-attr]
    assert items[2].message.startswith(f"{big}: 50.0 MB is over the 2.0 MB limit")  # type: ignore[union-attr]


def test_ingest_article_id_is_a_content_hash() -> None:
    assert article_id("abc") == article_id(b"abc") != article_id("abd")
    assert len(article_id("abc")) == 32


def test_ingest_parquet_rows_stream_with_their_metadata_and_bad_rows_fail_alone(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"id": ["a", "b", "c"], "text": [ARTICLE, "", None], "html": [None, None, f"<p>{ARTICLE}</p>"],
                      "outlet": ["Reuters", None, "AP"], "views": [1, 2, 3]})
    pq.write_table(table, tmp_path / "shard.parquet", row_group_size=2)  # two row groups, read in turn
    items = _items([tmp_path / "shard.parquet"])
    assert [type(i).__name__ for i in items] == ["RawInput", "Failure", "RawInput"]
    first, bad, third = items
    assert first.source.endswith("shard.parquet:1#a") and first.meta == {"id": "a", "outlet": "Reuters"}  # type: ignore[union-attr]
    assert bad.code == "E118" and "row 2" in bad.message  # type: ignore[union-attr]
    assert third.format == "html" and third.meta["outlet"] == "AP"  # type: ignore[union-attr]
    assert article_id(first.data) == article_id(ARTICLE)  # type: ignore[union-attr]  # same text as a JSONL line: same document


def test_ingest_parquet_without_a_text_column_or_damaged_is_one_failure(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"body": [ARTICLE]}), tmp_path / "a.parquet")
    (tmp_path / "b.parquet").write_bytes(b"PAR1 not really parquet")
    items = _items([tmp_path / "a.parquet", tmp_path / "b.parquet"])
    assert [(i.code, "body" in i.message) for i in items] == [("E116", True), ("E117", False)]  # type: ignore[union-attr]
    assert all(isinstance(i, Failure) and i.source.endswith(".parquet") for i in items)
