"""Resolve a speaker mention ("he", "Sadeq", "the head of the Judiciary", "the report") to one canonical name.

Within one document: person names are clustered (the fullest form the document gives wins:
"Larijani" → "Mohammad Javad Larijani"), organisations by their head words ("the Ministry" →
"Iran's Intelligence Ministry"), and each cluster collects descriptors from appositions,
titles and "who serves as" clauses so that a description finds its person. Pronouns go to the
most recent speaker or subject, never to a bystander in a prepositional phrase ("in a
discussion with … Pickering").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from backchannel.entities.actors import Gazetteer
from backchannel.nlp.doc import mention_span
from backchannel.records import Section
from backchannel.resources.gazetteer import find_outlet, is_title_word
from backchannel.resources.tables import pronouns, words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_PERSON_PRONOUNS = pronouns("person", reflexive=False)
_WRITER_PRONOUNS = pronouns("first", reflexive=False)
_GROUP_PRONOUNS = pronouns("group", reflexive=False)
_KIN = words("kin_nouns")
_GENERIC = words("generic_speaker_words")
_DOCUMENT_NOUNS = words("document_nouns")
#: what carries a person's words without being a speaker: "his website", "Larijani's remarks"
_VOICE_NOUNS = words("voice_nouns")
_CARRIERS = frozenset(_VOICE_NOUNS | _DOCUMENT_NOUNS)
_BYSTANDER_PREPS = words("bystander_preps")
_POSSESSIVE = re.compile(r"[’']s$")


@dataclass(slots=True)
class _Cluster:
    id: int
    kind: str  # PERSON | ORG | OUTLET
    name: str
    words: set[str] = field(default_factory=set)
    descriptors: set[str] = field(default_factory=set)
    mentions: list[int] = field(default_factory=list)  # char offsets

    @property
    def last(self) -> str:
        return self.name.split()[-1].lower()

    @property
    def first(self) -> str:
        return self.name.split()[0].lower()


def _clean_name(span: "Span") -> str:
    """A person's name without titles, honorifics or a possessive: "Ayatollah Ali Khamenei's" → "Ali Khamenei"."""
    tokens = [t for t in span if not (t.is_punct and t.text not in "-‐")]
    while tokens and (is_title_word(tokens[0].text) or tokens[0].lower_ in ("the", "former", "late")):
        tokens = tokens[1:]
    if tokens and tokens[-1].text in ("’s", "'s"):
        tokens = tokens[:-1]
    text = "".join(t.text_with_ws for t in tokens).strip()
    return _POSSESSIVE.sub("", text).strip()


def _org_words(text: str) -> set[str]:
    text = _POSSESSIVE.sub("", text.replace("’s ", " ").replace("'s ", " "))
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)} - {"the", "of", "and", "s"}


class SpeakerResolver:
    """Per-document entity clusters and the resolution of mentions against them."""

    def __init__(self, doc: "Doc", sections: tuple[Section, ...], quoted: "Callable[[int], bool] | None" = None) -> None:
        self.doc = doc
        #: is this offset inside quotation marks? Names inside quoted speech are not antecedents.
        self.quoted = quoted or (lambda char: False)
        self.sections = sections
        self.clusters: list[_Cluster] = []
        self.by_ent: dict[int, _Cluster] = {}  # ent.start token → cluster
        self.speakers: list[tuple[int, int]] = []  # (char, cluster id) of resolved speakers, in order
        #: per-paragraph channels for provenance (see provenance._context_channels)
        self.context_cache: dict[tuple[int, int], list[tuple[int, str]]] = {}
        self._build()

    # --- clustering -----------------------------------------------------------------------

    def _new(self, kind: str, name: str) -> _Cluster:
        cluster = _Cluster(len(self.clusters), kind, name)
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
            self._bind(self._single_name(name, ent.start_char), ent)
        surnames = {c.last for c in self.clusters if c.kind == "PERSON"} | {c.first for c in self.clusters if c.kind == "PERSON"}
        for ent in self.doc.ents:
            if ent.label_ in ("ORG", "FAC") and _clean_name(ent).lower() in surnames:
                # a surname tagged as an organisation ("Larijani has made similar comments")
                self._bind(self._single_name(_clean_name(ent), ent.start_char), ent)
            elif ent.label_ in ("ORG", "FAC", "NORP", "GPE"):
                cluster = self._organisation(ent)
                if cluster is not None:
                    self._bind(cluster, ent)
            elif ent.label_ == "PERSON" and ent.start not in self.by_ent:
                outlet = find_outlet(ent.text)
                if outlet is not None:
                    self._bind(self._outlet_cluster(outlet.canonical), ent)

    def _bind(self, cluster: _Cluster, ent: "Span") -> None:
        cluster.mentions.append(ent.start_char)
        self.by_ent[ent.start] = cluster
        self._describe(cluster, ent)

    def _person_name(self, ent: "Span") -> str | None:
        name = _clean_name(ent)
        if not name or not name[0].isalpha():
            return None
        if find_outlet(ent.text) is not None:
            return None  # NER calls some outlets people ("Mehrs", "Al Monitor's")
        if len(name.split()) == 1:
            kin = self._kin_surname(ent)
            if kin:
                name = f"{name} {kin}"
        return name

    def _full_name(self, name: str) -> _Cluster:
        parts = [p.lower() for p in name.split()]
        for cluster in self.clusters:
            c_parts = [p.lower() for p in cluster.name.split()]
            if cluster.kind == "PERSON" and c_parts[-1] == parts[-1] and c_parts[0] == parts[0]:
                if len(name) > len(cluster.name):
                    cluster.name = name
                return cluster
        return self._new("PERSON", name)

    def _single_name(self, name: str, at: int) -> _Cluster:
        word = name.lower()
        before: tuple[int, _Cluster] | None = None
        after: tuple[int, _Cluster] | None = None
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
        return self._new("PERSON", name)

    def _kin_surname(self, ent: "Span") -> str | None:
        """"Mohammad Larijani's brother, Sadeq" → Sadeq shares the surname Larijani."""
        root = ent.root
        head = root.head
        if root.dep_ == "appos" and head.lemma_.lower() in _KIN:
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            if owner is not None and owner.ent_type_ == "PERSON":
                words = [w for w in _clean_name(owner.doc[owner.left_edge.i : owner.i + 1]).split()]
                if words:
                    return words[-1]
        return None

    def _outlet_cluster(self, canonical: str) -> _Cluster:
        for cluster in self.clusters:
            if cluster.kind == "OUTLET" and cluster.name == canonical:
                return cluster
        return self._new("OUTLET", canonical)

    def _organisation(self, ent: "Span") -> _Cluster | None:
        outlet = find_outlet(ent.text)
        if outlet is not None:
            return self._outlet_cluster(outlet.canonical)
        if ent.label_ in ("NORP", "GPE"):
            return None
        text = ent.text
        if text.lower().startswith("the "):
            text = text[4:]
        words = _org_words(text)
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
        cluster = self._new("ORG", text)
        cluster.words = words
        return cluster

    def _describe(self, cluster: _Cluster, ent: "Span") -> None:
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

    # --- resolution -----------------------------------------------------------------------

    def note_speaker(self, entity: int | None, char: int) -> None:
        if entity is not None:
            self.speakers.append((char, entity))

    def resolve(self, mention: "Span", section: Section) -> tuple[str | None, int | None]:
        """(canonical name, cluster id) for a mention; unresolvable descriptions come back as written."""
        cluster = self._cluster_in(mention)
        if cluster is not None:
            return cluster.name, cluster.id
        outlet = find_outlet(mention.text)
        if outlet is not None:
            c = self._outlet_cluster(outlet.canonical)
            return c.name, c.id
        root = mention.root
        low = root.lower_
        owner = next((c for c in root.children if c.dep_ == "poss"), None)
        if owner is not None and root.lemma_.lower() in _CARRIERS:
            # "according to his official website", "Larijani's remarks": the owner speaks through them

            return self.resolve(mention_span(owner), section)
        if low in ("who", "which", "that") and root.head.dep_ == "relcl" and root.head.head.i != root.head.i:

            return self.resolve(mention_span(root.head.head), section)  # "McConnell, who said …"
        if low in _WRITER_PRONOUNS:
            return None, None  # the writer's (or commenter's) own voice
        if low in _PERSON_PRONOUNS:
            c = self._antecedent(mention.start_char, section, ("PERSON",))
            return (c.name, c.id) if c else (None, None)
        if low in _GROUP_PRONOUNS:
            c = self._antecedent(mention.start_char, section, ("ORG", "OUTLET", "DOCUMENT"))
            return (c.name, c.id) if c else (None, None)
        if root.pos_ in ("NOUN", "PROPN"):
            c = self._describe_match(mention, section)
            if c is not None:
                return c.name, c.id
        if len(mention) == 1 and root.text[:1].isupper():
            single = root.lower_
            if any(c.kind == "PERSON" and single in (c.first, c.last) for c in self.clusters):
                c = self._single_name(root.text, mention.start_char)
                return c.name, c.id
        text = mention.text.strip()
        seat = _seat_of_government(text) if root.pos_ == "PROPN" and len(mention) <= 3 else None
        return (seat or text or None), None

    def _cluster_in(self, mention: "Span") -> _Cluster | None:
        root = mention.root.i
        for tok in mention:
            cluster = self.by_ent.get(tok.i) if tok.ent_iob_ == "B" else None
            if cluster is None:
                continue
            end = tok.i + 1
            while end < mention.end and self.doc[end].ent_iob_ == "I":
                end += 1
            if tok.i <= root < end:
                return cluster
        # "Mohammad Larijani's brother, Sadeq": the apposed name, not the possessor
        head = mention.root
        for child in head.children:
            if child.dep_ == "appos" and child.ent_iob_ != "O":
                start = child.i
                while start > 0 and self.doc[start].ent_iob_ == "I":
                    start -= 1
                if start in self.by_ent:
                    return self.by_ent[start]
        return None

    def _antecedent(self, char: int, section: Section, kinds: tuple[str, ...]) -> _Cluster | None:
        """Most recent salient entity before ``char``: a recent speaker, else a subject, never a bystander."""
        recent_speaker = None
        for s_char, cid in reversed(self.speakers):
            if s_char < char and char - s_char < 1500:
                if self.clusters[cid].kind in kinds:
                    recent_speaker = (s_char, self.clusters[cid])
                break
        subject = self._recent_subject(char, section, kinds)
        if subject is not None and (recent_speaker is None or subject[0] > recent_speaker[0]):
            return subject[1]
        return recent_speaker[1] if recent_speaker else (subject[1] if subject else None)

    def _recent_subject(self, char: int, section: Section, kinds: tuple[str, ...]) -> tuple[int, _Cluster] | None:
        doc = self.doc
        tok = doc.char_span(char, char + 1, alignment_mode="expand")
        if tok is None or len(tok) == 0:
            return None
        sent = tok[0].sent
        sents_back = 0
        while sent is not None and sents_back < 4 and sent.start_char >= section.start_char:
            candidates = []
            for t in sent:
                if t.idx >= char:
                    break
                if self.quoted(t.idx):
                    continue
                cluster = self._cluster_of_token(t, kinds)
                if cluster is None:
                    continue
                if is_bystander(t):
                    continue
                candidates.append((t.idx, cluster, t.dep_ in ("nsubj", "nsubjpass") or t.head.dep_ in ("nsubj", "nsubjpass")))
            subjects = [c for c in candidates if c[2]]
            pool = subjects or candidates
            if pool:
                return pool[-1][0], pool[-1][1]
            if sent.start == 0:
                break
            sent = doc[sent.start - 1].sent
            sents_back += 1
        return None

    def _cluster_of_token(self, t: "Token", kinds: tuple[str, ...]) -> _Cluster | None:
        if t.ent_iob_ == "B" or (t.ent_iob_ == "I" and t.i > 0 and t.doc[t.i - 1].ent_iob_ == "O"):
            start = t.i
            while start > 0 and t.doc[start].ent_iob_ == "I":
                start -= 1
            cluster = self.by_ent.get(start)
            if cluster is not None and cluster.kind in kinds:
                return cluster
        if "DOCUMENT" in kinds and t.lemma_.lower() in _DOCUMENT_NOUNS and t.pos_ == "NOUN":
            return self._document_author(t)
        return None

    def _document_author(self, noun: "Token") -> _Cluster | None:
        """"a report released by Iran's Intelligence Ministry" → the Ministry."""
        for t in noun.subtree:
            if t.dep_ == "pobj" and t.head.lower_ == "by":
                c = self._cluster_of_token(t.doc[t.left_edge.i] if t.ent_iob_ == "O" else t, ("ORG", "PERSON", "OUTLET"))
                c = c or self._cluster_of_span(t)
                if c is not None:
                    return c
        for t in noun.lefts:
            c = self._cluster_of_span(t)
            if c is not None and t.dep_ in ("compound", "poss"):
                return c
        return None

    def _cluster_of_span(self, t: "Token") -> _Cluster | None:
        for i in range(t.left_edge.i, t.right_edge.i + 1):
            tok = t.doc[i]
            if tok.ent_iob_ == "B" and i in self.by_ent:
                return self.by_ent[i]
        return None

    def _describe_match(self, mention: "Span", section: Section) -> _Cluster | None:
        root = mention.root
        lemma = root.lemma_.lower()
        words = {t.lemma_.lower() for t in mention.root.subtree if t.pos_ in ("NOUN", "PROPN", "ADJ")} - _GENERIC
        head_words = {lemma}
        if lemma in _DOCUMENT_NOUNS:
            for t in reversed(self.doc[max(0, mention.start - 400) : mention.start]):
                if t.lemma_.lower() == lemma:
                    c = self._document_author(t)
                    if c is not None:
                        return c
                    c = self._cluster_of_span(t)
                    if c is not None and c.kind == "ORG":
                        return c
            return None
        # an organisation named by its head word: "the Ministry"
        for cluster in reversed(self.clusters):
            if cluster.kind == "ORG" and head_words <= cluster.words and any(m < mention.start_char for m in cluster.mentions):
                return cluster
        # a person named by an office: "the head of the Judiciary", "the President" (never a plural: "analysts")
        if root.tag_ in ("NNS", "NNPS") or not (lemma in _GENERIC or is_title_word(root.text) or is_title_word(lemma)):
            return None
        specific = words - {lemma} if lemma in _GENERIC else words
        best = None
        for cluster in reversed(self.clusters):
            if cluster.kind != "PERSON" or not cluster.descriptors or min(cluster.mentions, default=10**9) > mention.start_char:
                continue
            overlap = specific & cluster.descriptors
            if overlap and (best is None or len(overlap) > best[0]):
                best = (len(overlap), cluster)
        return best[1] if best else None


def _seat_of_government(text: str) -> str | None:
    """"Washington said …" is the United States government speaking (a capital or seat of
    power standing for a state's government, from the actor gazetteer's metonyms)."""

    gazetteer = Gazetteer.default()
    for code in gazetteer.lookup(text):
        if code.kind == "metonym" and code.sector == "GOV" and code.country and code.country != "IGO":
            return f"{gazetteer.country_names.get(code.country, code.country)} government"
    return None


def is_bystander(t: "Token") -> bool:
    """A name inside a prepositional phrase ("a discussion with X") is not who is speaking."""
    head = t
    for _ in range(5):
        if head.dep_ in ("nsubj", "nsubjpass"):
            return False
        if head.dep_ == "pobj" and head.head.lower_ not in ("by", "to", "of"):
            return True
        if head.dep_ == "pobj" and head.head.lower_ in ("to", "of") and head.head.head.lower_ != "according":
            return True
        if head.head.i == head.i:
            return False
        head = head.head
    return False
