"""Does quote finding stay linear in the text's length, including on pathological texts?

Prints, for synthetic texts of growing size (1k, 2k, 4k, 8k words by default), the time of
``quotemarks.find_quoted`` (the mark scanner), of the quote stage alone
(``quotes.extract_quotes`` on an already parsed Doc), and of ``api.read_text`` end to end
(clean, parse, quotes), and the ratio of each time to the one at the previous size. With
the size doubling each step, a ratio near 2 is linear growth; near 4 would be quadratic.

Text families:

* ``news``: paragraphs of reported speech (said-after, said-colon, split and mixed quotes,
  "according to", indirect speech), the usual case;
* ``unmatched``: the same prose with hundreds to thousands of opening marks never closed;
* ``unclosed``: one quote opened in the first paragraph and never closed, every following
  paragraph opening again (a multi-paragraph quote that never ends);
* ``comments``: a short body, then a "N thoughts on “Title”" thread of numbered comments
  and replies that quote each other;
* ``runon``: one paragraph with no full stop of "He said “" repeated: one sentence holding
  thousands of quotes (each used to scan the whole sentence for its cue: quadratic).

    python benchmarks/quotes_scaling.py [--sizes 1000 2000 4000 8000] [--families news unmatched]

The spaCy pipeline is loaded (and warmed up) before any timing. The quote stage and
``read_text`` are timed once per size (they take seconds); ``find_quoted`` is the best of
several repeated batches. Under two minutes at the default sizes while growth is linear;
``--budget`` stops a family from going on to larger sizes once one run gets slow.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PEOPLE = [
    ("Foreign Minister Ali Akbar Salehi", "Salehi"),
    ("Harvard professor Stephen Walt", "Walt"),
    ("Iran’s UN Ambassador Mohammed Khazaee", "Khazaee"),
    ("former CIA analyst Paul Pillar", "Pillar"),
    ("Vali Nasr, a former adviser to Richard Holbrooke,", "Nasr"),
    ("the head of the Judiciary, Sadeq Larijani,", "Larijani"),
]
CLAIMS = [
    "the talks with the West will resume next week in Geneva",
    "sanctions have hurt ordinary people far more than the government",
    "pressure has become an end in itself for the administration",
    "the ball is in Washington’s court and it must show goodwill first",
    "negotiations under threat are not negotiations at all",
    "the country will not give up its right to enrich uranium",
    "the region needs a security arrangement that includes all its states",
    "the previous round failed because neither side trusted the other",
]
FILLER = [
    "Diplomats from both sides met for several hours on Monday.",
    "The meeting was the first of its kind in more than a year.",
    "Oil prices rose slightly after the news broke in the morning.",
    "Analysts in the capital were divided over what the move meant.",
    "Officials in Brussels declined to comment on the details.",
    "The parliament is expected to debate the proposal next month.",
]


def _n_words(text: str) -> int:
    return len(text.split())


def _sentence(rng: random.Random, i: int) -> str:
    full, short = PEOPLE[i % len(PEOPLE)]
    claim = rng.choice(CLAIMS)
    pattern = i % 7
    if pattern == 0:
        return f"“{claim.capitalize()},” {short} said on Tuesday."
    if pattern == 1:
        return f"{full} said: “{claim.capitalize()}.”"
    if pattern == 2:
        first, _, second = claim.partition(" ")
        return f"“{first.capitalize()},” he added, “{second}.”"
    if pattern == 3:
        return f"As {short} has written, the leadership “{claim}.”"
    if pattern == 4:
        return f"{claim.capitalize()}, according to the New York Times which cited the Mehr news agency."
    if pattern == 5:
        return f"Officials said that {claim}."
    return rng.choice(FILLER)


def news(words: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    paras, cur, i, total = [], [], 0, 0
    while total < words:
        s = _sentence(rng, i)
        cur.append(s)
        total += _n_words(s)
        i += 1
        if len(cur) == 5:
            paras.append(" ".join(cur))
            cur = []
    if cur:
        paras.append(" ".join(cur))
    return "Talks resume in Geneva\n\n" + "\n\n".join(paras) + "\n"


def unmatched(words: int, seed: int = 2) -> str:
    """News-like prose (quotes stripped) with an opening mark before one word in eight, never closed."""
    rng = random.Random(seed)
    base = news(words, seed).replace("“", "").replace("”", "")
    out = []
    for word in base.split(" "):
        out.append(("“" + word) if rng.random() < 1 / 8 and word[:1].isalpha() else word)
    return " ".join(out)


def unclosed(words: int, seed: int = 3) -> str:
    """A quote opened in the first paragraph that never closes; each paragraph opens it again."""
    rng = random.Random(seed)
    paras, total = [], 0
    while total < words:
        p = " ".join(rng.choice(FILLER) + " " + rng.choice(CLAIMS).capitalize() + "." for _ in range(4))
        paras.append(p)
        total += _n_words(p)
    return "Then he says:\n\n" + "\n\n".join("“" + p for p in paras) + "\n"


def comments(words: int, seed: int = 4) -> str:
    """A short body and a long thread whose comments quote the article and each other."""
    rng = random.Random(seed)
    body = news(400, seed).rstrip("\n")
    lines, total, n = [], _n_words(body), 0
    previous = rng.choice(CLAIMS)
    while total < words:
        n += 1
        claim = rng.choice(CLAIMS)
        top = (f"  {n}. Reader{n} says:\n    As Walt put it: “{claim.capitalize()}.” "
               f"{rng.choice(FILLER)} I think “{previous}” is wrong.")
        reply = (f"    1. “{claim.capitalize()}” – really? {rng.choice(FILLER)} "
                 f"My neighbour told me: “{rng.choice(CLAIMS).capitalize()}.”")
        lines += [top, reply]
        total += _n_words(top) + _n_words(reply)
        previous = claim
    thread = f"{n} thoughts on “Talks resume in Geneva”\n\n" + "\n\n".join(lines)
    return body + "\n\n" + thread + "\n\nLeave a Reply\n"


def runon(words: int) -> str:
    """One run-on sentence of quote openers: the parser gives it no sentence end."""
    return "He said \u201c" * max(1, words // 3)


FAMILIES: dict[str, Callable[[int], str]] = {
    "news": news, "unmatched": unmatched, "unclosed": unclosed, "comments": comments, "runon": runon,
}


def _best_of(fn: Callable[[], object], *, min_total: float = 0.05, rounds: int = 3) -> float:
    """Seconds per call: the best of ``rounds`` batches, each repeated until it takes ``min_total``."""
    best = float("inf")
    for _ in range(rounds):
        n, start = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_total:
                break
        best = min(best, elapsed / n)
    return best


def _once(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _ratio(cur: float, prev: float | None) -> str:
    return f"{cur / prev:5.2f}" if prev else "    —"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000], help="Words per text.")
    parser.add_argument("--families", nargs="+", choices=sorted(FAMILIES), default=list(FAMILIES))
    parser.add_argument("--budget", type=float, default=30.0,
                        help="Skip a family's larger sizes once read_text took longer than this (seconds).")
    args = parser.parse_args(argv)

    from backchannel.api import read_text
    from backchannel.inputs.clean import clean
    from backchannel.nlp.parse import load_pipeline
    from backchannel.quotes.quotemarks import find_quoted
    from backchannel.quotes.extract import extract_quotes
    from backchannel.records import RawInput
    from backchannel.settings import load_settings

    settings = load_settings()
    nlp = load_pipeline(settings.model)
    read_text(news(300))  # warm up: model, lexicons, gazetteer

    started = time.perf_counter()
    worst: list[tuple[float, str]] = []
    print(f"{'family':<10}{'words':>7}{'marks':>7}{'quotes':>7}"
          f"{'find_quoted ms':>16}{'×':>7}{'quote stage s':>15}{'×':>7}{'read_text s':>13}{'×':>7}")
    for family in args.families:
        prev: tuple[float, float, float] | None = None
        prev_size = 0
        skipping = False
        for size in args.sizes:
            text = FAMILIES[family](size)
            words = _n_words(text)
            marks = sum(text.count(m) for m in "“”\"")
            if skipping:
                print(f"{family:<10}{words:>7}  skipped: the previous size took over {args.budget:.0f} s")
                continue
            t_find = _best_of(lambda: find_quoted(text))
            cleaned = clean(RawInput(source="<bench>", data=text, format="txt"), settings)
            doc = nlp(cleaned.text)
            start = time.perf_counter()
            n_quotes = len(extract_quotes(doc, cleaned.sections, cleaned.article_id))
            t_stage = time.perf_counter() - start
            t_read = _once(lambda: read_text(text))
            skipping = t_read > args.budget
            print(f"{family:<10}{words:>7}{marks:>7}{n_quotes:>7}"
                  f"{t_find * 1000:>16.3f}{_ratio(t_find, prev and prev[0]):>7}"
                  f"{t_stage:>15.3f}{_ratio(t_stage, prev and prev[1]):>7}"
                  f"{t_read:>13.3f}{_ratio(t_read, prev and prev[2]):>7}")
            if prev is not None:
                step = size / prev_size
                for label, cur, before in (("find_quoted", t_find, prev[0]), ("quote stage", t_stage, prev[1]),
                                           ("read_text", t_read, prev[2])):
                    worst.append((cur / before / step, f"{family} {label} {prev_size}→{size}"))
            prev, prev_size = (t_find, t_stage, t_read), size
        print()
    if worst:
        worst.sort(reverse=True)
        value, where = worst[0]
        verdict = "linear" if value < 1.5 else "possibly superlinear, look closer"
        print(f"worst growth per doubling, normalised (1.0 = linear, 2.0 = quadratic): {value:.2f} at {where} → {verdict}")
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
