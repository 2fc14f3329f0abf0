"""The entity layer: one gazetteer, one office resolver, one name normaliser, one antecedent
search, and per-document entities that quotes and events both refer to."""

from __future__ import annotations

from datetime import date

import pytest

from backchannel.api import read_text
from backchannel.entities.gazetteer import Gazetteer
from backchannel.entities.offices import holder, holder_of
from backchannel.evaluation.splits import part_of
from backchannel.resources.names import key, loose_key
from backchannel.resources.outlets import find_outlet


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.default()


def test_one_name_key_for_spellings() -> None:
    assert key("the Ja’far Zarīf") == key("Ja'far Zarif")
    assert loose_key("Recep-Tayyip Erdoğan") == loose_key("recep tayyip erdogan")
    assert loose_key("Lars Løkke") == "lars lokke"


@pytest.mark.parametrize(("text", "canonical"), [
    ("Iran's semi-official Mehrs News", "Mehr News Agency"),
    ("the New Yrok Times", "The New York Times"),
    ("Assosiated Press", "The Associated Press"),
])
def test_an_outlet_one_letter_off_is_found(text: str, canonical: str) -> None:
    found = find_outlet(text)
    assert found is not None and found.canonical == canonical


@pytest.mark.parametrize("text", ["Golda Meir", "Mehrs", "the new york tmes", "New York"])
def test_names_near_an_outlet_are_not_outlets(text: str) -> None:
    assert find_outlet(text) is None


def test_office_holder_by_title_and_by_generic_role(g: Gazetteer) -> None:
    # "president" of a country the base files under "head of state" for that year
    assert holder(g, "president", "BLR", date(2020, 1, 1)).name == "Alexander Lukashenko"  # type: ignore[union-attr]
    assert holder(g, "president", "USA", date(2012, 6, 1)).name == "Barack Obama"  # type: ignore[union-attr]
    found = holder_of(g, "Iran's foreign minister", "2025-06-01")
    assert found is not None and found.name == "Abbas Araghchi"


def test_no_office_holder_without_a_date_or_outside_every_term(g: Gazetteer) -> None:
    assert holder(g, "president", "USA", None) is None
    assert holder(g, "president", "USA", date(1700, 1, 1)) is None
    # no country and several presidents on the date: no guess
    assert holder(g, "president", None, date(2020, 1, 1)) is None


def test_demonym_in_the_description_gives_the_country(g: Gazetteer) -> None:
    found = holder_of(g, "the Iranian foreign minister", "2025-06-01")
    assert found is not None and found.country == "IRN"


def test_a_person_spelt_another_way_is_found(g: Gazetteer) -> None:
    people = g.person("Mohammed Hussein Roble")
    assert people and people[0].name == "Mohamed Hussein Roble" and people[0].country == "SOM"
    assert g.person("Mohammed Hussein Smith") == []


@pytest.mark.parametrize(("name", "countries", "expected"), [
    ("Mariupol", (), "UKR"),
    ("Paris", (), "FRA"),
    ("Paris", ("USA",), "FRA"),  # Paris, Texas is a hundredth of Paris: an article naming the US still means France
    ("Springfield", ("USA",), "USA"),
    ("Kano State", (), "NGA"),
    ("Hyderabad", (), None),  # two big namesakes (IND, PAK), nothing to tell them apart
    ("Hyderabad", ("PAK",), "PAK"),
    ("Florida", ("CUB",), "USA"),  # an article that names Cuba still means the US state
    ("Florida", (), "USA"),  # else the region, not a town of the same name
    ("Indiana", (), "USA"),  # not a Brazilian town that GeoNames also calls so
    ("GOP", (), None),  # capitals: an acronym, not a place
    ("San Jose", ("CRI",), "CRI"),
    ("Hope", (), None),
])
def test_places_and_their_country(g: Gazetteer, name: str, countries: tuple[str, ...], expected: str | None) -> None:
    code = g.place(name, countries)
    assert (code.country if code else None) == expected


def test_quotes_and_events_refer_to_the_same_document_entity() -> None:
    text = ("Iranian Foreign Minister Abbas Araghchi said on Monday that Tehran would not negotiate. "
            "He accused the United States of bad faith. Iran's Foreign Ministry later said Araghchi would "
            "travel to Muscat. The ministry said the talks were over.")
    doc = read_text(text, source="t", date="2025-06-01")
    by_id = {e.id: e for e in doc.doc_entities}
    person = next(e for e in doc.doc_entities if e.name == "Abbas Araghchi")
    assert person.type == "person" and person.country == "IRN" and person.sector == "GOV"
    assert any(o.startswith("foreign minister of IRN") for o in person.offices)
    assert {q.speaker_entity for q in doc.quotes if q.speaker == "Abbas Araghchi"} == {person.id}
    accuse = next(e for e in doc.events if e.event == "ACCUSE")
    assert accuse.actors[0].entity == person.id  # "He" through the one antecedent search
    assert by_id[accuse.recipients[0].entity].type == "country"
    for entity in doc.doc_entities:
        for a, b in entity.mentions:
            assert doc.text[a:b].strip()
    ministry = next(q for q in doc.quotes if q.speaker_mention == "The ministry")
    assert by_id[ministry.speaker_entity].name == "Iran's Foreign Ministry"  # type: ignore[index]


def test_a_former_office_holder_is_elite_and_one_not_yet_in_office_has_no_sector() -> None:
    doc = read_text("Hassan Rouhani accused the government on Monday of mismanaging the economy.", source="t",
                    date="2023-03-01")
    actor = next(e for e in doc.events if e.event == "ACCUSE").actors[0]
    assert (actor.country, actor.sector, actor.former) == ("IRN", "ELI", True)
    doc = read_text("Hassan Rouhani accused the government on Monday of mismanaging the economy.", source="t",
                    date="2005-03-01")
    actor = next(e for e in doc.events if e.event == "ACCUSE").actors[0]
    assert actor.country == "IRN" and actor.sector is None


@pytest.mark.parametrize(("text", "reason"), [
    ("The attack said the city would never surrender.", "an event"),
    ("The issue said it was important.", "a topic"),
])
def test_a_non_entity_is_never_a_speaker(text: str, reason: str) -> None:
    quotes = read_text(text, source="t").quotes
    assert quotes and quotes[0].speaker is None
    assert quotes[0].speaker_note == f"not an entity: {reason}"


def test_names_that_are_common_words_stay_people() -> None:
    doc = read_text("Will Young said the plan would fail. Hope Hicks said it would not.", source="t")
    assert [q.speaker for q in doc.quotes] == ["Will Young", "Hope Hicks"]
    assert all(e.country is None for e in doc.doc_entities if e.type == "person")  # no invented country


def test_namesakes_and_hundreds_of_names_in_one_article() -> None:
    first = ["Anna", "Peter", "Maria", "John", "Sarah", "David", "Laura", "Michael", "Emma", "Thomas",
             "Julia", "Daniel", "Sophie", "Robert", "Clara", "James", "Nora", "Henry", "Alice", "Oliver"]
    last = ["Lindqvist", "Okafor", "Brennan", "Castellanos", "Vogel", "Marchetti", "Haugen", "Dubois", "Kowalski",
            "Fitzgerald", "Almeida", "Novak", "Sorensen", "Whitaker", "Petrov"]
    names = [f"{f} {s}" for s in last for f in first][:300]
    text = "\n\n".join(f"{n} said on Monday that the talks would resume." for n in names)
    doc = read_text(text, source="t")
    people = {e.name for e in doc.doc_entities if e.type == "person"}
    assert len(people & set(names)) >= 250  # namesakes by surname stay apart: Anna Vogel is not Peter Vogel
    assert all(e.country is None for e in doc.doc_entities if e.type == "person")


def test_the_untouched_half_is_fixed_and_about_half() -> None:
    ids = [f"doc-{i}" for i in range(2000)]
    parts = [part_of(i) for i in ids]
    assert parts == [part_of(i) for i in ids]
    assert 0.45 < parts.count("untouched") / len(ids) < 0.55


def test_html_character_references_in_plain_text_are_decoded_before_anything_reads_it() -> None:
    doc = read_text("Justin Trudeau said &quot;we will not back down&quot; on Monday. O&#8217;Toole said it "
                    "was wrong. AT&T said &bogus; was fine.", source="t")
    assert '"we will not back down"' in doc.text and "O’Toole" in doc.text and "&bogus;" in doc.text
    assert [q.speaker for q in doc.quotes][:2] == ["Justin Trudeau", "O’Toole"]
    for q in doc.quotes:
        assert all(doc.text[a:b] for a, b in q.content_spans)
