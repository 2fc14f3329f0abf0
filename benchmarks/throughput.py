"""Throughput of `backchannel read` against bare spaCy parsing, and peak memory.

Prints, in one run: words/s and documents/s for bare ``nlp.pipe`` over the same texts and for
``backchannel read`` end to end (ingest, decode, HTML extraction, sections, parse, store),
their ratio, and the peak RSS of each phase. Each phase runs in its own process so that its
peak memory is its own; the spaCy pipeline is loaded before timing starts in both.

    python benchmarks/throughput.py [--words 200000] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_corpus(target: Path, words: int) -> int:
    """The examples repeated until ``words``; each copy differs by a marker so none is a duplicate."""
    target.mkdir(parents=True, exist_ok=True)
    from backchannel.inputs.clean import clean
    from backchannel.records import RawInput
    from backchannel.settings import Settings

    sources = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".txt", ".html"))
    fmt = {".txt": "txt", ".html": "html"}
    per_round = sum(
        len(clean(RawInput(str(p), p.read_bytes(), fmt[p.suffix]), Settings()).text.split())  # type: ignore[arg-type]
        for p in sources
    )
    rounds = max(1, -(-words // per_round))
    n = 0
    for r in range(rounds):
        for p in sources:
            data = p.read_text(encoding="utf-8")
            marker = f"\n<!-- copy {r} -->\n" if p.suffix == ".html" else f"\n\nCopy {r}.\n"
            (target / f"{r:04d}_{p.name}").write_text(data + marker, encoding="utf-8")
            n += 1
    return n


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_bare(corpus: Path) -> dict[str, float]:
    from backchannel.inputs.clean import clean
    from backchannel.inputs.ingest import iter_inputs
    from backchannel.nlp.parse import load_pipeline
    from backchannel.records import RawInput
    from backchannel.settings import Settings

    settings = Settings()
    # the same texts backchannel parses, prepared before the clock starts
    texts = [clean(r, settings).text for r in iter_inputs([str(corpus)], settings) if isinstance(r, RawInput)]
    nlp = load_pipeline(settings.model)
    nlp("warm up")
    start = time.perf_counter()
    words = 0
    for doc in nlp.pipe(texts, batch_size=settings.nlp_batch_size):
        words += sum(1 for t in doc if not (t.is_space or t.is_punct))
    seconds = time.perf_counter() - start
    return {"docs": len(texts), "words": words, "seconds": seconds, "peak_mb": _peak_mb()}


def phase_read(corpus: Path) -> dict[str, float]:
    import backchannel
    from backchannel.nlp.parse import load_pipeline
    from backchannel.settings import Settings

    load_pipeline(Settings().model)("warm up")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        summary = backchannel.read([str(corpus)], store=str(Path(tmp) / "bench.duckdb"))
        seconds = time.perf_counter() - start
    assert summary.failed == 0, summary.failures[:3]
    return {"docs": summary.added, "words": summary.words, "seconds": seconds, "peak_mb": _peak_mb()}


def _run_phase(name: str, corpus: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--corpus", str(corpus)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=200_000, help="corpus size in words (default 200k)")
    parser.add_argument("--corpus", type=Path, help="use this directory instead of the repeated examples")
    parser.add_argument("--phase", choices=["bare", "read"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        result = phase_bare(args.corpus) if args.phase == "bare" else phase_read(args.corpus)
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus or Path(tmp) / "corpus"
        if args.corpus is None:
            build_corpus(corpus, args.words)
        bare = _run_phase("bare", corpus)
        read = _run_phase("read", corpus)
    print(f"corpus: {bare['docs']:.0f} documents, {bare['words']:,.0f} words")
    print(f"{'':22}{'words/s':>12}{'docs/s':>10}{'seconds':>10}{'peak RSS MB':>14}")
    for name, r in (("bare nlp.pipe", bare), ("backchannel read", read)):
        print(f"{name:22}{r['words'] / r['seconds']:>12,.0f}{r['docs'] / r['seconds']:>10.2f}{r['seconds']:>10.1f}{r['peak_mb']:>14.0f}")
    ratio = (read["words"] / read["seconds"]) / (bare["words"] / bare["seconds"])
    print(f"ratio read / bare (words/s): {ratio:.2f}   (targets: >= 0.80 quotes only, >= 0.75 with quotes and events)")
    print(f"peak RSS of read: {read['peak_mb']:.0f} MB   (target < 1024 MB)")


if __name__ == "__main__":
    main()
