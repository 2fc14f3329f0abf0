"""News outlets with their aliases and home country (``data/outlets.tsv``), and finding one in a phrase.

The table is fixed at install time: users cannot add outlets (they can extend the actor
gazetteer, ``entities.gazetteer.Gazetteer``, with ``--actors FILE``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from backchannel.resources.names import key
from backchannel.resources.tables import data_table


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
def _with_article() -> frozenset[str]:
    """Outlet names only ever written with "the" ("The National", "The Hill"): after another word
    ("Front National", "Capitol Hill") they are part of another name."""
    written = [(_norm(a), a.lower().startswith("the ")) for o in outlets() for a in o.aliases]
    return frozenset(k for k, the in written if the) - {k for k, the in written if not the}


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
    return key(name)


_TRAILING = re.compile(r"(?:['’]s)?[\s.,;:]*$")


@lru_cache(maxsize=1)
def _multiword_aliases() -> dict[tuple[int, int], dict[str, Outlet]]:
    """Aliases of two or more words, the ones a one-letter slip can be matched to, by (word count,
    length): a slip changes the length by one at most, so only three lengths are ever compared."""
    out: dict[tuple[int, int], dict[str, Outlet]] = {}
    for alias, outlet in _outlet_pattern()[1].items():
        if len(alias.split()) >= 2:
            out.setdefault((len(alias.split()), len(alias)), {})[alias] = outlet
    return out


def _misspelt_outlet(text: str) -> Outlet | None:
    """An outlet name with one letter wrong, added, missing or swapped ("Mehrs News", "New Yrok Times"):
    only aliases of two or more words, ending the phrase and written with capitals, so that a
    common word or a person's name one letter from a one-word outlet never matches."""
    words = text.split()
    by_size = _multiword_aliases()
    for n in sorted({n for n, _ in by_size}, reverse=True):
        tail = words[-n:]
        if len(tail) < n or not all(w[:1].isupper() for w in tail if w[:1].isalpha()):
            continue
        written = _norm(" ".join(tail))
        near = (by_size.get((n, len(written) + d), {}) for d in (-1, 0, 1))
        found = {o for aliases in near for a, o in aliases.items() if OSA.distance(written, a, score_cutoff=1) <= 1}
        if len(found) == 1:
            return found.pop()
    return None


@lru_cache(maxsize=65536)
def find_outlet(text: str) -> Outlet | None:
    """The outlet named in ``text`` (longest alias wins), e.g. "Iran's semi-official Mehr News";
    else one whose name is misspelt by a letter (:func:`_misspelt_outlet`)."""
    pattern, by_alias = _outlet_pattern()
    best = None
    norm = _norm(text)
    for m in pattern.finditer(norm):
        # the outlet ends the phrase ("Iran's semi-official Mehrs News"); "Guardian Council" is not the Guardian
        rest = norm[m.end() :].lstrip()
        if rest and not re.match(r"^(?:'s\b|[^\w\s])", rest):
            continue
        if m.group() in _with_article() and re.search(r"\w\s*$", norm[: m.start()]) and not norm[: m.start()].endswith("the "):
            continue  # "Front National" is not The National
        if best is None or len(m.group()) > len(best.group()):
            best = m
    return by_alias[best.group()] if best else _misspelt_outlet(_TRAILING.sub("", text))
