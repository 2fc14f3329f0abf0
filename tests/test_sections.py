import pytest

from backchannel.inputs.sections import split_plain_text

THREAD = """Title

Body paragraph one with enough words to be an article body.

Body paragraph two.

3 thoughts on “Title”

  1. First comment.
    More of it.

    1. A reply to the first.

  2. Jane Doe says:
    Second comment with an author line.

Leave a Reply
"""


def test_sections_numbered_thread_with_reply_and_author() -> None:
    spans = split_plain_text(THREAD)
    assert [s.kind for s in spans] == ["body", "comment", "comment", "comment"]
    body = spans[0]
    assert THREAD[body.end :].startswith("3 thoughts on")
    first, reply, second = spans[1:]
    assert THREAD[first.start : first.end] == "First comment.\n    More of it."
    assert (reply.parent, reply.label) == (1, "1.1")
    assert THREAD[reply.start : reply.end] == "A reply to the first."
    assert (second.author, second.parent, second.label) == ("Jane Doe", None, "2")
    assert THREAD[second.start : second.end] == "Second comment with an author line."
    assert "Leave a Reply" not in THREAD[second.start : second.end]


@pytest.mark.parametrize(
    "text",
    [
        "Just an article.\n\nWith two paragraphs and no thread.\n",
        "An article that mentions 20 thoughts on “war” inside a sentence, not on its own line.\n",
    ],
)
def test_sections_no_thread_is_all_body(text: str) -> None:
    assert [(s.kind, s.start, s.end) for s in split_plain_text(text)] == [("body", 0, len(text))]


def test_sections_boilerplate_belongs_to_neither() -> None:
    text = "Article text here, long enough to count as the body of a blog post.\n\n\nLeave a Reply"
    spans = split_plain_text(text)
    assert len(spans) == 1 and spans[0].end == text.index("Leave a Reply")


@pytest.mark.parametrize("name", ["000_fd5ae7baf4eaa798.txt", "003_b51af508a57a262d.txt"])
def test_sections_seed_gold_body_end_and_comment_count(shared, name: str) -> None:  # type: ignore[no-untyped-def]
    import json

    lines = (shared / "gold" / "seeds.quotes.jsonl").read_text(encoding="utf-8").splitlines()
    gold = {d["id"]: d for d in map(json.loads, lines)}[name]
    text = (shared / "seeds" / name).read_text(encoding="utf-8")
    spans = split_plain_text(text)
    assert spans[0].kind == "body" and spans[0].end == gold["body_end"]
    assert sum(1 for s in spans if s.kind == "comment") == gold["n_comments"]


def test_sections_long_thread_after_short_body() -> None:
    text = "Title\n\nShort body.\n\n300 Comments\n\n" + "".join(f"  {i}. comment number {i} text here.\n\n" for i in range(1, 301))
    spans = split_plain_text(text)
    assert [s.kind for s in spans].count("comment") == 300
    assert spans[0].end == text.index("300 Comments")


@pytest.mark.parametrize(
    "text",
    [
        "Title\n\nIntro paragraph of the article.\n\nDiscussion\n\nThe analysis continues in the writer's own words. " * 3,
        "Title\n\nFirst part of the article.\n\nShare this:\n\nThe article goes on after a share widget. " + "More body. " * 300,
    ],
    ids=["bare-subheading", "mid-article-share-widget"],
)
def test_sections_subheadings_and_widgets_inside_the_article_stay_body(text: str) -> None:
    spans = split_plain_text(text)
    assert [(s.kind, s.start, s.end) for s in spans] == [("body", 0, len(text))]
