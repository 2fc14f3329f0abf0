"""Split a plain-text article into its body and its reader comments, with character spans.

Pasted blog pages end in a comment thread ("20 thoughts on “…”", numbered comments, replies
indented under their parent) or in page boilerplate ("Leave a Reply"). Neither belongs to the
article: quotes and speakers are looked for in the body, and comments are kept apart.
The spans point into the text exactly as decoded; nothing is rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A line that opens a comment thread (WordPress "N thoughts on", "N Comments", "Responses").
_THREAD_HEADER = re.compile(
    r"""^[ \t]*(?:
        (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|no)\s+
            (?:thoughts?|comments?|responses?|replies|reactions?|opinions?)\s+(?:on|to)\b[^\n]*
      | (?:\d+\s+)?(?:reader\s+)?(?:comments?|responses?|discussion)\s*(?:\(\d+\))?\s*:?
    )[ \t]*\r?$""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
#: Page furniture after the article or the thread: belongs to neither.
_BOILERPLATE = re.compile(
    r"^[ \t]*(?:leave\s+a\s+(?:reply|comment)|post\s+a\s+comment|add\s+(?:a\s+)?comment|"
    r"join\s+the\s+discussion|share\s+this:?|like\s+this:?|post\s+navigation|related\s+posts?:?|"
    r"you\s+must\s+be\s+logged\s+in\s+to\s+post\s+a\s+comment\.?)[ \t]*\r?$",
    re.IGNORECASE | re.MULTILINE,
)
#: A numbered comment: "  1. text" or "1) text"; the indent of the number gives the depth.
_COMMENT_START = re.compile(r"^(?P<indent>[ \t]*)(?P<num>\d{1,4})[.)][ \t]+(?=\S)", re.MULTILINE)
#: "Jane Doe says:" or "Jane Doe on February 12, 2013 at 3:41 pm" heading a comment.
_AUTHOR_LINE = re.compile(
    r"[ \t]*(?P<author>[^\n:]{1,60}?)[ \t]+(?:says|said|wrote|writes|replied)[ \t]*:?[ \t]*\r?\n"
    r"|[ \t]*(?P<author2>[^\n]{1,60}?)[ \t]+on[ \t]+[^\n]{0,40}?\b(?:\d{4}|[ap]\.?m\.?)[ \t]*:?[ \t]*\r?\n",
    re.IGNORECASE,
)
_MIN_BODY_FRACTION = 0.2


@dataclass(frozen=True, slots=True)
class SectionSpan:
    """A section before it is bound to an article id (``records.Section`` after)."""

    kind: str
    start: int
    end: int
    author: str | None = None
    parent: int | None = None
    label: str | None = None


def split_plain_text(text: str) -> list[SectionSpan]:
    """Body and comment spans of a plain-text page; the body is everything when there is no thread."""
    # a thread header near the top is a subheading, unless the body before it is already long
    floor = min(int(len(text) * _MIN_BODY_FRACTION), 2000)
    header = next(
        (m for m in _THREAD_HEADER.finditer(text) if (m.start() >= floor or _counted(m)) and m.start() > 0 and _opens_thread(text, m)),
        None,
    )
    # page furniture ends the article only near its end (or where the thread begins)
    tail_floor = min(header.start() if header else len(text), int(len(text) * 0.6))
    tail = next((m for m in _BOILERPLATE.finditer(text) if m.start() >= tail_floor), None)
    body_end = min(m.start() for m in (header, tail) if m) if (header or tail) else len(text)
    sections = [SectionSpan("body", 0, body_end)]
    if header is not None and header.start() == body_end:
        after = header.end()
        thread_end = next((m.start() for m in _BOILERPLATE.finditer(text, after)), len(text))
        sections.extend(_split_thread(text, after, thread_end, first_index=1))
    return sections


def _counted(header: re.Match[str]) -> bool:
    """"20 thoughts on …", "12 Comments": a count (or "on"/"to" a title) marks a real thread header."""
    return any(ch.isdigit() for ch in header.group()) or bool(re.search(r"\b(?:on|to)\b", header.group(), re.I))


def _opens_thread(text: str, header: re.Match[str]) -> bool:
    """A counted header ("20 thoughts on", "12 Comments") opens a thread by itself; a bare
    "Comments"/"Discussion" line only when a numbered or signed comment follows it."""
    if _counted(header):
        return True
    after = text[header.end() : header.end() + 400].lstrip("\r\n")
    return bool(_COMMENT_START.match(after) or _AUTHOR_LINE.match(after))


def _split_thread(text: str, start: int, end: int, first_index: int) -> list[SectionSpan]:
    """Numbered comments and replies; an unnumbered thread becomes one comment section."""
    starts = [m for m in _COMMENT_START.finditer(text, start, end)]
    if not starts:
        s, e = _lstrip_start(text, start, end), _rstrip_end(text, start, end)
        return [SectionSpan("comment", s, e, label="1")] if e > s else []
    # Only markers at the thread's own indents count: numbered lists inside a comment are
    # indented deeper than the comment's continuation lines, so they are content.
    sections: list[SectionSpan] = []
    stack: list[tuple[int, int, str]] = []  # (indent, section index, label)
    for i, match in enumerate(starts):
        indent = len(match.group("indent").expandtabs(4))
        stop = starts[i + 1].start() if i + 1 < len(starts) else end
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1] if stack else None
        label = f"{stack[-1][2]}.{match.group('num')}" if stack else match.group("num")
        content_start = match.end()
        author = None
        head = _AUTHOR_LINE.match(text, content_start, stop)
        if head:
            author = (head.group("author") or head.group("author2")).strip()
            content_start = _lstrip_start(text, head.end(), stop)
        index = first_index + len(sections)
        sections.append(
            SectionSpan("comment", content_start, _rstrip_end(text, content_start, stop), author, parent, label)
        )
        stack.append((indent, index, label))
    return sections


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _lstrip_start(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start
