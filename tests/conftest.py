"""Shared fixtures: one spaCy pipeline per session, temporary stores, the bundled examples."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import duckdb
import pytest

from backchannel.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
GOLDEN = Path(__file__).resolve().parent / "golden"
#: the store 0.1.0 wrote (schema 3), as an EXPORT DATABASE dump
OLD_STORE = Path(__file__).resolve().parent / "data" / "store-v3"


def in_ci() -> bool:
    """True under CI (``CI=true``, as GitHub Actions and most runners set it): missing data fails there."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def missing_data(reason: str) -> NoReturn:
    """Skip a test whose data is not beside this checkout; under CI fail instead, so a gate is never skipped."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: data a gate needs must be present)", pytrace=False)
    pytest.skip(reason)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden/*.expected.jsonl.")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from backchannel.nlp.parse import load_pipeline

    return load_pipeline()


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(store=str(tmp_path / "test.duckdb"), batch_size=8)


@pytest.fixture(scope="session")
def examples() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        missing_data(f"{SHARED} is not beside this checkout")
    return SHARED


@pytest.fixture()
def old_store(tmp_path: Path) -> Path:
    """A database file holding the 0.1.0 store (schema 3), tables and rows as that version wrote them."""
    shutil.copytree(OLD_STORE, tmp_path / "dump")
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(f"IMPORT DATABASE '{tmp_path / 'dump'}'")
    return path
