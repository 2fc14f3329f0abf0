"""Engines: the local process, a local process pool (``--jobs 2``) and a real Dask LocalCluster
(2 workers on loopback) write the same records from the same inputs, bad ones included."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from backchannel import api
from backchannel.errors import ConfigError

_TIMES = ("added_at", "first_seen", "last_seen")
_TABLES = ("documents", "sections", "entities", "quotes", "events", "failures", "copies")


def records(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for table in _TABLES:
            cols = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall() if c[0] not in _TIMES]
            out[table] = con.execute(f"SELECT {', '.join(chr(34) + c + chr(34) for c in cols)} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    for f in sorted(examples.iterdir()):
        shutil.copy(f, folder / f.name)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    return folder


@pytest.fixture(scope="module")
def local(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    path = tmp_path_factory.mktemp("local") / "s.duckdb"
    summary = api.read([inputs], store=path, link=False, batch_size=2)
    assert summary.added == 5 and summary.failed == 2
    return records(path)


def test_a_pool_of_two_processes_writes_the_same_records(inputs: Path, local: dict[str, list[tuple]], tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    summary = api.read([inputs], store=path, link=False, batch_size=2, jobs=2)
    assert (summary.added, summary.failed) == (5, 2)
    assert records(path) == local


def test_a_dask_local_cluster_writes_the_same_records_and_a_rerun_adds_nothing(
        inputs: Path, local: dict[str, list[tuple]], tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    summary = api.read([inputs], store=path, link=False, batch_size=2, engine="dask", workers=2)
    assert (summary.added, summary.failed) == (5, 2)
    got = records(path)
    assert got == local
    assert {f[0].rsplit("/", 1)[-1] for f in got["failures"]} == {"empty.txt", "binary.txt"}  # per document, like local
    again = api.read([inputs], store=path, link=False, batch_size=2, engine="dask", workers=2)
    assert again.added == 0 and again.unchanged == 5 and records(path) == local


def test_an_unknown_engine_or_an_unreachable_scheduler_is_a_clear_error(inputs: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown engine 'spark'"):
        api.read([inputs], store=tmp_path / "a.duckdb", engine="spark")
    with pytest.raises(ConfigError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:1"):
        api.read([inputs], store=tmp_path / "b.duckdb", engine="dask", scheduler="tcp://127.0.0.1:1")
