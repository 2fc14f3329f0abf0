"""Who held an office on a date: the one office-holder resolver.

Why one: "the President", "Iran's foreign minister" and "the Majlis speaker" are resolved for a
quote's speaker, an event's actor and a cross-document identity alike; each stage asking the
gazetteer its own way gave three answers. The office is read from the description (synonyms in
``lexicon/office_synonyms.tsv``), its country from the owner ("Iran's"), a demonym ("Iranian") or
a seat of power inside it ("Majlis"), else from the countries the document names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from backchannel.entities.gazetteer import Code, Gazetteer
from backchannel.resources import kb
from backchannel.resources.tables import word_map

#: the generic role of a title ("president" → head of state), asked when nobody held the title itself
_ROLES = word_map("office_roles")
#: "the …", "Iran's …", "Iranian …": an owner before the office words
_DESCRIPTION = re.compile(r"^(?:the\s+)?(?:(?P<owner>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)['’]s\s+)?(?P<office>[\w\s.-]+)$", re.I)
_COUNTRY_KINDS = ("country", "demonym", "metonym")


def day_of(when: str | date | None) -> date | None:
    """An ISO date (or its first ten characters) as a date; None when it is not one."""
    if when is None or isinstance(when, date):
        return when
    try:
        return date.fromisoformat(str(when)[:10])
    except ValueError:
        return None


def country_of_word(g: Gazetteer, word: str) -> str | None:
    """The country a single word names as a country, demonym or seat of power ("Iranian", "Majlis")."""
    for code in g.lookup(word):
        if code.kind in _COUNTRY_KINDS and code.country and code.country != "IGO":
            return code.country
    return None


def split_office(g: Gazetteer, words: Iterable[str]) -> tuple[str, str | None]:
    """Office words without the words that name its country, and that country:
    "iranian foreign minister" → ("foreign minister", IRN); "majlis speaker" keeps "majlis"
    (the synonym table knows the office by that name)."""
    office: list[str] = []
    country = None
    for word in words:
        found = country_of_word(g, word)
        if found is not None and country is None:
            country = found
            if not any(c.kind == "metonym" for c in g.lookup(word)):
                continue
        office.append(word.lower())
    return " ".join(office), country


def holder(g: Gazetteer, office: str, country: str | None, when: date | None,
           countries: Iterable[str] = ()) -> Code | None:
    """The one person in ``office`` (of ``country``, else of one of ``countries``) on ``when``;
    None when the date is unknown, nobody held it, or several did and nothing tells them apart."""
    if when is None:
        return None
    office = kb.office_key(office)  # how news names an office the gazetteer files under another name
    found = g.holders(office, country, when) or (g.holders(_ROLES[office], country, when) if office in _ROLES else [])
    if country is None and len({c.name for c in found}) > 1:
        found = [c for c in found if c.country in set(countries)]
    names = {c.name for c in found}
    return found[0] if len(names) == 1 else None


def describe(g: Gazetteer, description: str) -> tuple[str, str | None] | None:
    """A description's office and country: "Iran's foreign minister" → ("foreign minister", IRN)."""
    m = _DESCRIPTION.match(description.strip())
    if m is None:
        return None
    country = None
    if m.group("owner"):
        country = next((c.country for c in g.lookup(m.group("owner")) if c.country and c.kind in _COUNTRY_KINDS), None)
        if country is None:
            return None
    office, named = split_office(g, m.group("office").split())
    return office, country or named


def holder_of(g: Gazetteer, description: str, when: str | date | None, countries: Iterable[str] = ()) -> Code | None:
    """The person a description of an office stands for on a date ("the supreme leader")."""
    found = describe(g, description)
    return holder(g, found[0], found[1], day_of(when), countries) if found else None
