"""Find the stretches of text inside quotation marks, in one linear pass per section.

Real pages are messy: curly and straight marks, doubled openers (``““`` and ``“”``), a closing
mark glued to the next word (``hell,”Mohammad``), quotes that run over several paragraphs (a
paragraph that opens a quote and never closes it, the next one opening again), and marks that
are never closed. The scan never looks back more than one mark, so hundreds of unmatched
marks or a 5,000-word quote with no closing mark cost linear time.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

#: quotation marks; two apostrophes ('') are a straight double mark in newspaper archives (NYT, LexisNexis)
_MARK_RUN = re.compile(r"(?:[“”„«»\"]|'')+")
PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t\u00a0\r]*\n")
_OPENERS = "“„«"
_CLOSERS = "”»"


@dataclass(frozen=True, slots=True)
class Quoted:
    """Text inside quotation marks: one span per paragraph it runs over."""

    spans: tuple[tuple[int, int], ...]
    open_at: int  # offset of the opening mark
    close_at: int | None  # offset just after the closing mark; None when never closed

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    @property
    def closed(self) -> bool:
        return self.close_at is not None


@lru_cache(maxsize=8)
def paragraphs(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Paragraph spans (separated by blank lines), whitespace-trimmed, inside [start, end).

    Cached: every quote in a section asks for its paragraph, and a fresh scan per quote would
    make a page with hundreds of quote marks quadratic.
    """
    out: list[tuple[int, int]] = []
    pos = start
    for brk in PARAGRAPH_BREAK.finditer(text, start, end):
        out.append((pos, brk.start()))
        pos = brk.end()
    out.append((pos, end))
    trimmed = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return tuple(trimmed)


def paragraph_at(text: str, start: int, end: int, char: int) -> tuple[int, int] | None:
    """The paragraph of [start, end) that holds ``char`` (binary search over the cached list)."""
    paras = paragraphs(text, start, end)
    i = bisect.bisect_right(paras, char, key=lambda p: p[0]) - 1
    if i >= 0 and paras[i][0] <= char <= paras[i][1]:
        return paras[i]
    return None


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def find_quoted(text: str, start: int = 0, end: int | None = None) -> list[Quoted]:
    """Every quoted stretch in ``text[start:end]`` (one section); never crosses ``end``."""
    end = len(text) if end is None else end
    paras = paragraphs(text, start, end)
    found: list[Quoted] = []
    carried: list[tuple[int, int]] = []  # spans of a quote still open from earlier paragraphs
    carried_open = -1
    for p_index, (p_start, p_end) in enumerate(paras):
        content_start: int | None = None
        open_at = -1
        for run in _MARK_RUN.finditer(text, p_start, p_end):
            mark = run.group()
            prev = text[run.start() - 1] if run.start() > p_start else " "
            nxt = text[run.end()] if run.end() < p_end else " "
            if carried and content_start is None and run.start() == p_start:
                # a continuation paragraph of a multi-paragraph quote opens again
                content_start, open_at = run.end(), carried_open
                continue
            if carried and content_start is None:
                # the continuation paragraph did not open with a mark: the old quote ended
                found.append(Quoted(tuple(carried), carried_open, None))
                carried = []
            if content_start is None:
                is_open = (
                    any(c in _OPENERS for c in mark)
                    or (mark[0] in "\"'" and not (not prev.isspace() and nxt.isspace()))
                    or (mark[0] in _CLOSERS and (prev.isspace() or prev in "([—–-") and not nxt.isspace())
                )
                if is_open:
                    content_start, open_at = run.end(), run.start()
                continue
            # inside a quote
            if all(c in _OPENERS for c in mark) and prev.isspace():
                # a new opening mark while one is open: the earlier quote was never closed
                s, e = _trim(text, content_start, run.start())
                if e > s:
                    found.append(Quoted(tuple(carried) + ((s, e),), open_at, None))
                carried = []
                content_start, open_at = run.end(), run.start()
                continue
            s, e = _trim(text, content_start, run.start())
            if e > s:
                found.append(Quoted(tuple(carried) + ((s, e),), open_at, run.end()))
            carried = []
            content_start = None
            # a run like ”“ closes one quote and opens the next
            if len(mark) > 1 and mark[-1] in _OPENERS:
                content_start, open_at = run.end(), run.start() + len(mark) - 1
        if carried and content_start is None:
            found.append(Quoted(tuple(carried), carried_open, None))
            carried = []
        if content_start is not None:
            s, e = _trim(text, content_start, p_end)
            if e > s:
                next_opens = p_index + 1 < len(paras) and _MARK_RUN.match(text, paras[p_index + 1][0]) is not None
                if next_opens:
                    carried = carried + [(s, e)]
                    carried_open = open_at if len(carried) == 1 else carried_open
                else:
                    found.append(Quoted(tuple(carried) + ((s, e),), open_at if not carried else carried_open, None))
                    carried = []
    if carried:
        found.append(Quoted(tuple(carried), carried_open, None))
    return found
