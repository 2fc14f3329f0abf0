"""Helpers over a parsed spaCy ``Doc`` that every extraction stage uses: cached text and
entities (spaCy rebuilds both on every access) and the name phrase of a subject."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: dependents of a subject's head that belong to its name phrase ("the US vice-president")
MENTION_DEPS = {"compound", "poss", "amod", "det", "nmod", "nummod", "case", "flat", "prep_of_name"}


def doc_text(doc: "Doc") -> str:
    """``doc.text`` once per Doc: spaCy rebuilds the string on every access, which made the
    quote stage quadratic (one rebuild per quote)."""
    cached = doc.user_data.get("bc_text")
    if cached is None:
        cached = doc.user_data["bc_text"] = doc.text
    return cached


def doc_ents(doc: "Doc") -> tuple["Span", ...]:
    """``doc.ents`` once per Doc (spaCy builds new Span objects on every access)."""
    cached = doc.user_data.get("bc_ents")
    if cached is None:
        cached = doc.user_data["bc_ents"] = tuple(doc.ents)
    return cached


def mention_span(head: "Token") -> "Span":
    """The name phrase of a subject: its head and left modifiers, without clauses or prepositions."""
    doc = head.doc
    left = head.i
    for child in head.lefts:
        if child.dep_ in MENTION_DEPS or child.ent_iob_ in ("B", "I") and child.ent_type_ == head.ent_type_:
            left = min(left, child.left_edge.i)
    right = head.i
    for child in head.rights:
        if child.dep_ in ("compound", "flat") or (child.ent_type_ and child.ent_type_ == head.ent_type_ and child.i == right + 1):
            right = max(right, child.i)
    for i in range(head.i - 1, left - 1, -1):  # never across a line break ("Opinion\n\nThe Sanctions Trap")
        if "\n" in doc[i].text_with_ws:
            left = i + 1
            break
    while left < head.i and doc[left].is_punct:
        left += 1
    return doc[left : right + 1]


def sentence_starts(doc: "Doc") -> list[int]:
    """The token index where each sentence starts, then ``len(doc)``: built once per Doc, so a
    token's sentence is a bisection, not spaCy's token-by-token walk."""
    starts = doc.user_data.get("bc_sent_starts")
    if starts is None:
        starts = doc.user_data["bc_sent_starts"] = [s.start for s in doc.sents] + [len(doc)]
    return starts


def sent_of(tok: "Token") -> "Span":
    """``tok.sent`` from ``sentence_starts``: spaCy's walks the sentence token by token, so asking
    it for each of thousands of quotes in one long run-on sentence is quadratic."""
    starts = sentence_starts(tok.doc)
    k = bisect.bisect_right(starts, tok.i) - 1
    return tok.doc[starts[k]: starts[k + 1]]
