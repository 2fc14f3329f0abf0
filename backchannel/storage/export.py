"""Write store tables to JSONL, Parquet or CSV with DuckDB's own writers (no rows through Python)."""

from __future__ import annotations

import csv
import logging
import re
from pathlib import Path

from backchannel.errors import ConfigError
from backchannel.storage.store import TABLES, Store, table_columns

logger = logging.getLogger(__name__)

FORMATS = {"jsonl": "(FORMAT json)", "parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER true)"}
#: OWASP's CSV-injection rule: a spreadsheet runs a cell starting with one of these as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: column types a spreadsheet reads as numbers, dates or booleans: written as they are (-3.5 stays a number)
_UNQUOTED_TYPES = re.compile(r"BOOLEAN|U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|FLOAT|DOUBLE|DECIMAL\(.*\)|DATE|TIME.*|INTERVAL")
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
          "statements": "statement_id", "statement_variants": 'statement_id, article_id, "index"',
          "doc_entities": "article_id, entity"}


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
        order = ", ".join(f"src.{col.strip()}" for col in _ORDER.get(table, 'article_id, "index"').split(","))
        source = _source(store, table)
        columns, options = _csv_columns(store, source) if fmt == "csv" else ("*", FORMATS[fmt])
        store.con.execute(f"COPY (SELECT {columns} FROM {source} AS src ORDER BY {order}) TO '{path_sql}' {options}")
        logger.info("wrote %s", target)
        written.append(target)
    return written


def _source(store: Store, table: str) -> str:
    """The table, or where an older store opened read-only lacks it (``doc_entities`` before schema 4)
    no rows with its columns, so that its file is written all the same."""
    row = store.con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                            "AND schema_name = current_schema() AND table_name = ?", [table]).fetchone()
    if row and row[0]:
        return table
    columns = ", ".join(f'CAST(NULL AS {kind}) AS "{name}"' for name, kind in table_columns()[table].items())
    return f"(SELECT {columns} WHERE false)"


def _csv_columns(store: Store, source: str) -> tuple[str, str]:
    """The select list and COPY options of a CSV safe to open in a spreadsheet (OWASP's CSV injection rule).

    A text cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading ``'`` (text that looks
    like a negative number too: it is text), and every text or nested cell is quoted, so a spreadsheet
    splitting on ``;`` cannot start a cell mid-value; number, date and boolean columns are written as they are.
    """
    starts = ", ".join(f"chr({ord(c)})" for c in FORMULA_START)
    columns: list[str] = []
    quoted: list[str] = []
    for name, kind, *_ in store.con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall():
        col = '"' + name.replace('"', '""') + '"'
        if kind == "VARCHAR":
            columns.append(f"CASE WHEN left(src.{col}, 1) IN ({starts}) THEN chr(39) || src.{col} ELSE src.{col} END AS {col}")
        else:
            columns.append(f"src.{col}")
        if not _UNQUOTED_TYPES.fullmatch(kind):
            quoted.append(col)
    force = f", FORCE_QUOTE ({', '.join(quoted)})" if quoted else ""
    return ", ".join(columns), FORMATS["csv"][:-1] + force + ")"


def neutralised(text: str) -> str:
    """Text from an article for a spreadsheet cell: a leading ``'`` where it would start a formula
    (OWASP's rule, as ``_csv_columns`` applies it in SQL); GDELT's TSV is opened in spreadsheets too."""
    return "'" + text if text.startswith(FORMULA_START) else text


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
                        n, date, _code(a), neutralised((a or {}).get("name") or ""),
                        (a or {}).get("country") or "", (a or {}).get("sector") or "", _code(b),
                        neutralised((b or {}).get("name") or ""),
                        (b or {}).get("country") or "", (b or {}).get("sector") or "", root, cameo, cameo[:3], cameo[:2],
                        r["quad"], r["score"], neutralised(r["url"] or ""), r["event"], r["mode"] or "", r["modality"],
                        neutralised(r["claimed_by"] or ""), neutralised(r["trigger"]), r["trigger_start"], r["trigger_end"],
                        r["article_id"],
                    ])
    logger.info("wrote %s (%d rows)", target, n)
    return target
