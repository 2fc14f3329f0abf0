"""The document's entities: every named person, organisation and outlet clustered into one entity
with one canonical name, then linked to the gazetteer and knowledge base (country, sector, offices).

Why one layer: quotes take their speakers, events their actors and cross-document identities
their people from the same entities, so that one article cannot say two things about who is
who. Person names are clustered (the fullest form the document gives wins: "Larijani" →
"Mohammad Javad Larijani"), organisations by their head words ("the Ministry" → "Iran's
Intelligence Ministry"), and each cluster collects descriptors from appositions, titles and
"who serves as" clauses so that a description can find its person. Built once per document
(``pipeline.document`` hands the same one to quotes and events); mentions resolved later
(pronouns, descriptions) are added to it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from spacy.lang.en.stop_words import STOP_WORDS

from backchannel.entities.gazetteer import Code, Gazetteer, _case_ok, phrase_matcher
from backchannel.entities.offices import day_of
from backchannel.nlp.doc import doc_ents
from backchannel.records import DocEntity, Span
from backchannel.resources.names import without_article
from backchannel.resources.outlets import find_outlet
from backchannel.resources.tables import words
from backchannel.resources.titles import is_title_word

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

_KIN = words("kin_nouns")
_POSSESSIVE = re.compile(r"[’']s$")
#: the least population of a place the tagger took for an organisation (a small town's name is too often a club's)
CITY_AS_ORG = 100_000
_TYPES = {"PERSON": "person", "ORG": "organisation", "OUTLET": "outlet", "COUNTRY": "country", "PLACE": "place"}
#: the cluster kind of a gazetteer match that no named entity of the parse covers
_MATCH_KINDS = {"country": "COUNTRY", "demonym": "COUNTRY", "place": "PLACE", "outlet": "OUTLET"}
#: a former office holder is one of the elite (PLOVER's ELI); one not yet in office has no sector from it
_SECTOR_BY_STANDING = {"former": "ELI", "not yet": None}


@dataclass(slots=True)
class Cluster:
    """One entity as the document builds it: its name grows to the fullest form the text gives."""

    id: int
    kind: str  # PERSON | ORG | OUTLET | COUNTRY | PLACE
    name: str
    words: set[str] = field(default_factory=set)
    descriptors: set[str] = field(default_factory=set)
    mentions: list[int] = field(default_factory=list)  # start offsets of the named mentions
    spans: list[Span] = field(default_factory=list)  # every mention linked to it: names, titles, pronouns
    country: str | None = None  # what the text says, where the knowledge base says nothing
    sector: str | None = None

    @property
    def last(self) -> str:
        return self.name.split()[-1].lower()

    @property
    def first(self) -> str:
        return self.name.split()[0].lower()


def clean_name(span: "SpacySpan") -> str:
    """A person's name without titles, honorifics or a possessive: "Ayatollah Ali Khamenei's" → "Ali Khamenei"."""
    tokens = [t for t in span if not (t.is_punct and t.text not in "-‐")]
    while tokens and (is_title_word(tokens[0].text) or tokens[0].lower_ in ("the", "former", "late")
                      or len(tokens) > 2 and _not_a_first_name(tokens[0])):
        tokens = tokens[1:]
    if tokens and tokens[-1].text in ("’s", "'s"):
        tokens = tokens[:-1]
    text = "".join(t.text_with_ws for t in tokens).strip()
    return _POSSESSIVE.sub("", text).strip()


def _not_a_first_name(tok: "Token") -> bool:
    """A word the tagger glued before a full name: "That’s Jeb Bush", "Floridians Jeb Bush",
    "N.J. Roger Ailes" (a function word, a contraction, a plural, an abbreviation)."""
    text = tok.text
    return (tok.is_stop or "'" in text or "’" in text or tok.tag_ == "NNPS"
            or (text.endswith(".") and sum(c.isalpha() for c in text) <= 3 and "." in text[:-1]))


def org_words(text: str) -> set[str]:
    text = _POSSESSIVE.sub("", text.replace("’s ", " ").replace("'s ", " "))
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)} - {"the", "of", "and", "s"}


class DocumentEntities:
    """The entity clusters of one document and what the gazetteer knows of each."""

    def __init__(self, doc: "Doc", *, gazetteer: Gazetteer | None = None, when: str | date | None = None) -> None:
        self.doc = doc
        self.g = gazetteer or Gazetteer.default()
        self.when = day_of(when)
        self.ents = doc_ents(doc)
        self.ent_at = {i: e for e in self.ents for i in range(e.start, e.end)}
        self.codes: dict[int, tuple[int, int, Code]] = {}  # token → (start, end, code) of the match covering it
        self._match()
        # in text order, so that a tie goes to the first named (a set's order changes with the hash seed)
        self.country_counts = Counter(
            c.country for _, _, c in sorted(set(self.codes.values()), key=lambda m: (m[0], m[1]))
            if c.country and c.kind in ("country", "demonym", "metonym")
        )
        self._match_places()
        self.clusters: list[Cluster] = []
        self.by_ent: dict[int, Cluster] = {}  # ent.start token → cluster
        self.by_token: dict[int, Cluster] = {}  # token of a gazetteer match → cluster
        self._build()

    # --- gazetteer matches -----------------------------------------------------------------

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
            if all(c.kind == "outlet" for c in codes) and ent is not None and (ent.start < start or end < ent.end):
                continue  # "Republican National Committee" is not The National: a word of another name
            if (end - start == 1 and all(c.kind == "outlet" and c.name.startswith("The ") for c in codes)
                    and (start == 0 or self.doc[start - 1].lower_ != "the")):
                continue  # "Front National", "Capitol Hill": The National and The Hill go with their "the"
            found.append((end - start, start, end, self.pick(codes)))
        for _, start, end, code in sorted(found, key=lambda f: (-f[0], f[1])):
            if any(i in self.codes for i in range(start, end)):
                continue
            for i in range(start, end):
                self.codes[i] = (start, end, code)

    def _match_places(self) -> None:
        """Bodies, cities and regions the parser tags and the gazetteer's tables do not know, from the
        knowledge base ("SANDF", "Mariupol", "Kano State"); namesakes are picked by the countries the
        document names."""
        for ent in self.ents:
            if ent.label_ not in ("GPE", "LOC", "ORG", "FAC") or any(i in self.codes for i in range(ent.start, ent.end)):
                continue
            body = self.g.organisation(without_article(ent.text), self.country_counts) if ent.label_ in ("ORG", "FAC") else None
            if body is not None:
                for i in range(ent.start, ent.end):
                    self.codes[i] = (ent.start, ent.end, body)
                continue
            self._match_place(ent)

    def _match_place(self, ent: "SpacySpan") -> None:
        """The longest start of a named entity that is a known place (the whole of it for a place)."""
        for end in range(ent.end, ent.start, -1):
            if end < ent.end and not all(t.pos_ == "PROPN" for t in self.doc[ent.start:end]):
                continue  # a place inside an organisation's name: "Madras High Court", "Kano State government"
            if end == ent.end and ent.label_ in ("ORG", "FAC") and len(ent) > 1:
                continue  # a whole multi-word organisation is not a place
            text = self.doc[ent.start:end].text
            # a name the tagger calls an organisation, or the first words of one, is a place only
            # if a region or a big city ("Mariupol", "Madras High Court"; not "Federal Election Commission")
            least = CITY_AS_ORG if ent.label_ in ("ORG", "FAC") else 0
            code = self.g.place(without_article(text), self.country_counts, least)
            if code is not None:
                for i in range(ent.start, end):
                    self.codes[i] = (ent.start, end, code)
                return

    def pick(self, codes: list[Code]) -> Code:
        """Of several readings, a person in office on the document's date, else the first listed."""
        if self.when is not None:
            dated = [c for c in codes if c.kind == "person" and c.held_on(self.when)]
            if dated:
                return dated[0]
        people = [c for c in codes if c.kind == "person"]
        if people and len(people) == len(codes):
            return max(people, key=lambda c: c.start or date.min)
        return codes[0]

    def code_at(self, tok: "Token") -> Code | None:
        hit = self.codes.get(tok.i)
        return hit[2] if hit else None


    def new(self, kind: str, name: str) -> Cluster:
        cluster = Cluster(len(self.clusters), kind, name)
        self.clusters.append(cluster)
        return cluster

    def _build(self) -> None:
        # Pass 1: full names make the person clusters; pass 2: single names join the nearest
        # full name before them (or after, when the surname comes first), else stand alone.
        people = [e for e in self.doc.ents if e.label_ == "PERSON"]
        singles = []
        for ent in people:
            name = self._person_name(ent)
            if name is None:
                continue
            if len(name.split()) >= 2:
                self._bind(self._full_name(name), ent)
            else:
                singles.append((ent, name))
        for ent, name in singles:
            self._bind(self.single_name(name, ent.start_char), ent)
        surnames = {c.last for c in self.clusters if c.kind == "PERSON"} | {c.first for c in self.clusters if c.kind == "PERSON"}
        for ent in self.doc.ents:
            if ent.label_ in ("ORG", "FAC") and clean_name(ent).lower() in surnames:
                # a surname tagged as an organisation ("Larijani has made similar comments")
                self._bind(self.single_name(clean_name(ent), ent.start_char), ent)
            elif ent.label_ in ("ORG", "FAC", "NORP", "GPE"):
                cluster = self._organisation(ent)
                if cluster is not None:
                    self._bind(cluster, ent)
            elif ent.label_ == "PERSON" and ent.start not in self.by_ent:
                outlet = find_outlet(ent.text)
                if outlet is not None:
                    self._bind(self.outlet_cluster(outlet.canonical), ent)
        self._bind_matches()

    def _bind_matches(self) -> None:
        """Countries, places, seats of power and known bodies the gazetteer found, each one entity
        (every "Iran", "Iranian" and "Tehran's" of a country is one), kept by token."""
        by_name: dict[tuple[str, str], Cluster] = {}
        for start, end, code in sorted(set(self.codes.values()), key=lambda m: (m[0], m[1])):
            if code.kind == "person":
                continue
            # a named entity inside the match is the same body ("Iran's" + "Foreign Ministry")
            found = next((c for i in range(start, end) if (e := self.ent_at.get(i)) is not None
                          and (c := self.by_ent.get(e.start)) is not None and c.kind not in ("PERSON",)), None)
            if found is None:
                kind, name = _MATCH_KINDS.get(code.kind, "ORG"), code.name
                if code.kind in ("country", "demonym") and code.country:
                    name = self.g.country_names.get(code.country, code.name)
                found = by_name.get((kind, name)) or by_name.setdefault((kind, name), self.new(kind, name))
            found.country = found.country or code.country
            found.sector = found.sector or (code.sector if found.kind != "COUNTRY" else None)
            span = self.doc[start:end]
            found.mentions.append(span.start_char)
            found.spans.append((span.start_char, span.end_char))
            for i in range(start, end):
                self.by_token[i] = found

    def cluster_at(self, tok: "Token") -> Cluster | None:
        """The entity a token is part of a mention of: a named entity or a gazetteer match."""
        ent = self.ent_at.get(tok.i)
        return (self.by_ent.get(ent.start) if ent is not None else None) or self.by_token.get(tok.i)

    def _bind(self, cluster: Cluster, ent: "SpacySpan") -> None:
        cluster.mentions.append(ent.start_char)
        cluster.spans.append((ent.start_char, ent.end_char))
        self.by_ent[ent.start] = cluster
        self._describe(cluster, ent)

    def _person_name(self, ent: "SpacySpan") -> str | None:
        name = clean_name(ent)
        if not name or not name[0].isalpha():
            return None
        if find_outlet(ent.text) is not None:
            return None  # NER calls some outlets people ("Mehr", "Al Monitor's")
        if len(name.split()) == 1:
            kin = self._kin_surname(ent)
            if kin:
                name = f"{name} {kin}"
        return name

    def _full_name(self, name: str) -> Cluster:
        parts = [p.lower() for p in name.split()]
        for cluster in self.clusters:
            c_parts = [p.lower() for p in cluster.name.split()]
            if cluster.kind == "PERSON" and c_parts[-1] == parts[-1] and c_parts[0] == parts[0]:
                if len(name) > len(cluster.name):
                    cluster.name = name
                return cluster
        return self.new("PERSON", name)

    def single_name(self, name: str, at: int) -> Cluster:
        word = name.lower()
        before: tuple[int, Cluster] | None = None
        after: tuple[int, Cluster] | None = None
        for cluster in self.clusters:
            if cluster.kind != "PERSON" or word not in (cluster.first, cluster.last):
                continue
            earlier = [m for m in cluster.mentions if m < at]
            if earlier and (before is None or max(earlier) > before[0]):
                before = (max(earlier), cluster)
            elif not earlier and cluster.mentions and (after is None or min(cluster.mentions) < after[0]):
                after = (min(cluster.mentions), cluster)
        if before:
            return before[1]
        if after:
            return after[1]
        for cluster in self.clusters:
            if cluster.kind == "PERSON" and cluster.name.lower() == word:
                return cluster
        return self.new("PERSON", name)

    def _kin_surname(self, ent: "SpacySpan") -> str | None:
        """"Mohammad Larijani's brother, Sadeq" → Sadeq shares the surname Larijani."""
        root = ent.root
        head = root.head
        if root.dep_ == "appos" and head.lemma_.lower() in _KIN:
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            if owner is not None and owner.ent_type_ == "PERSON":
                words = [w for w in clean_name(owner.doc[owner.left_edge.i : owner.i + 1]).split()]
                if words:
                    return words[-1]
        return None

    def outlet_cluster(self, canonical: str) -> Cluster:
        for cluster in self.clusters:
            if cluster.kind == "OUTLET" and cluster.name == canonical:
                return cluster
        return self.new("OUTLET", canonical)

    def _organisation(self, ent: "SpacySpan") -> Cluster | None:
        outlet = find_outlet(ent.text)
        if outlet is not None:
            return self.outlet_cluster(outlet.canonical)
        if ent.label_ in ("NORP", "GPE"):
            return None
        text = without_article(ent.text)
        while len(text.split()) > 1 and text.split()[-1].lower() in STOP_WORDS:
            text = text.rsplit(None, 1)[0]  # "Christie at": the tagger took a word too many
        text = text.split(", ")[0]  # "Facebook, Workplace, Instagram": a list the tagger took for one name
        words = org_words(text)
        if not words:
            return None
        # include a possessive country just before the entity: "Iran's Intelligence Ministry"
        start = ent.start
        doc = self.doc
        if start >= 2 and doc[start - 1].text in ("’s", "'s") and doc[start - 2].ent_type_ in ("GPE", "NORP"):
            text = doc[start - 2 : ent.end].text
        for cluster in reversed(self.clusters):
            if cluster.kind == "ORG" and (words <= cluster.words or cluster.words <= words):
                if len(text) > len(cluster.name):
                    cluster.name = text
                cluster.words |= words
                return cluster
        cluster = self.new("ORG", text)
        cluster.words = words
        return cluster

    def _describe(self, cluster: Cluster, ent: "SpacySpan") -> None:
        """Collect what the text says this entity is: titles before it, appositions, "who serves as …"."""
        if cluster.kind != "PERSON":
            return
        doc = self.doc
        i = ent.start - 1
        while i >= 0 and i >= ent.start - 6 and (doc[i].pos_ in ("PROPN", "NOUN", "ADJ", "PART") or doc[i].text in ("’s", "'s")):
            if doc[i].pos_ in ("NOUN", "PROPN") and doc[i].ent_type_ != "PERSON":
                cluster.descriptors.add(doc[i].lemma_.lower())
            i -= 1
        root = ent.root
        anchors = [root] + ([root.head] if root.dep_ == "appos" else [])
        for anchor in anchors:
            for child in anchor.children:
                if child.dep_ in ("appos", "relcl") and child.i != root.i:
                    cluster.descriptors |= {
                        t.lemma_.lower() for t in child.subtree
                        if t.pos_ in ("NOUN", "PROPN") and t.ent_type_ != "PERSON" and t.i not in range(ent.start, ent.end)
                    }
        if root.dep_ == "appos":
            cluster.descriptors.add(root.head.lemma_.lower())
        cluster.descriptors -= {"’s", "'s"}

    # --- what is known of each entity ------------------------------------------------------

    def add_mention(self, cluster_id: int | None, span: Span | None) -> None:
        """A mention resolved to an entity later (a pronoun, a title, a description)."""
        if cluster_id is not None and span is not None and span not in self.clusters[cluster_id].spans:
            self.clusters[cluster_id].spans.append(span)

    def note(self, cluster_id: int, country: str | None, sector: str | None) -> None:
        """What the text says an entity is ("Iranian lawmaker X"), kept where the base says nothing."""
        cluster = self.clusters[cluster_id]
        cluster.country = cluster.country or country
        cluster.sector = cluster.sector or sector

    def readings(self, cluster: Cluster) -> list[Code]:
        """The gazetteer's readings of an entity's name, in office on the document's date first."""
        if cluster.kind == "PERSON":
            codes = self.g.person(cluster.name)
        else:
            codes = [c for c in self.g.lookup(cluster.name) if c.kind != "person"]
        when = self.when
        if when is not None:
            codes.sort(key=lambda c: not c.held_on(when))
        return codes

    def known(self, codes: list[Code]) -> Code | None:
        """The one reading of an entity among its :meth:`readings`: a namesake in office on the date,
        else the only person (or organisation) of that name; None when several and nothing tells them apart."""
        if not codes:
            return None
        names = {(c.name, c.country) for c in codes}
        in_office = self.when is not None and codes[0].held_on(self.when)
        return codes[0] if len(names) == 1 or in_office else None

    def standing(self, code: Code) -> str:
        """A person's standing on the document's date: "in office", "former" (held an office before,
        none now: "Trump" in 2022), "not yet" (only later terms) or "unknown" (no date, not a person)."""
        if code.kind != "person" or self.when is None:
            return "unknown"
        when = self.when
        terms = [c for c in self.g.lookup(code.name) if c.kind == "person" and c.name == code.name] or [code]
        if any(c.held_on(when) for c in terms):
            return "in office"
        return "former" if any(c.end is not None and c.end < when for c in terms) else "not yet"

    def sector_of(self, code: Code, standing: str | None = None) -> str | None:
        """An entry's sector on the document's date (its ``standing``, found when not given): ELI for
        a former office holder, none for one not yet in office, GOV for a country as a whole."""
        standing = standing or self.standing(code)
        return _SECTOR_BY_STANDING.get(standing, code.sector or ("GOV" if code.kind == "country" else None))

    def record(self, cluster: Cluster, article_id: str) -> DocEntity:
        """The stored form of one entity."""
        readings = self.readings(cluster)
        code = self.known(readings)
        if cluster.kind == "OUTLET":
            outlet = find_outlet(cluster.name)
            country, sector = (outlet.country or None) if outlet else None, "MED"
        elif cluster.kind == "COUNTRY":
            country, sector = cluster.country, None
        elif code is not None:
            country, sector = code.country, self.sector_of(code)
        else:
            country, sector = cluster.country, cluster.sector
        offices = tuple(sorted({_office(c) for c in readings
                                if c.office and (self.when is None or c.start is None or c.start <= self.when)}))
        return DocEntity(article_id, cluster.id, code.name if code and cluster.kind == "PERSON" else cluster.name,
                         _TYPES[cluster.kind], country, sector, offices, tuple(sorted(set(cluster.spans))))

    def records(self, article_id: str) -> tuple[DocEntity, ...]:
        """Every entity of the document, in the order they were found."""
        return tuple(self.record(c, article_id) for c in self.clusters)


def _office(code: Code) -> str:
    """"president of IRN 2013-08-03/2021-08-03": an office with its country and term."""
    term = f"{code.start or ''}/{code.end or ''}"
    return f"{code.office} of {code.country} {term}" if code.country else f"{code.office} {term}"
