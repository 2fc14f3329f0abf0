"""Never a non-entity as an entity: why a mention cannot be a speaker or an actor.

Why: a parse gone wrong hands the speaker or actor slot to whatever word sits there — a
preposition, a number, "the attack", "the issue", a heading in capitals. Saying ``None`` with a
reason is more useful to an analyst than a wrong name; the reason says what was there instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.lang.en.stop_words import STOP_WORDS

from backchannel.resources.tables import pronouns, words

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_EVENT_NOUNS = words("event_nouns")
_TOPIC_NOUNS = words("topic_nouns")
#: parts of speech no name or description is headed by
#: pronouns that point at someone the text named: resolved, not refused
_REFERRING = pronouns("first", "second", "person", "group", "relative")
_NAMED = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
_FUNCTION_POS = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "PART", "AUX", "INTJ", "PUNCT", "SYM", "VERB", "ADV"})


def head_reason(tok: "Token") -> str | None:
    """Why a head word cannot stand for a person, body or place; None when it can (a word the
    tagger takes for a name always can: "Will", "Hope")."""
    if tok.ent_type_ in _NAMED:
        return None
    if not any(c.isalpha() for c in tok.text):
        return "no letters"
    if tok.like_num or tok.pos_ == "NUM":
        return "a number"
    if tok.pos_ in _FUNCTION_POS:
        return "a function word"
    if tok.lower_ in STOP_WORDS and tok.lower_ not in _REFERRING:
        return "a quantifier or indefinite pronoun (the text does not say who)"  # "some", "several", "someone"
    if tok.pos_ == "NOUN" and tok.ent_type_ == "":
        lemma = tok.lemma_.lower()
        if lemma in _EVENT_NOUNS:
            return "an event"
        if lemma in _TOPIC_NOUNS:
            return "a topic"
    return None


def is_heading(text: str) -> bool:
    """A heading in capitals ("U.S.-CHINA RELATIONS"): two or more words, every letter upper case."""
    letters = [c for c in text if c.isalpha()]
    return len(text.split()) >= 2 and len(letters) >= 8 and all(c.isupper() for c in letters)


def mention_reason(span: "Span") -> str | None:
    """Why a mention cannot be a speaker or actor ("an event", "a heading" …); None when it can."""
    if is_heading(span.text):
        return "a heading"
    return head_reason(span.root)
