"""Issue 20's acceptance: one folder holding every kind of hostile file beside three good
articles. ``backchannel read`` stores the three, prints one line per bad file and nothing raw
from the inputs, and a second run over the same folder reports the same lines again."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GOOD = ("000_fd5ae7baf4eaa798.txt", "003_b51af508a57a262d.txt", "102_news_site.html")
_HTTP = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>Hello.</p></body></html>"


def _warc(headers: list[bytes], payload: bytes = _HTTP) -> bytes:
    head = b"WARC/1.0\r\n" + b"".join(h + b"\r\n" for h in headers)
    return head + b"Content-Length: %d\r\n\r\n" % len(payload) + payload + b"\r\n\r\n"


def _hostile(folder: Path) -> dict[str, str]:
    """Write every hostile file; returns each file's ASCII tag -> the code of its failure row."""
    expected = {}

    def put(tag: str, name: bytes, data: bytes, code: str) -> None:
        with open(os.path.join(os.fsencode(folder), tag.encode() + name), "wb") as fh:
            fh.write(data)
        expected[tag] = code

    binary = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    put("h01", b"-empty.txt", b"", "E101")
    put("h02", b"-binary.txt", binary, "E102")
    put("h03", b"-binary-again.txt", binary, "E102")  # the same bad bytes twice in one run
    put("h04", b"-caf\xe9-\xff.txt", binary[:64], "E102")  # a name that is not UTF-8
    put("h05", b"-\x1b]0;pwned\x07\x1b[2J.txt", binary[:96], "E102")  # OSC title + clear screen in the name
    put("h06", b"-bad.jsonl", b'{"text": "[/] oops"\n', "E106")
    put("h07", b"-zeros.warc.gz", gzip.compress(b"\x00" * (8 << 20)), "E124")
    put("h08", b"-no-uri.warc", _warc([b"WARC-Type: response", b"WARC-Record-ID: <urn:uuid:1>"]), "E123")
    put("h09", b"-endless-header.warc", b"WARC/1.0\r\nWARC-Type: response\r\nX-Long: " + b"a" * (3 << 20), "E124")
    put("h10", b"-broken.parquet", b"PAR1" + b"\x00" * 100, "E117")
    os.mkfifo(folder / "h11-fifo.txt")
    os.symlink("/dev/zero", folder / "h12-zero.txt")
    expected.update(h11="E121", h12="E121")
    return expected


def _read(folder: Path, store: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "backchannel", "read", str(folder), "--store", str(store), "-q", "--no-link"],
        capture_output=True, timeout=600,
    )


def test_folder_of_hostile_files_keeps_the_good_ones(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in GOOD:
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    expected = _hostile(folder)
    store = tmp_path / "s.duckdb"
    for _attempt in (1, 2):  # a rerun reports every bad file again, adds nothing and duplicates nothing
        proc = _read(folder, store)
        stderr = proc.stderr.decode("utf-8")
        assert proc.returncode == 1, stderr
        out = proc.stdout + proc.stderr
        assert b"\x1b" not in out and b"\x07" not in out and b"Traceback" not in out
        lines = [line for line in stderr.splitlines() if line.strip()]
        assert len(lines) == len(expected), lines
        for tag in expected:
            assert sum(f"/{tag}-" in line for line in lines) == 1, (tag, lines)
        with duckdb.connect(str(store), read_only=True) as con:
            assert con.sql("SELECT count(*) FROM documents").fetchone() == (3,)
            rows = con.sql("SELECT source, code FROM failures WHERE severity = 'error'").fetchall()
        assert len(rows) == len(expected), rows
        for tag, code in expected.items():
            found = [c for source, c in rows if f"/{tag}-" in source]
            assert len(found) == 1 and found[0] == code, (tag, rows)
