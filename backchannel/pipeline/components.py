"""spaCy glue in one place: ``nlp.add_pipe("backchannel_quotes")`` sets ``doc._.bc_quotes``,
``nlp.add_pipe("backchannel_events")`` sets ``doc._.bc_events``.

Thin wrappers over the stage functions; the extensions are registered once, at import, with
the ``bc_`` prefix so they cannot clash with other packages' extensions.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from backchannel.entities.gazetteer import gazetteer_for
from backchannel.events.extract import extract_events
from backchannel.inputs.sections import split_plain_text
from backchannel.quotes.extract import extract_quotes
from backchannel.records import Actor, Event, Quote, Section

_TUPLES = {"content_spans", "clause_span", "cue_span", "speaker_mention_span", "via"}


def _quote_from_fields(data: dict[str, Any]) -> Quote:
    """A Quote from its plain fields (msgpack turns tuples into lists)."""
    known = {f.name for f in fields(Quote)}
    values = {k: v for k, v in data.items() if k in known}
    for key in _TUPLES & values.keys():
        if values[key] is not None:
            values[key] = tuple(tuple(x) if isinstance(x, list) else x for x in values[key])
    return Quote(**values)


def _get_quotes(doc: Doc) -> list[Quote] | None:
    data = doc._.bc_quote_fields
    return None if data is None else [_quote_from_fields(d) for d in data]


def _set_quotes(doc: Doc, quotes: list[Quote] | None) -> None:
    # plain fields in doc.user_data, so that doc.to_bytes() and nlp.pipe(n_process=…) work
    doc._.bc_quote_fields = None if quotes is None else [asdict(q) for q in quotes]


def _actor(data: dict[str, Any]) -> Actor:
    return Actor(data["name"], data["country"], data["sector"], tuple(data["span"]) if data["span"] else None, data["former"])


def _get_events(doc: Doc) -> list[Event] | None:
    data = doc._.bc_event_fields
    if data is None:
        return None
    out = []
    for d in data:
        values = dict(d)
        values["actors"] = tuple(_actor(a) for a in values["actors"])
        values["recipients"] = tuple(_actor(a) for a in values["recipients"])
        values["trigger_span"] = tuple(values["trigger_span"])
        values["sentence_span"] = tuple(values["sentence_span"])
        out.append(Event(**values))
    return out


def _set_events(doc: Doc, events: list[Event] | None) -> None:
    doc._.bc_event_fields = None if events is None else [asdict(e) for e in events]


for _name in ("bc_sections", "bc_article_id", "bc_quote_fields", "bc_event_fields", "bc_date"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Doc.has_extension("bc_quotes"):
    Doc.set_extension("bc_quotes", getter=_get_quotes, setter=_set_quotes)
if not Doc.has_extension("bc_events"):
    Doc.set_extension("bc_events", getter=_get_events, setter=_set_events)


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
        doc._.bc_quotes = extract_quotes(doc, sections_for(doc), doc._.bc_article_id or "")
        return doc


@Language.factory("backchannel_quotes", assigns=["doc._.bc_quotes"], requires=["token.dep", "doc.ents"])
def make_quotes(nlp: Language, name: str) -> Any:
    return QuotesComponent()


class EventsComponent:
    """Codes PLOVER events; uses ``doc._.bc_quotes`` for claimants (finding them if no quotes
    component ran) and ``doc._.bc_date`` (ISO) to date office holders."""

    def __init__(self, actors: str | None = None) -> None:
        self.actors = actors

    def __call__(self, doc: Doc) -> Doc:
        sections = sections_for(doc)
        quotes = doc._.bc_quotes
        if quotes is None:
            quotes = extract_quotes(doc, sections, doc._.bc_article_id or "")
        doc._.bc_events = extract_events(doc, sections, doc._.bc_article_id or "", quotes, when=doc._.bc_date,
                                         gazetteer=gazetteer_for(self.actors))
        return doc


@Language.factory("backchannel_events", assigns=["doc._.bc_events"], requires=["token.dep", "doc.ents"],
                  default_config={"actors": None})
def make_events(nlp: Language, name: str, actors: str | None) -> Any:
    return EventsComponent(actors)
