"""Quotes end to end: ``read_text`` runs cleaning, parsing and ``quotes.extract_quotes``.

Each case is a short, real-shaped text and the quotes a careful reader would record. An
expected quote is found when one predicted quote covers more than 80% of its words (the
strict Gender Gap Tracker threshold, ``evaluate.coverage``); then its other fields are
compared. Quoted words (direct, mixed, block) that the table does not list are failures
too; extra *indirect* quotes are not, since the table does not try to list them all.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from backchannel.api import read_text
from backchannel.evaluation.quotes import coverage, load_gold, name_matches, score_quotes
from backchannel.records import Document, Quote
from backchannel.settings import Settings

from .conftest import EXAMPLES, SHARED

MARKED = ("direct", "mixed", "block")
SEEDS = ["000_fd5ae7baf4eaa798.txt", "003_b51af508a57a262d.txt"]
GOLD_PATH = SHARED / "gold" / "seeds.quotes.jsonl"


@lru_cache(maxsize=None)
def _read(text: str) -> Document:
    return read_text(text)


@lru_cache(maxsize=None)
def _read_seed(name: str) -> Document:
    return read_text((EXAMPLES / name).read_text(encoding="utf-8"), source=name, settings=Settings())


def _spans_of(text: str, pieces: str | tuple[str, ...]) -> list[tuple[int, int]]:
    """Offsets of the expected words; the pieces of a split quote are searched in order."""
    spans, pos = [], 0
    for piece in (pieces,) if isinstance(pieces, str) else pieces:
        start = text.index(piece, pos)
        spans.append((start, start + len(piece)))
        pos = start + len(piece)
    return spans


def _show(quotes: tuple[Quote, ...] | list[Quote]) -> str:
    return "\n".join(
        f"  {q.kind} {q.content!r} spans={q.content_spans} cue={q.cue!r} speaker={q.speaker!r} "
        f"mention={q.speaker_mention!r} via={q.via} section={q.section_kind}"
        for q in quotes
    ) or "  (no quotes)"


def _find(doc: Document, spans: list[tuple[int, int]]) -> Quote | None:
    """The predicted quote covering most of ``spans``, if it covers more than 80% of them."""
    best = max(doc.quotes, key=lambda q: coverage(q.content_spans, spans), default=None)
    return best if best is not None and coverage(best.content_spans, spans) > 0.8 else None


# --- the table ---------------------------------------------------------------------------------
#
# Expected quote keys: content (str, or a tuple of the halves of a split quote), and optionally
# kind, speaker (resolved name, exact), mention (the words at the quote), via (tuple, exact),
# speaker_or_via (the name is the speaker or one of the channels), not_speaker (a name that
# must appear in neither speaker nor mention).

CASES = [
    pytest.param(
        "“The talks will resume next week,” the minister said. Nothing else was announced.",
        [{"content": "The talks will resume next week,", "kind": "direct", "mention": "the minister"}],
        id="direct-said-after",
    ),
    pytest.param(
        'Foreign Minister Ali Akbar Salehi said: "We are ready to negotiate with the West."',
        [{"content": "We are ready to negotiate with the West.", "kind": "direct", "speaker": "Ali Akbar Salehi",
          "mention": "Foreign Minister Ali Akbar Salehi"}],
        id="direct-said-colon-straight-marks",
    ),
    pytest.param(
        "Foreign Minister Ali Akbar Salehi said: “We are ready to negotiate with the West.” He left for Geneva.",
        [{"content": "We are ready to negotiate with the West.", "kind": "direct", "speaker": "Ali Akbar Salehi"}],
        id="direct-said-colon",
    ),
    pytest.param(
        "“It was hell,”Mohammad said of the siege. He left the city the next day.",
        [{"content": "It was hell,", "kind": "direct", "speaker": "Mohammad", "mention": "Mohammad"}],
        id="direct-closer-glued-to-name",
    ),
    pytest.param(
        "“We are ready to talk,” Zarif said, “but not under pressure.”",
        [{"content": ("We are ready to talk,", "but not under pressure."), "kind": "direct", "speaker": "Zarif"}],
        id="split-named",
    ),
    pytest.param(
        "The new book is blunt. “Engagement,” he adds, “was a cover for a coercive campaign.”",
        [{"content": ("Engagement,", "was a cover for a coercive campaign."), "kind": "direct", "mention": "he"}],
        id="split-pronoun",
    ),
    pytest.param(
        "Vali Nasr writes in his new book that pressure has become an end in itself. "
        "“Engagement,” he adds, “was a cover for a coercive campaign of sabotage.”",
        [{"content": ("Engagement,", "was a cover for a coercive campaign of sabotage."), "kind": "direct",
          "speaker": "Vali Nasr", "mention": "he"}],
        id="pronoun-resolved-across-sentences",
    ),
    pytest.param(
        "Harvard professor Stephen Walt has written about this for years. After the failed talks in 2009, "
        "as Walt has written, the Iranian leadership “has good grounds for viewing Obama as inherently untrustworthy.”",
        [{"content": "has good grounds for viewing Obama as inherently untrustworthy.", "kind": "mixed",
          "speaker": "Stephen Walt", "mention": "Walt"}],
        id="mixed-surname-resolved",
    ),
    pytest.param(
        "Officials said that the talks would resume next week.",
        [{"content": "the talks would resume next week", "kind": "indirect", "mention": "Officials"}],
        id="indirect-said-that",
    ),
    pytest.param(
        "The talks will resume next week, according to Reuters.",
        [{"content": "The talks will resume next week", "speaker_or_via": "Reuters"}],
        id="according-to-after",
    ),
    pytest.param(
        "According to Reuters, the talks will resume next week.",
        [{"content": "the talks will resume next week", "speaker_or_via": "Reuters"}],
        id="according-to-before",
    ),
    pytest.param(
        "Larijani was quoted by The Guardian as saying that “talks with the US are not taboo.”",
        [{"content": "talks with the US are not taboo.", "speaker": "Larijani", "via": ("The Guardian",)}],
        id="quoted-by-outlet-as-saying",
    ),
    pytest.param(
        "“If it benefits the system, we will negotiate with America,” Mohammad Javad Larijani said, according to "
        "the New York Times which cited Iran’s semi-official Mehr news agency.",
        [{"content": "If it benefits the system, we will negotiate with America,", "kind": "direct",
          "speaker": "Mohammad Javad Larijani", "via": ("The New York Times", "Mehr News Agency")}],
        id="provenance-chain",
    ),
    pytest.param(
        "Khamenei cites a catalog of aggressive policies. Then he says:\n\n"
        "Now the Americans have raised the issue of negotiations again. They repeat that America is prepared to negotiate.",
        [{"content": "Now the Americans have raised the issue of negotiations again. They repeat that America is "
                     "prepared to negotiate.", "kind": "block", "speaker": "Khamenei", "mention": "he"}],
        id="block-after-colon",
    ),
    pytest.param(
        "Khamenei cites a catalog of aggressive policies. Then he says:\n\n"
        "Now the Americans have raised the issue of negotiations again. They repeat that America is prepared to negotiate.\n\n"
        "Speaking a day earlier, President Ahmadinejad summed it up more succinctly: “Take your guns out of the face "
        "of the Iranian nation.”",
        [
            {"content": "Now the Americans have raised the issue of negotiations again. They repeat that America is "
                        "prepared to negotiate.", "kind": "block", "speaker": "Khamenei"},
            {"content": "Take your guns out of the face of the Iranian nation.", "kind": "direct",
             "mention": "President Ahmadinejad"},
        ],
        id="block-ends-before-next-attributed-paragraph",
    ),
    pytest.param(
        "Iran’s UN Ambassador Mohammed Khazaee, in a discussion with former Under Secretary of State Thomas Pickering "
        "this month, said: “As long as pressure is on Iran, this is not negotiations.”",
        [{"content": "As long as pressure is on Iran, this is not negotiations.", "kind": "direct",
          "speaker": "Mohammed Khazaee", "not_speaker": "Pickering"}],
        id="bystander-not-speaker",
    ),
    pytest.param(
        "“Do you expect the Iranian nation to believe that you have goodwill?” Khamenei asked.",
        [{"content": "Do you expect the Iranian nation to believe that you have goodwill?", "kind": "direct",
          "speaker": "Khamenei"}],
        id="question-then-cue",
    ),
    pytest.param(
        "“Why should we trust you?” he asked. The minister did not answer.",
        [{"content": "Why should we trust you?", "kind": "direct", "mention": "he"}],
        id="question-then-pronoun-cue",
    ),
    pytest.param(
        "Talks in Geneva\n\nIran’s foreign minister Javad Zarif said on Monday: “We are ready to talk if the pressure "
        "stops.” Western diplomats were more cautious.",
        [{"content": "We are ready to talk if the pressure stops.", "kind": "direct", "speaker": "Javad Zarif",
          "mention": "Iran’s foreign minister Javad Zarif"}],
        id="title-line-before-first-sentence",
    ),
    pytest.param(
        "A senior official told Reuters that Iran would not negotiate under pressure.",
        [{"content": "Iran would not negotiate under pressure", "kind": "indirect", "mention": "A senior official",
          "via": ("Reuters",)}],
        id="told-outlet-is-the-channel",
    ),
    pytest.param(
        "The talks will resume next week, Reuters reported, citing two diplomats.",
        [{"content": "The talks will resume next week", "mention": "two diplomats", "via": ("Reuters",)}],
        id="reported-citing-sources",
    ),
    pytest.param(
        '"By locking in China," Mr. Obama said, "it now allowed me to go to India and say to them: look again."',
        [{"content": ("By locking in China,", "it now allowed me to go to India and say to them: look again."),
          "kind": "direct", "mention": "Mr. Obama"}],
        id="split-quote-with-title-abbreviation",
    ),
    pytest.param(
        "“Why won’t he release his tax returns?” she said. “Maybe he is not as rich as he says he is.”\n"
        "Often, it appeared that Trump was uncomfortable on that turf.",
        [{"content": ("Why won’t he release his tax returns?", "Maybe he is not as rich as he says he is."),
          "kind": "direct", "mention": "she"}],
        id="next-sentence-with-its-own-content-is-not-the-cue",
    ),
    pytest.param(
        "Donald Trump stated that Melania would discuss her immigration history “in a few weeks.”",
        [{"content": "in a few weeks.", "kind": "mixed", "mention": "Donald Trump",
          "clause": "that Melania would discuss her immigration history “in a few weeks.”"}],
        id="plain-speech-verb-above-a-weaker-one",
    ),
    pytest.param(
        "City Attorney Brad Holm said in the letter that the advertisement “unmistakably and wrongfully” suggests "
        "that Phoenix and its officers support the campaign.",
        [{"content": "unmistakably and wrongfully", "kind": "mixed", "mention": "City Attorney Brad Holm",
          "clause": "that the advertisement “unmistakably and wrongfully” suggests that Phoenix and its officers "
                    "support the campaign"}],
        id="quote-inside-a-verbs-subject",
    ),
    pytest.param(
        "The mayor said that it was too early to tell whether it was a bomb, and there was “no evidence” yet that it "
        "was an act of terrorism.",
        [{"content": "no evidence", "kind": "mixed", "mention": "The mayor",
          "clause": "that it was too early to tell whether it was a bomb, and there was “no evidence” yet that it was "
                    "an act of terrorism"}],
        id="mixed-quote-in-a-conjoined-clause",
    ),
    pytest.param(
        'Heidi Cruz once called Trump a "pathological liar" who is "utterly amoral" and a "bully."',
        [{"content": "pathological liar", "kind": "mixed", "clause": 'Trump a "pathological liar" who is "utterly '
          'amoral" and a "bully."'},
         {"content": "utterly amoral", "kind": "mixed"}, {"content": "bully.", "kind": "mixed"}],
        id="mixed-quotes-under-one-cue-share-their-clause",
    ),
    pytest.param(
        "According to conservative radio host Rush Limbaugh, the move reeks of “fear” and desperation.",
        [{"content": "fear", "kind": "mixed", "mention": "conservative radio host Rush Limbaugh",
          "clause": "the move reeks of “fear” and desperation"}],
        id="mixed-quote-after-according-to",
    ),
    pytest.param(
        "The museum, Mr. Obama said, would make visitors face uncomfortable truths.",
        [{"content": ("The museum", "would make visitors face uncomfortable truths"), "kind": "indirect",
          "mention": "Mr. Obama"}],
        id="reporting-aside-in-mid-sentence",
    ),
    pytest.param(
        "African-Americans, he said, can ''rock like Jimi'' and ''stir the pot like Richard Pryor.''",
        [{"content": "rock like Jimi", "kind": "mixed", "mention": "he",
          "clause": "African-Americans, he said, can ''rock like Jimi'' and ''stir the pot like Richard Pryor.''"},
         {"content": "stir the pot like Richard Pryor.", "kind": "mixed"}],
        id="mixed-quotes-in-an-aside-sentence-with-two-apostrophe-marks",
    ),
    pytest.param(
        "Trump cited his own endorsements from 88 generals and admirals on Tuesday.",
        [{"content": "his own endorsements from 88 generals and admirals on Tuesday", "kind": "indirect",
          "mention": "Trump", "via": ()}],
        id="citing-a-thing-is-a-statement",
    ),
    pytest.param(
        "McConnell praised the country, citing the release of political prisoners.",
        [{"content": "the release of political prisoners", "mention": "McConnell", "via": ()}],
        id="citing-a-thing-does-not-make-it-the-speaker",
    ),
    pytest.param(
        "Trump is casting himself as a champion of the little guy when it comes to rewriting the tax code.",
        [{"content": "himself as a champion of the little guy when it comes to rewriting the tax code",
          "kind": "indirect", "mention": "Trump"}],
        id="content-runs-on-through-a-trailing-clause",
    ),
    pytest.param(
        'Ban Ki-moon condemned what he called a "brazen breach" of U.N. resolutions.',
        [{"content": "brazen breach", "kind": "mixed", "mention": "he",
          "clause": 'what he called a "brazen breach" of U.N. resolutions'}],
        id="mixed-quote-in-a-free-relative",
    ),
    pytest.param(
        'Both political parties "saw Burma as a country that was really reeling under pressure from China," said '
        'Victor Cha, who served as Asia director for the National Security Council under President George W. Bush. '
        '"In that sense, it was like pushing on an open door."',
        [{"content": "saw Burma as a country that was really reeling under pressure from China,", "kind": "mixed",
          "speaker": "Victor Cha", "clause": 'Both political parties "saw Burma as a country that was really reeling '
          'under pressure from China," said Victor Cha, who served as Asia director for the National Security '
          'Council under President George W. Bush. "In that sense, it was like pushing on an open door."'},
         {"content": "In that sense, it was like pushing on an open door.", "kind": "direct", "speaker": "Victor Cha",
          "clause": 'Both political parties "saw Burma as a country that was really reeling under pressure from '
          'China," said Victor Cha, who served as Asia director for the National Security Council under President '
          'George W. Bush. "In that sense, it was like pushing on an open door."'}],
        id="direct-quote-continuing-a-mixed-one-shares-its-attribution",
    ),
    pytest.param(
        "Trump said that the election was rigged, adding that the media was biased against him.",
        [{"content": "that the election was rigged", "kind": "indirect", "mention": "Trump", "cue": "said",
          "clause": "that the election was rigged"},
         {"content": "that the media was biased against him", "kind": "indirect", "mention": "Trump", "cue": "adding"}],
        id="a-trailing-report-is-not-part-of-the-first",
    ),
    pytest.param(
        "The minister added that talks would resume next week, according to Reuters.",
        [{"content": "that talks would resume next week", "mention": "The minister", "via": ("Reuters",)}],
        id="according-to-at-the-end-names-the-channel",
    ),
    pytest.param(
        "Officials said, according to the AP, that talks would resume.",
        [{"content": "that talks would resume", "mention": "Officials", "via": ("The Associated Press",)}],
        id="according-to-in-mid-sentence-names-the-channel",
    ),
    pytest.param(
        "According to the AP, officials said that talks would resume.",
        [{"content": "that talks would resume", "mention": "officials", "via": ("The Associated Press",)}],
        id="according-to-before-a-reporting-verb-names-the-channel",
    ),
    pytest.param(
        "“Talks under pressure have no meaning,” Khamenei told air force commanders on Thursday, according to a "
        "translation published on his official website.",
        [{"content": "Talks under pressure have no meaning", "kind": "direct", "mention": "Khamenei", "cue": "told"}],
        id="according-to-a-translation-is-how-the-words-came-not-who-spoke",
    ),
    pytest.param(
        "The US vice-president, Joe Biden, told the conference on Saturday that Washington was ready for talks.",
        [{"content": "that Washington was ready for talks", "mention": "Joe Biden"}],
        id="a-title-with-the-name-in-apposition-is-the-person",
    ),
    pytest.param(
        "Secretary of the Supreme National Security Council Saeed Jalili said on Wednesday that the group had moved.",
        [{"content": "that the group had moved", "mention": "Saeed Jalili"}],
        id="the-name-at-the-end-of-a-long-title-is-the-speaker",
    ),
    pytest.param(
        "His remarks came two days after Ayatollah Ali Khamenei said that negotiating under pressure is meaningless.",
        [{"content": "that negotiating under pressure is meaningless", "mention": "Ayatollah Ali Khamenei"}],
        id="a-name-right-before-a-subordinate-verb-is-its-subject",
    ),
    # negatives: quoted words that are not anyone's statement, and no statement at all
    pytest.param("Washington has imposed “crippling” sanctions on Iran.", [], id="scare-quote"),
    pytest.param("The so-called “international community” has imposed sanctions on Iran.", [], id="so-called"),
    pytest.param("The book is titled “The Twilight War” and came out in 2012.", [], id="title-of-a-work"),
    pytest.param("The talks will resume next week. Both sides expect progress.", [], id="no-statement"),
    pytest.param("As I said last week, the sanctions are not working.", [], id="writer-own-voice"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_quotes_table(text: str, expected: list[dict[str, Any]]) -> None:
    doc = _read(text)
    if not expected:
        assert not doc.quotes, "expected no quotes, got:\n" + _show(doc.quotes)
        return
    matched: set[int] = set()
    for exp in expected:
        pieces = exp["content"]
        spans = _spans_of(text, pieces)
        q = _find(doc, spans)
        assert q is not None, f"no quote covers {pieces!r}; got:\n" + _show(doc.quotes)
        matched.add(q.index)
        if isinstance(pieces, tuple):
            assert len(q.content_spans) == len(pieces), "a split quote is ONE quote with one span per half:\n" + _show([q])
        if "kind" in exp:
            assert q.kind == exp["kind"], _show([q])
        if "speaker" in exp:
            assert q.speaker == exp["speaker"], _show([q])
        if "mention" in exp:
            assert q.speaker_mention == exp["mention"], _show([q])
        if "via" in exp:
            assert q.via == exp["via"], _show([q])
        if "cue" in exp:
            assert q.cue == exp["cue"], _show([q])
        if "clause" in exp:
            assert text[q.clause_span[0] : q.clause_span[1]] == exp["clause"], _show([q])
        if "speaker_or_via" in exp:
            name = exp["speaker_or_via"]
            assert q.speaker == name or name in q.via, _show([q])
        if "not_speaker" in exp:
            bystander = exp["not_speaker"]
            assert bystander not in (q.speaker or "") and bystander not in (q.speaker_mention or ""), _show([q])
    extra = [q for q in doc.quotes if q.kind in MARKED and q.index not in matched]
    assert not extra, "quoted words reported that the table does not list:\n" + _show(extra)


NOT_SPEECH = [
    pytest.param("Washington has imposed “crippling” sanctions on Iran.", "crippling", id="scare-quote"),
    pytest.param("The so-called “international community” has imposed sanctions on Iran.", "international community",
                 id="so-called"),
    pytest.param("Both Nation reporter Robert Dreyfuss and the so-called “realists” agree.", "realists", id="so-called-2"),
    pytest.param("The book is titled “The Twilight War” and came out in 2012.", "The Twilight War", id="titled"),
    pytest.param("He is known as “the Butcher of Tehran” in exile circles.", "the Butcher of Tehran", id="known-as"),
    pytest.param(
        "Washington calls them “smart” sanctions, and the word “targeted” appears in every statement.", "smart",
        id="calls-them",
        marks=pytest.mark.xfail(
            reason="'calls them “smart” sanctions' (a naming verb with an object) is reported as indirect speech "
                   "by Washington whose content 'them “smart” sanctions' contains the scare quote",
            strict=False,
        ),
    ),
    pytest.param(
        "Washington calls them smart sanctions, and the word “targeted” appears in every statement.", "targeted",
        id="the-word",
    ),
]


@pytest.mark.parametrize("text,quoted", NOT_SPEECH)
def test_quotes_not_speech(text: str, quoted: str) -> None:
    """Scare quotes, titles and terms are not statements: no quote may contain them."""
    doc = _read(text)
    span = _spans_of(text, quoted)
    overlapping = [q for q in doc.quotes if coverage(q.content_spans, span) > 0]
    assert not overlapping, _show(overlapping)


# --- reader comments ---------------------------------------------------------------------------

THREAD = """Talks in Geneva

Diplomats gathered in Geneva on Monday for a new round of talks.

Iran’s foreign minister Javad Zarif said: “We are ready to talk if the pressure stops.” Western diplomats were more cautious.

The next round is planned for March.

3 thoughts on “Talks in Geneva”

  1. Zarif keeps saying the same thing.

    1. As Kissinger once said: “America has no permanent friends or enemies, only interests.” Nothing has changed.

  2. Jane Doe says:
    My neighbour told me: “The sanctions hurt ordinary people most.”

Leave a Reply
"""


def test_quotes_comment_thread_kept_apart_from_body() -> None:
    doc = _read(THREAD)
    body = [s for s in doc.sections if s.kind == "body"]
    assert [s.kind for s in doc.sections] == ["body", "comment", "comment", "comment"]
    by_content = {q.content: q for q in doc.quotes}
    body_quote = by_content.get("We are ready to talk if the pressure stops.")
    assert body_quote is not None, _show(doc.quotes)
    assert (body_quote.section_kind, body_quote.speaker) == ("body", "Javad Zarif")
    for content, speaker in (
        ("America has no permanent friends or enemies, only interests.", "Kissinger"),
        ("The sanctions hurt ordinary people most.", None),
    ):
        q = by_content.get(content)
        assert q is not None, _show(doc.quotes)
        assert q.section_kind == "comment" and q.kind == "direct", _show([q])
        section = doc.sections[q.section]
        assert section.kind == "comment" and section.start_char <= q.start_char < q.end_char <= section.end_char
        if speaker is not None:
            assert q.speaker == speaker, _show([q])
    # the comment's people are never body speakers, and the body's words never a comment's
    body_speakers = {q.speaker for q in doc.quotes if q.section_kind == "body"}
    assert body_speakers <= {"Javad Zarif"}, _show(doc.quotes)
    for q in doc.quotes:
        in_body = any(s.start_char <= q.start_char < s.end_char for s in body)
        assert (q.section_kind == "body") == in_body, _show([q])
    # neither the thread header's title nor the comment author line is speech
    assert not any("Talks in Geneva" in q.content for q in doc.quotes), _show(doc.quotes)
    assert not any(q.speaker == "Jane Doe" or q.speaker_mention == "Jane Doe" for q in doc.quotes), _show(doc.quotes)


# --- invariants of every returned quote --------------------------------------------------------


def _check_invariants(doc: Document) -> None:
    text = doc.text
    for q in doc.quotes:
        where = _show([q])
        assert q.content_spans, where
        pos = 0
        for s, e in q.content_spans:
            assert 0 <= s < e <= len(text), where
            piece = text[s:e]
            found = q.content.find(piece, pos)
            assert found >= 0, f"span text {piece!r} not in content, in order: {where}"
            assert not q.content[pos:found].strip(" …"), f"content has words outside its spans: {where}"
            pos = found + len(piece)
        assert not q.content[pos:].strip(" …"), f"content has words outside its spans: {where}"
        assert q.start_char == min(s for s, _ in q.content_spans), where
        assert q.end_char == max(e for _, e in q.content_spans), where
        assert 0 <= q.clause_span[0] <= q.clause_span[1] <= len(text), where
        section = doc.sections[q.section]
        assert section.kind == q.section_kind, where
        assert all(section.start_char <= s and e <= section.end_char for s, e in q.content_spans), where
        if q.cue_span is not None:
            assert 0 <= q.cue_span[0] < q.cue_span[1] <= len(text), where
            assert text[q.cue_span[0] : q.cue_span[1]] == q.cue, where
        else:
            assert q.cue is None, where
        if q.speaker_mention_span is not None:
            s, e = q.speaker_mention_span
            assert text[s:e] == q.speaker_mention, where
        assert q.kind in ("direct", "mixed", "block", "indirect"), where
        assert 0.0 <= q.confidence <= 1.0, where
    assert [q.index for q in doc.quotes] == list(range(len(doc.quotes)))
    assert [q.start_char for q in doc.quotes] == sorted(q.start_char for q in doc.quotes)


#: case id → xfail mark, for a table text whose quotes break an invariant (none at present)
_INVARIANT_XFAIL: dict[str, Any] = {}


@pytest.mark.parametrize(
    "text",
    [pytest.param(p.values[0], id=p.id, marks=_INVARIANT_XFAIL.get(p.id, ())) for p in CASES]
    + [pytest.param(THREAD, id="comment-thread")],
)
def test_quotes_invariants_on_table_texts(text: str) -> None:
    _check_invariants(_read(text))


@pytest.mark.parametrize("name", SEEDS)
def test_quotes_invariants_on_seeds(name: str) -> None:
    _check_invariants(_read_seed(name))


def test_quotes_to_dict_is_json() -> None:
    doc = _read("“The talks will resume next week,” the minister said.")
    (q,) = doc.quotes
    d = json.loads(json.dumps(q.to_dict()))
    assert d["content"] == q.content and d["cue"] == {"text": "said", "span": list(q.cue_span or ())}
    assert d["speaker"]["mention"] == "the minister" and d["section"] == "body"


# --- seed gold: the acceptance criteria, one test per gold quote --------------------------------


def _gold_docs() -> list[dict[str, Any]]:
    return load_gold(GOLD_PATH) if GOLD_PATH.exists() else []


def _gold_params() -> list[Any]:
    params = []
    for doc in _gold_docs():
        for i, gold in enumerate(doc["quotes"]):
            if gold.get("optional"):
                continue
            marks = []
            start, end = gold["content_span"]
            if gold["kind"] == "comment" and start < doc["body_end"]:
                marks.append(pytest.mark.xfail(
                    reason=f"gold offset error: kind=comment quote has content_span [{start}, {end}], inside the "
                           f"article body (body_end {doc['body_end']}), i.e. in the body's block quote, not in the "
                           f"reader comment that quotes those words",
                    strict=False,
                ))
            params.append(pytest.param(doc, i, id=f"{Path(doc['id']).stem}-{i}", marks=marks))
    return params or [pytest.param(None, None, id="no-shared-gold")]


@pytest.mark.parametrize("gold_doc,index", _gold_params())
def test_quotes_seed_gold_quote_found(shared: Path, gold_doc: dict[str, Any], index: int) -> None:
    """Covered >80% by a predicted quote with the gold's section, kind, resolved speaker and via chain."""
    gold = gold_doc["quotes"][index]
    doc = _read_seed(gold_doc["id"])
    names = [g["speaker"] for g in gold_doc["quotes"] if g.get("speaker")]
    chain_names = names + [v for g in gold_doc["quotes"] for v in g.get("via", [])]
    halves = [g["content_span"] for g in gold_doc["quotes"]
              if gold.get("part_of") is not None and g.get("part_of") == gold["part_of"]] or [gold["content_span"]]
    candidates = [q for q in doc.quotes if coverage(q.content_spans, [gold["content_span"]]) > 0.8]
    assert candidates, f"nothing covers gold {index} {gold['content'][:60]!r}"
    in_comment = gold["kind"] == "comment"
    candidates = [q for q in candidates if (q.section_kind == "comment") == in_comment]
    assert candidates, f"gold {index} is kind {gold['kind']}, but no covering quote is in a " + (
        "comment" if in_comment else "body") + " section"
    if not in_comment:
        assert any(q.kind == gold["kind"] for q in candidates), _show(candidates)
    if len(halves) > 1:
        assert any(coverage(q.content_spans, halves) > 0.8 for q in candidates), "split quote halves not in ONE quote:\n" + _show(candidates)
    if gold.get("speaker"):
        assert any(name_matches(q.speaker, gold["speaker"], names) for q in candidates), (
            f"speaker {gold['speaker']!r}:\n" + _show(candidates))
    good = [
        q for q in candidates
        if len(q.via) == len(gold["via"]) and all(name_matches(p, g, chain_names) for p, g in zip(q.via, gold["via"]))
    ]
    assert good, f"via {gold['via']!r}:\n" + _show(candidates)


def _not_speech_params() -> list[Any]:
    params = [pytest.param(doc, s, id=f"{Path(doc['id']).stem}-{s[:20]}") for doc in _gold_docs() for s in doc.get("not_speech", [])]
    return params or [pytest.param(None, None, id="no-shared-gold")]


@pytest.mark.parametrize("gold_doc,quoted", _not_speech_params())
def test_quotes_seed_gold_not_speech(shared: Path, gold_doc: dict[str, Any], quoted: str) -> None:
    """A title or scare quote is never reported as quoted words (direct, mixed, block). An indirect
    statement around it stays: "Khamenei accurately cites a catalog of … “crippling” sanctions"
    is Khamenei's claim in the writer's words (the events issue codes it as claimed by him)."""
    doc = _read_seed(gold_doc["id"])
    text = doc.text
    starts = [i for i in range(len(text)) if text.startswith(quoted, i)]
    assert starts
    for start in starts:
        overlapping = [
            q for q in doc.quotes
            if q.kind in MARKED and coverage(q.content_spans, [(start, start + len(quoted))]) > 0
        ]
        assert not overlapping, f"{quoted!r} at {start}:\n" + _show(overlapping)


def test_quotes_seed_gold_scores(shared: Path) -> None:
    gold_docs = _gold_docs()
    predictions = {d["id"]: list(_read_seed(d["id"]).quotes) for d in gold_docs}
    scores = score_quotes(gold_docs, predictions)
    assert scores["direct+mixed"]["0.8"]["r"] >= 0.9, scores["direct+mixed"]
    assert scores["name_accuracy"] == 1.0 and scores["via_accuracy"] == 1.0, scores


# --- HTML blockquotes and the cue model --------------------------------------------------------

BLOCKQUOTE_PAGE = """<html><head><title>Almaty</title></head><body><article>
<p>The foreign minister spoke at length in Munich on Sunday about the prospects for the nuclear talks and what
Iran expects from the six powers before the next round in Almaty this month.</p>
<p>In his speech, Ali Akbar Salehi offered a cautious welcome to the American overture.</p>
<blockquote><p>We have no red line on direct talks, provided the other side comes with honest intentions.</p>
<p>But we will not negotiate under threat.</p></blockquote>
<p>Diplomats in Vienna were not impressed by the speech, which they saw as aimed at a domestic audience.</p>
</article></body></html>"""


def test_quotes_html_blockquote_is_one_block_quote_with_speaker() -> None:
    doc = read_text(BLOCKQUOTE_PAGE, format="html")
    blocks = [q for q in doc.quotes if q.kind == "block"]
    assert len(blocks) == 1
    block = blocks[0]
    assert block.speaker == "Ali Akbar Salehi"
    assert len(block.content_spans) == 2
    assert doc.text[block.content_spans[0][0] : block.content_spans[0][1]].startswith("We have no red line")
    assert doc.text[block.content_spans[1][0] : block.content_spans[1][1]] == "But we will not negotiate under threat."


def test_quotes_html_blockquote_with_marks_is_direct_quote(examples: Path) -> None:
    from backchannel.execution.batch import process
    from backchannel.records import RawInput
    from backchannel.settings import Settings

    raw = RawInput("101.html", (examples / "101_wordpress_blog.html").read_bytes(), "html")
    doc = next(r for r in process([raw], Settings()) if hasattr(r, "quotes"))
    fars = [q for q in doc.quotes if q.content.startswith("Negotiation under pressure")]
    assert len(fars) == 1
    assert fars[0].via == ("Fars News Agency",)
    assert fars[0].speaker_mention == "a senior adviser"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Western officials said that the talks would resume in Geneva next week.", True),
        ("The company has a new office in Tehran and several others in the Gulf.", False),
        ("The ministers walked to the conference hall after a long lunch together.", False),
    ],
    ids=["said-that", "has-something", "walked-to"],
)
def test_quotes_cue_model_separates_speech_from_other_verbs(text: str, expected: bool) -> None:
    doc = read_text(text)
    assert bool([q for q in doc.quotes if q.kind == "indirect"]) is expected, _show(doc.quotes)


def test_quotes_according_to_takes_the_clause_it_follows_or_leads() -> None:
    text = ("Talks will resume next week, according to Reuters, and sanctions will be eased, "
            "according to the Wall Street Journal. According to Reuters, Western diplomats are preparing a new offer.")
    got = sorted((q.speaker, q.content) for q in read_text(text).quotes)
    assert got == [
        ("Reuters", "Talks will resume next week"),
        ("Reuters", "Western diplomats are preparing a new offer"),
        ("The Wall Street Journal", "sanctions will be eased"),
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ("The response he got from Washington in later sessions was “once you meet all our demands we will "
         "reciprocate,” which was a backhanded way of saying no.", "United States government", "response"),
        ("Tehran's answer was “we will never negotiate under pressure.”", "Iran government", "answer"),
    ],
)
def test_copular_answer_quote(text: str, speaker: str, cue: str) -> None:
    """“The response from X was “…””: the noun is the cue, X (a seat of government) the speaker."""
    doc = read_text(text)
    assert [(q.speaker, q.cue) for q in doc.quotes] == [(speaker, cue)]
