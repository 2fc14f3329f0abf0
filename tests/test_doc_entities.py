"""Document entities in the store: written with their document, read back, listed by ``backchannel
entities``, exported, carried by Parquet partitions, and a version-3 store upgraded to hold them."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from backchannel import api
from backchannel.cli import cli
from backchannel.records import Actor, DocEntity, Document, Event, Quote, Section
from backchannel.storage import store as store_module
from backchannel.storage.parts import committed, readable
from backchannel.storage.store import SCHEMA_VERSION, Store

ARTICLE = Path(__file__).resolve().parent.parent / "examples" / "003_b51af508a57a262d.txt"


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example article read into a store (not linked: entities are per document)."""
    path = tmp_path_factory.mktemp("entities") / "s.duckdb"
    summary = api.read([ARTICLE], store=path, link=False)
    assert summary.added == 1
    return path


def _rows(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": "400"})
    return result.exit_code, result.output


def test_a_read_article_has_person_entities_with_mentions_in_its_text(stored: Path) -> None:
    with Store(stored, read_only=True) as st:
        (doc_id,) = [r[0] for r in st.con.execute("SELECT article_id FROM documents").fetchall()]
        doc = st.document(doc_id)
    assert doc is not None and doc.doc_entities
    people = {n.name: n for n in doc.doc_entities if n.type == "person"}
    assert "Barack Obama" in people and people["Barack Obama"].country == "USA"
    assert any(len(n.mentions) >= 2 for n in people.values())
    for n in doc.doc_entities:
        assert n.article_id == doc_id and n.mentions
        assert all(doc.text[a:b].strip() for a, b in n.mentions), n
    assert len({n.id for n in doc.doc_entities}) == len(doc.doc_entities)


def test_quotes_and_event_actors_refer_to_stored_entities_of_their_article(stored: Path) -> None:
    with Store(stored, read_only=True) as st:
        ids = {(n.article_id, n.id) for n in st.doc_entities()}
        quotes, events = st.quotes(), st.events()
    speakers = [(q.article_id, q.speaker_entity) for q in quotes if q.speaker_entity is not None]
    actors = [(e.article_id, a.entity) for e in events for a in (*e.actors, *e.recipients) if a.entity is not None]
    assert speakers and actors  # the example has both, so the check below checks something
    assert set(speakers) <= ids and set(actors) <= ids


def test_the_stored_document_reads_back_as_it_was_analysed(stored: Path) -> None:
    fresh = api.read_text(ARTICLE.read_text(encoding="utf-8"), source=str(ARTICLE))
    with Store(stored, read_only=True) as st:
        back = st.document(fresh.article_id)
    assert back is not None
    assert back.doc_entities == fresh.doc_entities
    assert [a.entity for e in back.events for a in e.actors] == [a.entity for e in fresh.events for a in e.actors]
    assert [a.entity for e in back.events for a in e.recipients] == [a.entity for e in fresh.events for a in e.recipients]


def test_a_rerun_adds_no_entity_twice(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    api.read([ARTICLE], store=path, link=False)
    before = _rows(path, "SELECT count(*), count(DISTINCT (article_id, entity)) FROM doc_entities")[0]
    again = api.read([ARTICLE], store=path, link=False)
    assert again.added == 0 and before[0] == before[1] > 0
    assert _rows(path, "SELECT count(*), count(DISTINCT (article_id, entity)) FROM doc_entities")[0] == before


def test_a_failed_write_leaves_no_entity_behind_and_the_next_write_stores_it_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The entities go in the document's transaction: a write that fails half-way keeps nothing of it."""
    doc = api.read_text(ARTICLE.read_text(encoding="utf-8"), source="a.txt")
    path = tmp_path / "s.duckdb"

    def broken(n: DocEntity) -> dict:
        raise ValueError("cannot convert this value")

    with Store(path) as st:
        monkeypatch.setattr(store_module, "_doc_entity_row", broken)
        with pytest.raises(ValueError):
            st.write([doc])
        assert st.count("documents") == st.count("quotes") == st.count("doc_entities") == 0
        monkeypatch.undo()
        assert st.write([doc]) == 1 and st.write([doc]) == 0
        assert st.count("doc_entities") == len(doc.doc_entities)


def test_api_entities_filters_by_type_and_country(stored: Path) -> None:
    everything = api.entities(stored)
    people = api.entities(stored, type="person")
    iranian = api.entities(stored, country="irn")
    assert people and all(isinstance(n, DocEntity) and n.type == "person" for n in people)
    assert len(people) < len(everything)
    assert iranian and all(n.country == "IRN" for n in iranian)
    assert {n.type for n in everything} > {"person"}
    assert len(api.entities(stored, limit=2)) == 2


def test_cli_entities_lists_a_table_filtered_by_type(stored: Path) -> None:
    code, out = _cli("entities", "--store", str(stored), "--type", "person")
    assert code == 0, out
    assert "Barack Obama" in out and "president of USA" in out
    assert "Mehr News Agency" not in out  # an outlet
    code, everything = _cli("entities", "--store", str(stored))
    assert code == 0 and "Mehr News Agency" in everything


def test_cli_entities_jsonl_rows_carry_mentions_that_slice_the_stored_text(stored: Path) -> None:
    code, out = _cli("entities", "--store", str(stored), "--jsonl", "--country", "IRN")
    assert code == 0, out
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(r["country"] == "IRN" for r in rows)
    with Store(stored, read_only=True) as st:
        texts = {aid: st.document(aid).text for aid in {r["article_id"] for r in rows}}  # type: ignore[union-attr]
    for r in rows:
        assert r["id"] == f"{r['article_id']}:e{r['entity']}" and r["mentions"]
        assert all(texts[r["article_id"]][a:b].strip() for a, b in r["mentions"]), r


def test_cli_entities_needs_a_store(tmp_path: Path) -> None:
    code, out = _cli("entities", "--store", str(tmp_path / "none.duckdb"))
    assert code == 1 and "no store here yet" in out and not (tmp_path / "none.duckdb").exists()


# --- names from an article are text, never markup or formulas ----------------------------------


def _hostile_document() -> Document:
    text = "=HYPERLINK said \x1b]0;pwned\x07 hello. Then he left."
    aid = "hostile0"
    name = "=HYPERLINK(\"http://x\")\x1b]0;pwned\x07[link=http://x]y[/link]"
    actor = Actor("=HYPERLINK", "USA", "GOV", (0, 10), False, 0)
    return Document(
        article_id=aid, source="h.txt", format="txt", text=text, external_id=None, title=None, author=None, date=None,
        url=None, outlet=None, language="en", encoding="utf-8", n_words=8,
        sections=(Section(aid, 0, "body", 0, len(text)),), sentences=(), entities=(),
        quotes=(Quote(aid, 0, "indirect", "hello", ((30, 35),), (30, 35), 0, "body", 0, 35, speaker="x", speaker_entity=0),),
        events=(Event(aid, 0, "SAY", None, None, (actor,), (), "said", (11, 15), (0, 36), "asserted", 0, "body"),),
        doc_entities=(DocEntity(aid, 0, name, "person", "USA", "GOV", ("=cmd|' /C calc'!A0",), ((0, 10), (21, 23))),),
    )


def test_hostile_entity_names_are_escaped_on_the_terminal_and_neutralised_in_csv(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as st:
        st.write([_hostile_document()])
    code, out = _cli("entities", "--store", str(path))
    assert code == 0, out
    assert "\x1b" not in out and "\\x1b" in out and "[link=" in out
    code, out = _cli("entities", "--store", str(path), "--jsonl")
    assert code == 0 and "\x1b" not in out and json.loads(out)["name"].startswith("=HYPERLINK")
    api.export("csv", tmp_path / "csv", store=path, tables=("doc_entities",))
    cell = (tmp_path / "csv" / "doc_entities.csv").read_text(encoding="utf-8").splitlines()[1]
    assert "\"'=HYPERLINK" in cell and ",=" not in cell
    with Store(path, read_only=True) as st:
        (back,) = st.events()
    assert back.actors[0].entity == 0


# --- export ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "csv"])
def test_export_writes_the_entities_table(stored: Path, tmp_path: Path, fmt: str) -> None:
    (out,) = api.export(fmt, tmp_path, store=stored, tables=("doc_entities",))
    n = duckdb.sql(f"SELECT count(*) FROM '{out}'").fetchone()[0]  # type: ignore[index]
    assert out.name == f"doc_entities.{fmt}" and n == len(api.entities(stored)) > 0
    if fmt == "jsonl":
        first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
        assert first["entity"] == 0 and first["mentions"] and all(len(m) == 2 for m in first["mentions"])


# --- a store written by the previous version ------------------------------------------------------



def _schema(path: Path) -> str:
    return _rows(path, "SELECT value FROM meta WHERE key = 'schema'")[0][0]


def test_a_version_3_store_reads_without_entities_and_exports_an_empty_table(old_store: Path, tmp_path: Path) -> None:
    with Store(old_store, read_only=True) as st:
        events = st.events()
        assert st.count("doc_entities") == 0 and st.doc_entities() == []
    assert events and all(a.entity is None for e in events for a in (*e.actors, *e.recipients))
    code, out = _cli("entities", "--store", str(old_store), "--jsonl")
    assert code == 0 and out == ""
    written = api.export("parquet", tmp_path / "out", store=old_store)
    assert "doc_entities.parquet" in {p.name for p in written}
    columns = pq.read_schema(tmp_path / "out" / "doc_entities.parquet").names
    assert pq.read_table(tmp_path / "out" / "doc_entities.parquet").num_rows == 0 and "mentions" in columns
    assert _schema(old_store) == "3"


def test_a_version_3_store_is_upgraded_when_a_document_is_written(old_store: Path, caplog: pytest.LogCaptureFixture) -> None:
    with Store(old_store, read_only=True) as st:
        old_events = st.events()
    api.read([ARTICLE.parent / "000_fd5ae7baf4eaa798.txt"], store=old_store)  # stored already: nothing written
    assert _schema(old_store) == "3"
    copy = old_store.parent / "new.txt"
    copy.write_text(ARTICLE.read_text(encoding="utf-8") + "\nA paragraph the old store has not seen.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        summary = api.read([copy], store=old_store)
    assert summary.added == 1 and _schema(old_store) == SCHEMA_VERSION
    assert caplog.text.count(f"upgraded the store from schema 3 to {SCHEMA_VERSION}") == 1
    with Store(old_store, read_only=True) as st:
        new_id = st.con.execute("SELECT article_id FROM documents WHERE source = ?", [str(copy)]).fetchone()[0]
        assert {n.article_id for n in st.doc_entities()} == {new_id}
        assert [e for e in st.events() if e.article_id != new_id] == old_events  # the old rows, entity None
        assert any(a.entity is not None for e in st.events(article_id=new_id) for a in e.actors)
    with Store(old_store) as st:
        assert st.has_doc_entities  # opened again: nothing left to upgrade


def test_a_failed_first_write_leaves_a_version_3_store_as_it_was(old_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = api.read_text(ARTICLE.read_text(encoding="utf-8") + "\nSomething new.\n", source="n.txt")
    monkeypatch.setattr(store_module, "_doc_entity_row", lambda n: 1 / 0)
    with Store(old_store) as st, pytest.raises(ZeroDivisionError):
        st.write([doc])
    assert _schema(old_store) == "3"
    assert not _rows(old_store, "SELECT * FROM duckdb_tables() WHERE table_name = 'doc_entities'")


# --- Parquet partitions ---------------------------------------------------------------------------


def _entities(path: Path) -> list[tuple]:
    return _rows(path, "SELECT * FROM doc_entities ORDER BY article_id, entity")


def _actor_entities(path: Path) -> list[tuple]:
    return _rows(path, 'SELECT article_id, "index", actor_entities, recipient_entities FROM events ORDER BY ALL')


def test_partitions_carry_the_entities(tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    api.read([ARTICLE], store=tmp_path / "direct.duckdb", link=False)
    api.read([ARTICLE], store=tmp_path / "a.duckdb", parts=str(parts), link=False)
    (name,) = committed(parts)
    assert (parts / "doc_entities" / f"{name}.parquet").exists()
    api.load(parts, store=tmp_path / "b.duckdb", link_after=False)
    assert _entities(tmp_path / "b.duckdb") == _entities(tmp_path / "direct.duckdb") != []
    assert _actor_entities(tmp_path / "b.duckdb") == _actor_entities(tmp_path / "direct.duckdb")


def test_a_partition_from_before_entities_loads_without_them(tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    api.read([ARTICLE], store=tmp_path / "a.duckdb", parts=str(parts), link=False)
    (name,) = committed(parts)
    (parts / "doc_entities" / f"{name}.parquet").unlink()
    events = parts / "events" / f"{name}.parquet"
    pq.write_table(pq.read_table(events).drop_columns(["actor_entities", "recipient_entities"]), events)
    quotes = parts / "quotes" / f"{name}.parquet"
    pq.write_table(pq.read_table(quotes).drop_columns(["speaker_note"]), quotes)  # schema 3 had no notes either
    assert readable(parts, name) is None
    done = api.load(parts, store=tmp_path / "b.duckdb", link_after=False)
    assert (done.loaded, done.documents) == (1, 1)
    with Store(tmp_path / "b.duckdb", read_only=True) as st:
        assert st.doc_entities() == [] and st.count("events") > 0
        assert all(a.entity is None for e in st.events() for a in e.actors)


def test_a_partition_missing_only_its_entities_file_is_refused(tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    api.read([ARTICLE], store=tmp_path / "a.duckdb", parts=str(parts), link=False)
    (name,) = committed(parts)
    (parts / "doc_entities" / f"{name}.parquet").unlink()  # its events say schema 4: the file was lost
    assert readable(parts, name) is not None and readable(parts, name).startswith("doc_entities/")  # type: ignore[union-attr]


def test_linked_speakers_take_their_country_from_their_document_entities(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    api.read([ARTICLE], store=path, link=True)
    countries = dict(_rows(path, "SELECT name, country FROM speakers"))
    entity_countries = dict(_rows(path, "SELECT name, country FROM doc_entities WHERE type = 'person'"))
    shared = [n for n in countries if entity_countries.get(n)]
    assert shared, countries
    assert all(countries[n] == entity_countries[n] for n in shared)
