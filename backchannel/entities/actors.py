"""Actors: every person, organisation and place that takes part in an event, coded as country + sector.

A curated gazetteer is matched over the Doc once: country names from pycountry plus the
aliases, demonyms, capitals-as-metonyms, organisations and dated office holders in
``data/actors/``, and the outlets list (as MED). What the gazetteer does not know is read from
the words around a mention: "Iran's UN Ambassador Mohammed Khazaee" → IRN GOV, "Iran's
Judiciary chief" → IRN JUD, "former CIA analyst Paul Pillar" → USA SPY (former). Users extend
or override the gazetteer with a YAML file (``backchannel read --actors my.yaml``).
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pycountry
import spacy
import yaml
from spacy.matcher import PhraseMatcher

from backchannel.errors import ConfigError
from backchannel.nlp.doc import doc_ents, doc_text, sentence_starts
from backchannel.records import Actor, Quote
from backchannel.resources.gazetteer import outlets, titles
from backchannel.resources.tables import data_table, pronouns, words

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc, Span, Token

logger = logging.getLogger(__name__)

SECTORS = frozenset(
    "GOV MIL JUD LEG OPP REB CVL MED EDU BUS NGO REF ELI COP SPY REL IGO".split()
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})
#: heads that take their sector and country from what they head: "the head of the Judiciary"
_GENERIC_HEADS = words("generic_heads")
#: heads whose kind their modifier names: "Defence Ministry", "intelligence agency", "security forces"
_SUBTYPED_HEADS = words("subtyped_heads")
_SPEAKER_PRONOUNS = pronouns("first")
_ADDRESSEE_PRONOUNS = pronouns("second")
_PERSON_PRONOUNS = pronouns("person")
_GROUP_PRONOUNS = pronouns("group")
_RELATIVE = pronouns("relative")


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


def _parse_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        return None


def _norm(text: str) -> str:
    text = re.sub(r"\s+", " ", text.translate(_APOSTROPHES).strip())
    return re.sub(r"^the ", "", text, flags=re.I)


def _split(cell: str | None) -> list[str]:
    return [a.strip() for a in (cell or "").split("|") if a.strip()]


class Gazetteer:
    """Names → codes, sector words, and office holders by date."""

    def __init__(self) -> None:
        self.phrases: dict[str, list[Code]] = {}
        self.sector_words: dict[str, str] = {}
        self.country_names: dict[str, str] = {}  # ISO3 → the name news uses
        self._offices: dict[str, set[Code]] | None = None
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
            self._offices = None

    def lookup(self, phrase: str) -> list[Code]:
        return self.phrases.get(_norm(phrase), [])

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
            found = {c for c in found if (c.start is None or c.start <= when) and (c.end is None or when <= c.end)}
        return sorted(found, key=lambda c: c.start or date.min, reverse=True)

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


@lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:


    g = Gazetteer()
    g.version = f"backchannel-actors/1 pycountry/{getattr(pycountry, '__version__', '?')}"
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
    for row in data_table("actors/office_holders.tsv"):
        code = Code(row["name"], row["country"] or None, row["sector"] or None, "person", row["office"].lower() or None,
                    _parse_date(row.get("start")), _parse_date(row.get("end")))
        for alias in [row["name"], *_split(row.get("aliases"))]:
            g.add(alias, code)
    for row in data_table("actors/sector_words.tsv"):
        g.sector_words[row["word"].lower()] = row["sector"]
    for title, (kind, sector) in titles().items():
        if kind == "office" and sector and title not in g.sector_words:
            g.sector_words[title] = sector
    return g


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
    found = found.translate(_APOSTROPHES)
    if pattern == found:
        return True
    letters = [c for c in pattern if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) <= 5:
        return found.replace("the ", "").replace("The ", "") == pattern
    if pattern[:1].isupper():
        return found[:1].isupper()
    return True


class ActorResolver:
    """Resolves the head token of a mention to an :class:`Actor`, within one document."""

    def __init__(
        self,
        doc: "Doc",
        *,
        gazetteer: Gazetteer | None = None,
        when: date | str | None = None,
        quotes: Sequence[Quote] = (),
    ) -> None:
        self.doc = doc
        self.g = gazetteer or Gazetteer.default()
        self.when = _parse_date(when) if isinstance(when, str) else when
        self.quotes = quotes
        self.ents = doc_ents(doc)
        self.ent_at = {i: e for e in self.ents for i in range(e.start, e.end)}
        self.codes: dict[int, tuple[int, int, Code]] = {}  # token → (start, end, code) of the match covering it
        self._match()
        self.people: dict[str, Actor] = {}
        self._speakers: dict[tuple, Actor | None] = {}
        self._busy: set[int] = set()
        # in text order, so that a tie goes to the first named (a set's order changes with the hash seed);
        # before the people are described: describing one can look up an office holder, which reads it
        self.counterpart_counts = Counter(
            c.country for _, _, c in sorted(set(self.codes.values()), key=lambda m: (m[0], m[1]))
            if c.country and c.kind in ("country", "demonym", "metonym")
        )
        self._describe_people()

    # --- gazetteer matches --------------------------------------------------------------

    def _match(self) -> None:
        matcher, labels = phrase_matcher(self.g, self.doc.vocab)
        found = []
        for label, start, end in matcher(self.doc):
            phrase = labels.get(label)
            if phrase is None:
                continue
            span = self.doc[start:end]
            if not _case_ok(phrase, span.text):
                continue
            codes = self.g.phrases[phrase]
            ent = self.ent_at.get(start)
            if codes[0].kind == "person" and ent is not None and ent.label_ == "PERSON" and ent.start < start:
                continue  # "Keron Blair" is not Tony Blair: a surname inside someone else's full name
            if codes[0].kind in ("country", "metonym") and start > 0 and self.doc[start - 1].text == "New":
                continue  # "New Jersey", "New Mexico": a place named after another
            if (codes[0].kind in ("metonym", "country") and ent is not None and ent.label_ in ("ORG", "FAC")
                    and end < ent.end and not any(t.text in ("’s", "'s") for t in self.doc[end:ent.end])):
                continue  # "the Paris Club", "Tehran University": a name that starts with a place
            if (end - start == 1 and codes[0].kind == "org" and ent is not None and ent.start < start
                    and self.doc[start - 1].dep_ == "compound" and self.doc[start - 1].text[:1].isupper()):
                continue  # "State House" (Nairobi) is not "the House": one word of someone else's name
            if all(c.kind == "outlet" for c in codes) and not any(t.ent_type_ in ("ORG", "PERSON", "WORK_OF_ART", "GPE", "NORP") for t in span):
                continue  # "The National", "Time", "The Hill": an outlet only where NER sees a name
            found.append((end - start, start, end, self._pick(codes)))
        for _, start, end, code in sorted(found, key=lambda f: (-f[0], f[1])):
            if any(i in self.codes for i in range(start, end)):
                continue
            for i in range(start, end):
                self.codes[i] = (start, end, code)

    def _pick(self, codes: list[Code]) -> Code:
        """Of several readings, a person in office on the document's date, else the first listed."""
        if self.when is not None:
            dated = [c for c in codes if c.kind == "person" and (c.start is None or c.start <= self.when) and (c.end is None or self.when <= c.end)]
            if dated:
                return dated[0]
        people = [c for c in codes if c.kind == "person"]
        if people and len(people) == len(codes):
            return max(people, key=lambda c: c.start or date.min)
        return codes[0]

    def code_at(self, tok: "Token") -> Code | None:
        hit = self.codes.get(tok.i)
        return hit[2] if hit else None

    # --- people described in the text ---------------------------------------------------

    def _describe_people(self) -> None:
        for ent in self.ents:
            if ent.label_ != "PERSON":
                continue
            words = [t for t in ent if t.is_alpha]
            if not words:
                continue
            described = self._from_modifiers(ent.root, name=ent.text, skip=range(ent.start, ent.end))
            if described.country is None:
                described = replace(described, country=self._related_country(ent))
            known = self.code_at(ent.root)
            if known is not None and known.kind == "person":
                described = self._from_code(known, ent)
            for key in {words[-1].lower_, " ".join(t.lower_ for t in words)}:
                old = self.people.get(key)
                if old is None or (old.country is None and described.country is not None) or (old.sector is None and described.sector is not None):
                    self.people[key] = replace(described, name=old.name if old and len(old.name) > len(ent.text) else described.name)

    def _related_country(self, ent: "Span") -> str | None:
        """"X, one of three brothers aligned with Supreme Leader Ali Khamenei": someone described by
        a tie to a coded actor is taken to share its country (the weakest clue, used last)."""
        for child in ent.root.children:
            if child.dep_ not in ("appos", "relcl", "acl"):
                continue
            for t in itertools.islice(child.subtree, 30):
                code = self.code_at(t)
                if code is not None and code.country and code.country != "IGO":
                    return code.country
        return None

    def _from_code(self, code: Code, span: "Span | None") -> Actor:
        former = bool(code.kind == "person" and code.end and self.when and code.end < self.when)
        return Actor(code.name, code.country, code.sector or ("GOV" if code.kind == "country" else None),
                     (span.start_char, span.end_char) if span is not None else None, former)

    # --- resolution ---------------------------------------------------------------------

    def actors(self, tok: "Token", quote: Quote | None = None) -> tuple[Actor, ...]:
        """The actor a mention's head stands for, with its conjuncts ("the United States and Jordan")."""
        out = []
        for t in [tok, *[c for c in tok.conjuncts if c.i > tok.i]]:
            a = self.actor(t, quote)
            if a is not None and a not in out:
                out.append(a)
            # "the foreign ministers of Egypt and Sudan": one actor per coordinated country
            for p in t.children:
                if p.dep_ == "prep" and p.lower_ == "of" and a is not None:
                    pobj = next((g for g in p.children if g.dep_ == "pobj"), None)
                    first = self.code_at(pobj) if pobj is not None else None
                    if first is None or first.country != a.country:
                        continue
                    self._per_country(out, a, pobj.conjuncts, lambda c, t=t: f"{t.text} of {c.text}")
            # "Russian and American delegations": one actor per coordinated demonym
            for m in t.children:
                if m.dep_ in ("amod", "compound") and m.conjuncts and a is not None:
                    self._per_country(out, a, m.conjuncts, lambda c, t=t: f"{c.text} {t.text}")
        return tuple(out)

    def _per_country(self, out: list[Actor], a: Actor, coordinated: Iterable["Token"], name: Any) -> None:
        """``a`` once more for each coordinated word that names another country."""
        for c in coordinated:
            code = self.code_at(c)
            if code is not None and code.country and code.country != a.country:
                extra = replace(a, country=code.country, span=(c.idx, c.idx + len(c.text)), name=name(c))
                if extra not in out:
                    out.append(extra)

    def actor(self, tok: "Token", quote: Quote | None = None) -> Actor | None:
        if tok.i in self._busy:
            return None  # "his government" → he → … → "his government": a cycle through pronouns
        self._busy.add(tok.i)
        try:
            return self._actor(tok, quote)
        finally:
            self._busy.discard(tok.i)

    def _actor(self, tok: "Token", quote: Quote | None = None) -> Actor | None:
        low = tok.lower_.translate(_APOSTROPHES)
        if tok.pos_ == "PRON" or low in _SPEAKER_PRONOUNS | _ADDRESSEE_PRONOUNS | _PERSON_PRONOUNS | _GROUP_PRONOUNS:
            return self._pronoun(tok, low, quote)
        if low in _RELATIVE and tok.head.dep_ == "relcl":
            return self.actor(tok.head.head, quote)
        code = self.code_at(tok)
        if code is not None and code.kind != "demonym":
            start, end, _ = self.codes[tok.i]
            span = self.doc[start:end]
            if code.kind in ("country", "metonym", "org", "outlet"):
                return self._from_code(code, span)
            if code.kind == "person":
                return self._from_code(code, span)
        if tok.ent_type_ == "PERSON":
            key = tok.lower_
            ent = self.ent_at.get(tok.i)
            found = self.people.get(key)
            if found is not None:
                return replace(found, span=(ent.start_char, ent.end_char) if ent is not None else (tok.idx, tok.idx + len(tok)))
            if ent is not None:
                return Actor(ent.text, None, None, (ent.start_char, ent.end_char))
        if tok.pos_ in ("NOUN", "PROPN") or code is not None:
            described = self._from_modifiers(tok, name=None, skip=range(tok.i, tok.i + 1), head_code=code)
            named = next((c for c in tok.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None)
            if named is not None and code is None:
                # "the head of the Judiciary, Sadeq Larijani": the person, with what the description adds
                person = self.actor(named, quote)
                if person is not None:
                    return replace(person, country=person.country or described.country, sector=person.sector or described.sector)
            holder = self._office_holder(tok, described)
            if holder is not None:
                return holder
            if described.country or described.sector:
                return described
            if tok.ent_type_ in ("ORG", "NORP", "GPE", "FAC"):
                ent = self.ent_at.get(tok.i)
                if ent is not None:
                    return Actor(ent.text, None, None, (ent.start_char, ent.end_char))
        return None

    def _office_holder(self, tok: "Token", described: Actor) -> Actor | None:
        """"the President", "Iran's foreign minister": the person in that office on the document's date.

        The country is the mention's own ("Iran's"), else the one the document names most."""
        if self.when is None or tok.ent_type_ == "PERSON":
            return None
        words = [c.lower_ for c in tok.lefts if c.dep_ in ("compound", "amod") and not self.code_at(c)] + [tok.lower_]
        office = " ".join(words[-2:]) if len(words) >= 2 else words[-1]
        for candidate in (office, tok.lemma_.lower()):
            countries = [described.country] if described.country else [c for c, _ in self.counterpart_counts.most_common(1)]
            for country in countries:
                held = self.g.holders(candidate, country, self.when)
                if held:
                    code = held[0]
                    start, end = self._mention_span(tok)
                    return Actor(code.name, code.country, code.sector, (start, end))
        return None

    def _mention_span(self, tok: "Token") -> tuple[int, int]:
        left = min([tok.i, *[c.left_edge.i for c in tok.lefts if c.dep_ not in ("punct", "cc", "det", "predet")]])
        right = tok.i
        for c in tok.rights:
            if c.dep_ in ("compound", "flat", "appos") or (c.dep_ == "prep" and c.lower_ == "of"):
                right = max(right, c.right_edge.i)
        return self.doc[left].idx, self.doc[right].idx + len(self.doc[right].text)

    def _from_modifiers(self, tok: "Token", *, name: str | None, skip: Iterable[int], head_code: Code | None = None) -> Actor:
        """Country and sector from the words around a head: "Iran's UN Ambassador", "former CIA analyst"."""
        skip = set(skip)
        countries: list[tuple[int, str]] = []  # (priority, country)
        sectors: list[tuple[int, str]] = []
        head_lemma = tok.lemma_.lower()
        if head_code is not None and head_code.kind == "demonym":
            countries.append((2, head_code.country or ""))
        elif head_code is not None and head_code.country:
            countries.append((1, head_code.country))
            if head_code.sector:
                sectors.append((3, head_code.sector))
        head_sector = self.g.sector_words.get(head_lemma) or self.g.sector_words.get(tok.lower_)
        if head_sector:
            # "government troops" are troops; "intelligence ministry", "CIA analyst" take the modifier's
            sectors.append((1 if head_lemma in _GENERIC_HEADS | _SUBTYPED_HEADS else 3.5, head_sector))
        for c in tok.lefts:
            if c.dep_ in ("compound", "amod") and c.i not in skip:
                phrase = self.g.sector_words.get(f"{c.lemma_.lower()} {head_lemma}") or self.g.sector_words.get(f"{c.lower_} {tok.lower_}")
                if phrase:
                    sectors.append((5, phrase))  # "air force", "defence ministry", "security forces"
        former = self._visit_modifiers(tok, 0, tok, set(), skip, head_code, head_sector, countries, sectors)
        if tok.dep_ == "appos" and tok.head.i not in skip:
            pass  # the apposed name's own modifiers are read when the name is resolved
        country = max(countries, key=lambda c: c[0])[1] if countries else None
        sector = max(sectors, key=lambda s: s[0])[1] if sectors else None
        if name is None:
            start, end = self._mention_span(tok)
            name = doc_text(self.doc)[start:end]
            span = (start, end)
        else:
            span = None
        return Actor(name, country or None, sector, span, former)

    def _visit_modifiers(
        self, t: "Token", depth: int, tok: "Token", seen: set[int], skip: set[int], head_code: Code | None,
        head_sector: str | None, countries: list[tuple[int, str]], sectors: list[tuple[int, str]],
    ) -> bool:
        """``_from_modifiers``' walk down the modifiers of ``t`` (three levels deep): each adds
        (priority, country) and (priority, sector) evidence; True when one says "former"."""
        former = False
        if t.i in seen or depth > 3:
            return former
        seen.add(t.i)
        for c in t.children:
            if c.i in skip and c.i != t.i:
                if c.dep_ in ("compound", "flat"):
                    if self._visit_modifiers(c, depth, tok, seen, skip, head_code, head_sector, countries, sectors):
                        former = True
                continue
            if not (c.dep_ in ("poss", "compound", "amod", "nmod", "npadvmod", "nummod", "flat", "appos") or (
                c.dep_ == "prep" and c.lower_ in ("of", "from", "for", "at", "in", "across")
            )):
                continue
            target = c
            if c.dep_ == "prep":
                target = next((g for g in c.children if g.dep_ == "pobj"), None)
                if target is None:
                    continue
            if target.lower_ in ("former", "ex", "erstwhile", "retired", "onetime", "late"):
                former = True
                continue
            if c.dep_ == "poss" and target.pos_ == "PRON" and target.lower_.translate(_APOSTROPHES) in ("his", "her", "its", "their"):
                owner = self._pronoun(target, target.lower_, None)  # "his government" is the speaker's country's
                if owner is not None and owner.country:
                    countries.append((5, owner.country))
                continue
            code = self.code_at(target)
            if code is not None:
                if not self._code_evidence(c, t, tok, code, head_sector, countries, sectors):
                    continue
            else:
                sector = self.g.sector_words.get(target.lemma_.lower()) or self.g.sector_words.get(target.lower_)
                if sector:
                    generic = target.lemma_.lower() in _GENERIC_HEADS
                    if target.dep_ == "amod" and not head_sector and head_code is None and tok.ent_type_ != "PERSON":
                        continue  # "civilian aircraft parts" are no one; "civilian scientists" are CVL
                    sectors.append((1 if generic else 3 if target.dep_ in ("compound", "amod") else 2, sector))
            if self._visit_modifiers(target, depth + 1, tok, seen, skip, head_code, head_sector, countries, sectors):
                former = True
        return former

    @staticmethod
    def _code_evidence(
        c: "Token", t: "Token", tok: "Token", code: Code, head_sector: str | None,
        countries: list[tuple[int, str]], sectors: list[tuple[int, str]],
    ) -> bool:
        """The country and sector a known name as modifier ``c`` of ``t`` gives, by how it modifies;
        False for a person's name, which says nothing of the head and is not walked further."""
        prio = {"poss": 5, "amod": 4, "compound": 3}.get(c.dep_, 0.5 if c.lower_ in ("in", "at", "across") else 2)
        if code.kind == "person":
            return False
        if code.country:
            # a possessive country is whose it is ("the BBC's offices in New Delhi" are British);
            # an organisation as modifier is where one works ("UN Ambassador"); "in X" is only where
            state = code.kind in ("country", "demonym", "metonym")
            countries.append((prio if state or c.dep_ == "poss" else min(prio, 1), code.country))
        if code.sector and code.kind in ("org", "metonym", "outlet"):
            # "CIA analyst", "CIA's John Brennan": the organisation says what they do;
            # "UN Ambassador": the title does
            loose = t.lemma_.lower() in _GENERIC_HEADS | _SUBTYPED_HEADS or (t.i == tok.i and not head_sector)
            sectors.append((4 if loose else 2, code.sector))
        return True

    def _pronoun(self, tok: "Token", low: str, quote: Quote | None) -> Actor | None:
        span = (tok.idx, tok.idx + len(tok.text))
        if quote is not None and low in _SPEAKER_PRONOUNS:
            speaker = self.speaker_actor(quote)
            return replace(speaker, span=span) if speaker is not None else None
        if quote is not None and low in _ADDRESSEE_PRONOUNS:
            other = self.counterpart(quote)  # "you": the other side
            return replace(other, span=span) if other is not None else None
        if low in _PERSON_PRONOUNS:
            return self._antecedent(tok, person=True)
        if low in _GROUP_PRONOUNS:
            return self._antecedent(tok, person=False)
        return None

    def _antecedent(self, tok: "Token", *, person: bool) -> Actor | None:
        """The nearest fitting actor before the pronoun in its own sentence ("supporting Israel as it
        assassinates …"), else the last subject of the two sentences before, else the nearest there."""

        starts = sentence_starts(self.doc)
        k = bisect.bisect_right(starts, tok.i) - 1
        own = starts[k] if k >= 0 else 0
        lo = max(starts[max(0, k - 2)] if starts else 0, tok.i - 80)  # a run-on "sentence" stays linear
        fallback: Actor | None = None
        for i in range(tok.i - 1, lo - 1, -1):
            t = self.doc[i]
            if t.pos_ == "PRON" or (t.dep_ in ("compound", "amod") and t.head.i != t.i):
                continue
            code = self.code_at(t)
            if code is not None and self.codes[t.i][1] - 1 != t.i:
                continue  # inside a multi-word name: its last token stands for it
            if t.ent_iob_ == "B" and i + 1 < len(self.doc) and self.doc[i + 1].ent_iob_ == "I":
                continue
            is_person = t.ent_type_ == "PERSON" or (code is not None and code.kind == "person")
            if is_person != person:
                continue
            if not person and not (code is not None or t.ent_type_ in ("ORG", "GPE", "NORP")
                                   or (t.pos_ == "NOUN" and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"))):
                continue
            a = self.actor(t)
            if a is None or not (a.country or a.sector):
                continue
            if i >= own or t.dep_ in ("nsubj", "nsubjpass"):
                return a
            fallback = fallback or a
        return fallback

    def speaker_actor(self, quote: Quote) -> Actor | None:
        """The actor behind a quote's speaker: its mention if that resolves, else its name's first mention."""
        key = (quote.index, quote.speaker, quote.speaker_mention_span)
        if key not in self._speakers:
            self._speakers[key] = self._speaker_actor(quote)
        return self._speakers[key]

    def _speaker_actor(self, quote: Quote) -> Actor | None:
        if quote.speaker_mention_span is not None:
            span = self.doc.char_span(*quote.speaker_mention_span, alignment_mode="expand")
            if span is not None and span.root.pos_ != "PRON":
                a = self.actor(span.root)
                if a is not None and (a.country or a.sector):
                    return a
        if quote.speaker:
            for code in self.g.lookup(quote.speaker):
                return self._from_code(code, None)
            words = quote.speaker.split()
            if not words:
                return None
            found = self.people.get(" ".join(w.lower() for w in words)) or self.people.get(words[-1].lower())
            if found is not None:
                return found
            at = doc_text(self.doc).find(quote.speaker)
            if at >= 0:
                span = self.doc.char_span(at, at + len(quote.speaker), alignment_mode="expand")
                if span is not None:
                    a = self.actor(span.root)
                    if a is not None:
                        return replace(a, name=quote.speaker)
            return Actor(quote.speaker)
        return None

    def counterpart(self, quote: Quote, actors: Sequence[Actor] = ()) -> Actor | None:
        """The other side of a statement: the country the document names most, other than the speaker's and the actors'."""
        speaker = self.speaker_actor(quote)
        own = {speaker.country if speaker else None} | {a.country for a in actors}
        for country, _ in self.counterpart_counts.most_common():
            if country not in own:
                return Actor(self.g.country_names.get(country, country), country, "GOV", None)
        return None

