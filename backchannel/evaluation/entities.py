"""Score actor coding on phrases: does a phrase as the actor of an event get its country and sector?

Why: NGEC's actor-resolution cases ("American soldiers", "the Iranian foreign minister", a dated
office holder) test the coding of *who* apart from event detection. Each phrase is put as the
actor of one event sentence (:data:`TEMPLATE`) dated with the case's date; the predicted actor is
the one whose span starts at the phrase. A case is right when every field it expects is right;
a case that expects no actor ("none") is right when no country is invented. Cases coded in
another scheme (NGEC's EUR, UNO, SOC, PRM, …) are scored apart; ``UNK`` means no sector.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pycountry
from spacy.lang.en.stop_words import STOP_WORDS

from backchannel.entities.mentions import is_heading
from backchannel.records import Actor, Document, Event
from backchannel.resources.tables import words

TEMPLATE = "{phrase} accused the rebels on Monday of violating the ceasefire."
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: PLOVER/POLECAT sectors; NGEC also uses CAMEO-era codes (SOC, PRM, UAF, CRM, PRE, …) that we do not
SECTORS = frozenset("GOV MIL JUD LEG OPP REB CVL MED EDU BUS NGO REF ELI COP SPY REL IGO".split())
#: NGEC's "unknown" sector: the right answer is no sector
UNKNOWN = "UNK"
_EVENT_OR_TOPIC = words("event_nouns") | words("topic_nouns")


def scorable(case: Mapping[str, Any]) -> bool:
    """An active case that expects a country, a sector or nothing at all."""
    expected = case.get("expected") or {}
    return case.get("status") == "active" and any(k in expected for k in ("country", "sector", "none"))


def sentence_of(case: Mapping[str, Any]) -> tuple[str, str | None]:
    """The event sentence for a case and its article date (ISO, or None)."""
    date = str(case.get("date") or "")
    return TEMPLATE.format(phrase=case["actor_text"]), date if _ISO_DATE.match(date) else None


def _actor_in_phrase(events: Sequence[Event], length: int) -> Actor | None:
    """The first actor whose span starts inside the phrase (``the`` may be left out), else None."""
    for event in events:
        for actor in event.actors:
            if actor.span and actor.span[0] < length:
                return actor
    return None


def _in_scheme(expected: Mapping[str, Any]) -> bool:
    """Whether every expected code exists in our scheme (ISO 3166 alpha-3 or IGO; PLOVER sectors)."""
    country = expected.get("country")
    if country and country != "IGO" and pycountry.countries.get(alpha_3=str(country)) is None:
        return False
    return all(s in SECTORS or s == UNKNOWN for s in _sectors(expected))


def _sectors(expected: Mapping[str, Any]) -> set[str]:
    """Every sector the case accepts."""
    found = {expected.get("sector"), expected.get("sector2"), *(expected.get("sector_any_of") or [])}
    return {str(s).upper() for s in found if s}


def judge(case: Mapping[str, Any], events: Sequence[Event]) -> dict[str, Any]:
    """Field by field verdict for one case."""
    expected = case.get("expected") or {}
    actor = _actor_in_phrase(events, len(case["actor_text"]))
    country, sector = (actor.country, actor.sector) if actor else (None, None)
    verdict: dict[str, Any] = {"id": case["id"], "phrase": case["actor_text"], "country": country, "sector": sector}
    if expected.get("none"):
        verdict["right"] = country is None
        verdict["kind"] = "none"
        return verdict
    if expected.get("country"):
        verdict["country_right"] = (country or "").upper() == str(expected["country"]).upper()
    if _sectors(expected):
        verdict["sector_right"] = (sector or UNKNOWN).upper() in _sectors(expected)
    verdict["right"] = all(verdict.get(k, True) for k in ("country_right", "sector_right"))
    verdict["kind"] = "coded" if _in_scheme(expected) else "other_scheme"
    return verdict


def score_actor_phrases(cases: Sequence[Mapping[str, Any]], predictions: Mapping[str, Sequence[Event]]) -> dict[str, Any]:
    """Accuracy of country, sector and both on the coded cases; invented countries on the rest."""
    verdicts = [judge(c, predictions.get(str(c["id"]), ())) for c in cases if scorable(c)]
    tally: Counter[str] = Counter()
    for v in verdicts:
        for key in ("country_right", "sector_right"):
            if key in v:
                tally[key + "_n"] += 1
                tally[key] += v[key]
        tally[v["kind"]] += 1
        tally[v["kind"] + "_right"] += v["right"]

    def ratio(num: str, den: str) -> float | None:
        return tally[num] / tally[den] if tally[den] else None

    return {
        "cases": tally["coded"], "right": ratio("coded_right", "coded"),
        "other_scheme_cases": tally["other_scheme"], "other_scheme_right": ratio("other_scheme_right", "other_scheme"),
        "country": ratio("country_right", "country_right_n"), "sector": ratio("sector_right", "sector_right_n"),
        "none_cases": tally["none"], "invented_country": tally["none"] - tally["none_right"],
        "verdicts": verdicts,
    }


def non_entity_reason(name: str) -> str | None:
    """Why a speaker's or actor's name cannot be anyone, read from the name alone (independently of
    the parse the extractor used): no letters, only function words, a heading in capitals, or a
    determiner and an event or topic noun ("the attack", "the issue")."""
    words_ = name.split()
    if not any(c.isalpha() for c in name):
        return "no letters"
    if all(w.lower().strip(".,'’") in STOP_WORDS for w in words_):
        return "function words"
    if is_heading(name):
        return "a heading"
    head = words_[-1].lower() if len(words_) <= 3 else ""
    if words_[0].lower() in ("the", "a", "an", "this", "that") and (head in _EVENT_OR_TOPIC or head[:-1] in _EVENT_OR_TOPIC):
        return "an event or topic"
    return None


def count_non_entities(documents: Iterable[Document]) -> dict[str, int]:
    """Over documents: quotes and event actors/recipients whose name is no one, and the speakers
    the extractor left empty with a reason (``Quote.speaker_note``)."""
    tally: Counter[str] = Counter()
    for doc in documents:
        for q in doc.quotes:
            tally["quotes"] += 1
            tally["speaker_not_entity"] += bool(q.speaker and non_entity_reason(q.speaker))
            tally["speaker_null_with_reason"] += bool(q.speaker_note)
        for e in doc.events:
            for a in (*e.actors, *e.recipients):
                tally["event_parties"] += 1
                tally["party_not_entity"] += bool(non_entity_reason(a.name))
    return dict(tally)
