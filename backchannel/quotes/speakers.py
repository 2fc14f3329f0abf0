"""Resolve a speaker mention ("he", "Sadeq", "the head of the Judiciary", "the report") to one canonical name.

The names are the document's entities (``entities.document``: "Larijani" → "Mohammad Javad
Larijani", "the Ministry" → "Iran's Intelligence Ministry"); this module matches a mention to
one: a description by the descriptors its person collected, "the company" and pronouns through
the one antecedent search (``entities.antecedents``), a document by its author. A mention that
cannot be anyone is refused with a reason (``entities.mentions``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from backchannel.entities.antecedents import Antecedents
from backchannel.entities.document import Cluster, DocumentEntities
from backchannel.entities.gazetteer import Gazetteer
from backchannel.entities.mentions import mention_reason
from backchannel.nlp.doc import mention_span
from backchannel.records import Section
from backchannel.resources.outlets import find_outlet
from backchannel.resources.tables import pronouns, words
from backchannel.resources.titles import is_title_word

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

_PERSON_PRONOUNS = pronouns("person", reflexive=False)
_WRITER_PRONOUNS = pronouns("first", reflexive=False)
_GROUP_PRONOUNS = pronouns("group", reflexive=False)
_GENERIC = words("generic_speaker_words")
_DOCUMENT_NOUNS = words("document_nouns")
_BODY_NOUNS = words("body_nouns")
#: what carries a person's words without being a speaker: "his website", "Larijani's remarks"
_VOICE_NOUNS = words("voice_nouns")
_CARRIERS = frozenset(_VOICE_NOUNS | _DOCUMENT_NOUNS)
_BYSTANDER_PREPS = words("bystander_preps")


class SpeakerResolver:
    """Resolution of speaker mentions against the document's entities (``entities.document``)."""

    def __init__(self, doc: "Doc", sections: tuple[Section, ...], quoted: "Callable[[int], bool] | None" = None,
                 entities: DocumentEntities | None = None) -> None:
        self.doc = doc
        #: is this offset inside quotation marks? Names inside quoted speech are not antecedents.
        self.quoted = quoted or (lambda char: False)
        self.sections = sections
        self.entities = entities or DocumentEntities(doc)
        self.clusters = self.entities.clusters
        self.by_ent = self.entities.by_ent
        self.antecedents = Antecedents(self.entities, self.quoted)
        self.notes: dict[int, str] = {}  # mention start → why it names no one
        self.introduced: set[tuple[str, ...]] = set()  # descriptions brought in with "a"/"an": someone unnamed
        #: per-paragraph channels for provenance (see provenance._context_channels)
        self.context_cache: dict[tuple[int, int], list[tuple[int, str]]] = {}

    # --- resolution -----------------------------------------------------------------------

    def note_speaker(self, entity: int | None, char: int) -> None:
        if entity is not None:
            self.antecedents.note_speaker(entity, char)

    def resolve(self, mention: "Span", section: Section) -> tuple[str | None, int | None]:
        """(canonical name, cluster id) for a mention; unresolvable descriptions come back as written,
        a mention that cannot be anyone ("the attack", "the issue", a heading) as None, with the
        reason kept in :attr:`notes`."""
        reason = mention_reason(mention)
        if reason is not None:
            self.notes[mention.start_char] = f"not an entity: {reason}"
            return None, None
        cluster = self._cluster_in(mention)
        if cluster is not None:
            return cluster.name, cluster.id
        outlet = find_outlet(mention.text)
        if outlet is not None:
            c = self.entities.outlet_cluster(outlet.canonical)
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
            c = self.antecedents.find(mention.start_char, section.start_char, ("PERSON",))
            return (c.name, c.id) if c else (None, None)
        if low in _GROUP_PRONOUNS:
            c = self.antecedents.find(mention.start_char, section.start_char, ("ORG", "OUTLET", "DOCUMENT"))
            return (c.name, c.id) if c else (None, None)
        if root.pos_ in ("NOUN", "PROPN"):
            c = self._describe_match(mention, section)
            if c is not None:
                return c.name, c.id
        if len(mention) == 1 and root.text[:1].isupper():
            single = root.lower_
            if any(c.kind == "PERSON" and single in (c.first, c.last) for c in self.clusters):
                c = self.entities.single_name(root.text, mention.start_char)
                return c.name, c.id
        text = mention.text.strip()
        seat = _seat_of_government(text) if root.pos_ == "PROPN" and len(mention) <= 3 else None
        return (seat or described_as(mention) or None), None

    def _cluster_in(self, mention: "Span") -> Cluster | None:
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

    def _unnamed(self, mention: "Span") -> bool:
        """"a justice official", and "the justice official" after it: someone the text introduced
        without a name (an indefinite description of the same words, earlier in the text)."""
        words = [t.lower_ for t in mention if t.pos_ in ("NOUN", "PROPN", "ADJ")]
        if any(t.lower_ in ("a", "an") for t in mention.root.lefts):
            self.introduced.add(tuple(words))
            return True
        return tuple(words) in self.introduced

    def _describe_match(self, mention: "Span", section: Section) -> Cluster | None:
        root = mention.root
        lemma = root.lemma_.lower()
        words = {t.lemma_.lower() for t in mention.root.subtree if t.pos_ in ("NOUN", "PROPN", "ADJ")} - _GENERIC
        head_words = {lemma}
        if lemma in _DOCUMENT_NOUNS:
            own = self.antecedents.document_author(root)  # "The RCMP statement", "a release from the union"
            if own is not None:
                return own
            for t in reversed(self.doc[max(0, mention.start - 400) : mention.start]):
                if t.lemma_.lower() == lemma:
                    c = self.antecedents.document_author(t)
                    if c is not None:
                        return c
                    c = self.antecedents.cluster_of_span(t)
                    if c is not None and c.kind == "ORG":
                        return c
            return None
        # an organisation named by its head word: "the Ministry"
        for cluster in reversed(self.clusters):
            if cluster.kind == "ORG" and head_words <= cluster.words and any(m < mention.start_char for m in cluster.mentions):
                return cluster
        if lemma in _BODY_NOUNS and root.tag_ == "NN" and any(t.lower_ == "the" for t in root.lefts):
            return self.antecedents.find(mention.start_char, section.start_char, ("ORG",))  # "the company": the one last in view
        # a person named by an office: "the head of the Judiciary", "the President" (never a plural: "analysts",
        # nor "a justice official": an indefinite description brings in someone not named, nor its later "the …")
        if root.tag_ in ("NNS", "NNPS") or not (lemma in _GENERIC or is_title_word(root.text) or is_title_word(lemma)):
            return None
        if self._unnamed(mention):
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


#: what follows a description's noun and still describes it: "sources familiar with the talks",
#: "officials unauthorized to speak publicly", "employees of the media division"
_DESCRIBING = frozenset({"prep", "amod", "acl", "relcl"})
_LONGEST_DESCRIPTION = 15


def described_as(mention: "Span") -> str:
    """A speaker no name is given for, as the text describes them: the mention with what describes
    its noun after it ("sources familiar with the negotiations"), never past a quotation mark."""
    root = mention.root
    right = mention.end - 1
    if root.pos_ == "NOUN" and root.lemma_.lower() not in _DOCUMENT_NOUNS:
        for child in root.rights:
            if child.dep_ in _DESCRIBING and child.i > right and child.tag_ != "VBG":  # not "the camp describing …"
                right = max(right, child.right_edge.i)
    doc = mention.doc
    end = min(right + 1, mention.start + _LONGEST_DESCRIPTION)
    for i in range(mention.end, end):
        if doc[i].is_quote or doc[i].is_punct and doc[i].text in ",;:" or doc[i].dep_ == "cc":
            end = i  # "a person familiar with the talks" ends before "but unauthorized …"
            break
    return doc[mention.start:end].text.strip()


def _seat_of_government(text: str) -> str | None:
    """"Washington said …" is the United States government speaking (a capital or seat of
    power standing for a state's government, from the actor gazetteer's metonyms)."""

    gazetteer = Gazetteer.default()
    for code in gazetteer.lookup(text):
        if code.kind == "metonym" and code.sector == "GOV" and code.country and code.country != "IGO":
            return f"{gazetteer.country_names.get(code.country, code.country)} government"
    return None
