"""Actors: every person, organisation and place that takes part in an event, coded as country + sector.

The document's entities (``entities.document``) hold the gazetteer's matches over the Doc and
who each name is; this module reads the words around a mention for what the gazetteer does not
know: "Iran's UN Ambassador Mohammed Khazaee" → IRN GOV, "Iran's Judiciary chief" → IRN JUD,
"former CIA analyst Paul Pillar" → USA ELI (former officials are PLOVER's elite). Users extend
or override the gazetteer with a YAML file (``backchannel read --actors my.yaml``).
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from backchannel.entities.antecedents import Antecedents
from backchannel.entities.document import Cluster, DocumentEntities, clean_name
from backchannel.entities.gazetteer import Code, Gazetteer, _parse_date
from backchannel.entities.mentions import head_reason
from backchannel.entities.offices import holder
from backchannel.nlp.doc import doc_text, sentence_starts
from backchannel.records import Actor, Quote, Section
from backchannel.resources.names import APOSTROPHES
from backchannel.resources.tables import pronouns, words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

logger = logging.getLogger(__name__)

#: heads that take their sector and country from what they head: "the head of the Judiciary"
_GENERIC_HEADS = words("generic_heads")
#: heads whose kind their modifier names: "Defence Ministry", "intelligence agency", "security forces"
_SUBTYPED_HEADS = words("subtyped_heads")
_SPEAKER_PRONOUNS = pronouns("first")
_ADDRESSEE_PRONOUNS = pronouns("second")
_PERSON_PRONOUNS = pronouns("person")
_GROUP_PRONOUNS = pronouns("group")
_RELATIVE = pronouns("relative")
#: sectors of the state: out of office, their holders are elite (ELI), as PLOVER codes former officials
_STATE_SECTORS = frozenset({"GOV", "LEG", "JUD", "MIL", "SPY", "COP"})
#: "(D-Ga.)", "(R-Texas)", "(I-Vt.)" after a name: a US member of Congress (or of a state legislature)
_US_PARTY_STATE = re.compile(r"^\s*[(,]\s*(?:D|R|I)-[A-Z][A-Za-z.]{1,13}(?:\s[A-Z][a-z.]+)?\s*[),]")


def _inside(quotes: Iterable[Quote]) -> Callable[[int], bool]:
    """Whether an offset falls inside one of these quotes' words."""
    spans = sorted(span for q in quotes for span in q.content_spans)
    starts = [a for a, _ in spans]

    def inside(char: int) -> bool:
        k = bisect.bisect_right(starts, char) - 1
        return k >= 0 and spans[k][0] <= char < spans[k][1]

    return inside


class ActorResolver:
    """Resolves the head token of a mention to an :class:`Actor`, within one document."""

    def __init__(
        self,
        doc: "Doc",
        *,
        gazetteer: Gazetteer | None = None,
        when: date | str | None = None,
        quotes: Sequence[Quote] = (),
        entities: DocumentEntities | None = None,
        sections: Sequence[Section] = (),
    ) -> None:
        self.doc = doc
        self.g = gazetteer or Gazetteer.default()
        self.when = _parse_date(when) if isinstance(when, str) else when
        self.entities = entities or DocumentEntities(doc, gazetteer=self.g, when=self.when)
        self.quotes = quotes
        # the gazetteer matches and countries are the entity layer's, read through these names
        self.ents, self.ent_at, self.codes = self.entities.ents, self.entities.ent_at, self.entities.codes
        self.code_at, self._pick = self.entities.code_at, self.entities.pick
        self.counterpart_counts = self.entities.country_counts
        self.section_starts = sorted(s.start_char for s in sections)
        self.antecedents = Antecedents(self.entities, _inside(q for q in quotes if q.kind != "indirect"))
        for q in quotes:
            if q.speaker_entity is not None and q.speaker_mention_span is not None:
                self.antecedents.note_speaker(q.speaker_entity, q.speaker_mention_span[0])
        self.people: dict[str, Actor] = {}
        self._speakers: dict[tuple, Actor | None] = {}
        self._busy: set[int] = set()
        self._describe_people()

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
            if known is None or known.kind != "person":  # "Foreign Minister Park Jin", another spelling
                people = self.g.person(clean_name(ent))
                known = self._pick(people) if people else None
            if known is not None:  # the knowledge base's code, what the text says where it is silent
                based = self._from_code(known, ent)
                described = replace(based, country=based.country or described.country,
                                    sector=based.sector or described.sector, former=based.former or described.former)
            described = self._us_member(ent, described)
            cluster = self.entities.cluster_at(ent.root)
            if cluster is not None:
                self.entities.note(cluster.id, described.country, described.sector)
            for key in {words[-1].lower_, " ".join(t.lower_ for t in words)}:
                old = self.people.get(key)
                if old is None or (old.country is None and described.country is not None) or (old.sector is None and described.sector is not None):
                    self.people[key] = replace(described, name=old.name if old and len(old.name) > len(ent.text) else described.name)

    def _us_member(self, ent: "Span", described: Actor) -> Actor:
        """"Hank Johnson (D-Ga.)": the party-and-state tag US news gives members of Congress."""
        after = doc_text(self.doc)[ent.end_char:ent.end_char + 24]
        if _US_PARTY_STATE.match(after):
            return replace(described, country=described.country or "USA", sector=described.sector or "LEG")
        return described

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
        """An actor from a gazetteer entry; a person out of every office on the date is one of the
        elite (ELI), as PLOVER codes former officials."""
        span_ = (span.start_char, span.end_char) if span is not None else None
        standing = self.entities.standing(code)
        return Actor(code.name, code.country, self.entities.sector_of(code, standing), span_, standing == "former")

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
            return self._linked(tok, self._actor(tok, quote))
        finally:
            self._busy.discard(tok.i)

    def _linked(self, tok: "Token", found: Actor | None) -> Actor | None:
        """The actor with the document entity its token names, which learns what the text says of it."""
        cluster = self.entities.cluster_at(tok)
        if found is None or cluster is None or found.entity is not None:
            return found
        self.entities.note(cluster.id, found.country, found.sector)
        self.entities.add_mention(cluster.id, found.span)
        return replace(found, entity=cluster.id)

    def _actor(self, tok: "Token", quote: Quote | None = None) -> Actor | None:
        low = tok.lower_.translate(APOSTROPHES)
        if tok.pos_ == "PRON" or low in _SPEAKER_PRONOUNS | _ADDRESSEE_PRONOUNS | _PERSON_PRONOUNS | _GROUP_PRONOUNS:
            return self._pronoun(tok, low, quote)
        if low in _RELATIVE and tok.head.dep_ == "relcl":
            return self.actor(tok.head.head, quote)
        if head_reason(tok) is not None:
            return None  # "the attack", "the issue", a number: no one
        code = self.code_at(tok)
        if code is not None and code.kind != "demonym":
            start, end, _ = self.codes[tok.i]
            span = self.doc[start:end]
            if code.kind in ("country", "metonym", "org", "outlet", "place"):
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
        named = [c for c, _ in self.counterpart_counts.most_common(1)]
        for candidate in (office, tok.lemma_.lower()):
            code = holder(self.g, candidate, described.country, self.when, named)
            if code is not None:
                start, end = self._mention_span(tok)
                return Actor(code.name, code.country, code.sector, (start, end))
        return None

    def _sector_word(self, tok: "Token") -> str | None:
        """The sector a word names ("troops" MIL), by its lemma or form; a capitalised plural the
        tagger took for a name ("Slovak Soldiers") by its singular."""
        words = self.g.sector_words
        found = words.get(tok.lemma_.lower()) or words.get(tok.lower_) or words.get(tok.lower_.rstrip("."))  # "Sen."
        if found is None and tok.pos_ == "PROPN" and tok.lower_.endswith("s"):
            low = tok.lower_
            found = words.get(low[:-3] + "y") if low.endswith("ies") else None
            found = found or words.get(low[:-1]) or (words.get(low[:-2]) if low.endswith("es") else None)
        return found

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
        head_sector = self._sector_word(tok)
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
        if former and sector in _STATE_SECTORS:
            sector = "ELI"  # PLOVER: "former government officials who currently do not hold positions"
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
            if c.dep_ == "poss" and target.pos_ == "PRON" and target.lower_.translate(APOSTROPHES) in ("his", "her", "its", "their"):
                owner = self._pronoun(target, target.lower_, None)  # "his government" is the speaker's country's
                if owner is not None and owner.country:
                    countries.append((5, owner.country))
                continue
            code = self.code_at(target)
            if code is not None:
                if not self._code_evidence(c, t, tok, code, head_sector, countries, sectors):
                    continue
            else:
                sector = self._sector_word(target)
                if sector:
                    generic = target.lemma_.lower() in _GENERIC_HEADS
                    if (target.dep_ == "amod" and not head_sector and head_code is None and tok.ent_type_ != "PERSON"
                            and tok.lemma_.lower() not in _SUBTYPED_HEADS):
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
        """The entity the pronoun stands for (``entities.antecedents``, the search quotes use too);
        "they" may also point back to a group no name is given for ("the rebels … they")."""
        kinds = ("PERSON",) if person else ("ORG", "OUTLET", "COUNTRY")
        cluster = self.antecedents.find(tok.idx, self._section_start(tok.idx), kinds)
        if cluster is not None:
            return self._cluster_actor(cluster, tok)
        return None if person else self._described_group(tok)

    def _section_start(self, char: int) -> int:
        """Where the section holding ``char`` starts (0 when sections are not known)."""
        k = bisect.bisect_right(self.section_starts, char) - 1
        return self.section_starts[k] if k >= 0 else 0

    def _cluster_actor(self, cluster: Cluster, tok: "Token") -> Actor:
        """An entity as the actor a pronoun stands for: its name, country and sector (a person's as
        the text describes them where the knowledge base is silent; a country acts as its government)."""
        found = self.entities.record(cluster, "")
        country, sector = found.country, found.sector
        if cluster.kind == "PERSON":
            described = self.people.get(found.name.lower()) or self.people.get(found.name.split()[-1].lower())
            if described is not None:
                country, sector = country or described.country, sector or described.sector
        if cluster.kind == "COUNTRY":
            sector = "GOV"
        return Actor(found.name, country, sector, (tok.idx, tok.idx + len(tok.text)), sector == "ELI", cluster.id)

    def _described_group(self, tok: "Token") -> Actor | None:
        """The nearest group described by a common noun before "they"/"it" in the sentence or the two
        before it ("the rebels … they"), which no entity stands for."""
        starts = sentence_starts(self.doc)
        k = bisect.bisect_right(starts, tok.i) - 1
        lo = max(starts[max(0, k - 2)] if starts else 0, tok.i - 80)  # a run-on "sentence" stays linear
        for i in range(tok.i - 1, lo - 1, -1):
            t = self.doc[i]
            if t.pos_ == "NOUN" and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") and t.ent_type_ == "":
                a = self.actor(t)
                if a is not None and (a.country or a.sector):
                    return a
        return None

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

