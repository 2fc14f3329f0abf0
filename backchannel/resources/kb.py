"""The open knowledge base in ``backchannel/data/kb/``: people in public office, places, countries and organisations.

Four Parquet files built by ``scripts/build_kb.py`` from open data (Wikidata-derived office holders,
GeoNames, mledoze/countries, the World Factbook, ROR, MISP galaxy, the Phoenix dictionary, Hipo's
universities and backchannel's own curated lists); ``data/kb/README.md`` names every source, its
licence and version, and how to rebuild. The files are package data, fixed
at install time, so each is read once per process, on first use, and kept as frozen dataclasses.

Lookups by name go through :func:`normalise` (case folded, accents and punctuation dropped,
whitespace collapsed), so "Recep Tayyip Erdoğan", "recep tayyip erdogan" and "Recep-Tayyip
Erdogan" find the same rows.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import pyarrow.parquet as pq

from backchannel.resources.names import loose_key
from backchannel.resources.tables import word_map

_KB = "data/kb"
#: ways news and data name one office ('minister of foreign affairs' is the 'foreign minister')
_OFFICE_SYNONYMS = word_map("office_synonyms")


@dataclass(frozen=True, slots=True)
class Office:
    """One person's uninterrupted term in one office (a row of ``people.parquet``)."""

    name: str  #: as English news writes it
    aliases: tuple[str, ...]  #: other spellings of the full name, never a bare surname
    country: str  #: ISO 3166-1 alpha-3 (XKX for Kosovo)
    sector: str  #: PLOVER/POLECAT sector: GOV, LEG, JUD
    office: str  #: lower case: 'president', 'prime minister', 'foreign minister', 'minister of finance' …
    roles: tuple[str, ...]  #: generic roles the office plays: 'head of state', 'head of government', 'foreign minister' …
    start: date | None
    end: date | None  #: None: still in office as far as the source knows (see data/kb/README.md for its date)
    source: str  #: short source ids, '+'-joined when rows from several sources were merged
    wikidata: str  #: Wikidata item id of the person, or ''

    def held_on(self, when: date) -> bool:
        """Whether this term covers ``when``: the start day counts, the end day does not (it is the successor's first)."""
        if self.start is None or when < self.start:
            return False
        return self.end is None or when < self.end or when == self.start == self.end


@dataclass(frozen=True, slots=True)
class Place:
    """A populated place (GeoNames city of 15,000 people or more) or a first-level administrative region."""

    name: str
    ascii_name: str  #: the name without accents
    aliases: tuple[str, ...]  #: other Latin-script names from GeoNames
    country: str  #: ISO 3166-1 alpha-3
    kind: str  #: 'city' or 'admin1'
    admin1: str  #: the city's first-level region ('' for a region itself, or when GeoNames has none)
    population: int  #: 0 when unknown (regions)
    latitude: float | None
    longitude: float | None
    geonameid: int


@dataclass(frozen=True, slots=True)
class Country:
    """A country or territory with an ISO 3166-1 code, its English names and demonyms."""

    iso3: str
    iso2: str
    name: str  #: short English name
    official: str  #: official English name
    names: tuple[str, ...]  #: every name and spelling, short name first
    demonyms: tuple[str, ...]  #: English demonyms ('German'), possibly empty


@dataclass(frozen=True, slots=True)
class Organisation:
    """A named organisation (a row of ``organisations.parquet``): an IGO, a state body, an armed group, a
    university, a company or a news outlet."""

    name: str  #: as English news writes it where a source gives that
    aliases: tuple[str, ...]  #: acronyms as written ('SANDF', 'DFID'), other names, native names in Latin script
    country: str  #: ISO 3166-1 alpha-3, 'IGO' for intergovernmental bodies, '' when none (transnational groups, NGOs)
    sector: str  #: PLOVER/POLECAT sector: IGO GOV MIL COP SPY JUD LEG EDU BUS MED REB NGO OPP REL
    kind: str  #: 'igo', 'ministry', 'agency', 'military', 'police', 'intelligence', 'court', 'legislature', 'armed group', …
    source: str  #: short source ids, '+'-joined when rows from several sources were merged (the first one's name won)
    wikidata: str  #: Wikidata item id, or ''
    ambiguous: bool  #: a name or alias is an English word or a place name: see ``ambiguous_names``
    ambiguous_names: tuple[str, ...]  #: the names to match only case-sensitively and inside a named entity

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)


def normalise(text: str) -> str:
    """The lookup key of a name (``resources.names.loose_key``): spelling noise never splits one name in two."""
    return loose_key(text)


def office_key(office: str) -> str:
    """The stored form of an office as a caller may write it ('Minister of Defense' -> 'defence minister')."""
    key = " ".join(office.casefold().split())
    return _OFFICE_SYNONYMS.get(key, key)


def kb_file(name: str) -> Any:
    """The packaged file ``data/kb/<name>`` (a Traversable), so the loader works from a wheel as from a checkout."""
    return resources.files("backchannel").joinpath(f"{_KB}/{name}")


@contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cycle collector while tens of thousands of acyclic rows are built: it would rescan them over and over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _columns(name: str) -> dict[str, list[Any]]:
    """One Parquet file of the knowledge base as column lists (one read, no pandas)."""
    path = kb_file(name)
    if not path.is_file():
        raise FileNotFoundError(f"{_KB}/{name}: the knowledge base is missing; rebuild it with scripts/build_kb.py")
    with path.open("rb") as handle:
        return pq.ParquetFile(handle).read().to_pydict()  # not pq.read_table: its dataset layer costs 0.3 s to start


def _split(cell: str | None) -> tuple[str, ...]:
    """A '|'-separated cell as a tuple (empty cell, empty tuple)."""
    return tuple(cell.split("|")) if cell else ()


def _day(cell: str | None) -> date | None:
    """An ISO date cell as a date (empty cell: unknown or open)."""
    return date.fromisoformat(cell) if cell else None


@lru_cache(maxsize=1)
def people() -> tuple[Office, ...]:
    """Every office term in the knowledge base, in file order (country, office, start)."""
    c = _columns("people.parquet")
    columns = (c[k] for k in ("name", "aliases", "country", "sector", "office", "roles", "start", "end", "source", "wikidata"))
    with _bulk():
        return tuple(
            Office(name, _split(aliases), country, sector, office, _split(roles), _day(start), _day(end), source, wikidata)
            for name, aliases, country, sector, office, roles, start, end, source, wikidata in zip(*columns, strict=True)
        )


def _index(items: tuple[Any, ...], names: Any) -> dict[str, tuple[Any, ...]]:
    """Items keyed by the normalised form of each of their names (an item once per key, in input order)."""
    out: dict[str, list[Any]] = {}
    for item in items:
        for key in dict.fromkeys(normalise(n) for n in names(item)):
            if key:
                out.setdefault(key, []).append(item)
    return {key: tuple(found) for key, found in out.items()}


@lru_cache(maxsize=1)
def people_by_name() -> dict[str, tuple[Office, ...]]:
    """Office terms keyed by the normalised name and every alias: one person's terms, and namesakes', under one key."""
    return _index(people(), lambda o: (o.name, *o.aliases))


def lookup_person(name: str) -> tuple[Office, ...]:
    """The office terms of whoever is called ``name`` (any spelling :func:`normalise` folds together)."""
    return people_by_name().get(normalise(name), ())


@lru_cache(maxsize=1)
def _by_country() -> dict[str, tuple[Office, ...]]:
    """Office terms grouped by country, so :func:`holders` scans one country's rows, not all."""
    out: dict[str, list[Office]] = {}
    for term in people():
        out.setdefault(term.country, []).append(term)
    return {country: tuple(terms) for country, terms in out.items()}


def holders(office: str, country: str, when: date | None = None) -> tuple[Office, ...]:
    """Who held ``office`` in ``country`` (ISO3) on ``when`` (any time if None), earliest start first.

    ``office`` matches a row's own office ('president', 'foreign secretary') or one of its generic
    roles ('head of state', 'head of government', 'foreign minister', 'defence minister'), so a
    caller need not know each country's title.
    """
    key = office_key(office)
    found = [t for t in _by_country().get(country.upper(), ())
             if (t.office == key or key in t.roles) and (when is None or t.held_on(when))]
    return tuple(sorted(found, key=lambda t: (t.start or date.min, t.name)))


@lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    """Every city and first-level region, biggest population first (regions last)."""
    c, _, _ = _place_rows()
    with _bulk():
        return tuple(_place(c, row) for row in range(len(c["name"])))


@lru_cache(maxsize=1)
def places_by_name() -> dict[str, tuple[Place, ...]]:
    """Places keyed by every normalised name: places so named first, then those with it as an alternate name,
    each group biggest first ('Paris' gives France's, then Texas's; Jerusalem's old name 'Ariel' comes after Ariel)."""
    rows = places()
    _, named, also = _place_rows()
    with _bulk():
        return {key: tuple(rows[r] for r in named.get(key, ()) + also.get(key, ())) for key in named.keys() | also.keys()}


@lru_cache(maxsize=1)
def _place_rows() -> tuple[dict[str, list[Any]], dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """The places file's columns and, per normalised name, the row numbers of the places so named
    and of those with it as another name (the file is biggest first): rows become :class:`Place`
    only when asked for, so the index is quick to build."""
    c = _columns("places.parquet")
    named: dict[str, list[int]] = {}
    also: dict[str, list[int]] = {}
    with _bulk():
        for row, (key, others) in enumerate(zip(c["key"], c["alias_keys"], strict=True)):
            named.setdefault(key, []).append(row)
            for other in _split(others):
                also.setdefault(other, []).append(row)
        return c, {k: tuple(v) for k, v in named.items()}, {k: tuple(v) for k, v in also.items()}


def places_called(name: str) -> tuple[tuple[Place, ...], tuple[Place, ...]]:
    """(the places called ``name``, the places with it as another name), each biggest first; any
    spelling :func:`normalise` folds together. Other names are GeoNames' alternates, some of them
    odd ("Indiana" for a town in Brazil): callers weigh them less."""
    c, named, also = _place_rows()
    key = normalise(name)
    own = named.get(key, ())
    return tuple(_place(c, r) for r in own), tuple(_place(c, r) for r in also.get(key, ()) if r not in own)


@lru_cache(maxsize=1)
def _region_sizes() -> dict[tuple[str, str], int]:
    """(country, region name) → the people of its cities in the file: regions have no population
    of their own in GeoNames, and this is how big a region is for telling namesakes apart."""
    c, _, _ = _place_rows()
    sizes: dict[tuple[str, str], int] = {}
    for country, admin1, population, kind in zip(c["country"], c["admin1"], c["population"], c["kind"], strict=True):
        if kind == "city" and admin1:
            sizes[(country, admin1)] = sizes.get((country, admin1), 0) + (population or 0)
    return sizes


def region_size(place: Place) -> int:
    """How many people a region's cities of 15,000 or more hold (0 for a city or an unknown region)."""
    return _region_sizes().get((place.country, place.name), 0) if place.kind == "admin1" else 0


def _place(c: dict[str, list[Any]], row: int) -> Place:
    """One row of the places file."""
    return Place(c["name"][row], c["ascii_name"][row], _split(c["aliases"][row]), c["country"][row], c["kind"][row],
                 c["admin1"][row], c["population"][row] or 0, c["latitude"][row], c["longitude"][row], c["geonameid"][row])


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """Every country and territory with an ISO code, ordered by ISO3."""
    c = _columns("countries.parquet")
    return tuple(
        Country(iso3, iso2, name, official, _split(names), _split(demonyms))
        for iso3, iso2, name, official, names, demonyms in zip(
            c["iso3"], c["iso2"], c["name"], c["official"], c["names"], c["demonyms"], strict=True)
    )


@lru_cache(maxsize=1)
def countries_by_name() -> dict[str, tuple[Country, ...]]:
    """Countries keyed by every normalised name and demonym ('germany', 'federal republic of germany', 'german')."""
    return _index(countries(), lambda c: (*c.names, *c.demonyms))


@lru_cache(maxsize=1)
def _countries_by_code() -> dict[str, Country]:
    """Countries keyed by ISO3, built once for :func:`country`."""
    return {c.iso3: c for c in countries()}


def country(iso3: str) -> Country | None:
    """The country with this ISO 3166-1 alpha-3 code, or None."""
    return _countries_by_code().get(iso3.upper())


@lru_cache(maxsize=1)
def _organisations_table() -> tuple[tuple[Organisation, ...], tuple[str, ...]]:
    """(organisations, their '|'-joined lookup keys): the keys were normalised by the build, not here."""
    c = _columns("organisations.parquet")
    columns = (c[k] for k in ("name", "aliases", "country", "sector", "kind", "source", "wikidata", "ambiguous",
                              "ambiguous_names"))
    with _bulk():
        rows = tuple(
            Organisation(name, _split(aliases), country, sector, kind, source, wikidata, bool(ambiguous), _split(flagged))
            for name, aliases, country, sector, kind, source, wikidata, ambiguous, flagged in zip(*columns, strict=True)
        )
    return rows, tuple(c["keys"])


def organisations() -> tuple[Organisation, ...]:
    """Every organisation, in file order (country, sector, name)."""
    return _organisations_table()[0]


@lru_cache(maxsize=1)
def organisations_by_name() -> dict[str, tuple[Organisation, ...]]:
    """Organisations keyed by the normalised name and every alias ('fbi', 'federal bureau of investigation');
    namesakes share a key ('supreme court' gives one court per country), in file order. Keys of
    ``ambiguous_names`` are here too: a caller matching raw text should check those case-sensitively."""
    rows, keys = _organisations_table()
    out: dict[str, list[Organisation]] = {}
    with _bulk():
        for org, joined in zip(rows, keys, strict=True):
            for key in joined.split("|"):
                out.setdefault(key, []).append(org)
        return {key: tuple(found) for key, found in out.items()}


def lookup_organisation(name: str) -> tuple[Organisation, ...]:
    """The organisations called ``name`` (name or alias, any spelling :func:`normalise` folds together)."""
    return organisations_by_name().get(normalise(name), ())
