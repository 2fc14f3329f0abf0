"""The channels a statement came through, outermost first: "according to the New York Times which
cited Iran's semi-official Mehr News" → [The New York Times, Mehr News Agency].

Explicit relays come from the parse (``quotes`` hands over the "according to" object and the
subject of "quoted … as saying"); a relative clause "which cited Y" extends a channel by one
link; and a report introduced earlier in the same paragraph ("which the Washington Post
reported", "X translated the conclusions") is the channel for the quotes that follow it there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backchannel.nlp.doc import doc_text, mention_span
from backchannel.quotes.cues import RELAY_VERBS
from backchannel.quotes.quotemarks import paragraph_at
from backchannel.records import Section
from backchannel.resources.outlets import find_outlet

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from backchannel.quotes.speakers import SpeakerResolver

_CONTEXT_VERBS = RELAY_VERBS | {"translate"}


def _name(mention: "Span", resolver: "SpeakerResolver", section: Section) -> str | None:
    outlet = find_outlet(mention.text)
    if outlet is not None:
        return outlet.canonical
    name, _ = resolver.resolve(mention, section)
    return name


def _extend(mention: "Span") -> list["Span"]:
    """"X which cited Y" → [X, Y]; follows at most three links."""

    chain = [mention]
    head = mention.root
    for _ in range(3):
        relcl = next((c for c in head.children if c.dep_ == "relcl" and c.lemma_ in RELAY_VERBS), None)
        if relcl is None:
            break
        obj = next((c for c in relcl.children if c.dep_ in ("dobj", "pobj")), None)
        if obj is None:
            break
        chain.append(mention_span(obj))
        head = obj
    return chain


def channels(
    doc: "Doc", relay: list["Span"], cue: "Token | None", resolver: "SpeakerResolver", section: Section, at: int,
    *, speaker: str | None = None, marked: bool = True,
) -> list[str]:
    """Names of the channels for one quote, outermost first, without repeats."""
    spans: list["Span"] = []
    for mention in relay:
        spans.extend(_extend(mention))
    if cue is not None:
        spans.extend(_outer_relays(cue))
    names: list[str] = []
    for span in spans:
        name = _name(span, resolver, section)
        if name and name not in names:
            names.append(name)
    if not names and marked:
        context = _paragraph_context(doc, section, at, resolver)
        if context:
            names.append(context)
    return [n for n in names if n != speaker]


def _outer_relays(cue: "Token") -> list["Span"]:
    """Relaying verbs above the cue: "WNC … reports he added …, saying" → WNC."""

    out: list["Span"] = []
    verb = cue
    for _ in range(5):
        if verb.head.i == verb.i:
            break
        verb = verb.head
        if verb.lemma_ in RELAY_VERBS and verb.pos_ == "VERB":
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is None and verb.dep_ == "conj":
                subj = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                out.insert(0, mention_span(subj))
    return out


def _paragraph_context(doc: "Doc", section: Section, at: int, resolver: "SpeakerResolver") -> str | None:
    """A channel named earlier in the quote's paragraph: "which the Washington Post reported"."""
    para = paragraph_at(doc_text(doc), section.start_char, section.end_char, at)
    if para is None:
        return None
    found: str | None = None
    for char, name in _context_channels(doc, section, para, resolver):
        if char >= at:
            break
        found = name
    return found


def _context_channels(
    doc: "Doc", section: Section, para: tuple[int, int], resolver: "SpeakerResolver"
) -> list[tuple[int, str]]:
    """(offset, channel) of every relaying verb in a paragraph, computed once per paragraph:
    a paragraph with many quotes must not be rescanned for each of them."""

    cache: dict[tuple[int, int], list[tuple[int, str]]] = resolver.context_cache
    if para in cache:
        return cache[para]
    out: list[tuple[int, str]] = []
    span = doc.char_span(para[0], para[1], alignment_mode="contract")
    for tok in span if span is not None else []:
        if tok.pos_ != "VERB" or tok.lemma_ not in _CONTEXT_VERBS:
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.lower_ in ("which", "that", "who", "it", "they"):
            continue
        if subj.lower_ in ("he", "she"):
            name, _ = resolver.resolve(mention_span(subj), section)
        else:
            name = _name(mention_span(subj), resolver, section)
        if name:
            out.append((tok.idx, name))
    cache[para] = out
    return out
