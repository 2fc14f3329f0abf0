"""Train the cue model (``backchannel/data/cue_model.json``) on PolNeAR train.

Every verb candidate that ``backchannel.quotes.extract.verb_candidate`` proposes in a train article is
labelled positive when it lies inside a gold cue span; a logistic regression over its
features (lemma, complement frame, subject kind, …) learns which candidates are attributions.
Only feature weights are written: no corpus text.

    python scripts/train_cue_model.py --train ../shared/data/polnear/train.jsonl [--threshold 0.5]
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections import Counter
from pathlib import Path

import numpy as np

from backchannel.inputs.clean import clean
from backchannel.nlp.parse import load_pipeline
from backchannel.quotes.quotemarks import find_quoted
from backchannel.quotes.extract import _Inside, verb_candidate
from backchannel.records import RawInput
from backchannel.settings import Settings

OUT = Path(__file__).resolve().parent.parent / "backchannel" / "data" / "cue_model.json"


def candidates(path: Path, limit: int | None) -> list[tuple[list[str], int]]:
    settings = Settings(min_langid_chars=10**9)
    nlp = load_pipeline(settings.model)
    articles = [json.loads(line) for line in path.open(encoding="utf-8")][:limit]
    cleaned = [clean(RawInput(a["id"], a["text"], "txt"), settings) for a in articles]
    out: list[tuple[list[str], int]] = []
    for article, c, doc in zip(articles, cleaned, nlp.pipe((c.text for c in cleaned), batch_size=16)):
        cues = sorted(tuple(q["cue_span"]) for q in article["quotes"] if q.get("cue_span"))
        for section in c.sections:
            inside = _Inside([s for q in find_quoted(c.text, section.start_char, section.end_char) for s in q.spans])
            span = doc.char_span(section.start_char, section.end_char, alignment_mode="contract")
            if span is None:
                continue
            for tok in span:
                found = verb_candidate(doc, section, tok, inside, _Inside([]))
                if found is None:
                    continue
                label = int(any(a <= tok.idx < b for a, b in cues))
                out.append((found[1], label))
    return out


def train(data: list[tuple[list[str], int]], *, min_count: int, l2: float, epochs: int) -> tuple[float, dict[str, float]]:
    counts = Counter(f for feats, _ in data for f in set(feats))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    rows = [[vocab[f] for f in set(feats) if f in vocab] for feats, _ in data]
    y = np.array([label for _, label in data], dtype=float)
    w = np.zeros(len(vocab))
    b = 0.0
    g2w = np.full(len(vocab), 1e-8)
    g2b = 1e-8
    lr = 0.5
    index = np.concatenate([np.array(r, dtype=int) for r in rows])
    owner = np.concatenate([np.full(len(r), i, dtype=int) for i, r in enumerate(rows)])
    for epoch in range(epochs):
        z = np.bincount(owner, weights=w[index], minlength=len(rows)) + b
        p = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        err = p - y
        grad = np.bincount(index, weights=err[owner], minlength=len(vocab)) / len(rows) + l2 * w
        gb = err.mean()
        g2w += grad**2
        g2b += gb**2
        w -= lr * grad / np.sqrt(g2w)
        b -= lr * gb / math.sqrt(g2b)
        if epoch % 50 == 0:
            loss = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
            print(f"epoch {epoch}: loss {loss:.4f}")
    weights = {f: round(float(w[i]), 4) for f, i in vocab.items() if abs(w[i]) >= 1e-3}
    return round(b, 4), weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--threshold", type=float, default=0.4, help="chosen on PolNeAR dev: F1 as at 0.3, precision higher")
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--l2", type=float, default=1e-5)
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    started = time.time()
    data = candidates(args.train, args.limit)
    print(f"{len(data)} candidates, {sum(l for _, l in data)} positive ({time.time() - started:.0f} s)")
    bias, weights = train(data, min_count=args.min_count, l2=args.l2, epochs=args.epochs)
    model = {
        "about": "backchannel cue model: logistic regression over verb-candidate features, trained by "
        "scripts/train_cue_model.py on PolNeAR train (Newell, Margolin & Ruths, LREC 2018; "
        "networkdynamics/PolNeAR @ c3eee833). Weights only, no corpus text. Licence: MIT (as backchannel).",
        "threshold": args.threshold,
        "bias": bias,
        "weights": dict(sorted(weights.items())),
    }
    args.out.write_text(json.dumps(model, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(weights)} weights ({time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
