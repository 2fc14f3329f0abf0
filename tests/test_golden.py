"""Golden files: sections and entities of the seed articles, reviewed in the diff.

Rewrite with ``pytest --update-golden`` after a deliberate change, and read the diff. A missing
golden file fails the test: locally it is written first (review it and run again), under
``CI=true`` it is not written at all, since nothing there would review it.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from backchannel.api import read_text
from backchannel.settings import Settings

from .conftest import EXAMPLES, GOLDEN, in_ci

CASES = ["000_fd5ae7baf4eaa798", "003_b51af508a57a262d"]


def _records(name: str) -> list[dict[str, object]]:
    text = (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")
    doc = read_text(text, source=f"{name}.txt", settings=Settings())
    out: list[dict[str, object]] = []
    for section in doc.sections:
        row = {k: v for k, v in asdict(section).items() if k not in ("article_id", "index")}
        out.append({"type": "section", **row, "head": doc.text[section.start_char : section.start_char + 40]})
    for ent in doc.entities:
        out.append({"type": "entity", "text": ent.text, "label": ent.label, "section": ent.section,
                    "start_char": ent.start_char, "end_char": ent.end_char})
    return out


def _write(path: Path, records: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


@pytest.mark.parametrize("name", CASES)
def test_golden_sections_and_entities(name: str, update_golden: bool) -> None:
    path = GOLDEN / f"{name}.expected.jsonl"
    got = _records(name)
    if update_golden:
        _write(path, got)
    elif not path.exists():
        if in_ci():
            pytest.fail(f"{path} is missing; run pytest --update-golden locally, review it and commit it", pytrace=False)
        _write(path, got)
        pytest.fail(f"{path} was missing and has been written; review it and run again", pytrace=False)
    expected = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert got == expected


def test_golden_examples_match_seeds(shared: Path) -> None:
    for name in CASES:
        assert (EXAMPLES / f"{name}.txt").read_bytes() == (shared / "seeds" / f"{name}.txt").read_bytes()
