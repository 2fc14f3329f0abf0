"""Issue 20, memory per document: a long text is parsed in chunks with exact offsets, quotes and
events per document are capped with one warning, and in-document linking is indexed, not quadratic."""

from __future__ import annotations

import re

import pytest

from backchannel.crossdoc import identities
from backchannel.crossdoc.identities import _named_in_document
from backchannel.execution.batch import process
from backchannel.nlp import parse
from backchannel.records import Document, Failure, QuoteRef, RawInput
from backchannel.settings import Settings

PARAGRAPHS = [
    "TEHRAN (Reuters) - Iran's Foreign Minister Mohammad Javad Zarif said on Monday that the talks in Geneva "
    "had reached a critical stage. \u201cWe will not accept a deal that ignores our rights,\u201d Zarif told reporters.",
    "\u201cThe ball is now in their court,\u201d said U.S. Secretary of State John Kerry, adding that sanctions "
    "would stay in place until Iran acted.",
    "Israeli Prime Minister Benjamin Netanyahu warned that the interim deal was a historic mistake. "
    "\u201cThis is a bad deal,\u201d he said in Jerusalem.",
    "A spokesman for the European Union said the next round of negotiations would start in Vienna on Tuesday.",
]


def long_text(n: int = 24) -> str:
    return "Talks resume in Geneva\n\n" + "\n\n".join(PARAGRAPHS[i % len(PARAGRAPHS)] for i in range(n)) + "\n"


# --- chunked parse ---------------------------------------------------------------------------------------------


def test_chunk_bounds_cover_the_text_and_cut_at_paragraphs() -> None:
    text = long_text()
    bounds = parse.chunk_bounds(text, 600)
    assert len(bounds) > 3
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))  # contiguous, nothing lost or repeated
    for _, end in bounds[:-1]:
        assert text[end - 2 : end] == "\n\n" and not text[end].isspace()  # after a blank line


@pytest.mark.parametrize(
    ("text", "before_cut"),
    [
        ("\n".join(["One line of a wire story that goes on for a while."] * 40), "\n"),  # no blank lines
        (" ".join(["Officials said the talks went well."] * 40), ". "),  # one line: a sentence end
        (" ".join(["word"] * 400), " "),  # no stops: a space
    ],
)
def test_chunk_bounds_fall_back_to_lines_sentences_spaces(text: str, before_cut: str) -> None:
    bounds = parse.chunk_bounds(text, 300)
    assert len(bounds) > 3 and "".join(text[a:b] for a, b in bounds) == text
    for _, end in bounds[:-1]:
        assert text[:end].endswith(before_cut)


def test_short_text_is_one_chunk() -> None:
    assert parse.chunk_bounds("Zarif said so.", 100) == [(0, 14)]


def test_chunked_parse_keeps_every_offset(nlp) -> None:  # type: ignore[no-untyped-def]
    text = long_text()
    assert len(parse.chunk_bounds(text, 600)) > 3
    [doc] = parse.parse_texts(nlp, [text], chunk_chars=600)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
    assert all(text[e.start_char : e.end_char] == e.text for e in doc.ents)
    assert all(text[s.start_char : s.end_char] == s.text for s in doc.sents)
    assert {e.text for e in doc.ents} >= {"Zarif", "John Kerry", "Benjamin Netanyahu"}
    # every chunk starts a sentence; no sentence runs across a paragraph cut
    starts = {s.start_char for s in doc.sents}
    assert all(a in starts for a, _ in parse.chunk_bounds(text, 600))


def test_short_texts_parse_as_before(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = PARAGRAPHS + [long_text(3)]
    for doc, text in zip(parse.parse_texts(nlp, texts, chunk_chars=10_000), texts, strict=True):
        whole = nlp(text)
        assert [(t.text, t.dep_, t.head.i, t.ent_type_, t.is_sent_start) for t in doc] == \
               [(t.text, t.dep_, t.head.i, t.ent_type_, t.is_sent_start) for t in whole]


def test_process_parses_a_long_document_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through ``runner.process``: a document cut into chunks at its paragraphs yields the quotes
    and speakers it yields parsed whole, at the same offsets."""
    text = long_text()
    monkeypatch.setattr(parse, "CHUNK_CHARS", 600)
    [chunked] = process([RawInput("long.txt", text, "txt")], Settings(events=False))
    monkeypatch.setattr(parse, "CHUNK_CHARS", 1_000_000)
    [whole] = process([RawInput("long.txt", text, "txt")], Settings(events=False))
    assert isinstance(chunked, Document) and isinstance(whole, Document) and chunked.text == text
    assert len(chunked.quotes) >= 12
    assert chunked.quotes == whole.quotes and chunked.entities == whole.entities
    assert {q.speaker for q in chunked.quotes} >= {"Mohammad Javad Zarif", "John Kerry", "Benjamin Netanyahu"}


# --- caps ------------------------------------------------------------------------------------------------------


def _split(results: list[Document | Failure]) -> tuple[Document, list[Failure]]:
    docs = [r for r in results if isinstance(r, Document)]
    assert len(docs) == 1
    return docs[0], [r for r in results if isinstance(r, Failure)]


def test_quotes_over_the_cap_are_dropped_with_one_warning() -> None:
    text = long_text(8)
    [whole] = process([RawInput("many.txt", text, "txt")], Settings())
    assert isinstance(whole, Document) and len(whole.quotes) > 3
    doc, warnings = _split(process([RawInput("many.txt", text, "txt")], Settings(max_quotes=3)))
    assert doc.quotes == whole.quotes[:3]  # the first ones kept, in order
    assert all(e.quote is None or e.quote < 3 for e in doc.events)  # no event points at a dropped quote
    [warning] = warnings
    assert (warning.code, warning.severity, warning.source, warning.article_id) == \
           ("E119", "warning", "many.txt", whole.article_id)
    assert warning.message.startswith("many.txt: ")
    assert f"dropped {len(whole.quotes) - 3:,} quotes" in warning.message


def test_events_over_the_cap_are_dropped_with_one_warning() -> None:
    text = long_text(8)
    [whole] = process([RawInput("many.txt", text, "txt")], Settings())
    assert isinstance(whole, Document) and len(whole.events) >= 2
    doc, warnings = _split(process([RawInput("many.txt", text, "txt")], Settings(max_events=1)))
    assert doc.quotes == whole.quotes and doc.events == whole.events[:1]
    [warning] = warnings
    assert (warning.code, warning.severity, warning.article_id) == ("E120", "warning", whole.article_id)
    assert f"dropped {len(whole.events) - 1:,} events" in warning.message


def test_under_the_cap_no_warning() -> None:
    results = process([RawInput("few.txt", long_text(2), "txt")], Settings())
    assert [type(r) for r in results] == [Document]


# --- linking ---------------------------------------------------------------------------------------------------


def _brute_force(refs: list[QuoteRef]) -> dict[tuple[str, int], str]:
    """The unindexed rule: a description's head word in exactly one named speaker's context."""
    people = [r for r in refs if r.speaker and identities._is_name(r.speaker)]
    out = {}
    for ref in refs:
        if not ref.speaker or identities._is_name(ref.speaker):
            continue
        head = re.sub(r"['’]s$", "", ref.speaker.split()[-1].lower())
        fits = {p.speaker for p in people if re.search(rf"\b{re.escape(head)}\b", p.context, re.I)}
        if len(fits) == 1:
            out[ref.key] = fits.pop()
    return out


def test_in_document_descriptions_resolve_through_the_index() -> None:
    """Many speakers and many descriptions in one document: each description whose head word is
    in exactly one named speaker's context goes to that speaker, as the unindexed rule says."""
    surnames = ["Abadi", "Bakri", "Cohen", "Dumas", "Egan", "Farah", "Gupta", "Haddad", "Ibsen", "Jaber"]
    offices = ["negotiator", "envoy", "diplomat", "strategist", "commander", "governor", "treasurer", "mediator",
               "inspector", "adviser"]
    refs = []
    for i in range(400):
        k = i % 10
        speaker = f"Karim {surnames[k]}"
        office = offices[k] if k < 8 else "spokesman"  # the last two share an office: a description fits both
        refs.append(QuoteRef("doc", len(refs), f"Statement {i}.", "direct", speaker,
                             context=f"the chief {office.upper()}, {speaker}, said"))
        refs.append(QuoteRef("doc", len(refs), f"Reply {i}.", "direct", f"the {offices[(k + 3) % 10]}"))
        refs.append(QuoteRef("doc", len(refs), f"Aside {i}.", "direct", "the spokesman's"))
    named = _named_in_document(refs)
    assert named == _brute_force(refs)
    assert named[(("doc", 1))] == "Karim Dumas"  # "the diplomat" is Dumas' office
    assert ("doc", 2) not in named  # "the spokesman" fits two people: left as written
    assert sum(1 for v in named.values()) == 400 - 2 * 40  # the two descriptions "inspector", "adviser" fit nobody
