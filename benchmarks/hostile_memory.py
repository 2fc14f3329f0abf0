"""Memory and time for one huge document: a plain-text file just under the default ``--max-mb``
made of news paragraphs (quotes, speakers, descriptions such as "the ministry spokesman"), read
into a fresh store with ``backchannel read``; then a second, ordinary article read into the same
store, which re-links everything (this used to hang on the huge document's quotes).

Each step runs ``backchannel read`` in its own child process and prints its wall seconds and
peak RSS (``ru_maxrss`` of that child), with the quotes stored. Several sizes show whether time
grows linearly with the document (a ratio near 2 for a doubled size).

    .venv/bin/python benchmarks/hostile_memory.py [--sizes 0.5 1 1.99] [--timeout 900] [--uncapped]

``--uncapped`` reads the largest size once more with the per-document caps (``max_quotes``,
``max_events``) lifted, so linking meets every quote of the document (28k at 2 MB).

Target: every size under the 2 MB default, at most 1.5 GB peak.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKCHANNEL = Path(sys.executable).parent / "backchannel"
SECOND = ROOT / "examples" / "000_fd5ae7baf4eaa798.txt"

PEOPLE = [
    ("Foreign Minister", "Mohammad Javad Zarif", "Zarif", "Iran"),
    ("Secretary of State", "John Kerry", "Kerry", "the United States"),
    ("Prime Minister", "Benjamin Netanyahu", "Netanyahu", "Israel"),
    ("President", "Hassan Rouhani", "Rouhani", "Iran"),
    ("Parliament Speaker", "Ali Larijani", "Larijani", "Iran"),
    ("Judiciary Chief", "Sadeq Larijani", "Larijani", "Iran"),
    ("Foreign Secretary", "William Hague", "Hague", "Britain"),
    ("Chancellor", "Angela Merkel", "Merkel", "Germany"),
    ("Foreign Minister", "Sergei Lavrov", "Lavrov", "Russia"),
    ("EU foreign policy chief", "Catherine Ashton", "Ashton", "the European Union"),
    ("IAEA Director General", "Yukiya Amano", "Amano", "the agency"),
    ("deputy foreign minister", "Abbas Araqchi", "Araqchi", "Iran"),
    ("Defence Minister", "Moshe Yaalon", "Yaalon", "Israel"),
    ("Senator", "Robert Menendez", "Menendez", "the Senate"),
    ("Foreign Minister", "Laurent Fabius", "Fabius", "France"),
    ("Foreign Minister", "Wang Yi", "Wang", "China"),
]
CITIES = ["GENEVA", "TEHRAN", "VIENNA", "WASHINGTON", "JERUSALEM", "MOSCOW", "BRUSSELS", "LONDON"]
TOPICS = ["the nuclear talks", "the sanctions", "uranium enrichment", "the interim deal", "the Arak reactor",
          "the inspections", "the frozen assets", "the next round of negotiations"]
TEMPLATES = [
    "{city} (Reuters) - {title} {full} said on {day} that {topic} had reached a critical stage. \u201cWe are not "
    "going to accept a deal that ignores our rights,\u201d {last} told reporters after meeting his counterparts.",
    "\u201cThe ball is now in the other side\u2019s court,\u201d {last} said, adding that {topic} could not wait "
    "for ever. A spokesman for {country} said the talks would resume next week.",
    "{country}\u2019s {title_l}, {full}, warned that {topic} would fail without trust. \u201cNobody should doubt our "
    "resolve,\u201d he said. \u201cBut we are ready to talk.\u201d",
    "According to {full}, {topic} will be discussed again on {day}. The ministry spokesman said that \u201cno "
    "decision has been taken yet\u201d and that {last} would travel to {city_t} on {day}.",
    "{last} accused his critics of distorting the record on {topic}: \u201cThey know the facts, and they choose to "
    "ignore them.\u201d Officials in {country} declined to comment.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def paragraph(rng: random.Random) -> str:
    """One news paragraph with quotes by a named speaker and a described one."""
    title, full, last, country = rng.choice(PEOPLE)
    city = rng.choice(CITIES)
    return rng.choice(TEMPLATES).format(city=city, city_t=city.title(), title=title, title_l=title.lower(), full=full,
                                        last=last, country=country, topic=rng.choice(TOPICS), day=rng.choice(DAYS))


def hostile_text(size_mb: float, seed: int = 7) -> str:
    """A headline and paragraphs separated by blank lines, up to ``size_mb`` MB of UTF-8."""
    rng = random.Random(seed)
    limit = int(size_mb * 1024 * 1024)
    parts = ["Nuclear talks resume as ministers trade warnings\n\n"]
    size = len(parts[0].encode("utf-8"))
    while True:
        para = paragraph(rng) + "\n\n"
        n = len(para.encode("utf-8"))
        if size + n > limit:
            break
        parts.append(para)
        size += n
    return "".join(parts)


def _measure(args: list[str], timeout: float) -> None:
    """Child: run one command, print its wall seconds and peak RSS (and whether it timed out) as JSON."""
    started = time.perf_counter()
    try:
        rc = subprocess.run(args, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).returncode
    except subprocess.TimeoutExpired:
        rc = "timeout"
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": peak, "rc": rc}))


def measured(args: list[str], timeout: float) -> dict:
    """Run ``args`` under a fresh measuring process, so each step's peak is its own."""
    out = subprocess.run([sys.executable, __file__, "_measure", str(timeout), *args], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def stored(store: Path) -> tuple[int, int]:
    """Quotes and warnings in the store."""
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:
        quotes = con.execute("SELECT count(*) FROM quotes").fetchone()[0]
        warnings = con.execute("SELECT count(*) FROM failures WHERE severity = 'warning'").fetchone()[0]
    finally:
        con.close()
    return quotes, warnings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="*", default=[0.5, 1.0, 1.99], help="document sizes in MB")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds before a step counts as hung")
    ap.add_argument("--uncapped", action="store_true", help="also read the largest size with the caps lifted")
    args = ap.parse_args()
    print(f"{'MB':>5} {'step':<25} {'seconds':>8} {'ratio':>6} {'peak MB':>8} {'quotes':>7} {'warnings':>8}  status")
    previous: float | None = None
    runs = [(size, False) for size in args.sizes] + ([(max(args.sizes), True)] if args.uncapped else [])
    for size, uncapped in runs:
        with tempfile.TemporaryDirectory() as tmp:
            doc, store, config = Path(tmp) / "hostile.txt", Path(tmp) / "s.duckdb", Path(tmp) / "backchannel.toml"
            doc.write_text(hostile_text(size), encoding="utf-8")
            config.write_text("max_quotes = 1000000000\nmax_events = 1000000000\n" if uncapped else "", encoding="utf-8")
            for step, path in (("read huge", doc), ("read another", SECOND)):
                step += " (uncapped)" if uncapped else ""
                m = measured([str(BACKCHANNEL), "read", str(path), "--store", str(store), "--config", str(config), "-q"],
                             args.timeout)
                quotes, warnings = stored(store) if store.exists() and m["rc"] != "timeout" else (0, 0)
                ratio = ""
                if step == "read huge":  # the ratio to the previous (smaller) size
                    ratio = f"{m['seconds'] / previous:.2f}" if previous else ""
                    previous = m["seconds"]
                status = "ok" if m["rc"] in (0, 1) else str(m["rc"])
                print(f"{size:>5.2f} {step:<25} {m['seconds']:>8.1f} {ratio:>6} {m['peak_mb']:>8.0f} {quotes:>7,} "
                      f"{warnings:>8}  {status}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "_measure":
        _measure(sys.argv[3:], float(sys.argv[2]))
    else:
        main()
