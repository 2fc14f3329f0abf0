"""Decode bytes, extract article text from HTML, split body from comments, check the language.

Offsets downstream point into the text this module returns, so plain text is kept exactly as
decoded (non-breaking spaces, odd quote marks and all). HTML is different: there is no
source text to point into, so the text is built here from trafilatura's main-text tree, one
paragraph per block, and its spans are the reference.
"""

from __future__ import annotations

import codecs
import html
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import trafilatura
from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio
from lxml import html as lxml_html
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from backchannel.errors import BinaryInputError, EmptyInputError, EncodingError, Errors, InputError, LanguageError, MarkupError
from backchannel.inputs.dates import publication_date
from backchannel.inputs.ingest import article_id
from backchannel.inputs.sections import SectionSpan, split_plain_text
from backchannel.records import Cleaned, RawInput, Section
from backchannel.settings import Settings

logger = logging.getLogger(__name__)

_MAGIC = {
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x1f\x8b": "gzip data",
    b"\x7fELF": "executable",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
#: spaCy's tokenizer is quadratic in the length of a run without whitespace (figures in docs/scaling.md)
_LONG_RUN = re.compile(r"\S{2000,}")
_TEXT_CONTROLS = frozenset("\t\n\r\x0c\x1b")
_CLOSING_TAG = re.compile(rb"</(?:html|body)\s*>", re.IGNORECASE)
_BLOCK_TAGS = {"p", "head", "quote", "list", "item", "table", "row", "cell", "code", "div"}


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Text and encoding name: UTF-8 when it is valid, else charset-normalizer's best guess."""
    text, encoding = _decode(data, source)
    head = text[:8192]
    controls = sum(1 for c in head if ord(c) < 32 and c not in _TEXT_CONTROLS)
    if controls > len(head) // 100:
        raise BinaryInputError("E102", path=source, detail=f"{controls} control characters in the first {len(head)}")
    return text, encoding


def _decode(data: bytes, source: str) -> tuple[str, str]:
    if not data.strip():
        raise EmptyInputError("E101", path=source)
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise EncodingError("E103", path=source, detail=f"bad {name} after its byte-order mark: {exc.reason}") from None
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise BinaryInputError("E102", path=source, detail=kind)
    head = data[:8192]
    utf16 = _utf16_without_bom(head)
    if utf16 is not None:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError as exc:
            name = {"utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE"}[utf16]
            raise EncodingError("E126", path=source, encoding=name, detail=f"{exc.reason} at byte {exc.start}") from None
    if b"\x00" in head:
        raise BinaryInputError("E102", path=source, detail="NUL bytes")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    # Valid multi-byte UTF-8 next to invalid bytes is damaged UTF-8, not a legacy encoding:
    # guessing one would turn every curly quote into mojibake.
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    valid_multibyte = sum(1 for c in lenient if ord(c) > 127) - bad
    if valid_multibyte > bad:
        raise EncodingError(
            "E103", path=source, detail=f"UTF-8 with {bad} undecodable byte sequence(s), the first at byte {first_bad}"
        )

    best = from_bytes(data).best()
    if best is None:
        raise EncodingError("E103", path=source, detail="no encoding decodes it without garbage")
    # Short Western texts fit several code pages equally well; Windows-1252 is the web's
    # commonest legacy encoding (WHATWG maps latin-1 to it), so it wins a near-tie.
    if best.encoding != "cp1252":
        try:
            western = data.decode("cp1252")
        except UnicodeDecodeError:
            western = None
        if western is not None and mess_ratio(western, 0.2) <= best.chaos + 0.02:
            return western, "cp1252"
    return str(best), best.encoding


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for UTF-16 saved without a byte-order mark: in Latin-script
    text every other byte is NUL, all on the same side of each two-byte unit. Binary data has
    NULs on both sides."""
    pairs = len(head) // 2
    low, high = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    if high >= 0.3 * pairs > 0 and low <= 0.01 * pairs:
        return "utf-16-le"
    if low >= 0.3 * pairs > 0 and high <= 0.01 * pairs:
        return "utf-16-be"
    return None


@lru_cache(maxsize=1)
def _language_identifier() -> Any:

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code and probability from py3langid (ships its model; no download)."""
    lang, prob = _language_identifier().classify(text[:5000])
    return str(lang), float(prob)


def clean(raw: RawInput, settings: Settings) -> Cleaned:
    """Decode, extract and split one input; raises an ``InputError`` naming the source."""
    text, encoding = _decoded(raw)
    warnings: list[tuple[str, str]] = []
    meta: dict[str, str | None] = dict(raw.meta)
    text, spans, blockquotes = _section_spans(raw, text, meta, warnings)
    long_run = _LONG_RUN.search(text)
    if long_run:
        raise InputError("E115", path=raw.source, length=len(long_run.group()), offset=long_run.start())
    body = " ".join(text[s.start : s.end] for s in spans if s.kind == "body")
    if not body.strip():
        raise EmptyInputError("E112", path=raw.source)
    language = _language(body, settings, raw.source)
    aid = article_id(raw.data)
    sections = tuple(
        Section(aid, i, s.kind, s.start, s.end, s.author, s.parent, s.label)  # type: ignore[arg-type]
        for i, s in enumerate(spans)
    )

    published, _ = publication_date(meta.get("date"), meta.get("url"), text)  # metadata, else URL, else dateline
    return Cleaned(
        article_id=aid,
        external_id=meta.get("id"),
        source=raw.source,
        format=raw.format,
        text=text,
        sections=sections,
        title=meta.get("title"),
        author=meta.get("author"),
        date=published,
        url=meta.get("url"),
        outlet=meta.get("outlet"),
        language=language,
        encoding=encoding,
        warnings=tuple(warnings),
        blockquotes=blockquotes,
    )


def _decoded(raw: RawInput) -> tuple[str, str | None]:
    """The input's text and the encoding it was decoded from (None for text that came as str);
    ``clean``'s first step, raising E101 on an empty string."""
    data = raw.data
    if isinstance(data, bytes):
        return decode(data, raw.source)
    if not data.strip():
        raise EmptyInputError("E101", path=raw.source)
    return data, None


#: a character reference with its semicolon ("&quot;", "&#8217;", "&#x2019;"): plain text copied out
#: of web pages keeps them, and names and quotation marks hide behind them
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def decode_entities(text: str) -> str:
    """Plain text with its HTML character references decoded; the decoded text is the one stored,
    so every offset points into it. A reference that names no character is left as written."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: _entity(m.group()), text)


def _entity(reference: str) -> str:
    """One character reference decoded, or as written when it names nothing (or NUL)."""
    decoded = html.unescape(reference)
    return reference if decoded == reference or "\x00" in decoded else decoded


def _section_spans(
    raw: RawInput, text: str, meta: dict[str, str | None], warnings: list[tuple[str, str]]
) -> tuple[str, list[SectionSpan], tuple[tuple[int, int], ...]]:
    """The text to point into, its body/comment spans and its ``<blockquote>`` spans: HTML is
    extracted (its metadata filling ``meta``), plain text is split as it is (its first line the
    title when none is given)."""
    data = raw.data
    if raw.format == "html":
        if isinstance(data, bytes) and not _CLOSING_TAG.search(data[-4096:]):
            detail = "no closing </body> or </html> tag"
            warnings.append(("E113", Errors.E113.format(path=raw.source, detail=detail)))
        page = extract_html(text, raw.source)
        text, spans, blockquotes = page.text, page.sections, page.blockquotes
        for key, value in page.meta.items():
            meta.setdefault(key, value)
    else:
        if "\x00" in text:
            raise BinaryInputError("E102", path=raw.source, detail="NUL characters")
        text = decode_entities(text)
        spans = split_plain_text(text)
        blockquotes = ()
        if not meta.get("title"):
            first = text.strip().split("\n", 1)[0].strip()
            meta["title"] = first[:300] if 0 < len(first) <= 300 else None
    return text, spans, blockquotes


def _language(body: str, settings: Settings, source: str) -> str:
    """The body's language: identified when there is enough of it, an error (E108) when it is
    confidently not an allowed one, else the first allowed language."""
    language = "en"
    if len(body.strip()) >= settings.min_langid_chars:
        language, prob = detect_language(body)
        if language not in settings.languages and prob >= 0.9:
            raise LanguageError("E108", path=source, lang=language, score=prob, allowed=list(settings.languages))
        if language not in settings.languages:
            language = settings.languages[0]
    return language


# --- HTML -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Comment:
    element: Any
    text: str
    author: str | None
    parent: int | None


@dataclass(frozen=True, slots=True)
class HtmlText:
    """What an HTML page yields: text, body/comment sections, metadata, and ``<blockquote>`` spans."""

    text: str
    sections: list[SectionSpan]
    meta: dict[str, str | None]
    blockquotes: tuple[tuple[int, int], ...]


def extract_html(html: str, source: str) -> HtmlText:
    """Article text (paragraphs joined by blank lines) and its comments as separate sections."""

    try:
        extracted = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True, output_format="python"
        )
    except Exception as exc:  # trafilatura raises assorted lxml/parser errors on broken markup
        raise MarkupError("E105", path=source, detail=f"trafilatura failed: {type(exc).__name__}") from exc
    if extracted is None or extracted.body is None:
        raise MarkupError("E105", path=source, detail="no main text found")
    paragraphs = _blocks(extracted.body)
    if not paragraphs:
        raise MarkupError("E105", path=source, detail="no main text found")
    parts: list[str] = []
    spans: list[SectionSpan] = []
    pos = 0

    def add(chunk: str) -> tuple[int, int]:
        nonlocal pos
        if parts:
            parts.append("\n\n")
            pos += 2
        start = pos
        parts.append(chunk)
        pos += len(chunk)
        return start, pos

    blockquotes = []
    for para, is_quote in paragraphs:
        span = add(para)
        if is_quote:
            blockquotes.append(span)
    spans.append(SectionSpan("body", 0, pos))
    comments = _page_comments(html, source)
    for i, comment in enumerate(comments):
        start, end = add(comment.text)
        parent = None if comment.parent is None else comment.parent + 1
        spans.append(SectionSpan("comment", start, end, comment.author, parent, str(i + 1)))
    meta = {
        "title": extracted.title,
        "author": extracted.author,
        "date": extracted.date,
        "url": extracted.url,
        "outlet": extracted.sitename,
    }
    return HtmlText("".join(parts), spans, {k: v for k, v in meta.items() if v}, tuple(blockquotes))


def _page_comments(html: str, source: str) -> list[_Comment]:
    """The page's comments from its markup, else trafilatura's comment text as one comment;
    comments are a bonus, so markup neither can read yields none rather than an error."""
    try:
        tree = lxml_html.fromstring(html)
        comments = _comments(tree)
    except Exception:  # a page whose comment markup lxml cannot read still has its body
        logger.debug("%s: comment markup unreadable; comments skipped", source, exc_info=True)
        comments = []
    if not comments:
        try:
            fallback = trafilatura.bare_extraction(html, include_comments=True, output_format="python")
        except Exception:  # the body is already extracted; comments are a bonus
            logger.debug("%s: trafilatura comment extraction failed", source, exc_info=True)
            fallback = None
        blob = (fallback.comments or "").strip() if fallback is not None else ""
        if blob:
            comments = [_Comment(None, blob, None, None)]
    return comments


def _blocks(body: Any) -> list[tuple[str, bool]]:
    """One string per paragraph-level element of trafilatura's output tree, in order, and
    whether it was a ``<blockquote>`` (trafilatura's ``quote``)."""
    out: list[tuple[str, bool]] = []
    for element in body:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "list":
            items = [_squash(" ".join(item.itertext())) for item in element if item.tag == "item"]
            out.extend((i, False) for i in items if i)
        elif tag == "quote" and len(element):
            # one paragraph per <p> inside the blockquote
            for child in element:
                text = _squash(" ".join(child.itertext()))
                if text:
                    out.append((text, True))
            loose = _squash(element.text or "")  # text directly inside the blockquote, outside any <p>
            if loose:
                out.append((loose, True))
        else:
            text = _squash(" ".join(element.itertext())) if tag in _BLOCK_TAGS or tag else ""
            if text:
                out.append((text, tag == "quote"))
    return out


def _squash(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


_COMMENT_XPATH = (
    "//*[(self::li or self::div or self::article or self::section)"
    " and (contains(concat(' ', normalize-space(@class), ' '), ' comment ')"
    " or starts-with(@id, 'comment-') or contains(concat(' ', normalize-space(@class), ' '), ' review '))]"
)
_AUTHOR_XPATH = (
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' fn ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' comment-author ')"
    " or @itemprop='author']"
)
_CONTENT_XPATH = (
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' comment-content ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' comment-text ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' comment-body-text ')"
    " or @itemprop='text']"
)


def _comments(tree: Any) -> list[_Comment]:
    """Reader comments in document order, each with its author and the index of its parent."""
    nodes = [n for n in tree.xpath(_COMMENT_XPATH) if not _has_comment_ancestor_without_own(n)]
    index = {n: i for i, n in enumerate(nodes)}
    out: list[_Comment] = []
    for node in nodes:
        own = lambda el: _nearest_comment(el, index) is node  # noqa: E731
        authors = [a for a in node.xpath(_AUTHOR_XPATH) if own(a)]
        author = _squash(" ".join(authors[0].itertext())) if authors else None
        if author:
            author = re.sub(r"\s*(says|said|wrote)\s*:?\s*$", "", author, flags=re.I) or None
        contents = [c for c in node.xpath(_CONTENT_XPATH) if own(c)]
        if contents:
            text = "\n".join(_squash(" ".join(c.itertext())) for c in contents)
        else:
            text = _squash(" ".join(_own_text(node, index)))
        if not text:
            continue
        parent_node = _nearest_comment(node.getparent(), index) if node.getparent() is not None else None
        parent = index.get(parent_node) if parent_node is not None else None
        out.append(_Comment(node, text, author, parent))
    # Re-number parents after dropping empty nodes.
    kept = {c.element: i for i, c in enumerate(out)}
    by_old = {i: n for n, i in index.items()}
    return [
        _Comment(c.element, c.text, c.author, kept.get(by_old[c.parent]) if c.parent is not None else None)
        for c in out
    ]


def _nearest_comment(element: Any, index: dict[Any, int]) -> Any:
    while element is not None and element not in index:
        element = element.getparent()
    return element


def _has_comment_ancestor_without_own(node: Any) -> bool:
    """Wrappers such as ``<div class="comment">`` inside ``<li class="comment">`` are one comment."""
    classes = f" {node.get('class', '')} "
    parent = node.getparent()
    return node.tag in ("div", "article") and " comment " in classes and parent is not None and parent.tag == "li" and " comment " in f" {parent.get('class', '')} "


def _own_text(node: Any, index: dict[Any, int]) -> list[str]:
    pieces: list[str] = []
    if node.text:
        pieces.append(node.text)
    for child in node:
        if child in index:
            if child.tail:
                pieces.append(child.tail)
            continue
        if isinstance(child.tag, str) and child.tag in ("script", "style", "form", "footer"):
            pass
        elif not (isinstance(child.tag, str) and any(index.get(d) is not None for d in child.iter())):
            pieces.append(" ".join(child.itertext()))
        else:
            pieces.extend(_own_text(child, index))
        if child.tail:
            pieces.append(child.tail)
    return pieces
