"""Score coded events against gold: the seed gold format and one-sentence-per-line PLOVER-style records.

Seed gold (``seeds.events.jsonl``): a gold event is found when a predicted event of the same
type lies in the trigger's sentence and its actor and recipient countries agree with the gold
ones (a null gold country agrees with anything); it is fully right when modality and claimant
agree as well. Sentence gold (``{"id", "text", "event", "source": [...], "target": [...]}``):
event-type precision, recall and F1 per sentence, and the same with the actor and recipient
countries required to agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from backchannel.evaluation.quotes import name_matches, read_gold_lines
from backchannel.records import Event


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | None]:
    p = tp / n_pred if n_pred else None
    r = tp / n_gold if n_gold else None
    f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return {"p": p, "r": r, "f1": f, "tp": tp, "n_pred": n_pred, "n_gold": n_gold}


def _agree(gold: Sequence[Mapping[str, Any]] | Mapping[str, Any] | None, pred: Sequence[Any]) -> bool:
    """Every country the gold names is among the predicted ones (null or empty gold agrees with anything)."""
    if gold is None:
        return True
    items = [gold] if isinstance(gold, Mapping) else list(gold)
    countries = {(a.country or "").upper() for a in pred}
    return all(not g.get("country") or str(g["country"]).upper() in countries for g in items)


def detect_event_format(item: Mapping[str, Any]) -> str:
    if "events" in item:
        return "seed"
    if "text" in item and "event" in item:
        return "sentence"
    raise ValueError(f"gold line {item.get('id', '?')}: neither seed format ('events') nor sentence format ('text', 'event')")


def score_seed_events(gold_docs: Sequence[Mapping[str, Any]], predictions: Mapping[str, Sequence[Event]]) -> dict[str, Any]:
    found = right = total = 0
    modality_ok = claim_ok = 0
    details = []
    matched_preds = 0
    n_preds = 0
    for doc in gold_docs:
        preds = list(predictions.get(str(doc["id"]), ()))
        n_preds += len(preds)
        used: set[int] = set()
        for g in doc["events"]:
            a, b = g["trigger_span"]
            candidates = [
                (i, e) for i, e in enumerate(preds)
                if i not in used and e.event == g["event"] and e.sentence_span[0] < b and a < e.sentence_span[1]
                and _agree(g.get("actor"), e.actors) and _agree(g.get("recipient"), e.recipients)
            ]
            # prefer the prediction whose trigger is closest to the gold one
            candidates.sort(key=lambda ie: abs(ie[1].trigger_span[0] - a))
            hit = candidates[0] if candidates else None
            mod = claim = False
            if hit is not None:
                used.add(hit[0])
                e = hit[1]
                mod = e.modality == g.get("modality")
                claim = (g.get("claimed_by") is None and e.claimed_by is None) or (
                    g.get("claimed_by") is not None and name_matches(e.claimed_by, g["claimed_by"])
                )
            if not g.get("optional"):
                total += 1
                found += hit is not None
                modality_ok += mod
                claim_ok += claim
                right += hit is not None and mod and claim
            details.append({
                "doc": doc["id"], "trigger": g.get("trigger"), "event": g["event"], "optional": bool(g.get("optional")),
                "found": hit is not None, "modality_ok": mod, "claimant_ok": claim,
                "predicted": hit[1].to_dict() if hit is not None else None,
            })
        matched_preds += len(used)
    return {
        "format": "seed",
        "gold_events": total,
        "found": found,
        "fully_right": right,
        "modality_right": modality_ok,
        "claimant_right": claim_ok,
        "recall": found / total if total else None,
        "predicted_events": n_preds,
        "predicted_matched": matched_preds,
        "details": details,
    }


def score_sentence_events(gold: Sequence[Mapping[str, Any]], predictions: Mapping[str, Sequence[Event]]) -> dict[str, Any]:
    tp = n_pred = n_gold = 0
    tp_a = 0
    per_type: dict[str, Counter[str]] = {}
    confusion: Counter[tuple[str, str]] = Counter()
    errors = []
    for item in gold:
        preds = list(predictions.get(str(item["id"]), ()))
        types = {e.event for e in preds}
        gold_type = item.get("event")
        n_pred += len(types)
        if gold_type:
            n_gold += 1
            per_type.setdefault(gold_type, Counter())["gold"] += 1
        for t in types:
            per_type.setdefault(t, Counter())["pred"] += 1
        ok = bool(gold_type) and gold_type in types
        ok_a = ok and any(
            e.event == gold_type and _agree(item.get("source"), e.actors) and _agree(item.get("target"), e.recipients)
            for e in preds
        )
        tp += ok
        tp_a += ok_a
        if ok:
            per_type[gold_type]["tp"] += 1
        confusion[(gold_type or "-", ",".join(sorted(types)) or "-")] += 1
        if not ok_a or len(types) > (1 if gold_type else 0):
            errors.append({"id": item["id"], "text": item["text"], "gold": gold_type,
                           "gold_source": item.get("source"), "gold_target": item.get("target"),
                           "predicted": [{"event": e.event, "trigger": e.trigger,
                                          "actor": [a.country for a in e.actors],
                                          "recipient": [a.country for a in e.recipients]} for e in preds]})
    return {
        "format": "sentence",
        "sentences": len(gold),
        "type": _prf(tp, n_pred, n_gold),
        "type_actor_recipient": _prf(tp_a, n_pred, n_gold),  # the same predictions, judged more strictly
        "per_type": {t: _prf(c["tp"], c["pred"], c["gold"]) for t, c in sorted(per_type.items())},
        "errors": errors,
    }


def load_event_gold(path: str | Path, split: str | None = None) -> list[dict[str, Any]]:
    """Gold lines of either event format, optionally only those whose ``split`` is ``split``."""
    return [item for _, item in read_gold_lines(path) if split is None or item.get("split") == split]


def _fmt(v: float | None) -> str:
    return "  -  " if v is None else f"{v:.3f}"


def format_event_report(scores: Mapping[str, Any]) -> str:
    if scores["format"] == "seed":
        lines = [
            f"gold events (non-optional): {scores['gold_events']}",
            f"found (type + actor/recipient countries): {scores['found']}  recall {_fmt(scores['recall'])}",
            f"  with modality right: {scores['modality_right']}   claimant right: {scores['claimant_right']}   "
            f"all right: {scores['fully_right']}",
            f"predicted events: {scores['predicted_events']} (matched to gold: {scores['predicted_matched']})",
        ]
        for d in scores["details"]:
            mark = "ok " if d["found"] and d["modality_ok"] and d["claimant_ok"] else ("~  " if d["found"] else "MISS")
            extra = "" if not d["found"] else ("" if d["modality_ok"] else " [modality]") + ("" if d["claimant_ok"] else " [claimant]")
            lines.append(f"  {mark} {d['event']:<9} {d['trigger']!r}{' (optional)' if d['optional'] else ''}{extra}")
        return "\n".join(lines)
    t, ta = scores["type"], scores["type_actor_recipient"]
    lines = [
        f"sentences: {scores['sentences']}",
        f"event type            P {_fmt(t['p'])}  R {_fmt(t['r'])}  F1 {_fmt(t['f1'])}",
        f"type + actor/recip.   P {_fmt(ta['p'])}  R {_fmt(ta['r'])}  F1 {_fmt(ta['f1'])}",
        "per type:",
    ]
    for name, s in scores["per_type"].items():
        lines.append(f"  {name:<10} P {_fmt(s['p'])}  R {_fmt(s['r'])}  F1 {_fmt(s['f1'])}  (gold {s['n_gold']}, predicted {s['n_pred']})")
    return "\n".join(lines)
