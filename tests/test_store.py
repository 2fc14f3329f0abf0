"""The DuckDB store: idempotent re-runs, resume after kill -9, failures recorded once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import duckdb

from backchannel.execution.runner import run
from backchannel.settings import Settings
from backchannel.storage.store import Store


def _corpus(directory: Path, n: int) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (directory / f"doc{i:03d}.txt").write_text(
            f"Report {i}\n\nIran’s foreign minister said on day {i} that talks with the United States "
            f"could resume in Geneva, according to Reuters. Officials in Washington declined to comment.\n",
            encoding="utf-8",
        )
    return directory


def _counts(path: str) -> dict[str, int]:
    con = duckdb.connect(path, read_only=True)
    try:
        out = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "sections", "entities", "failures")}
        out["distinct_docs"] = con.execute("SELECT count(DISTINCT article_id) FROM documents").fetchone()[0]
        out["distinct_entities"] = con.execute('SELECT count(*) FROM (SELECT DISTINCT article_id, "index" FROM entities)').fetchone()[0]
    finally:
        con.close()
    return out


def test_store_rerun_adds_nothing(tmp_path: Path, examples: Path) -> None:
    settings = Settings(store=str(tmp_path / "s.duckdb"))
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    with Store(settings.store) as store:
        first = run([str(examples), str(bad)], settings, store=store)
    before = _counts(settings.store)
    with Store(settings.store) as store:
        second = run([str(examples), str(bad)], settings, store=store)
    assert (first.added, first.failed) == (5, 1)
    assert (second.added, second.unchanged, second.failed) == (0, 5, 1)
    assert _counts(settings.store) == before
    assert before["failures"] == 1


def test_store_same_content_twice_is_one_document(tmp_path: Path, examples: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes((examples / "003_b51af508a57a262d.txt").read_bytes())
    settings = Settings(store=str(tmp_path / "s.duckdb"))
    with Store(settings.store) as store:
        summary = run([str(examples / "003_b51af508a57a262d.txt"), str(copy)], settings, store=store)
    assert (summary.added, summary.unchanged) == (1, 1)


def test_store_document_roundtrip(tmp_path: Path, examples: Path) -> None:
    settings = Settings(store=str(tmp_path / "s.duckdb"))
    out = tmp_path / "out.jsonl"
    with Store(settings.store) as store, out.open("w", encoding="utf-8") as fh:
        run([str(examples / "000_fd5ae7baf4eaa798.txt")], settings, store=store, jsonl=fh)
        written = json.loads(out.read_text(encoding="utf-8"))
        stored = store.document(written["article_id"])
    assert stored is not None and json.loads(json.dumps(stored.to_dict())) == written


def test_store_resumes_after_kill(tmp_path: Path) -> None:
    """kill -9 after some batches are committed and before the last: the rerun keeps them and adds the rest."""
    corpus = _corpus(tmp_path / "corpus", 60)
    store = str(tmp_path / "k.duckdb")
    cmd = [sys.executable, "-m", "backchannel", "read", str(corpus), "--store", store, "--batch-size", "2", "-q"]
    # a document's JSON line is printed only after its batch is committed, so lines count commits
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([*cmd, "--jsonl", "-"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env, start_new_session=True)
    assert proc.stdout is not None
    watchdog = threading.Timer(120, proc.kill)  # a child that hangs ends the readline below with EOF
    watchdog.start()
    printed = 0
    try:
        while printed < 4 and proc.stdout.readline():
            printed += 1
        alive = proc.poll() is None
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        watchdog.cancel()
        proc.stdout.close()
        proc.wait(timeout=60)
    assert printed == 4 and alive, "the child finished (or died) before it could be killed mid-run"
    assert proc.returncode == -signal.SIGKILL
    partial = _counts(store)["documents"]
    assert 4 <= partial < 60, partial  # two batches or more committed, not all of them
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    counts = _counts(store)
    assert counts["documents"] == counts["distinct_docs"] == 60
    assert counts["entities"] == counts["distinct_entities"]
    assert counts["sections"] == 60


def test_a_version_1_store_is_upgraded_in_place(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A store written before events existed opens, gains the events table and keeps its rows."""
    import duckdb

    from backchannel.storage.store import SCHEMA_VERSION, Store

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema', '1')")
    con.execute("CREATE TABLE failures (source VARCHAR, code VARCHAR, severity VARCHAR, message VARCHAR, "
                "article_id VARCHAR, first_seen TIMESTAMP, last_seen TIMESTAMP, PRIMARY KEY (source, code))")
    con.execute("INSERT INTO failures VALUES ('a.txt', 'E101', 'error', 'a.txt: empty', NULL, now(), now())")
    con.close()
    with Store(path) as st:
        assert st.count("events") == 0
        assert [f.code for f in st.failures()] == ["E101"]
        assert st.con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == SCHEMA_VERSION


def test_a_version_2_store_gains_event_dates_and_link_tables(tmp_path, examples) -> None:  # type: ignore[no-untyped-def]
    """Events stored before dates existed keep their rows; the new columns are empty until re-read."""
    from backchannel import api
    from backchannel.storage.store import Store

    path = tmp_path / "v2.duckdb"
    api.read([examples / "000_fd5ae7baf4eaa798.txt"], store=path)
    with Store(path) as st:
        n_events = st.count("events")
        st.con.execute("ALTER TABLE events DROP COLUMN date")
        st.con.execute("ALTER TABLE events DROP COLUMN date_text")
        for table in ("copies", "speakers", "statements", "statement_variants"):
            st.con.execute(f"DROP TABLE {table}")
        st.con.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
    with Store(path) as st:
        assert st.count("events") == n_events > 0
        assert all(e.date is None for e in st.events())
        assert st.count("statements") == 0
    api.read([examples / "000_fd5ae7baf4eaa798.txt"], store=path)  # nothing new, but the links are built
    with Store(path) as st:
        assert st.count("statements") > 0


def test_an_unknown_store_version_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import duckdb
    import pytest

    from backchannel.errors import StoreError
    from backchannel.storage.store import Store

    path = tmp_path / "future.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema', '99')")
    con.close()
    with pytest.raises(StoreError, match="schema version 99"):
        Store(path)
