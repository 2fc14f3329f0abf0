"""Parquet partitions (``--parts``) when things go wrong: a damaged partition, a rerun into a
new store, a record that cannot be written, a parts folder that cannot be written or that sits
inside the inputs. The engines' agreement is in test_engines.py."""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

import pytest

from backchannel import api
from backchannel.errors import StoreError
from backchannel.records import Failure
from backchannel.storage import store
from backchannel.storage.parts import committed, part_name, readable, write_part

from .test_engines import records


@pytest.fixture()
def inputs(tmp_path: Path, examples: Path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    for f in sorted(examples.iterdir())[:3]:
        shutil.copy(f, folder / f.name)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


def _files(parts: Path) -> dict[str, int]:
    return {str(p.relative_to(parts)): p.stat().st_mtime_ns for p in parts.rglob("*.parquet")}


def test_a_damaged_partition_is_reported_and_skipped_and_the_others_load(
        inputs: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    parts = tmp_path / "parts"
    api.read([inputs], store=tmp_path / "a.duckdb", parts=str(parts), link=False, batch_size=1)
    names = committed(parts)
    assert len(names) == 4  # three articles and the empty file, one per batch
    bad = parts / "quotes" / f"{names[0]}.parquet"
    bad.write_bytes(bad.read_bytes()[:40])  # a half-copied file
    with caplog.at_level(logging.ERROR):
        summary = api.load(parts, store=tmp_path / "b.duckdb", link_after=False)
    assert (summary.parts, summary.loaded, summary.skipped) == (4, 3, 1)
    assert f"partition {names[0]} cannot be merged" in caplog.text
    with store.Store(tmp_path / "b.duckdb", read_only=True) as st:
        assert names[0] not in st.loaded_parts()  # nothing of it half-merged: a later load retries it
        assert st.count("documents") == summary.documents
    # reading the inputs again with the same --parts writes the damaged partition anew
    again = api.read([inputs], store=tmp_path / "c.duckdb", parts=str(parts), link=False, batch_size=1)
    assert again.added == 1 and readable(parts, names[0]) is None and committed(parts) != []
    assert records(tmp_path / "c.duckdb") == records(tmp_path / "a.duckdb")


def test_a_rerun_into_a_new_store_reuses_committed_partitions_untouched(inputs: Path, tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    first = api.read([inputs], store=tmp_path / "a.duckdb", parts=str(parts), link=False, batch_size=2)
    before = _files(parts)
    second = api.read([inputs], store=tmp_path / "b.duckdb", parts=str(parts), link=False, batch_size=2)
    # the new store is filled from the partitions at the start; nothing is parsed or written again
    assert (first.added, first.failed, second.added, second.failed) == (3, 1, 0, 1)
    assert records(tmp_path / "b.duckdb") == records(tmp_path / "a.duckdb")
    after = _files(parts)
    assert {k: after[k] for k in before} == before  # the committed files are not rewritten
    # what is new is this run's failure (the empty file, seen again), in one partition of its own
    assert len(after) - len(before) == len(store.PARTITION_TABLES) and len(committed(parts)) == 3
    third = api.read([inputs], store=tmp_path / "b.duckdb", parts=str(parts), link=False, batch_size=2)
    assert third.added == 0 and _files(parts) == after  # and seeing it again changes nothing
    assert not [p for p in parts.rglob("*") if p.name.endswith(".tmp")]


def test_a_partition_name_changes_with_what_made_the_records() -> None:
    fail = [Failure("a.txt", "E101", "empty", "error")]
    assert part_name(["x", "y"], fail, ["k"], "0.1.0|events") == part_name(["y", "x"], fail, ["k"], "0.1.0|events")
    assert part_name(["x", "y"], fail, ["k"], "0.1.0|events") != part_name(["x", "y"], fail, ["k"], "0.1.0|no events")
    assert part_name(["x"], fail, ["k"]) != part_name(["x"], [], ["k"])


def test_an_unwritable_record_under_parts_costs_that_document_only(
        inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = store._quote_row

    def broken(q):  # a record DuckDB would refuse, in one document only
        if "Larijani" in q.content:
            raise ValueError("cannot convert this value")
        return real(q)

    monkeypatch.setattr(store, "_quote_row", broken)
    summary = api.read([inputs], store=tmp_path / "a.duckdb", parts=str(tmp_path / "parts"), link=False, batch_size=4)
    assert summary.added == 2 and summary.failed == 2  # the empty file, and the article with that quote
    with store.Store(tmp_path / "a.duckdb", read_only=True) as st:
        codes = sorted(f.code for f in st.failures() if f.severity == "error")
    assert codes == ["E101", "E114"]


def test_a_parts_folder_that_cannot_be_written_is_a_one_line_error(inputs: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "parts"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(StoreError, match=r"cannot write a partition \(.*\); check that the directory is writable"):
        api.read([inputs], store=tmp_path / "a.duckdb", parts=str(blocker), link=False)


def test_a_parts_folder_inside_the_inputs_is_not_read_back_as_input(inputs: Path, tmp_path: Path) -> None:
    first = api.read([inputs], store=tmp_path / "a.duckdb", parts=str(inputs / "parts"), link=False, batch_size=2)
    again = api.read([inputs], store=tmp_path / "a.duckdb", parts=str(inputs / "parts"), link=False, batch_size=2)
    assert first.inputs == again.inputs == 4
    assert again.added == 0 and again.failed == 1
    # nor is an earlier run's partitions folder, when this run writes none
    plain = api.read([inputs], store=tmp_path / "b.duckdb", link=False)
    assert (plain.inputs, plain.added, plain.failed) == (4, 3, 1)


def test_a_run_with_other_settings_does_not_merge_partitions_made_otherwise(
        inputs: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    parts = tmp_path / "parts"
    api.read([inputs], store=tmp_path / "a.duckdb", parts=str(parts), link=False, batch_size=2)
    with caplog.at_level(logging.WARNING):
        other = api.read([inputs], store=tmp_path / "b.duckdb", parts=str(parts), link=False, batch_size=2, events=False)
    assert other.added == 3  # parsed again, without events, not filled from the first run's partitions
    assert "made by another version or other settings" in caplog.text
    with store.Store(tmp_path / "b.duckdb", read_only=True) as st:
        assert st.count("events") == 0
    assert len({n.split("-")[1] for n in committed(parts)}) == 2


def test_writing_a_committed_partition_again_leaves_its_files_as_they_are(tmp_path: Path, examples: Path) -> None:
    doc = api.read_text((examples / "000_fd5ae7baf4eaa798.txt").read_text(encoding="utf-8"), source="a.txt")
    first = write_part(tmp_path, [doc], [], [], "salt")
    before = _files(tmp_path)
    again = write_part(tmp_path, [doc], [], [], "salt")
    assert again == first and _files(tmp_path) == before
    assert write_part(tmp_path, [doc], [], [], "other settings").name != first.name


def test_partitions_are_merged_in_the_order_they_were_committed(tmp_path: Path) -> None:
    """Oldest first, as the run wrote them, so a load repeats the run's order of failures and fixes."""
    (tmp_path / "documents").mkdir()
    for name, mtime in (("part-aaa", 300), ("part-bbb", 100), ("part-ccc", 200)):
        path = tmp_path / "documents" / f"{name}.parquet"
        path.write_bytes(b"")
        os.utime(path, ns=(mtime * 10**9, mtime * 10**9))
    (tmp_path / "documents" / ".part-ddd.0a1b.tmp").write_bytes(b"")  # unfinished: not committed
    assert committed(tmp_path) == ["part-bbb", "part-ccc", "part-aaa"]


def test_several_folders_load_as_one_and_a_missing_one_merges_nothing(inputs: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "inputs1", tmp_path / "inputs2"
    first.mkdir(), second.mkdir()
    files = sorted(p for p in inputs.iterdir() if p.stat().st_size)
    shutil.copy(files[0], first / files[0].name)
    for f in files[1:]:
        shutil.copy(f, second / f.name)
    api.read([first], store=tmp_path / "a.duckdb", parts=str(tmp_path / "p1"), link=False)
    api.read([second], store=tmp_path / "b.duckdb", parts=str(tmp_path / "p2"), link=False)
    with pytest.raises(Exception, match="E308|no Parquet partitions") as err:
        api.load([tmp_path / "p1", tmp_path / "nowhere"], store=tmp_path / "m.duckdb")
    assert "nowhere" in str(err.value) and not (tmp_path / "m.duckdb").exists()  # checked before any merge
    heard: list[tuple[str, int]] = []
    total = api.load([tmp_path / "p1", tmp_path / "p2"], store=tmp_path / "m.duckdb", link_after=False,
                     on_folder=lambda folder, done: heard.append((Path(folder).name, done.documents)))
    assert heard == [("p1", 1), ("p2", len(files) - 1)] and total.documents == len(files)
    api.read([first, second], store=tmp_path / "all.duckdb", link=False)  # the same inputs in one run
    assert records(tmp_path / "m.duckdb") == records(tmp_path / "all.duckdb")


def test_a_rerun_sweeps_old_half_written_files_and_leaves_fresh_ones(inputs: Path, tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    api.read([inputs], store=tmp_path / "a.duckdb", parts=str(parts), link=False)
    old, fresh = parts / "quotes" / ".part-x-0.aaaa.tmp", parts / "documents" / ".part-x-1.bbbb.tmp"
    old.write_bytes(b"PAR1 half"), fresh.write_bytes(b"PAR1 half")
    os.utime(old, (time.time() - 7200, time.time() - 7200))  # a killed worker's, two hours ago
    again = api.read([inputs], store=tmp_path / "a.duckdb", parts=str(parts), link=False)
    assert again.added == 0 and not old.exists() and fresh.exists()  # fresh: maybe another worker's, writing now
