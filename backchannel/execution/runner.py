"""The driver of a ``read``: it streams inputs, skips what the store already holds, hands
batches to an engine (``engines``: this process, a local process pool, a Dask cluster, each
calling ``batch.process``), writes each result batch in one transaction and reports progress.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from backchannel.execution.batch import PartTask, echoes
from backchannel.execution.engines import mapper
from backchannel.inputs.dates import publication_date
from backchannel.inputs.ingest import article_id, iter_inputs
from backchannel.records import Document, Failure, RawInput, RunSummary
from backchannel.settings import Settings
from backchannel.storage.parts import Part, load, salt, sweep
from backchannel.storage.store import Store, copy_key, write_batch
from backchannel.terminal import safe_json

logger = logging.getLogger(__name__)

T = TypeVar("T")
ProgressCallback = Callable[[int, int], None]


def _copy_row(aid: str, raw: RawInput) -> dict[str, str | None]:
    """One input that carried a stored text: the wire story and each outlet that reprinted it."""
    text = raw.data[:400] if isinstance(raw.data, str) else None
    published, _ = publication_date(raw.meta.get("date"), raw.meta.get("url"), text)
    return {"article_id": aid, "source": raw.source, "external_id": raw.meta.get("id"), "title": raw.meta.get("title"),
            "url": raw.meta.get("url"), "date": published, "outlet": raw.meta.get("outlet")}


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(slots=True)
class _Tally:
    inputs: int = 0
    added: int = 0
    unchanged: int = 0
    failed: int = 0
    warnings: int = 0
    words: int = 0


@dataclass(slots=True)
class _Batch:
    """One batch of inputs on its way through an engine, with what the driver needs to write it."""

    inputs: list[RawInput | Failure]
    failures: list[Failure] = field(default_factory=list)
    copies: list[tuple[str, RawInput]] = field(default_factory=list)
    known: set[str] = field(default_factory=set)
    n_distinct: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)


def run(
    paths: Iterable[str],
    settings: Settings,
    *,
    store: Store | None = None,
    jsonl: IO[str] | None = None,
    progress: ProgressCallback | None = None,
    keep_failures: int = 1000,
) -> RunSummary:
    """Read ``paths`` into ``store`` (and/or ``jsonl``); one failed input never stops the run."""
    started = time.perf_counter()
    if settings.parts:  # workers elsewhere must write where the driver will look
        settings = settings.replace(parts=str(Path(settings.parts).expanduser().absolute()))
    tally = _Tally()
    failures: list[Failure] = []

    recovered = 0
    if settings.parts and store is not None:
        sweep(settings.parts)
        # partitions a killed run finished but did not merge
        recovered = load(store, settings.parts, salt=salt(settings)).documents

    with mapper(settings) as run_batches:
        for item, results in run_batches(_prepared(paths, settings, store, tally)):
            batch = item.inputs
            if settings.parts:
                documents, batch_failures, repeated, known, added_ids, words = _part_written(item, results, settings, store)
            else:
                documents, batch_failures, repeated, known, added_ids, words = _batch_written(item, results, store)
            for failure in batch_failures:
                _note(failure, tally, failures, keep_failures)
            tally.added += results.n_documents if settings.parts and store is None else len(added_ids)
            tally.unchanged += len(batch) - item.n_distinct - sum(1 for i in batch if isinstance(i, Failure)) + len(known) - len(repeated)
            tally.words += words
            if jsonl is not None:
                _write_jsonl(jsonl, item, documents, known, added_ids, settings, store)
            if progress is not None:
                progress(len(batch), words)
    return RunSummary(
        store=store.path if store is not None else None,
        inputs=tally.inputs,
        added=tally.added,
        unchanged=tally.unchanged,
        failed=tally.failed,
        warnings=tally.warnings,
        words=tally.words,
        seconds=time.perf_counter() - started,
        failures=tuple(failures),
        recovered=recovered,
    )


def _note(failure: Failure, tally: _Tally, failures: list[Failure], keep_failures: int) -> None:
    """One failure or warning: logged, counted, and kept for the summary (up to ``keep_failures``)."""
    logger.log(logging.WARNING if failure.severity == "warning" else logging.ERROR, "%s", failure.message)
    if failure.severity == "error":
        tally.failed += 1
    else:
        tally.warnings += 1
    if len(failures) < keep_failures:
        failures.append(failure)


def _prepared(paths: Iterable[str], settings: Settings, store: Store | None, tally: _Tally) -> Iterator[tuple[_Batch, Any]]:
    """The batches for the engine, lazily (the store is asked what it holds only as each batch is
    taken): each input counted, copies of one text sent once, texts the store holds left out."""
    for batch in batched(iter_inputs(paths, settings), settings.batch_size):
        raws: dict[str, RawInput] = {}
        item = _Batch(batch)
        for raw in batch:
            tally.inputs += 1
            if isinstance(raw, Failure):
                item.failures.append(raw)
            else:
                aid = article_id(raw.data)
                first = raws.setdefault(aid, raw)
                if first is not raw:  # processed once; if the first copy fails, so does this one
                    item.duplicates.append((first.source, raw.source))
                item.copies.append((aid, raw))
        item.n_distinct = len(raws)
        item.known = store.known_ids(list(raws)) if store is not None else set()
        todo = [raw for aid, raw in raws.items() if aid not in item.known]
        if settings.parts:
            copies = [(aid, _copy_row(aid, raw)) for aid, raw in item.copies]
            if store is not None:  # only new copies: a rerun of an unchanged corpus writes no partition
                recorded = store.known_copies([copy_key(row) for _, row in copies])
                copies = [(aid, row) for aid, row in copies if copy_key(row) not in recorded]
            yield item, PartTask(todo, item.failures, copies, item.known, item.duplicates)
        else:
            yield item, todo


def _part_written(
    item: _Batch, part: Part, settings: Settings, store: Store | None
) -> tuple[list[Document], list[Failure], list[Failure], set[str], list[str], int]:
    """A batch a worker wrote as a partition, merged into the store: (documents to print, which
    are none; failures; failures repeated for duplicates; ids already known; ids added; words)."""
    known = item.known
    batch_failures = list(part.failures)
    repeated = echoes(item.duplicates, batch_failures)  # the worker wrote them with its partition
    added, words = store.load_part(settings.parts, part.name) if store is not None and part.name else ([], 0)
    # stored since this batch was checked: another batch in flight carried the same text
    known = known | ((set(store.known_ids([c[0] for c in item.copies])) - set(added)) if store else set())
    documents: list[Document] = []
    added_ids = added
    return documents, batch_failures, repeated, known, added_ids, words


def _batch_written(
    item: _Batch, results: Any, store: Store | None
) -> tuple[list[Document], list[Failure], list[Failure], set[str], list[str], int]:
    """A batch processed for the driver, written to the store in one transaction: (documents
    written; failures; failures repeated for duplicates; ids already known; ids added; words)."""
    known = item.known
    batch_failures = item.failures
    documents = [r for r in results if isinstance(r, Document)]
    batch_failures.extend(r for r in results if isinstance(r, Failure))
    repeated = echoes(item.duplicates, batch_failures)
    batch_failures.extend(repeated)
    if store is not None:
        # a text also in a batch still in flight when this one was checked is stored by now
        late = store.known_ids([d.article_id for d in documents]) if documents else set()
        documents = write_batch(store, [d for d in documents if d.article_id not in late], batch_failures)
        known = known | late
        stored = known | {d.article_id for d in documents}
        store.add_copies([_copy_row(aid, raw) for aid, raw in item.copies if aid in stored])
    added_ids = [d.article_id for d in documents]
    words = sum(d.n_words for d in documents)
    return documents, batch_failures, repeated, known, added_ids, words


def _write_jsonl(
    jsonl: IO[str], item: _Batch, documents: list[Document], known: set[str], added_ids: list[str],
    settings: Settings, store: Store | None,
) -> None:
    """The batch's documents as JSON lines, then each stored document its copies stand for."""
    for doc in documents:
        jsonl.write(safe_json(doc.to_dict()) + "\n")  # it may be the terminal (--jsonl -)
    wanted = (known | set(added_ids)) if settings.parts else known
    for aid in [a for a in dict.fromkeys(aid for aid, _ in item.copies) if a in wanted]:
        stored_doc = store.document(aid) if store is not None else None
        if stored_doc is not None:
            jsonl.write(safe_json(stored_doc.to_dict()) + "\n")
