"""Events: who did what to whom, coded in PLOVER, from the parse the pipeline already has.

A trigger lexicon (``data/plover_triggers.tsv``: a verb or noun, optionally with the object or
preposition it needs — "impose" + "sanctions", "call" + "for") gives the PLOVER type, mode,
context and CAMEO code; the dependency parse gives actor and recipient, which
:mod:`backchannel.actors` codes as country + sector. Modality (asserted, conditional, future,
hypothetical, historical, negated) is kept apart from the type, as PLOVER asks, except where
PLOVER folds it in: an intention to meet is AGREE, a conditional attack is a THREATEN. An
event inside a quotation is the speaker's claim (``claimed_by``), not the writer's.
No event is emitted without an actor.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from backchannel.entities.actors import ActorResolver
from backchannel.entities.document import DocumentEntities
from backchannel.entities.gazetteer import Gazetteer
from backchannel.inputs.dates import resolve_date
from backchannel.nlp.doc import doc_text
from backchannel.records import Actor, Event, Quote, Section
from backchannel.resources.tables import data_table, word_list, words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
#: PLOVER quad categories: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict
QUAD = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), 1),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), 2),
    **dict.fromkeys(("REQUEST", "ACCUSE", "REJECT", "THREATEN"), 3),
    **dict.fromkeys(("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"), 4),
}
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}

_LIGHT_VERBS = words("light_verbs")
#: "travelled to Muscat for consultations": a noun event that is the purpose of a journey is the traveller's
_MOTION_VERBS = words("motion_verbs")
#: where something happens, not whom it is done to
_LOCATION_PREPS = word_list("location_preps")
#: a recipient is looked for in these, in this order
_RECIPIENT_PREPS = word_list("recipient_preps")
#: verbal moves whose complement is their content: "threatened to expel", "accused X of attacking",
#: "called on Israel to allow access" are one THREATEN / ACCUSE / REQUEST, not two events
_SPEECH_ACTS = frozenset({"THREATEN", "ACCUSE", "REQUEST", "REJECT", "AGREE"})
#: a proposal (an offer, a demand) that another act answers is that act's object, not an event of its own
_PROPOSALS = frozenset({"AGREE", "REQUEST"})
_RESPONSES = frozenset({"REJECT", "AGREE", "SUPPORT", "ACCUSE"})
#: prepositions that say where, when or why, never what was done ("agreed … in a deal brokered by China")
_CIRCUMSTANCE_PREPS = words("circumstance_preps")
#: prepositions that give another act's reason or occasion ("over", "after", "amid")
_BACKGROUND_PREPS = words("background_preps")
_CLIMB = ("xcomp", "acomp", "conj", "advcl", "pcomp", "ccomp", "relcl", "acl")
_INTENT = words("intent_words")
#: CONSULT verbs of equals, and of hosting
_MEETING = words("meeting_verbs")
_HOSTING = words("hosting_verbs")
#: verbs after which "would" reports a plan ("said it would", "announced it would")
_REPORTING = words("reporting_verbs")
#: answering verbs: an announced response presupposes what it responds to
_REACTIVE = words("reactive_words")
_HYPOTHETICAL = words("hypothetical_modals")
_FUTURE = words("future_modals")
_CONDITION_MARKS = words("condition_marks")
#: how far from a trigger (in tokens) a fallback looks for a party, so that run-on "sentences" stay linear
_WINDOW = 40
#: things that act in sentences but are no one: weather, disasters, vehicles, markets
_NOT_ACTORS = words("not_actors")
_CROWDS = words("crowd_nouns")
#: sectors that are inside one country: a recipient of these with no country is the actor's compatriot
_DOMESTIC = frozenset({"OPP", "CVL", "COP", "JUD", "LEG", "REF", "EDU", "MED", "BUS", "REB"})
_NOW_DATES = re.compile(
    r"\b(today|yesterday|tonight|this (week|month|morning|evening|weekend)|(on )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)|now|recently)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Trigger:
    lemma: str
    pos: str
    objects: frozenset[str]
    prep: str | None
    event: str
    mode: str | None
    context: str | None
    cameo: str | None

    @property
    def specificity(self) -> int:
        return (2 if self.objects else 0) + (1 if self.prep else 0)


@lru_cache(maxsize=1)
def triggers() -> dict[tuple[str, str], tuple[Trigger, ...]]:
    """(lemma, VERB|NOUN) → its lexicon rows, most specific first."""
    out: dict[tuple[str, str], list[Trigger]] = {}
    for r in data_table("plover_triggers.tsv"):
        t = Trigger(
            r["lemma"].lower(), r["pos"].upper(),
            frozenset(o.strip().lower() for o in r.get("object", "").split("|") if o.strip()),
            r.get("prep", "").lower() or None, r["event"].upper(), r.get("mode") or None,
            r.get("context") or None, r.get("cameo") or None,
        )
        out.setdefault((t.lemma, t.pos), []).append(t)
    return {k: tuple(sorted(v, key=lambda t: -t.specificity)) for k, v in out.items()}


@lru_cache(maxsize=1)
def scores() -> dict[tuple[str, str | None], float]:
    """PLOVER conflict–cooperation scores (manual, table 'PLOVER scores'): (event, mode or None) → score."""
    return {(r["event"], r["mode"].lower() or None): float(r["score"]) for r in data_table("plover_scores.tsv")}


def score_of(event: str, mode: str | None) -> float | None:
    table = scores()
    return table.get((event, (mode or "").lower() or None), table.get((event, None)))


# --- the parse ----------------------------------------------------------------------------


def _pos(tok: "Token") -> str | None:
    if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ not in ("aux", "auxpass")):
        return "VERB"
    if tok.pos_ == "NOUN" or (tok.pos_ == "VERB" and tok.tag_ == "NN"):
        return "NOUN"  # not PROPN: "the Greatest National Security Threat" is a name
    return None


def _lemma(tok: "Token") -> str:
    lemma = tok.lemma_.lower().replace("’", "'")
    if tok.tag_ in ("VBG", "VBD", "VBN") and lemma + "e" in _VERB_LEMMAS() and lemma not in _VERB_LEMMAS():
        return lemma + "e"  # the lemmatizer drops an e: "waging" → "wag"
    return lemma


@lru_cache(maxsize=1)
def _VERB_LEMMAS() -> frozenset[str]:
    return frozenset(lemma for lemma, pos in triggers() if pos == "VERB")


def _objects(tok: "Token", pos: str, via: str | None = None) -> dict[str, "Token"]:
    """Lemmas the lexicon's object column can match: the verb's objects (and their compounds), a noun's
    modifiers. A circumstance ("in a deal", "under the accord") counts only for a row that names it."""
    out: dict[str, Token] = {}

    def add(t: "Token") -> None:
        out.setdefault(_lemma(t), t)
        for c in t.children:
            if c.dep_ in ("compound", "amod") and c.i < t.i:
                out.setdefault(_lemma(c), t)
                for part in re.split(r"[-‐]", c.lower_):
                    if part:
                        out.setdefault(part, t)
        for part in re.split(r"[-‐]", t.lower_):
            if part:
                out.setdefault(part, t)

    if pos == "VERB":
        for c in tok.children:
            if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative"):
                add(c)
                for conj in c.conjuncts:
                    add(conj)
                for p in c.children:  # "tens of thousands of troops", "a batch of missiles"
                    if p.dep_ == "prep" and p.lower_ == "of":
                        for g in p.children:
                            if g.dep_ == "pobj":
                                add(g)
                                for q in g.children:
                                    if q.dep_ == "prep" and q.lower_ == "of":
                                        add(next((x for x in q.children if x.dep_ == "pobj"), g))
            elif c.dep_ in ("prep", "prt", "agent") and (c.lower_ not in _CIRCUMSTANCE_PREPS or c.lower_ == via):
                for g in c.children:
                    if g.dep_ == "pobj":
                        add(g)
            elif c.dep_ == "xcomp" and c.pos_ in ("NOUN", "ADJ"):
                add(c)
            elif c.dep_ in ("ccomp", "xcomp"):
                for g in c.children:  # "allowed IAEA inspectors to return": the inspectors are what is allowed
                    if g.dep_ == "nsubj" and g.i < c.i:
                        add(g)
    else:
        for c in tok.children:
            if c.dep_ in ("compound", "amod", "nmod"):
                out.setdefault(_lemma(c), c)
            elif c.dep_ == "prep" and c.lower_ in ("of", "for", "on", "against"):
                for g in c.children:
                    if g.dep_ == "pobj":
                        out.setdefault(_lemma(g), g)
        for part in re.split(r"[-‐]", tok.lower_):
            if part and part != tok.lower_:
                out.setdefault(part, tok)
    return out


def _preps(tok: "Token") -> set[str]:
    """Particles and prepositions on the trigger; "to-inf" stands for an object plus a to-clause
    ("pushing him to do", "urged Iran to return")."""
    out = {c.lower_ for c in tok.children if c.dep_ in ("prt", "prep", "agent")}
    if any(c.dep_ in ("xcomp", "ccomp") and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children) for c in tok.children):
        out.add("to-inf")
    return out


def match_trigger(tok: "Token") -> tuple[Trigger, "Token | None"] | None:
    """The lexicon row a token fires, with the object token it needed (if any)."""
    pos = _pos(tok)
    if pos is None:
        return None
    rows = triggers().get((_lemma(tok), pos))
    if not rows:
        return None
    objects = _objects(tok, pos) if any(r.objects for r in rows) else {}
    preps = _preps(tok) if any(r.prep for r in rows) else set()
    for row in rows:  # an "event" of NONE marks a phrase that is no event ("met stiff opposition")
        obj = None
        if row.objects:
            pool = _objects(tok, pos, row.prep) if row.prep in _CIRCUMSTANCE_PREPS else objects
            hit = next((o for o in row.objects if o in pool), None)
            if hit is None:
                continue
            obj = pool[hit]
        if row.prep and row.prep not in preps:
            continue
        return (row, obj) if row.event != "NONE" else None
    return None


def _subject(tok: "Token") -> "Token | None":
    for c in tok.children:
        if c.dep_ in ("nsubj", "csubj"):
            return c
    for c in tok.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _passive(tok: "Token") -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)


def _climb(tok: "Token", limit: int = 4) -> list["Token"]:
    """The verbs a clause hangs from ("is prepared to negotiate" → negotiate, prepared, is)."""
    chain = [tok]
    t = tok
    for _ in range(limit):
        if t.dep_ not in _CLIMB or t.head.i == t.i:
            break
        if t.dep_ in ("ccomp", "relcl") or (t.dep_ == "advcl" and any(c.dep_ == "mark" for c in t.children)):
            break  # a clause of its own: "said that …", "if …"
        if t.dep_ == "pcomp" and t.head.lower_ in ("by", "through", "via", "in", "after", "before", "while", "without"):
            t = t.head  # "we will reciprocate by removing sanctions", "was vocal in expressing …"
        t = t.head
        chain.append(t)
    return chain


# --- events -------------------------------------------------------------------------------


class _Extractor:
    def __init__(self, doc: "Doc", sections: Sequence[Section], article_id: str, quotes: Sequence[Quote],
                 when: date | None, gazetteer: Gazetteer | None, entities: DocumentEntities | None = None) -> None:
        self.doc = doc
        self.sections = tuple(sections)
        self.starts = [s.start_char for s in self.sections]
        self.article_id = article_id
        self.quotes = quotes
        self.when = when
        self.actors = ActorResolver(doc, gazetteer=gazetteer, when=when, quotes=quotes, entities=entities, sections=sections)
        self.dates = [e for e in self.actors.ents if e.label_ == "DATE"]
        self.date_starts = [e.start for e in self.dates]
        # spans a quote covers, innermost (content) first: an event inside one is its speaker's claim
        self.claims = sorted(
            [(a, b, q) for q in quotes for a, b in q.content_spans if q.kind != "indirect" or self._states(q, a, b)]
            + [(q.clause_span[0], q.clause_span[1], q) for q in quotes
               if q.kind == "mixed" or (q.kind == "indirect" and self._states(q, *q.clause_span))],
            key=lambda x: x[0],
        )
        self._next_claim, self._open, self._sweep_at = 0, [], -1
        self._places: dict[int, str | None] = {}

    def _states(self, quote: Quote, start: int, end: int) -> bool:
        """Does this indirect quote state a claim? A clause does ("said that talks would resume"), and
        so does a noun phrase under a plain reporting verb ("cites a catalog of …"); a noun phrase
        that an act takes as its object does not ("rejecting the very deal he demanded …")."""
        if not 0 <= start < end <= len(doc_text(self.doc)):
            return True
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or span.root.pos_ not in ("NOUN", "PROPN", "PRON", "NUM"):
            return True
        cue = self.doc.char_span(*quote.cue_span, alignment_mode="expand") if quote.cue_span else None
        return cue is None or match_trigger(cue.root) is None

    def section_of(self, char: int) -> Section | None:
        i = bisect.bisect_right(self.starts, char) - 1
        if i >= 0 and self.sections[i].start_char <= char < self.sections[i].end_char:
            return self.sections[i]
        return None

    def quote_at(self, char: int) -> Quote | None:
        """The innermost quote around ``char``. Triggers come in text order, so one sweep keeps the
        claims that are open: a block quote over the whole text costs nothing per lookup."""
        if char < self._sweep_at:
            self._next_claim, self._open = 0, []  # asked out of order: start the sweep again
        self._sweep_at = char
        while self._next_claim < len(self.claims) and self.claims[self._next_claim][0] <= char:
            self._open.append(self.claims[self._next_claim])
            self._next_claim += 1
        self._open = [c for c in self._open if c[1] > char]
        best = min(self._open, key=lambda c: c[1] - c[0], default=None)
        return best[2] if best else None

    def run(self) -> list[Event]:
        events: list[Event] = []
        for sent in self.doc.sents:
            found_here: list[tuple[Token, Trigger, Token | None, Section]] = []
            for tok in sent:
                section = self.section_of(tok.idx)
                if section is None:
                    continue  # a sentence the parser ran across a body/comment boundary: each trigger in its own
                found = match_trigger(tok)
                if found is None or (tok.dep_ == "compound" and _pos(tok) == "NOUN"):
                    continue  # "riot police", "protest movement": a noun that names a kind of thing
                found_here.append((tok, found[0], found[1], section))
            # "imposed sanctions", "sanctions were imposed": the noun a verb's row needed is that verb's event
            objects = {obj.i for _, _, obj, _ in found_here if obj is not None}
            inner = _complements({t.i: tr.event for t, tr, _, _ in found_here}, sent)
            for tok, trigger, obj, section in found_here:
                if tok.i in objects or tok.i in inner:
                    continue  # … or the content of a threat, accusation, demand, refusal or promise
                event = self.event(tok, trigger, obj, sent, section)
                if event is not None:
                    events.append(replace(event, index=len(events)))
        return events

    # --- arguments ---------------------------------------------------------------------

    def _resolve(self, tok: "Token | None", quote: Quote | None) -> tuple[Actor, ...]:
        if tok is None or tok.lemma_.lower() in _NOT_ACTORS or any(t.lemma_.lower() in _NOT_ACTORS for t in tok.lefts if t.dep_ == "compound"):
            return ()  # "Typhoon Haikui slammed into Taiwan", "a passenger train derailed, killing 17"
        return tuple(a for a in self.actors.actors(tok, quote) if a.country or a.sector or a.span)

    def _verb_actor(self, tok: "Token", quote: Quote | None) -> tuple[Actor, ...]:
        if _passive(tok) and _subject(tok) is None:
            # "was assassinated in an Israeli strike", "was hit by Russian missiles": the attack's owner
            for c in tok.children:
                if c.dep_ in ("prep", "agent") and c.lower_ in ("in", "by"):
                    for g in c.children:
                        for m in (g, *[x for x in g.children if x.dep_ in ("amod", "poss", "compound")]):
                            code = self.actors.code_at(m)
                            if g.dep_ == "pobj" and code is not None and code.country and code.kind in ("country", "demonym", "metonym", "org"):
                                return (Actor(self.actors.g.country_names.get(code.country, code.name) if code.kind == "demonym" else code.name,
                                              code.country, code.sector or "GOV", (m.idx, m.idx + len(m.text))),)
        for t in _climb(tok):
            subj = _subject(t)
            if subj is None and t is not tok and _passive(t):
                continue
            if subj is not None:
                return self._resolve(subj, quote)
            if t.dep_ == "relcl" and t.head.pos_ in ("NOUN", "PROPN"):
                return self._resolve(t.head, quote)  # "Israel, which attacked …"
            if t.dep_ == "acl" and t.head.pos_ in ("NOUN", "PROPN") and t.tag_ == "VBG":
                return self._resolve(t.head, quote)  # "Iran scrambling fighter jets"
        return ()

    def _recipient(self, tok: "Token", obj: "Token | None", quote: Quote | None, actors: tuple[Actor, ...]) -> tuple[Actor, ...]:
        """Whom the event is aimed at: the first candidate with a country (else with a sector
        only), else a party named inside the object, else unnamed people ("killed 30 villagers")."""
        pos = _pos(tok)
        candidates = self._recipient_candidates(tok, obj, pos)
        chosen, people = self._chosen_recipient(candidates, obj, quote, actors)
        if chosen:
            return chosen
        # "rejecting the very deal he demanded the Iranians accept": the party named in the object
        if pos == "VERB":
            found = self._party_in_object(tok, quote, actors)
            if found:
                return found  # "vetoed a bill passed by parliament": the parliament
        if people is not None:
            return self._unnamed_people(people)
        return ()

    @staticmethod
    def _recipient_candidates(tok: "Token", obj: "Token | None", pos: str | None) -> list["Token"]:
        """The tokens that may name the recipient, best first: objects (and a passive subject),
        objects of the recipient prepositions in their order, subjects or objects of a clause."""
        candidates: list[Token] = []
        if pos == "VERB":
            passive = _passive(tok)
            for c in tok.children:
                if c.dep_ in ("dobj", "dative", "iobj") or (passive and c.dep_ == "nsubjpass"):
                    candidates.append(c)
        heads = [tok] + ([obj] if obj is not None and obj.i != tok.i else [])
        if pos == "NOUN" and tok.dep_ in ("dobj", "pobj") and tok.head.i != tok.i:
            verb = tok.head if tok.dep_ == "dobj" else tok.head.head
            heads.append(verb)  # "issued an arrest warrant for …", "was hit with sanctions by the EU"
            if _passive(verb):
                candidates += [c for c in verb.children if c.dep_ == "nsubjpass"]
        preps = [c for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in _RECIPIENT_PREPS]
        preps.sort(key=lambda c: _RECIPIENT_PREPS.index(c.lower_))
        for c in preps:
            if c.lower_ == "of" and pos == "VERB":
                continue
            candidates += [g for g in c.children if g.dep_ == "pobj"]
        for c in tok.children:
            if c.dep_ in ("ccomp", "xcomp"):
                s = _subject(c)
                if s is not None:
                    candidates.append(s)  # "demanded the Iranians accept"
                elif c.dep_ == "xcomp":
                    for g in c.children:  # "threatened to expel the mission", "offered to host talks between …"
                        if g.dep_ == "dobj":
                            candidates.append(g)
                            candidates += [x for p in g.children if p.dep_ == "prep" and p.lower_ in _RECIPIENT_PREPS
                                           for x in p.children if x.dep_ == "pobj"]
        return candidates

    def _chosen_recipient(
        self, candidates: list["Token"], obj: "Token | None", quote: Quote | None, actors: tuple[Actor, ...]
    ) -> tuple[tuple[Actor, ...], "Token | None"]:
        """The recipient among the candidates (the proposer of a proposal, else the first with a
        country, else the first with a sector only; () when none), and the first plural common
        noun met on the way, the unnamed people to fall back on."""
        people: Token | None = None
        sector_only: tuple[Actor, ...] = ()
        for c in candidates:
            if c.pos_ == "NOUN" and triggers_event(c) in _PROPOSALS:
                # "rejected a proposal by France and Germany", "turned down a U.S. offer": who proposed it
                proposer = tuple(a for a in self._noun_actor(c, quote)[0] if not any(_same(a, b) for b in actors))
                if proposer:
                    return proposer, people
            found = tuple(a for a in self._resolve(c, quote) if not any(_same(a, b) for b in actors))
            own = any(g.dep_ == "poss" and g.lower_ in ("its", "their", "his", "her", "our", "my") for g in c.children)
            if (obj is not None and (c.i == obj.i or c.is_ancestor(obj)) or own) and not any(
                a.country and a.country not in {b.country for b in actors} for a in found
            ):
                continue  # "scrambled fighter jets against a drone", "pull its troops out": the means, not the target
            if found and any(a.country for a in found):
                return found, people
            sector_only = sector_only or found  # "handed over cartel figures to the United States": the country wins
            if people is None and c.tag_ == "NNS" and c.pos_ == "NOUN" and c.dep_ in ("dobj", "nsubjpass") and (obj is None or c.i != obj.i):
                people = c  # "pardoned hundreds of prisoners", "killed 30 villagers": someone, country unsaid
        return sector_only, people

    def _party_in_object(self, tok: "Token", quote: Quote | None, actors: tuple[Actor, ...]) -> tuple[Actor, ...]:
        """A party named inside the verb's object ("rejecting the very deal he demanded the Iranians
        accept"), not in a place phrase; () when there is none."""
        for c in tok.children:
            if c.dep_ != "dobj":
                continue
            for t in itertools.islice(c.subtree, 15):
                if t.i == c.i or (t.head.dep_ == "prep" and t.head.lower_ in _LOCATION_PREPS):
                    continue
                if t.ent_type_ in ("GPE", "NORP", "ORG", "PERSON") or self.actors.code_at(t) is not None:
                    found = tuple(a for a in self._resolve(t, quote) if (a.country or a.sector) and not any(_same(a, b) for b in actors))
                    if found:
                        return found
        return ()

    def _unnamed_people(self, people: "Token") -> tuple[Actor, ...]:
        """Unnamed people as the recipient, without country or sector: "hundreds of prisoners" is
        the prisoners, not the number."""
        for p in people.children:  # "hundreds of prisoners": the people, not the number
            if p.dep_ == "prep" and p.lower_ == "of" and people.lemma_.lower() in ("hundred", "thousand", "ten", "dozen", "million", "scores"):
                people = next((g for g in p.children if g.dep_ == "pobj"), people)
        start, end = people.left_edge.idx, people.idx + len(people.text)
        return (Actor(doc_text(self.doc)[start:end], None, None, (start, end)),)

    def _noun_actor(self, tok: "Token", quote: Quote | None) -> tuple[tuple[Actor, ...], float]:
        for c in tok.children:
            if c.dep_ == "poss" or (c.dep_ in ("compound", "amod", "nmod") and self.actors.code_at(c) is not None):
                found = self._resolve(c, quote)
                if found:
                    return found, 0.7
            if c.dep_ == "prep" and c.lower_ == "by":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                found = self._resolve(pobj, quote)
                if found:
                    return found, 0.7
        head = tok.head
        if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.dep_ in ("dobj", "nsubjpass"):
            tok, head = head.head, head.head.head  # "adopted a new round of sanctions", "a package of aid"
        if tok.dep_ in ("dobj", "nsubjpass") and _lemma(head) in _LIGHT_VERBS:
            found = self._verb_actor(head, quote)
            if found:
                return found, 0.6
        if tok.dep_ == "pobj" and head.dep_ == "prep":
            verb = head.head
            if head.lower_ in ("for", "to", "into") and _lemma(verb) in _MOTION_VERBS:
                found = self._verb_actor(verb, quote)
                if found:
                    return found, 0.6
            if head.lower_ == "with" and _passive(verb):  # "Iran was hit with sanctions by the EU"
                agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
                found = self._resolve(agent, quote)
                if found:
                    return found, 0.6
        return (), 0.0

    def _exemplified(self, tok: "Token") -> "Token | None":
        """The clause a "like …" / "including …" list gives examples of: in "policies Washington has
        leveled against Iran, like sanctions, surrounding Iran militarily, …" every item is Washington's."""
        t = tok
        for _ in range(8):
            if t.head.i == t.i:
                return None
            t = t.head
            if t.dep_ == "prep" and (t.lower_ in ("like", "including") or (t.lower_ == "as" and any(c.lower_ == "such" for c in t.children))):
                for i in range(t.i - 1, max(0, t.i - 25) - 1, -1):
                    if tok.doc[i].is_sent_end:
                        break
                    cand = tok.doc[i]
                    if cand.pos_ in ("NOUN", "PROPN"):
                        rel = next((c for c in cand.children if c.dep_ == "relcl" and _subject(c) is not None), None)
                        if rel is not None:
                            return rel
                return None
        return None

    # --- one event ---------------------------------------------------------------------

    def event(self, tok: "Token", trigger: Trigger, obj: "Token | None", sent: "Span", section: Section) -> Event | None:
        """One trigger as an event: its parties and where they are from, its kind and modality,
        recipients the context supplies when the sentence names none; None without an actor."""
        quote = self.quote_at(tok.idx)
        pos = _pos(tok)
        actors, recipients, confidence = self._parties(tok, obj, sent, quote, pos)
        if not actors:
            return None  # no event without an actor
        actors, recipients, place, home = self._at_home(tok, sent, quote, actors, recipients)
        recipients = tuple(r for r in recipients if not any(r == a for a in actors))
        event, mode, context, cameo = trigger.event, trigger.mode, trigger.context, trigger.cameo
        modality = self.modality(tok, sent, quote)
        chain = _climb(tok) if pos == "VERB" else [tok]
        intent = any(_lemma(t) in _INTENT for t in chain[1:])  # "is prepared to negotiate", "offered to mediate"
        event, mode, context, cameo, modality = _fold(event, mode, context, cameo, modality, intent, tok, obj)
        if event in ("ASSAULT", "COERCE") and self._crowd(tok):
            event, mode, context, cameo = "PROTEST", "riot", context, "145"  # "rioters set fire to police stations"
        recipients, confidence = self._implied_recipients(
            tok, trigger, sent, quote, event, actors, recipients, confidence, place, home)
        if _pos(tok) == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
            modality = "negated"
        if event == "CONSULT" and recipients:
            actors, recipients, mode = self._meeting_roles(tok, actors, recipients, mode)
        start, end = self._trigger_span(tok, obj)
        return Event(
            article_id=self.article_id, index=0, event=event, mode=mode, context=context,
            actors=actors, recipients=recipients, trigger=doc_text(self.doc)[start:end], trigger_span=(start, end),
            sentence_span=(max(sent.start_char, section.start_char), min(sent.end_char, section.end_char)),
            modality=modality, section=section.index,
            section_kind=section.kind, cameo=cameo, score=score_of(event, mode), quad=QUAD.get(event),
            claimed_by=(quote.speaker if quote is not None else None), quote=(quote.index if quote is not None else None),
            confidence=confidence, **self._date(tok, sent),
        )

    def _parties(
        self, tok: "Token", obj: "Token | None", sent: "Span", quote: Quote | None, pos: str | None
    ) -> tuple[tuple[Actor, ...], tuple[Actor, ...], float]:
        """The event's actors, recipients and confidence: the verb's subject or the noun's owner,
        else the clause a "like …" list exemplifies, else an actor implied by the context."""
        confidence = 0.7
        if pos == "VERB":
            actors = self._verb_actor(tok, quote)
            if not actors and tok.dep_ in ("conj", "appos", "acl") and _pos(tok.head) == "NOUN":
                actors, confidence = self._noun_actor(tok.head, quote)
        else:
            actors, confidence = self._noun_actor(tok, quote)
        recipients = self._recipient(tok, obj, quote, actors)
        if not actors:
            clause = self._exemplified(tok)
            if clause is not None:
                actors, confidence = self._resolve(_subject(clause), quote), 0.5
                recipients = recipients or self._recipient(clause, None, quote, actors)
        if not actors:
            actors = self._implicit_actor(tok, sent, recipients, quote)
            confidence = 0.3
        return actors, recipients, confidence

    def _at_home(
        self, tok: "Token", sent: "Span", quote: Quote | None, actors: tuple[Actor, ...], recipients: tuple[Actor, ...]
    ) -> tuple[tuple[Actor, ...], tuple[Actor, ...], str | None, str | None]:
        """Countries the sentence leaves unsaid: actors take the place it happens in; recipients
        take the actors' country (home) when domestic, else the place or the other side named."""
        place = self._place(sent)
        if place is not None:
            actors = tuple(replace(a, country=place) if a.country is None else a for a in actors)
        home = next((a.country for a in actors if a.country), None) or place
        if home is not None:
            # "Georgia's prime minister rejected opposition demands", "pardoned hundreds of prisoners":
            # a domestic party is the actor's compatriot; people whose country goes unsaid are where it
            # happens ("killed 40 villagers in Ituri"), else of the other side the sentence names, else compatriots
            at_home = any(a.sector in ("JUD", "COP", "LEG", "OPP", "CVL") for a in actors)  # courts, police, opposition act at home
            other = next((a.country for a in self._nearby_party(tok, sent, actors, quote)), None) if any(
                r.country is None and r.sector is None for r in recipients) else None
            recipients = tuple(
                replace(r, country=home) if r.country is None and (r.sector in _DOMESTIC or at_home or r.sector == "GOV")
                else replace(r, country=place or other or home) if r.country is None and r.sector is None
                else r
                for r in recipients
            )
        return actors, recipients, place, home

    def _implied_recipients(
        self, tok: "Token", trigger: Trigger, sent: "Span", quote: Quote | None, event: str, actors: tuple[Actor, ...],
        recipients: tuple[Actor, ...], confidence: float, place: str | None, home: str | None,
    ) -> tuple[tuple[Actor, ...], float]:
        """Recipients when the sentence names none: the other side of a quoted statement, a party
        nearby, the country a mobilisation, protest or curfew falls on (at a lower confidence)."""
        if not recipients and quote is not None and QUAD.get(event) in (1, 3):
            # "Iranians cannot accept that": a verbal move in a statement is addressed to the other side
            speaker = self.actors.speaker_actor(quote)
            counterpart = (
                speaker if speaker is not None and speaker.country and speaker.country not in {a.country for a in actors}
                else self.actors.counterpart(quote, actors)
            )  # "once you meet our demands": addressed to the speaker's side
            if counterpart is not None:
                recipients, confidence = (counterpart,), min(confidence, 0.4)
        if not recipients and QUAD.get(event) is not None and event not in ("PROTEST", "MOBILIZE"):
            recipients = self._nearby_party(tok, sent, actors, quote)
            if recipients:
                confidence = min(confidence, 0.3)
        if not recipients and home is not None and trigger.event in ("MOBILIZE", "RETREAT"):
            where = self._border(tok) or place or home  # "send troops to its border with Belarus", "pull out of … in southern Lebanon"
            recipients = (Actor(self.actors.g.country_names.get(where, where), where, "GOV", None),)
        elif not recipients and home is not None and event in ("PROTEST", "COERCE", "CONCEDE"):
            # protests address the state; a curfew, a ban, martial law or their lifting fall on the country
            recipients = (Actor(self.actors.g.country_names.get(home, home), home, "GOV" if event == "PROTEST" else "CVL", None),)
        return recipients, confidence

    @staticmethod
    def _meeting_roles(
        tok: "Token", actors: tuple[Actor, ...], recipients: tuple[Actor, ...], mode: str | None
    ) -> tuple[tuple[Actor, ...], tuple[Actor, ...], str | None]:
        """Who is actor and who recipient of a CONSULT event: a host receives its visitor, and a
        meeting of equals has every party as an actor."""
        if _lemma(tok) in _HOSTING:
            # "Modi hosted his Bangladeshi counterpart": the visitor is the actor, the host the recipient
            actors, recipients = recipients, actors
            mode = mode or "visit"
        elif _lemma(tok) in _MEETING:
            # "Obama met with Abe", "Blinken spoke by phone with Shoukry": a meeting of equals has all
            # parties as actors and no recipient (manual, compound and reciprocal actors)
            actors, recipients = actors + tuple(r for r in recipients if r not in actors), ()
        return actors, recipients, mode

    @staticmethod
    def _trigger_span(tok: "Token", obj: "Token | None") -> tuple[int, int]:
        """The trigger's characters: the word, with an object close by ("imposed sanctions",
        "sanctions imposed") and a particle right after it ("pulled out")."""
        end = tok.idx + len(tok.text)
        if obj is not None and obj.i > tok.i and obj.i - tok.i <= 4:
            end = obj.idx + len(obj.text)
        for c in tok.children:
            if c.dep_ == "prt" and c.i == tok.i + 1:
                end = max(end, c.idx + len(c.text))
        start = tok.idx
        if obj is not None and obj.i < tok.i and tok.i - obj.i <= 3:
            start = obj.idx
        return start, end

    def _date(self, tok: "Token", sent: "Span") -> dict[str, str | None]:
        """When it happened: the sentence's date words nearest the trigger ("on Wednesday", "last
        year"), resolved against the publication date; unknown stays unknown."""

        lo, hi = bisect.bisect_left(self.date_starts, sent.start), bisect.bisect_left(self.date_starts, sent.end)
        found = sorted(self.dates[lo:hi], key=lambda e: abs(e.start - tok.i))
        for ent in found:
            iso, _granularity = resolve_date(ent.text, self.when.isoformat() if self.when else None)
            if iso is not None:
                return {"date": iso, "date_text": ent.text}
        return {"date": None, "date_text": found[0].text if found else None}

    def _nearby_party(self, tok: "Token", sent: "Span", actors: tuple[Actor, ...], quote: Quote | None) -> tuple[Actor, ...]:
        """No grammatical recipient: the first other party the sentence names after the trigger
        (else before it), as dictionary coders pair a sentence's actors."""
        taken = {i for a in actors if a.span for i in range(a.span[0], a.span[1])}
        after = [t for t in self.doc[tok.i + 1 : min(sent.end, tok.i + _WINDOW)]]
        before = [t for t in self.doc[max(sent.start, tok.i - _WINDOW) : tok.i]][::-1]
        for t in after + before:
            if t.idx in taken or t.dep_ in ("compound", "amod") and self.actors.code_at(t.head) is not None:
                continue
            if _in_place(t):
                continue  # "talks in Almaty, Kazakhstan": where, not whom
            code = self.actors.code_at(t)
            if code is None and t.ent_type_ not in ("GPE", "NORP"):
                continue
            if code is not None and self.actors.codes[t.i][1] - 1 != t.i:
                continue  # inside a longer name: its last token stands for it
            found = tuple(a for a in self._resolve(t, quote) if a.country and not any(_same(a, b) for b in actors))
            if found:
                return found[:1]
        return ()

    def _border(self, tok: "Token") -> str | None:
        """The other country of a border the trigger's clause names: "to its border with Belarus",
        "near Ukraine's northern border"."""
        for t in itertools.islice(tok.subtree, 80):
            if t.lemma_.lower() in ("border", "frontier", "boundary"):
                for c in t.children:
                    target = c if c.dep_ == "poss" else next((g for g in c.children if g.dep_ == "pobj"), None) if c.dep_ == "prep" and c.lower_ in ("with", "of") else None
                    code = self.actors.code_at(target) if target is not None else None
                    if code is not None and code.country:
                        return code.country
        return None

    def _crowd(self, tok: "Token") -> bool:
        """Is the doer of a violent act a crowd (rioters, protesters, demonstrators)?"""
        for t in _climb(tok):
            subj = _subject(t)
            if subj is not None:
                return subj.lemma_.lower() in _CROWDS
        return False

    def _place(self, sent: "Span") -> str | None:
        """The country a sentence happens in: "Police in Tbilisi …", "Doctors across Kenya …"."""
        if sent.start in self._places:
            return self._places[sent.start]
        self._places[sent.start] = found = self._find_place(sent)
        return found

    def _find_place(self, sent: "Span") -> str | None:
        for t in sent:
            if t.dep_ == "pobj" and t.head.lower_ in _LOCATION_PREPS:
                for x in (t, *[c for c in t.children if c.dep_ in ("poss", "compound", "amod")]):
                    code = self.actors.code_at(x)  # "in Tbilisi", "in Congo's Ituri province"
                    if code is not None and code.country and code.country != "IGO" and code.kind in ("country", "metonym", "demonym"):
                        return code.country
        return None

    def _implicit_actor(self, tok: "Token", sent: "Span", recipients: tuple[Actor, ...], quote: Quote | None) -> tuple[Actor, ...]:
        """A nominal conflict event with a recipient but no actor ("sanctions against Iran have
        materialized"): the one other country the sentence names, if there is exactly one."""
        if _pos(tok) != "NOUN" or not recipients or QUAD.get(triggers_event(tok)) not in (3, 4):
            return ()
        own = {r.country for r in recipients}
        others: dict[str, Actor] = {}
        for t in self.doc[max(sent.start, tok.i - _WINDOW) : min(sent.end, tok.i + _WINDOW)]:
            if t.i == tok.i or t.dep_ in ("compound",) and t.head.i in range(t.i, t.i + 4):
                continue
            code = self.actors.code_at(t)
            if code is None or not code.country or code.country in own or not (code.kind in ("country", "metonym") or code.country == "IGO"):
                continue  # a state, named as such: "sanctions against Iran have materialized … America"
            if code.country not in others:
                a = self.actors.actor(t, quote)
                if a is not None:
                    others[code.country] = a
        return (next(iter(others.values())),) if len(others) == 1 else ()

    # --- modality ------------------------------------------------------------------------

    def modality(self, tok: "Token", sent: "Span", quote: Quote | None) -> str:
        chain = _climb(tok) if _pos(tok) == "VERB" else _climb(tok.head) if tok.head.i != tok.i else [tok]
        t = chain[-1]
        for _ in range(6):  # "was vocal in expressing Iran's desire to reach a deal": up to the clause's verb
            if t.pos_ in ("VERB", "AUX") and t is not chain[0] or t.head.i == t.i or t.dep_ in ("ccomp", "relcl"):
                break
            t = t.head
            if t.pos_ in ("VERB", "AUX"):
                chain = [*chain, t]
                break
        negated = any(c.dep_ == "neg" for t in chain[:3] for c in t.children) or any(
            c.dep_ in ("nsubj", "nsubjpass") and any(g.lower_ in ("neither", "no", "none") and g.dep_ in ("preconj", "det") for g in c.children)
            for c in chain[0].children
        )
        auxes = [c for t in chain for c in t.children if c.dep_ in ("aux", "auxpass")]
        conditional = any(
            c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _CONDITION_MARKS for m in c.children)
            for t in chain for c in t.children
        ) or any(_after_imperative(t) for t in chain)
        if not conditional:
            conditional = any(c.dep_ == "advcl" and c.i < chain[-1].i and any(m.lower_ == "as" for m in c.children) and "long" in [m.lower_ for m in itertools.islice(c.subtree, 3)] for c in chain[-1].children)
        if negated:
            return "negated"
        if conditional:
            return "conditional"
        if any(a.lower_ == "would" for a in auxes) and chain[-1].dep_ == "ccomp" and _lemma(chain[-1].head) in _REPORTING:
            return "future"  # "announced it would pull out": the future seen from the past, not a supposition
        if any(a.lower_ in _HYPOTHETICAL for a in auxes):
            return "hypothetical"
        if any(a.lower_ in _FUTURE for a in auxes):
            return "future"
        past = False
        for t in chain:  # the tense of the nearest verb that shows one: "have materialized" is not past
            own = [c for c in t.children if c.dep_ in ("aux", "auxpass")]
            if own:
                past = any(a.tag_ == "VBD" for a in own)
                break
            if t.tag_ in ("VBD", "VBZ", "VBP"):
                past = t.tag_ == "VBD"
                break
        if past and self._past_time(sent):
            return "historical"
        return "asserted"

    def _past_time(self, sent: "Span") -> bool:
        lo, hi = bisect.bisect_left(self.date_starts, sent.start), bisect.bisect_left(self.date_starts, sent.end)
        for ent in self.dates[lo:hi]:
            if _NOW_DATES.search(ent.text):
                continue
            years = [int(y) for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", ent.text)]
            if years and self.when is not None and all(y >= self.when.year for y in years):
                continue
            return True
        return False


def _in_place(t: "Token") -> bool:
    """Is this word part of a place phrase ("in Almaty, Kazakhstan", "at the embassy in Mexico City")?"""
    for _ in range(4):
        if t.dep_ == "pobj" and t.head.lower_ in ("in", "at", "near", "across", "throughout", "through", "inside", "outside"):
            return True
        if t.dep_ not in ("appos", "compound", "conj", "npadvmod", "poss") or t.head.i == t.i:
            return False
        t = t.head
    return False


def _same(a: Actor, b: Actor) -> bool:
    """One party, named twice ("Obama … he")."""
    return a.name == b.name or (
        a.country is not None and a.country == b.country and (a.sector == b.sector or None in (a.sector, b.sector))
    )


def _complements(events_at: dict[int, str], sent: "Span") -> set[int]:
    """Triggers inside the complement of a speech act in the same sentence ("threatened to expel",
    "accused Israel of attacking", "warned Israel of a response to any attack"); a protest's own
    demand; what an accepted or rejected thing was for ("accepted an invitation to attend the summit")."""
    inner: set[int] = set()
    doc = sent.doc
    for i in events_at:
        path = [doc[i]]
        t = doc[i]
        for _ in range(12):  # walk up, not down: linear in the triggers, however long the sentence
            if t.head.i == t.i:
                break
            t = t.head
            path.append(t)
            head_event = events_at.get(t.i)
            if head_event is None:
                continue
            child = path[-2]
            if child.dep_ == "prep" and child.lower_ in _BACKGROUND_PREPS and doc[i].pos_ == "NOUN":
                inner.add(i)  # "severed ties with Israel over its military offensive": the reason, told in passing
            elif (child.dep_ == "dobj" and child.i == i and head_event in _RESPONSES and events_at[i] in _PROPOSALS
                    and doc[i].pos_ == "NOUN"):
                inner.add(i)  # "turned down a U.S. offer", "praised Kenya's offer": what is answered
            elif head_event == "PROTEST":
                if events_at[i] == "REQUEST" and child.dep_ in ("advcl", "xcomp", "acl", "prep"):
                    inner.add(i)
            elif head_event in _SPEECH_ACTS:
                if (child.dep_ in ("xcomp", "ccomp") or (child.dep_ == "prep" and child.lower_ in ("of", "for", "about"))
                        or (child.dep_ == "acl" and t.pos_ == "NOUN")):  # "an offer to send troops"
                    inner.add(i)
                elif (child.dep_ == "dobj" and head_event in ("AGREE", "REJECT") and len(path) >= 3
                      and path[-3].dep_ in ("acl", "xcomp")):
                    inner.add(i)
            break  # the nearest trigger above decides
    return inner


def triggers_event(tok: "Token") -> str | None:
    found = match_trigger(tok)
    return found[0].event if found else None


def _after_imperative(verb: "Token") -> bool:
    """"Take your guns out … and I myself will negotiate": a promise conditional on a demand."""
    if verb.dep_ != "conj":
        return False
    first = verb.head
    return first.tag_ == "VB" and _subject(first) is None and not any(c.dep_ == "aux" for c in first.children)


def _fold(event: str, mode: str | None, context: str | None, cameo: str | None, modality: str, intent: bool,
          tok: "Token", obj: "Token | None") -> tuple[str, str | None, str | None, str | None, str]:
    """Where PLOVER folds modality into the type: intent to meet is AGREE, a conditional attack a
    THREATEN, a refusal to accept a REJECT; cyber operations are COERCE/cyber."""
    words = {_lemma(tok)} | ({_lemma(obj)} if obj is not None else set())
    words |= {p for w in list(words) for p in re.split(r"[-‐]", w)}
    if obj is not None:
        words |= {_lemma(c) for c in obj.children if c.dep_ in ("compound", "amod")}
    if "cyber" in words or any(w.startswith("cyber") for w in words):
        event, mode, context, cameo = "COERCE", "cyber", "cyber", cameo if event == "COERCE" else "176"
    if (intent or modality in ("future", "conditional", "hypothetical")) and event in ("CONSULT", "COOPERATE", "SUPPORT"):
        return "AGREE", None, context or "diplomatic", {"CONSULT": "036", "SUPPORT": "030"}.get(event, "030"), modality
    if (intent or modality in ("conditional", "future")) and event in ("ASSAULT", "COERCE"):
        # "will strike back if …", "stands ready to respond with all its capability": force announced is a threat;
        # a response is conditional on what it answers
        if _lemma(tok) in _REACTIVE:
            modality = "conditional"
        return "THREATEN", "violence" if event == "ASSAULT" else None, context or "military", "138" if event == "ASSAULT" else "130", modality
    if event == "RETREAT" and (intent or modality in ("future", "conditional", "hypothetical") or _lemma(tok) in ("declare", "announce")
                              or any(_lemma(a) in ("announce", "declare", "promise", "pledge") for a in tok.ancestors if a.pos_ == "VERB")):
        # "declarations (but not implementations) of ceasefires and withdrawals" are CONCEDE (manual, CONCEDE)
        return "CONCEDE", None, context, "08", modality
    if modality == "negated" and event == "AGREE" and _lemma(tok) in ("accept", "agree"):
        return "REJECT", None, context, "120", "asserted"
    return event, mode, context, cameo, modality


def extract_events(
    doc: "Doc",
    sections: Sequence[Section],
    article_id: str,
    quotes: Sequence[Quote] = (),
    *,
    when: date | str | None = None,
    gazetteer: Gazetteer | None = None,
    entities: DocumentEntities | None = None,
) -> list[Event]:
    """Every PLOVER event in a parsed document, with actors, modality, claimant and offsets;
    ``entities`` are the document's (built here when not given), which actors link to."""
    if isinstance(when, str):
        try:
            when = date.fromisoformat(when[:10])
        except ValueError:
            when = None
    try:
        return _Extractor(doc, sections, article_id, quotes, when, gazetteer, entities).run()
    finally:
        for key in ("bc_text", "bc_ents"):  # per-call caches: keep the Doc serialisable
            doc.user_data.pop(key, None)

