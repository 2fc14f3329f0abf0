"""Statement grouping on synthetic quotes: is it near-linear up to a million?

Prints, per corpus size, the seconds for cross-document speaker resolution and for statement
grouping, the time per quote, and each size's growth against the one before (1.0 = linear).
The corpus mimics news: speakers by a Zipf law (a few are quoted everywhere), every utterance
reported one to five times with cuts and changed words, and wire stories reprinted by hundreds
of outlets.

    .venv/bin/python benchmarks/statements_scaling.py [--sizes 10000 100000 1000000]
"""

from __future__ import annotations

import argparse
import random
import resource
import time

from backchannel.crossdoc.identities import resolve_people
from backchannel.records import QuoteRef
from backchannel.crossdoc.statements import group_statements

WORDS = ("talks sanctions nuclear pressure negotiate enrichment deal peace security region missile program "
         "dialogue respect nation enemy threat cooperation oil economy future rights treaty border army "
         "government people council election reform justice trust patience war diplomacy agreement").split()
FIRST = "Ali Mohammad Sadeq Hassan Javad Abbas John Hillary Barack Sergei Angela Emmanuel Xi Narendra".split()


def vocabulary(rng: random.Random, size: int = 20000) -> tuple[list[str], list[float]]:
    """Made-up words with news-like (Zipf) frequencies, the 40 real ones most frequent."""
    syllables = "ba ke ri to mu sa ne lo vi da ge hu pa ti ro ka me si zo fu".split()
    made = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size * 2)}
    words = WORDS + sorted(made)[: size - len(WORDS)]
    return words, [1 / (i + 1) for i in range(len(words))]


def corpus(n: int, seed: int = 7) -> list[QuoteRef]:
    rng = random.Random(seed)
    vocab, freq = vocabulary(rng)
    n_speakers = max(50, n // 50)
    weights = [1 / (i + 1) for i in range(n_speakers)]
    speakers = [f"{rng.choice(FIRST)} Speaker{i}" for i in range(n_speakers)]
    out: list[QuoteRef] = []
    while len(out) < n:
        who = rng.choices(speakers, weights)[0]
        words = rng.choices(vocab, freq, k=rng.randint(6, 25))
        day = f"2013-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        reprints = rng.choice([1, 1, 1, 2, 3, 4, 5]) if rng.random() > 0.002 else rng.randint(100, 500)
        for k in range(reprints):
            variant = list(words)
            if k and rng.random() < 0.5:  # a cut or a changed word
                if rng.random() < 0.5 and len(variant) > 6:
                    variant = variant[: rng.randint(4, len(variant))]
                else:
                    variant[rng.randrange(len(variant))] = rng.choices(vocab, freq)[0]
            name = who if rng.random() > 0.3 else who.split()[-1]
            out.append(QuoteRef(f"doc{len(out) // 8}", len(out) % 8, " ".join(variant), "direct", name, day,
                                f"Outlet{rng.randint(1, 300)}"))
            if len(out) >= n:
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = ap.parse_args()
    print(f"{'quotes':>10} {'speakers s':>11} {'grouping s':>11} {'µs/quote':>9} {'growth':>7} {'statements':>11} {'peak MB':>8}")
    previous = None
    for n in args.sizes:
        refs = corpus(n)
        started = time.perf_counter()
        speaker_of, people = resolve_people(refs)
        t_people = time.perf_counter() - started
        started = time.perf_counter()
        statements = group_statements(refs, speaker_of)
        t_group = time.perf_counter() - started
        per = (t_people + t_group) / n * 1e6
        growth = f"{per / previous:.2f}" if previous else "-"
        previous = per
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n:>10,} {t_people:>11.1f} {t_group:>11.1f} {per:>9.1f} {growth:>7} {len(statements):>11,} {peak:>8.0f}",
              flush=True)
    print("growth = time per quote against the size before; near 1.0 means linear")


if __name__ == "__main__":
    main()
