"""Scores on the shared data sets, split into the half we may read (dev) and the half we never
read sentence by sentence (untouched; ``backchannel.evaluation.splits``). Report the untouched
numbers; the dev ones are for finding error classes.

    python tests/eval/heldout.py                 # both halves of every set
    python tests/eval/heldout.py --errors ngec   # the dev half's errors of one set (never the untouched half's)
    python tests/eval/heldout.py --json          # the figures as JSON
    python tests/eval/heldout.py --census        # speakers and actors that are no one, per set (target 0)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from backchannel.api import evaluate_actor_phrases, evaluate_events, evaluate_quotes, read_text
from backchannel.evaluation.entities import count_non_entities, sentence_of

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
SETS = {
    "ngec": SHARED / "ngec" / "dev.jsonl",
    "ggt": SHARED / "ggt" / "dev.jsonl",
    "plover_gsr": SHARED / "plover_gsr" / "dev.jsonl",
    "polnear": SHARED / "polnear" / "dev.jsonl",
}


def _ratio(num: float | None, den: float | None) -> float | None:
    return num / den if num is not None and den else None


def figures(name: str, part: str) -> dict[str, Any]:
    """The headline figures of one set's half, and its raw scores."""
    path = SETS[name]
    if name == "ngec":
        s = evaluate_actor_phrases(path, part=part)  # type: ignore[arg-type]
        return {"cases": s["cases"], "country+sector": s["right"], "other_scheme": s["other_scheme_cases"], "country": s["country"], "sector": s["sector"],
                "invented_country": s["invented_country"], "_raw": s}
    if name == "plover_gsr":
        s = evaluate_events(path, part=part)  # type: ignore[arg-type]
        t, full = s["type"], s["type_actor_recipient"]
        return {"sentences": s["sentences"], "type_f1": t["f1"], "full_f1": full["f1"],
                "countries_given_type": _ratio(full["tp"], t["tp"]), "_raw": s}
    s = evaluate_quotes(path, part=part)  # type: ignore[arg-type]
    out = {"documents": s["counts"]["documents"], "f1_30": s["overall"]["0.3"]["f1"], "p_30": s["overall"]["0.3"]["p"],
           "f1_80": s["overall"]["0.8"]["f1"], "speaker_span": s["speaker_span_match"]}
    if name == "ggt":
        out.update(name_accuracy=s["name_accuracy"], name_pairs=s["counts"]["name_pairs"])
    return out | {"_raw": s}


def _texts(name: str) -> list[tuple[str, str, str | None]]:
    """(id, text, date) of every item of a set, both halves: counting non-entities reads no errors."""
    rows = [json.loads(line) for line in SETS[name].read_text(encoding="utf-8").splitlines() if line.strip()]
    if name == "ngec":
        return [(r["id"], *sentence_of(r)) for r in rows]
    return [(str(r["id"]), r["text"], None) for r in rows]


def census() -> dict[str, dict[str, int]]:
    """Per set: quotes and event parties whose name is no one (the target is 0), and speakers left
    empty with a reason."""
    return {name: count_non_entities(read_text(text, source=i, date=d) for i, text, d in _texts(name)) for name in SETS}


def _show(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", choices=sorted(SETS), help="print the dev half's raw scores of one set")
    parser.add_argument("--sets", nargs="*", choices=sorted(SETS), default=sorted(SETS))
    parser.add_argument("--census", action="store_true", help="count speakers and actors that are no one, per set")
    args = parser.parse_args(argv)
    missing = [str(p) for n, p in SETS.items() if n in args.sets and not p.exists()]
    if missing:
        print("missing data: " + ", ".join(missing), file=sys.stderr)
        return 2
    if args.census:
        for name, counts in census().items():
            print(f"{name:11} " + "  ".join(f"{k}={v}" for k, v in counts.items()))
        return 0
    if args.errors:
        raw = figures(args.errors, "dev")["_raw"]
        print(json.dumps(raw, indent=1, default=str))
        return 0
    out = {n: {p: {k: v for k, v in figures(n, p).items() if k != "_raw"} for p in ("dev", "untouched")} for n in args.sets}
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    for name, parts in out.items():
        for part, figs in parts.items():
            print(f"{name:11} {part:9} " + "  ".join(f"{k}={_show(v)}" for k, v in figs.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
