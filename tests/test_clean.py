"""Decoding and cleaning: offsets stay exact, bad input fails with a one-line, named error."""

from __future__ import annotations

import random

import pytest

from backchannel.errors import BinaryInputError, EmptyInputError, EncodingError, InputError, LanguageError, MarkupError
from backchannel.inputs.clean import clean, decode, extract_html
from backchannel.records import RawInput
from backchannel.settings import Settings

SENTENCE = "The minister’s “talks” in Genève — the café owner said\u00a0no. "


@pytest.mark.parametrize(
    ("encoding", "expected_name"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1252", "cp1252")],
)
def test_clean_decode_keeps_text_exactly(encoding: str, expected_name: str) -> None:
    text = SENTENCE * 12
    decoded, name = decode(text.encode(encoding), "x.txt")
    assert decoded == text
    assert name == expected_name
    assert "\u00a0" in decoded


def test_clean_decode_latin1_and_cyrillic() -> None:
    latin = "Le ministre a déclaré que la réunion était prévue à Genève la semaine prochaine. " * 4
    assert decode(latin.encode("latin-1"), "fr.txt")[0] == latin
    russian = "Министр иностранных дел заявил о переговорах с Соединёнными Штатами. " * 4
    assert decode(russian.encode("koi8-r"), "ru.txt")[0] == russian


@pytest.mark.parametrize(
    ("data", "error", "code"),
    [
        (b"", EmptyInputError, "E101"),
        (b"   \n\t\n", EmptyInputError, "E101"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", BinaryInputError, "E102"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", BinaryInputError, "E102"),
        (b"text\x00with\x00nuls\x00" * 10, BinaryInputError, "E102"),
        (random.Random(1).randbytes(3000), BinaryInputError, "E102"),
        (bytes(b | 0x80 for b in random.Random(2).randbytes(3000)), EncodingError, "E103"),
        (b"\xef\xbb\xbf" + "a “quote” ".encode() * 20 + b"\xc3\x28", EncodingError, "E103"),
        ("valid “utf-8” text ".encode() * 50 + b"\xff\xfe\xfa\x81", EncodingError, "E103"),
    ],
    ids=["empty", "whitespace", "pdf", "png", "nul-bytes", "random-bytes", "random-high-bytes", "bad-after-bom", "damaged-utf8"],
)
def test_clean_decode_bad_input_names_file_and_problem(data: bytes, error: type, code: str) -> None:
    with pytest.raises(error) as info:
        decode(data, "bad/input.txt")
    message = str(info.value)
    assert info.value.code == code
    assert message.startswith("bad/input.txt: ")
    assert "\n" not in message


def test_clean_non_english_is_refused_not_parsed() -> None:
    german = (
        "Der iranische Außenminister hat am Sonntag erklärt, dass die Gespräche mit den Vereinigten "
        "Staaten fortgesetzt werden könnten, wenn die Sanktionen gelockert würden. Die Regierung in "
        "Washington reagierte zurückhaltend auf die Äußerungen des Ministers."
    )
    raw = RawInput("de.txt", german.encode(), "txt")
    with pytest.raises(LanguageError) as info:
        clean(raw, Settings())
    assert info.value.code == "E108" and "'de'" in str(info.value)
    assert clean(raw, Settings(languages=("en", "de"))).language == "de"


def test_clean_short_text_is_not_language_checked() -> None:
    assert clean(RawInput("s.txt", b"Ja.", "txt"), Settings()).language == "en"


def test_clean_html_truncated_keeps_text_with_warning(examples) -> None:  # type: ignore[no-untyped-def]
    html = (examples / "101_wordpress_blog.html").read_bytes()
    cut = html[: html.index(b"Leave a Reply")]
    cleaned = clean(RawInput("cut.html", cut, "html"), Settings())
    assert [code for code, _ in cleaned.warnings] == ["E113"]
    assert "Salehi" in cleaned.text


def test_clean_html_truncated_before_any_text_fails() -> None:
    with pytest.raises(MarkupError) as info:
        clean(RawInput("stub.html", b"<html><head><title>x</title></head><body><div class=", "html"), Settings())
    assert info.value.code == "E105"


def test_clean_html_comments_are_separate_sections(examples) -> None:  # type: ignore[no-untyped-def]
    html = (examples / "101_wordpress_blog.html").read_text(encoding="utf-8")
    page = extract_html(html, "101.html")
    text, spans, meta = page.text, page.sections, page.meta
    kinds = [s.kind for s in spans]
    assert kinds == ["body"] + ["comment"] * 5
    comments = spans[1:]
    assert [c.author for c in comments] == ["Maryam Karimi", "Tom Whitfield", "Reza Farahani", "J. Alvarez", "Sandra Holt"]
    assert [c.parent for c in comments] == [None, 1, 2, None, None]
    body = text[spans[0].start : spans[0].end]
    assert "Recent Comments" not in body and "Leave a Reply" not in body
    assert meta["author"] == "Daniel Rourke" and meta["date"] == "2013-02-12" and meta["outlet"] == "The Vienna Track"


def test_clean_html_other_comment_markup(examples) -> None:  # type: ignore[no-untyped-def]
    html = (examples / "102_news_site.html").read_text(encoding="utf-8")
    spans = extract_html(html, "102.html").sections
    comments = [s for s in spans if s.kind == "comment"]
    assert [c.author for c in comments] == ["Dariush M.", "KevinB_DC", "Lena Okafor", "Peter Vance"]
    assert [c.parent for c in comments] == [None, 1, None, None]


def test_clean_html_without_comments(examples) -> None:  # type: ignore[no-untyped-def]
    page = extract_html((examples / "103_no_comments.html").read_text(encoding="utf-8"), "103.html")
    spans, meta = page.sections, page.meta
    assert [s.kind for s in spans] == ["body"]
    assert meta["author"] == "Eleanor Marsh"


def test_clean_errors_are_input_errors() -> None:
    assert issubclass(LanguageError, InputError) and issubclass(InputError, ValueError)


def test_clean_html_blockquote_spans(examples) -> None:  # type: ignore[no-untyped-def]
    page = extract_html((examples / "101_wordpress_blog.html").read_text(encoding="utf-8"), "101.html")
    assert len(page.blockquotes) == 1
    start, end = page.blockquotes[0]
    assert page.text[start:end].startswith("“Negotiation under pressure is not negotiation.")
