"""The Python API: what the CLI calls, and what notebooks and other programs call directly."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from backchannel.crossdoc.identities import resolve_people
from backchannel.crossdoc.statements import group_statements
from backchannel.errors import ConfigError, TooLargeError
from backchannel.evaluation.entities import scorable, score_actor_phrases, sentence_of
from backchannel.evaluation.events import (
    detect_event_format,
    load_event_gold,
    score_seed_events,
    score_sentence_events,
)
from backchannel.evaluation.quotes import load_gold, read_gold_lines, score_quotes
from backchannel.evaluation.splits import Part, select
from backchannel.evaluation.statements import load_statement_gold, score_statements
from backchannel.execution.runner import ProgressCallback, run
from backchannel.inputs.clean import clean
from backchannel.nlp.parse import parse_texts, pipeline_for
from backchannel.pipeline.document import analyze
from backchannel.records import DocEntity, Document, Event, LinkSummary, LoadSummary, Quote, RawInput, RunSummary
from backchannel.settings import Settings, load_settings
from backchannel.storage.export import export as _export
from backchannel.storage.parts import load as _load
from backchannel.storage.store import Store


def open_store(path: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open the DuckDB store (default ``./backchannel.duckdb``), creating it if needed; read-only
    never creates it and takes no write lock, so queries run beside each other and on read-only files."""
    return Store(path or load_settings().store, read_only=read_only)


def read(
    paths: str | Path | Iterable[str | Path],
    *,
    store: str | Path | None = None,
    jsonl: IO[str] | None = None,
    settings: Settings | None = None,
    progress: ProgressCallback | None = None,
    **options: Any,
) -> RunSummary:
    """Read files, directories, JSONL, WARC or ``-`` (stdin) into the store.

    Args:
        paths: inputs; directories are read recursively.
        store: DuckDB file (default from settings, ``backchannel.duckdb``).
        jsonl: also write one JSON object per document here.
        settings: pipeline settings; ``options`` override single fields (``batch_size=16``).
        progress: called with (inputs done, words parsed) after each batch.

    Returns:
        A ``RunSummary``; ``summary.ok`` is False if any input failed.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if options.get("scheduler") and not options.get("engine"):
        options["engine"] = "dask"  # a scheduler address means the Dask engine, as on the command line
    settings = (settings or load_settings()).replace(**options)
    if store is not None:
        settings = settings.replace(store=str(store))
    with Store(settings.store) as st:
        summary = run([str(p) for p in paths], settings, store=st, jsonl=jsonl, progress=progress)
        if settings.link and st.needs_link():
            link(st)
        return summary


def load(parts: str | Path | Sequence[str | Path], *, store: str | Path | None = None, link_after: bool = True,
         progress: Callable[[int], None] | None = None,
         on_folder: Callable[[str, LoadSummary], None] | None = None) -> LoadSummary:
    """Merge the Parquet partitions runs wrote with ``--parts`` (one folder, or several: one per
    run or cluster) into the store; partitions merged before are skipped, so loading again adds
    nothing. Every folder is checked before anything is merged, so a typo merges nothing.
    ``on_folder`` hears each folder's own summary; the one returned adds them up."""


    folders = [parts] if isinstance(parts, (str, Path)) else list(parts)
    missing = [str(f) for f in folders if not Path(f, "documents").is_dir()]
    if missing or not folders:
        raise ConfigError("E308", path=missing[0] if missing else "(no folder given)")
    total = LoadSummary(parts=0, loaded=0, documents=0, words=0, seconds=0.0)
    with open_store(store, read_only=False) as st:
        for folder in folders:
            done = _load(st, folder, progress)
            if on_folder is not None:
                on_folder(str(folder), done)
            total = replace(total, **{k: getattr(total, k) + getattr(done, k)
                                      for k in ("parts", "loaded", "documents", "words", "seconds", "skipped")})
        if link_after and st.needs_link():
            link(st)
    return total


def link(store: "Store | str | Path | None" = None) -> LinkSummary:
    """Speakers and statements across every stored document, recomputed whole (a rerun changes
    nothing): the same person under several names is one speaker, and the reports of one
    utterance are one statement with its variants."""

    if not isinstance(store, Store):
        with open_store(store, read_only=False) as st:
            return link(st)
    refs = list(store.quote_refs())
    speaker_of, people = resolve_people(refs)
    statements = group_statements(refs, speaker_of)
    store.replace_links(people, statements)
    return LinkSummary(quotes=len(refs), speakers=len(people), statements=len(statements),
                       reported_more_than_once=sum(1 for s in statements if len(s.variants) > 1))


def read_text(
    text: str,
    *,
    format: str = "txt",
    source: str = "<text>",
    settings: Settings | None = None,
    **meta: str,
) -> Document:
    """Process one text or HTML string in memory (no store); raises ``InputError`` if it cannot be read."""
    settings = settings or load_settings()
    raw = RawInput(source=source, data=text, format=format, meta=dict(meta))  # type: ignore[arg-type]
    cleaned = clean(raw, settings)
    if len(cleaned.text) > settings.max_bytes:
        raise TooLargeError("E104", path=source, size_mb=len(cleaned.text) / 2**20, limit_mb=settings.max_mb)
    return analyze(cleaned, next(parse_texts(pipeline_for(settings), [cleaned.text])), settings)  # long texts in chunks


def export(
    fmt: str = "jsonl", out_dir: str | Path = "export", *, store: str | Path | None = None, tables: tuple[str, ...] | None = None
) -> list[Path]:
    """Export store tables to ``out_dir`` as jsonl, parquet or csv (the store opened read-only: exporting writes nothing to it)."""
    with open_store(store, read_only=True) as st:
        return _export(st, out_dir, fmt, tables) if tables else _export(st, out_dir, fmt)


def entities(store: "Store | str | Path | None" = None, *, type: str | None = None, country: str | None = None,
             article_id: str | None = None, limit: int | None = None) -> list[DocEntity]:
    """The stored document entities — who or what each document talks about, with every mention's
    offsets — in reading order; ``type`` (person, organisation, outlet, place, country) and
    ``country`` (ISO alpha-3, any case) filter them. A path is opened read-only."""

    if not isinstance(store, Store):
        with open_store(store, read_only=True) as st:
            return entities(st, type=type, country=country, article_id=article_id, limit=limit)
    return store.doc_entities(article_id=article_id, type=type, country=country, limit=limit)


def extract_quotes(text: str, *, source: str = "<text>", settings: Settings | None = None) -> list[Quote]:
    """Quotes of one plain text (body and comment sections found as in ``read``)."""
    return list(read_text(text, source=source, settings=settings).quotes)


def evaluate_quotes(gold: str | Path, *, texts: str | Path | None = None, limit: int | None = None,
                    part: Part | None = None) -> dict[str, Any]:
    """Run the pipeline on each gold document's text and score it (see ``backchannel.evaluate``);
    ``part`` keeps one half of the set (``backchannel.evaluation.splits``)."""

    gold_docs = [dict(d) for d in select(load_gold(gold), part)]
    gold_docs = gold_docs[:limit] if limit else gold_docs
    base = Path(texts) if texts else Path(gold).resolve().parent.parent
    settings = load_settings()
    predictions: dict[str, list[Quote]] = {}
    for item in gold_docs:
        if "text" in item:
            text = item["text"]
        else:
            text = (base / item["file"]).read_text(encoding="utf-8")
        raw = RawInput(source=str(item["id"]), data=text, format="txt")
        cleaned = clean(raw, settings.replace(languages=("en",), min_langid_chars=10**9))
        predictions[item["id"]] = list(analyze(cleaned, pipeline_for(settings)(cleaned.text), settings.replace(events=False)).quotes)
    return score_quotes(gold_docs, predictions)


def extract_events(text: str, *, source: str = "<text>", date: str | None = None, settings: Settings | None = None) -> list[Event]:
    """PLOVER events of one plain text; ``date`` (ISO) dates office holders ("the President") and historical events."""
    meta = {"date": date} if date else {}
    settings = (settings or load_settings()).replace(events=True)  # asked for events: a settings file cannot turn them off
    return list(read_text(text, source=source, settings=settings, **meta).events)


def evaluate_events(gold: str | Path, *, texts: str | Path | None = None, split: str | None = None,
                    part: Part | None = None) -> dict[str, Any]:
    """Run the pipeline on each gold document or sentence and score its events (see ``backchannel.evaluate_events``);
    ``split`` keeps the lines whose ``split`` field says so, ``part`` one half of the set."""

    items = [dict(i) for i in select(load_event_gold(gold, split), part)]
    if not items:
        return score_sentence_events([], {})
    base = Path(texts) if texts else Path(gold).resolve().parent.parent
    sentences = [{"id": str(i["id"]), "date": i.get("date"),
                  "text": i["text"] if "text" in i else (base / i["file"]).read_text(encoding="utf-8")} for i in items]
    predictions = _events_of(sentences)
    fmt = detect_event_format(items[0])
    if fmt == "seed":
        return score_seed_events(items, predictions)
    return score_sentence_events(items, predictions)


def evaluate_actor_phrases(cases: str | Path, *, part: Part | None = None) -> dict[str, Any]:
    """Code each actor phrase (NGEC format) as the actor of one dated event sentence and score its
    country and sector (see ``backchannel.evaluation.entities``)."""

    items = [dict(c) for c in select((c for _, c in read_gold_lines(cases)), part) if scorable(c)]
    sentences = []
    for case in items:
        text, date = sentence_of(case)
        sentences.append({"id": case["id"], "text": text, "date": date})
    return score_actor_phrases(items, _events_of(sentences))


def _events_of(items: Sequence[dict[str, Any]]) -> dict[str, list[Event]]:
    """Events of sentences given as ``{"id", "text", "date"}``, parsed in one batch."""
    settings = load_settings().replace(languages=("en",), min_langid_chars=10**9, events=True)
    cleaned = [clean(RawInput(source=str(i["id"]), data=i["text"], format="txt",
                              meta={"date": str(i["date"])} if i.get("date") else {}), settings) for i in items]
    docs = pipeline_for(settings).pipe(c.text for c in cleaned)
    return {c.source: list(analyze(c, doc, settings).events) for c, doc in zip(cleaned, docs)}


def evaluate_statements(gold: str | Path, articles: str | Path) -> dict[str, Any]:
    """Read ``articles`` into a temporary store, link it and score its statements against ``gold``
    (see ``backchannel.evaluate_statements``): all gold members, direct and mixed ones, direct ones."""


    groups = load_statement_gold(gold)
    settings = load_settings().replace(languages=("en",), link=True)
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "eval.duckdb") as st:
            run([str(articles)], settings, store=st)
            link(st)
            return {"all": score_statements(groups, st), "direct+mixed": score_statements(groups, st, ("direct", "mixed")),
                    "direct": score_statements(groups, st, ("direct",))}
