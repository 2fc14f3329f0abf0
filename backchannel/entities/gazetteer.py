"""The actor gazetteer: every name the package data knows, with its country, sector and offices.

Why one place: quotes, events and cross-document identities all ask "who is this name?" and "who
held this office on this date?"; they must get one answer. Country names come from pycountry,
with the curated aliases, demonyms, capitals-as-metonyms, organisations and dated office holders
in ``data/actors/``, the outlets list (as MED) and the office holders of the open knowledge base
(``resources.kb``); its places and organisations are looked up by name on demand (:meth:`Gazetteer.place`,
:meth:`Gazetteer.organisation`). Users extend or override it with a YAML file
(``backchannel read --actors my.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry
import spacy
import yaml
from rapidfuzz.distance import OSA
from spacy.matcher import PhraseMatcher

from backchannel.errors import ConfigError
from backchannel.resources import kb
from backchannel.resources.names import APOSTROPHES, key, plain, without_article
from backchannel.resources.outlets import outlets
from backchannel.resources.tables import data_table, words
from backchannel.resources.titles import titles

#: the word that makes a region's name a region's ("Kano State", "Kherson Oblast")
_PLACE_SUFFIX = re.compile(r" (?:state|province|region|governorate|oblast|prefecture|county|district)$")
SECTORS = frozenset(
    "GOV MIL JUD LEG OPP REB CVL MED EDU BUS NGO REF ELI COP SPY REL IGO".split()
)


@dataclass(frozen=True, slots=True)
class Code:
    """One gazetteer entry: what a name stands for."""

    name: str
    country: str | None
    sector: str | None
    kind: str  # country | demonym | metonym | org | outlet | person
    office: str | None = None
    start: date | None = None
    end: date | None = None

    def held_on(self, when: date) -> bool:
        """Whether this term covers ``when`` (both ends count; an open end is still in office)."""
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)


def _parse_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        return None


def _norm(text: str) -> str:
    """A gazetteer key: the phrase as written, plain and without a leading "the" (case is kept:
    "US" is not "us")."""
    return without_article(plain(text))


def _split(cell: str | None) -> list[str]:
    return [a.strip() for a in (cell or "").split("|") if a.strip()]


class Gazetteer:
    """Names → codes, sector words, and office holders by date."""

    def __init__(self) -> None:
        self.phrases: dict[str, list[Code]] = {}
        self.sector_words: dict[str, str] = {}
        self.country_names: dict[str, str] = {}  # ISO3 → the name news uses
        self._offices: dict[str, set[Code]] | None = None
        self._surnames: dict[str, set[str]] | None = None  # last word (key form) → people's phrases
        self._matchers: list[tuple[Any, Any, dict[int, str]]] = []  # (vocab, PhraseMatcher, labels)
        self.version = "empty"

    def add(self, phrase: str, code: Code, *, first: bool = False) -> None:
        key = _norm(phrase)
        if not key:
            return
        entries = self.phrases.setdefault(key, [])
        if code not in entries:
            entries.insert(0, code) if first else entries.append(code)
            self._matchers.clear()
            self._offices = self._surnames = None

    def lookup(self, phrase: str) -> list[Code]:
        return self.phrases.get(_norm(phrase), [])

    def person(self, name: str) -> list[Code]:
        """The people called ``name``; else those whose full name is ``name`` spelt another way (two
        letters at most, same surname and initial: "Mohammed Hussein Roble" is Mohamed Hussein Roble)."""
        found = [c for c in self.lookup(name) if c.kind == "person"]
        words = key(name).split()
        if found or len(words) < 2 or len(" ".join(words)) < 10:
            return found
        if self._surnames is None:
            self._surnames = {}
            for phrase, codes in self.phrases.items():
                if any(c.kind == "person" for c in codes) and len(phrase.split()) >= 2:
                    self._surnames.setdefault(key(phrase).split()[-1], set()).add(phrase)
        close = [p for p in self._surnames.get(words[-1], ()) if key(p)[:1] == words[0][:1]
                 and OSA.distance(key(p), " ".join(words), score_cutoff=2) <= 2]
        people = {c for p in close for c in self.phrases[p] if c.kind == "person"}
        return sorted(people, key=lambda c: (c.name, c.start or date.min)) if len({c.name for c in people}) == 1 else []

    def holders(self, office: str, country: str | None, when: date | None) -> list[Code]:
        """Who held ``office`` (in ``country``) on ``when``, most recent first."""
        if self._offices is None:
            self._offices = {}
            for codes in self.phrases.values():
                for c in codes:
                    if c.kind == "person" and c.office:
                        self._offices.setdefault(c.office, set()).add(c)
        found = {c for c in self._offices.get(office, ()) if country is None or c.country == country}
        if when is not None:
            found = {c for c in found if c.held_on(when)}
        return sorted(found, key=lambda c: c.start or date.min, reverse=True)

    def place(self, name: str, countries: Collection[str] = (), min_population: int = 0) -> Code | None:
        """A city or region of the knowledge base (GeoNames) and its country; None when that would
        be a guess. Of namesakes: the one in a country the document names, else a region ("Florida"
        the US state, not the Cuban town), else the far biggest city (5× the next). A name in capitals
        ("GOP") is no place; an odd alternate name only for a city of a million."""
        if name.isupper() or _ABBREVIATION.match(name) or kb.normalise(name) in _DIRECTIONS:
            return None  # "GOP", "Pa.", "the South": an acronym, an abbreviation, a part of the country
        found = _places(name) or _places(_PLACE_SUFFIX.sub("", kb.normalise(name)))
        found = tuple(p for p in found if p.population >= min_population or p.kind == "admin1")
        pick = _pick_place(found, countries)
        if pick is not None and countries and pick.country not in countries and _place_size(pick) < _FOREIGN_TOWN:
            return None  # a small town abroad in an article about other countries: a namesake of something else
        return Code(pick.name, pick.country, "CVL", "place") if pick else None

    def organisation(self, name: str, countries: Collection[str] = ()) -> Code | None:
        """A body of the knowledge base by its name or acronym ("SANDF", "Madras High Court"): of
        namesakes (one "Supreme Court" per country), the one in a country the document names, else
        the sector they share without a country; a name that is also a word or a place only as written."""
        found = [o for o in kb.lookup_organisation(name) if not (name not in o.names and _as_written(name, o))]
        named = [o for o in found if o.country in countries]
        if not named and countries and _ACRONYM.match(name) and not all(o.country == "IGO" for o in found):
            return None  # an acronym of a body abroad in an article about other countries ("PAC" is no Kenyan college)
        found = named or found
        if not found:
            return None
        if len({(o.country, o.sector) for o in found}) == 1:
            return Code(found[0].name, found[0].country or None, found[0].sector or None, "org")
        if len({o.sector for o in found}) == 1:
            return Code(name, None, found[0].sector or None, "org")
        return None

    @classmethod
    def default(cls) -> "Gazetteer":
        return _default_gazetteer()

    def extended(self, path: str | Path) -> "Gazetteer":
        """A copy with a user's YAML entries added in front of the curated ones (they win)."""
        out = Gazetteer()
        out.phrases = {k: list(v) for k, v in self.phrases.items()}
        out.sector_words = dict(self.sector_words)
        out.country_names = dict(self.country_names)
        out.version = f"{self.version}+{Path(path).name}"
        for code, aliases in _user_entries(path):
            for alias in aliases:
                out.add(alias, code, first=True)
        return out


def _user_entries(path: str | Path) -> Iterable[tuple[Code, list[str]]]:
    """Entries of a user's actor file: a YAML list of {name, aliases, country, sector, office, start, end}."""

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError("E304", path=str(path), detail=str(exc).splitlines()[0]) from exc
    items = data.get("actors") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ConfigError("E304", path=str(path), detail="expected a list of actors (or a mapping with 'actors:')")
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not item.get("name"):
            raise ConfigError("E304", path=str(path), detail=f"entry {i + 1} needs at least a 'name'")
        sector = (item.get("sector") or None) and str(item["sector"]).upper()
        if sector is not None and sector not in SECTORS:
            raise ConfigError("E304", path=str(path), detail=f"entry {i + 1}: unknown sector '{sector}' (one of {', '.join(sorted(SECTORS))})")
        country = (item.get("country") or None) and str(item["country"]).upper()
        office = item.get("office") or None
        kind = "person" if office or item.get("kind") == "person" else str(item.get("kind") or "org")
        code = Code(str(item["name"]), country, sector, kind, office, _parse_date(item.get("start")), _parse_date(item.get("end")))
        aliases = [str(item["name"]), *(str(a) for a in item.get("aliases") or [])]
        yield code, aliases


def _as_written(name: str, org: kb.Organisation) -> bool:
    """Whether ``org`` is matched only by a name written exactly so (a word or a place name)."""
    return org.ambiguous and any(kb.normalise(n) == kb.normalise(name) for n in org.ambiguous_names)


#: "Pa.", "Ga.", "Fla.": an abbreviation (of a US state, mostly), never a town of that name
_ABBREVIATION = re.compile(r"^[A-Z][a-z]{0,3}\.$")
#: "PAC", "DfID", "SANDF": two capitals or more in one short word
_ACRONYM = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Za-z]{2,6}$")
_DIRECTIONS = words("direction_words")
#: the least size of a place abroad (not in a country the article names) to be taken for it
_FOREIGN_TOWN = 100_000
#: the least population of a city found only by one of its other names
_ALTERNATE_NAME_CITY = 1_000_000


def _places(name: str) -> tuple[kb.Place, ...]:
    """Places called ``name``; else big cities with it as another name ("Madras" is Chennai)."""
    own, other = kb.places_called(name)
    return own or tuple(p for p in other if p.population >= _ALTERNATE_NAME_CITY)


def _pick_place(found: tuple[kb.Place, ...], countries: Collection[str]) -> kb.Place | None:
    """Of namesakes, the biggest in a country the document names, unless one elsewhere is five
    times bigger ("Florida" in an article naming Cuba is still the US state, not a Cuban town);
    else the far biggest. A region is as big as its cities (GeoNames gives regions no population)."""
    local = max((p for p in found if p.country in countries), key=_place_size, default=None)
    top = _far_biggest(list(found), _place_size)
    if local is not None and (top is None or top.country == local.country or _place_size(top) < 5 * _place_size(local)):
        return local
    return top


def _place_size(place: kb.Place) -> int:
    """People living in a city, or in a region's cities."""
    return kb.region_size(place) if place.kind == "admin1" else place.population


def _far_biggest(places: list[kb.Place], size: Callable[[kb.Place], int]) -> kb.Place | None:
    """The biggest of several places if it is five times the biggest of any other country."""
    best: dict[str, tuple[int, kb.Place]] = {}
    for p in places:
        if p.country not in best or size(p) > best[p.country][0]:
            best[p.country] = (size(p), p)
    ranked = sorted(best.values(), key=lambda sp: -sp[0])
    if ranked and (len(ranked) == 1 or ranked[0][0] >= 5 * max(ranked[1][0], 1)):
        return ranked[0][1]
    return None


@lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    """The package's gazetteer: countries, curated tables, outlets, and the knowledge base's office holders."""
    g = Gazetteer()
    g.version = f"backchannel-actors/2 pycountry/{getattr(pycountry, '__version__', '?')}"
    _add_countries(g)
    _add_tables(g)
    _add_office_holders(g)
    return g


def _add_countries(g: Gazetteer) -> None:
    """pycountry's names, with the curated aliases first (they win) and the demonyms."""
    extra = {r["iso3"]: r for r in data_table("actors/countries.tsv")}
    for country in pycountry.countries:
        iso3 = country.alpha_3
        name = getattr(country, "common_name", None) or country.name
        row = extra.get(iso3, {})
        aliases = _split(row.get("aliases"))
        canonical = aliases[0] if aliases else name
        g.country_names[iso3] = canonical
        for alias in {country.name, name, getattr(country, "official_name", country.name)} - set(aliases):
            g.add(alias, Code(canonical, iso3, None, "country"))
        for alias in aliases:  # the curated aliases win over pycountry's names ("Congo" is the DR Congo)
            g.add(alias, Code(canonical, iso3, None, "country"), first=True)
        for demonym in _split(row.get("demonyms")):
            g.add(demonym, Code(canonical, iso3, None, "demonym"))
    for iso3, row in extra.items():  # Kosovo and others pycountry leaves out
        if pycountry.countries.get(alpha_3=iso3) is None:
            aliases = _split(row.get("aliases"))
            g.country_names[iso3] = aliases[0] if aliases else iso3
            for alias in aliases:
                g.add(alias, Code(aliases[0], iso3, None, "country"))
            for demonym in _split(row.get("demonyms")):
                g.add(demonym, Code(aliases[0] if aliases else iso3, iso3, None, "demonym"))


def _add_tables(g: Gazetteer) -> None:
    """Metonyms, organisations, outlets, sector words and office titles."""
    for row in data_table("actors/metonyms.tsv"):
        g.add(row["phrase"], Code(row["phrase"], row["iso3"] or None, row["sector"] or None, "metonym"))
    for row in data_table("actors/organisations.tsv"):
        code = Code(row["canonical"], row["country"] or None, row["sector"] or None, "org")
        for alias in [row["canonical"], *_split(row.get("aliases"))]:
            g.add(alias, code)
    for outlet in outlets():
        code = Code(outlet.canonical, outlet.country or None, "MED", "outlet")
        for alias in outlet.aliases:
            g.add(alias, code)
    for row in data_table("actors/sector_words.tsv"):
        g.sector_words[row["word"].lower()] = row["sector"]
    for title, (kind, sector) in titles().items():
        if kind == "office" and sector and title not in g.sector_words:
            g.sector_words[title] = sector


def _add_office_holders(g: Gazetteer) -> None:
    """The curated office holders (with the surnames news uses alone), then every term of the
    knowledge base under its office and under each generic role it plays ("head of state")."""
    for row in data_table("actors/office_holders.tsv"):
        code = Code(row["name"], row["country"] or None, row["sector"] or None, "person", row["office"].lower() or None,
                    _parse_date(row.get("start")), _parse_date(row.get("end")))
        for alias in [row["name"], *_split(row.get("aliases"))]:
            g.add(alias, code)
    for term in kb.people():
        for office in dict.fromkeys((term.office, *term.roles)):
            code = Code(term.name, term.country, term.sector or None, "person", office or None, term.start, term.end)
            for alias in (term.name, *term.aliases):
                g.add(alias, code)


@lru_cache(maxsize=8)
def gazetteer_for(path: str | None) -> Gazetteer:
    """The curated gazetteer, extended by a user's YAML file when one is given."""
    base = Gazetteer.default()
    return base.extended(path) if path else base


# --- matching over a Doc ------------------------------------------------------------------


def phrase_matcher(gazetteer: Gazetteer, vocab: Any) -> tuple["PhraseMatcher", dict[int, str]]:
    """A PhraseMatcher over every gazetteer phrase (lower-cased), built once per gazetteer and vocab
    and kept on the gazetteer (so it goes when the gazetteer goes, and ``add`` invalidates it)."""
    for held_vocab, matcher, labels in gazetteer._matchers:
        if held_vocab is vocab:
            return matcher, labels

    tokenizer = spacy.blank("en", vocab=vocab).tokenizer
    matcher = PhraseMatcher(vocab, attr="LOWER")
    labels: dict[int, str] = {}
    for phrase in gazetteer.phrases:
        label = "BC_ACTOR:" + phrase
        labels[vocab.strings.add(label)] = phrase
        matcher.add(label, [tokenizer(phrase)])
    gazetteer._matchers.append((vocab, matcher, labels))
    return matcher, labels


def _case_ok(pattern: str, found: str) -> bool:
    """'US' is not 'us', 'Chad' not 'chad': a pattern with capitals needs them in the text."""
    found = found.translate(APOSTROPHES)
    if pattern == found:
        return True
    letters = [c for c in pattern if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) <= 5:
        return found.replace("the ", "").replace("The ", "") == pattern
    if " " not in pattern and any(c.isupper() for c in pattern[1:]):
        return False  # "LeT", "MoD", "CoE" are written so, never "Let" or "Mod"
    if pattern[:1].isupper():
        return found[:1].isupper()
    return True
