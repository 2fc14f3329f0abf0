"""The sentence breaks the parser misses, as a spaCy component (``bc_paragraph_breaks``) that
``parse.load_pipeline`` puts before the parser."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

_ENDS_SENTENCE = re.compile(r"[.!?:;…”\"’')\]]$")
#: a wire dateline at the start of a line: a place in capitals, maybe a date and an agency, a dash
_DATELINE = re.compile(r"^[A-Z]{3,}(?:[ .'’-]+[A-Z]{2,})*(?:,[^\n–—()]{1,40})?[ \t]*(?:\([^()\n]{1,30}\))?[ \t]*(?:--?|–|—)[ \t]+(?=\S)",
                       re.M)


@Language.component("bc_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line after a line with no stop ends a sentence: a headline ("Talks in Geneva\n\nIran's
    foreign minister said …") is not parsed into the first sentence of the body. Other breaks are
    left to the parser: forcing every one changes its parses elsewhere, not always for the better."""
    for tok in doc[1:-1]:
        if tok.is_space and tok.text.count("\n") >= 2 and not _ENDS_SENTENCE.search(doc[tok.i - 1].text):
            doc[tok.i + 1].is_sent_start = True  # only where the line had no stop of its own
    # a dateline ("TEHRAN, Feb 7 (Reuters) -") is not the first sentence's subject
    for m in _DATELINE.finditer(doc.text[:20_000]):
        span = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if span is not None and span[0].i > 0:
            span[0].is_sent_start = True
    return doc


_ENDS_SENTENCE = re.compile(r"[.!?:;…”\"’')\]]$")
#: a wire dateline at the start of a line: a place in capitals, maybe a date and an agency, a dash
_DATELINE = re.compile(r"^[A-Z]{3,}(?:[ .'’-]+[A-Z]{2,})*(?:,[^\n–—()]{1,40})?[ \t]*(?:\([^()\n]{1,30}\))?[ \t]*(?:--?|–|—)[ \t]+(?=\S)",
                       re.M)
