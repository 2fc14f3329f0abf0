"""The multi-outlet corpus (``tests/data/corpus``): 42 articles on US–Iran relations in early 2013,
with gold statement groups, dates and the USA↔IRN dyad. Read once per module into a store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backchannel import api
from backchannel.analysis.dyads import dyad
from backchannel.evaluation.statements import load_statement_gold, score_statements
from backchannel.storage.store import Store

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    summary = api.read([CORPUS / "articles.jsonl"], store=path)
    assert summary.ok
    st = Store(path, read_only=True)
    yield st  # type: ignore[misc]
    st.close()


@pytest.fixture(scope="module")
def gold() -> list[dict[str, Any]]:
    return load_statement_gold(CORPUS / "statements.gold.jsonl")


def test_direct_quote_grouping_floor(store: Store, gold: list[dict[str, Any]]) -> None:
    """Direct quotes across outlets: pairwise F1 0.87 (P 0.99) when this was written; a regression gate."""
    scores = score_statements(gold, store, ("direct",))
    assert scores["members_found"] >= 0.95 * scores["members"]
    assert scores["pairwise"]["p"] >= 0.95 and scores["pairwise"]["f1"] >= 0.85, scores


def test_statement_grouping_floor(store: Store, gold: list[dict[str, Any]]) -> None:
    """All gold members, indirect included: pairwise F1 0.53 (P 0.93, R 0.37) today, below the 0.9 target
    (xfail below); this floor fails if the grouping collapses while the target is still out of reach."""
    scores = score_statements(gold, store)
    assert scores["members_found"] >= 0.95 * scores["members"], scores
    assert scores["pairwise"]["p"] >= 0.92 and scores["pairwise"]["f1"] >= 0.52, scores["pairwise"]


@pytest.mark.xfail(strict=True, reason="pairwise F1 over all gold members is 0.53 (P 0.93, R 0.37): the gold groups "
                   "indirect paraphrases ('negotiations could not succeed while Washington kept up sanctions') with the "
                   "direct words they paraphrase, which share few words; and per-document speaker errors remain (an AP "
                   "lede's 'A senior Iranian official' named only later, a bare 'Ali' among three brothers, a 'he' whose "
                   "antecedent is the description 'the supreme leader', the Pentagon for its spokesman)")
def test_statement_grouping_target(store: Store, gold: list[dict[str, Any]]) -> None:
    assert score_statements(gold, store)["pairwise"]["f1"] >= 0.9


def test_wire_reprints_are_one_document_with_every_outlet(store: Store) -> None:
    copies = store.con.execute(
        "SELECT article_id, list(outlet ORDER BY outlet) FROM copies GROUP BY article_id HAVING count(*) > 1").fetchall()
    outlets = sorted(tuple(o) for _, o in copies)
    assert ("Chicago Tribune", "Reuters", "The Daily Star", "Yahoo News") in outlets
    assert ("Associated Press", "Fox News", "The Seattle Times", "The Washington Post") in outlets
    assert store.count("documents") == 36  # 42 inputs, two stories each printed four times
    stick = [s for s in store.statements(speaker="Khamenei") if any("stick" in v.content for v in s.variants)]
    assert stick and {"Reuters", "Yahoo News", "The Daily Star", "Chicago Tribune"} <= set(stick[0].outlets)


def test_publication_dates_from_metadata_url_or_never_guessed(store: Store) -> None:
    gold = {json.loads(line)["article"]: json.loads(line) for line in (CORPUS / "dates.gold.jsonl").read_text().splitlines()}
    found = dict(store.con.execute("SELECT external_id, date FROM copies").fetchall())
    for article, g in gold.items():
        if g.get("date_source") == "field":
            assert found[article] == g["date"], article
    assert found["c42-blog-tehrandiplomaticnotes-two-khameneis"] == "2013-03-22"  # from the URL alone
    assert found["c38-tehrantimes-vahidi-warns-intruders"] is None  # only clues in the text: not guessed
    assert found["c13-dailystar-khamenei-rejects-us-offer"] is None  # a dateline without a year


def test_comment_threads_are_kept_out_of_statements(store: Store) -> None:
    n = store.con.execute("SELECT count(*) FROM sections WHERE kind = 'comment'").fetchone()[0]
    assert n >= 12
    mixed = store.con.execute(
        """SELECT count(*) FROM statement_variants v JOIN quotes q USING (article_id, "index")
           WHERE q.section_kind = 'comment'""").fetchone()[0]
    assert mixed == 0


def test_dyad_sees_the_february_sanctions_and_irans_rejections(store: Store) -> None:
    d = dyad(store.con, "USA", "IRN", by="week")
    w06 = {(p.source, p.target): p for p in d.points if p.period == "2013-W06"}
    assert w06[("USA", "IRN")].q4 >= 1  # the 6 February sanctions
    assert w06[("IRN", "USA")].q3 >= 1  # Khamenei rejects talks under pressure
    assert any(s.kind == "negative" and s.source == "IRN" for s in d.signals)
    assert any(s.kind == "positive" and s.source == "USA" for s in d.signals)


def _dyad_weeks(store: Store) -> tuple[set[tuple[str, str, int]], set[tuple[str, str, int]]]:
    """(gold, found) (week, source, quad) cells of the USA–IRN dyad."""
    gold = json.loads((CORPUS / "dyad.gold.json").read_text(encoding="utf-8"))
    want = {(wk, e["actor"], e["quad"]) for wk, events in gold["weeks"].items() for e in events}
    d = dyad(store.con, "USA", "IRN", by="week")
    got = {(p.period, p.source, q) for p in d.points for q, n in ((1, p.q1), (2, p.q2), (3, p.q3), (4, p.q4)) if n}
    return want, got


def test_dyad_gold_underlying_events_floor(store: Store) -> None:
    """11 of the 21 gold cells found and 15 of 26 found cells not in the gold today, short of the
    target (xfail below); this floor fails if the dyad drifts further from the gold."""
    want, got = _dyad_weeks(store)
    assert len(want & got) >= 0.5 * len(want) and len(got - want) <= 0.6 * len(got), (sorted(want & got), sorted(got - want))


@pytest.mark.xfail(strict=True, reason="the dyad counts reported events (one per article that reports them, reprints "
                   "once); the gold counts underlying events, and several (the F-4 intercept, the Istanbul meeting) are "
                   "missed or dated by the article, not the event")
def test_dyad_matches_the_gold_underlying_events(store: Store) -> None:
    want, got = _dyad_weeks(store)
    assert len(want & got) >= 0.9 * len(want) and len(got - want) <= 0.1 * len(got)
