"""Hostile stores: locked, corrupt, read-only, missing, on a full disk; partitions of the wrong
schema; filters given '%' and '_'. Every failure is ONE numbered line with the real cause, never a
traceback, and what was committed before is kept.

The read-only and full-disk cases are real: the store sits on a read-only bind mount or an 8 MB
tmpfs made in a private mount namespace (``unshare -rm``); where that is not allowed they are
skipped, and the classifier tests below still check DuckDB's own messages for those causes (the
"Permission denied" ones were taken from runs as an unprivileged user)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from backchannel import api
from backchannel.errors import StoreError
from backchannel.records import Document, Quote, Section, Sentence
from backchannel.storage.parts import committed
from backchannel.storage.store import Store, classify

QUERIES = (["quotes"], ["events"], ["statements"], ["who", "Ann"], ["failures"], ["export", "--out", "{out}"],
           ["dyad", "USA", "IRN", "--json", "--png", "{out}/d.png", "--html", "{out}/d.html"],
           ["report", "--out", "{out}/r.html"])


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backchannel", *args], capture_output=True, text=True, timeout=120)


def _one_error(proc: subprocess.CompletedProcess[str], code: str, *cause: str) -> str:
    """The run failed with exactly one line on stderr naming the code and the cause."""
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 1 and len(lines) == 1, proc.stderr
    assert code in lines[0] and all(c in lines[0] for c in cause), lines[0]
    return lines[0]


def _doc(aid: str, speaker: str, outlet: str, words: str) -> Document:
    text = f'"{words}," {speaker} said.'
    quote = Quote(aid, 0, "direct", words, ((1, 1 + len(words)),), (1, 1 + len(words)), 0, "body", 0,
                  len(text) - 1, "said", (len(text) - 5, len(text) - 1), speaker, speaker,
                  (len(words) + 4, len(words) + 4 + len(speaker)), None, (outlet,), 0.9)
    return Document(aid, f"{aid}.txt", "txt", text, None, None, None, "2024-01-02", None, outlet, "en", "utf-8",
                    len(text.split()), (Section(aid, 0, "body", 0, len(text)),), (Sentence(aid, 0, 0, 0, len(text)),), (),
                    (quote,))


@pytest.fixture()
def small_store(tmp_path: Path) -> Path:
    """A real store with quotes whose speakers and outlets hold '%' and '_' literally."""
    path = tmp_path / "s.duckdb"
    with Store(path) as st:
        st.write([_doc("a1", "Ann a%b Lee", "Daily_News", "We will talk"),
                  _doc("a2", "Ann ab Lee", "DailyXNews", "We will not talk"),
                  _doc("a3", "Bob_Ray", "Herald", "Nothing to add"),
                  _doc("a4", "Bob Ray", "Herald", "Nothing more")])
    api.link(path)
    return path


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt 2>/dev/null || "
                            "mount -t tmpfs -o size=1m tmpfs /tmp"], capture_output=True)
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(not _unshare_works(), reason="cannot make a private mount namespace (unshare -rm)")


def _in_namespace(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a shell script as root of a private user and mount namespace: its mounts vanish with it."""
    return subprocess.run(["unshare", "-rm", "sh", "-c", textwrap.dedent(script)], capture_output=True, text=True,
                           timeout=180, cwd=cwd, env={**os.environ, "PY": sys.executable})


# --- locked ----------------------------------------------------------------------------------


def test_a_query_on_a_store_another_process_is_writing_gives_the_lock_line(small_store: Path) -> None:
    with subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                           "print('held', flush=True); time.sleep(60)", str(small_store)],
                          stdout=subprocess.PIPE, text=True) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            line = _one_error(_cli("quotes", "--store", str(small_store)), "E201", str(small_store),
                              f"locked by process {holder.pid}", "another backchannel process")
            assert "See also" not in line
            _one_error(_cli("link", "--store", str(small_store)), "E201", "locked by process")
        finally:
            holder.kill()


# --- not a store, damaged ----------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"just some notes\n" * 100, os.urandom(20_000), b""], ids=["text", "random", "empty"])
def test_a_file_that_is_not_a_store_is_named_and_left_as_it_was(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "store.duckdb"
    path.write_bytes(content)
    _one_error(_cli("quotes", "--store", str(path)), "E209", str(path), "not a backchannel store")
    _one_error(_cli("read", "-q", str(tmp_path / "none.txt"), "--store", str(path)), "E209", "not a backchannel store")
    assert path.read_bytes() == content and sorted(p.name for p in tmp_path.iterdir()) == ["store.duckdb"]


def test_another_programs_duckdb_file_is_not_taken_for_a_store(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE prices AS SELECT 1 AS id")
    before = path.read_bytes()
    _one_error(_cli("events", "--store", str(path)), "E209", "not a backchannel store", "other tables")
    _one_error(_cli("read", "-q", str(tmp_path / "none.txt"), "--store", str(path)), "E209", "other tables")
    assert path.read_bytes() == before


def test_a_truncated_or_damaged_store_is_reported_as_damaged(tmp_path: Path, small_store: Path) -> None:
    data = small_store.read_bytes()
    cut = tmp_path / "cut.duckdb"
    cut.write_bytes(data[: len(data) // 3])
    _one_error(_cli("quotes", "--store", str(cut)), "E210", str(cut), "damaged", "Could not read enough bytes")
    flipped = tmp_path / "flipped.duckdb"
    flipped.write_bytes(data[:4200] + bytes(b ^ 0xFF for b in data[4200:4300]) + data[4300:])
    _one_error(_cli("failures", "--store", str(flipped)), "E210", "damaged", "checksum")


def test_damage_found_in_the_middle_of_a_query_is_one_line_too(tmp_path: Path, small_store: Path) -> None:
    """A damaged block the store opens past (only the query reads it) gives the same E210 line."""
    data = small_store.read_bytes()
    for block in range((len(data) - 12_288) // 262_144):  # DuckDB's header, then blocks of 256 KiB
        at = 12_288 + block * 262_144 + 100
        bad = tmp_path / f"block{block}.duckdb"
        bad.write_bytes(data[:at] + bytes(b ^ 0xFF for b in data[at:at + 50]) + data[at + 50:])
        try:
            with Store(bad, read_only=True) as st:
                st.quotes()
        except duckdb.IOException:
            break  # opened, then failed in the query
        except StoreError:
            continue
    else:
        pytest.skip("no block of this store is read only by the query")
    _one_error(_cli("quotes", "--store", str(bad)), "E210", str(bad), "the store is damaged", "checksum")


# --- missing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", QUERIES, ids=[q[0] for q in QUERIES])
def test_a_query_on_a_missing_store_says_so_and_creates_nothing(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "none.duckdb"
    out = tmp_path / "out"
    args = [a.format(out=out) for a in command]
    _one_error(_cli(*args, "--store", str(path)), "E212", str(path), "no store here")
    assert list(tmp_path.iterdir()) == []


def test_the_api_opening_a_missing_store_read_only_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        api.open_store(tmp_path / "none.duckdb", read_only=True)
    assert caught.value.code == "E212" and list(tmp_path.iterdir()) == []
    with pytest.raises(StoreError) as caught:
        api.open_store(tmp_path / "no" / "folder.duckdb")
    assert caught.value.code == "E213" and "does not exist" in str(caught.value)


# --- read-only ---------------------------------------------------------------------------------


@needs_mounts
def test_query_commands_work_on_a_read_only_store_and_read_says_why_it_cannot_write(
        tmp_path: Path, small_store: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    shutil.copy(small_store, ro / "s.duckdb")
    (tmp_path / "in.txt").write_text("Officials said talks would resume.", encoding="utf-8")
    done = _in_namespace("""
        mount --bind ro ro && mount -o remount,bind,ro ro || exit 9
        for cmd in quotes events statements failures; do "$PY" -m backchannel $cmd --store ro/s.duckdb > $cmd.out 2>&1; echo "$cmd $?"; done
        "$PY" -m backchannel export --store ro/s.duckdb --out exported > export.out 2>&1; echo "export $?"
        "$PY" -m backchannel read -q in.txt --store ro/s.duckdb 2> read.err; echo "read $?"
        "$PY" -m backchannel read -q in.txt --store ro/new.duckdb 2> new.err; echo "new $?"
        """, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["quotes", "0", "events", "0", "statements", "0", "failures", "0", "export", "0",
                                   "read", "1", "new", "1"], [(tmp_path / f).read_text() for f in os.listdir(tmp_path) if f.endswith(".out")]
    assert "We will talk" in (tmp_path / "quotes.out").read_text()
    assert (tmp_path / "exported" / "quotes.jsonl").stat().st_size > 0
    for err in ("read.err", "new.err"):
        text = (tmp_path / err).read_text()
        assert "Traceback" not in text and len(text.strip().splitlines()) == 1, text
        assert "E211" in text and "cannot be written" in text and "Read-only file system" in text, text


@needs_mounts
def test_a_store_in_a_read_only_folder_names_the_wal_it_cannot_create(tmp_path: Path, small_store: Path) -> None:
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro" / "s.duckdb").touch()
    (tmp_path / "in.txt").write_text("Officials said on Monday that talks would resume in Geneva next week.",
                                     encoding="utf-8")
    done = _in_namespace(f"""
        mount --bind ro ro && mount -o remount,bind,ro ro && mount --bind {small_store} ro/s.duckdb || exit 9
        "$PY" -m backchannel quotes --store ro/s.duckdb > quotes.out 2>&1; echo "quotes $?"
        "$PY" -m backchannel read -q in.txt --store ro/s.duckdb 2> read.err; echo "read $?"
        """, tmp_path)
    assert done.stdout.split() == ["quotes", "0", "read", "1"], (done.stderr, (tmp_path / "quotes.out").read_text())
    text = (tmp_path / "read.err").read_text()
    assert "Traceback" not in text and len(text.strip().splitlines()) == 1, text
    assert "E211" in text and "s.duckdb.wal" in text and "Read-only file system" in text


# --- disk full ---------------------------------------------------------------------------------


@needs_mounts
def test_a_full_disk_stops_the_run_with_one_line_and_keeps_what_was_committed(tmp_path: Path, examples: Path) -> None:
    first, rest = tmp_path / "first", tmp_path / "rest"
    first.mkdir()
    rest.mkdir()
    names = sorted(p.name for p in examples.iterdir())
    shutil.copy(examples / names[0], first)
    for name in names[1:]:
        shutil.copy(examples / name, rest)
    (tmp_path / "disk").mkdir()
    done = _in_namespace("""
        mount -t tmpfs -o size=8m tmpfs disk || exit 9
        "$PY" -m backchannel read -q first --store disk/s.duckdb --no-link; echo "first $?"
        dd if=/dev/zero of=disk/filler bs=4k 2>/dev/null || true
        "$PY" -m backchannel read -q rest --store disk/s.duckdb --batch-size 1 --no-link 2> full.err; echo "full $?"
        "$PY" -c "import duckdb; print('documents', duckdb.connect('disk/s.duckdb', read_only=True).sql('SELECT count(*) FROM documents').fetchone()[0])"
        """, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["first", "0", "full", "1", "documents", "1"], done.stdout + done.stderr
    text = (tmp_path / "full.err").read_text()
    assert "Traceback" not in text and len(text.strip().splitlines()) == 1, text
    assert "E214" in text and "No space left on device" in text and "committed before was kept" in text


def test_a_full_disk_during_a_batch_keeps_the_batches_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same without a tmpfs: the second batch's write fails with DuckDB's real ENOSPC text."""
    path = tmp_path / "s.duckdb"
    st = Store(path)
    st.write([_doc("a1", "Ann Lee", "Herald", "We will talk")])
    real = st._insert

    def full(table: str, rows: list, on_conflict: str = "") -> None:
        if table == "quotes":
            raise duckdb.IOException(f'IO Error: Could not write file "{path}.wal": No space left on device')
        real(table, rows, on_conflict)

    monkeypatch.setattr(st, "_insert", full)
    with pytest.raises(StoreError) as caught:
        st.write([_doc("a2", "Bob Ray", "Herald", "Nothing to add")])
    assert caught.value.code == "E214" and "No space left on device" in str(caught.value)
    st.close()
    with Store(path, read_only=True) as again:
        assert again.count("documents") == 1 and again.count("quotes") == 1


# --- DuckDB's texts, for the causes a test cannot always reproduce -----------------------------


@pytest.mark.parametrize(("message", "code"), [
    ('IO Error: Could not set lock on file "/s/x.duckdb": Conflicting lock is held in /usr/bin/python3.11 (PID 3936). '
     "See also https://duckdb.org/docs/stable/connect/concurrency", "E201"),
    ('IO Error: The file "/s/x.duckdb" exists, but it is not a valid DuckDB database file!', "E209"),
    ('IO Error: Could not read from file "/s/x.duckdb": Is a directory', "E209"),
    ('IO Error: Could not read enough bytes from file "/s/x.duckdb": attempted to read 3996 bytes from location 100', "E210"),
    ("IO Error: Corrupt database file: computed checksum 1 does not match stored checksum 2 in block at location 4096", "E210"),
    ('IO Error: Cannot open file "/s/x.duckdb": Permission denied', "E211"),
    ('TransactionContext Error: Failed to commit: Cannot open file "/s/x.duckdb.wal": Permission denied', "E211"),
    ('IO Error: Cannot open file "/s/x.duckdb": Read-only file system', "E211"),
    ('IO Error: Cannot open database "/s/x.duckdb" in read-only mode: database does not exist', "E212"),
    ('IO Error: Cannot open file "/s/no/x.duckdb": No such file or directory', "E213"),
    ('TransactionContext Error: Failed to commit: Could not write file "/s/x.duckdb.wal": No space left on device', "E214"),
    ('IO Error: Could not write file "/s/x.duckdb": Disk quota exceeded', "E214"),
])
def test_duckdb_failures_are_told_apart(message: str, code: str) -> None:
    err = classify("/s/x.duckdb", duckdb.IOException(message))
    assert err is not None and err.code == code
    assert ("another backchannel process" in str(err)) == (code == "E201")
    assert "\n" not in str(err) and "Error:" not in str(err)


def test_a_record_duckdb_refuses_is_not_a_store_failure() -> None:
    assert classify("/s/x.duckdb", duckdb.ConversionException("Conversion Error: Could not convert 'x' to INT32")) is None


# --- partitions of the wrong schema --------------------------------------------------------------


def _bad_copy(parts: Path, good: str, table: str, change: str) -> str:
    """A copy of partition ``good`` under a new name whose ``table`` file has a wrong schema."""
    bad = f"part-00000000-{change.ljust(20, '0')[:20]}"
    for t in [p.name for p in parts.iterdir() if p.is_dir()]:
        data = pq.read_table(parts / t / f"{good}.parquet")
        if t == table and change == "renamed":
            data = data.rename_columns(["speaker_name" if c == "speaker" else c for c in data.column_names])
        elif t == table and change == "missing":
            data = data.drop_columns(["title"])
        elif t == table and change == "extra":
            data = data.append_column("mood", pa.array(["calm"] * data.num_rows))
        elif t == table and change == "retyped":
            data = data.set_column(data.schema.get_field_index("n_words"), "n_words",
                                   pa.array([str(n) for n in data.column("n_words").to_pylist()]))
        elif t == table and change == "twice":  # the right columns, but a new document twice: DuckDB refuses the merge
            twice = pa.concat_tables([data.slice(0, 1), data.slice(0, 1)])
            data = twice.set_column(twice.schema.get_field_index("article_id"), "article_id", pa.array(["new", "new"]))
        pq.write_table(data, parts / t / f"{bad}.parquet")
    return bad


def test_a_partition_of_the_wrong_schema_is_skipped_and_the_others_merge(
        tmp_path: Path, examples: Path, caplog: pytest.LogCaptureFixture) -> None:
    parts = tmp_path / "parts"
    inputs = tmp_path / "in"
    inputs.mkdir()
    for f in sorted(examples.iterdir())[:2]:
        shutil.copy(f, inputs / f.name)
    api.read([inputs], store=tmp_path / "a.duckdb", parts=str(parts), link=False, batch_size=1)
    good = committed(parts)
    assert len(good) == 2
    bad = [_bad_copy(parts, good[0], "quotes", "renamed"), _bad_copy(parts, good[0], "documents", "missing"),
           _bad_copy(parts, good[1], "documents", "extra"), _bad_copy(parts, good[1], "documents", "retyped")]
    refused = _bad_copy(parts, good[1], "documents", "twice")
    with caplog.at_level(logging.ERROR):
        summary = api.load(parts, store=tmp_path / "b.duckdb", link_after=False)
    assert (summary.parts, summary.loaded, summary.skipped, summary.documents) == (7, 2, 5, 2)
    for name, problem in zip(bad, ["quotes/", "documents/", "documents/", "documents/"]):
        assert f"partition {name} cannot be merged ({problem}{name}.parquet" in caplog.text
    assert f"partition {refused} cannot be merged (Constraint Error: PRIMARY KEY or UNIQUE constraint violation" in caplog.text
    assert "no column 'speaker'" in caplog.text and "unexpected column 'speaker_name'" in caplog.text
    assert "no column 'title'" in caplog.text and "unexpected column 'mood'" in caplog.text
    assert "column 'n_words' is VARCHAR, not INTEGER" in caplog.text
    with Store(tmp_path / "b.duckdb", read_only=True) as st:
        assert st.loaded_parts() == set(good) and st.count("documents") == 2
    again = api.load(parts, store=tmp_path / "b.duckdb", link_after=False)  # the bad ones are retried, and skipped
    assert (again.loaded, again.skipped, again.documents) == (0, 5, 0)
    proc = _cli("load", str(parts), "--store", str(tmp_path / "b.duckdb"), "--no-link")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert sum("cannot be merged" in line for line in proc.stderr.splitlines()) == 5, proc.stderr
    assert "5 unreadable and skipped" in proc.stdout


# --- '%' and '_' are letters ---------------------------------------------------------------------


def test_filters_match_percent_and_underscore_literally(small_store: Path) -> None:
    with Store(small_store, read_only=True) as st:
        assert [q.speaker for q in st.quotes(speaker="a%b")] == ["Ann a%b Lee"]
        assert [q.speaker for q in st.quotes(speaker="_")] == ["Bob_Ray"]
        assert [q.speaker for q in st.quotes(outlet="y_N")] == ["Ann a%b Lee"]
        assert {q.speaker for q in st.quotes(speaker="ANN A%")} == {"Ann a%b Lee"}  # still case-insensitive
        assert [p["name"] for p in st.people("a%b")] == ["Ann a%b Lee"]
        assert [s.speaker for s in st.statements(speaker="n_a")] == []
        assert [s.speaker for s in st.statements(speaker="Bob_")] == ["Bob_Ray"]
    proc = _cli("quotes", "--store", str(small_store), "--speaker", "a%b", "--jsonl")
    assert proc.returncode == 0 and [line.count("a%b") for line in proc.stdout.splitlines()] == [2], proc.stdout
    proc = _cli("quotes", "--store", str(small_store), "--speaker", "_", "--jsonl")
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) == 1 and "Bob_Ray" in proc.stdout
