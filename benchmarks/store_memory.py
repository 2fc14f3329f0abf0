"""The driver's memory as the store grows, without parsing: what the driver does per batch (check
known ids, write a batch, add copies), repeated until the store holds N documents.

Parsing runs on workers; the driver's own growth comes from the store. This writes copies of a
few parsed synthetic articles under fresh ids (so every row is new, as in a real run) and prints
the driver's RSS, its peak so far and DuckDB's own tally (duckdb_memory()) at each checkpoint, with the connection
renewed every N documents as configured (store.RENEW_EVERY) and, for comparison, never (0).

    .venv/bin/python benchmarks/store_memory.py [--docs 100000] [--renew 5000 0] [--limit 1GB]
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _child(n: int, limit: str, renew: int, store: str) -> None:
    from scale import write_corpus

    from backchannel.storage import store as store_module
    from backchannel.inputs.ingest import iter_inputs
    from backchannel.records import RawInput
    from backchannel.execution.runner import _copy_row
    from backchannel.execution.batch import process
    from backchannel.settings import Settings

    store_module.STORE_MEMORY = limit
    store_module.RENEW_EVERY = renew or 10**12
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
                tracked = st.con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0]
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(f"{renew or 'never':>6} {written:>9,} {proc.memory_info().rss / 2**20:>8.0f} {peak:>8.0f} "
                      f"{tracked / 2**20:>9.0f} {Path(store).stat().st_size / 2**20:>9.0f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--renew", type=int, nargs="*", default=[5000, 0], help="documents per connection; 0: never renew")
    ap.add_argument("--limit", default="1GB", help="DuckDB memory_limit")
    args = ap.parse_args()
    print(f"{'renew':>6} {'documents':>9} {'RSS MB':>8} {'peak MB':>8} {'DuckDB MB':>9} {'store MB':>9}")
    for renew in args.renew:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, __file__, "_child", str(args.docs), args.limit, str(renew), f"{tmp}/s.duckdb"],
                           check=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        _child(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5])
    else:
        main()
