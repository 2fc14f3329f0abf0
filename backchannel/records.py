"""Typed records passed between stages and stored; every span is a character offset into ``Document.text``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

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
    article_id: str
    index: int
    text: str
    label: str
    section: int
    start_char: int
    end_char: int


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be (fully) read; kept in the store's failures table."""

    source: str
    code: str
    message: str
    severity: Severity = "error"
    article_id: str | None = None


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

    @property
    def ok(self) -> bool:
        return self.failed == 0
