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
    scan = _Scan()
    for p_index, (p_start, p_end) in enumerate(paras):
        scan.content_start, scan.open_at = None, -1
        for run in _MARK_RUN.finditer(text, p_start, p_end):
            scan.mark(text, run, p_start, p_end)
        scan.paragraph_end(text, paras, p_index)
    if scan.carried:
        scan.found.append(Quoted(tuple(scan.carried), scan.carried_open, None))
    return scan.found


class _Scan:
    """``find_quoted``'s pass as named steps over one state: the quotes found, the spans of a
    quote still open from earlier paragraphs, and where the quote open in this paragraph began."""

    __slots__ = ("found", "carried", "carried_open", "content_start", "open_at")

    def __init__(self) -> None:
        self.found: list[Quoted] = []
        self.carried: list[tuple[int, int]] = []  # spans of a quote still open from earlier paragraphs
        self.carried_open = -1
        self.content_start: int | None = None
        self.open_at = -1

    def mark(self, text: str, run: re.Match[str], p_start: int, p_end: int) -> None:
        """One run of marks: it opens a quote (or reopens a carried one), or closes the open one."""
        mark = run.group()
        prev = text[run.start() - 1] if run.start() > p_start else " "
        nxt = text[run.end()] if run.end() < p_end else " "
        if self.carried and self.content_start is None and run.start() == p_start:
            # a continuation paragraph of a multi-paragraph quote opens again
            self.content_start, self.open_at = run.end(), self.carried_open
            return
        if self.carried and self.content_start is None:
            # the continuation paragraph did not open with a mark: the old quote ended
            self.found.append(Quoted(tuple(self.carried), self.carried_open, None))
            self.carried = []
        if self.content_start is None:
            is_open = (
                any(c in _OPENERS for c in mark)
                or (mark[0] in "\"'" and not (not prev.isspace() and nxt.isspace()))
                or (mark[0] in _CLOSERS and (prev.isspace() or prev in "([—–-") and not nxt.isspace())
            )
            if is_open:
                self.content_start, self.open_at = run.end(), run.start()
            return
        self._inside(text, run, mark, prev, self.content_start)

    def _inside(self, text: str, run: re.Match[str], mark: str, prev: str, content_start: int) -> None:
        """A run of marks inside a quote: a new opener means the earlier quote was never closed;
        anything else closes it (and a run like ”“ opens the next)."""
        if all(c in _OPENERS for c in mark) and prev.isspace():
            # a new opening mark while one is open: the earlier quote was never closed
            s, e = _trim(text, content_start, run.start())
            if e > s:
                self.found.append(Quoted(tuple(self.carried) + ((s, e),), self.open_at, None))
            self.carried = []
            self.content_start, self.open_at = run.end(), run.start()
            return
        s, e = _trim(text, content_start, run.start())
        if e > s:
            self.found.append(Quoted(tuple(self.carried) + ((s, e),), self.open_at, run.end()))
        self.carried = []
        self.content_start = None
        # a run like ”“ closes one quote and opens the next
        if len(mark) > 1 and mark[-1] in _OPENERS:
            self.content_start, self.open_at = run.end(), run.start() + len(mark) - 1

    def paragraph_end(self, text: str, paras: tuple[tuple[int, int], ...], p_index: int) -> None:
        """At a paragraph's end a carried quote not reopened ends; a quote still open is carried
        on when the next paragraph opens with a mark, and ends unclosed otherwise."""
        p_end = paras[p_index][1]
        if self.carried and self.content_start is None:
            self.found.append(Quoted(tuple(self.carried), self.carried_open, None))
            self.carried = []
        if self.content_start is not None:
            s, e = _trim(text, self.content_start, p_end)
            if e > s:
                next_opens = p_index + 1 < len(paras) and _MARK_RUN.match(text, paras[p_index + 1][0]) is not None
                if next_opens:
                    self.carried = self.carried + [(s, e)]
                    self.carried_open = self.open_at if len(self.carried) == 1 else self.carried_open
                else:
                    opened = self.open_at if not self.carried else self.carried_open
                    self.found.append(Quoted(tuple(self.carried) + ((s, e),), opened, None))
                    self.carried = []
