"""Partitioned Parquet: what a worker writes so that the store can be filled later, elsewhere, or again.

With ``--parts DIR`` each batch becomes one partition, ``DIR/<table>/part-<key>.parquet`` for
every per-document table (documents, sections, sentences, entities, quotes, events,
doc_entities) plus the batch's failures and copies. The key hashes what the batch holds and what made its records
(version, settings), so a batch already committed is not written again. Every file is written
under a temporary name and renamed; the ``documents`` file is renamed last and is the
partition's commit mark: a partition without it is unfinished and never loaded. ``load``
merges committed partitions into a store, oldest first, remembering each one it merged, so
loading twice (or after a crash) adds nothing; a damaged one, or one whose columns are not the
store's, is reported and skipped. A partition written before schema 4 (no ``doc_entities`` file,
no entity columns in ``events``) is merged as such: its documents have no document entities.

The workers must see ``DIR`` (a local disk for ``--jobs`` and a LocalCluster, a shared file
system on a cluster); the driver only passes partition names around.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from backchannel.errors import StoreError, detail
from backchannel.records import Document, Failure, LoadSummary
from backchannel.settings import VERSION, Settings
from backchannel.storage.store import PARTITION_TABLES, V4_COLUMNS, V4_TABLE, Store, copy_key, table_columns, write_batch

logger = logging.getLogger(__name__)



@dataclass(frozen=True, slots=True)
class Part:
    """What a worker hands back for a partition it wrote: its name and the batch's failures."""

    name: str
    n_documents: int
    failures: tuple[Failure, ...]


def part_name(article_ids: Iterable[str], failures: Iterable[Failure], copy_keys: Iterable[str], salt: str = "") -> str:
    """A name derived from the batch's content and from what made its records (``salt``: the
    version and the settings that change them), so the same inputs under the same code give the
    same partition and different code a new one."""
    h = hashlib.sha256()
    for group in (sorted(article_ids), sorted(f"{f.source}\x00{f.code}" for f in failures), sorted(copy_keys)):
        h.update("\x01".join(group).encode("utf-8", "surrogatepass") + b"\x02")
    return f"part-{maker(salt)}-{h.hexdigest()[:20]}"


def maker(salt: str) -> str:
    """The part of a partition's name that says what made it, so a run merges only its own kind."""
    return hashlib.sha256(salt.encode("utf-8")).hexdigest()[:8]


def _maker_of(name: str) -> str | None:
    """``maker`` read back from a name (None for names from before makers were added)."""
    fields = name.split("-")
    return fields[1] if len(fields) == 3 else None


def readable(directory: str | Path, name: str) -> str | None:
    """None if every file of the partition opens as Parquet and holds its table's columns with
    the store's types, else what is wrong (cheap: footers only). Merging by name would otherwise
    fill a missing or renamed column with NULLs, or fail the whole load on an extra one."""

    before_v4 = False
    with duckdb.connect(":memory:") as con:
        for table in ("events", *(t for t in PARTITION_TABLES if t != "events")):  # events tells a pre-4 partition
            path = Path(directory) / table / f"{name}.parquet"
            if before_v4 and table == V4_TABLE and not path.exists():
                continue  # written before schema 4: its documents have no document entities
            try:
                pq.read_metadata(path)
                found = {r[0]: r[1] for r in con.execute(
                    "DESCRIBE SELECT * FROM read_parquet('" + str(path).replace("'", "''") + "')").fetchall()}
            except (OSError, ValueError, pa.ArrowException, duckdb.Error) as exc:
                return f"{table}/{path.name}: {detail(exc)}"
            expected = table_columns()[table]
            if table == "events" and not any(c in found for c in V4_COLUMNS["events"]):
                before_v4 = True
            if before_v4 and table in V4_COLUMNS:  # a partition written before schema 4 lacks its columns
                expected = {c: kind for c, kind in expected.items() if c not in V4_COLUMNS[table]}
            problem = _schema_problem(found, expected)
            if problem is not None:
                return f"{table}/{path.name}: {problem}"
    return None


def _schema_problem(found: dict[str, str], expected: dict[str, str]) -> str | None:
    """How a file's columns differ from its table's, in words (None if they do not)."""
    problems = [*(f"no column '{c}'" for c in expected if c not in found),
                *(f"unexpected column '{c}'" for c in found if c not in expected),
                *(f"column '{c}' is {found[c]}, not {kind}" for c, kind in expected.items() if found.get(c, kind) != kind)]
    return ", ".join(problems)[:200] or None


def salt(settings: Settings) -> str:
    """What besides the inputs decides a partition's records: the version and the settings that
    change what is extracted (the actor file by its content)."""

    actors = ""
    if settings.actors:
        try:
            actors = hashlib.sha256(Path(settings.actors).read_bytes()).hexdigest()
        except OSError:
            actors = settings.actors
    return "|".join(map(str, (VERSION, settings.model, settings.events, settings.languages,
                              settings.min_langid_chars, settings.max_mb, settings.max_quotes, settings.max_events,
                              actors)))


def write_part(directory: str | Path, documents: Sequence[Document], failures: Sequence[Failure],
               copies: Sequence[dict[str, Any]], salt: str = "") -> Part:
    """Write one batch's records as a committed partition (through an in-memory store, so the
    columns are exactly the store's). A partition already committed under this name holds these
    very records and is left as it is."""


    root = Path(directory)
    name = part_name([d.article_id for d in documents], failures, [copy_key(c) for c in copies], salt)
    failures = list(failures)
    if (root / "documents" / f"{name}.parquet").exists() and readable(root, name) is None:
        return Part(name, len(documents), tuple(failures))  # a damaged one is written again
    try:
        with Store(":memory:") as mem:
            # one unwritable record becomes that document's E114 failure, as in a local run
            written = write_batch(mem, list(documents), failures)
            lost = {d.article_id for d in documents} - {d.article_id for d in written}
            mem.add_copies([c for c in copies if c["article_id"] not in lost])
            for table in PARTITION_TABLES:
                target = root / table / f"{name}.parquet"
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".{name}.{uuid.uuid4().hex}.tmp")  # unique across threads and hosts
                path_sql = str(tmp).replace("'", "''")
                mem.con.execute(f"COPY {table} TO '{path_sql}' (FORMAT parquet)")
                with open(tmp, "rb") as fh:  # on disk before it is named: a crash must not commit an empty file
                    os.fsync(fh.fileno())
                os.replace(tmp, target)  # atomic: a reader sees the whole file or none
    except (OSError, duckdb.Error) as exc:
        raise StoreError("E206", path=str(root), detail=f"{type(exc).__name__}: {exc}".splitlines()[0][:200]) from exc
    return Part(name, len(written), tuple(failures))


def sweep(directory: str | Path, older_than: float = 3600.0) -> int:
    """Remove the half-written files (``.part-*.tmp``) a killed worker left. Only old ones: a
    worker elsewhere may be writing into the same folder right now, and a file takes seconds."""
    now = time.time()
    removed = 0
    for tmp in Path(directory).glob("*/.part-*.tmp"):
        try:
            if now - tmp.stat().st_mtime > older_than:
                tmp.unlink()
                removed += 1
        except OSError:  # gone already, or not ours to remove
            continue
    if removed:
        logger.info("%s: removed %d half-written partition files an interrupted run left", directory, removed)
    return removed


def committed(directory: str | Path) -> list[str]:
    """Names of the partitions under ``directory`` that were written to the end, oldest first
    (the order they were committed, so a load repeats the run's order of failures and fixes)."""
    docs = Path(directory) / "documents"
    if not docs.is_dir():
        return []
    found = []
    for p in docs.glob("part-*.parquet"):
        try:
            found.append((p.stat().st_mtime_ns, p.stem))
        except OSError:  # removed while listing
            continue
    return [name for _, name in sorted(found)]


def load(store: Store, directory: str | Path, progress: Callable[[int], None] | None = None,
         salt: str | None = None) -> LoadSummary:
    """Merge every committed partition not merged before into ``store``; one transaction each.
    A partition whose files cannot be read is reported (E205) and skipped, so one bad file does
    not block the rest. With ``salt`` (a run resuming) only partitions made the same way are
    merged: a store must not be filled with records another version or other settings made."""
    started = time.perf_counter()
    names = committed(directory)
    if salt is not None:
        mine = maker(salt)
        other = [n for n in names if _maker_of(n) != mine]
        if other:
            logger.warning("%s: %d partitions were made by another version or other settings and are not merged "
                           "into this run's store; 'backchannel load' merges them on purpose", directory, len(other))
        names = [n for n in names if _maker_of(n) == mine]
    elif len({_maker_of(n) for n in names} - {None}) > 1:
        logger.warning("%s: the partitions were made by more than one version or setting; all are merged", directory)
    done = store.loaded_parts()
    todo = [n for n in names if n not in done]
    documents = words = skipped = 0
    for name in todo:
        if progress is not None:
            progress(1)
        problem = readable(directory, name)
        if problem is not None:
            logger.error("%s", StoreError("E205", path=str(directory), name=name, detail=problem))
            skipped += 1
            continue
        try:
            added, n_words = store.load_part(directory, name)
        except StoreError as exc:
            if exc.code != "E207":  # the store failed (full, locked …), not this partition: stop
                raise
            logger.error("%s", StoreError("E205", path=str(directory), name=name, detail=exc.fields["detail"]))
            skipped += 1
            continue
        documents += len(added)
        words += n_words
    logger.info("%s: merged %d of %d partitions (%d new documents)", directory, len(todo) - skipped, len(names), documents)
    return LoadSummary(parts=len(names), loaded=len(todo) - skipped, documents=documents, words=words,
                       seconds=time.perf_counter() - started, skipped=skipped)
