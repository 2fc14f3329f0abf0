"""Issue 20 items 4 and 5: text from the inputs reaches the terminal as plain text (no rich markup,
no live control characters), and CSV exports cannot run formulas in a spreadsheet while JSONL
and Parquet keep every value exactly."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from backchannel.cli import cli
from backchannel.terminal import escape_controls, safe_json, safe_text

ROOT = Path(__file__).resolve().parents[2]
WORDPRESS = ROOT / "examples" / "101_wordpress_blog.html"  # has quotes in reader comments

OSC_TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
OSC8 = "\x1b]8;;https://evil.example\x1b\\"
TITLE = '=HYPERLINK("http://x","y")'
URL = '=HYPERLINK("http://evil.example/2026/01/05/iran","open")'
OUTLET = "+Plus News [link=https://evil.example]x[/link]"
TEXT = (
    "Iran threatens the United States over [link=https://evil.example]talks[/link]\n\n"
    f"TEHRAN - Iran's foreign minister Abbas Araghchi said on Monday that \"[/] we will not negotiate under "
    f"[bold red]pressure[/bold red] {OSC_TITLE} and {CLEAR} never\" with Washington. "
    "\"Iran threatened to attack [link=https://evil.example]the United States[/link] if sanctions continue,\" "
    "said John Kirby, a White House spokesman. "
    f"\"The door to diplomacy remains open \u202efor now\u202c \x9b2J {OSC8}here{OSC8} :warning:,\" "
    "Araghchi told reporters in Tehran. Iran accused the United States of sabotage on Tuesday.\n"
)
DOCS = [
    {"id": "hostile-1", "title": TITLE, "url": URL, "author": "-5", "outlet": "[bold]Evil News[/bold]", "date": "2026-01-05", "text": TEXT},
    {"id": "hostile-2", "title": "\t=1+1", "author": "@SUM(A1)", "outlet": OUTLET, "date": "2026-01-06",
     "text": "Iran said on Wednesday that it would meet United States envoys in Oman next week to discuss a deal.\n"},
]
BAD_NAME = f"bad[bold red]x{OSC_TITLE}{CLEAR}.txt"
#: what must never reach a terminal from the inputs: OSC (window title, OSC 8 hyperlinks), BEL,
#: screen clearing, C1 controls (U+009B is CSI) and bidi overrides
RAW = re.compile("\x1b\\]|\x07|\x1b\\[2J|[\x80-\x9f\u202a-\u202e\u2066-\u2069]")
#: a wide terminal so that table cells are not folded mid-string
ENV = {"COLUMNS": "400", "NO_COLOR": None, "TERM": "xterm-256color"}


def _inert(out: str, color: bool) -> None:
    """Nothing from the inputs acts on the terminal; without colour there is no ESC at all."""
    assert not RAW.search(out), RAW.search(out)
    if not color:
        assert "\x1b" not in out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile_output") / "in"
    folder.mkdir()
    (folder / "hostile.jsonl").write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    (folder / BAD_NAME).write_bytes(b"x\x00\x01\x02\x89PNG")
    (folder / WORDPRESS.name).write_bytes(WORDPRESS.read_bytes())
    return folder


@pytest.fixture(scope="module")
def read_run(corpus: Path) -> tuple[str, subprocess.CompletedProcess[str]]:
    store = str(corpus.parent / "[red]s.duckdb")  # markup in the store's own name, shown in the summary
    proc = subprocess.run([sys.executable, "-m", "backchannel", "read", str(corpus), "--store", store],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "400"})
    return store, proc


@pytest.fixture(scope="module")
def store(read_run: tuple[str, subprocess.CompletedProcess[str]]) -> str:
    return read_run[0]


def _strings(value: Any) -> Iterator[str]:
    """Every string inside parsed JSON."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _run(args: list[str], color: bool) -> str:
    env = {**ENV, "FORCE_COLOR": "1" if color else None}
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    _inert(result.output, color)
    return result.output


# --- the escaping itself ---------------------------------------------------------------------------


@pytest.mark.parametrize("char, shown", [
    ("\x1b", r"\x1b"), ("\x07", r"\x07"), ("\r", r"\r"), ("\x08", r"\x08"), ("\x00", r"\x00"), ("\x7f", r"\x7f"),
    ("\x85", r"\x85"), ("\x9b", r"\x9b"), ("\u202e", r"\u202e"), ("\u2066", r"\u2066"), ("\u2069", r"\u2069"),
])
def test_safe_text_shows_control_characters_escaped(char: str, shown: str) -> None:
    assert safe_text(f"a{char}b").plain == f"a{shown}b"


def test_safe_text_is_plain_text_not_markup() -> None:
    text = safe_text("[bold red]x[/] [link=https://evil.example]y[/link] :warning:", style="dim")
    assert text.plain == "[bold red]x[/] [link=https://evil.example]y[/link] :warning:"
    assert [s.style for s in text.spans] == [] and text.style == "dim"


def test_safe_text_keeps_layout_unless_one_line() -> None:
    assert safe_text("a\tb\nc").plain == "a\tb\nc"
    assert escape_controls("a\tb\nc", oneline=True) == r"a\tb\nc"
    assert escape_controls("Ünïcödé — “quotes” 中文") == "Ünïcödé — “quotes” 中文"


def test_safe_json_is_exact_json_with_no_raw_controls() -> None:
    value = {"t": f"{OSC_TITLE}{CLEAR}\u202e\x9b\x7f é 中"}
    out = safe_json(value)
    assert json.loads(out) == value
    assert not RAW.search(out) and "\x1b" not in out and "\x7f" not in out
    assert "é 中" in out  # readable text stays readable


# --- every command that prints stored text -------------------------------------------------------


def test_read_prints_hostile_file_name_escaped(read_run: tuple[str, subprocess.CompletedProcess[str]]) -> None:
    store, proc = read_run
    assert proc.returncode == 1, proc.stderr  # the binary file failed; the others were read
    _inert(proc.stdout + proc.stderr, color=False)
    failed = [line for line in proc.stderr.splitlines() if "looks like binary data" in line]
    assert len(failed) == 1
    assert r"bad[bold red]x\x1b]0;pwned\x07\x1b[2J.txt: looks like binary data" in failed[0]
    assert "[red]s.duckdb" in proc.stderr  # the summary's store line, markup shown as typed
    with duckdb.connect(store, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 3  # type: ignore[index]


def test_read_in_a_colour_terminal_emits_no_osc(corpus: Path, tmp_path: Path) -> None:
    """With colours forced rich would turn ``[link=…]`` into an OSC 8 hyperlink and pass ESC through."""
    env = {**os.environ, "COLUMNS": "400", "FORCE_COLOR": "1", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    proc = subprocess.run([sys.executable, "-m", "backchannel", "read", str(corpus / BAD_NAME),
                           "--store", str(tmp_path / "[link=evil]s.duckdb")],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 1
    _inert(proc.stdout + proc.stderr, color=True)
    assert r"x\x1b]0;pwned\x07\x1b[2J.txt" in proc.stderr
    assert "[link=evil]s.duckdb" in proc.stderr


@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
def test_quotes_table_shows_markup_literally(store: str, color: bool) -> None:
    out = _run(["quotes", "--store", store], color)
    assert "[/] we will not negotiate under [bold red]pressure[/bold red] \\x1b]0;pwned\\x07 and \\x1b[2J never" in out
    assert "[link=https://evil.example]the United States[/link]" in out
    assert "\\u202efor now\\u202c \\x9b2J \\x1b]8;;https://evil.example\\x1b\\here" in out
    assert ":warning:" in out  # no emoji substitution either
    assert "mixed [comment]" in out or "direct [comment]" in out or "indirect [comment]" in out


@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
def test_events_table_is_plain(store: str, color: bool) -> None:
    out = _run(["events", "--store", store], color)
    assert "Iran [IRN GOV]" in out and "THREATEN" in out


@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
def test_statements_are_plain(store: str, color: bool) -> None:
    out = _run(["statements", "--store", store, "--min-variants", "1"], color)
    assert "[bold]Evil News[/bold]: [/] we will not negotiate" in out
    assert "\\x1b]0;pwned\\x07" in out


@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
def test_who_is_plain(store: str, color: bool) -> None:
    out = _run(["who", "Araghchi", "--store", store], color)
    assert "[bold]Evil News[/bold]" in out and "[bold red]pressure[/bold red]" in out
    assert "\\u202efor now" in out and ":warning:" in out


@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
def test_dyad_is_plain(store: str, color: bool, tmp_path: Path) -> None:
    out = _run(["dyad", "IRN", "USA", "--store", store, "--png", str(tmp_path / "[red]d.png"),
                "--html", str(tmp_path / "d.html")], color)
    assert f"“meet” — claimed by Iran — {OUTLET}" in out
    assert "[red]d.png" in out


@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
def test_failures_are_one_escaped_line_each(store: str, color: bool) -> None:
    out = _run(["failures", "--store", store], color)
    lines = [line for line in out.splitlines() if "E102" in line]
    assert len(lines) == 1 and r"bad[bold red]x\x1b]0;pwned\x07\x1b[2J.txt" in lines[0]


@pytest.mark.parametrize("args, value", [
    (["quotes", "--jsonl"], f"{OSC_TITLE} and {CLEAR} never"), (["events", "--jsonl"], "THREATEN"),
    (["statements", "--jsonl", "--min-variants", "1"], "\u202efor now\u202c \x9b2J"),
    (["who", "Araghchi", "--json"], "\u202efor now\u202c \x9b2J"),
])
def test_json_output_is_exact_and_inert(store: str, args: list[str], value: str) -> None:
    out = _run([*args, "--store", store], color=False)
    data = [json.loads(line) for line in out.splitlines() if line.strip()] if "--jsonl" in args else [json.loads(out)]
    assert any(value in v for v in _strings(data))  # the values, exactly


def test_error_message_with_hostile_path_is_escaped(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["quotes", "--store", str(tmp_path / f"none{OSC_TITLE}.duckdb")], env=ENV)
    assert result.exit_code == 1
    _inert(result.output, color=False)
    assert r"none\x1b]0;pwned\x07.duckdb" in result.output


# --- export ---------------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def exported(store: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile_export")
    for fmt in ("jsonl", "parquet", "csv", "gdelt"):
        result = CliRunner().invoke(cli, ["export", "--store", store, "--format", fmt, "--out", str(out / fmt)])
        assert result.exit_code == 0, result.output
    return out


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_jsonl_and_parquet_export_are_exact(exported: Path) -> None:
    lines = (exported / "jsonl" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    by_id = {d["external_id"]: d for d in map(json.loads, lines)}
    parquet = duckdb.sql(f"SELECT external_id, title, author, outlet, text FROM '{exported / 'parquet' / 'documents.parquet'}'")
    pq = {r[0]: r[1:] for r in parquet.fetchall()}
    for doc in DOCS:
        stored = by_id[doc["id"]]
        assert (stored["title"], stored["author"], stored["outlet"]) == (doc["title"], doc["author"], doc["outlet"])
        assert pq[doc["id"]][:3] == (doc["title"], doc["author"], doc["outlet"])
        assert pq[doc["id"]][3] == stored["text"]
    assert OSC_TITLE in by_id["hostile-1"]["text"]


def test_csv_export_neutralises_formulas(exported: Path) -> None:
    docs = {d["external_id"]: d for d in _csv(exported / "csv" / "documents.csv")}
    assert docs["hostile-1"]["title"] == "'" + TITLE
    assert docs["hostile-1"]["author"] == "'-5"  # text that looks like a negative number is prefixed too
    assert docs["hostile-1"]["outlet"] == "[bold]Evil News[/bold]"  # nothing else changes
    assert docs["hostile-2"]["title"] == "'\t=1+1"
    assert docs["hostile-2"]["author"] == "'@SUM(A1)"
    assert docs["hostile-2"]["outlet"] == "'" + OUTLET
    exact = {d["external_id"]: d for d in map(json.loads, (exported / "jsonl" / "documents.jsonl").read_text(encoding="utf-8").splitlines())}
    assert docs["hostile-1"]["text"] == exact["hostile-1"]["text"]  # ESC, newlines and all
    assert docs["hostile-1"]["n_chars"] == str(exact["hostile-1"]["n_chars"])
    scores = [e["score"] for e in _csv(exported / "csv" / "events.csv")]
    assert "-3.5" in scores  # numbers stay numbers, unquoted; text is quoted (no cell starts mid-value on ';')
    assert ",-3.5," in (exported / "csv" / "events.csv").read_text(encoding="utf-8")
    assert ',"[bold]Evil News[/bold]",' in (exported / "csv" / "documents.csv").read_text(encoding="utf-8")


def test_csv_export_has_no_formula_cell_in_any_table(exported: Path) -> None:
    files = sorted((exported / "csv").glob("*.csv"))
    assert len(files) >= 10
    for path in files:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                bad = [c for c in row if c.startswith(FORMULA_START) and not _number(c)]
                assert not bad, (path.name, bad)


def test_csv_export_reads_back_with_duckdb(exported: Path) -> None:
    n = duckdb.sql(f"SELECT count(*) FROM '{exported / 'csv' / 'documents.csv'}'").fetchone()[0]  # type: ignore[index]
    assert n == 3


def test_gdelt_export_neutralises_text_cells(exported: Path) -> None:
    with (exported / "gdelt" / "events.gdelt.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert rows and "'" + URL in {r["SOURCEURL"] for r in rows}  # the hostile URL, neutralised
    for row in rows:
        bad = [c for c in row.values() if c.startswith(FORMULA_START) and not _number(c)]
        assert not bad, bad
