"""Partitioned Parquet: what a worker writes so that the store can be filled later, elsewhere, or again.

With ``--parts DIR`` each batch becomes one partition, ``DIR/<table>/part-<key>.parquet`` for
every per-document table (documents, sections, sentences, entities, quotes, events) plus the
batch's failures and copies. The key is a hash of what the batch holds, so a rerun of the same
batch writes the same files. Every file is written under a temporary name and renamed; the
``documents`` file is renamed last and is the partition's commit mark: a partition without it
is unfinished and never loaded. ``load`` merges committed partitions into a store, remembering
each one it merged, so loading twice (or after a crash) adds nothing.

The workers must see ``DIR`` (a local disk for ``--jobs`` and a LocalCluster, a shared file
system on a cluster); the driver only passes partition names around.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .records import Document, Failure, LoadSummary
from .store import Store, copy_key

logger = logging.getLogger(__name__)

#: the tables a partition holds; ``documents`` comes last because its file commits the partition
PART_TABLES = ("sections", "sentences", "entities", "quotes", "events", "failures", "copies", "documents")


@dataclass(frozen=True, slots=True)
class Part:
    """What a worker hands back for a partition it wrote: its name and the batch's failures."""

    name: str
    n_documents: int
    failures: tuple[Failure, ...]


def part_name(article_ids: Iterable[str], failures: Iterable[Failure], copy_keys: Iterable[str]) -> str:
    """A name derived from the batch's content: the same inputs give the same partition."""
    h = hashlib.sha256()
    for group in (sorted(article_ids), sorted(f"{f.source}\x00{f.code}" for f in failures), sorted(copy_keys)):
        h.update("\x01".join(group).encode("utf-8", "surrogatepass") + b"\x02")
    return "part-" + h.hexdigest()[:20]


def write_part(directory: str | Path, documents: Sequence[Document], failures: Sequence[Failure],
               copies: Sequence[dict[str, Any]]) -> Part:
    """Write one batch's records as a committed partition (through an in-memory store, so the
    columns are exactly the store's)."""
    root = Path(directory)
    name = part_name([d.article_id for d in documents], failures, [copy_key(c) for c in copies])
    with Store(":memory:") as mem:
        mem.write(documents, failures)
        mem.add_copies(copies)
        for table in PART_TABLES:
            target = root / table / f"{name}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{name}.{os.getpid()}.tmp")
            path_sql = str(tmp).replace("'", "''")
            mem.con.execute(f"COPY {table} TO '{path_sql}' (FORMAT parquet)")
            os.replace(tmp, target)  # atomic: a reader sees the whole file or none
    return Part(name, len(documents), tuple(failures))


def committed(directory: str | Path) -> list[str]:
    """Names of the partitions under ``directory`` that were written to the end."""
    docs = Path(directory) / "documents"
    if not docs.is_dir():
        return []
    return sorted(p.stem for p in docs.glob("part-*.parquet"))


def load(store: Store, directory: str | Path, progress: Callable[[int], None] | None = None) -> LoadSummary:
    """Merge every committed partition not merged before into ``store``; one transaction each."""
    import time

    started = time.perf_counter()
    names = committed(directory)
    done = store.loaded_parts()
    todo = [n for n in names if n not in done]
    documents = words = 0
    for name in todo:
        added, n_words = store.load_part(directory, name)
        documents += len(added)
        words += n_words
        if progress is not None:
            progress(1)
    logger.info("%s: merged %d of %d partitions (%d new documents)", directory, len(todo), len(names), documents)
    return LoadSummary(parts=len(names), loaded=len(todo), documents=documents, words=words,
                       seconds=time.perf_counter() - started)
