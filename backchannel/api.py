"""The Python API: what the CLI calls, and what notebooks and other programs call directly."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from .clean import clean
from .export import export as _export
from .records import Document, RawInput, RunSummary
from .parse import analyze, load_pipeline
from .runner import ProgressCallback, run
from .settings import Settings, load_settings
from .store import Store


def open_store(path: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open (creating if needed) the DuckDB store; default ``./backchannel.duckdb``."""
    return Store(path or Settings().store, read_only=read_only)


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
    settings = (settings or load_settings()).replace(**options)
    if store is not None:
        settings = settings.replace(store=str(store))
    with Store(settings.store) as st:
        return run([str(p) for p in paths], settings, store=st, jsonl=jsonl, progress=progress)


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
    nlp = load_pipeline(settings.model)
    return analyze(cleaned, nlp(cleaned.text))


def export(
    fmt: str = "jsonl", out_dir: str | Path = "export", *, store: str | Path | None = None, tables: tuple[str, ...] | None = None
) -> list[Path]:
    """Export store tables to ``out_dir`` as jsonl, parquet or csv."""
    with open_store(store, read_only=False) as st:
        return _export(st, out_dir, fmt, tables) if tables else _export(st, out_dir, fmt)
