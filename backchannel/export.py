"""Write store tables to JSONL, Parquet or CSV with DuckDB's own writers (no rows through Python)."""

from __future__ import annotations

import logging
from pathlib import Path

from .errors import ConfigError
from .store import TABLES, Store

logger = logging.getLogger(__name__)

FORMATS = {"jsonl": "(FORMAT json)", "parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER true)"}


def export(store: Store, out_dir: str | Path, fmt: str = "jsonl", tables: tuple[str, ...] = TABLES) -> list[Path]:
    """One file per table, ``OUT_DIR/<table>.<fmt>``; returns the paths written."""
    if fmt not in FORMATS:
        raise ConfigError("E204", fmt=fmt, formats=", ".join(FORMATS))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        if table not in TABLES:
            raise ConfigError("E203", table=table, tables=", ".join(TABLES))
        target = out / f"{table}.{fmt}"
        order = '"index"' if table not in ("documents", "failures") else ("article_id" if table == "documents" else "source, code")
        key = "article_id, " if table not in ("documents", "failures") else ""
        path_sql = str(target).replace("'", "''")
        store.con.execute(f"COPY (SELECT * FROM {table} ORDER BY {key}{order}) TO '{path_sql}' {FORMATS[fmt]}")
        logger.info("wrote %s", target)
        written.append(target)
    return written
