"""Write store tables to JSONL, Parquet or CSV with DuckDB's own writers (no rows through Python)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from .errors import ConfigError
from .store import TABLES, Store

logger = logging.getLogger(__name__)

FORMATS = {"jsonl": "(FORMAT json)", "parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER true)"}
#: GDELT 1.0 event-table columns we can fill (tab-separated, one row per actor × recipient pair as
#: dyadic CAMEO coders emit); GLOBALEVENTID is the row number of this export, IsRootEvent says whether
#: the event is in the lead paragraph, GoldsteinScale carries the PLOVER score (scaled to match).
GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1Type1Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code", "IsRootEvent", "EventCode",
    "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "SOURCEURL",
    "PLOVER_Event", "PLOVER_Mode", "Modality", "ClaimedBy", "Trigger", "TriggerStart", "TriggerEnd", "ArticleId",
)


#: a stable row order per table (per-document tables: document, then index)
_ORDER = {"documents": "article_id", "failures": "source, code", "copies": "copy_key", "speakers": "speaker_id",
          "statements": "statement_id", "statement_variants": 'statement_id, article_id, "index"'}


def export(store: Store, out_dir: str | Path, fmt: str = "jsonl", tables: tuple[str, ...] = TABLES) -> list[Path]:
    """One file per table, ``OUT_DIR/<table>.<fmt>``; returns the paths written."""
    if fmt == "gdelt":
        return [export_gdelt(store, out_dir)]
    if fmt not in FORMATS:
        raise ConfigError("E204", fmt=fmt, formats=", ".join([*FORMATS, "gdelt"]))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        if table not in TABLES:
            raise ConfigError("E203", table=table, tables=", ".join(TABLES))
        target = out / f"{table}.{fmt}"
        path_sql = str(target).replace("'", "''")
        order = _ORDER.get(table, 'article_id, "index"')
        store.con.execute(f"COPY (SELECT * FROM {table} ORDER BY {order}) TO '{path_sql}' {FORMATS[fmt]}")
        logger.info("wrote %s", target)
        written.append(target)
    return written


def _code(a: dict | None) -> str:
    return ((a or {}).get("country") or "") + ((a or {}).get("sector") or "") if a else ""


def _lead_end(store: Store, article_id: str) -> int:
    """Where the first body paragraph of a document ends (after a title line, if any)."""
    row = store.con.execute(
        "SELECT s.start_char, s.end_char, d.text FROM sections s JOIN documents d USING (article_id) "
        "WHERE s.article_id = ? AND s.kind = 'body' ORDER BY s.\"index\" LIMIT 1", [article_id]
    ).fetchone()
    if row is None:
        return 0
    start, end, text = row
    paragraphs = [m.end() for m in re.finditer(r"\S[^\n]*(?:\n(?!\s*\n)[^\n]*)*", text[start:end])][:2]
    if not paragraphs:
        return end
    # a first "paragraph" without a full stop is a title: the lead is the one after it
    first = text[start : start + paragraphs[0]]
    return start + (paragraphs[1] if len(paragraphs) > 1 and not re.search(r"[.!?]", first) else paragraphs[0])


def export_gdelt(store: Store, out_dir: str | Path) -> Path:
    """The events as GDELT-style CAMEO rows, ``OUT_DIR/events.gdelt.tsv``; events with no CAMEO code are left out."""
    import csv

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "events.gdelt.tsv"
    cur = store.con.execute(
        'SELECT e.*, d.date, d.url FROM events e JOIN documents d USING (article_id) '
        'WHERE e.cameo IS NOT NULL ORDER BY d.added_at, e.article_id, e."index"'
    )
    names = [c[0] for c in cur.description]
    n = 0
    lead_ends: dict[str, int] = {}
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(GDELT_COLUMNS)
        for values in cur.fetchall():
            r = dict(zip(names, values))
            date = (r["date"] or "")[:10].replace("-", "")
            cameo = r["cameo"] if len(r["cameo"]) >= 3 else r["cameo"] + "0"  # CAMEO root "19" is event code "190"
            if r["article_id"] not in lead_ends:
                lead_ends[r["article_id"]] = _lead_end(store, r["article_id"])
            root = int(r["sentence_start"] < lead_ends[r["article_id"]])  # GDELT: in the lead paragraph
            for a in r["actors"] or [None]:
                for b in r["recipients"] or [None]:
                    n += 1
                    writer.writerow([
                        n, date, _code(a), (a or {}).get("name") or "",
                        (a or {}).get("country") or "", (a or {}).get("sector") or "", _code(b), (b or {}).get("name") or "",
                        (b or {}).get("country") or "", (b or {}).get("sector") or "", root, cameo, cameo[:3], cameo[:2],
                        r["quad"], r["score"], r["url"] or "", r["event"], r["mode"] or "", r["modality"],
                        r["claimed_by"] or "", r["trigger"], r["trigger_start"], r["trigger_end"], r["article_id"],
                    ])
    logger.info("wrote %s (%d rows)", target, n)
    return target
