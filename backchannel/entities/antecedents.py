"""One antecedent resolver: the entity a pronoun or a back-reference stands for.

Why one: a quote's "he said" and an event's "he accused" must point at the same person, and
"it" at the same body; quotes and events used to search for antecedents their own ways, with
different pronoun sets. The search runs over the document's entities (``entities.document``):
the most recent salient entity before the pronoun, in its section — a recent speaker, else a
subject of the last few sentences — never a name that is only a bystander ("a talk with X").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from backchannel.entities.document import Cluster, DocumentEntities
from backchannel.resources.tables import words

if TYPE_CHECKING:
    from spacy.tokens import Token

_DOCUMENT_NOUNS = words("document_nouns")
#: how far back (characters) a speaker stays in view for a pronoun
_SPEAKER_REACH = 1500


class Antecedents:
    """Antecedent search over one document's entities, remembering who spoke where."""

    def __init__(self, entities: DocumentEntities, quoted: Callable[[int], bool] | None = None) -> None:
        self.entities = entities
        #: is this offset inside quotation marks? Names in quoted speech are not antecedents of a pronoun outside it.
        self.quoted = quoted or (lambda char: False)
        self.recent_speakers: list[tuple[int, int]] = []  # (char, entity id) of resolved speakers, in order

    def note_speaker(self, entity: int, char: int) -> None:
        """A speaker resolved at ``char``: the first candidate for the next pronoun."""
        self.recent_speakers.append((char, entity))

    def find(self, char: int, section_start: int, kinds: tuple[str, ...]) -> Cluster | None:
        """The entity of one of ``kinds`` a pronoun at ``char`` stands for: the most recent salient one
        before it in its section, a recent speaker or else a subject, never a bystander."""
        recent_speaker = None
        for s_char, cid in reversed(self.recent_speakers):
            if s_char < char and char - s_char < _SPEAKER_REACH:
                if self.entities.clusters[cid].kind in kinds:
                    recent_speaker = (s_char, self.entities.clusters[cid])
                break
        subject = self._recent_subject(char, section_start, kinds)
        if subject is not None and (recent_speaker is None or subject[0] > recent_speaker[0]):
            return subject[1]
        return recent_speaker[1] if recent_speaker else (subject[1] if subject else None)

    def _recent_subject(self, char: int, section_start: int, kinds: tuple[str, ...]) -> tuple[int, Cluster] | None:
        """The last subject of the wanted kinds in the pronoun's sentence or up to four before it
        (else the last such entity there); names in quotation marks only for a pronoun in them."""
        doc = self.entities.doc
        skip_quoted = not self.quoted(char)
        tok = doc.char_span(char, char + 1, alignment_mode="expand")
        if tok is None or len(tok) == 0:
            return None
        sent = tok[0].sent
        sents_back = 0
        while sent is not None and sents_back < 4 and sent.start_char >= section_start:
            candidates = []
            for t in sent:
                if t.idx >= char:
                    break
                if skip_quoted and self.quoted(t.idx):
                    continue
                cluster = self.cluster_of_token(t, kinds)
                if cluster is None:
                    continue
                if is_bystander(t):
                    continue
                candidates.append((t.idx, cluster, t.dep_ in ("nsubj", "nsubjpass") or t.head.dep_ in ("nsubj", "nsubjpass")))
            subjects = [c for c in candidates if c[2]]
            # in a clause of its own sentence ("… supporting Israel as it assassinates"), the nearest
            pool = candidates if sents_back == 0 and _subordinate(tok[0]) else subjects or candidates
            if pool:
                return pool[-1][0], pool[-1][1]
            if sent.start == 0:
                break
            sent = doc[sent.start - 1].sent
            sents_back += 1
        return None

    def cluster_of_token(self, t: "Token", kinds: tuple[str, ...]) -> Cluster | None:
        """The entity of one of ``kinds`` a token starts a mention of (a named entity, a gazetteer
        match's last word, or a document noun standing for its author)."""
        match = self.entities.by_token.get(t.i)
        if match is not None and match.kind in kinds and (t.i + 1 == len(t.doc) or self.entities.by_token.get(t.i + 1) is not match):
            return match
        if t.ent_iob_ == "B" or (t.ent_iob_ == "I" and t.i > 0 and t.doc[t.i - 1].ent_iob_ == "O"):
            start = t.i
            while start > 0 and t.doc[start].ent_iob_ == "I":
                start -= 1
            cluster = self.entities.by_ent.get(start)
            if cluster is not None and cluster.kind in kinds:
                return cluster
        if "DOCUMENT" in kinds and t.lemma_.lower() in _DOCUMENT_NOUNS and t.pos_ == "NOUN":
            return self.document_author(t)
        return None

    def document_author(self, noun: "Token") -> Cluster | None:
        """"a report released by Iran's Intelligence Ministry" → the Ministry."""
        for t in noun.subtree:
            if t.dep_ == "pobj" and t.head.lower_ in ("by", "from"):
                c = self.cluster_of_token(t.doc[t.left_edge.i] if t.ent_iob_ == "O" else t, ("ORG", "PERSON", "OUTLET"))
                c = c or self.cluster_of_span(t)
                if c is not None:
                    return c
        for t in noun.lefts:
            c = self.cluster_of_span(t)
            if c is not None and t.dep_ in ("compound", "poss"):
                return c
        return None

    def cluster_of_span(self, t: "Token") -> Cluster | None:
        """The first named entity in a token's phrase."""
        for i in range(t.left_edge.i, t.right_edge.i + 1):
            tok = t.doc[i]
            if tok.ent_iob_ == "B" and i in self.entities.by_ent:
                return self.entities.by_ent[i]
        return None


#: clauses inside a sentence: a pronoun there looks back to the nearest entity, not the main subject
_CLAUSES = frozenset({"advcl", "relcl", "ccomp", "xcomp", "acl", "conj"})


def _subordinate(pronoun: "Token") -> bool:
    """Whether a pronoun is the subject or object of a clause inside its sentence."""
    return pronoun.head.dep_ in _CLAUSES


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
