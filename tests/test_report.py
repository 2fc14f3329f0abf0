"""The HTML report: one self-contained file with the corpus, speakers, outlets, statement variants and dyads."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from backchannel.analysis.report import report, top_pairs, variant_statements
from backchannel.records import Person, Statement, Variant
from backchannel.storage.store import Store
from tests.test_dyads import build_store

FIRST = "We will negotiate with the U.S.A. even in the depths of hell"
VARIANTS = [  # (article_id, index, date, outlet, via, content, diff against the first report)
    ("d1", 0, "2013-02-05", "Reuters", [], FIRST, [["=", FIRST]]),
    ("d3", 0, "2013-02-12", "AFP", ["IRNA"], "We can hold talks with America even at the bottom of hell",
     [["-", "We will negotiate with the U.S.A."], ["+", "We can hold talks with America"], ["=", "even"],
      ["-", "in the depths"], ["+", "at the bottom"], ["=", "of hell"]]),
    ("d4", 0, "2013-02-20", "Reuters", [], "We will negotiate <even> in hell", [["=", "We will negotiate"], ["+", "<even>"], ["=", "in hell"]]),
]


def _link(store: Store) -> None:
    """The cross-document rows, written by the store itself, so its own schema is the one tested."""
    people = [Person("p1", "Mohammad Javad Zarif", Counter({"Zarif": 3}), n_quotes=3),
              Person("p2", "John Kerry", Counter({"Kerry": 1}), n_quotes=1)]
    s1 = [Variant(aid, idx, content, "direct", date, outlet, None, tuple(via), tuple((op, text) for op, text in diff))
          for aid, idx, date, outlet, via, content, diff in VARIANTS]
    s2 = [Variant("d2", 0, "A lonely remark", "direct", "2013-02-07", "AP", None, (), (("=", "A lonely remark"),))]
    store.replace_links(people, [Statement("s1", "p1", "Mohammad Javad Zarif", tuple(s1), wordings=3),
                                 Statement("s2", "p2", "John Kerry", tuple(s2))])


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with build_store(tmp_path / "s.duckdb") as st:
        _link(st)
        yield st


def test_top_pairs_by_event_count(store: Store) -> None:
    # IRN–USA: 7 body events one way, 6 the other; the comment's REJECT is not counted
    assert top_pairs(store.con) == [("IRN", "USA", 13), ("FRA", "USA", 1), ("GBR", "IRN", 1)]


def test_statements_with_several_variants(store: Store) -> None:
    rows = variant_statements(store.con, top=20)
    assert [r.statement_id for r in rows] == ["s1"]  # s2 has one report
    assert [(v.outlet, v.date, v.via) for v in rows[0].variants] == [
        ("Reuters", "2013-02-05", ()), ("AFP", "2013-02-12", ("IRNA",)), ("Reuters", "2013-02-20", ())]


def test_report_is_one_self_contained_page(store: Store, tmp_path: Path) -> None:
    summary = report(store.con, tmp_path / "r.html")
    page = summary.path.read_text(encoding="utf-8")
    assert (summary.overview.documents, summary.overview.outlets, summary.overview.quotes) == (6, 4, 1)
    assert (summary.overview.events, summary.overview.comments, summary.overview.undated) == (15, 1, 1)
    assert (summary.overview.first_date, summary.overview.last_date) == ("2013-02-05", "2013-02-21")
    assert summary.dyads[0] == ("IRN", "USA", 13) and summary.statements == 1
    assert not re.search(r"<script[^>]+src=", page) and not re.search(r"<link[^>]+href=", page)
    assert page.count("<svg ") == 3 and "plotly" not in page  # the three charts are inline SVG
    ids = re.findall(r'<[a-z][^<>]*?\sid="([^"]+)"', page)  # of elements
    assert len(ids) == len(set(ids))  # the charts' marks and clip paths do not collide
    for i in range(3):  # a chart, its evidence and its click panel per pair
        assert all(f'id="dyad{i}{part}"' in page for part in ("", "-evidence", "-panel"))
    assert page.count("</script>") == page.count("<script")
    assert "2013-02-05 to 2013-02-21 (1 undated)" in page


def test_report_lists_variants_with_their_diffs(store: Store, tmp_path: Path) -> None:
    page = report(store.con, tmp_path / "r.html").path.read_text(encoding="utf-8")
    assert "Mohammad Javad Zarif" in page and "First reported by Reuters on 2013-02-05" in page
    assert "<del>We will negotiate with the U.S.A.</del> <ins>We can hold talks with America</ins> even" in page
    assert "<td>IRNA</td>" in page
    assert "<ins>&lt;even&gt;</ins>" in page and "<even>" not in page  # wording is escaped
    assert "A lonely remark" not in page  # a statement with one report is not a variant
    assert page.index("Mohammad Javad Zarif") < page.index("John Kerry")  # top speakers by quotes


def test_report_without_cross_document_tables(tmp_path: Path) -> None:
    with build_store(tmp_path / "s.duckdb") as st:
        for table in ("statement_variants", "statements", "speakers"):
            st.con.execute(f"DROP TABLE IF EXISTS {table}")
        summary = report(st.con, tmp_path / "r.html", top=5)
        page = summary.path.read_text(encoding="utf-8")
    assert summary.statements == 0 and summary.speakers == 1  # speaker names as printed in the quotes
    assert "not linked yet" in page and "<td>Zarif</td>" in page
