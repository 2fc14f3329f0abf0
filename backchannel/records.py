"""Typed records passed between stages and stored; every span is a character offset into ``Document.text``."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from backchannel.errors import InputError

SectionKind = Literal["body", "comment"]
Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class RawInput:
    """One article as it arrives, before decoding: what ``ingest`` hands to ``clean``.

    ``data`` is bytes for files (the encoding is still unknown) and str for JSONL fields.
    ``meta`` carries what the container already knows (title, url, date, outlet, id).
    """

    source: str
    data: bytes | str
    format: Literal["txt", "html"]
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Section:
    """A stretch of the text that is article body or one reader comment."""

    article_id: str
    index: int
    kind: SectionKind
    start_char: int
    end_char: int
    author: str | None = None
    parent: int | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    article_id: str
    index: int
    section: int
    start_char: int
    end_char: int


@dataclass(frozen=True, slots=True)
class Entity:
    """One named-entity mention as the parser tagged it (PERSON, ORG, GPE, …)."""

    article_id: str
    index: int
    text: str
    label: str
    section: int
    start_char: int
    end_char: int


QuoteKind = Literal["direct", "mixed", "block", "indirect"]
Span = tuple[int, int]
EntityType = Literal["person", "organisation", "outlet", "place", "country"]


@dataclass(frozen=True, slots=True)
class DocEntity:
    """Who or what a document talks about: its mentions (names, titles, pronouns) linked to one
    canonical name, with the country, sector and offices the knowledge base or the text gives.

    ``id`` is the document-local number that quotes (``speaker_entity``) and event actors
    (``Actor.entity``) refer to; ``offices`` read "president of IRN 2013-08-03/2021-08-03".
    """

    article_id: str
    id: int
    name: str
    type: EntityType
    country: str | None = None
    sector: str | None = None
    offices: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": f"{self.article_id}:e{self.id}", "article_id": self.article_id, "entity": self.id,
                "name": self.name, "type": self.type, "country": self.country, "sector": self.sector,
                "offices": list(self.offices), "mentions": [list(m) for m in self.mentions]}


@dataclass(frozen=True, slots=True)
class Quote:
    """One statement: the words, who said them, through whom, each with its span in the text.

    ``content_spans`` are the speaker's words (inside the marks for direct and mixed quotes;
    several for a split quote); ``clause_span`` is the whole reported content as an
    attribution corpus marks it (for a mixed quote, the writer's clause around the fragment).
    """

    article_id: str
    index: int
    kind: QuoteKind
    content: str
    content_spans: tuple[Span, ...]
    clause_span: Span
    section: int
    section_kind: SectionKind
    start_char: int
    end_char: int
    cue: str | None = None
    cue_span: Span | None = None
    speaker: str | None = None
    speaker_mention: str | None = None
    speaker_mention_span: Span | None = None
    speaker_entity: int | None = None
    via: tuple[str, ...] = ()
    confidence: float = 0.5
    speaker_note: str | None = None  # why there is no speaker though a mention was found ("not an entity: an event")

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: speaker and cue as nested objects."""
        return {
            "id": f"{self.article_id}:q{self.index}",
            "article_id": self.article_id,
            "kind": self.kind,
            "content": self.content,
            "content_spans": [list(s) for s in self.content_spans],
            "clause_span": list(self.clause_span),
            "cue": {"text": self.cue, "span": list(self.cue_span) if self.cue_span else None},
            "speaker": {
                "name": self.speaker,
                "mention": self.speaker_mention,
                "mention_span": list(self.speaker_mention_span) if self.speaker_mention_span else None,
                "entity": self.speaker_entity,
                "note": self.speaker_note,
            },
            "via": list(self.via),
            "section": self.section_kind,
            "section_index": self.section,
            "start_char": self.start_char,
            "end_char": self.end_char,
            "confidence": round(self.confidence, 3),
        }


Modality = Literal["asserted", "conditional", "historical", "future", "hypothetical", "negated", "requested", "offered"]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who takes part in an event: a name as the text gives it, coded as country + sector.

    ``country`` is ISO 3166 alpha-3 or ``IGO``; ``sector`` a PLOVER/POLECAT code (GOV, MIL, …).
    Either may be None when neither the gazetteer nor the text says.
    """

    name: str
    country: str | None = None
    sector: str | None = None
    span: Span | None = None
    former: bool = False
    entity: int | None = None  # the document entity (``DocEntity.id``) it is a mention of

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "sector": self.sector,
                "span": list(self.span) if self.span else None, "former": self.former, "entity": self.entity}


@dataclass(frozen=True, slots=True)
class Event:
    """Actor → action → recipient, coded in PLOVER with its CAMEO crosswalk code.

    ``claimed_by`` is the speaker whose statement carries the event and ``quote`` that statement's
    index; both None when the writer asserts it (``claimed_by`` None with ``quote`` set: a quote
    whose speaker is unknown). ``modality`` says whether it happened, is conditional, negated ….
    """

    article_id: str
    index: int
    event: str
    mode: str | None
    context: str | None
    actors: tuple[Actor, ...]
    recipients: tuple[Actor, ...]
    trigger: str
    trigger_span: Span
    sentence_span: Span
    modality: Modality
    section: int
    section_kind: SectionKind
    cameo: str | None = None
    score: float | None = None
    quad: int | None = None
    claimed_by: str | None = None
    quote: int | None = None
    confidence: float = 0.5
    date: str | None = None  # when it happened (ISO), from the sentence's date words and the publication date
    date_text: str | None = None  # those words ("on Wednesday", "last year")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": f"{self.article_id}:e{self.index}",
            "date": self.date,
            "date_text": self.date_text,
            "article_id": self.article_id,
            "event": self.event,
            "mode": self.mode,
            "context": self.context,
            "actor": [a.to_dict() for a in self.actors],
            "recipient": [a.to_dict() for a in self.recipients],
            "trigger": {"text": self.trigger, "span": list(self.trigger_span)},
            "sentence_span": list(self.sentence_span),
            "modality": self.modality,
            "claimed_by": self.claimed_by,
            "quote": f"{self.article_id}:q{self.quote}" if self.quote is not None else None,
            "cameo": self.cameo,
            "score": self.score,
            "quad": self.quad,
            "section": self.section_kind,
            "section_index": self.section,
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A decoded, cleaned article ready to parse: text plus sections and metadata."""

    article_id: str
    source: str
    format: str
    text: str
    sections: tuple[Section, ...]
    external_id: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    outlet: str | None = None
    language: str = "en"
    encoding: str | None = None
    #: (code, message) of problems that did not stop the article, e.g. truncated HTML.
    warnings: tuple[tuple[str, str], ...] = ()
    #: spans of HTML ``<blockquote>`` paragraphs: quoted material even without quotation marks.
    blockquotes: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A fully processed article: what the store keeps and ``--jsonl`` writes."""

    article_id: str
    source: str
    format: str
    text: str
    external_id: str | None
    title: str | None
    author: str | None
    date: str | None
    url: str | None
    outlet: str | None
    language: str
    encoding: str | None
    n_words: int
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...]
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    doc_entities: tuple[DocEntity, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {f: getattr(self, f) for f in self.__dataclass_fields__ if f not in ("quotes", "events", "doc_entities")}
        for name in ("sections", "sentences", "entities"):
            out[name] = [asdict(r) for r in out[name]]
        out["quotes"] = [q.to_dict() for q in self.quotes]
        out["events"] = [e.to_dict() for e in self.events]
        out["doc_entities"] = [e.to_dict() for e in self.doc_entities]
        return out


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be (fully) read; kept in the store's failures table."""

    source: str
    code: str
    message: str
    severity: Severity = "error"
    article_id: str | None = None

    @classmethod
    def unexpected(cls, source: str, exc: Exception, article_id: str | None = None) -> "Failure":
        """A bug met while handling one input (E114): it costs that input, never the run."""
        err = InputError("E114", path=source, detail=f"{type(exc).__name__}: {exc}"[:200])
        return cls(source, err.code, str(err), "error", article_id)


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What one ``read`` run did, for the CLI summary and API callers."""

    store: str | None
    inputs: int
    added: int
    unchanged: int
    failed: int
    warnings: int
    words: int
    seconds: float
    failures: tuple[Failure, ...] = ()
    #: documents merged at the start from partitions an interrupted run wrote (``--parts``);
    #: they were parsed then, so here they count as already stored
    recovered: int = 0

    @property
    def ok(self) -> bool:
        return self.failed == 0


@dataclass(frozen=True, slots=True)
class LoadSummary:
    """What one ``load`` of Parquet partitions merged (partitions seen, merged now, new documents,
    unreadable ones skipped)."""

    parts: int
    loaded: int
    documents: int
    words: int
    seconds: float
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class LinkSummary:
    """What one ``link`` run found across the stored documents."""

    quotes: int
    speakers: int
    statements: int
    reported_more_than_once: int


# --- across documents -------------------------------------------------------------------


@dataclass(slots=True)
class Person:
    """One speaker across the corpus."""

    id: str
    name: str
    aliases: Counter[str] = field(default_factory=Counter)
    context: Counter[str] = field(default_factory=Counter)
    ambiguous: bool = False
    n_quotes: int = 0
    countries: Counter[str] = field(default_factory=Counter)  # their document entities' countries

    @property
    def country(self) -> str | None:
        """The country most of this speaker's document entities have (None when none has one)."""
        return self.countries.most_common(1)[0][0] if self.countries else None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "aliases": [a for a, _ in self.aliases.most_common()],
                "context": [w for w, _ in self.context.most_common(8)], "ambiguous": self.ambiguous,
                "n_quotes": self.n_quotes, "country": self.country}


@dataclass(frozen=True, slots=True)
class QuoteRef:
    """A stored quote as cross-document linking sees it."""

    article_id: str
    index: int
    content: str
    kind: str
    speaker: str | None
    date: str | None = None
    outlet: str | None = None  # the document's outlet
    via: tuple[str, ...] = ()
    mention: str | None = None
    context: str = ""  # words around the speaker's mentions in the document, for telling namesakes apart
    reprints: tuple[tuple[str | None, str | None], ...] = ()  # (outlet, date) of other inputs with the same text
    country: str | None = None  # the speaker's document entity's country

    @property
    def key(self) -> tuple[str, int]:
        return (self.article_id, self.index)

    @property
    def reported_by(self) -> str | None:
        """Who put this wording in print: the innermost outlet that relayed it, else the document's."""
        return self.via[0] if self.via else self.outlet


@dataclass(frozen=True, slots=True)
class Variant:
    """One report of a statement, with what it changed against the first report."""

    article_id: str
    index: int
    content: str
    kind: str
    date: str | None
    outlet: str | None
    published_in: str | None
    via: tuple[str, ...]
    diff: tuple[tuple[str, str], ...]  # ("=" | "+" | "-", words) against the first report
    also_in: tuple[str, ...] = ()  # outlets that reprinted the same article word for word

    def to_dict(self) -> dict[str, Any]:
        return {"quote": f"{self.article_id}:q{self.index}", "article_id": self.article_id, "index": self.index,
                "content": self.content, "kind": self.kind, "date": self.date, "outlet": self.outlet,
                "published_in": self.published_in, "via": list(self.via), "also_in": list(self.also_in),
                "diff": [list(d) for d in self.diff]}


@dataclass(frozen=True, slots=True)
class Statement:
    """An utterance and every report of it, first report first."""

    id: str
    speaker_id: str | None
    speaker: str | None
    variants: tuple[Variant, ...]
    wordings: int = field(default=1)

    @property
    def first(self) -> Variant:
        return self.variants[0]

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(o for v in self.variants for o in (v.outlet, *v.also_in) if o))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "speaker": self.speaker, "speaker_id": self.speaker_id,
                "first_date": self.first.date, "first_outlet": self.first.outlet, "content": self.first.content,
                "n_variants": len(self.variants), "n_wordings": self.wordings, "outlets": list(self.outlets),
                "variants": [v.to_dict() for v in self.variants]}


#: the tables a partition holds; ``documents`` comes last because its file commits the partition
PART_TABLES = ("sections", "sentences", "entities", "quotes", "events", "failures", "copies", "doc_entities", "documents")
