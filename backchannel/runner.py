"""Per-document orchestration: the one function that local, multiprocessing and Dask runs call.

``process`` turns a batch of ``RawInput`` into ``Document`` or ``Failure`` records and does no
I/O, so any engine can call it (``engines.py``: this process, a local process pool, a Dask
cluster); ``run`` is the driver that streams inputs, skips what the store already holds, hands
batches to the engine, writes each result batch in one transaction and reports progress.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from .clean import clean
from .errors import BackchannelError, InputError
from .ingest import article_id, iter_inputs
from .parse import analyze_capped, parse_texts, pipeline_for
from .records import Cleaned, Document, Failure, RawInput, RunSummary
from .settings import Settings
from .store import Store, copy_key
from .terminal import safe_json

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .parts import Part

logger = logging.getLogger(__name__)

T = TypeVar("T")
ProgressCallback = Callable[[int, int], None]


def process(raws: Sequence[RawInput], settings: Settings) -> list[Document | Failure]:
    """Clean, parse and analyse a batch; every input yields a Document or a Failure (plus warnings)."""
    out: list[Document | Failure] = []
    ready: list[Cleaned] = []
    for raw in raws:
        try:
            cleaned = clean(raw, settings)
        except InputError as exc:
            out.append(Failure(raw.source, exc.code, str(exc), exc.severity))
            continue
        except Exception as exc:  # a bug must cost one article, not the run
            logger.debug("unexpected error cleaning %s", raw.source, exc_info=True)
            out.append(_unexpected(raw.source, exc))
            continue
        out.extend(Failure(raw.source, code, msg, "warning", cleaned.article_id) for code, msg in cleaned.warnings)
        ready.append(cleaned)
    nlp = pipeline_for(settings)
    done = 0
    try:
        # Stream: each Doc is reduced to records as soon as it is parsed, so memory holds
        # one nlp batch (of articles, or of a long article's chunks), not the whole store batch.
        for cleaned, doc in zip(ready, parse_texts(nlp, (c.text for c in ready), batch_size=settings.nlp_batch_size)):
            out.extend(_analyzed(cleaned, doc, settings))
            done += 1
    except Exception:
        # Isolate the article that broke the batch; the others still go through.
        for cleaned in ready[done:]:
            try:
                out.extend(_analyzed(cleaned, next(parse_texts(nlp, [cleaned.text])), settings))
            except Exception as exc:
                logger.debug("unexpected error parsing %s", cleaned.source, exc_info=True)
                out.append(_unexpected(cleaned.source, exc, cleaned.article_id))
    return out


def _analyzed(cleaned: Cleaned, doc: "Doc", settings: Settings) -> list[Document | Failure]:
    """The document, then its warnings (quotes or events over the per-document cap)."""
    document, warnings = analyze_capped(cleaned, doc, settings)
    return [document, *warnings]


@dataclass(slots=True)
class PartTask:
    """A batch for a worker that writes its own partition: the texts to parse, and what the
    driver found while reading them (failures, copies), so the partition is the whole batch."""

    raws: list[RawInput]
    failures: list[Failure]
    copies: list[tuple[str, dict[str, str | None]]]
    known: set[str]
    #: (first source, duplicate source) for inputs whose bytes an earlier input carried
    duplicates: list[tuple[str, str]] = field(default_factory=list)


def process_part(task: PartTask, settings: Settings) -> "Part":
    """``process``, then the batch written to ``settings.parts`` as one committed partition."""
    from .parts import Part, salt, write_part

    if not (task.raws or task.failures or task.copies):
        return Part("", 0, ())  # nothing new: no partition
    results = process(task.raws, settings)
    documents = [r for r in results if isinstance(r, Document)]
    failures = task.failures + [r for r in results if isinstance(r, Failure)]
    failures += _echoes(task.duplicates, failures)
    stored = task.known | {d.article_id for d in documents}
    copies = [row for aid, row in task.copies if aid in stored]
    return write_part(settings.parts, documents, failures, copies, salt(settings))  # type: ignore[arg-type]


def _echoes(duplicates: Sequence[tuple[str, str]], failures: Sequence[Failure]) -> list[Failure]:
    """Each duplicate of a failed input fails too, under its own name: only the first copy of
    the bytes was processed, and a bad input is never 'already stored'."""
    errors = {f.source: f for f in failures if f.severity == "error"}
    return [Failure(dup, f.code, f.message.replace(first, dup, 1), f.severity, f.article_id)
            for first, dup in duplicates if (f := errors.get(first)) is not None]


def _unexpected(source: str, exc: Exception, aid: str | None = None) -> Failure:
    err = InputError("E114", path=source, detail=f"{type(exc).__name__}: {exc}"[:200])
    return Failure(source, err.code, str(err), "error", aid)


def _write(store: Store, documents: list[Document], failures: list[Failure]) -> list[Document]:
    """Write a batch in one transaction; if that fails, write document by document so that one
    unwritable record becomes a failure instead of costing the batch (or the run)."""
    try:
        store.write(documents, failures)
        return documents
    except BackchannelError:
        raise
    except Exception:
        logger.debug("batch write failed; retrying one document at a time", exc_info=True)
    store.write([], failures)
    written = []
    for doc in documents:
        try:
            store.write([doc])
            written.append(doc)
        except Exception as exc:
            failure = _unexpected(doc.source, exc, doc.article_id)
            store.write([], [failure])
            failures.append(failure)
    return written


def _copy_row(aid: str, raw: RawInput) -> dict[str, str | None]:
    """One input that carried a stored text: the wire story and each outlet that reprinted it."""
    from .dates import publication_date

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

    def note(failure: Failure) -> None:
        logger.log(logging.WARNING if failure.severity == "warning" else logging.ERROR, "%s", failure.message)
        if failure.severity == "error":
            tally.failed += 1
        else:
            tally.warnings += 1
        if len(failures) < keep_failures:
            failures.append(failure)

    def prepared() -> Iterator[tuple[_Batch, Any]]:
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

    recovered = 0
    if settings.parts and store is not None:
        from .parts import load, salt, sweep

        sweep(settings.parts)
        # partitions a killed run finished but did not merge
        recovered = load(store, settings.parts, salt=salt(settings)).documents

    from .engines import mapper

    with mapper(settings) as run_batches:
        for item, results in run_batches(prepared()):
            batch, known = item.inputs, item.known
            if settings.parts:
                part: Part = results
                batch_failures = list(part.failures)
                echoes = _echoes(item.duplicates, batch_failures)  # the worker wrote them with its partition
                added, words = store.load_part(settings.parts, part.name) if store is not None and part.name else ([], 0)
                # stored since this batch was checked: another batch in flight carried the same text
                known = known | ((set(store.known_ids([c[0] for c in item.copies])) - set(added)) if store else set())
                documents: list[Document] = []
                added_ids = added
            else:
                batch_failures = item.failures
                documents = [r for r in results if isinstance(r, Document)]
                batch_failures.extend(r for r in results if isinstance(r, Failure))
                echoes = _echoes(item.duplicates, batch_failures)
                batch_failures.extend(echoes)
                if store is not None:
                    # a text also in a batch still in flight when this one was checked is stored by now
                    late = store.known_ids([d.article_id for d in documents]) if documents else set()
                    documents = _write(store, [d for d in documents if d.article_id not in late], batch_failures)
                    known = known | late
                    stored = known | {d.article_id for d in documents}
                    store.add_copies([_copy_row(aid, raw) for aid, raw in item.copies if aid in stored])
                added_ids = [d.article_id for d in documents]
                words = sum(d.n_words for d in documents)
            for failure in batch_failures:
                note(failure)
            tally.added += part.n_documents if settings.parts and store is None else len(added_ids)
            tally.unchanged += len(batch) - item.n_distinct - sum(1 for i in batch if isinstance(i, Failure)) + len(known) - len(echoes)
            tally.words += words
            if jsonl is not None:
                for doc in documents:
                    jsonl.write(safe_json(doc.to_dict()) + "\n")  # it may be the terminal (--jsonl -)
                wanted = (known | set(added_ids)) if settings.parts else known
                for aid in [a for a in dict.fromkeys(aid for aid, _ in item.copies) if a in wanted]:
                    stored_doc = store.document(aid) if store is not None else None
                    if stored_doc is not None:
                        jsonl.write(safe_json(stored_doc.to_dict()) + "\n")
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
