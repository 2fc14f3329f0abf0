import pytest

from backchannel.inputs.clean import clean
from backchannel.pipeline.document import analyze
from backchannel.records import RawInput
from backchannel.settings import Settings


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("“we will negotiate even in the depths of hell,”Mohammad Javad Larijani said on Monday.", "Mohammad Javad Larijani"),
        ("He said “talks are possible”Ali Akbar Salehi added later that week.", "Ali Akbar Salehi"),
    ],
)
def test_parse_glued_quote_does_not_swallow_name(nlp, text: str, entity: str) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    assert entity in [e.text for e in doc.ents]
    assert doc.text == text


def test_parse_analyze_clips_to_sections(nlp, examples) -> None:  # type: ignore[no-untyped-def]
    raw = RawInput("000.txt", (examples / "000_fd5ae7baf4eaa798.txt").read_bytes(), "txt")
    cleaned = clean(raw, Settings())
    doc = analyze(cleaned, nlp(cleaned.text))
    by_index = {s.index: s for s in doc.sections}
    for sent in doc.sentences:
        section = by_index[sent.section]
        assert section.start_char <= sent.start_char < sent.end_char <= section.end_char
    for ent in doc.entities:
        assert doc.text[ent.start_char : ent.end_char] == ent.text
        section = by_index[ent.section]
        assert section.start_char <= ent.start_char and ent.end_char <= section.end_char
    # the thread header ("20 thoughts on “…”") is in no section, so nothing in it is an entity
    header = cleaned.text.index("20 thoughts on")
    assert not any(header <= e.start_char < header + 80 for e in doc.entities)


def test_parse_blank_line_ends_a_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    """A headline without a full stop must not become the subject of the body's first sentence."""
    assert nlp.pipe_names.index("bc_paragraph_breaks") < nlp.pipe_names.index("parser")
    doc = nlp("Talks in Geneva\n\nIran's foreign minister said on Monday that talks would resume.\nThey did.")
    starts = [s.text.strip() for s in doc.sents]
    assert starts[0] == "Talks in Geneva"
    assert starts[1].startswith("Iran's foreign minister said")
    assert not any(t.dep_ == "nsubj" and t.text == "Talks" for t in doc)
