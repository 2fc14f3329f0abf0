"""Does event coding stay linear in the text's length, including on pathological texts?

Prints, for synthetic texts of growing size, the time of the event stage alone
(``events.extract_events`` on an already parsed Doc, with its quotes) and the ratio to the
previous size; with sizes doubling, a ratio near 2 is linear, near 4 quadratic.

Families:

* ``news``: reported speech and event sentences (sanctions, threats, offers, strikes) naming
  countries, leaders and pronouns — the usual case;
* ``countries``: paragraphs that list 200 countries each ("attended by Afghanistan, Albania, …");
* ``long``: one sentence per paragraph of ~500 tokens (coordinated clauses with event verbs);
* ``no_actor``: event words with no one doing them ("Sanctions were discussed.").

    python benchmarks/events_scaling.py [--sizes 2000 4000 8000 16000] [--families news countries]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

EVENTS = [
    "{a} imposed new sanctions on {b}.",
    "{a} threatened to strike {b} if talks fail.",
    "“We are ready to negotiate with {b},” the foreign minister of {a} said on Monday.",
    "{a} condemned the attack and accused {b} of sabotage.",
    "Officials in {a} said they would not accept the offer from {b}.",
    "{a} deployed troops near the border with {b}.",
    "He said {a} had rejected the proposal by {b}.",
    "The talks were described as difficult by diplomats.",
]
NO_ACTOR = [
    "Sanctions were discussed at length.",
    "Negotiations are difficult.",
    "Threats abound in the region.",
    "An attack was feared.",
    "Talks may resume.",
]


def _countries() -> list[str]:
    import pycountry

    return [c.name for c in pycountry.countries][:200]


def news(words: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    names = ["Iran", "the United States", "Israel", "Russia", "China", "the European Union", "Washington", "Tehran"]
    out, total = [], 0
    while total < words:
        para = " ".join(rng.choice(EVENTS).format(a=rng.choice(names), b=rng.choice(names)) for _ in range(5))
        out.append(para)
        total += len(para.split())
    return "\n\n".join(out) + "\n"


def countries(words: int) -> str:
    names = _countries()
    out, total = [], 0
    while total < words:
        para = "The summit was attended by " + ", ".join(names) + ", and the talks went on."
        out.append(para)
        total += len(para.split())
    return "\n\n".join(out) + "\n"


def long(words: int, seed: int = 3) -> str:
    rng = random.Random(seed)
    out, total = [], 0
    while total < words:
        clauses = [rng.choice(EVENTS).format(a="Iran", b="Israel").rstrip(".") for _ in range(60)]
        para = "; and ".join(clauses) + "."
        out.append(para)
        total += len(para.split())
    return "\n\n".join(out) + "\n"


def no_actor(words: int, seed: int = 4) -> str:
    rng = random.Random(seed)
    out, total = [], 0
    while total < words:
        para = " ".join(rng.choice(NO_ACTOR) for _ in range(6))
        out.append(para)
        total += len(para.split())
    return "\n\n".join(out) + "\n"


FAMILIES: dict[str, Callable[[int], str]] = {"news": news, "countries": countries, "long": long, "no_actor": no_actor}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 4000, 8000, 16000], help="Words per text.")
    parser.add_argument("--families", nargs="+", choices=sorted(FAMILIES), default=list(FAMILIES))
    args = parser.parse_args(argv)

    from backchannel.entities.gazetteer import gazetteer_for
    from backchannel.inputs.clean import clean
    from backchannel.events.extract import extract_events
    from backchannel.nlp.parse import load_pipeline
    from backchannel.quotes.extract import extract_quotes
    from backchannel.records import RawInput
    from backchannel.settings import Settings

    settings = Settings(min_langid_chars=10**9, max_mb=50)
    nlp = load_pipeline(settings.model)
    gazetteer = gazetteer_for(None)
    warm = nlp(news(200))
    extract_events(warm, clean(RawInput("<w>", news(200), "txt"), settings).sections, "w")

    worst: list[tuple[float, str]] = []
    started = time.perf_counter()
    print(f"{'family':<10}{'words':>7}{'events':>8}{'event stage s':>15}{'×':>7}{'parse s':>10}")
    for family in args.families:
        prev: tuple[int, float] | None = None
        first: tuple[int, float] | None = None
        for size in args.sizes:
            text = FAMILIES[family](size)
            cleaned = clean(RawInput(source="<bench>", data=text, format="txt"), settings)
            t0 = time.perf_counter()
            doc = nlp(cleaned.text)
            t_parse = time.perf_counter() - t0
            quotes = extract_quotes(doc, cleaned.sections, cleaned.article_id)
            t_stage = float("inf")
            for _ in range(3):  # best of three: the stage takes milliseconds, so one run is mostly noise
                t0 = time.perf_counter()
                found = extract_events(doc, cleaned.sections, cleaned.article_id, quotes, gazetteer=gazetteer)
                t_stage = min(t_stage, time.perf_counter() - t0)
            ratio = f"{t_stage / prev[1]:7.2f}" if prev else "      —"
            print(f"{family:<10}{len(text.split()):>7}{len(found):>8}{t_stage:>15.3f}{ratio}{t_parse:>10.2f}")
            if prev is not None and prev[1] > 0:
                worst.append((t_stage / prev[1] / (size / prev[0]), f"{family} {prev[0]}→{size}"))
            prev = (size, t_stage)
            first = first or (size, t_stage)
        if first is not None and first[0] != prev[0]:
            print(f"{family:<10} overall: {prev[0] // first[0]}× the words took {prev[1] / first[1]:.1f}× the time")
        print()
    if worst:
        value, where = max(worst)
        verdict = "linear" if value < 1.5 else "possibly superlinear, look closer"
        print(f"worst growth per doubling, normalised (1.0 = linear, 2.0 = quadratic): {value:.2f} at {where} → {verdict}")
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
