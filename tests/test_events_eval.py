"""Acceptance: the seed gold events, and the sentence-level set built from the PLOVER manual.

Seeds (``../shared/gold/seeds.events.jsonl``): every non-optional event must be found with the
right type and actor/recipient countries, modality and claimant. Events still missed are
marked xfail with the reason, one by one, so a fix shows up as an XPASS.

Sentences (``tests/data/plover_sentences.jsonl``, built from the manual's examples, in a dev and
a test half, and ``plover_sentences_dev2.jsonl``, a second development set): the issue's targets,
event-type F1 >= 0.80 and type+actor+recipient F1 >= 0.70, on each.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from backchannel.api import evaluate_events

HERE = Path(__file__).resolve().parent
SENTENCES = HERE / "data" / "plover_sentences.jsonl"
DEV2 = HERE / "data" / "plover_sentences_dev2.jsonl"
DEV3 = HERE / "data" / "plover_sentences_dev3.jsonl"
#: (file, split): the first set's dev half and the second and third sets were used to develop the
#: rules (the third was scored once, unseen, at 0.717 actor+recipient F1 before it was read); the
#: first set's test half was not looked at sentence by sentence
SETS = {"dev": (SENTENCES, "dev"), "dev2": (DEV2, None), "dev3": (DEV3, None), "test": (SENTENCES, "test")}
SEED_GOLD = HERE.parent.parent / "shared" / "gold" / "seeds.events.jsonl"

#: (document, trigger) → why we still miss it
KNOWN_MISSES: dict[tuple[str, str], str] = {}


def _seed_gold() -> list[tuple[str, dict[str, Any]]]:
    if not SEED_GOLD.exists():
        return []
    out = []
    for line in SEED_GOLD.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        out += [(doc["id"], g) for g in doc["events"] if not g.get("optional")]
    return out


@pytest.fixture(scope="module")
def seed_scores(shared: Path) -> dict[str, Any]:
    return evaluate_events(shared / "gold" / "seeds.events.jsonl")


@pytest.mark.parametrize(
    ("doc", "gold"),
    [
        pytest.param(d, g, id=f"{d[:3]}-{g['event']}-{g['trigger'][:30]}",
                     marks=[pytest.mark.xfail(reason=KNOWN_MISSES[(d[:3], g["trigger"])], strict=True)]
                     if (d[:3], g["trigger"]) in KNOWN_MISSES else [])
        for d, g in _seed_gold()
    ] or [pytest.param(None, None, id="no-shared-gold")],  # requests `shared`: fails under CI=true, else skips
)
def test_seed_event(seed_scores: dict[str, Any], doc: str, gold: dict[str, Any]) -> None:
    detail = next(x for x in seed_scores["details"] if x["doc"] == doc and x["trigger"] == gold["trigger"])
    assert detail["found"], f"not found: {gold['event']} {gold['trigger']!r}"
    assert detail["modality_ok"], f"modality {detail['predicted']['modality']} != {gold['modality']}"
    assert detail["claimant_ok"], f"claimed_by {detail['predicted']['claimed_by']} != {gold['claimed_by']}"


@cache
def _scores(split: str) -> dict[str, Any]:
    """One scoring per set, shared by the target and floor tests."""
    return evaluate_events(SETS[split][0], split=SETS[split][1])


@pytest.mark.parametrize("split", ["dev", "dev2", "dev3", "test"])
def test_sentence_level_event_type_target(split: str) -> None:
    scores = _scores(split)
    assert scores["sentences"] > 90
    assert scores["type"]["f1"] >= 0.80, scores["type"]


@pytest.mark.parametrize(
    "split",
    [
        "dev",
        "dev2",
        "dev3",
        # the held-out half: 0.68 before the entity layer and knowledge base, 0.703 after (dev 0.89, dev2 0.79, dev3 0.72)
        "test",
    ],
)
def test_sentence_level_actor_recipient_target(split: str) -> None:
    scores = _scores(split)
    assert scores["type_actor_recipient"]["f1"] >= 0.70, scores["type_actor_recipient"]


def test_sentence_level_actor_recipient_floor_on_test() -> None:
    """The held-out half meets the 0.70 target (above) at 0.703, a hair over it; this floor says how far
    a wobble may go before it is a collapse."""
    scores = _scores("test")
    assert scores["type_actor_recipient"]["f1"] >= 0.66, scores["type_actor_recipient"]
