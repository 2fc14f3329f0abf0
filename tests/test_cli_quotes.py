"""The ``quotes`` and ``eval quotes`` commands, through click's CliRunner on a store of the examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from backchannel.cli import cli

KEYS = {"id", "kind", "content", "content_spans", "cue", "speaker", "via", "section", "confidence"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    from .conftest import EXAMPLES

    path = str(tmp_path_factory.mktemp("cli_quotes") / "s.duckdb")
    result = CliRunner().invoke(cli, ["read", str(EXAMPLES), "--store", path, "-q"])
    assert result.exit_code == 0, result.output
    return path


def _jsonl(store: str, *args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, ["quotes", "--store", store, "--jsonl", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def _outlets(store: str) -> dict[str, str | None]:
    from backchannel.api import open_store

    with open_store(store, read_only=True) as st:
        return dict(st.con.execute("SELECT article_id, outlet FROM documents").fetchall())


def test_cli_quotes_jsonl_one_object_per_quote(store: str) -> None:
    rows = _jsonl(store)
    assert rows
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert KEYS <= set(r), sorted(KEYS - set(r))
        assert set(r["cue"]) == {"text", "span"}
        assert set(r["speaker"]) == {"name", "mention", "mention_span", "entity", "note"}
        assert r["kind"] in ("direct", "mixed", "block", "indirect")
        assert r["section"] in ("body", "comment")
        assert isinstance(r["via"], list) and isinstance(r["confidence"], float | int)
        assert r["content_spans"] and all(len(s) == 2 and s[0] < s[1] for s in r["content_spans"])
        if r["cue"]["text"] is not None:
            assert r["cue"]["span"] is not None and len(r["cue"]["span"]) == 2


def test_cli_quotes_jsonl_matches_read_text(store: str) -> None:
    """What the store gives back is what the pipeline produced (offsets and all)."""
    from backchannel.api import read_text

    from .conftest import EXAMPLES

    text = (EXAMPLES / "003_b51af508a57a262d.txt").read_text(encoding="utf-8")
    expected = {(q.content, tuple(q.content_spans), q.speaker) for q in read_text(text).quotes}
    rows = _jsonl(store, "--speaker", "Larijani")
    got = {(r["content"], tuple(tuple(s) for s in r["content_spans"]), r["speaker"]["name"]) for r in rows}
    assert got and got <= expected


@pytest.mark.parametrize(
    "name,expect_some",
    [
        pytest.param("Larijani", True, id="larijani"),
        pytest.param("larijani", True, id="case-insensitive"),
        pytest.param("Nobody Of That Name", False, id="no-match"),
    ],
)
def test_cli_quotes_speaker_filter(store: str, name: str, expect_some: bool) -> None:
    everything = _jsonl(store)
    rows = _jsonl(store, "--speaker", name)
    assert bool(rows) == expect_some
    for r in rows:
        assert name.lower() in f"{r['speaker']['name'] or ''} {r['speaker']['mention'] or ''}".lower()
    wanted = {r["id"] for r in everything
              if name.lower() in f"{r['speaker']['name'] or ''}\n{r['speaker']['mention'] or ''}".lower()}
    assert {r["id"] for r in rows} == wanted


@pytest.mark.parametrize(
    "outlet,expect_some",
    [
        pytest.param("Guardian", True, id="guardian"),
        pytest.param("New York Times", True, id="nyt"),
        pytest.param("No Such Outlet", False, id="no-match"),
    ],
)
def test_cli_quotes_outlet_filter(store: str, outlet: str, expect_some: bool) -> None:
    outlets = _outlets(store)
    rows = _jsonl(store, "--outlet", outlet)
    assert bool(rows) == expect_some
    low = outlet.lower()
    for r in rows:
        assert any(low in v.lower() for v in r["via"]) or low in (outlets.get(r["article_id"]) or "").lower(), r
    relayed = {r["id"] for r in _jsonl(store) if any(low in v.lower() for v in r["via"])}
    assert relayed <= {r["id"] for r in rows}


def test_cli_quotes_guardian_quotes_are_larijani(store: str) -> None:
    rows = _jsonl(store, "--outlet", "Guardian", "--speaker", "Larijani")
    assert rows and all("The Guardian" in r["via"] for r in rows)


@pytest.mark.parametrize("kind", ["direct", "mixed", "block", "indirect"])
def test_cli_quotes_kind_filter(store: str, kind: str) -> None:
    rows = _jsonl(store, "--kind", kind)
    assert rows and {r["kind"] for r in rows} == {kind}


def test_cli_quotes_limit(store: str) -> None:
    assert len(_jsonl(store, "--limit", "3")) == 3


def test_cli_quotes_table_output(store: str) -> None:
    result = CliRunner().invoke(cli, ["quotes", "--store", store, "--speaker", "Khazaee"])
    assert result.exit_code == 0, result.output
    assert "Khazaee" in result.output and "direct" in result.output


def test_cli_quotes_without_store_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["quotes", "--store", str(tmp_path / "missing.duckdb")])
    assert result.exit_code != 0
    assert "no store here yet" in result.output


@pytest.mark.parametrize("args", [["quotes", "--help"], ["eval", "--help"], ["eval", "quotes", "--help"]])
def test_cli_quotes_help(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_cli_eval_quotes_seed_gold_json(shared: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", "quotes", str(shared / "gold" / "seeds.quotes.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["format"] == "seed"
    assert scores["direct+mixed"]["0.8"]["r"] >= 0.9, scores["direct+mixed"]


def test_cli_eval_quotes_report(shared: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", "quotes", str(shared / "gold" / "seeds.quotes.jsonl"), "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert "direct+mixed @0.8" in result.stdout and "1 documents" in result.stdout
