"""``quotemarks.find_quoted``: which stretches of text sit inside quotation marks.

Tables of (text, expected) where ``expected`` lists, per quoted stretch, the text of each of
its spans (one per paragraph it runs over). Negatives expect ``[]``.
"""

from __future__ import annotations

import pytest

from backchannel.quotes.quotemarks import Quoted, find_quoted


def _texts(text: str, found: list[Quoted]) -> list[list[str]]:
    return [[text[s:e] for s, e in q.spans] for q in found]


def _assert_sane(text: str, found: list[Quoted], start: int = 0, end: int | None = None) -> None:
    """Every span inside [start, end), non-empty, in order, and quotes do not overlap each other."""
    end = len(text) if end is None else end
    last_end = start
    for q in found:
        assert q.spans, q
        for s, e in q.spans:
            assert start <= s < e <= end, (q, start, end)
            assert s >= last_end, ("spans overlap or go backwards", q)
            last_end = e
        assert start <= q.open_at < q.start, q
        if q.close_at is not None:
            assert q.end < q.close_at <= end, q


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param("“Talks will resume,” the minister said.", [["Talks will resume,"]], id="curly"),
        pytest.param('"Talks will resume," the minister said.', [["Talks will resume,"]], id="straight"),
        pytest.param("„Talks will resume,” he said.", [["Talks will resume,"]], id="low-opener"),
        pytest.param("«Talks will resume», he said.", [["Talks will resume"]], id="guillemets"),
        pytest.param("He said “one” and then “two”.", [["one"], ["two"]], id="two-in-a-sentence"),
        pytest.param('He said "one" and then "two".', [["one"], ["two"]], id="two-straight"),
        pytest.param(
            "Sadeq Larijani said ““relations with America are not simple” on Sunday.",
            [["relations with America are not simple"]],
            id="doubled-opener-curly",
        ),
        pytest.param(
            "He was quoted saying, “”Talks with the US are not taboo” last week.",
            [["Talks with the US are not taboo"]],
            id="doubled-opener-open-close",
        ),
        pytest.param(
            "“We have been through hell,”Mohammad said, and left.",
            [["We have been through hell,"]],
            id="closer-glued-to-next-word",
        ),
        pytest.param(
            '"We have been through hell,"Mohammad said, and left.',
            [["We have been through hell,"]],
            id="straight-closer-glued-to-next-word",
        ),
        pytest.param(
            "Then he says: “Now the Americans have raised the issue again.\n\n"
            "“It is you who should explain the meaning of negotiations.” The speech went on.",
            [["Now the Americans have raised the issue again.", "It is you who should explain the meaning of negotiations."]],
            id="multi-paragraph",
        ),
        pytest.param(
            "“First paragraph.\n\n“Second paragraph.\n\n“Third paragraph, closed.” After.",
            [["First paragraph.", "Second paragraph.", "Third paragraph, closed."]],
            id="multi-paragraph-three",
        ),
        pytest.param(
            "He said “this is never closed.\n\nThe next paragraph is the writer’s own.",
            [["this is never closed."]],
            id="unclosed-ends-at-paragraph",
        ),
        pytest.param(
            "He said “this is never closed.\n\nThe writer goes on “and quotes again” here.",
            [["this is never closed."], ["and quotes again"]],
            id="unclosed-then-a-closed-one",
        ),
        pytest.param("A stray ” closing mark and another” one.", [], id="stray-closers-ignored"),
        pytest.param("A stray ” mark, then “a real quote” here.", [["a real quote"]], id="stray-closer-then-quote"),
        pytest.param(
            "Iran’s leaders don’t agree; the students’ union said ‘maybe’ and ’90s music played.",
            [],
            id="apostrophes-never-quotes",
        ),
        pytest.param(
            "Iran’s envoy said “we don’t accept the West’s terms” on Monday.",
            [["we don’t accept the West’s terms"]],
            id="apostrophes-inside-a-quote",
        ),
        pytest.param(
            "''I have never been edited,'' Mr. King told me. ''It's more tinkering at the edges,'' he said, "
            "and it isn't the students' fault.",
            [["I have never been edited,"], ["It's more tinkering at the edges,"]],
            id="two-apostrophes-as-marks",
        ),
        pytest.param(
            "She said, ''I had to step back and think, 'This is their lives.'.''\n\n''Next paragraph.''",
            [["I had to step back and think, 'This is their lives.'."], ["Next paragraph."]],
            id="two-apostrophes-around-single-quotes",
        ),
        pytest.param('A 5" screen and a 7" one.', [], id="inch-marks-not-quotes"),
        pytest.param("No quotation marks at all here.", [], id="no-marks"),
        pytest.param("", [], id="empty"),
        pytest.param("“”", [], id="empty-quote"),
    ],
)
def test_quotemarks_find_quoted(text: str, expected: list[list[str]]) -> None:
    found = find_quoted(text)
    assert _texts(text, found) == expected
    _assert_sane(text, found)


@pytest.mark.parametrize(
    "text,closed",
    [
        pytest.param("“Closed,” he said.", [True], id="closed"),
        pytest.param("“Never closed.\n\nPlain paragraph.", [False], id="unclosed"),
        pytest.param("“Open.\n\n“Closed in the second paragraph.”", [True], id="multi-paragraph-closed"),
        pytest.param("“One” and “two", [True, False], id="second-unclosed"),
    ],
)
def test_quotemarks_closed_flag(text: str, closed: list[bool]) -> None:
    assert [q.closed for q in find_quoted(text)] == closed


def test_quotemarks_open_at_points_at_the_opening_mark() -> None:
    text = "He said “one” and “two”."
    found = find_quoted(text)
    assert [text[q.open_at] for q in found] == ["“", "“"]
    assert [text[q.close_at - 1] for q in found if q.close_at is not None] == ["”", "”"]


@pytest.mark.parametrize(
    "text,start,end,expected",
    [
        pytest.param("“A quote that runs past the end offset, and more.”", 0, 18, [["A quote that runs"]], id="cut-at-end"),
        pytest.param("Body “quoted” text.\n\nComment “other quote” text.", 0, 19, [["quoted"]], id="body-only"),
        pytest.param("Body “quoted” text.\n\nComment “other quote” text.", 21, 47, [["other quote"]], id="comment-only"),
        pytest.param("Body “opens here and the section ends\n\nComment text” goes on.", 0, 37, [["opens here and the section ends"]],
                     id="unclosed-stays-in-section"),
        pytest.param("Prefix “one” and then “two” suffix", 12, 34, [["two"]], id="start-offset"),
        pytest.param("Prefix “one” and then “two” suffix", 0, 7, [], id="nothing-before-end"),
    ],
)
def test_quotemarks_never_cross_end(text: str, start: int, end: int, expected: list[list[str]]) -> None:
    found = find_quoted(text, start, end)
    assert _texts(text, found) == expected
    _assert_sane(text, found, start, end)


# --- pathological inputs: linear-time guard (counts work, never times it) ------------------------


def _unmatched_openers(n: int) -> str:
    return " ".join(f"“word{i}" for i in range(n)) + "."


def _long_unclosed(n: int) -> str:
    return "He said: “" + " ".join(f"word{i}" for i in range(n)) + "."


def _nested(levels: int) -> str:
    # “a ‘b “c” b’ a” at three levels; more levels alternate the marks the same way
    marks = [("“", "”"), ("‘", "’")]
    inner = "core"
    for level in range(levels, 0, -1):
        o, c = marks[(level - 1) % 2]
        inner = f"{o}{chr(ord('a') + level - 1)} {inner} {chr(ord('a') + level - 1)}{c}"
    return f"He said {inner} and left."


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(_unmatched_openers(5000), id="5000-unmatched-openers"),
        pytest.param(" ".join(f"word{i}”" for i in range(5000)), id="5000-unmatched-closers"),
        pytest.param(" ".join(f'"w{i}' for i in range(5000)), id="5000-straight-marks"),
        pytest.param(_long_unclosed(5000), id="5000-word-unclosed-quote"),
        pytest.param("\n\n".join(f"“Paragraph {i} opens and never closes." for i in range(2000)), id="2000-open-paragraphs"),
        pytest.param("“a ‘b “c” b’ a”", id="nested-3"),
        pytest.param(_nested(3), id="nested-3-in-sentence"),
        pytest.param(_nested(12), id="nested-12"),
        pytest.param("“" * 5000, id="5000-marks-in-one-run"),
        pytest.param("“”" * 2500, id="2500-empty-quotes"),
    ],
)
def test_quotemarks_pathological_inputs_return_sane_spans(text: str) -> None:
    found = find_quoted(text)
    _assert_sane(text, found)
    # every quote needs an opening mark, so there can never be more quotes than marks
    assert len(found) <= sum(text.count(m) for m in "“”„«»\"")


def test_quotemarks_unmatched_openers_each_end_at_the_next_one() -> None:
    text = _unmatched_openers(5000)
    found = find_quoted(text)
    assert len(found) == 5000
    assert not any(q.closed for q in found)
    assert text[found[0].start : found[0].end] == "word0"


def test_quotemarks_long_unclosed_quote_is_one_span_to_the_paragraph_end() -> None:
    text = _long_unclosed(5000)
    (q,) = find_quoted(text)
    assert not q.closed and q.spans == ((text.index("“") + 1, len(text)),)
