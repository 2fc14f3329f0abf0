"""One self-contained HTML page about a store: what is in it, who speaks, how statements change, who does what to whom.

Every number comes from one aggregate query and every list is limited, so a 10k-document store
reports in seconds. The page needs no network: styles, scripts and the charts (SVG drawn by
matplotlib) are inline. Tables the store may not have yet (the cross-document
ones) are looked up in the catalog and their sections left out when missing.
"""

from __future__ import annotations

import html
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from backchannel.analysis.dyads import (
    CSS,
    Dyad,
    Period,
    dyad,
    figure_html,
    has_table,
    signals_html,
)

if TYPE_CHECKING:
    import duckdb

_DATE = "TRY_CAST(substr(date, 1, 10) AS DATE)"
_REPORT_CSS = """ins{background:#d9f2d9;text-decoration:none}del{background:#f7d4d4}.variants td{font-size:.9em}
section{margin-bottom:2.5rem}.muted{color:#777}.stats td:first-child{font-weight:600}"""


@dataclass(frozen=True, slots=True)
class Overview:
    """What the store holds, in one row."""

    documents: int
    outlets: int
    first_date: str | None
    last_date: str | None
    undated: int  # documents without a usable date
    quotes: int
    events: int
    comments: int  # reader-comment sections, as the store counted them per document


@dataclass(frozen=True, slots=True)
class VariantRow:
    """One report of a statement, as the page lists it."""

    statement_id: str
    outlet: str | None
    date: str | None
    via: tuple[str, ...]
    content: str
    diff: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class StatementRow:
    statement_id: str
    speaker: str | None
    first_outlet: str | None
    first_date: str | None
    n_variants: int
    n_outlets: int
    content: str
    variants: tuple[VariantRow, ...]


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What ``report`` wrote, for the CLI and tests."""

    path: Path
    overview: Overview
    speakers: int
    outlets: int
    statements: int
    dyads: tuple[tuple[str, str, int], ...]  # (a, b, events) per charted pair
    bytes: int
    seconds: float


# --- queries ----------------------------------------------------------------------------------


def overview(con: "duckdb.DuckDBPyConnection") -> Overview:
    events = "(SELECT count(*) FROM events)" if has_table(con, "events") else "0"
    row = con.execute(f"""SELECT count(*), count(DISTINCT outlet), strftime(min({_DATE}), '%Y-%m-%d'),
            strftime(max({_DATE}), '%Y-%m-%d'), count(*) FILTER (WHERE {_DATE} IS NULL),
            (SELECT count(*) FROM quotes), {events}, coalesce(sum(n_comments), 0)::BIGINT FROM documents""").fetchone()
    return Overview(*row)  # type: ignore[misc]


def top_speakers(con: "duckdb.DuckDBPyConnection", top: int) -> list[tuple[str, int]]:
    """Speakers by quotes: the linked people when the store has them, else the speaker names as printed."""
    if has_table(con, "speakers") and con.execute("SELECT count(*) FROM speakers").fetchone()[0]:  # type: ignore[index]
        sql = "SELECT name, n_quotes FROM speakers ORDER BY n_quotes DESC, name LIMIT ?"
    else:
        sql = ("SELECT speaker, count(*) AS n FROM quotes WHERE speaker IS NOT NULL AND section_kind IS DISTINCT FROM 'comment' "
               "GROUP BY speaker ORDER BY n DESC, speaker LIMIT ?")
    return [(r[0], r[1]) for r in con.execute(sql, [top]).fetchall()]


def top_outlets(con: "duckdb.DuckDBPyConnection", top: int) -> list[tuple[str, int, int]]:
    """Outlets by documents, with the quotes they carry."""
    return [tuple(r) for r in con.execute(  # type: ignore[misc]
        """SELECT coalesce(d.outlet, '(unknown)'), count(*) AS n, coalesce(sum(q.n), 0)::BIGINT FROM documents d
           LEFT JOIN (SELECT article_id, count(*) AS n FROM quotes GROUP BY article_id) q USING (article_id)
           GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?""", [top]).fetchall()]


def variant_statements(con: "duckdb.DuckDBPyConnection", top: int, per_statement: int = 25) -> list[StatementRow]:
    """The most-reported statements with several variants, each with its first ``per_statement`` reports."""
    if not (has_table(con, "statements") and has_table(con, "statement_variants")):
        return []
    heads = con.execute(
        """SELECT statement_id, speaker, first_outlet, first_date, n_variants, n_outlets, content FROM statements
           WHERE n_variants > 1 ORDER BY n_variants DESC, n_outlets DESC, first_date NULLS LAST, statement_id LIMIT ?""",
        [top]).fetchall()
    rows = con.execute(
        """SELECT statement_id, outlet, date, via, content, diff FROM statement_variants
           WHERE statement_id IN (SELECT unnest(?))
           QUALIFY row_number() OVER (PARTITION BY statement_id ORDER BY date NULLS LAST, article_id, "index") <= ?
           ORDER BY statement_id, date NULLS LAST, article_id, "index" """, [[h[0] for h in heads], per_statement]).fetchall()
    variants: dict[str, list[VariantRow]] = {}
    for sid, outlet, date, via, content, diff in rows:
        ops = tuple((str(op), str(text)) for op, text in json.loads(diff or "[]"))
        variants.setdefault(sid, []).append(VariantRow(sid, outlet, date, tuple(via or ()), content or "", ops))
    return [StatementRow(*h[:6], h[6] or "", tuple(variants.get(h[0], ()))) for h in heads]


def top_pairs(con: "duckdb.DuckDBPyConnection", n: int = 3) -> list[tuple[str, str, int]]:
    """Country pairs (either direction) with the most body events."""
    if not has_table(con, "events"):
        return []
    return [tuple(r) for r in con.execute(  # type: ignore[misc]
        """SELECT least(a, r), greatest(a, r), count(DISTINCT article_id || ':' || "index") AS n FROM (
               SELECT article_id, "index", a, unnest(recipient_countries) AS r FROM (
                   SELECT article_id, "index", unnest(actor_countries) AS a, recipient_countries
                   FROM events WHERE section_kind = 'body'))
           WHERE a <> r GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT ?""", [n]).fetchall()]


# --- rendering --------------------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def diff_html(diff: tuple[tuple[str, str], ...]) -> str:
    """A wording against the first report: added words in <ins>, dropped ones in <del>."""
    tags = {"+": "ins", "-": "del"}
    return " ".join(f"<{tags[op]}>{_e(text)}</{tags[op]}>" if op in tags else _e(text) for op, text in diff)


def _table(headers: tuple[str, ...], rows: list[tuple[object, ...]], cls: str = "") -> str:
    if not rows:
        return '<p class="muted">None.</p>'
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><tr>{head}</tr>{body}</table>'


def _overview_html(o: Overview) -> str:
    span = f"{o.first_date} to {o.last_date}" if o.first_date else "no dated documents"
    return _table(("", ""), [("documents", f"{o.documents:,}"), ("outlets", f"{o.outlets:,}"),
                             ("date range", f"{span} ({o.undated:,} undated)"), ("quotes", f"{o.quotes:,}"),
                             ("events", f"{o.events:,}"), ("comment sections", f"{o.comments:,}")], "stats")


def _statement_html(s: StatementRow) -> str:
    rows = "".join(
        f"<tr><td>{_e(v.outlet)}</td><td>{_e(v.date)}</td><td>{_e(', '.join(v.via))}</td><td>{_e(v.content)}</td>"
        f"<td>{diff_html(v.diff)}</td></tr>" for v in s.variants)
    more = s.n_variants - len(s.variants)
    return (f"<h3>{_e(s.speaker or 'unknown speaker')}: “{_e(s.content)}”</h3>"
            f"<p>First reported by {_e(s.first_outlet or 'an unknown outlet')} on {_e(s.first_date or 'an unknown date')}; "
            f"{s.n_variants} reports in {s.n_outlets} outlets.</p>"
            '<table class="variants"><tr><th>outlet</th><th>date</th><th>via</th><th>wording</th><th>against the first report</th></tr>'
            f"{rows}</table>" + (f'<p class="muted">… and {more} more reports.</p>' if more > 0 else ""))


def _dyad_html(d: Dyad, n: int, index: int, top: int) -> str:
    return (f"<h3>{_e(d.a)} and {_e(d.b)} ({n:,} events)</h3>"
            + figure_html(d, f"dyad{index}")
            + f"<h4>Negotiation signals ({len(d.signals)})</h4>" + signals_html(d, limit=top))


def report(con: "duckdb.DuckDBPyConnection", out_path: str | Path, *, top: int = 20, by: Period = "week") -> ReportSummary:
    """Write the store's report to ``out_path`` (one HTML file, no network needed to view it)."""
    started = time.perf_counter()
    o = overview(con)
    speakers, outlets = top_speakers(con, top), top_outlets(con, top)
    statements = variant_statements(con, top)
    pairs = top_pairs(con)
    dyads = [(dyad(con, a, b, by=by), n) for a, b, n in pairs]
    sections = [
        ("Corpus", _overview_html(o)),
        ("Top speakers", _table(("speaker", "quotes"), speakers)),  # type: ignore[arg-type]
        ("Top outlets", _table(("outlet", "documents", "quotes"), outlets)),  # type: ignore[arg-type]
        ("Statements reported several ways", "".join(_statement_html(s) for s in statements)
         or '<p class="muted">No statement has more than one report (or the store is not linked yet).</p>'),
        ("Country pairs", "".join(_dyad_html(d, n, i, top) for i, (d, n) in enumerate(dyads))
         or '<p class="muted">No events between two countries.</p>'),
    ]
    body = "".join(f"<section><h2>{_e(title)}</h2>{content}</section>" for title, content in sections)
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>backchannel report</title>'
            f"<style>{CSS}{_REPORT_CSS}</style></head><body><h1>backchannel report</h1>{body}</body></html>")
    path = Path(out_path)
    path.write_text(page, encoding="utf-8")
    return ReportSummary(path, o, len(speakers), len(outlets), len(statements), tuple(pairs),
                         path.stat().st_size, time.perf_counter() - started)
