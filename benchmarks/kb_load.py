"""How long the knowledge base and the gazetteer take to load, in a fresh process (the target:
the knowledge base once per process in under a second).

    python benchmarks/kb_load.py
"""

from __future__ import annotations

import subprocess
import sys

#: run in a child so that nothing is loaded before the clock starts; the package import is not timed
_CHILD = """
import time
from backchannel.resources import kb
from backchannel.entities import gazetteer
steps = [("people", kb.people_by_name), ("places", lambda: kb.places_called("Paris")),
         ("countries", kb.countries_by_name), ("organisations", kb.organisations_by_name),
         ("gazetteer (tables + office holders)", gazetteer.Gazetteer.default)]
total = 0.0
for name, step in steps:
    t = time.perf_counter(); step(); took = time.perf_counter() - t; total += took
    print(f"{name:40} {took:6.3f} s")
print(f"{'total':40} {total:6.3f} s")
"""


def main() -> int:
    return subprocess.run([sys.executable, "-c", _CHILD], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
