"""The CLI: help on every command, exit codes, summary, export formats, README coverage."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from backchannel.cli import cli

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_every_command_has_help_and_is_in_readme(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert cli.commands[command].help
    assert f"backchannel {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_cli_read_examples_then_export(tmp_path: Path, examples: Path) -> None:
    store = str(tmp_path / "s.duckdb")
    runner = CliRunner()
    result = runner.invoke(cli, ["read", str(examples), "--store", store, "--jsonl", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 0, result.output
    assert "added" in result.output and "5" in result.output
    docs = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(docs) == 5 and all(d["entities"] and d["sections"] for d in docs)
    for fmt in ("jsonl", "parquet", "csv"):
        out = tmp_path / fmt
        result = runner.invoke(cli, ["export", "--store", store, "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        n = duckdb.sql(f"SELECT count(*) FROM '{out / ('documents.' + fmt)}'").fetchone()[0]  # type: ignore[index]
        assert n == 5


def test_cli_bad_inputs_exit_nonzero_and_continue(tmp_path: Path, examples: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    good = json.dumps({"text": "Iran said on Monday that talks with the United States could resume. " * 3})
    (tmp_path / "bad.jsonl").write_text(good + "\n{oops\n", encoding="utf-8")
    store = str(tmp_path / "s.duckdb")
    proc = subprocess.run(
        [sys.executable, "-m", "backchannel", "read", str(tmp_path), str(examples / "003_b51af508a57a262d.txt"), "--store", store, "-q"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 3, proc.stderr  # one line per bad input, nothing else when --quiet
    assert any(re.match(rf"error: {re.escape(str(tmp_path / 'empty.txt'))}: the file is empty", line) for line in lines)
    assert any("binary.txt: looks like binary data" in line for line in lines)
    assert any("bad.jsonl: line 2: not valid JSON" in line for line in lines)
    con = duckdb.connect(store, read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2  # type: ignore[index]  # 003 + the good line
    assert sorted(r[0] for r in con.execute("SELECT code FROM failures").fetchall()) == ["E101", "E102", "E106"]


def test_cli_reads_stdin(tmp_path: Path, examples: Path) -> None:
    store = str(tmp_path / "s.duckdb")
    proc = subprocess.run(
        [sys.executable, "-m", "backchannel", "read", "-", "--store", store, "-q"],
        input=(examples / "000_fd5ae7baf4eaa798.txt").read_bytes(), capture_output=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    con = duckdb.connect(store, read_only=True)
    assert con.execute("SELECT source, n_comments FROM documents").fetchall() == [("<stdin>", 13)]


def test_cli_export_without_store_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "--store", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "no store here yet" in result.output


def test_cli_bad_records_fail_alone(tmp_path: Path) -> None:
    """A lone surrogate in JSON, two bad lines and a run of marks with no spaces: each its own failure."""
    lines = [
        json.dumps({"title": "bad \ud800 title", "text": "Iran said on Monday that talks with the United States could resume. " * 3}),
        "{oops",
        "[1, 2]",
        json.dumps({"text": "“" * 3000}),
    ]
    (tmp_path / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = str(tmp_path / "s.duckdb")
    result = CliRunner().invoke(cli, ["read", str(tmp_path / "mixed.jsonl"), "--store", store, "-q"])
    assert result.exit_code == 1
    con = duckdb.connect(store, read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1  # type: ignore[index]
    title = con.execute("SELECT title FROM documents").fetchone()[0]  # type: ignore[index]
    assert title == "bad \ufffd title"
    assert sorted(r[0] for r in con.execute("SELECT code FROM failures").fetchall()) == ["E106", "E106", "E115"]


def test_cli_language_adds_to_english(tmp_path: Path, examples: Path) -> None:
    store = str(tmp_path / "s.duckdb")
    result = CliRunner().invoke(cli, ["read", str(examples / "003_b51af508a57a262d.txt"), "--store", store,
                                      "--language", "de", "-q"])
    assert result.exit_code == 0, result.output


def test_cli_read_parts_then_load_elsewhere(tmp_path: Path, examples: Path) -> None:
    runner = CliRunner()
    parts = tmp_path / "parts"
    result = runner.invoke(cli, ["read", str(examples / "000_fd5ae7baf4eaa798.txt"), "--store", str(tmp_path / "a.duckdb"),
                                 "--parts", str(parts), "--no-link", "-q"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["load", str(parts), "--store", str(tmp_path / "b.duckdb"), "--no-link"])
    assert result.exit_code == 0 and "merged 1 of 1 partitions" in result.output and "1 new documents" in result.output
    result = runner.invoke(cli, ["load", str(parts), "--store", str(tmp_path / "b.duckdb"), "--no-link"])
    assert "merged 0 of 1 partitions (1 merged before), 0 new documents" in result.output
    result = runner.invoke(cli, ["load", str(tmp_path), "--store", str(tmp_path / "b.duckdb")])
    assert result.exit_code == 1 and "no Parquet partitions here" in result.output
    # two drivers' folders into one store in one command
    other = tmp_path / "parts2"
    result = runner.invoke(cli, ["read", str(examples / "003_b51af508a57a262d.txt"), "--store", str(tmp_path / "c.duckdb"),
                                 "--parts", str(other), "--no-link", "-q"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["load", str(parts), str(other), "--store", str(tmp_path / "d.duckdb"), "--no-link"])
    assert result.exit_code == 0 and result.output.count("merged 1 of 1 partitions") == 2, result.output
    result = runner.invoke(cli, ["load", str(parts), str(tmp_path), "--store", str(tmp_path / "e.duckdb"), "--no-link"])
    assert result.exit_code == 1 and "no Parquet partitions here" in result.output and "merged" not in result.output
