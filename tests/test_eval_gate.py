"""CI gate: quote extraction may not fall below the floors pinned in tests/eval/eval_baseline.json."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parent / "eval"


@pytest.fixture(scope="module")
def gate():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(EVAL))
    try:
        import eval_gate
    finally:
        sys.path.remove(str(EVAL))
    for gold in eval_gate.GOLD.values():
        if not gold.exists():
            pytest.skip(f"{gold} is not beside this checkout")
    return eval_gate


def test_eval_gate_scores_stay_above_floors(gate) -> None:  # type: ignore[no-untyped-def]
    floors = json.loads((EVAL / "eval_baseline.json").read_text(encoding="utf-8"))
    assert set(floors) == {"polnear_dev", "seeds"}
    assert gate.compare(gate.current(), floors) == []


def test_eval_gate_compare_reports_regressions(gate) -> None:  # type: ignore[no-untyped-def]
    assert gate.compare({"x": {"f1": 0.5}}, {"x": {"f1": 0.6}}) == ["x.f1: 0.500 < floor 0.60"]
    assert gate.compare({"x": {"f1": 0.7}}, {"x": {"f1": 0.6}}) == []
