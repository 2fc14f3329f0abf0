"""Quotations and reported speech: direct, mixed, split, block and indirect, each with its cue and speaker mention.

A pure function from a parsed ``Doc`` and its sections to ``Quote`` records. Marks are found by
``quotemarks``; the parse links each quote to a reporting cue (a lexicon learned from PolNeAR
train, ``cues``) and the cue to its subject. Names behind pronouns and titles are resolved by
``speakers``; the outlets the words came through by ``provenance``.

The approach follows the rule-based attributors (Krestel et al. 2008; the Gender Gap
Tracker's quote extractor; textacy's ``direct_quotations``): syntactic cue–subject–content
triples, with quotation-mark spans taking precedence over the parse.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from backchannel.entities.antecedents import is_bystander
from backchannel.entities.document import DocumentEntities
from backchannel.nlp.doc import doc_ents, doc_text, mention_span, sent_of
from backchannel.quotes.cues import (
    CONTENT_PREPS,
    RELAY_VERBS,
    cue_model,
    frame,
    frames,
    is_core_verb,
    is_cue_noun,
    is_cue_verb,
    lexicon,
)
from backchannel.quotes.provenance import channels
from backchannel.quotes.quotemarks import (
    PARAGRAPH_BREAK,
    Quoted,
    find_quoted,
    paragraph_at,
    paragraphs,
)
from backchannel.quotes.speakers import SpeakerResolver
from backchannel.records import Quote, Section
from backchannel.resources.outlets import find_outlet
from backchannel.resources.tables import pronouns, words
from backchannel.resources.titles import ORGANISATION_WORDS, is_title_word

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_NOT_SPEECH_BEFORE = re.compile(
    r"(?:so[- ]called|dubbed|titled|entitled|termed|the\s+(?:term|word|phrase|label)|known\s+as|thoughts\s+on|"
    r"called\s+it|headlined)\s*$",
    re.IGNORECASE,
)
_SPEECH_VERBS_BEFORE_COMMA = words("speech_verbs_before_comma")
_NAME_COLON = re.compile(r"[\"“]?(?P<name>[A-Z][\w.’'-]+(?:[ \t]+[A-Z][\w.’'-]+){0,3})[ \t]*:[ \t]+(?=\S)")
_SIGN_OFF = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*(?:[—–―]|--?)[ \t\u00a0]*(?P<name>[A-Z][\w.’'-]*(?:[ \t\u00a0]+[A-Z][\w.’'-]*){0,3})")
_INTERJECTION = re.compile(r"^(?:yeah|yes|no|indeed|exactly|right|well|so|again|in other words|that is|still|but|and yet)\b", re.I)


@dataclass(slots=True)
class _Draft:
    """A quote before ids, names and channels are settled."""

    kind: str
    spans: list[tuple[int, int]]
    clause: tuple[int, int]
    section: Section
    cue: "Token | None" = None
    cue_text: str | None = None
    cue_span: tuple[int, int] | None = None
    mention: "Span | None" = None
    relay: list["Span"] = field(default_factory=list)
    confidence: float = 0.5
    continuation: bool = False
    extra_cues: list[int] = field(default_factory=list)
    follows: "_Draft | None" = None  # the quote this one continues, in one attribution


# --- helpers over the parse ------------------------------------------------------------------


def _subject(verb: "Token") -> "Token | None":
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            return child
    for child in verb.children:  # "It does of course affirm": the parser hangs the subject on "does"
        if child.dep_ == "aux":
            for grand in child.children:
                if grand.dep_ in _SUBJECTS:
                    return grand
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):  # "X attributes …, but also reports …"
        for child in verb.head.children:
            if child.dep_ in _SUBJECTS:
                return child
    return None


def _verb_like(tok: "Token") -> str:
    """The tagger sometimes calls a reporting verb an adjective ("It does of course affirm that")."""
    if tok.pos_ in ("VERB", "AUX"):
        return tok.pos_
    if tok.pos_ in ("ADJ", "NOUN") and (tok.dep_ == "ROOT" or any(c.dep_ == "ccomp" for c in tok.children)):
        return "VERB"
    return tok.pos_


def _agent(verb: "Token") -> "Token | None":
    for child in verb.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _object(verb: "Token") -> "Token | None":
    for child in verb.children:
        if child.dep_ in ("dobj", "dative"):
            return child
    return None


def _person_behind(subj: "Token") -> "Span | None":
    """The person a title subject names: "The US vice-president, Joe Biden", "Secretary of the
    Supreme National Security Council Saeed Jalili"; None when the subject is not such a title."""
    if subj.ent_type_ == "PERSON" or subj.pos_ not in ("NOUN", "PROPN"):
        return None
    doc = subj.doc
    heads = [subj] + [c for c in subj.head.children if c.dep_ == "nsubj" and c.i != subj.i]  # "vice - president"
    for head in heads:
        appos = next((c for c in head.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None)
        if appos is not None:
            return mention_span(appos)
    right = subj.right_edge
    if right.i <= subj.i + 1 or right.pos_ != "PROPN" or any(t.pos_ in ("VERB", "AUX") for t in subj.subtree):
        return None
    i = right.i
    while i - 1 > subj.i and doc[i - 1].pos_ == "PROPN" and doc[i - 1].lower_ not in ORGANISATION_WORDS:
        i -= 1
    name = doc[i : right.i + 1]
    if doc[i - 1].lower_ not in ORGANISATION_WORDS and doc[i - 1].lower_ != "the":
        return None  # the phrase does not end in a name after an organisation
    return name if len(name) >= 2 or right.ent_type_ == "PERSON" else None


def _is_according(tok: "Token") -> bool:
    """Is this the "according" of "according to"?"""
    return tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to"


def _according_object(according: "Token") -> "Token | None":
    """The head of the phrase after "according to" (the parser hangs it on "to" or on "according")."""
    to = according.doc[according.i + 1]
    return next((c for c in to.children if c.dep_ == "pobj"), None) or next(
        (c for c in according.children if c.dep_ == "pobj"), None
    )


#: tokens on each side of a quote within which its reporting verb is looked for: a cue sits in
#: the quote's clause, and a bound keeps a sentence of thousands of quote marks linear
CUE_REACH = 80


def _according_to(sent: "Span") -> tuple["Token", "Token"] | None:
    """(the word 'according', the head of its object) in this sentence, if any; found once per
    sentence (a sentence with thousands of quotes asks for each of them)."""
    doc = sent.doc
    found = doc.user_data.setdefault("bc_according", {})  # token indices: user_data must serialise
    if sent.start not in found:
        found[sent.start] = next(((tok.i, pobj.i) for tok in sent if _is_according(tok)
                                  if (pobj := _according_object(tok)) is not None), None)
    hit = found[sent.start]
    return None if hit is None else (doc[hit[0]], doc[hit[1]])


_SPEAKER_NOUNS = words("speaker_nouns")
_PRONOUN_SPEAKERS = pronouns("person", "group", forms=("subject",))


def plausible_speaker(mention: "Span") -> bool:
    """Could this phrase be someone who speaks? (A person, a body, a document, or a pronoun for one.)"""
    root = mention.root
    low = root.lower_
    if low in ("i", "we", "you", "me", "us", "one"):
        return False  # the writer's or reader's own voice, not a reported statement
    if low in _PRONOUN_SPEAKERS:
        return True
    if root.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True

    return root.pos_ in ("NOUN", "PROPN") and (root.lemma_.lower() in _SPEAKER_NOUNS or is_title_word(root.text))


class _Inside:
    """Fast 'is this offset inside quotation marks?' over sorted, disjoint spans."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def __call__(self, char: int) -> bool:
        i = bisect.bisect_right(self.starts, char) - 1
        return i >= 0 and self.spans[i][0] <= char < self.spans[i][1]

    def add(self, span: tuple[int, int]) -> None:
        i = bisect.bisect_left(self.starts, span[0])
        self.starts.insert(i, span[0])
        self.spans.insert(i, span)

    def overlaps(self, start: int, end: int) -> bool:
        """Does [start, end) share a character with any span? (Spans may overlap each other.)"""
        i = bisect.bisect_left(self.starts, end)
        return any(self.spans[j][1] > start for j in range(max(0, i - 8), i))


# --- the stage -------------------------------------------------------------------------------


def extract_quotes(
    doc: "Doc", sections: tuple[Section, ...], article_id: str = "", *, blockquotes: tuple[tuple[int, int], ...] = (),
    entities: DocumentEntities | None = None,
) -> list[Quote]:
    """All statements in the body and in each comment, in text order.

    ``blockquotes`` are spans the markup marked as quoted (HTML ``<blockquote>``); ``entities``
    the document's entities (built here when not given), which gain the speakers' mentions.
    """

    drafts: list[_Draft] = []
    for section in sections:
        inner = tuple(b for b in blockquotes if section.start_char <= b[0] < section.end_char)
        drafts.extend(_section_quotes(doc, section, inner))
    drafts.sort(key=lambda d: (d.spans[0][0], d.spans[0][1]))
    resolver = SpeakerResolver(doc, sections, quoted=_Inside([s for d in drafts if d.kind != "indirect" for s in d.spans]),
                               entities=entities)
    quotes: list[Quote] = []
    previous_speaker: dict[int, tuple[str | None, int | None, "Span | None"]] = {}
    for draft in drafts:
        name, entity = (None, None)
        mention = draft.mention
        if mention is not None:
            name, entity = resolver.resolve(mention, draft.section)
            resolver.entities.add_mention(entity, (mention.start_char, mention.end_char))
        elif draft.continuation and draft.section.index in previous_speaker:
            name, entity, _ = previous_speaker[draft.section.index]
        via = channels(doc, draft.relay, draft.cue, resolver, draft.section, draft.spans[0][0], speaker=name,
                       marked=draft.kind != "indirect")
        if name is not None and (draft.kind != "indirect" or draft.confidence >= 0.6):
            previous_speaker[draft.section.index] = (name, entity, mention)
            resolver.note_speaker(entity, draft.spans[0][0])
        note = resolver.notes.get(mention.start_char) if mention is not None and name is None else None
        quotes.append(_quote(doc, draft, article_id, len(quotes), (name, entity, note), tuple(via)))
    for key in ("bc_text", "bc_ents"):  # per-call caches: keep the Doc serialisable
        doc.user_data.pop(key, None)
    return quotes


def _quote(doc: "Doc", draft: _Draft, article_id: str, index: int, speaker: tuple[str | None, int | None, str | None],
           via: tuple[str, ...]) -> Quote:
    """The record of one draft, with its resolved speaker (name, entity, note) and channels."""
    name, entity, note = speaker
    mention = draft.mention
    text = doc_text(doc)
    return Quote(
        article_id=article_id,
        index=index,
        kind=draft.kind,  # type: ignore[arg-type]
        content=" … ".join(text[s:e] for s, e in draft.spans),
        content_spans=tuple(draft.spans),
        clause_span=_with_marks(text, draft.clause),
        section=draft.section.index,
        section_kind=draft.section.kind,
        start_char=min(s for s, _ in draft.spans),
        end_char=max(e for _, e in draft.spans),
        cue=draft.cue_text,
        cue_span=draft.cue_span,
        speaker=name,
        speaker_mention=mention.text if mention is not None else None,
        speaker_mention_span=(mention.start_char, mention.end_char) if mention is not None else None,
        speaker_entity=entity,
        via=via,
        confidence=draft.confidence,
        speaker_note=note,
    )


_MARK_CHARS = "“”„«»\"‘’'"


def _with_marks(text: str, clause: tuple[int, int]) -> tuple[int, int]:
    """The clause as written, with the quotation marks that open or close it (an attribution
    corpus marks a quote's envelope with its marks; ``content_spans`` stay inside them)."""
    start, end = clause
    while start > 0 and text[start - 1] in _MARK_CHARS and (start < 2 or not text[start - 2].isalnum()):
        start -= 1
    while end < len(text) and text[end] in _MARK_CHARS and (end + 1 >= len(text) or not text[end + 1].isalnum()):
        end += 1
    return start, end


def _section_quotes(doc: "Doc", section: Section, blockquotes: tuple[tuple[int, int], ...] = ()) -> list[_Draft]:
    text = doc_text(doc)
    quoted = find_quoted(text, section.start_char, section.end_char)
    inside = _Inside([s for q in quoted for s in q.spans])
    drafts: list[_Draft] = []
    used_cues: set[int] = set()
    prev_draft: _Draft | None = None
    skip_next = False
    for i, q in enumerate(quoted):
        if skip_next:
            skip_next = False
            continue
        nxt = quoted[i + 1] if i + 1 < len(quoted) else None
        draft = _direct(doc, section, q, nxt, inside, prev_draft)
        if draft is None:
            continue
        if nxt is not None and len(draft.spans) > len(q.spans) and draft.spans[len(q.spans):] == list(nxt.spans):
            skip_next = True
        if draft.cue is not None:
            used_cues.add(draft.cue.i)
        used_cues.update(draft.extra_cues)
        same_cue = prev_draft is not None and draft.cue is not None and prev_draft.cue is not None and (
            draft.cue.i == prev_draft.cue.i and draft.kind == "direct" and prev_draft.kind in ("direct", "mixed"))
        if (draft.continuation or same_cue) and prev_draft is not None and _same_paragraph(text, section, prev_draft, draft):
            if prev_draft.kind == "direct":
                # “A,” X said. “B.” — B carries on the same statement: one quote, several spans
                prev_draft.spans.extend(draft.spans)
                prev_draft.clause = (prev_draft.clause[0], max(prev_draft.clause[1], draft.clause[1]))
                continue
            # Both parties “saw Burma as …,” said Cha. “In that sense, …” — a direct quote of its
            # own, in the same attribution as the fragment before it
            draft.follows = prev_draft
        drafts.append(draft)
        prev_draft = draft
    _share_clauses(text, drafts)
    for d in drafts:
        if d.follows is not None:
            d.clause = d.follows.clause = (d.follows.clause[0], max(d.follows.clause[1], d.clause[1]))
    marked = _Inside([s for d in drafts for s in d.spans])
    drafts.extend(_html_blockquotes(doc, section, blockquotes, inside, marked))
    in_blockquote = _Inside(list(blockquotes))
    drafts.extend(d for d in _blocks(doc, section, inside) if not in_blockquote(d.spans[0][0]))
    drafts.extend(_name_colon(doc, section))
    covered = _Inside([s for d in drafts for s in d.spans])
    drafts.extend(_indirect(doc, section, inside, covered, used_cues))
    return drafts


_CLOSING_PUNCT = re.compile(r"[.,!?;]*[”\"’']")


def _share_clauses(text: str, drafts: list[_Draft]) -> None:
    """Mixed quotes under one cue ("called him a “liar” and “sick.”") report one clause: give
    them all its full extent, up to the punctuation and mark that close the last quote."""
    by_cue: dict[int, list[_Draft]] = {}
    for d in drafts:
        if d.kind == "mixed" and d.cue is not None and d.clause != (d.spans[0][0], d.spans[-1][1]):
            by_cue.setdefault(d.cue.i, []).append(d)
    for group in by_cue.values():
        start = min(d.clause[0] for d in group)
        end = max(d.clause[1] for d in group)
        tail = _CLOSING_PUNCT.match(text, end)
        if tail and tail.end() - end <= 3:
            end = tail.end()
        for d in group:
            d.clause = (start, end)


def _same_paragraph(text: str, section: Section, first: _Draft, second: _Draft) -> bool:
    where = [paragraph_at(text, section.start_char, section.end_char, d.spans[0][0]) for d in (first, second)]
    return where[0] is not None and where[0] == where[1] and first.kind in ("direct", "mixed")


def _token_at(doc: "Doc", char: int) -> "Token | None":
    span = doc.char_span(char, min(char + 1, len(doc_text(doc))), alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _sent_of(doc: "Doc", char: int) -> "Span | None":
    tok = _token_at(doc, char)
    return sent_of(tok) if tok is not None else None


#: what words come in, not who said them ("according to a translation", "a copy of his statement")
_CARRIER_NOUNS = words("carrier_nouns")


def _find_cue(sent: "Span", q_tokens: "Span", inside: _Inside) -> "Token | None":
    """The reporting verb that governs the quote: its ancestor or child, else the nearest one."""
    best: tuple[int, int, "Token"] | None = None
    q_root = q_tokens.root
    ancestors = {t.i for t in itertools.islice(q_root.ancestors, CUE_REACH)}  # a clause's chain is short; a degenerate parse's is not
    for tok in sent:
        if inside(tok.idx):
            continue
        if _is_according(tok):
            # "…,” Khamenei told commanders, according to a translation on his website": a text
            # that carries the words is how they came, the verb says who spoke them
            obj = _according_object(tok)
            rank = 3 if obj is not None and obj.lemma_.lower() in _CARRIER_NOUNS else 1
        elif is_cue_verb(tok.lemma_, _verb_like(tok)):
            rank = 0 if tok.i in ancestors or tok.head.i in {t.i for t in q_tokens} or tok.head == q_root else 2
            subject = _subject(tok)
            if (subject is not None and not inside(subject.idx)
                    and subject.left_edge.i <= q_tokens.start <= subject.right_edge.i):
                continue  # the quote is part of this verb's subject ("the ad “wrongly” suggests")
        elif tok.pos_ == "NOUN" and is_cue_noun(tok.lemma_) and tok.i in ancestors:
            rank = 1
        else:
            continue
        distance = min(abs(tok.i - q_tokens.start), abs(tok.i - q_tokens.end))
        key = (rank, distance, tok)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is None or best[0] > 0:
        copular = _copular_cue(q_tokens, inside)
        if copular is not None:
            return copular
    if best is None:
        return None
    cue = best[2]
    if best[0] == 0 and cue.pos_ in ("VERB", "AUX") and not is_core_verb(cue.lemma_):
        # "Trump stated that Melania would discuss it “in a few weeks”": a plain speech verb
        # above a weaker one reports the whole clause
        outer = next((a for a in cue.ancestors if a.i in ancestors and is_core_verb(a.lemma_) and not inside(a.idx)), None)
        if outer is not None:
            return outer
    return cue


#: nouns whose complement after "was" is what someone said ("His answer was “…”")
_ANSWER_NOUNS = words("answer_nouns")


def _copular_cue(q_tokens: "Span", inside: _Inside) -> "Token | None":
    """The subject noun of a "was" right before the quote: “The response he got from Washington
    was “…””. Read off the words, not the tree: the parser often hangs "was" under the quote."""
    doc = q_tokens.doc
    i = q_tokens.start - 1
    while i >= 0 and (doc[i].is_punct or doc[i].is_space):
        i -= 1
    verb = doc[i] if i >= 0 else None
    if verb is None or verb.lemma_ != "be" or inside(verb.idx):
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is not None and subj.pos_ == "NOUN" and subj.lemma_ in _ANSWER_NOUNS and not inside(subj.idx):
        return subj
    return None


def _noun_source(noun: "Token") -> "Token | None":
    """Whose response: the owner ("Tehran's answer"), else "from X" or "by X" on the noun or on a
    clause describing it ("the response he got from Washington")."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is not None:
        return owner
    for holder in [noun, *(c for c in noun.children if c.dep_ in ("relcl", "acl"))]:
        for prep in holder.children:
            if prep.dep_ in ("prep", "agent") and prep.lower_ in ("from", "by"):
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    return None


def _intro_cue(sent: "Span", inside: _Inside) -> "Token | None":
    """The cue of a sentence that introduces a quote with a colon: a reporting verb, else a noun
    ("… went further in remarks carried by the Fars news agency:")."""
    cue = _find_cue(sent, sent[-1:], inside)
    if cue is not None:
        return cue
    nouns = [t for t in sent if t.pos_ == "NOUN" and is_cue_noun(t.lemma_) and not inside(t.idx)]
    return nouns[-1] if nouns else None


def _speaker_of(cue: "Token") -> tuple["Span | None", list["Span"]]:
    """The speaker mention for a cue, and the relaying channels met on the way (outermost first)."""
    relay: list["Span"] = []
    if cue.pos_ == "NOUN" and cue.dep_ != "ROOT":
        return _noun_cue_speaker(cue, relay)
    if _is_according(cue):
        pobj = _according_object(cue)
        return (mention_span(pobj) if pobj is not None else None), relay
    # "Reuters reported, citing two diplomats, that …": the diplomats speak, through Reuters
    citing = next((c for c in cue.children if c.dep_ in ("advcl", "xcomp", "conj") and _cites_a_source(c)), None)
    if citing is not None:
        cited = _object(citing)
        subj = _subject(cue)
        if cited is not None and subj is not None:
            return mention_span(cited), [mention_span(subj)]
    return _verb_cue_speaker(cue, relay)


def _noun_cue_speaker(cue: "Token", relay: list["Span"]) -> tuple["Span | None", list["Span"]]:
    """A noun cue's speaker ("remarks carried by Fars"): the remark's owner, or the sentence's
    subject, speaks; the agent of a clause on the noun is a channel."""
    for child in cue.children:
        if child.dep_ == "acl":
            agent = _agent(child)
            if agent is not None:
                relay.append(mention_span(agent))
    owner = next((c for c in cue.children if c.dep_ == "poss"), None)
    if cue.dep_ == "nsubj" and cue.lemma_ in _ANSWER_NOUNS:
        # "The reply from the Foreign Ministry was …": the noun is the statement, not its speaker
        source = _noun_source(cue)
        return (mention_span(source) if source is not None else None), relay
    verb = cue.head
    for _ in range(8):  # tokens are fresh objects on every access: compare positions, not identity
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    subj = owner if owner is not None else _subject(verb)
    return (mention_span(subj) if subj is not None else None), relay


def _verb_cue_speaker(cue: "Token", relay: list["Span"]) -> tuple["Span | None", list["Span"]]:
    """A verb cue's speaker: its subject (or the object of a relaying verb), climbing from a
    subordinate verb to the one it hangs on, at most four steps."""
    verb: "Token | None" = cue
    for _ in range(4):
        if verb is None:
            break
        if verb.lemma_ in RELAY_VERBS and verb.i != cue.i or (verb.i == cue.i and (verb.lemma_ == "quote" or _cites_a_source(verb))):
            obj = _object(verb)
            subj = _subject(verb)
            agent = _agent(verb)
            if subj is not None and subj.dep_ == "nsubjpass":
                if agent is not None:
                    relay.append(mention_span(agent))
                return mention_span(subj), relay
            if obj is not None:
                if subj is not None:
                    relay.append(mention_span(subj))
                return mention_span(obj), relay
        subj = _subject(verb)
        if subj is None and verb.dep_ == "advcl" and verb.i > 0 and verb.doc[verb.i - 1].ent_type_ == "PERSON":
            # "… came two days after Ayatollah Ali Khamenei said that …": the name right before
            # the verb is its subject, not the main clause's
            return mention_span(verb.doc[verb.i - 1]), relay
        if subj is not None and subj.pos_ not in ("SCONJ",) and subj.lower_ not in ("that", "which", "who", "what"):
            if subj.dep_ == "nsubjpass" and verb.lemma_ in ("quote", "cite"):
                agent = _agent(verb)
                if agent is not None:
                    relay.append(mention_span(agent))
            return _person_behind(subj) or mention_span(subj), relay
        if subj is not None and subj.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
            return subj.doc[subj.i : subj.i + 1], relay  # "…, who said" — resolved to the head noun later
        if subj is None and verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return mention_span(verb.head), relay  # "a statement announcing the pick", "one saying that …"
        if verb.dep_ in ("advcl", "xcomp", "conj", "ccomp", "relcl", "acl", "pcomp") and verb.head.i != verb.i:
            verb = verb.head
            if verb.pos_ == "ADP":  # "as saying" → the preposition's head verb
                verb = verb.head
            continue
        break
    return None, relay


_SOURCE_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE", "FAC"})


def _cites_a_source(verb: "Token") -> bool:
    """"citing two diplomats" relays them; "cited problems in the Middle East" states something."""
    if verb.lemma_ != "cite":
        return False
    obj = _object(verb)
    if obj is None:
        return True
    if obj.pos_ == "PRON":
        return obj.lower_ not in ("it", "this", "that", "these", "those")
    return bool(obj.ent_type_ in _SOURCE_ENTS or obj.pos_ == "PROPN" or obj.lemma_.lower() in _SPEAKER_NOUNS
                or find_outlet(mention_span(obj).text) is not None)


def _told_outlet(cue: "Token") -> list["Span"]:
    """"X told Reuters": the outlet told is the channel the words came through."""

    if cue.lemma_ not in ("tell", "say"):
        return []
    out = []
    for child in cue.children:
        target = child
        if child.dep_ == "prep" and child.lower_ == "to":
            target = next((g for g in child.children if g.dep_ == "pobj"), child)
        if target.dep_ in ("dobj", "dative", "pobj") and target.i != child.i or child.dep_ in ("dobj", "dative"):
            span = mention_span(target)
            if find_outlet(span.text) is not None:
                out.append(span)
    return out


def _name_before(doc: "Doc", section: Section, cue: "Token") -> "Span | None":
    """When the parse gives the cue no subject, the nearest named non-bystander before it in the paragraph."""

    para = paragraph_at(doc_text(doc), section.start_char, section.end_char, cue.idx)
    if para is None:
        return None
    ents = doc_ents(doc)
    first = _first_ent_at(ents, para[0])
    candidates = []
    for e in ents[first:]:
        if e.end > cue.i:
            break
        if e.label_ in ("PERSON", "ORG"):
            candidates.append(e)
    for label in ("PERSON", "ORG"):
        for ent in reversed(candidates):
            if ent.label_ == label and not is_bystander(ent.root):
                return mention_span(ent.root)
    return None


def _name_after(doc: "Doc", char: int) -> "Span | None":
    """“…,” Mohammad Javad Larijani, …, said — a name right after the closing mark is the speaker."""
    tok = _token_at(doc, char)
    if tok is None or tok.idx - char > 2:
        return None
    if tok.ent_iob_ != "B":
        return None
    ents = doc_ents(doc)
    i = _first_ent_at(ents, tok.idx)
    if i < len(ents) and ents[i].start == tok.i and ents[i].label_ in ("PERSON", "ORG"):
        return ents[i]
    return None


def _first_ent_at(ents: tuple["Span", ...], char: int) -> int:
    """Index of the first entity starting at or after ``char`` (ents are sorted)."""
    return bisect.bisect_left(ents, char, key=lambda e: e.start_char)


def _is_not_speech(doc: "Doc", q: Quoted, q_tokens: "Span") -> bool:
    before = doc_text(doc)[max(0, q.open_at - 30) : q.open_at]
    if _NOT_SPEECH_BEFORE.search(before):
        return True
    words = [t for t in q_tokens if not t.is_punct]
    if len(words) <= 2 and q.closed:
        root = q_tokens.root
        if root.dep_ in ("amod", "compound", "nmod") and not (q_tokens.start <= root.head.i < q_tokens.end):
            return True
    # a title: mostly capitalised words and no verb ("Fox and Friends", "The Apprentice")
    major = [w for w in words if w.is_alpha and len(w) > 3]
    if 1 <= len(major) and len(words) <= 8 and all(w.text[:1].isupper() for w in major):
        if not any(t.pos_ in ("VERB", "AUX") for t in q_tokens) and words[0].text[:1].isupper():
            return len(words) >= 2 or q_tokens.root.dep_ in ("pobj", "compound")
    return False


def _kind(doc: "Doc", q: Quoted) -> str:
    text = doc_text(doc)
    before = text[max(0, q.open_at - 40) : q.open_at].rstrip()
    first = text[q.start : q.start + 4].lstrip("[(.… ")[:1]  # "“[I]f it was …"
    if not before or before.endswith((":", "\n")) or before[-1] in ".!?”\"'’":
        return "direct"
    if before.endswith(","):
        word = re.findall(r"[A-Za-z]+", before[-25:])
        last = word[-1].lower() if word else ""
        stem_hit = any(last.startswith(v[:4]) for v in _SPEECH_VERBS_BEFORE_COMMA)
        if first.isupper() or stem_hit:
            return "direct"
        return "mixed"
    if first.isupper() and before.lower().endswith(("that", "that,")):
        return "direct"
    return "mixed"


def _direct(doc: "Doc", section: Section, q: Quoted, nxt: Quoted | None, inside: _Inside, prev: _Draft | None) -> _Draft | None:
    """A quote in marks as a draft: its cue and speaker, its kind, and the next quote joined when
    a cue splits the two; without a cue, a signed or continuing quote, else None."""
    q_tokens = doc.char_span(q.start, q.spans[0][1], alignment_mode="expand")
    if q_tokens is None or len(q_tokens) == 0:
        return None
    if _is_not_speech(doc, q, q_tokens):
        return None
    if _NAME_COLON.match(doc_text(doc), q.start, q.spans[0][1]) and doc_text(doc)[q.start : q.start + 40].split(":")[0].isupper():
        return None  # a transcript line ("PENCE: …") in marks: _name_colon attributes it
    sent = sent_of(q_tokens[0])
    cue = _direct_cue(doc, section, q, q_tokens, sent, inside)
    words = sum(1 for t in q_tokens if not t.is_punct)
    draft = _Draft(kind="direct", spans=list(q.spans), clause=(q.start, q.end), section=section)
    if cue is None:
        return _uncued(doc, section, q, q_tokens, words, draft, prev)
    _attribute_direct(doc, section, q, sent, cue, inside, draft)
    _join_split(doc, q, nxt, cue, draft)
    if draft.kind == "mixed":
        draft.clause = _clause_around(doc, cue, q)
    return draft


def _direct_cue(doc: "Doc", section: Section, q: Quoted, q_tokens: "Span", sent: "Span", inside: _Inside) -> "Token | None":
    """The cue of a quote in marks, looked for from the quote's first sentence to the one after
    its closing mark (within the paragraph), else a colon-ended sentence just before it."""
    # the parser often ends a sentence inside the quote ("“You should resign. …,” Warren told
    # Stumpf"): look for the cue from the quote's first sentence to the one after its closing mark
    text = doc_text(doc)
    para_start = (paragraph_at(text, section.start_char, section.end_char, q.open_at) or (section.start_char, 0))[0]
    para_end = (paragraph_at(text, section.start_char, section.end_char, q.end) or (0, q.end))[1]
    after = _token_at(doc, min(len(doc_text(doc)) - 1, (q.close_at or q.end) + 1))
    last = sent_of(after) if after is not None and after.idx < para_end else sent_of(q_tokens[-1])
    window = doc.char_span(max(sent.start_char, para_start), min(max(sent.end_char, last.end_char), para_end),
                           alignment_mode="contract") or q_tokens
    window = doc[max(window.start, q_tokens.start - CUE_REACH): min(window.end, q_tokens.end + CUE_REACH)]
    cue = _find_cue(window, q_tokens, inside)
    if cue is not None and _reports_its_own(cue, q):
        cue = None
    if cue is None:
        # "he says:" at the end of the previous sentence introduces this one
        prev_sent = sent_of(doc[sent.start - 1]) if sent.start > 0 else None
        tail = text[max(prev_sent.start_char, prev_sent.end_char - 200): prev_sent.end_char] if prev_sent is not None else ""
        if prev_sent is not None and tail.rstrip().endswith(":") and prev_sent.start_char >= section.start_char:  # not .text: O(sentence)
            cue = _intro_cue(prev_sent, inside)
    return cue


def _uncued(
    doc: "Doc", section: Section, q: Quoted, q_tokens: "Span", words: int, draft: _Draft, prev: _Draft | None
) -> _Draft | None:
    """A quote in marks without a cue is kept only when signed ("— Jane Doe") or when it
    continues the previous quote; otherwise it is not evidence of who said it."""
    signed = _SIGN_OFF.match(doc_text(doc), q.close_at or q.end, min(section.end_char, (q.close_at or q.end) + 80))
    if signed:
        span = doc.char_span(signed.start("name"), signed.end("name"), alignment_mode="expand")
        if span is not None:
            draft.mention, draft.confidence = span, 0.6
            draft.kind = "direct"
            return draft
    full = q_tokens.text[:1].isupper() and words >= 4
    if prev is not None and full and prev.section is section and q.start - prev.spans[-1][1] < 400:
        draft.continuation, draft.confidence = True, 0.4
        draft.kind = "direct"
        return draft
    return None  # no cue, no speaker, no thread to continue: not evidence of who said it


def _attribute_direct(doc: "Doc", section: Section, q: Quoted, sent: "Span", cue: "Token", inside: _Inside,
                      draft: _Draft) -> None:
    """Set the draft's cue, speaker (the cue's, else a name right after the quote or before the
    cue), channels, kind and confidence."""
    draft.cue = cue
    if _is_according(cue):
        draft.cue_span = (cue.idx, cue.idx + len("according to"))
        draft.cue_text = doc_text(doc)[draft.cue_span[0] : draft.cue_span[1]]
    else:
        draft.cue_text, draft.cue_span = cue.text, (cue.idx, cue.idx + len(cue.text))
    draft.mention, draft.relay = _speaker_of(cue)
    draft.relay.extend(_told_outlet(cue))
    if draft.mention is not None and inside(draft.mention.start_char):
        draft.mention = None  # the parser took a word inside the quote as the subject
    if draft.mention is None and q.close_at is not None:
        draft.mention = _name_after(doc, q.close_at)
    if draft.mention is None and not _is_according(cue):
        draft.mention = _name_before(doc, section, cue)
    acc = _according_to(sent)
    if acc is not None and acc[0].i != cue.i:
        draft.relay.insert(0, mention_span(acc[1]))
        draft.extra_cues.append(acc[0].i)
    draft.kind = _kind(doc, q)
    draft.confidence = 0.9 if draft.mention is not None else 0.5


def _join_split(doc: "Doc", q: Quoted, nxt: Quoted | None, cue: "Token", draft: _Draft) -> None:
    """A split quote (“A,” he adds, “B”) is one statement with two spans: join the next quote
    when only its cue stands between the two."""
    gap = doc_text(doc)[(q.close_at or q.end) : nxt.open_at] if nxt is not None else ""
    if (
        nxt is not None
        and doc_text(doc)[q.start : q.end].rstrip().endswith(",")
        and len(gap) < 60
        and not re.search(r"[.!?]|\n\s*\n", _ABBREVIATION.sub("", gap))
        and gap.rstrip().endswith((",", ":"))
        and (q.close_at or q.end) <= cue.idx < nxt.open_at
    ):
        draft.spans = list(q.spans) + list(nxt.spans)
        draft.kind = "direct"
        draft.clause = (q.start, nxt.end)


#: "Mr." "Sen." "J." — a full stop that does not end the gap's sentence
_ABBREVIATION = re.compile(r"\b[A-Z][a-z]{0,3}\.")


def _reports_its_own(cue: "Token", q: Quoted) -> bool:
    """A cue in a later sentence that carries its own content ("… bank.” Often, it appeared that
    Trump …") reports something else, unlike a bare "… bank.” Clinton said".
    """
    close = q.close_at or q.end
    if cue.idx < close or sent_of(cue).start_char < close:
        return False
    return any(c.dep_ in ("ccomp", "xcomp") for c in cue.children)


def _clause_around(doc: "Doc", cue: "Token", q: Quoted) -> tuple[int, int]:
    """The reported clause that contains a mixed quote (the cue's complement), for attribution corpora.

    "slammed the American media for being “unbelievably dishonest.”" → from "the American media"
    to the end of the quote: the cue's complements on the quote's side, as an envelope.
    """
    if _is_according(cue):
        return _according_clause(doc, cue) or (q.start, q.end)
    aside = _aside(cue, [c for c in cue.children if c.dep_ == "ccomp"])
    if aside is not None:  # "African-Americans, he said, can “rock like Jimi”"
        first, last = _trim_punct(doc, aside[0].i, aside[1].i + 1)
        if last > first and doc[first].idx <= q.start and q.end <= doc[last - 1].idx + len(doc[last - 1].text) + 2:
            return doc[first].idx, max(q.end, doc[last - 1].idx + len(doc[last - 1].text))
    right_side = q.start > cue.idx
    deps = _COMPLEMENTS + ("acl",) if cue.pos_ == "NOUN" else _COMPLEMENTS  # "Trump's claim that …"
    comps = [
        c for c in cue.children
        if c.dep_ in deps and (c.dep_ != "prep" or c.lower_ in CONTENT_PREPS) and ((c.i > cue.i) == right_side)
    ]
    if not comps:
        return (q.start, q.end)
    left, right = comps[0].left_edge, comps[-1].right_edge
    if right_side:
        right = _run_on(cue, right)
        # "what he called a “brazen breach”", "a comment that described them as “super predators”":
        # the relative clause is the content, from its relative word
        relative = next((c for c in cue.lefts if c.lower_ in ("what", "that", "which") and c.dep_ in ("dobj", "nsubj")), None)
        if relative is not None:
            left = relative
    start, end = left.idx, right.idx + len(right.text)
    if right_side and q.start >= end:
        # "said that it was too early …, and there was “no evidence”": the parser hangs the
        # second reported clause on the cue as a conjunct
        conj = next((c for c in cue.children if c.dep_ == "conj" and c.i > right.i
                     and c.left_edge.idx <= q.start < c.right_edge.idx + len(c.right_edge.text)), None)
        if conj is not None:
            end = conj.right_edge.idx + len(conj.right_edge.text)
    if not (start <= q.start and q.end <= end + 2) or end - start > 6 * (q.end - q.start) + 400:
        return (q.start, q.end)
    while end > start and doc_text(doc)[end - 1] in " ,;:":
        end -= 1
    return (start, max(end, q.end))


def _blocks(doc: "Doc", section: Section, inside: _Inside) -> list[_Draft]:
    """Paragraphs introduced by a line ending in a colon ("Then he says:"), with no marks of their own."""
    text = doc_text(doc)
    paras = paragraphs(text, section.start_char, section.end_char)
    out: list[_Draft] = []
    for i, (p_start, p_end) in enumerate(paras[:-1]):
        if not text[p_start:p_end].endswith(":"):
            continue
        intro = _sent_of(doc, p_end - 1)
        if intro is None:
            continue
        cue = _intro_cue(intro, inside)
        if cue is None:
            continue
        mention, relay = _speaker_of(cue)
        block: list[tuple[int, int]] = []
        names = {t.lower_ for t in mention if t.is_alpha and t.is_title} if mention is not None else set()
        for b_start, b_end in paras[i + 1 :]:
            chunk = text[b_start:b_end]
            if chunk[:1] in "“\"„«" or inside(b_start):
                break
            if block:
                lowered = {w.lower() for w in re.findall(r"[A-Za-z]+", chunk)}
                if names & lowered or _INTERJECTION.match(chunk) or any(inside(c) for c in range(b_start, b_end, 16)):
                    break
            block.append((b_start, b_end))
            if len(block) >= 8:
                break
        if not block:
            continue
        draft = _Draft(kind="block", spans=block, clause=(block[0][0], block[-1][1]), section=section, cue=cue,
                       cue_text=cue.text, cue_span=(cue.idx, cue.idx + len(cue.text)), mention=mention, relay=relay,
                       confidence=0.8 if mention is not None else 0.4)
        out.append(draft)
    return out


def _html_blockquotes(
    doc: "Doc", section: Section, blockquotes: tuple[tuple[int, int], ...], inside: _Inside, marked: _Inside
) -> list[_Draft]:
    """``<blockquote>`` paragraphs: quoted even without marks; the speaker is named just before
    (the introducing sentence) or after ("— Name")."""
    text = doc_text(doc)
    out: list[_Draft] = []
    groups: list[list[tuple[int, int]]] = []
    for span in blockquotes:  # consecutive blockquote paragraphs are one block
        if groups and text[groups[-1][-1][1] : span[0]].strip() == "":
            groups[-1].append(span)
        else:
            groups.append([span])
    for block in groups:
        start, end = block[0][0], block[-1][1]
        if marked.overlaps(start, end):
            continue  # its quotation marks already made it a direct quote
        draft = _Draft(kind="block", spans=list(block), clause=(start, end), section=section, confidence=0.4)
        before = _token_at(doc, max(section.start_char, start - 3))
        intro = before.sent if before is not None and before.idx < start else None
        cue = _intro_cue(intro, inside) if intro is not None and intro.start_char >= section.start_char else None
        if cue is not None:
            draft.cue, draft.cue_text, draft.cue_span = cue, cue.text, (cue.idx, cue.idx + len(cue.text))
            draft.mention, draft.relay = _speaker_of(cue)
            draft.confidence = 0.8 if draft.mention is not None else 0.5
        else:
            signed = _SIGN_OFF.search(text, start, end)
            if signed and signed.end() >= end - 2:
                draft.mention = doc.char_span(signed.start("name"), signed.end("name"), alignment_mode="expand")
                last_start = draft.spans[-1][0]
                cut = len(text[last_start : signed.start()].rstrip())
                if cut > 0:
                    draft.spans[-1] = (last_start, last_start + cut)
                else:  # the sign-off is a paragraph of its own
                    draft.spans.pop()
                draft.confidence = 0.7
        if not draft.spans:
            continue
        draft.clause = (draft.spans[0][0], draft.spans[-1][1])
        out.append(draft)
    return out


def _name_colon(doc: "Doc", section: Section) -> list[_Draft]:
    """Interview style with no verb: "Nasr: The pressure track was the only track." """
    text = doc_text(doc)
    out: list[_Draft] = []
    for p_start, p_end in paragraphs(text, section.start_char, section.end_char):
        m = _NAME_COLON.match(text, p_start, p_end)
        if not m:
            continue
        name = doc.char_span(m.start("name"), m.end("name"), alignment_mode="expand")
        transcript = m.group("name").isupper() and len(m.group("name")) > 2  # "PENCE: Well, …"
        if name is None or not (transcript or any(t.ent_type_ in ("PERSON", "ORG", "NORP") for t in name)):
            continue
        start = m.end()
        if text[start : start + 1] in "“\"":
            continue  # a quoted statement after the name is found as a direct quote
        out.append(_Draft(kind="direct", spans=[(start, p_end)], clause=(start, p_end), section=section,
                          mention=name, confidence=0.6))
    return out


def _indirect(doc: "Doc", section: Section, inside: _Inside, covered: _Inside, used: set[int]) -> list[_Draft]:
    """Reported speech without marks: "X said that …", "…, officials said", "according to X, …"."""
    out: list[_Draft] = []
    span = doc.char_span(section.start_char, section.end_char, alignment_mode="contract")
    if span is None:
        return out
    seen_sents: set[int] = set()
    for sent in span.sents:
        if sent.start in seen_sents:
            continue
        seen_sents.add(sent.start)
        for tok in sent:
            if tok.i in used or inside(tok.idx) or not (section.start_char <= tok.idx < section.end_char):
                continue
            if _is_according(tok):
                draft = _according_draft(doc, section, sent, tok, covered)
                if draft is not None:
                    out.append(draft)
                continue
            draft = _verb_draft(doc, section, tok, inside, covered) or _noun_draft(doc, section, tok, inside, covered)
            if draft is not None:
                out.append(draft)
                covered.add(draft.clause)
    return out


_NAMING_VERBS = words("naming_verbs")
_COMPLEMENTS = ("ccomp", "xcomp", "dobj", "dative", "oprd", "prep", "attr", "acomp", "advcl")


def _verb_draft(doc: "Doc", section: Section, tok: "Token", inside: _Inside, covered: _Inside) -> _Draft | None:
    """A reporting or attitude verb and its complement, kept when the cue model says it is an attribution."""

    found = verb_candidate(doc, section, tok, inside, covered)
    if found is None:
        return None
    draft, features = found
    model = cue_model()
    probability = model.probability(features)
    if probability < model.threshold:
        return None
    if probability < 0.6 and not plausible_speaker(_named(draft.mention)):
        return None  # "US grand strategy … maintain", "the exchange underlined": no one is speaking
    draft.confidence = probability
    return draft


def verb_candidate(
    doc: "Doc", section: Section, tok: "Token", inside: _Inside, covered: _Inside
) -> tuple[_Draft, list[str]] | None:
    """Every verb with a subject and a complement is a candidate ("X said (that) …", "X accused Y of …",
    "X wants to …"); its features are what ``scripts/train_cue_model.py`` learns from (PolNeAR train)."""

    if _verb_like(tok) not in ("VERB", "AUX") or tok.lemma_ in ("quote", "attribute") or _cites_a_source(tok):
        return None  # relaying verbs name a channel, not a statement of their own
    if tok.lemma_ in _NAMING_VERBS:
        return None  # "is titled “…”", "known as “…”": a name, not a statement
    ccomps = [c for c in tok.children if c.dep_ == "ccomp"]
    aside = _aside(tok, ccomps)
    bounds = _content_bounds(tok, ccomps, aside)
    if bounds is None:
        return None
    left, right = bounds
    content = _content_spans(doc, section, tok, aside, left, right, covered)
    if content is None:
        return None
    start, end, spans = content
    mention, relay = _speaker_of(tok)
    if mention is None or mention.start_char < section.start_char:
        return None
    relay.extend(_told_outlet(tok))
    acc = _according_to(sent_of(tok))
    if acc is not None and start <= acc[0].idx < end and tok.idx < start:
        trimmed = _without_according(doc, tok, acc, start, end, spans)
        if trimmed is None:
            return None  # nothing but the channel was reported
        start, end, spans = trimmed
    if acc is not None and not (start <= acc[0].idx < end):
        relay.insert(0, mention_span(acc[1]))  # "X said …, according to the New York Times"
    named = _named(mention)
    if named.root.lower_ in ("which", "that", "what", "who", "there"):
        return None  # a parse we do not trust (the writer's own "I think …" is left to the cue model)
    has_marks = any(inside(c) for c in (start, (start + end) // 2, max(start, end - 1)))
    cue_end = tok.idx + len(tok.text)
    for child in tok.children:  # "called for", "pointed out"
        if child.dep_ == "prt" and child.i == tok.i + 1:
            cue_end = child.idx + len(child.text)
    draft = _Draft(kind="mixed" if has_marks else "indirect", spans=spans, clause=(start, end),
                   section=section, cue=tok, cue_text=doc_text(doc)[tok.idx:cue_end], cue_span=(tok.idx, cue_end),
                   mention=mention, relay=relay)
    return draft, _cue_features(tok, named.root, ccomps, left, right, start, has_marks, relay)


def _content_bounds(tok: "Token", ccomps: list["Token"], aside: tuple["Token", "Token"] | None) -> tuple["Token", "Token"] | None:
    """The first and last token of what the verb reports: the sentence around an aside, its clause,
    else a complement to its right; ``verb_candidate``'s first step, None when there is none."""
    if aside is not None:
        # "The museum, Mr. Obama said, would make …": the sentence around the aside is the content
        left, right = aside
    elif ccomps:
        comp = ccomps[0] if len(ccomps) == 1 or ccomps[0].i > tok.i else ccomps[-1]
        left, right = comp.left_edge, comp.right_edge
        if comp.i > tok.i:
            right = _run_on(tok, right)
    else:
        # no clause: a complement to the right ("accused the government of …", "called for …")
        comps = [
            c for c in tok.children
            if c.i > tok.i and c.dep_ in _COMPLEMENTS and (c.dep_ != "prep" or c.lower_ in CONTENT_PREPS)
            and not (c.dep_ == "advcl" and not any(g.dep_ == "mark" and g.lower_ in ("that", "whether", "if") for g in c.children))
            and not (c.dep_ == "prep" and any(g.ent_type_ in ("DATE", "TIME") for g in c.children))
        ]
        if not comps:
            return None
        left, right = comps[0].left_edge, comps[-1].right_edge
        if left.i <= tok.i:
            left = tok.doc[tok.i + 1]
        right = _run_on(tok, right)  # through ", including …", "when it comes to …"
    while right.i > left.i and (right.is_punct or right.is_space):
        right = tok.doc[right.i - 1]
    return left, right


def _content_spans(
    doc: "Doc", section: Section, tok: "Token", aside: tuple["Token", "Token"] | None,
    left: "Token", right: "Token", covered: _Inside,
) -> tuple[int, int, list[tuple[int, int]]] | None:
    """The content's characters (start, end, spans), or None when they are too short, already a
    quote, wrapped around their own cue, or run across a section or a paragraph break."""
    start, end = left.idx, right.idx + len(right.text)
    if end - start < 8 or covered.overlaps(start, end) or sum(1 for t in doc[left.i : right.i + 1] if t.is_alpha) < 2:
        return None
    spans = [(start, end)]
    if aside is not None:
        before, after = _trim_punct(doc, left.i, tok.left_edge.i), _trim_punct(doc, tok.right_edge.i + 1, right.i + 1)
        spans = [(doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)) for a, b in (before, after) if b > a]
        if not spans:
            return None
    elif left.idx <= tok.idx < end:
        return None  # the cue sits inside its own content: a parse we do not trust
    if start < section.start_char or end > section.end_char:
        return None  # a sentence the parser ran across a section boundary
    if PARAGRAPH_BREAK.search(doc_text(doc), min(tok.idx, start), max(tok.idx, end)):
        return None  # a headline parsed into the first sentence ("Iran talks\n\nThe minister …")
    return start, end, spans


def _without_according(
    doc: "Doc", tok: "Token", acc: tuple["Token", "Token"], start: int, end: int, spans: list[tuple[int, int]]
) -> tuple[int, int, list[tuple[int, int]]] | None:
    """An "according to X" inside the content names the channel, not what was said: cut it off
    the content's end or start; None when nothing but the channel is left."""
    phrase_end = _according_phrase_end(doc, acc[0], acc[1], tok.sent)
    if not doc_text(doc)[phrase_end:end].strip(" ,.;"):
        # "He added that talks would resume, according to Reuters": the phrase closes the
        # sentence, it names the channel rather than belonging to what was said
        end = start + len(doc_text(doc)[start : acc[0].idx].rstrip(" ,;"))
        spans = [(s, min(e, end)) for s, e in spans if s < end]
    elif not doc_text(doc)[start : acc[0].idx].strip(" ,"):
        # "Officials said, according to the AP, that talks would resume"
        rest = doc_text(doc)[phrase_end:end]
        start = phrase_end + len(rest) - len(rest.lstrip(" ,;"))
        spans = [(max(s, start), e) for s, e in spans if e > start]
    if end - start < 8 or not spans:
        return None
    return start, end, spans


def _cue_features(
    tok: "Token", subject: "Token", ccomps: list["Token"], left: "Token", right: "Token", start: int,
    has_marks: bool, relay: list["Span"],
) -> list[str]:
    """The cue model's features for a verb candidate: the verb, its frame, its subject, the
    content's length, side and first word (what ``scripts/train_cue_model.py`` learns from)."""
    lemma, fr = tok.lemma_.lower(), frame(tok)
    if subject.ent_type_:
        kind = "ENT_" + subject.ent_type_
    elif subject.pos_ == "PRON":
        kind = "PRON_" + subject.lower_
    elif subject.lemma_.lower() in _SPEAKER_NOUNS:
        kind = "SPEAKER_NOUN"
    else:
        kind = "OTHER"
    lex = lexicon().get((tok.lemma_, "VERB"))
    n_tokens = right.i - left.i + 1
    features = [
        f"l={lemma}", f"f={fr}", f"lf={lemma}|{fr}", f"s={kind}", f"ls={lemma}|{kind}", f"fs={fr}|{kind}",
        f"dep={tok.dep_}", f"tag={tok.tag_}", f"sl={subject.lemma_.lower()}",
        f"len={'<5' if n_tokens < 5 else '<15' if n_tokens < 15 else '<40' if n_tokens < 40 else '40+'}",
        f"lex={_bucket(lex.ratio) if lex is not None and lex.n_cue else 'none' if lex is None else 'curated'}",
        f"side={'left' if start < tok.idx else 'right'}",
    ]
    seen = frames().get((lemma, fr))
    features.append(f"lfr={_bucket(seen[2]) if seen else 'none'}")
    if any(c.dep_ == "neg" for c in tok.children):
        features.append("neg")
    if any(c.dep_ == "aux" and c.tag_ == "MD" for c in tok.children):
        features.append("modal")
    if any(g.dep_ == "mark" and g.lower_ == "that" for c in ccomps for g in c.children):
        features.append("that")
    if has_marks:
        features.append("marks")
    if relay:
        features.append("relay")
    # context: what the complement starts with, where the verb sits, what kind of subject word
    first = left.lower_ if left.is_alpha else left.pos_
    features += [
        f"first={first}", f"lfirst={lemma}|{left.pos_}", f"sdep={subject.dep_}", f"headdep={tok.head.dep_}",
        f"ltag={lemma}|{tok.tag_}", f"spos={subject.pos_}", f"lsl={lemma}|{subject.lemma_.lower()}",
    ]
    if subject.tag_ in ("NNS", "NNPS"):
        features.append("plural_subject")
    return features


def _run_on(verb: "Token", right: "Token") -> "Token":
    """The reported clause runs on through what the parser hangs on the verb after it ("said that
    her plans will solve …, mounting student debt and unpaid leave", "… if he is elected"), up
    to a coordinated clause with a subject of its own."""
    for child in verb.rights:
        if child.i <= right.i or child.dep_ in ("punct", "cc") or child.is_space:
            continue
        if child.dep_ in ("conj", "parataxis") and any(g.dep_ in _SUBJECTS for g in child.children):
            break
        if child.pos_ in ("VERB", "AUX") and is_cue_verb(child.lemma_, child.pos_):
            break  # ", citing …", "…, adding that …": a report of its own
        right = child.right_edge
    return right


def _aside(tok: "Token", ccomps: list["Token"]) -> tuple["Token", "Token"] | None:
    """(first, last) token of the sentence a reporting aside sits in ("X, he said, Y" / "X, he said"),
    or None when ``tok`` is not such an aside (it has content of its own)."""
    if tok.dep_ != "parataxis" or ccomps or tok.head.pos_ not in ("VERB", "AUX"):
        return None
    if any(c.dep_ in ("xcomp", "dobj", "dative", "attr", "oprd") for c in tok.children):
        return None
    head = tok.head
    return head.left_edge, head.right_edge


def _trim_punct(doc: "Doc", start: int, end: int) -> tuple[int, int]:
    """Token range [start, end) without punctuation or spaces at either end."""
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def _named(mention: "Span | None") -> "Span":
    assert mention is not None
    return mention_span(mention.root.head.head) if _is_relative(mention) else mention


def _bucket(ratio: float) -> str:
    for edge in (0.05, 0.1, 0.2, 0.4, 0.6, 0.8):
        if ratio < edge:
            return f"<{edge}"
    return ">=0.8"


def _is_relative(mention: "Span") -> bool:
    root = mention.root
    return len(mention) == 1 and root.lower_ in ("who", "which", "that") and root.head.dep_ == "relcl"


def _noun_draft(doc: "Doc", section: Section, tok: "Token", inside: _Inside, covered: _Inside) -> _Draft | None:
    """A reporting noun with its owner and a that-clause: "Trump's claim that …", "the ministry's warning that …"."""
    if tok.pos_ != "NOUN" or not is_cue_noun(tok.lemma_):
        return None
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    clause = next(
        (c for c in tok.children if c.dep_ in ("acl", "ccomp", "relcl") and c.i > tok.i
         and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)),
        None,
    )
    if owner is None or clause is None:
        return None
    left, right = clause.left_edge, clause.right_edge
    while right.i > left.i and (right.is_punct or right.is_space):
        right = doc[right.i - 1]
    start, end = left.idx, right.idx + len(right.text)
    if end - start < 12 or covered.overlaps(start, end):
        return None
    mention = mention_span(owner)
    if mention.root.lower_ in ("my", "our", "your"):
        return None
    has_marks = any(inside(c) for c in (start, (start + end) // 2, max(start, end - 1)))
    return _Draft(kind="mixed" if has_marks else "indirect", spans=[(start, end)], clause=(start, end),
                  section=section, cue=tok, cue_text=tok.text, cue_span=(tok.idx, tok.idx + len(tok.text)),
                  mention=mention, confidence=0.55)


def _according_draft(doc: "Doc", section: Section, sent: "Span", according: "Token", covered: _Inside) -> _Draft | None:
    clause = _according_clause(doc, according, section, sent)
    if clause is None or covered.overlaps(*clause):
        return None
    start, end = clause
    inner = doc.char_span(start, end, alignment_mode="contract")
    for tok in inner if inner is not None else ():
        subject = _subject(tok) if is_cue_verb(tok.lemma_, _verb_like(tok)) else None
        if subject is not None and start <= subject.idx < end:
            return None  # "According to the AP, officials said …": the officials speak, through the AP
    return _Draft(kind="indirect", spans=[(start, end)], clause=(start, end), section=section, cue=according,
                  cue_text=doc_text(doc)[according.idx : according.idx + len("according to")],
                  cue_span=(according.idx, according.idx + len("according to")),
                  mention=mention_span(_according_object(according)), confidence=0.6)


def _according_phrase_end(doc: "Doc", according: "Token", pobj: "Token", sent: "Span") -> int:
    """Where "according to X" ends (the character after X)."""
    right = pobj.right_edge
    if right.i >= sent.end - 2 and according.i <= sent.start + 1:
        # "According to X, the move reeks of …" parsed with the clause inside X's phrase: the
        # phrase ends at its first comma
        comma = next((t for t in doc[pobj.i : right.i] if t.text == ","), None)
        right = doc[comma.i - 1] if comma is not None else right
    return right.idx + len(right.text)


def _according_clause(
    doc: "Doc", according: "Token", section: Section | None = None, sent: "Span | None" = None
) -> tuple[int, int] | None:
    """What "according to X" reports: the clause the phrase leads or follows, without the phrase."""
    pobj = _according_object(according)
    if pobj is None:
        return None
    sent = sent if sent is not None else according.sent
    lo, hi = (section.start_char, section.end_char) if section is not None else (0, len(doc_text(doc)))
    phrase_start = according.idx
    phrase_end = _according_phrase_end(doc, according, pobj, sent)
    s_start, s_end = max(sent.start_char, lo), min(sent.end_char, hi)
    head = according.head
    if head.i != according.i and head.pos_ in ("VERB", "AUX") and head.sent.start == sent.start:
        # the clause the phrase hangs on ("Talks will resume next week, according to Reuters, and …")
        s_start = max(s_start, head.left_edge.idx)
        s_end = min(s_end, head.right_edge.idx + len(head.right_edge.text))
    while s_end > s_start and doc_text(doc)[s_end - 1] in " \n.!?,":
        s_end -= 1
    before = doc_text(doc)[s_start:phrase_start].rstrip(" ,")
    after_start = phrase_end
    while after_start < s_end and doc_text(doc)[after_start] in " ,":
        after_start += 1
    # the phrase follows its clause ("X, according to Y") or leads it ("According to Y, X")
    follows = head.i != according.i and head.idx < according.idx if head.pos_ in ("VERB", "AUX") else None
    if follows is None:
        follows = len(before) >= len(doc_text(doc)[after_start:s_end])
    if follows:
        start, end = s_start, s_start + len(before)
    else:
        start, end = after_start, s_end
    if end - start < 12:
        return None
    return start, end
