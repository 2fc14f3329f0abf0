"""Scoring statement grouping against gold groups: pairwise precision, recall and F1.

Gold (``tests/data/corpus/statements.gold.jsonl``): one statement per line, its ``members``
each an ``article`` id, the ``quote`` text and its ``start`` offset in that article's text. Each
gold member is matched to the stored quote whose words overlap it most; two members are a
predicted pair when their quotes are in one predicted statement. A member no quote covers is
a statement of its own (it costs recall, never precision). Pairs count among gold members only,
so quotes the gold leaves out (generic indirect lines) neither help nor hurt.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path
from typing import Any

from backchannel.storage.store import Store


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int | None]:
    p = tp / n_pred if n_pred else None
    r = tp / n_gold if n_gold else None
    f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return {"p": p, "r": r, "f1": f, "tp": tp, "pred_pairs": n_pred, "gold_pairs": n_gold}


def load_statement_gold(path: str | Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def score_statements(gold: list[dict[str, Any]], store: Store, kinds: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Pairwise scores of the store's statements against ``gold`` (members of ``kinds`` only, if given)."""
    ids = dict(store.con.execute("SELECT external_id, article_id FROM documents WHERE external_id IS NOT NULL").fetchall())
    ids.update(store.con.execute("SELECT external_id, article_id FROM copies WHERE external_id IS NOT NULL").fetchall())  # reprints
    spans: dict[str, list[tuple[int, int, int, str]]] = {}
    for aid, index, cspans, sid in store.con.execute(
            """SELECT q.article_id, q."index", q.content_spans, v.statement_id FROM quotes q
               LEFT JOIN statement_variants v USING (article_id, "index") WHERE q.section_kind = 'body'""").fetchall():
        for a, b in cspans:
            spans.setdefault(aid, []).append((a, b, index, sid or f"unlinked:{aid}:{index}"))
    members = []  # (gold statement, predicted label, kind)
    found = Counter()
    for group in gold:
        for m in group["members"]:
            if kinds and m.get("kind", "direct") not in kinds:
                continue
            aid = ids.get(m["article"])
            start, end = m["start"], m["start"] + len(m["quote"])
            best = max(((min(b, end) - max(a, start), sid) for a, b, _, sid in spans.get(aid or "", ())), default=(0, None))
            label = best[1] if best[0] > 0 else f"missed:{m['article']}:{start}"
            found[best[0] > 0] += 1
            members.append((group["statement"], label, m.get("kind", "direct")))
    gold_pairs = pred_pairs = tp = 0
    for (g1, p1, _), (g2, p2, _) in itertools.combinations(members, 2):
        same_gold, same_pred = g1 == g2, p1 == p2
        gold_pairs += same_gold
        pred_pairs += same_pred
        tp += same_gold and same_pred
    return {"members": len(members), "members_found": found[True], "groups": len({g for g, _, _ in members}),
            "pairwise": _prf(tp, pred_pairs, gold_pairs)}


def format_statement_report(scores: dict[str, Any]) -> str:
    lines = []
    for name, s in scores.items():
        pw = s["pairwise"]
        fmt = lambda v: "  -  " if v is None else f"{v:.3f}"  # noqa: E731
        lines.append(f"{name:<16} members {s['members']:>4} (found {s['members_found']:>4}), groups {s['groups']:>3}   "
                     f"pairwise P {fmt(pw['p'])}  R {fmt(pw['r'])}  F1 {fmt(pw['f1'])}  "
                     f"({pw['tp']} of {pw['gold_pairs']} gold pairs, {pw['pred_pairs']} predicted)")
    return "\n".join(lines)
