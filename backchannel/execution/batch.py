"""One batch of inputs to records: the function every engine calls (this process, a local
process pool, a Dask worker). It does no I/O but the partition a ``--parts`` worker writes."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from backchannel.errors import InputError
from backchannel.inputs.clean import clean
from backchannel.nlp.parse import parse_texts, pipeline_for
from backchannel.pipeline.document import analyze_capped
from backchannel.records import Cleaned, Document, Failure, RawInput
from backchannel.settings import Settings
from backchannel.storage.parts import Part, salt, write_part

if TYPE_CHECKING:
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)


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
            out.append(Failure.unexpected(raw.source, exc))
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
                out.append(Failure.unexpected(cleaned.source, exc, cleaned.article_id))
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
    if not (task.raws or task.failures or task.copies):
        return Part("", 0, ())  # nothing new: no partition
    results = process(task.raws, settings)
    documents = [r for r in results if isinstance(r, Document)]
    failures = task.failures + [r for r in results if isinstance(r, Failure)]
    failures += echoes(task.duplicates, failures)
    stored = task.known | {d.article_id for d in documents}
    copies = [row for aid, row in task.copies if aid in stored]
    return write_part(settings.parts, documents, failures, copies, salt(settings))  # type: ignore[arg-type]


def echoes(duplicates: Sequence[tuple[str, str]], failures: Sequence[Failure]) -> list[Failure]:
    """Each duplicate of a failed input fails too, under its own name: only the first copy of
    the bytes was processed, and a bad input is never 'already stored'."""
    errors = {f.source: f for f in failures if f.severity == "error"}
    return [Failure(dup, f.code, f.message.replace(first, dup, 1), f.severity, f.article_id)
            for first, dup in duplicates if (f := errors.get(first)) is not None]
