"""The GGT quote scorer: coverage thresholds, one-to-one matching, units, names."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from backchannel.errors import RecordError
from backchannel.evaluation.quotes import (
    coverage,
    detect_format,
    format_report,
    load_gold,
    name_matches,
    normalize_name,
    score_quotes,
)
from backchannel.records import Quote

ROOT = Path(__file__).resolve().parent.parent
SEED_GOLD = ROOT.parent / "shared" / "gold" / "seeds.quotes.jsonl"


def quote(
    spans: Sequence[tuple[int, int]],
    *,
    kind: str = "direct",
    clause: tuple[int, int] | None = None,
    section_kind: str = "body",
    speaker: str | None = None,
    via: Sequence[str] = (),
    mention_span: tuple[int, int] | None = None,
    index: int = 0,
) -> Quote:
    """A predicted Quote with only the fields the scorer reads filled in meaningfully."""
    spans = tuple(spans)
    clause = clause or (min(s for s, _ in spans), max(e for _, e in spans))
    return Quote(
        article_id="a",
        index=index,
        kind=kind,  # type: ignore[arg-type]
        content="",
        content_spans=spans,
        clause_span=clause,
        section=0,
        section_kind=section_kind,  # type: ignore[arg-type]
        start_char=clause[0],
        end_char=clause[1],
        speaker=speaker,
        speaker_mention_span=mention_span,
        via=tuple(via),
    )


def gq(
    start: int,
    end: int,
    *,
    kind: str = "direct",
    speaker: str | None = "Vali Nasr",
    via: Sequence[str] = (),
    optional: bool = False,
    part_of: str | None = None,
) -> dict[str, Any]:
    """One seed-format gold quotation."""
    return {
        "content": "x" * (end - start),
        "content_span": [start, end],
        "speaker": speaker,
        "speaker_mention": speaker,
        "cue": "said",
        "kind": kind,
        "via": list(via),
        "optional": optional,
        "part_of": part_of,
    }


def seed_doc(*quotes: dict[str, Any], doc_id: str = "d1") -> dict[str, Any]:
    return {"id": doc_id, "file": f"seeds/{doc_id}", "body_end": 10_000, "n_comments": 0, "quotes": list(quotes), "not_speech": []}


def pn(fragments: Sequence[tuple[int, int]], *, type_: str = "indirect", speaker_span: tuple[int, int] | None = (0, 3), no_source: bool = False) -> dict[str, Any]:
    """One PolNeAR-format gold attribution."""
    return {
        "content": "",
        "content_span": [fragments[0][0], fragments[-1][1]],
        "content_fragments": [list(f) for f in fragments],
        "speaker": "he",
        "speaker_span": list(speaker_span) if speaker_span else None,
        "cue": "said",
        "cue_span": [4, 8],
        "type": type_,
        "no_source": no_source,
    }


def polnear_doc(*quotes: dict[str, Any], doc_id: str = "p1") -> dict[str, Any]:
    return {"id": doc_id, "text": "x" * 1000, "quotes": list(quotes)}


def overall(scores: dict[str, Any], threshold: str = "0.3") -> tuple[float | None, float | None, float | None]:
    row = scores["overall"][threshold]
    return row["p"], row["r"], row["f1"]


# ----------------------------------------------------------------------------- spans


@pytest.mark.parametrize(
    ("pred", "gold", "expected"),
    [
        ([(0, 10)], [(0, 10)], 1.0),
        ([(0, 5)], [(0, 10)], 0.5),
        ([(0, 4), (6, 10)], [(0, 10)], 0.8),
        ([(0, 6), (3, 8)], [(0, 10)], 0.8),  # overlapping predicted spans count once
        ([(20, 30)], [(0, 10)], 0.0),
        ([(0, 100)], [(10, 20), (40, 50)], 1.0),
        ([(0, 5)], [], 0.0),
    ],
)
def test_evaluate_coverage_is_share_of_gold_chars(pred: list[tuple[int, int]], gold: list[tuple[int, int]], expected: float) -> None:
    assert coverage(pred, gold) == pytest.approx(expected)


# ----------------------------------------------------------------------------- matching


def test_evaluate_perfect_predictions_score_one() -> None:
    gold = [seed_doc(gq(0, 20), gq(30, 60, kind="mixed"), gq(100, 200, kind="block"))]
    preds = {"d1": [quote([(0, 20)]), quote([(30, 60)], kind="mixed"), quote([(100, 200)], kind="block")]}
    scores = score_quotes(gold, preds)
    assert scores["format"] == "seed"
    for threshold in ("0.3", "0.8"):
        assert overall(scores, threshold) == (1.0, 1.0, 1.0)
        assert scores["direct+mixed"][threshold] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert scores["counts"]["n_gold"] == 3
    assert scores["counts"]["n_pred"] == 3
    assert scores["counts"]["matched"] == {"0.3": 3, "0.8": 3}


@pytest.mark.parametrize(
    ("pred_span", "found_loose", "found_strict"),
    [
        ((0, 50), True, False),  # 50%: found at 0.3, not at 0.8
        ((0, 30), False, False),  # exactly 30%: "more than" is strict
        ((0, 31), True, False),
        ((0, 80), True, False),  # exactly 80% is not more than 80%
        ((0, 81), True, True),
        ((50, 150), True, False),  # over-long prediction still covers 50%
    ],
)
def test_evaluate_coverage_thresholds(pred_span: tuple[int, int], found_loose: bool, found_strict: bool) -> None:
    scores = score_quotes([seed_doc(gq(0, 100))], {"d1": [quote([pred_span])]})
    assert scores["overall"]["0.3"]["r"] == float(found_loose)
    assert scores["overall"]["0.8"]["r"] == float(found_strict)
    assert scores["overall"]["0.3"]["p"] == float(found_loose)


def test_evaluate_one_prediction_cannot_match_two_gold() -> None:
    gold = [seed_doc(gq(0, 10), gq(10, 20))]
    scores = score_quotes(gold, {"d1": [quote([(0, 20)])]})
    assert overall(scores) == (1.0, 0.5, pytest.approx(2 / 3))
    assert scores["counts"]["matched"]["0.3"] == 1


def test_evaluate_greedy_picks_highest_coverage_for_each_gold() -> None:
    # gold 1 could take either prediction; it must take the better one and leave the other
    gold = [seed_doc(gq(0, 10), gq(10, 30))]
    preds = {"d1": [quote([(5, 30)], index=0), quote([(0, 10)], index=1)]}
    assert overall(score_quotes(gold, preds)) == (1.0, 1.0, 1.0)


def test_evaluate_unmatched_prediction_lowers_precision() -> None:
    scores = score_quotes([seed_doc(gq(0, 10))], {"d1": [quote([(0, 10)]), quote([(50, 60)])]})
    assert overall(scores) == (0.5, 1.0, pytest.approx(2 / 3))


@pytest.mark.parametrize(
    ("preds", "expected"),
    [
        ([quote([(0, 10)])], (1.0, 1.0)),  # required found, optional missed: no penalty
        ([quote([(0, 10)]), quote([(50, 60)])], (1.0, 1.0)),  # prediction on optional: not counted
        ([quote([(50, 60)])], (None, 0.0)),  # only the optional found: no reward
        ([quote([(0, 10)]), quote([(50, 60)]), quote([(80, 90)])], (0.5, 1.0)),
    ],
)
def test_evaluate_optional_gold_neither_rewards_nor_punishes(preds: list[Quote], expected: tuple[float | None, float]) -> None:
    gold = [seed_doc(gq(0, 10), gq(50, 60, optional=True))]
    scores = score_quotes(gold, {"d1": preds})
    assert (scores["overall"]["0.3"]["p"], scores["overall"]["0.3"]["r"]) == expected
    assert scores["counts"]["n_gold"] == 1
    assert scores["counts"]["n_optional"] == 1


def test_evaluate_optional_gold_never_takes_a_prediction_from_required_gold() -> None:
    # the optional item comes first in the text and overlaps the only prediction
    gold = [seed_doc(gq(0, 40, optional=True), gq(5, 40))]
    scores = score_quotes(gold, {"d1": [quote([(5, 40)])]})
    assert overall(scores) == (1.0, 1.0, 1.0)
    assert scores["counts"]["optional_matched"]["0.3"] == 0


def test_evaluate_part_of_halves_merge_into_one_gold_item() -> None:
    gold = [seed_doc(gq(0, 10, part_of="s"), gq(20, 60, part_of="s"))]
    whole = score_quotes(gold, {"d1": [quote([(0, 10), (20, 60)])]})
    assert whole["counts"]["n_gold"] == 1
    assert overall(whole, "0.8") == (1.0, 1.0, 1.0)
    # two separate predictions: the bigger half is found (40/50 chars), the other is spurious
    halves = score_quotes(gold, {"d1": [quote([(0, 10)]), quote([(20, 60)])]})
    assert overall(halves) == (0.5, 1.0, pytest.approx(2 / 3))
    assert halves["overall"]["0.8"]["r"] == 0.0


def test_evaluate_missing_documents_predict_nothing() -> None:
    gold = [seed_doc(gq(0, 10)), seed_doc(gq(0, 10), doc_id="d2")]
    scores = score_quotes(gold, {"d1": [quote([(0, 10)])]})
    assert overall(scores) == (1.0, 0.5, pytest.approx(2 / 3))
    assert scores["counts"]["documents_without_predictions"] == 1


def test_evaluate_doc_key_selects_the_gold_field() -> None:
    gold = [seed_doc(gq(0, 10))]
    scores = score_quotes(gold, {"seeds/d1": [quote([(0, 10)])]}, doc_key="file")
    assert overall(scores) == (1.0, 1.0, 1.0)
    scores = score_quotes(gold, {"D1": [quote([(0, 10)])]}, doc_key=lambda d: d["id"].upper())
    assert overall(scores) == (1.0, 1.0, 1.0)


# ----------------------------------------------------------------------------- kinds


def test_evaluate_by_kind_recall_and_direct_mixed_group() -> None:
    gold = [seed_doc(gq(0, 10), gq(20, 30, kind="mixed"), gq(40, 50, kind="block"), gq(60, 70, kind="comment"))]
    preds = {
        "d1": [
            quote([(0, 10)]),  # direct found
            quote([(40, 50)], kind="block"),  # block found: outside the group
            quote([(100, 110)], kind="block"),  # spurious block: counts against direct
            quote([(120, 130)], kind="indirect"),  # spurious indirect: not in the group
            quote([(140, 150)], section_kind="comment"),  # spurious comment quote: not in the group
        ]
    }
    scores = score_quotes(gold, preds)
    by_kind = scores["by_kind"]
    assert list(by_kind) == ["direct", "mixed", "block", "indirect", "comment"]
    assert by_kind["direct"]["0.3"] == {"found": 1, "r": 1.0}
    assert by_kind["mixed"]["0.3"] == {"found": 0, "r": 0.0}
    assert by_kind["block"]["0.8"]["r"] == 1.0
    assert by_kind["indirect"] == {"n_gold": 0, "0.3": {"found": 0, "r": None}, "0.8": {"found": 0, "r": None}}
    assert by_kind["comment"]["0.3"]["r"] == 0.0
    group = scores["direct+mixed"]["0.3"]
    assert (group["p"], group["r"]) == (0.5, 0.5)
    assert overall(scores)[:2] == (0.4, 0.5)


# ----------------------------------------------------------------------------- PolNeAR


def test_evaluate_polnear_groups_predictions_by_clause_span() -> None:
    gold = [polnear_doc(pn([(10, 60)], type_="mixed"), pn([(100, 150)], type_="indirect"))]
    clause = (10, 60)
    preds = {
        "p1": [
            # two quoted fragments of one clause: one attribution, chars = the clause
            quote([(20, 25)], kind="mixed", clause=clause, index=0),
            quote([(40, 45)], kind="mixed", clause=clause, index=1, mention_span=(0, 2)),
            quote([(100, 150)], kind="indirect", index=2, mention_span=(200, 210)),
        ]
    }
    scores = score_quotes(gold, preds)
    assert scores["format"] == "polnear"
    assert scores["counts"]["n_pred"] == 2
    assert overall(scores, "0.8") == (1.0, 1.0, 1.0)
    assert scores["by_kind"]["mixed"]["0.8"]["r"] == 1.0
    assert scores["direct+mixed"]["0.3"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert scores["speaker_span_match"] == 0.5  # the clause's mention overlaps; the other does not
    assert scores["name_accuracy"] is None


def test_evaluate_polnear_gold_chars_are_the_fragments() -> None:
    # a split attribution: the envelope (0, 100) includes the writer's "he said" in the middle
    gold = [polnear_doc(pn([(0, 40), (60, 100)], type_="direct"))]
    assert overall(score_quotes(gold, {"p1": [quote([(0, 40)], clause=(0, 40))]}))[1] == 1.0
    assert score_quotes(gold, {"p1": [quote([(0, 40)], clause=(0, 40))]})["overall"]["0.8"]["r"] == 0.0
    assert score_quotes(gold, {"p1": [quote([(0, 100)], clause=(0, 100))]})["overall"]["0.8"]["r"] == 1.0


def test_evaluate_polnear_speaker_span_skips_gold_without_source() -> None:
    gold = [polnear_doc(pn([(10, 60)], speaker_span=None, no_source=True), pn([(100, 150)], speaker_span=(90, 95)))]
    preds = {"p1": [quote([(10, 60)], index=0), quote([(100, 150)], index=1, mention_span=(92, 99))]}
    scores = score_quotes(gold, preds)
    assert scores["speaker_span_match"] == 1.0
    assert scores["counts"]["speaker_span_pairs"] == 1


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (seed_doc(gq(0, 10)), "seed"),
        (polnear_doc(pn([(0, 10)])), "polnear"),
        (polnear_doc(), "polnear"),
    ],
)
def test_evaluate_detect_format(doc: dict[str, Any], expected: str) -> None:
    assert detect_format(doc) == expected


def test_evaluate_detect_format_rejects_other_lines() -> None:
    with pytest.raises(ValueError, match="neither"):
        detect_format({"id": "x", "quotes": []})


# ----------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("pred", "gold", "others", "expected"),
    [
        ("Mahmoud Ahmadinejad", "Mahmoud Ahmadinejad", [], True),
        ("mahmoud AHMADINEJAD", "Mahmoud Ahmadinejad", [], True),
        ("Ahmadinejad", "Mahmoud Ahmadinejad", ["Mahmoud Ahmadinejad", "Ali Khamenei"], True),
        ("President Ahmadinejad", "Mahmoud Ahmadinejad", [], True),
        ("Ayatollah Ali Khamenei", "Ali Khamenei", [], True),
        ("Supreme Leader Ali Khamenei", "Ali Khamenei", [], True),
        ("Khamenei’s", "Ali Khamenei", [], True),
        ("Mr. Walt", "Stephen Walt", [], True),
        ("Dr Vali Nasr", "Vali Nasr", [], True),
        ("Sheikh Hassan Nasrallah", "Hassan Nasrallah", [], True),
        ("Iran’s Intelligence Ministry", "Iranian Intelligence Ministry", [], True),
        ("Iran's Intelligence Ministry", "Iranian Intelligence Ministry", [], True),
        ("the U.S. State Department", "American State Department", [], True),
        ("Sadeghi-Boroujerdi", "Eskandar Sadeghi-Boroujerdi", [], True),
        ("The New York Times", "New York Times", [], True),
        ("Larijani", "Sadeq Larijani", ["Sadeq Larijani"], True),
        # negatives
        ("Larijani", "Sadeq Larijani", ["Mohammad Javad Larijani", "Sadeq Larijani"], False),
        ("Larijani", "Mohammad Javad Larijani", ["Mohammad Javad Larijani", "Sadeq Larijani"], False),
        ("Sadeq", "Sadeq Larijani", [], False),  # a first name alone is not tolerated
        ("Paul Pillar", "Vali Nasr", [], False),
        ("Iraqi Intelligence Ministry", "Iranian Intelligence Ministry", [], False),
        ("Khamenei", "Ali Larijani", [], False),
        (None, "Vali Nasr", [], False),
        ("", "Vali Nasr", [], False),
        ("President", "Mahmoud Ahmadinejad", [], False),
    ],
)
def test_evaluate_name_matches(pred: str | None, gold: str, others: list[str], expected: bool) -> None:
    assert name_matches(pred, gold, others) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("The New York Times", "new york times"),
        ("Iran’s Intelligence Ministry", "iran intelligence ministry"),
        ("Former President Dr. Hassan Rouhani", "hassan rouhani"),
        ("Iran", "iran"),  # a bare country stays itself
        ("President", "president"),  # a title alone is kept rather than emptied
        ("Reuters'", "reuters"),
    ],
)
def test_evaluate_normalize_name(name: str, expected: str) -> None:
    assert normalize_name(name) == expected


def test_evaluate_name_and_via_accuracy() -> None:
    gold = [
        seed_doc(
            gq(0, 10, speaker="Mohammad Javad Larijani", via=["The New York Times", "Mehr News Agency"]),
            gq(20, 30, speaker="Sadeq Larijani", via=["Eskandar Sadeghi-Boroujerdi"]),
            gq(40, 50, speaker=None),
            gq(60, 70, speaker="Mahmoud Ahmadinejad"),
        )
    ]
    preds = {
        "d1": [
            quote([(0, 10)], speaker="Mohammad Javad Larijani", via=["New York Times", "Mehr News Agency"]),
            quote([(20, 30)], speaker="Larijani", via=["Mehr News Agency"]),  # ambiguous surname; wrong via
            quote([(40, 50)], speaker="Someone"),  # gold speaker null: skipped
            quote([(60, 70)], speaker="Ahmadinejad"),
        ]
    }
    scores = score_quotes(gold, preds)
    assert scores["name_accuracy"] == pytest.approx(2 / 3)
    assert scores["counts"]["name_pairs"] == 3
    assert scores["via_accuracy"] == 0.5
    assert scores["counts"]["via_pairs"] == 2
    assert scores["speaker_span_match"] is None


@pytest.mark.parametrize(
    ("pred_via", "expected"),
    [
        (["The New York Times", "Mehr News Agency"], 1.0),
        (["Mehr News Agency", "The New York Times"], 0.0),  # order matters
        (["The New York Times"], 0.0),
        ([], 0.0),
    ],
)
def test_evaluate_via_order_and_length(pred_via: list[str], expected: float) -> None:
    gold = [seed_doc(gq(0, 10, via=["New York Times", "Mehr News Agency"]))]
    scores = score_quotes(gold, {"d1": [quote([(0, 10)], speaker="Vali Nasr", via=pred_via)]})
    assert scores["via_accuracy"] == expected


# ----------------------------------------------------------------------------- I/O and report


def test_evaluate_load_gold_reads_both_formats(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(seed_doc(gq(0, 10))) + "\n\n" + json.dumps(polnear_doc(pn([(0, 5)]))) + "\n", encoding="utf-8")
    docs = load_gold(path)
    assert [detect_format(d) for d in docs] == ["seed", "polnear"]
    assert score_quotes(docs, {})["format"] == "mixed"


def test_evaluate_load_gold_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(seed_doc()) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(RecordError, match="line 2"):
        load_gold(path)
    path.write_text(json.dumps({"id": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        load_gold(path)


def test_evaluate_result_is_json_and_report_is_a_table() -> None:
    gold = [seed_doc(gq(0, 10, via=["Reuters"]), gq(20, 30, optional=True))]
    scores = score_quotes(gold, {"d1": [quote([(0, 10)], speaker="Nasr", via=["Reuters"]), quote([(200, 210)])]})
    assert json.loads(json.dumps(scores)) == scores
    assert set(scores) == {
        "format", "overall", "by_kind", "direct+mixed", "speaker_span_match", "name_accuracy", "via_accuracy", "counts"
    }
    report = format_report(scores)
    assert "overall @0.3" in report and "direct+mixed @0.8" in report
    assert "resolved-name accuracy" in report and "via accuracy" in report
    assert "0.500" in report  # precision at 0.3
    empty = format_report(score_quotes([seed_doc()], {}))
    assert "—" in empty


# ----------------------------------------------------------------------------- real gold


def gold_as_predictions(doc: dict[str, Any], *, with_optional: bool) -> list[Quote]:
    """The gold quotations of one seed document turned into predicted Quotes."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for i, q in enumerate(doc["quotes"]):
        if q["optional"] and not with_optional:
            continue
        groups.setdefault(q["part_of"] or i, []).append(q)
    preds = []
    for i, parts in enumerate(groups.values()):
        first = parts[0]
        preds.append(
            quote(
                [tuple(q["content_span"]) for q in parts],
                kind="direct" if first["kind"] == "comment" else first["kind"],
                section_kind="comment" if first["kind"] == "comment" else "body",
                speaker=first["speaker"],
                via=first["via"],
                index=i,
            )
        )
    return preds


@pytest.mark.parametrize("with_optional", [False, True])
def test_evaluate_real_seed_gold_scores_itself_perfectly(with_optional: bool) -> None:
    if not SEED_GOLD.exists():
        pytest.skip(f"{SEED_GOLD} is not beside this checkout")
    docs = load_gold(SEED_GOLD)
    preds = {doc["id"]: gold_as_predictions(doc, with_optional=with_optional) for doc in docs}
    scores = score_quotes(docs, preds)
    assert scores["format"] == "seed"
    for threshold in ("0.3", "0.8"):
        assert overall(scores, threshold) == (1.0, 1.0, 1.0)
        assert scores["direct+mixed"][threshold] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert scores["name_accuracy"] == 1.0
    assert scores["via_accuracy"] == 1.0
    assert scores["counts"]["n_gold"] > 0
