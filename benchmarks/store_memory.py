"""The driver's memory as the store grows, without parsing: what the driver does per batch (check
known ids, write a batch, add copies), repeated until the store holds N documents.

Parsing runs on workers; the driver's own growth comes from the store. This writes copies of a
few parsed synthetic articles under fresh ids (so every row is new, as in a real run) and prints
the driver's RSS at each checkpoint, for DuckDB's memory limit as configured and for a lower one.

    .venv/bin/python benchmarks/store_memory.py [--docs 100000] [--limits 1GB 256MB]
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _child(n: int, limit: str, store: str) -> None:
    from scale import write_corpus

    from backchannel import store as store_module
    from backchannel.ingest import iter_inputs
    from backchannel.records import RawInput
    from backchannel.runner import _copy_row, process
    from backchannel.settings import Settings

    store_module.STORE_MEMORY = limit
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "c.jsonl"
        write_corpus(corpus, 64)
        raws = [r for r in iter_inputs([str(corpus)], Settings()) if isinstance(r, RawInput)]
    docs = process(raws, Settings())
    proc = psutil.Process()
    marks = {n // 10 * k for k in (1, 2, 5, 10)}
    with store_module.Store(store) as st:
        written = 0
        while written < n:
            batch = []
            for d in docs:
                aid = hashlib.sha256(f"{written + len(batch)}".encode()).hexdigest()[:32]
                fix = {"article_id": aid}
                batch.append(replace(d, **fix, source=f"syn:{written + len(batch)}",
                                     sections=tuple(replace(x, **fix) for x in d.sections),
                                     sentences=tuple(replace(x, **fix) for x in d.sentences),
                                     entities=tuple(replace(x, **fix) for x in d.entities),
                                     quotes=tuple(replace(x, **fix) for x in d.quotes),
                                     events=tuple(replace(x, **fix) for x in d.events)))
            st.known_ids([b.article_id for b in batch])
            st.write(batch)
            st.add_copies([_copy_row(b.article_id, RawInput(b.source, "", "txt")) for b in batch])
            written += len(batch)
            if any(written - len(batch) < m <= written for m in marks):
                print(f"{limit:>6} {written:>9,} {proc.memory_info().rss / 2**20:>8.0f} "
                      f"{Path(store).stat().st_size / 2**20:>9.0f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--limits", nargs="*", default=["1GB", "256MB"])
    args = ap.parse_args()
    print(f"{'limit':>6} {'documents':>9} {'RSS MB':>8} {'store MB':>9}")
    for limit in args.limits:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, __file__, "_child", str(args.docs), limit, f"{tmp}/s.duckdb"], check=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        _child(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        main()
