"""Scale-out: documents/s for one process, ``--jobs 2`` and Dask with 2 workers; time per stage;
and peak memory as the corpus grows.

Prints, in one run on this machine:

1. steady-state documents/s (first batch excluded, so pipeline loading is not counted) for the
   local engine with 1 and 2 processes and for a Dask LocalCluster of 2 workers, each with the
   driver's and the workers' peak RSS, and its speed-up over one process; the 2-process and
   Dask runs again with ``--parts`` (workers write Parquet partitions, the driver merges them);
2. seconds per 100 documents for each stage (decode, clean, parse, quotes, speakers, events,
   store) measured in this process on a sample (speakers: the time inside the speaker resolver,
   which the quote stage calls per quote, taken out of the quote figure);
3. for each corpus size, the driver's peak RSS, the workers' peak RSS and documents/s of a
   ``--jobs 2`` run: flat driver memory means no whole-corpus lists in the driver.

The articles are synthetic: sentences of the repository's test corpus (real news style, with
quotes and events) drawn at random into 8–14-sentence articles, each unique.

    .venv/bin/python benchmarks/scale.py [--docs 400] [--sizes 1000 10000] [--stage-sample 200]

A run of 100,000 articles is ``--sizes 100000`` (about 1.5 h on 2 cores at ~18 documents/s).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus" / "articles.jsonl"


def sentences() -> list[str]:
    out = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"].split("thoughts on")[0]
        for para in text.split("\n\n"):
            out += [s.strip() for s in re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])", para) if len(s.split()) >= 6]
    return out


def write_corpus(path: Path, n: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    pool = sentences()
    outlets = ["Reuters", "Associated Press", "The Guardian", "Al Jazeera", "Press TV", "BBC News"]
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            picked = rng.sample(pool, rng.randint(8, 14))
            paras = ["\n".join(picked[k : k + 2]) for k in range(0, len(picked), 2)]
            day = f"2013-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            f.write(json.dumps({"id": f"syn{i}", "title": f"Synthetic article {i}", "date": day,
                                "outlet": rng.choice(outlets), "text": f"Article {i}.\n\n" + "\n\n".join(paras)}) + "\n")


def _child(args: argparse.Namespace) -> None:
    """One timed run in its own process: prints a JSON line of figures."""
    from backchannel import api

    marks: list[tuple[float, int]] = []
    done = [0]

    def progress(n: int, _words: int) -> None:
        done[0] += n
        marks.append((time.perf_counter(), done[0]))

    started = time.perf_counter()
    summary = api.read([args.input], store=args.store, link=False, engine=args.engine, jobs=args.jobs,
                       workers=args.workers, batch_size=args.batch_size, progress=progress, parts=args.parts or None)
    wall = time.perf_counter() - started
    (t0, n0), (t1, n1) = marks[0], marks[-1]
    print(json.dumps({"added": summary.added, "failed": summary.failed, "wall": wall,
                      "steady": (n1 - n0) / (t1 - t0) if t1 > t0 else None,
                      "driver_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))


def timed_run(input_path: Path, engine: str, jobs: int, workers: int, batch_size: int, parts: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, __file__, "_child", "--input", str(input_path), "--store", f"{tmp}/s.duckdb",
               "--engine", engine, "--jobs", str(jobs), "--workers", str(workers), "--batch-size", str(batch_size),
               "--parts", f"{tmp}/parts" if parts else ""]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        result["store_mb"] = Path(f"{tmp}/s.duckdb").stat().st_size / 2**20
        return result


def stages(input_path: Path, n: int) -> dict[str, float]:
    """Seconds per stage over ``n`` documents, in this process."""
    from backchannel.entities.gazetteer import gazetteer_for
    from backchannel.inputs.clean import clean
    from backchannel.events.extract import extract_events
    from backchannel.inputs.ingest import iter_inputs
    from backchannel.pipeline.document import analyze
    from backchannel.nlp.parse import pipeline_for
    from backchannel.quotes.extract import extract_quotes
    from backchannel.records import RawInput
    from backchannel.settings import Settings
    from backchannel.quotes.speakers import SpeakerResolver
    from backchannel.storage.store import Store

    settings = Settings()
    nlp = pipeline_for(settings)
    gazetteer = gazetteer_for(None)
    nlp("Warm up the pipeline.")
    t: dict[str, float] = dict.fromkeys(("decode", "clean", "parse", "quotes", "speakers", "events", "store"), 0.0)

    depth = [0]

    def timed(method):  # the resolver's time, summed wherever the quote stage calls it (outermost call only)
        def wrapper(*a, **kw):
            started = time.perf_counter()
            depth[0] += 1
            try:
                return method(*a, **kw)
            finally:
                depth[0] -= 1
                if not depth[0]:
                    t["speakers"] += time.perf_counter() - started
        return wrapper

    originals = {name: getattr(SpeakerResolver, name) for name in ("__init__", "resolve", "note_speaker")}
    started = time.perf_counter()
    raws = [r for _, r in zip(range(n), iter_inputs([str(input_path)], settings)) if isinstance(r, RawInput)]
    t["decode"] = time.perf_counter() - started
    started = time.perf_counter()
    cleaned = [clean(r, settings) for r in raws]
    t["clean"] = time.perf_counter() - started
    started = time.perf_counter()
    docs = list(nlp.pipe((c.text for c in cleaned), batch_size=settings.nlp_batch_size))
    t["parse"] = time.perf_counter() - started
    for name, method in originals.items():
        setattr(SpeakerResolver, name, timed(method))
    for c, doc in zip(cleaned, docs):
        started = time.perf_counter()
        quotes = tuple(extract_quotes(doc, c.sections, c.article_id, blockquotes=c.blockquotes))
        t["quotes"] += time.perf_counter() - started
        started = time.perf_counter()
        tuple(extract_events(doc, c.sections, c.article_id, quotes, when=c.date, gazetteer=gazetteer))
        t["events"] += time.perf_counter() - started
    for name, method in originals.items():
        setattr(SpeakerResolver, name, method)
    t["quotes"] -= t["speakers"]
    records = [analyze(c, d, settings) for c, d in zip(cleaned, docs)]
    with tempfile.TemporaryDirectory() as tmp, Store(f"{tmp}/s.duckdb") as st:
        started = time.perf_counter()
        for k in range(0, len(records), settings.batch_size):
            st.write(records[k : k + settings.batch_size])
        t["store"] = time.perf_counter() - started
    return {k: v * 100 / len(raws) for k, v in t.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=400, help="articles for the engine comparison")
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="corpus sizes for the memory series")
    ap.add_argument("--stage-sample", type=int, default=200)
    ap.add_argument("--batch-size", type=int, default=16)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "engines.jsonl"
        write_corpus(corpus, args.docs)
        print(f"engines on {args.docs:,} synthetic articles (batch {args.batch_size}; docs/s excludes the first batch)")
        print(f"{'engine':<22} {'docs/s':>7} {'speed-up':>9} {'wall s':>7} {'driver MB':>10} {'worker MB':>10}")
        base = None
        for label, engine, jobs, workers, parts in (
                ("local, 1 process", "local", 1, 1, False), ("local, --jobs 2", "local", 2, 1, False),
                ("dask, 2 workers", "dask", 1, 2, False), ("--jobs 2 --parts", "local", 2, 1, True),
                ("dask 2 w. --parts", "dask", 1, 2, True)):
            r = timed_run(corpus, engine, jobs, workers, args.batch_size, parts)
            base = base or r["steady"]
            print(f"{label:<22} {r['steady']:>7.2f} {r['steady'] / base:>8.2f}x {r['wall']:>7.1f} "
                  f"{r['driver_mb']:>10.0f} {r['workers_mb']:>10.0f}", flush=True)
        print(f"\nseconds per 100 articles by stage (one process, {args.stage_sample} articles)")
        for stage, sec in stages(corpus, args.stage_sample).items():
            print(f"  {stage:<16} {sec:>7.2f}")
        if args.sizes:
            print("\nmemory as the corpus grows (local, --jobs 2)")
            print(f"{'articles':>9} {'docs/s':>7} {'wall s':>8} {'driver MB':>10} {'worker MB':>10} {'store MB':>9}")
        for n in args.sizes:
            path = Path(tmp) / f"c{n}.jsonl"
            write_corpus(path, n, seed=n)
            r = timed_run(path, "local", 2, 1, args.batch_size)
            print(f"{n:>9,} {r['steady']:>7.2f} {r['wall']:>8.1f} {r['driver_mb']:>10.0f} {r['workers_mb']:>10.0f} "
                  f"{r['store_mb']:>9.1f}", flush=True)
            path.unlink()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        cp = argparse.ArgumentParser()
        for opt in ("--input", "--store", "--engine", "--parts"):
            cp.add_argument(opt)
        for opt in ("--jobs", "--workers", "--batch-size"):
            cp.add_argument(opt, type=int)
        _child(cp.parse_args(sys.argv[2:]))
    else:
        main()
