"""Engines: the local process, a local process pool (``--jobs 2``) and a real Dask LocalCluster
(2 workers on loopback) write the same records from the same inputs, bad ones included, whether
the driver writes them or the workers write Parquet partitions that are merged (``--parts``);
a run killed mid-way loses no finished partition and the rerun parses only what is missing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from backchannel import api
from backchannel.errors import ConfigError
from backchannel.storage.parts import committed
from backchannel.storage.store import Store

CORPUS = Path(__file__).parent / "data" / "corpus" / "articles.jsonl"

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


def test_dask_workers_write_parquet_partitions_that_merge_into_the_same_records(
        inputs: Path, local: dict[str, list[tuple]], tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    summary = api.read([inputs], store=tmp_path / "s.duckdb", link=False, batch_size=2, engine="dask", workers=2,
                       parts=str(parts))
    assert (summary.added, summary.failed) == (5, 2)
    assert records(tmp_path / "s.duckdb") == local
    names = committed(parts)
    assert len(names) == 4  # 7 inputs in batches of 2
    for table in ("documents", "sections", "sentences", "entities", "quotes", "events", "failures", "copies"):
        assert sorted(p.stem for p in (parts / table).glob("*.parquet")) == sorted(names)
    counted = duckdb.sql(f"SELECT count(*) FROM read_parquet('{parts}/documents/*.parquet')").fetchone()
    assert counted == (5,)
    # the partitions alone rebuild the store elsewhere, and merging them twice adds nothing
    first = api.load(parts, store=tmp_path / "other.duckdb", link_after=False)
    assert (first.parts, first.loaded, first.documents) == (4, 4, 5)
    assert records(tmp_path / "other.duckdb") == local
    second = api.load(parts, store=tmp_path / "other.duckdb", link_after=False)
    assert (second.loaded, second.documents) == (0, 0) and records(tmp_path / "other.duckdb") == local


def test_a_run_killed_mid_way_keeps_its_partitions_and_the_rerun_parses_only_the_rest(tmp_path: Path) -> None:
    """kill -9 of the driver and its two workers while partitions are being written."""
    parts, store = tmp_path / "parts", tmp_path / "s.duckdb"
    cmd = [sys.executable, "-m", "backchannel", "read", str(CORPUS), "--store", str(store), "--parts", str(parts),
           "--jobs", "2", "--batch-size", "2", "--no-link", "-q"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while len(committed(parts)) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = committed(parts)
    assert 3 <= len(finished) < 21, "the run was not killed mid-way"
    in_parts = duckdb.sql(f"SELECT count(*) FROM read_parquet('{parts}/documents/*.parquet')").fetchone()[0]  # type: ignore[index]
    with Store(store, read_only=True) as st:
        merged = st.count("documents")  # what the killed driver merged before it died
    rerun = api.read([CORPUS], store=store, parts=str(parts), link=False, batch_size=2)
    assert rerun.recovered == in_parts - merged  # the rest of the finished partitions, merged at the start
    reference = tmp_path / "local.duckdb"
    distinct = api.read([CORPUS], store=reference, link=False, batch_size=2).added  # the corpus holds reprints
    assert rerun.added == distinct - in_parts  # what the killed run finished is merged, not parsed again
    assert api.load(parts, store=store, link_after=False).loaded == 0
    assert records(store) == records(reference)
    names = committed(parts)
    again = api.read([CORPUS], store=store, parts=str(parts), link=False, batch_size=2)
    assert again.added == 0 and committed(parts) == names  # nothing new: no new partition either


def test_an_unknown_engine_or_an_unreachable_scheduler_is_a_clear_error(inputs: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown engine 'spark'"):
        api.read([inputs], store=tmp_path / "a.duckdb", engine="spark")
    with pytest.raises(ConfigError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:1"):
        api.read([inputs], store=tmp_path / "b.duckdb", engine="dask", scheduler="tcp://127.0.0.1:1")


def test_a_dask_worker_killed_mid_run_loses_nothing(tmp_path: Path) -> None:
    """SIGKILL one of two LocalCluster workers while partitions are being written: Dask reruns its
    task elsewhere (the nanny restarts the worker) and the store equals a clean local run."""
    import threading

    from distributed import Client, LocalCluster

    parts, store = tmp_path / "parts", tmp_path / "s.duckdb"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster, \
            Client(cluster) as client:
        pids = list(client.run(os.getpid).values())
        killed: list[int] = []

        def kill_one() -> None:
            deadline = time.monotonic() + 300
            while len(committed(parts)) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            os.kill(pids[0], signal.SIGKILL)
            killed.append(len(committed(parts)))

        killer = threading.Thread(target=kill_one, daemon=True)
        killer.start()
        summary = api.read([CORPUS], store=store, parts=str(parts), link=False, batch_size=2,
                           scheduler=cluster.scheduler_address)
        killer.join(timeout=60)
    assert killed and killed[0] < 21, "no worker was killed mid-run"
    reference = tmp_path / "local.duckdb"
    distinct = api.read([CORPUS], store=reference, link=False, batch_size=2).added
    assert summary.added == distinct and summary.failed == 0
    assert records(store) == records(reference)


def test_records_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Every worker process has its own string-hash seed: no result may follow a set's order
    (a tie between two countries once went to whichever the seed put first)."""
    script = ("import sys; from backchannel import api; "
              "api.read(sys.argv[2:], store=sys.argv[1], batch_size=8)")
    stores = [tmp_path / f"seed{seed}.duckdb" for seed in (1, 2)]
    procs = [subprocess.Popen([sys.executable, "-c", script, str(store), str(CORPUS)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONHASHSEED": str(seed)})
             for seed, store in zip((1, 2), stores)]
    assert [p.wait(timeout=600) for p in procs] == [0, 0]
    assert records(stores[0]) == records(stores[1])
    linked = []
    for store in stores:
        con = duckdb.connect(str(store), read_only=True)
        linked.append([con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                       for t in ("speakers", "statements", "statement_variants")])
        con.close()
    assert linked[0] == linked[1] and linked[0][1]
