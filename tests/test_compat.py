"""What earlier users built on keeps working: the spaCy factory names, and stores written by 0.1.0.

The store is tests/data/store-v3 (see its README): the examples as 0.1.0 wrote them, schema 3.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import duckdb
import pytest
from spacy.language import Language

from backchannel.analysis.dyads import dyad
from backchannel.analysis.report import report
from backchannel.storage.store import Store

COUNTS = {"documents": 5, "quotes": 112, "events": 53, "speakers": 49, "statements": 98}


@pytest.mark.parametrize("name", ["backchannel_quotes", "backchannel_events"])
def test_compat_spacy_factory_names_are_registered_by_their_entry_points(name: str) -> None:
    (point,) = [ep for ep in entry_points(group="spacy_factories") if ep.name == name]
    factory = point.load()  # what spaCy does for a pipeline config naming the factory
    assert Language.has_factory(name) and Language.get_factory_meta(name).factory == name
    assert callable(factory)



def _schema(path: Path) -> list[tuple[str, str, str]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                           "ORDER BY table_name, ordinal_position").fetchall()


def test_compat_a_store_written_by_0_1_0_opens_read_only_with_its_records(old_store: Path, tmp_path: Path) -> None:
    with Store(old_store, read_only=True) as st:
        assert {t: st.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTS} == COUNTS
        summary = report(st.con, tmp_path / "r.html")
        assert (summary.statements, summary.overview.comments) == (2, 22)  # the linked tables are read too
        assert summary.dyads[0] == ("IRN", "USA", 29)
        d = dyad(st.con, "IRN", "USA")
        assert sum(len(p.ids) for p in d.points) + sum(d.undated.values()) == 29  # every event, dated or not


def test_compat_opening_a_0_1_0_store_for_writing_changes_nothing(old_store: Path) -> None:
    before = _schema(old_store)
    with Store(old_store) as st:
        assert st.con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == ("3",)
    assert _schema(old_store) == before
