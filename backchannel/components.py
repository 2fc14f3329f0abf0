"""spaCy glue in one place: ``nlp.add_pipe("backchannel_quotes")`` sets ``doc._.bc_quotes``.

Thin wrappers over the stage functions; the extensions are registered once, at import, with
the ``bc_`` prefix so they cannot clash with other packages' extensions.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .records import Section
from .sections import split_plain_text

for _name in ("bc_sections", "bc_quotes", "bc_article_id"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def sections_for(doc: Doc) -> tuple[Section, ...]:
    """The doc's sections if a caller set them, else body/comment split of its plain text."""
    if doc._.bc_sections:
        return tuple(doc._.bc_sections)
    aid = doc._.bc_article_id or ""
    return tuple(
        Section(aid, i, s.kind, s.start, s.end, s.author, s.parent, s.label)  # type: ignore[arg-type]
        for i, s in enumerate(split_plain_text(doc.text))
    )


class QuotesComponent:
    """Finds quotes, speakers and channels; needs the parser and NER before it."""

    def __call__(self, doc: Doc) -> Doc:
        from .quotes import extract_quotes

        doc._.bc_quotes = extract_quotes(doc, sections_for(doc), doc._.bc_article_id or "")
        return doc


@Language.factory("backchannel_quotes", assigns=["doc._.bc_quotes"], requires=["token.dep", "doc.ents"])
def make_quotes(nlp: Language, name: str) -> Any:
    return QuotesComponent()
