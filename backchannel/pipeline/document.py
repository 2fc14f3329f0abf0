"""One document's records from its parse: sentences and entities clipped to their sections,
then its quotes and events (capped per document)."""

from __future__ import annotations

import bisect
import logging
from typing import TYPE_CHECKING

from backchannel.entities.document import DocumentEntities
from backchannel.entities.gazetteer import gazetteer_for
from backchannel.errors import InputError
from backchannel.events.extract import extract_events
from backchannel.quotes.extract import extract_quotes
from backchannel.records import Cleaned, Document, Entity, Failure, Section, Sentence
from backchannel.settings import Settings

if TYPE_CHECKING:
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)


def _section_of(sections: tuple[Section, ...], char: int) -> Section | None:
    """The section holding ``char`` (sections are sorted and disjoint)."""
    i = bisect.bisect_right(sections, char, key=lambda s: s.start_char) - 1
    if i >= 0 and sections[i].start_char <= char < sections[i].end_char:
        return sections[i]
    return None


def analyze(cleaned: Cleaned, doc: "Doc", settings: "Settings | None" = None) -> Document:
    """Bind a parse to its cleaned article: sentences and entities clipped to their sections,
    then the quotes and the events found in it (capped, see ``analyze_capped``; a cap reached
    is logged, as there is no failures table to hold it)."""
    document, warnings = analyze_capped(cleaned, doc, settings)
    for warning in warnings:
        logger.warning("%s", warning.message)
    return document


def analyze_capped(cleaned: Cleaned, doc: "Doc", settings: "Settings | None" = None) -> tuple[Document, list[Failure]]:
    """``analyze``, and a warning for each of quotes and events cut to the per-document cap
    (``max_quotes``, ``max_events``): a text of thousands of pasted paragraphs must not cost the
    store and the cross-document link that many rows; no real article comes near the caps."""
    aid, sections = cleaned.article_id, cleaned.sections
    sentences: list[Sentence] = []
    for sent in doc.sents:
        text = sent.text
        start = sent.start_char + (len(text) - len(text.lstrip()))
        end = sent.start_char + len(text.rstrip())
        if end <= start:
            continue
        section = _section_of(sections, start)
        if section is None:
            continue
        sentences.append(Sentence(aid, len(sentences), section.index, start, min(end, section.end_char)))
    entities: list[Entity] = []
    for ent in doc.ents:
        section = _section_of(sections, ent.start_char)
        if section is None or ent.end_char > section.end_char:
            continue
        entities.append(Entity(aid, len(entities), ent.text, ent.label_, section.index, ent.start_char, ent.end_char))
    n_words = sum(
        1
        for tok in doc
        if not (tok.is_space or tok.is_punct) and _section_of(sections, tok.idx) is not None
    )
    limits = settings or Settings()
    warnings: list[Failure] = []
    gazetteer = gazetteer_for(limits.actors)
    found = DocumentEntities(doc, gazetteer=gazetteer, when=cleaned.date)
    quotes = _capped(tuple(extract_quotes(doc, sections, aid, blockquotes=cleaned.blockquotes, entities=found)),
                     limits.max_quotes, "E119", cleaned, warnings)
    events: tuple = ()
    if limits.events:
        events = _capped(tuple(extract_events(doc, sections, aid, quotes, when=cleaned.date, gazetteer=gazetteer,
                                              entities=found)), limits.max_events, "E120", cleaned, warnings)
    doc_entities = tuple(e for e in found.records(aid) if any(_section_of(sections, a) for a, _ in e.mentions))
    document = Document(
        article_id=aid,
        source=cleaned.source,
        format=cleaned.format,
        text=cleaned.text,
        external_id=cleaned.external_id,
        title=cleaned.title,
        author=cleaned.author,
        date=cleaned.date,
        url=cleaned.url,
        outlet=cleaned.outlet,
        language=cleaned.language,
        encoding=cleaned.encoding,
        n_words=n_words,
        sections=sections,
        sentences=tuple(sentences),
        entities=tuple(entities),
        quotes=quotes,
        events=events,
        doc_entities=doc_entities,
    )
    return document, warnings


def _capped(items: tuple, cap: int, code: str, cleaned: Cleaned, warnings: list[Failure]) -> tuple:
    """The first ``cap`` items (quotes are capped before events are found, so no event points
    at a dropped quote); one warning naming the document and how many were dropped."""
    if len(items) <= cap:
        return items
    err = InputError(code, path=cleaned.source, found=len(items), dropped=len(items) - cap, cap=cap)
    warnings.append(Failure(cleaned.source, code, str(err), "warning", cleaned.article_id))
    return items[:cap]
