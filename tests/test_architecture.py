"""The package's shape, kept: the layering in .importlinter (no stage imports a later one, no
cycle) and ruff's rules in ruff.toml (no import inside a function but an optional heavy one)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else shutil.which(name) or name


def test_layers_hold() -> None:
    proc = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def test_no_import_inside_a_function() -> None:
    proc = subprocess.run([_tool("ruff"), "check", "backchannel", "--output-format", "concise"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


import ast  # noqa: E402  (kept beside the one test that reads the syntax tree)

#: issue 21: a function longer than this is split into named steps
MAX_FUNCTION_LINES = 60


def test_no_function_over_60_lines() -> None:
    """Every function and method in the library, nested ones too, fits in 60 lines (``def`` to
    its last line, decorators aside), so each reads as one step with a name."""
    too_long = []
    for path in sorted((ROOT / "backchannel").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert not too_long, "functions over 60 lines; split them into named steps:\n" + "\n".join(too_long)
