"""Dyads: exact counts per period, direction and quad from a store written row by row, and the charts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from backchannel.analysis.dyads import dyad, dyad_html, dyad_png, has_column
from backchannel.storage.store import Store

# (article_id, date, outlet, title, sentences); each sentence carries the events coded in it:
# (index, event, actor countries, recipient countries, trigger, modality, context, section_kind, score, quad, own date, quote)
DOCS = [
    ("d1", "2013-02-05", "Reuters", "Washington tightens the screws", [
        ("Washington imposed new sanctions on Tehran.", [(0, "SANCTION", ["USA"], ["IRN"], "sanctions", "asserted", "economic", "body", -7.0, 4, None, None)]),
        ("\u201cWe are ready for talks with America,\u201d Zarif said.", [(1, "AGREE", ["IRN"], ["USA"], "talks", "asserted", "diplomatic", "body", 5.0, 1, None, 0)]),
    ]),
    ("d2", "2013-02-07T09:30:00", "AP", "Threats </script> and refusals", [
        ("The US threatened Iran with force.", [(0, "THREATEN", ["USA"], ["IRN"], "threatened", "asserted", "military", "body", -4.0, 3, None, None)]),
        ("Iran rejected the American offer.", [(1, "REJECT", ["IRN"], ["USA"], "rejected", "asserted", "diplomatic", "body", -3.0, 3, None, None)]),
        ("Reader: Iran rejected talks, good.", [(2, "REJECT", ["IRN"], ["USA"], "talks", "asserted", "diplomatic", "comment", -3.0, 3, None, None)]),
    ]),
    ("d3", "2013-02-12", "AFP", "Talks on a condition", [
        ("Iran would negotiate if sanctions were lifted.", [(0, "AGREE", ["IRN"], ["USA"], "negotiate", "conditional", None, "body", 4.0, 1, None, None)]),
        ("The US Treasury blacklisted two Iranian banks.", [(1, "SANCTION", ["USA"], ["IRN"], "blacklisted", "asserted", "economic", "body", -7.0, 4, None, None)]),
    ]),
    ("d4", "2013-02-20", "Reuters", "No meeting", [
        ("Iran did not meet the US envoy.", [(0, "CONSULT", ["IRN"], ["USA"], "meet", "negated", "diplomatic", "body", 1.0, 1, None, None)]),
        ("Last Wednesday the US warned Iran.", [(1, "THREATEN", ["USA"], ["IRN"], "warned", "asserted", None, "body", -4.0, 3, "2013-02-13", None)]),
    ]),
    ("d5", None, "Blog", "Undated", [
        ("The US sanctioned Iranian oil.", [(0, "SANCTION", ["USA"], ["IRN"], "sanctioned", "asserted", "economic", "body", -7.0, 4, None, None)]),
    ]),
    ("d6", "2013-02-21", "AFP", "Mixed signals", [
        ("The US met French officials.", [(0, "CONSULT", ["USA"], ["FRA"], "met", "asserted", "diplomatic", "body", 1.0, 1, None, None)]),
        ("The US and Britain sanctioned Iran.", [(1, "SANCTION", ["GBR", "USA"], ["IRN"], "sanctioned", "asserted", "economic", "body", -7.0, 4, None, None)]),
        ("Iran sent aid to the US.", [(2, "AID", ["IRN"], ["USA"], "aid", "asserted", None, "body", 7.0, None, None, None)]),
        ("Washington called for talks with Iran.", [(3, "REQUEST", ["USA"], ["IRN"], "called", "asserted", "diplomatic", "body", -2.0, 3, None, None)]),
        ("Iran accepted US wheat.", [(4, "AGREE", ["IRN"], ["USA"], "accepted", "asserted", "economic", "body", 3.0, 1, None, None)]),
    ]),
]
NAMES = {"USA": "Washington", "IRN": "Tehran", "GBR": "London", "FRA": "Paris"}


def _parties(codes: list[str]) -> list[dict]:
    return [{"name": NAMES[c], "country": c, "sector": "GOV", "start_char": None, "end_char": None, "former": False} for c in codes]


def build_store(path: Path) -> Store:
    """A fresh store with the rows above written by SQL (optional columns and tables added if missing)."""
    store = Store(path)
    con = store.con
    con.execute("ALTER TABLE events ADD COLUMN IF NOT EXISTS date VARCHAR")
    for aid, date, outlet, title, sentences in DOCS:
        text = " ".join(s for s, _ in sentences)
        con.execute("INSERT INTO documents (article_id, title, date, url, outlet, text, n_comments) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [aid, title, date, f"https://example.org/{aid}", outlet, text, 1 if aid == "d2" else 0])
        for sentence, events in sentences:
            start = text.index(sentence)
            for idx, ev, src, dst, trig, modality, context, kind, score, quad, own, quote in events:
                t0 = start + sentence.index(trig)
                con.execute(
                    'INSERT INTO events (article_id, "index", event, context, actors, recipients, actor_countries, '
                    "recipient_countries, trigger, trigger_start, trigger_end, sentence_start, sentence_end, modality, "
                    "section_kind, score, quad, claimed_by, quote, date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [aid, idx, ev, context, _parties(src), _parties(dst), src, dst, trig, t0, t0 + len(trig), start,
                     start + len(sentence), modality, kind, score, quad, "Zarif" if quote is not None else None, quote, own])
    con.execute("""INSERT INTO quotes (article_id, "index", kind, content, speaker, section_kind)
                   VALUES ('d1', 0, 'direct', 'We are ready for talks with America,', 'Zarif', 'body')""")
    return store


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with build_store(tmp_path / "s.duckdb") as st:
        yield st


def _table(d) -> dict:  # type: ignore[no-untyped-def]
    return {(p.source, p.target, p.period): (p.q1, p.q2, p.q3, p.q4, p.net) for p in d.points}


def test_weekly_counts_per_direction_and_quad(store: Store) -> None:
    d = dyad(store.con, "usa", "IRN")
    assert (d.a, d.b, d.by) == ("USA", "IRN", "week")
    assert _table(d) == {
        ("USA", "IRN", "2013-W06"): (0, 0, 1, 1, -2),
        ("USA", "IRN", "2013-W07"): (0, 0, 1, 1, -2),  # d4's warning is dated by its own date, a week before the article
        ("USA", "IRN", "2013-W08"): (0, 0, 1, 1, -2),
        ("IRN", "USA", "2013-W06"): (1, 0, 1, 0, 0),  # the REJECT in a comment is not counted
        ("IRN", "USA", "2013-W07"): (1, 0, 0, 0, 1),
        ("IRN", "USA", "2013-W08"): (2, 1, 0, 0, 3),  # AID has no stored quad: PLOVER's is used
    }
    assert [(p.source, p.period) for p in d.points][:3] == [("USA", "2013-W06"), ("USA", "2013-W07"), ("USA", "2013-W08")]
    assert d.undated == {"USA→IRN": 1, "IRN→USA": 0}
    w6 = d.series("USA", "IRN")[0]
    assert (w6.pressure, w6.diplomacy, w6.mean_score) == (2, 0, -5.5)


def test_point_ids_are_the_events_behind_them(store: Store) -> None:
    d = dyad(store.con, "USA", "IRN")
    ids = {(p.source, p.period): p.ids for p in d.points}
    assert ids == {
        ("USA", "2013-W06"): (("d1", 0), ("d2", 0)),
        ("USA", "2013-W07"): (("d3", 1), ("d4", 1)),
        ("USA", "2013-W08"): (("d6", 1), ("d6", 3)),
        ("IRN", "2013-W06"): (("d1", 1), ("d2", 1)),
        ("IRN", "2013-W07"): (("d3", 0),),
        ("IRN", "2013-W08"): (("d4", 0), ("d6", 2), ("d6", 4)),
    }
    assert all(len(p.ids) == p.q1 + p.q2 + p.q3 + p.q4 for p in d.points)
    assert d.evidence["d4:e1"].date == "2013-02-13"
    assert d.evidence["d6:e1"].sentence == "The US and Britain sanctioned Iran."
    assert d.to_dict()["points"][0]["events"] == ["d1:e0", "d2:e0"]


def test_other_periods(store: Store) -> None:
    month = dyad(store.con, "USA", "IRN", by="month")
    assert _table(month) == {("USA", "IRN", "2013-02"): (0, 0, 3, 3, -6), ("IRN", "USA", "2013-02"): (4, 1, 1, 0, 4)}
    day = dyad(store.con, "USA", "IRN", by="day")
    assert _table(day)[("IRN", "USA", "2013-02-07")] == (0, 0, 1, 0, -1)  # a timestamp's date part
    with pytest.raises(ValueError):
        dyad(store.con, "USA", "IRN", by="year")  # type: ignore[arg-type]


def test_document_date_when_events_have_no_date_column(store: Store) -> None:
    store.con.execute("ALTER TABLE events DROP COLUMN date")
    assert not has_column(store.con, "events", "date")
    d = dyad(store.con, "USA", "IRN")
    assert d.series("USA", "IRN")[2].ids == (("d4", 1), ("d6", 1), ("d6", 3))  # now in its article's week


def test_negotiation_signals(store: Store) -> None:
    d = dyad(store.con, "USA", "IRN")
    got = [(s.source, s.evidence.id, s.kind) for s in d.signals]
    assert got == [
        ("USA", "d6:e3", "request"),
        ("IRN", "d1:e1", "positive"),
        ("IRN", "d2:e1", "negative"),  # context diplomatic, trigger "rejected"
        ("IRN", "d3:e0", "conditional"),
        ("IRN", "d4:e0", "negative"),  # negated
    ]  # d6:e4 accepted wheat (economic, no talk word) is no signal; the comment's REJECT is not either
    first = d.signals[1].evidence
    assert (first.date, first.actor, first.claimed_by, first.quote, first.trigger, first.outlet, first.title) == (
        "2013-02-05", "Tehran", "Zarif", "We are ready for talks with America,", "talks", "Reuters", "Washington tightens the screws")
    assert first.sentence == "\u201cWe are ready for talks with America,\u201d Zarif said."
    assert d.signals[1].to_dict()["kind"] == "positive"


def test_png(store: Store, tmp_path: Path) -> None:
    out = dyad_png(dyad(store.con, "USA", "IRN"), tmp_path / "d.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 10_000


def test_html_is_self_contained_with_evidence(store: Store, tmp_path: Path) -> None:
    page = dyad_html(dyad(store.con, "USA", "IRN"), tmp_path / "d.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", page) and not re.search(r"<link[^>]+href=[\"']?http", page)
    assert page.count("</script>") == page.count("<script")  # the title "Threats </script> …" is escaped
    assert "Threats \\u003c/script\\u003e and refusals" in page
    assert "The US Treasury blacklisted two Iranian banks." in page  # in the evidence JSON
    assert "plotly" not in page and "Negotiation signals" in page


def _json(page: str, script_id: str) -> dict:
    return json.loads(re.search(rf'<script type="application/json" id="{script_id}">(.*?)</script>', page, re.S)[1])


def test_html_chart_is_inline_svg_whose_marks_click_to_their_evidence(store: Store, tmp_path: Path) -> None:
    page = dyad_html(dyad(store.con, "USA", "IRN"), tmp_path / "d.html").read_text(encoding="utf-8")
    svg = re.search(r'<div class="bc-chart" id="dyad">(<svg .*?</svg>)', page, re.S)[1]
    marks, evidence = _json(page, "dyad-points"), _json(page, "dyad-evidence")
    assert len(marks) == 2 * 3 * 3  # two directions × three weeks × (diplomacy bar, pressure bar, net point)
    assert all(f'<g id="{gid}"' in svg for gid in marks)  # every mark is a drawn element with its id
    by = {(m["meta"][0], m["name"], m["x"]): m for m in marks.values()}
    assert by["USA", "pressure", "2013-W06"] | {"name": "", "meta": []} == {
        "name": "", "meta": [], "x": "2013-W06", "total": 2, "ids": ["d1:e0", "d2:e0"]}
    assert by["IRN", "net cooperation", "2013-W08"]["ids"] == ["d4:e0", "d6:e2", "d6:e4"]
    assert {k for m in marks.values() for k in m["ids"]} <= evidence.keys()  # one click away, no request
    assert evidence["d1:e0"]["sentence"] == "Washington imposed new sanctions on Tehran."
    assert "addEventListener('click'" in page and "marks=data('points')" in page
