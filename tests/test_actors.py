"""The curated actor gazetteer: its files load, its codes are valid, its office terms do not overlap."""

from __future__ import annotations

import json

import pycountry
import pytest

from backchannel import api
from backchannel.entities.gazetteer import SECTORS, Gazetteer
from backchannel.events.extract import EVENT_TYPES, scores, triggers
from backchannel.resources.tables import data_table


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.default()


def test_every_code_is_a_country_or_igo_and_every_sector_known(g: Gazetteer) -> None:
    iso3 = {c.alpha_3 for c in pycountry.countries} | {"XKX", "IGO"}
    for phrase, codes in g.phrases.items():
        for code in codes:
            assert code.country is None or code.country in iso3, (phrase, code)
            assert code.sector is None or code.sector in SECTORS, (phrase, code)
    assert set(g.sector_words.values()) <= SECTORS


def test_curated_office_terms_do_not_overlap(g: Gazetteer) -> None:
    """The hand-curated terms (the knowledge base's Wikidata terms overlap by a day here and there,
    which the office resolver reads as "several held it": no answer rather than a guess)."""
    curated = {(r["name"], r["office"].lower()) for r in data_table("actors/office_holders.tsv")}
    people = {c for codes in g.phrases.values() for c in codes if c.kind == "person" and (c.name, c.office) in curated}
    by_office: dict[tuple[str | None, str], list] = {}
    for c in people:
        assert c.start is None or c.end is None or c.start <= c.end, c
        by_office.setdefault((c.country, c.office or ""), []).append(c)
    for key, terms in by_office.items():
        terms.sort(key=lambda c: c.start or __import__("datetime").date.min)
        for a, b in zip(terms, terms[1:]):
            assert a.end is not None and b.start is not None and a.end <= b.start, (key, a.name, b.name)


def test_well_known_names_resolve(g: Gazetteer) -> None:
    assert {c.country for c in g.lookup("Tehran")} == {"IRN"}
    assert any(c.country == "USA" and c.sector == "SPY" for c in g.lookup("CIA"))
    assert any(c.country == "IRN" for c in g.lookup("Iranian"))
    assert g.holders("president", "USA", __import__("datetime").date(2012, 6, 1))[0].name == "Barack Obama"


def test_trigger_lexicon_and_scores_are_consistent() -> None:
    rows = [t for ts in triggers().values() for t in ts]
    assert len(rows) > 300
    assert {t.event for t in rows} == {*EVENT_TYPES, "NONE"}
    assert all(t.pos in ("VERB", "NOUN") for t in rows)
    table = scores()
    assert {e for e, _ in table} == set(EVENT_TYPES)
    assert all(-10 <= v <= 10 for v in table.values())


def test_describing_people_can_look_up_office_holders(shared) -> None:  # type: ignore[no-untyped-def]
    """Describing a person can look up an office holder, which reads the document's country
    counts: they must exist by then (two PolNeAR articles failed with an AttributeError)."""
    lines = (shared / "data" / "polnear" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    docs = [json.loads(line) for line in lines]
    hit = [d for d in docs if "washington-post-hit-piece" in d["id"]]
    assert len(hit) == 1
    assert api.extract_events(hit[0]["text"], date="2016-10-02")  # it raised before any event was coded
