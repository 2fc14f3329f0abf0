"""`dyad` and `report` over a store of 10,000 documents: do they answer in under 2 seconds?

Builds a synthetic store (documents with text and dates, 10 events and 3 quotes each, between a
dozen countries, USA–IRN the busiest pair; statements linked for a tenth of the quotes) straight
through the store's own schema, then times ``dyads.dyad`` (by day, week and month), writing its
PNG and HTML, and ``report.report``, best of three each.

    .venv/bin/python benchmarks/across_scale.py [--docs 10000] [--keep store.duckdb]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from backchannel.analysis.dyads import dyad, dyad_html, dyad_png
from backchannel.events.extract import EVENT_TYPES, QUAD
from backchannel.analysis.report import report
from backchannel.storage.store import Store

COUNTRIES = ["USA", "IRN", "ISR", "RUS", "CHN", "GBR", "FRA", "DEU", "SAU", "TUR", "IND", "PAK"]
MODALITIES = ["asserted"] * 8 + ["conditional", "negated", "future", "hypothetical"]


def build(path: Path, n_docs: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    start = date(2012, 1, 1)
    with Store(path) as st:
        docs, events, quotes, statements, variants = [], [], [], [], []
        for i in range(n_docs):
            aid = f"doc{i:06d}"
            day = (start + timedelta(days=rng.randint(0, 700))).isoformat() if rng.random() > 0.05 else None
            text = " ".join(f"Sentence {k} of article {i}: the ministers talked about sanctions and talks." for k in range(20))
            docs.append({"article_id": aid, "source": f"{aid}.txt", "format": "txt", "title": f"Article {i}",
                         "date": day, "outlet": f"Outlet {rng.randint(1, 200)}", "language": "en", "n_chars": len(text),
                         "n_words": len(text.split()), "n_sections": 1, "n_comments": 0, "text": text})
            for k in range(10):
                a, b = ("USA", "IRN") if rng.random() < 0.35 else tuple(rng.sample(COUNTRIES, 2))
                if rng.random() < 0.5:
                    a, b = b, a
                ev = rng.choice(EVENT_TYPES)
                s0 = k * 60
                events.append({"article_id": aid, "index": k, "event": ev, "context": rng.choice(["diplomatic", None]),
                               "actors": [{"name": a, "country": a, "sector": "GOV", "start_char": None, "end_char": None, "former": False}],
                               "recipients": [{"name": b, "country": b, "sector": "GOV", "start_char": None, "end_char": None, "former": False}],
                               "actor_countries": [a], "recipient_countries": [b], "trigger": "talks", "trigger_start": s0,
                               "trigger_end": s0 + 5, "sentence_start": s0, "sentence_end": s0 + 58,
                               "modality": rng.choice(MODALITIES), "section": 0, "section_kind": "body", "score": rng.uniform(-10, 8),
                               "quad": QUAD[ev], "claimed_by": "Someone" if k % 3 == 0 else None, "quote": k % 3 if k % 3 == 0 else None,
                               "confidence": 0.9, "date": None})
            for k in range(3):
                quotes.append({"article_id": aid, "index": k, "kind": "direct", "content": f"We are ready to talk, number {i % 997}.",
                               "content_spans": [[k * 60, k * 60 + 30]], "clause_start": k * 60, "clause_end": k * 60 + 30,
                               "section": 0, "section_kind": "body", "start_char": k * 60, "end_char": k * 60 + 30,
                               "speaker": f"Speaker {rng.randint(1, 300)}", "via": [], "confidence": 0.9})
                if k == 0 and i % 10 == 0:
                    sid = f"st_{i % 997:05d}"
                    variants.append({"statement_id": sid, "article_id": aid, "index": 0, "date": day, "outlet": docs[-1]["outlet"],
                                     "published_in": docs[-1]["outlet"], "via": [], "content": quotes[-1]["content"],
                                     "kind": "direct", "diff": "[]", "speaker_id": "sp_x"})
        seen = {}
        for v in variants:
            seen.setdefault(v["statement_id"], []).append(v)
        for sid, vs in seen.items():
            statements.append({"statement_id": sid, "speaker_id": "sp_x", "speaker": "Speaker X", "first_article": vs[0]["article_id"],
                               "first_index": 0, "first_date": vs[0]["date"], "first_outlet": vs[0]["outlet"],
                               "n_variants": len(vs), "n_outlets": len({v["outlet"] for v in vs}), "n_wordings": 1,
                               "content": vs[0]["content"]})
        st.con.execute("BEGIN TRANSACTION")
        for table, rows in (("documents", docs), ("events", events), ("quotes", quotes), ("statements", statements),
                            ("statement_variants", variants)):
            st._insert(table, rows)
        st.con.execute("COMMIT")


def best(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--keep", type=Path, help="Build the store here and keep it.")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.duckdb"
        if path.exists():
            path.unlink()
        started = time.perf_counter()
        build(path, args.docs)
        print(f"built a store of {args.docs:,} documents in {time.perf_counter() - started:.1f} s")
        with Store(path, read_only=True) as st:
            n_events = st.count("events")
            pair = st.con.execute("SELECT count(*) FROM events WHERE (list_contains(actor_countries, 'USA') AND "
                                  "list_contains(recipient_countries, 'IRN')) OR (list_contains(actor_countries, 'IRN') "
                                  "AND list_contains(recipient_countries, 'USA'))").fetchone()[0]
            print(f"{n_events:,} events, {pair:,} between USA and IRN")
            for by in ("day", "week", "month"):
                print(f"dyad USA IRN --by {by:<5}      {best(lambda: dyad(st.con, 'USA', 'IRN', by=by)):.2f} s")  # noqa: B023
            d = dyad(st.con, "USA", "IRN", by="week")
            print(f"dyad + PNG + HTML (week)     {best(lambda: (dyad_png(dyad(st.con, 'USA', 'IRN'), Path(tmp) / 'd.png'), dyad_html(d, Path(tmp) / 'd.html'))):.2f} s")
            print(f"report                       {best(lambda: report(st.con, Path(tmp) / 'r.html')):.2f} s "
                  f"({(Path(tmp) / 'r.html').stat().st_size / 1e6:.1f} MB)")
    print("target: each under 2 s on this 2-core machine")


if __name__ == "__main__":
    main()
