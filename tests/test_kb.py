"""The open knowledge base (resources.kb over data/kb/*.parquet): people in office found by name and by
office, country and date; places, countries and organisations by name; every code a real ISO code;
the README accounts for every file and its sources; loading stays quick."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pycountry
import pytest

from backchannel.resources import kb

ROOT = Path(__file__).resolve().parent.parent
KB_DIR = ROOT / "backchannel" / "data" / "kb"
PARQUET_FILES = ("people.parquet", "places.parquet", "countries.parquet", "organisations.parquet")
#: PLOVER/POLECAT sectors (as in evaluation.entities.SECTORS).
PLOVER_SECTORS = frozenset("GOV MIL JUD LEG OPP REB CVL MED EDU BUS NGO REF ELI COP SPY REL IGO".split())
#: Codes GeoNames and ISO leave out that the knowledge base may use.
EXTRA_CODES = {"XKX"}


def _is_iso3(code: str) -> bool:
    return code in EXTRA_CODES or pycountry.countries.get(alpha_3=code) is not None


def test_kb_head_of_government_by_name_in_any_spelling() -> None:
    terms = kb.lookup_person("Narendra Modi")
    assert any(t.country == "IND" and t.office == "prime minister" and t.start == date(2014, 5, 26) for t in terms)
    assert kb.lookup_person("NARENDRA  MODI") == terms
    erdogan = kb.lookup_person("Recep Tayyip Erdogan")  # the row's name is spelled Erdoğan
    assert {t.office for t in erdogan if t.country == "TUR"} >= {"prime minister", "president"}
    assert kb.lookup_person("Recep-Tayyip Erdoğan") == erdogan


def test_kb_aliases_find_the_person_but_bare_surnames_are_not_aliases() -> None:
    assert any(t.name == "Sergei Lavrov" for t in kb.lookup_person("Sergey Lavrov"))
    assert kb.lookup_person("Obama") == ()  # the curated list has it, the knowledge base drops bare surnames
    assert all(len(kb.normalise(a).split()) > 1 for t in kb.people() for a in t.aliases)


def test_kb_holders_by_office_country_and_date() -> None:
    (cameron,) = kb.holders("prime minister", "GBR", date(2015, 6, 1))
    assert cameron.name == "David Cameron" and cameron.wikidata
    assert kb.holders("head of government", "GBR", date(2015, 6, 1)) == (cameron,)
    (lula,) = kb.holders("head of state", "BRA", date(2005, 1, 1))  # a Wikidata-only term with the generic title
    assert lula.name == "Luiz Inácio Lula da Silva" and lula.source == "wd-leaders"
    assert [t.name for t in kb.holders("president", "BRA", date(2024, 1, 1))] == ["Luiz Inácio Lula da Silva"]
    (blinken,) = kb.holders("foreign minister", "usa", date(2022, 3, 1))  # USA's title is 'secretary of state'
    assert blinken.name == "Antony Blinken" and blinken.office == "secretary of state"
    assert kb.holders("Minister of Foreign Affairs", "USA", date(2022, 3, 1)) == (blinken,)


def test_kb_the_end_day_belongs_to_the_successor() -> None:
    (may,) = kb.holders("prime minister", "GBR", date(2016, 7, 13))
    assert may.name == "Theresa May"
    assert not may.held_on(may.end)


def test_kb_a_date_outside_every_term_gives_nobody() -> None:
    assert kb.holders("prime minister", "GBR", date(1890, 1, 1)) == ()
    assert kb.holders("prime minister", "GBR", date(2015, 6, 1))  # the same query in term finds someone
    assert kb.holders("prime minister", "ZZZ", date(2015, 6, 1)) == ()
    (modi,) = [t for t in kb.lookup_person("Narendra Modi") if t.office == "prime minister"]
    assert not modi.held_on(date(2014, 5, 25)) and modi.held_on(date(2014, 5, 26))


def test_kb_namesakes_give_several_rows() -> None:
    abbotts = kb.lookup_person("Tony Abbott")  # Australia's prime minister and a governor of Montserrat
    assert {(t.country, t.wikidata) for t in abbotts} >= {("AUS", "Q348577"), ("MSR", "Q7821739")}
    assert len({t.wikidata for t in abbotts}) >= 2
    putin = kb.lookup_person("Vladimir Putin")  # one person, several terms
    assert len({(t.office, t.start) for t in putin if t.country == "RUS"}) >= 3


def test_kb_people_rows_are_well_formed_and_unique() -> None:
    rows = kb.people()
    assert len(rows) > 3000
    keys = [(kb.normalise(t.name), t.country, t.office, t.start, t.end) for t in rows]
    assert len(keys) == len(set(keys))
    for t in rows:
        assert t.name and t.office == t.office.lower() and t.sector in {"GOV", "LEG", "JUD"}, t
        assert t.start is not None and (t.end is None or t.end >= t.start), t
        assert t.end is None or t.end >= date(1990, 1, 1), t


def test_kb_every_country_code_is_iso3_or_kosovo() -> None:
    codes = {t.country for t in kb.people()} | {p.country for p in kb.places()} | {c.iso3 for c in kb.countries()}
    assert codes and not {c for c in codes if not _is_iso3(c)}


def test_kb_places_by_name_prefer_the_place_so_named_and_the_bigger_one() -> None:
    paris = kb.places_by_name()["paris"]
    assert paris[0].country == "FRA" and paris[0].kind == "city" and paris[0].admin1 == "Île-de-France"
    assert any(p.country == "USA" for p in paris)
    (first, *_) = kb.places_by_name()[kb.normalise("São Paulo")]
    assert first.country == "BRA" and first.population > 10_000_000
    assert kb.places_by_name()["california"][0].kind == "admin1"
    assert all(p.population >= 15000 for p in kb.places() if p.kind == "city")


def test_kb_countries_by_name_and_demonym() -> None:
    assert kb.countries_by_name()["german"][0].iso3 == "DEU"
    assert kb.countries_by_name()[kb.normalise("Federal Republic of Germany")][0].iso3 == "DEU"
    kosovo = kb.country("xkx")
    assert kosovo is not None and kosovo.iso2 == "XK" and "Kosovar" in kosovo.demonyms
    assert kb.country("ZZZ") is None


def test_kb_normalise_folds_case_accents_and_punctuation() -> None:
    assert kb.normalise("  Łukasz  Żółć-Ørsted ") == "lukasz zolc orsted"
    assert kb.normalise("A.P.J. Abdul Kalam") == "a p j abdul kalam"
    assert kb.office_key("Minister of Defense") == "defence minister"


@pytest.mark.parametrize("name", PARQUET_FILES)
def test_kb_readme_accounts_for_every_parquet_file(name: str) -> None:
    readme = (KB_DIR / "README.md").read_text(encoding="utf-8")
    assert (KB_DIR / name).is_file()
    assert f"`{name}`" in readme
    for word in ("licence", "commit", "Rebuild", "CC0", "CC BY 4.0", "ODbL"):
        assert word.lower() in readme.lower(), word


def test_kb_readme_lists_no_file_that_is_missing() -> None:
    on_disk = {p.name for p in KB_DIR.glob("*.parquet")}
    assert on_disk == set(PARQUET_FILES)


def test_kb_loading_is_cached_once_per_process() -> None:
    first = kb.people()
    assert kb.people() is first and kb.places_by_name() is kb.places_by_name()
    assert kb.organisations_by_name() is kb.organisations_by_name()


def test_kb_organisations_an_igo_with_its_acronym() -> None:
    (iaea,) = [o for o in kb.lookup_organisation("IAEA") if o.sector == "IGO"]
    assert iaea.name == "International Atomic Energy Agency" and iaea.country == "IGO" and iaea.kind == "igo"
    assert kb.lookup_organisation("international atomic energy agency") == kb.lookup_organisation("IAEA")
    (ecowas,) = kb.lookup_organisation("ECOWAS")  # from the World Factbook's appendix
    assert ecowas.name == "Economic Community of West African States" and ecowas.country == "IGO"
    assert any(o.name == "North Atlantic Treaty Organization" for o in kb.lookup_organisation("NATO"))


def test_kb_organisations_state_bodies_with_acronyms_and_countries() -> None:
    (dfid,) = kb.lookup_organisation("DFID")
    assert (dfid.name, dfid.country, dfid.sector, dfid.kind) == ("Department for International Development", "GBR",
                                                                  "GOV", "ministry")
    assert dfid.wikidata == "Q2748702"
    (sandf,) = kb.lookup_organisation("SANDF")  # the Factbook writes 'Defense'; the other spelling is an alias
    assert (sandf.country, sandf.sector, sandf.kind) == ("ZAF", "MIL", "military")
    assert kb.lookup_organisation("South African National Defence Force") == (sandf,)
    (fbi,) = kb.lookup_organisation("FBI")
    assert (fbi.name, fbi.country, fbi.sector) == ("Federal Bureau of Investigation", "USA", "COP")
    (saps,) = kb.lookup_organisation("South African Police Service")
    assert saps.sector == "COP" and "SAPS" in saps.aliases


def test_kb_organisations_a_university_an_armed_group_and_an_outlet() -> None:
    (uct,) = kb.lookup_organisation("University of Cape Town")
    assert (uct.country, uct.sector, uct.kind) == ("ZAF", "EDU", "university") and "UCT" in uct.aliases
    assert any(o.country == "NGA" and o.sector == "REB" for o in kb.lookup_organisation("Boko Haram"))
    assert any(o.sector == "MED" for o in kb.lookup_organisation("Reuters"))


def test_kb_organisations_flag_names_that_are_words_or_places() -> None:
    (who,) = [o for o in kb.lookup_organisation("WHO") if o.name == "World Health Organization"]
    assert who.ambiguous and "WHO" in who.ambiguous_names
    for org in kb.organisations():
        assert org.ambiguous == bool(org.ambiguous_names), org
        assert set(org.ambiguous_names) <= set(org.names), org
    assert not any(o.ambiguous for o in kb.lookup_organisation("FBI"))


def test_kb_organisations_no_name_is_a_lone_common_word_unless_curated() -> None:
    apple = [o for o in kb.organisations() if "Apple" in o.aliases and o.sector == "BUS"]
    assert apple and all(o.name != "Apple" and "Apple" in o.ambiguous_names for o in apple)


def test_kb_organisations_codes_and_sectors_are_valid() -> None:
    rows = kb.organisations()
    assert len(rows) > 10_000
    assert not {o.country for o in rows if o.country and o.country != "IGO" and not _is_iso3(o.country)}
    assert {o.sector for o in rows} <= PLOVER_SECTORS
    assert all(o.name and o.kind and o.source for o in rows)
    assert all(o.sector == "IGO" or o.country != "IGO" or o.sector in {"JUD", "COP", "SPY"} for o in rows)  # ICJ, Interpol


def test_kb_readme_names_the_organisation_sources_and_licences() -> None:
    readme = (KB_DIR / "README.md").read_text(encoding="utf-8")
    assert "`organisations.parquet`" in readme
    for source in ("factbook/factbook.json", "ror-community/ror-records", "MISP/misp-galaxy",
                   "openeventdata/petrarch2", "Hipo/university-domains-list", "upou-agpidlaoan/cia-factbook"):
        assert source in readme, source
    for licence in ("public domain", "CC0 1.0", "MIT", "Open Government Licence - Canada"):
        assert licence in readme, licence
    assert "Known gaps and caveats (organisations)" in readme
