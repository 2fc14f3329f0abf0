"""Dyads: what two countries did to each other, period by period, with the evidence behind each point.

Grouping happens in DuckDB (one query per aggregate), so a 100k-event store answers in well under
a second; Python only turns rows into records and records into charts. Only article bodies count:
reader comments are not reporting. An event's date is its own resolved date, else its document's.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from backchannel.events.extract import QUAD

if TYPE_CHECKING:
    import duckdb
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Period = Literal["day", "week", "month"]
SignalKind = Literal["positive", "negative", "conditional", "request"]
#: strftime formats per period; a week is the ISO week ("2013-W06"), so it never straddles two years' labels
PERIODS = {"day": "%Y-%m-%d", "week": "%G-W%V", "month": "%Y-%m"}
#: evidence kept per direction and period (all of a point's ids are still counted); signals always have theirs
EVIDENCE_PER_POINT = 20
#: negotiation signals listed in a page (all of them are in ``Dyad.signals`` and ``--json``)
SIGNALS_SHOWN = 200
NEGOTIATION_EVENTS = ("AGREE", "CONSULT", "REJECT", "REQUEST", "CONCEDE")
NEGOTIATION_TRIGGER = "negotiat|talk|dialogue|deal|meet"
COLORS = {"diplomacy": "#2b8cbe", "pressure": "#d7301f", "net": "#222222"}


def has_column(con: "duckdb.DuckDBPyConnection", table: str, column: str) -> bool:
    """Whether the store has a column yet (stores written before a schema upgrade lack it)."""
    row = con.execute("SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() "
                      "AND schema_name = current_schema() AND table_name = ? AND column_name = ?", [table, column]).fetchone()
    return bool(row and row[0])


def has_table(con: "duckdb.DuckDBPyConnection", table: str) -> bool:
    row = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                      "AND schema_name = current_schema() AND table_name = ?", [table]).fetchone()
    return bool(row and row[0])


def direction(source: str, target: str) -> str:
    return f"{source}→{target}"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One event as a reader checks it: the sentence, who claims it, where and when it was printed."""

    article_id: str
    index: int
    event: str
    modality: str | None
    date: str | None
    actor: str | None
    claimed_by: str | None
    quote: str | None  # the quote's words when the event is inside one
    trigger: str | None
    sentence: str
    outlet: str | None
    title: str | None

    @property
    def id(self) -> str:
        return f"{self.article_id}:e{self.index}"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, **{f.name: getattr(self, f.name) for f in fields(self)}}  # asdict deep-copies: slow


@dataclass(frozen=True, slots=True)
class DyadPoint:
    """One direction in one period: events per PLOVER quad and the ids behind them."""

    source: str
    target: str
    period: str
    q1: int  # verbal cooperation
    q2: int  # material cooperation
    q3: int  # verbal conflict
    q4: int  # material conflict
    mean_score: float | None
    ids: tuple[tuple[str, int], ...]

    @property
    def diplomacy(self) -> int:
        return self.q1 + self.q2

    @property
    def pressure(self) -> int:
        return self.q3 + self.q4

    @property
    def net(self) -> int:
        return self.diplomacy - self.pressure

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "period": self.period,
                "quads": {"1": self.q1, "2": self.q2, "3": self.q3, "4": self.q4},
                "mean_score": None if self.mean_score is None else round(self.mean_score, 3),
                "diplomacy": self.diplomacy, "pressure": self.pressure, "net": self.net,
                "events": [f"{a}:e{i}" for a, i in self.ids]}


@dataclass(frozen=True, slots=True)
class Signal:
    """A move about negotiating: an agreement, a refusal, or talks offered on a condition."""

    source: str
    target: str
    kind: SignalKind
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "kind": self.kind, **self.evidence.to_dict()}


@dataclass(frozen=True, slots=True)
class Dyad:
    """Both directions between two countries; ``undated`` counts events left out of the series."""

    a: str
    b: str
    by: Period
    points: tuple[DyadPoint, ...]
    signals: tuple[Signal, ...]
    undated: dict[str, int] = field(default_factory=dict)  # direction("USA", "IRN") → events without a date
    evidence: dict[str, Evidence] = field(default_factory=dict)  # Evidence.id → evidence

    @property
    def directions(self) -> tuple[tuple[str, str], tuple[str, str]]:
        return ((self.a, self.b), (self.b, self.a))

    def series(self, source: str, target: str) -> tuple[DyadPoint, ...]:
        return tuple(p for p in self.points if (p.source, p.target) == (source, target))

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "by": self.by, "undated": dict(self.undated),
                "points": [p.to_dict() for p in self.points], "signals": [s.to_dict() for s in self.signals],
                "evidence": {k: v.to_dict() for k, v in self.evidence.items()}}


# --- queries ----------------------------------------------------------------------------------


def _directed(con: "duckdb.DuckDBPyConnection", columns: str, where: str = "") -> str:
    """The SQL of body events in either direction, one row per (event, direction) with ``dt`` its date."""
    own = "TRY_CAST(substr(e.date, 1, 10) AS DATE), " if has_column(con, "events", "date") else ""
    quad = "CASE e.event " + " ".join(f"WHEN '{ev}' THEN {q}" for ev, q in QUAD.items()) + " END"
    return f"""
        WITH directed AS (
            SELECT dir.*, e.article_id, e."index", e.event, e.modality, e.context, e.actors, e.trigger, e.score,
                   e.claimed_by, e.quote, COALESCE(e.quad, {quad}) AS q, d.outlet, d.title,
                   COALESCE({own}TRY_CAST(substr(d.date, 1, 10) AS DATE)) AS dt,
                   substr(d.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence
            FROM events e JOIN documents d USING (article_id), (VALUES (?, ?, 0), (?, ?, 1)) dir(src, dst, ord)
            WHERE e.section_kind = 'body' AND list_contains(e.actor_countries, dir.src)
              AND list_contains(e.recipient_countries, dir.dst))
        SELECT {columns} FROM directed x {where}"""


def dyad(con: "duckdb.DuckDBPyConnection", a: str, b: str, by: Period = "week",
         evidence_per_point: int | None = EVIDENCE_PER_POINT) -> Dyad:
    """Events between countries ``a`` and ``b`` (ISO alpha-3) per period and direction, with negotiation
    signals; the evidence (sentence, quote, outlet) of the first ``evidence_per_point`` events of each
    point (None: of all), so a busy pair stays fast and its page small."""
    if by not in PERIODS:
        raise ValueError(f"unknown period {by!r}; choose one of {', '.join(PERIODS)}")
    a, b = a.upper(), b.upper()
    args = [a, b, b, a]  # the two directions, as _directed binds them
    evidence = _evidence(con, args, by, evidence_per_point)
    return Dyad(a, b, by, _points(con, args, by), _signals(con, args, evidence), _undated(con, args), evidence)


def _points(con: "duckdb.DuckDBPyConnection", args: list[str], by: Period) -> tuple[DyadPoint, ...]:
    """Dated events grouped by direction and period: quads, mean score, ids (a→b first, then by period)."""
    sql = _directed(con, f"""src, dst, strftime(dt, '{PERIODS[by]}') AS period,
            count(*) FILTER (WHERE q = 1), count(*) FILTER (WHERE q = 2), count(*) FILTER (WHERE q = 3),
            count(*) FILTER (WHERE q = 4), avg(score),
            list(struct_pack(a := article_id, i := "index") ORDER BY article_id, "index")""",
                    "WHERE dt IS NOT NULL GROUP BY src, dst, period, ord ORDER BY ord, period")
    return tuple(DyadPoint(*r[:8], tuple((t["a"], t["i"]) for t in r[8])) for r in con.execute(sql, args).fetchall())


def _undated(con: "duckdb.DuckDBPyConnection", args: list[str]) -> dict[str, int]:
    """How many events each direction has without any date: left out of the series, but not silently."""
    out = {direction(args[0], args[1]): 0, direction(args[2], args[3]): 0}
    for src, dst, n in con.execute(_directed(con, "src, dst, count(*)", "WHERE dt IS NULL GROUP BY ALL"), args).fetchall():
        out[direction(src, dst)] = n
    return out


def _signals(con: "duckdb.DuckDBPyConnection", args: list[str], evidence: dict[str, Evidence]) -> tuple[Signal, ...]:
    """Moves about negotiating, classified in SQL; a conditional offer or refusal is conditional first of all."""
    kinds = """CASE WHEN modality = 'conditional' THEN 'conditional'
                    WHEN event = 'REJECT' OR modality = 'negated' THEN 'negative'
                    WHEN event IN ('AGREE', 'CONSULT', 'CONCEDE') THEN 'positive' ELSE 'request' END"""
    events = ", ".join(f"'{e}'" for e in NEGOTIATION_EVENTS)
    sql = _directed(con, f'src, dst, {kinds}, article_id, "index"',
                    f"""WHERE event IN ({events}) AND (context = 'diplomatic'
                          OR regexp_matches(lower(coalesce(trigger, '')), '{NEGOTIATION_TRIGGER}'))
                        ORDER BY ord, dt NULLS LAST, article_id, "index" """)
    return tuple(Signal(r[0], r[1], r[2], evidence[f"{r[3]}:e{r[4]}"]) for r in con.execute(sql, args).fetchall())


def _evidence(con: "duckdb.DuckDBPyConnection", args: list[str], by: Period, per_point: int | None) -> dict[str, Evidence]:
    """Directed events' evidence in one query: sentence cut from the text, quote joined by index
    (an event in both directions comes twice and is kept once); per point the first ``per_point``,
    and every negotiation signal."""
    cap = ""
    if per_point is not None:
        events = ", ".join(f"'{e}'" for e in NEGOTIATION_EVENTS)
        cap = (f"""QUALIFY row_number() OVER (PARTITION BY x.src, x.dst, strftime(x.dt, '{PERIODS[by]}')
                   ORDER BY x.article_id, x."index") <= {int(per_point)}
                   OR (x.event IN ({events}) AND (x.context = 'diplomatic'
                       OR regexp_matches(lower(coalesce(x.trigger, '')), '{NEGOTIATION_TRIGGER}')))""")
    sql = _directed(con, """x.article_id, x."index", x.event, x.modality, strftime(x.dt, '%Y-%m-%d'),
            array_to_string(list_transform(x.actors, t -> t.name), '; '), x.claimed_by, qu.content, x.trigger,
            x.sentence, x.outlet, x.title""",
                    'LEFT JOIN quotes qu ON qu.article_id = x.article_id AND qu."index" = x.quote ' + cap)
    return {f"{r[0]}:e{r[1]}": Evidence(*r[:9], r[9] or "", r[10], r[11]) for r in con.execute(sql, args).fetchall()}


# --- charts -----------------------------------------------------------------------------------


def aligned(d: Dyad, source: str, target: str) -> list[DyadPoint]:
    """One direction on the periods of both, zeros where it has none, so the two panels line up."""
    have = {p.period: p for p in d.series(source, target)}
    periods = sorted({p.period for p in d.points})
    return [have.get(k) or DyadPoint(source, target, k, 0, 0, 0, 0, None, ()) for k in periods]


Mark = tuple["Artist", str, DyadPoint]  # a drawn bar or point, its series, the point it shows


def _panel(ax: "Axes", d: Dyad, src: str, dst: str) -> list[Mark]:
    """One direction: pressure and diplomacy stacked per period, net cooperation as a line; returns each
    bar and point with its series and period, so the SVG can make it clickable."""
    pts = aligned(d, src, dst)
    x = range(len(pts))
    dip, pre, net = [p.diplomacy for p in pts], [p.pressure for p in pts], [p.net for p in pts]
    bars = (ax.bar(x, dip, color=COLORS["diplomacy"], label="diplomacy (quads 1+2)"),
            ax.bar(x, pre, bottom=dip, color=COLORS["pressure"], label="pressure (quads 3+4)"))
    ax.plot(x, net, color=COLORS["net"], marker="o", label="net cooperation")
    dots = [ax.plot([i], [n], color=COLORS["net"], marker="o", linestyle="none")[0] for i, n in zip(x, net)]  # one per point
    ax.axhline(0, color="#888888", linewidth=0.8)
    ax.set_title(f"{src} → {dst}  (undated, not shown: {d.undated.get(direction(src, dst), 0)})")
    ax.set_ylabel("events")
    step = -(-len(pts) // 24) or 1  # at most 24 labels, so they stay legible
    ax.set_xticks(list(x)[::step], [p.period for p in pts][::step], rotation=45, ha="right", fontsize=8)
    if not pts:
        ax.text(0.5, 0.5, "no dated events", transform=ax.transAxes, ha="center", va="center", color="#666666")
    marks = [(bar, name, p) for name, group in zip(("diplomacy", "pressure"), bars) for bar, p in zip(group, pts)]
    return marks + [(dot, "net cooperation", p) for dot, p in zip(dots, pts)]


@contextmanager
def _drawn(d: Dyad, title: str) -> Iterator[tuple["Figure", list[Mark]]]:
    """The chart both formats share: two panels, one per direction, with every clickable mark; closed after use."""
    import matplotlib  # noqa: PLC0415 (heavy, loaded only to draw a chart)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    fig, axes = plt.subplots(2, 1, figsize=(11, 7.5), sharey=True)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.9, bottom=0.16, hspace=0.5)  # fixed margins: one draw, not two
    try:
        marks = [m for ax, (src, dst) in zip(axes, d.directions) for m in _panel(ax, d, src, dst)]
        fig.legend(*axes[0].get_legend_handles_labels(), loc="lower center", ncols=3, fontsize=9)
        fig.suptitle(title)
        yield fig, marks
    finally:
        plt.close(fig)


def dyad_png(d: Dyad, path: str | Path) -> Path:
    """The chart as a PNG, for a paper or a slide."""
    with _drawn(d, f"{d.a} and {d.b}: events per {d.by} (body text only)") as (fig, _):
        fig.savefig(path, format="png", dpi=110)
    return Path(path)


def figure_svg(d: Dyad, div_id: str) -> tuple[str, dict[str, dict[str, Any]]]:
    """The chart as inline SVG (text as text, every id prefixed with ``div_id``) and, per element id, the bar
    or point it draws: series, period, its event ids that have evidence, and how many events it counts."""
    import matplotlib.pyplot as plt  # noqa: PLC0415 (heavy, loaded only to draw a chart)

    points: dict[str, dict[str, Any]] = {}
    buf = io.StringIO()
    with _drawn(d, f"{d.a} and {d.b}: events per {d.by} — click a bar or point for its evidence") as (fig, marks):
        for n, (artist, name, p) in enumerate(marks):
            artist.set_gid(f"m{n}")
            points[f"{div_id}-m{n}"] = {
                "name": name, "x": p.period, "total": len(p.ids), "meta": [p.source, p.target],
                "ids": [k for k in (f"{a}:e{i}" for a, i in p.ids) if k in d.evidence]}  # those with evidence
        with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": div_id}):  # no glyph defs; same chart, same file
            fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    return _scoped(svg[svg.index("<svg"):], div_id), points  # no XML prolog or DOCTYPE: this goes inside HTML


def _scoped(svg: str, prefix: str) -> str:
    """Every id in the SVG, and every reference to one, prefixed: matplotlib numbers its groups
    (``figure_1``, ``axes_1``) the same in every chart, and a report holds several."""
    return re.sub(r'(\bid="|url\(#|href="#)', lambda m: f"{m[1]}{prefix}-", svg)


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no "</script>", no "<!--", no HTML entities."""
    return (json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


_CLICK_JS = """<script>(function(){
var id=%s, root=document.getElementById(id), panel=document.getElementById(id+'-panel');if(!root||!panel)return;
function data(part){return JSON.parse(document.getElementById(id+'-'+part).textContent);}
var ev=data('evidence'), marks=data('points');
function el(tag,text,cls){var e=document.createElement(tag);if(text!=null)e.textContent=text;if(cls)e.className=cls;return e;}
function label(p){return p.name+' · '+p.x+' · '+p.total+' events';}
function show(p){var ids=p.ids;panel.replaceChildren(el('h3',label(p)));var m=p.meta;
if(ids.length<p.total)panel.appendChild(el('p','showing the first '+ids.length+'; every one: backchannel events --actor '+m[0]+' --recipient '+m[1]+' --jsonl','meta'));
var ul=el('ul');ids.forEach(function(k){var e=ev[k];if(!e)return;var li=el('li');
li.appendChild(el('div',[e.date||'undated',e.outlet||'unknown outlet',e.event+(e.modality&&e.modality!=='asserted'?' ('+e.modality+')':''),
'trigger: '+(e.trigger||''),e.claimed_by?'claimed by '+e.claimed_by:'writer'].join(' · '),'meta'));
li.appendChild(el('blockquote',e.sentence));if(e.quote)li.appendChild(el('div','quote: \u201c'+e.quote+'\u201d','quote'));
if(e.title)li.appendChild(el('div',e.title,'title'));ul.appendChild(li);});panel.appendChild(ul);}
Object.keys(marks).forEach(function(gid){var g=document.getElementById(gid),p=marks[gid];if(!g)return;
var t=document.createElementNS('http://www.w3.org/2000/svg','title');t.textContent=label(p);g.appendChild(t);
g.setAttribute('tabindex','0');g.setAttribute('role','button');
g.addEventListener('click',function(){show(p);});g.addEventListener('keydown',function(e){if(e.key==='Enter')show(p);});});
})();</script>"""
CSS = """body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}.bc-panel{border-top:1px solid #ccc;padding:.5rem 0}
.bc-panel blockquote{margin:.2rem 0 .2rem 1rem;color:#333}.bc-panel .meta{font-size:.85em;color:#555}
.bc-panel .quote{font-style:italic}.bc-panel .title{font-size:.8em;color:#777}table{border-collapse:collapse}
td,th{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
.bc-chart svg{max-width:100%;height:auto}.bc-chart [role=button]{cursor:pointer}"""


def figure_html(d: Dyad, div_id: str) -> str:
    """The chart as an HTML fragment: the SVG, its marks and evidence (JSON), the click panel and its script."""
    svg, points = figure_svg(d, div_id)
    used = {k for p in d.points for k in (f"{a}:e{i}" for a, i in p.ids)}
    evidence = {k: v.to_dict() for k, v in d.evidence.items() if k in used}
    i = html.escape(div_id)
    return (f'<div class="bc-chart" id="{i}">{svg}</div>'
            f'<script type="application/json" id="{i}-points">{script_json(points)}</script>'
            f'<script type="application/json" id="{i}-evidence">{script_json(evidence)}</script>'
            f'<div class="bc-panel" id="{i}-panel">Click a bar or point to see the events behind it.</div>'
            + _CLICK_JS % script_json(div_id))


def signals_html(d: Dyad, limit: int | None = None) -> str:
    """The negotiation signals (the first ``limit``) as a table, escaped."""
    if not d.signals:
        return "<p>No negotiation signals.</p>"
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(s.source)}→{e(s.target)}</td><td>{e(s.kind)}</td><td>{e(s.evidence.date or 'undated')}</td>"
        f"<td>{e(s.evidence.event)} ({e(s.evidence.modality or '')})</td><td>{e(s.evidence.actor or '')}</td>"
        f"<td>{e(s.evidence.claimed_by or '')}</td><td>{e(s.evidence.sentence)}"
        + (f"<br><i>“{e(s.evidence.quote)}”</i>" if s.evidence.quote else "")
        + f"</td><td>{e(s.evidence.outlet or '')}<br><small>{e(s.evidence.title or '')}</small></td></tr>"
        for s in d.signals[:limit])
    more = len(d.signals) - len(d.signals[:limit])
    return ("<table><tr><th>direction</th><th>signal</th><th>date</th><th>event</th><th>actor</th><th>claimed by</th>"
            f"<th>sentence</th><th>outlet</th></tr>{rows}</table>"
            + (f"<p>… and {more:,} more (<code>backchannel dyad {e(d.a)} {e(d.b)} --json</code> lists all).</p>" if more > 0 else ""))


def dyad_html(d: Dyad, path: str | Path) -> Path:
    """One self-contained page (inline SVG and script, no network): the chart, its click-through evidence, the signals."""
    title = html.escape(f"{d.a} and {d.b}: events per {d.by}")
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title><style>{CSS}</style>'
            f"</head><body><h1>{title}</h1>{figure_html(d, 'dyad')}"
            f"<h2>Negotiation signals</h2>{signals_html(d, limit=SIGNALS_SHOWN)}</body></html>")
    Path(path).write_text(page, encoding="utf-8")
    return Path(path)
