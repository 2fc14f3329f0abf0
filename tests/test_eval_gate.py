"""CI gate: quote and event extraction may not fall below the floors pinned in tests/eval/eval_baseline.json."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import missing_data

EVAL = Path(__file__).resolve().parent / "eval"


@pytest.fixture(scope="module")
def code() -> ModuleType:
    """The gate's module, for the tests that need no gold."""
    sys.path.insert(0, str(EVAL))
    try:
        import eval_gate
    finally:
        sys.path.remove(str(EVAL))
    return eval_gate


@pytest.fixture(scope="module")
def gate(code: ModuleType) -> ModuleType:
    """The gate's module, with its gold present (missing gold skips, or fails under CI=true)."""
    if absent := code.missing():
        missing_data(f"eval gold not beside this checkout: {', '.join(map(str, absent))}")
    return code


def test_eval_gate_scores_stay_above_floors(gate: ModuleType) -> None:
    floors = json.loads((EVAL / "eval_baseline.json").read_text(encoding="utf-8"))
    now = gate.current()
    # every scored metric has a floor and every floor is scored: a metric cannot drop out unseen
    assert {c: sorted(m) for c, m in now.items()} == {c: sorted(m) for c, m in floors.items()}
    assert {"overall_f1_30", "event_precision"} <= set(floors["seeds"])
    assert gate.compare(now, floors) == []


def test_eval_gate_compare_reports_regressions(code: ModuleType) -> None:
    assert code.compare({"x": {"f1": 0.5}}, {"x": {"f1": 0.6}}) == ["x.f1: 0.500 < floor 0.60"]
    assert code.compare({"x": {"f1": 0.7}}, {"x": {"f1": 0.6}}) == []
    assert code.compare({"x": {}}, {"x": {"f1": 0.6}}) == ["x.f1: 0.000 < floor 0.60"]  # a metric gone missing fails


def test_eval_gate_event_precision_is_matched_over_predicted(code: ModuleType) -> None:
    assert code.event_precision({"predicted_events": 30, "predicted_matched": 19}) == pytest.approx(19 / 30)
    assert code.event_precision({"predicted_events": 0, "predicted_matched": 0}) is None
