"""Packaging: every imported package is declared, the ranges hold the locked versions, extras fail clearly.

A package that is imported but not declared works only while something else happens to pull it
in; the lock (requirements/constraints.txt, made by scripts/lock.py) must pin a version each
declared range allows, or the README's install and CI would not install what pyproject promises.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from backchannel.errors import ConfigError
from backchannel.execution.engines import mapper
from backchannel.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
CORE = [Requirement(r) for r in PROJECT["dependencies"]]
EXTRAS = {name: [Requirement(r) for r in reqs] for name, reqs in PROJECT["optional-dependencies"].items()}


def _declared(reqs: list[Requirement]) -> set[str]:
    return {canonicalize_name(r.name) for r in reqs}


def _imports(folder: Path) -> dict[str, set[str]]:
    """Third-party top-level module → files importing it (function-level and TYPE_CHECKING imports too)."""
    local = {p.stem for p in ROOT.rglob("*.py") if ".venv" not in p.parts} | {"backchannel", "tests"}
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
            for top in {n.partition(".")[0] for n in names} - set(sys.stdlib_module_names) - local:
                found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _undeclared(folder: str, declared: set[str]) -> dict[str, list[str]]:
    """Imports in ``folder`` whose distribution is not in ``declared`` (or not installed at all)."""
    dists = packages_distributions()
    return {top: sorted(files) for top, files in _imports(ROOT / folder).items()
            if not {canonicalize_name(d) for d in dists.get(top, [])} & declared}


def test_packaging_library_imports_only_declared_dependencies() -> None:
    # the dask engine's imports are lazy and guarded by E306, so the dask extra counts
    assert _undeclared("backchannel", _declared(CORE + EXTRAS["dask"])) == {}


@pytest.mark.parametrize("folder", ["tests", "scripts", "benchmarks"])
def test_packaging_tools_import_only_declared_dependencies(folder: str) -> None:
    assert _undeclared(folder, _declared(CORE + [r for reqs in EXTRAS.values() for r in reqs])) == {}


def test_packaging_dependencies_are_ranges_and_the_lock_pins_each_within_its_range() -> None:
    lock = {canonicalize_name(name): Version(version) for name, _, version in (
        line.partition("==") for line in (ROOT / "requirements/constraints.txt").read_text().splitlines()
        if line and not line.startswith("#"))}
    own = canonicalize_name(PROJECT["name"])
    for req in CORE + [r for reqs in EXTRAS.values() for r in reqs if canonicalize_name(r.name) != own]:
        assert req.specifier and not any(s.operator == "==" for s in req.specifier), req  # a range, not a pin
        assert req.specifier.contains(lock[canonicalize_name(req.name)]), (req, lock.get(canonicalize_name(req.name)))
    assert "plotly" not in lock  # one plotting library


def test_packaging_test_extra_installs_the_dask_engine() -> None:
    assert f"{PROJECT['name']}[dask]" in PROJECT["optional-dependencies"]["test"]


def test_packaging_dask_engine_without_dask_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed: importing it raises ImportError
    with pytest.raises(ConfigError, match=r"pip install 'backchannel\[dask\]'") as err, mapper(Settings(engine="dask")):
        pass
    assert err.value.code == "E306"
