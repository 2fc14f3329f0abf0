"""Package data about names: news outlets (with aliases and home country), titles and honorifics,
and the words that end an organisation's name; the files are read through ``resources.tables``.

The tables are curated TSV files in ``data/``, fixed at install time: users cannot add outlets or
titles (they can extend the actors' gazetteer, ``actors.Gazetteer``, with ``--actors FILE``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backchannel.resources.tables import data_table, words


@dataclass(frozen=True, slots=True)
class Outlet:
    canonical: str
    country: str
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def outlets() -> tuple[Outlet, ...]:
    out = []
    for row in data_table("outlets.tsv"):
        canonical = row["canonical"]
        country = row.get("country_iso3", "")
        aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
        out.append(Outlet(canonical, country, (canonical, *aliases)))
    return tuple(out)


@lru_cache(maxsize=1)
def _outlet_pattern() -> tuple[re.Pattern[str], dict[str, Outlet]]:
    by_alias: dict[str, Outlet] = {}
    for outlet in outlets():
        for alias in outlet.aliases:
            key = _norm(alias)
            if key and key not in by_alias:
                by_alias[key] = outlet
    alternatives = sorted(by_alias, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w])")
    return pattern, by_alias


def _norm(name: str) -> str:
    name = name.replace("’", "'").replace("‘", "'").lower()
    name = re.sub(r"^the\s+", "", name.strip())
    return re.sub(r"\s+", " ", name)


def find_outlet(text: str) -> Outlet | None:
    """The outlet named in ``text`` (longest alias wins), e.g. "Iran's semi-official Mehrs News"."""
    pattern, by_alias = _outlet_pattern()
    best = None
    norm = _norm(text)
    for m in pattern.finditer(norm):
        # the outlet ends the phrase ("Iran's semi-official Mehrs News"); "Guardian Council" is not the Guardian
        rest = norm[m.end() :].lstrip()
        if rest and not re.match(r"^(?:'s\b|[^\w\s])", rest):
            continue
        if best is None or len(m.group()) > len(best.group()):
            best = m
    return by_alias[best.group()] if best else None


@lru_cache(maxsize=1)
def titles() -> dict[str, tuple[str, str]]:
    """Lower-cased title → (kind, sector); kind is 'honorific' or 'office'."""
    out: dict[str, tuple[str, str]] = {}
    for row in data_table("titles.tsv"):
        title = row["title"].lower().rstrip(".")
        out[title] = (row.get("kind", "office"), row.get("sector", ""))
    return out


def is_title_word(word: str) -> bool:
    return word.lower().rstrip(".") in titles()


#: words that end an organisation's name where a person's begins ("… Security Council Saeed
#: Jalili", "Secretary of State John Kerry")
ORGANISATION_WORDS = words("organisation_words")
