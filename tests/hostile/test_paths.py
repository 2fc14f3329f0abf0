"""Issue 20, found by review: outputs a user names that cannot be written give one numbered
line (E309), and ``--jsonl`` naming the store is refused before it can truncate the store (E310)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from backchannel import api
from tests.test_dyads import build_store

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "examples" / "003_b51af508a57a262d.txt"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backchannel", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("paths") / "s.duckdb"
    build_store(path).close()
    return path


@pytest.mark.parametrize("args", [
    ["export", "--format", "parquet", "--out", "{file}/sub"],
    ["export", "--format", "csv", "--out", "{file}/sub"],
    ["dyad", "IRN", "USA", "--png", "{missing}/d.png"],
    ["dyad", "IRN", "USA", "--html", "{missing}/d.html"],
    ["report", "--out", "{missing}/r.html"],
])
def test_an_output_that_cannot_be_written_is_one_line(store: Path, tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "file").write_text("a file, not a folder")
    names = {"file": str(tmp_path / "file"), "missing": str(tmp_path / "missing")}
    proc = _cli(*[a.format(**names) for a in args], "--store", str(store))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "E309" in lines[0] and "Traceback" not in proc.stderr, proc.stderr


def test_jsonl_naming_the_store_is_refused_and_the_store_kept(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    assert _cli("read", str(ARTICLE), "--store", str(store), "--no-link", "-q").returncode == 0
    before = store.read_bytes()
    proc = _cli("read", str(ROOT / "examples" / "000_fd5ae7baf4eaa798.txt"), "--jsonl", str(store), "--store", str(store), "-q")
    assert proc.returncode == 1 and "E310" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert store.read_bytes() == before
    with duckdb.connect(str(store), read_only=True) as con:
        assert con.sql("SELECT count(*) FROM documents").fetchone() == (1,)


def test_a_reader_that_goes_away_ends_the_listing_quietly(tmp_path: Path) -> None:
    """`backchannel quotes --jsonl | head` closes the pipe early: no traceback, no E309, status 141."""
    store = tmp_path / "s.duckdb"
    api.read([ROOT / "examples"], store=store, link=False)
    script = f'"{sys.executable}" -m backchannel quotes --store "{store}" --jsonl | head -c 100 > /dev/null; echo "$?:${{PIPESTATUS[0]}}"'
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=300)
    assert proc.stdout.strip() == "0:141", proc.stdout + proc.stderr
    assert proc.stderr == ""
