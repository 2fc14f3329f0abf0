"""The embedded DuckDB store: one file, no server, idempotent writes.

A document is keyed by the hash of its content, so reading the same bytes twice adds
nothing. Each batch is written in one transaction: an interrupted run (Ctrl-C, kill -9)
keeps every committed batch and the next run skips what is already there.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, fields
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from backchannel.errors import BackchannelError, ConfigError, StoreError, detail
from backchannel.records import (
    PART_TABLES,
    Actor,
    DocEntity,
    Document,
    Entity,
    Event,
    Failure,
    Person,
    Quote,
    QuoteRef,
    Section,
    Sentence,
    Statement,
    Variant,
)

logger = logging.getLogger(__name__)

#: 2 added events, 3 event dates and the cross-document tables, 4 the document entities (``doc_entities``) and the
#: entity each event actor is a mention of (``actor_entities``, ``recipient_entities``); older stores are upgraded
#: in place, a version-3 one when a document is first written to it (until then the previous version can open it)
SCHEMA_VERSION = "4"

# The per-document tables (sections … events) have no primary key on purpose: DuckDB keeps every
# ART index in memory, which made a long run's driver grow with the store (12 MB of ART at
# 8,000 articles, 1.75 MB without these keys; the file is 4.8 MB per 1,000 articles, was 12.8).
# Their rows are written only with a document not yet stored, in its transaction, so
# (article_id, index) stays unique; stores made before keep their keys, which changes nothing.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    article_id VARCHAR PRIMARY KEY, source VARCHAR, format VARCHAR, external_id VARCHAR,
    title VARCHAR, author VARCHAR, date VARCHAR, url VARCHAR, outlet VARCHAR,
    language VARCHAR, encoding VARCHAR, n_chars INTEGER, n_words INTEGER,
    n_sections INTEGER, n_comments INTEGER, text VARCHAR, added_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS sections (
    article_id VARCHAR, "index" INTEGER, kind VARCHAR, start_char INTEGER, end_char INTEGER,
    author VARCHAR, parent INTEGER, label VARCHAR
);
CREATE TABLE IF NOT EXISTS sentences (
    article_id VARCHAR, "index" INTEGER, section INTEGER, start_char INTEGER, end_char INTEGER
);
CREATE TABLE IF NOT EXISTS entities (
    article_id VARCHAR, "index" INTEGER, text VARCHAR, label VARCHAR, section INTEGER,
    start_char INTEGER, end_char INTEGER
);
CREATE TABLE IF NOT EXISTS quotes (
    article_id VARCHAR, "index" INTEGER, kind VARCHAR, content VARCHAR, content_spans INTEGER[][],
    clause_start INTEGER, clause_end INTEGER, section INTEGER, section_kind VARCHAR,
    start_char INTEGER, end_char INTEGER, cue VARCHAR, cue_start INTEGER, cue_end INTEGER,
    speaker VARCHAR, speaker_mention VARCHAR, mention_start INTEGER, mention_end INTEGER,
    speaker_entity INTEGER, via VARCHAR[], confidence DOUBLE, speaker_note VARCHAR
);
CREATE TABLE IF NOT EXISTS events (
    article_id VARCHAR, "index" INTEGER, event VARCHAR, mode VARCHAR, context VARCHAR,
    actors STRUCT(name VARCHAR, country VARCHAR, sector VARCHAR, start_char INTEGER, end_char INTEGER, former BOOLEAN)[],
    recipients STRUCT(name VARCHAR, country VARCHAR, sector VARCHAR, start_char INTEGER, end_char INTEGER, former BOOLEAN)[],
    actor_countries VARCHAR[], recipient_countries VARCHAR[],
    trigger VARCHAR, trigger_start INTEGER, trigger_end INTEGER, sentence_start INTEGER, sentence_end INTEGER,
    modality VARCHAR, section INTEGER, section_kind VARCHAR, cameo VARCHAR, score DOUBLE, quad INTEGER,
    claimed_by VARCHAR, quote INTEGER, confidence DOUBLE, date VARCHAR, date_text VARCHAR,
    actor_entities INTEGER[], recipient_entities INTEGER[]
);
CREATE TABLE IF NOT EXISTS doc_entities (
    article_id VARCHAR, entity INTEGER, name VARCHAR, type VARCHAR, country VARCHAR, sector VARCHAR,
    offices VARCHAR[], mentions INTEGER[][]
);
CREATE TABLE IF NOT EXISTS copies (
    copy_key VARCHAR PRIMARY KEY, article_id VARCHAR, source VARCHAR, external_id VARCHAR, title VARCHAR,
    url VARCHAR, date VARCHAR, outlet VARCHAR, first_seen TIMESTAMP
);
CREATE TABLE IF NOT EXISTS speakers (
    speaker_id VARCHAR PRIMARY KEY, name VARCHAR, aliases VARCHAR[], context VARCHAR[], country VARCHAR,
    n_quotes INTEGER, ambiguous BOOLEAN
);
CREATE TABLE IF NOT EXISTS statements (
    statement_id VARCHAR PRIMARY KEY, speaker_id VARCHAR, speaker VARCHAR, first_article VARCHAR,
    first_index INTEGER, first_date VARCHAR, first_outlet VARCHAR, n_variants INTEGER, n_outlets INTEGER,
    n_wordings INTEGER, content VARCHAR
);
CREATE TABLE IF NOT EXISTS statement_variants (
    statement_id VARCHAR, article_id VARCHAR, "index" INTEGER, date VARCHAR, outlet VARCHAR,
    published_in VARCHAR, via VARCHAR[], content VARCHAR, kind VARCHAR, diff VARCHAR, speaker_id VARCHAR,
    also_in VARCHAR[], PRIMARY KEY (article_id, "index")
);
CREATE TABLE IF NOT EXISTS parts (name VARCHAR PRIMARY KEY, directory VARCHAR, documents INTEGER, loaded_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS failures (
    source VARCHAR, code VARCHAR, severity VARCHAR, message VARCHAR, article_id VARCHAR,
    first_seen TIMESTAMP, last_seen TIMESTAMP, PRIMARY KEY (source, code)
);
"""

TABLES = ("documents", "sections", "sentences", "entities", "quotes", "events", "doc_entities", "failures", "copies",
          "speakers", "statements", "statement_variants")
#: the tables a partition holds (``records.PART_TABLES`` and the document entities), ``documents`` last: its file
#: commits the partition
PARTITION_TABLES = tuple(dict.fromkeys((*(t for t in PART_TABLES if t != "documents"), "doc_entities", "documents")))
#: what schema 4 added: a store or partition from before lacks them (read as no entities)
V4_TABLE = "doc_entities"
V4_COLUMNS = {"events": {"actor_entities": "INTEGER[]", "recipient_entities": "INTEGER[]"},
              "quotes": {"speaker_note": "VARCHAR"}}
#: what ``link`` computes (recomputed whole), and with ``copies`` what a pre-3 store lacks
_DERIVED_TABLES = ("speakers", "statements", "statement_variants")
_LINK_TABLES = ("copies", *_DERIVED_TABLES)
_CHILDREN: tuple[tuple[str, type, str], ...] = (
    ("sections", Section, "sections"),
    ("sentences", Sentence, "sentences"),
    ("entities", Entity, "entities"),
)
#: the ``Document`` fields stored as rows of their own tables, not as columns of ``documents``
_DOCUMENT_CHILDREN = ("sections", "sentences", "entities", "quotes", "events", "doc_entities")


def _columns(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]


#: DuckDB's memory limit per connection (it evicts or spills beyond it)
STORE_MEMORY = "1GB"
#: documents written through one connection before it is closed and opened again (see ``_renew``)
RENEW_EVERY = 5_000
#: rows per DuckDB row group, the unit a checkpoint rewrites (see ``_connect``)
ROW_GROUP_SIZE = 8_192

#: words in DuckDB's message that say the file, not a record, failed, and the error each one is;
#: the first that matches wins (a lock held elsewhere is the only cause another process explains)
_CAUSES: tuple[tuple[str, str], ...] = (
    ("Could not set lock on file", "E201"),
    ("No space left on device", "E214"),
    ("Disk quota exceeded", "E214"),
    ("Read-only file system", "E211"),
    ("Permission denied", "E211"),
    ("not a valid DuckDB database file", "E209"),
    ("Is a directory", "E209"),
    ("Could not read enough bytes", "E210"),
    ("Corrupt database file", "E210"),
    ("database does not exist", "E212"),
    ("No such file or directory", "E213"),
    ("database has been invalidated", "E215"),
)
#: a case-insensitive substring test for user text: unlike ILIKE, '%' and '_' in it are letters
_CONTAINS = "contains(lower({}), lower(?))"
_ANY_CONTAINS = "list_contains(list_transform({}, x -> contains(lower(x), lower(?))), true)"
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")
_KIND = re.compile(r"^(?:[A-Za-z]+ )*Error: (?:Failed to commit: )?")


def classify(path: str | Path, exc: BaseException) -> StoreError | None:
    """The numbered error DuckDB's exception means when the store's file is the problem (locked,
    not a store, damaged, read-only, missing, disk full), or None: a record DuckDB refuses keeps
    its own exception, so that the run can turn it into that document's failure."""

    if not isinstance(exc, duckdb.Error):
        return None
    message = str(exc).splitlines()[0] if str(exc) else ""
    for words, code in _CAUSES:
        if words in message:
            return StoreError(code, path=str(path), detail=_cause(code, str(path), message))
    return None


def _cause(code: str, path: str, message: str) -> str:
    """DuckDB's message without its class prefix, or a shorter one where DuckDB's says less."""
    if code == "E201" and (holder := _LOCK_HOLDER.search(message)):
        return f"locked by process {holder.group(2)}, {holder.group(1)}"
    if code == "E212":
        return "the file does not exist"
    if code == "E213":
        return f"the folder {Path(path).parent} does not exist"
    return detail(_KIND.sub("", message))


@cache
def table_columns() -> dict[str, dict[str, str]]:
    """Every table's columns and their DuckDB types, as this version writes them (and partitions hold them)."""

    con = duckdb.connect(":memory:")
    try:
        con.execute(_SCHEMA)
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        return {t: {r[0]: r[1] for r in con.execute(f"DESCRIBE {t}").fetchall()} for t in tables}
    finally:
        con.close()


class Store:
    """A DuckDB file holding documents, their sections, sentences and entities, and failures."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        self._written = 0
        self.con = self._connect()
        self.has_events = True
        self.has_links = True
        self.has_doc_entities = True  # False for a version-3 store until a document is written to it
        try:
            with self._guard():
                self._prepare()
        except BaseException:
            self.con.close()
            raise

    def _prepare(self) -> None:
        """Check the schema version; opened for writing, create what is missing and upgrade an older store."""
        tables = {r[0] for r in self.con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'store'").fetchall()}
        if self.path != ":memory:" and "meta" not in tables and (tables or self.read_only):  # another program's: touch nothing
            raise StoreError("E209", path=self.path, detail="a DuckDB database with other tables than a store's"
                             if tables else "an empty DuckDB database")
        found = self._schema_version()
        if found not in (None, "1", "2", "3", SCHEMA_VERSION):
            raise StoreError("E202", path=self.path, found=found, expected=SCHEMA_VERSION)
        if self.read_only:  # an older store opened read-only cannot be upgraded
            self.has_events = found != "1"
            self.has_links = found in ("3", SCHEMA_VERSION)
            self.has_doc_entities = found == SCHEMA_VERSION
            return
        if found == "3":  # upgraded by the first document written (``_upgrade``): opening it changes nothing
            self.has_doc_entities = False
            return
        self.con.execute(_SCHEMA)
        if found is None:
            self.con.execute("INSERT INTO meta VALUES ('schema', ?)", [SCHEMA_VERSION])
        elif found in ("1", "2"):
            # new tables were just created; a version-2 events table gains its date and entity columns
            self.con.execute("ALTER TABLE events ADD COLUMN IF NOT EXISTS date VARCHAR")
            self.con.execute("ALTER TABLE events ADD COLUMN IF NOT EXISTS date_text VARCHAR")
            self._add_v4_columns()
            self.con.execute("UPDATE meta SET value = ? WHERE key = 'schema'", [SCHEMA_VERSION])
            self.con.execute("DELETE FROM meta WHERE key = 'linked'")  # link what was stored before
            logger.warning("%s: upgraded the store from schema %s to %s; documents stored before have %s "
                           "(read them into a new store to code them)", self.path, found, SCHEMA_VERSION,
                           "no events" if found == "1" else "no event dates")

    def _add_v4_columns(self) -> None:
        for table, columns in V4_COLUMNS.items():
            for column, kind in columns.items():
                self.con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}")

    def _upgrade(self) -> None:
        """Bring a version-3 store to this version, inside the transaction that writes its first
        new documents (rolled back with it): the document entities table, the events' entity columns."""
        if self.has_doc_entities:
            return
        self.con.execute(_SCHEMA)  # creates doc_entities only: every other table is there
        self._add_v4_columns()
        self.con.execute("UPDATE meta SET value = ? WHERE key = 'schema'", [SCHEMA_VERSION])

    def _upgraded(self, wrote: bool) -> None:
        """After the commit of ``_upgrade``'s transaction: the store is this version now; say so once."""
        if wrote and not self.has_doc_entities:
            self.has_doc_entities = True
            logger.warning("%s: upgraded the store from schema 3 to %s; documents stored before have no document "
                           "entities (read them into a new store to have them)", self.path, SCHEMA_VERSION)

    def _connect(self) -> Any:

        if self.path == ":memory:":
            return duckdb.connect(":memory:", config={"memory_limit": STORE_MEMORY})
        # The file is attached rather than opened so that it gets small row groups: a checkpoint
        # rewrites the row group that rows were appended to, whole, so with DuckDB's default
        # (122,880 rows: a whole 100k-document corpus with its texts) the driver's peak grew with
        # the store. A bounded buffer pool (memory_limit) does not bound that rewrite.
        quoted = self.path.replace("'", "''")
        options = "READ_ONLY" if self.read_only else f"ROW_GROUP_SIZE {ROW_GROUP_SIZE}"
        con = duckdb.connect(":memory:", config={"memory_limit": STORE_MEMORY, "temp_directory": self.path + ".tmp"})
        try:
            con.execute(f"ATTACH '{quoted}' AS store ({options})")
            con.execute("USE store")
        except duckdb.Error as exc:
            con.close()
            raise classify(self.path, exc) or StoreError("E215", path=self.path, detail=detail(exc)) from exc
        return con

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Raise what DuckDB's failure means for the store file (see ``classify``) instead of its
        traceback; a record DuckDB refuses raises as before."""

        try:
            yield
        except duckdb.Error as exc:
            err = classify(self.path, exc)
            if err is None:
                raise
            raise err from exc

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        """One transaction: committed whole, or rolled back and the cause raised (through ``_guard``)."""
        with self._guard():
            self.con.execute("BEGIN TRANSACTION")
            try:
                yield self.con
                self.con.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        """Undo the open transaction. A failed COMMIT (a full disk) has ended it already, and
        DuckDB's complaint that nothing is left to undo must not hide why the COMMIT failed."""

        try:
            self.con.execute("ROLLBACK")
        except duckdb.Error:
            logger.debug("%s: no transaction left to roll back", self.path)

    def _renew(self, n_documents: int) -> None:
        """Close and reopen the connection every ``RENEW_EVERY`` documents written. A connection
        that keeps appending holds on to memory the memory limit does not bound
        (benchmarks/store_memory.py measures it; its figures are in docs/scaling.md)."""
        self._written += n_documents
        if self._written < RENEW_EVERY or self.path == ":memory:" or self.read_only:
            return
        self._written = 0
        with self._guard():
            self.con.execute("CHECKPOINT")
        self.con.close()
        for attempt in range(5):  # another process may hold the file for a moment (a read-only 'stats')
            try:
                self.con = self._connect()
                return
            except StoreError as exc:
                if attempt == 4 or exc.code != "E201":
                    raise
                time.sleep(0.2 * 2**attempt)

    def _schema_version(self) -> str | None:

        try:
            row = self.con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except duckdb.CatalogException:
            return None
        return row[0] if row else None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        try:
            self.close()
        except StoreError:
            if exc_type is None:
                raise
            logger.debug("%s: closing after a failure failed too", self.path, exc_info=True)  # the first cause is the one to tell

    def close(self) -> None:
        with self._guard():  # closing checkpoints: it writes
            self.con.close()

    # --- reading -----------------------------------------------------------------------

    def known_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` are already stored (one query per batch, not per document)."""
        if not ids:
            return set()
        rows = self.con.execute(
            "SELECT article_id FROM documents WHERE article_id IN (SELECT unnest(?))", [list(ids)]
        ).fetchall()
        return {r[0] for r in rows}

    def known_copies(self, keys: Sequence[str]) -> set[str]:
        """Which copy keys (``copy_key``) are already recorded."""
        if not keys:
            return set()
        rows = self.con.execute("SELECT copy_key FROM copies WHERE copy_key IN (SELECT unnest(?))", [list(keys)]).fetchall()
        return {r[0] for r in rows}

    def count(self, table: str) -> int:
        if table not in TABLES:

            raise ConfigError("E203", table=table, tables=", ".join(TABLES))
        if ((table == "events" and not self.has_events) or (table in _LINK_TABLES and not self.has_links)
                or (table == V4_TABLE and not self.has_doc_entities)):
            return 0
        return int(self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]

    def document(self, article_id: str) -> Document | None:
        """A stored document with its sections, sentences and entities."""
        cols = [c for c in _columns(Document) if c not in _DOCUMENT_CHILDREN]
        row = self.con.execute(
            f"SELECT {', '.join(cols)} FROM documents WHERE article_id = ?", [article_id]
        ).fetchone()
        if row is None:
            return None
        values = dict(zip(cols, row))
        for table, cls, attr in _CHILDREN:
            names = _columns(cls)
            quoted = ", ".join(f'"{n}"' for n in names)
            rows = self.con.execute(
                f'SELECT {quoted} FROM {table} WHERE article_id = ? ORDER BY "index"', [article_id]
            ).fetchall()
            values[attr] = tuple(cls(**dict(zip(names, r))) for r in rows)
        values["quotes"] = tuple(self.quotes(article_id=article_id))
        values["events"] = tuple(self.events(article_id=article_id))
        values["doc_entities"] = tuple(self.doc_entities(article_id=article_id))
        return Document(**values)

    def quotes(self, *, article_id: str | None = None, speaker: str | None = None, outlet: str | None = None,
               kind: str | None = None, limit: int | None = None) -> list[Quote]:
        """Stored quotes, filtered: speaker and outlet match case-insensitive substrings (``%`` and
        ``_`` are letters, not LIKE wildcards: names and outlets hold them)."""
        where, args = [], []
        if article_id:
            where.append("q.article_id = ?")
            args.append(article_id)
        if speaker:
            where.append(f"({_CONTAINS.format('q.speaker')} OR {_CONTAINS.format('q.speaker_mention')})")
            args += [speaker, speaker]
        if outlet:
            where.append(f"({_CONTAINS.format('d.outlet')} OR {_ANY_CONTAINS.format('q.via')})")
            args += [outlet, outlet]
        if kind:
            where.append("q.kind = ?")
            args.append(kind)
        return [_quote_from_row(r) for r in self._select("quotes", "q", where, args, limit)]

    def events(self, *, article_id: str | None = None, actor: str | None = None, recipient: str | None = None,
               event: str | None = None, limit: int | None = None) -> list[Event]:
        """Stored events, filtered: actor and recipient by country code (three letters) or a name substring."""
        if not self.has_events:
            return []
        where, args = [], []
        if article_id:
            where.append("e.article_id = ?")
            args.append(article_id)
        for column, value in (("actors", actor), ("recipients", recipient)):
            if not value:
                continue
            if re.fullmatch(r"[A-Za-z]{3}", value):  # a country code (IRN, USA, IGO) is a code, not part of a name
                where.append(f"len(list_filter(e.{column}, x -> upper(x.country) = upper(?))) > 0")
                args.append(value)
            else:
                where.append(f"len(list_filter(e.{column}, x -> contains(lower(x.name), lower(?)))) > 0")
                args.append(value)
        if event:
            where.append("e.event = upper(?)")
            args.append(event)
        return [_event_from_row(r) for r in self._select("events", "e", where, args, limit)]

    def doc_entities(self, *, article_id: str | None = None, type: str | None = None, country: str | None = None,
                     limit: int | None = None) -> list[DocEntity]:
        """Stored document entities (who or what each document talks about), filtered by type
        (person, organisation, outlet, place, country) and country code, in reading order."""
        if not self.has_doc_entities:
            return []
        where, args = [], []
        for column, value in (("n.article_id", article_id), ('n."type"', type and type.lower()),
                              ("upper(n.country)", country and country.upper())):
            if value:
                where.append(f"{column} = ?")
                args.append(value)
        return [_doc_entity_from_row(r) for r in self._select("doc_entities", "n", where, args, limit, order="entity")]

    def _select(self, table: str, alias: str, where: list[str], args: list[Any], limit: int | None,
                order: str = '"index"') -> list[dict[str, Any]]:
        """Rows of a per-document table, filtered (conditions may use ``d.`` for its document), in reading order."""
        sql = (f"SELECT {alias}.* FROM {table} {alias} JOIN documents d USING (article_id)"
               + (" WHERE " + " AND ".join(where) if where else "")
               + f" ORDER BY d.added_at, {alias}.article_id, {alias}.{order}")
        if limit:
            sql += f" LIMIT {int(limit)}"
        cur = self.con.execute(sql, args)
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    # --- across documents ------------------------------------------------------------------

    def quote_refs(self, batch: int = 50_000) -> Iterator[QuoteRef]:
        """Every body quote with what linking needs: its document's date and outlet, the words
        around the speaker's mention and the country of the speaker's document entity (comment
        threads are readers' words, never linked)."""
        cur = self.con.execute(
            """SELECT q.article_id, q."index", q.content, q.kind, q.speaker, q.speaker_mention, q.via, d.date, d.outlet,
                      CASE WHEN q.mention_start IS NULL THEN ''
                           ELSE substr(d.text, greatest(q.mention_start - 100, 0) + 1, (q.mention_end - greatest(q.mention_start - 100, 0)) + 100)
                      END AS context
                      , c.reprints, {country}
               FROM quotes q JOIN documents d USING (article_id){entities}
               LEFT JOIN (SELECT c.article_id, list(struct_pack(outlet := c.outlet, date := c.date) ORDER BY c.date, c.copy_key) AS reprints
                          FROM copies c JOIN documents d USING (article_id)
                          WHERE c.source <> d.source OR coalesce(c.external_id, '') <> coalesce(d.external_id, '')
                          GROUP BY c.article_id) c USING (article_id)
               WHERE q.section_kind = 'body'
               ORDER BY q.article_id, q."index" """.format(
                country="e.country" if self.has_doc_entities else "NULL",
                entities=(" LEFT JOIN doc_entities e ON e.article_id = q.article_id AND e.entity = q.speaker_entity"
                          if self.has_doc_entities else ""))
        )
        while rows := cur.fetchmany(batch):
            for r in rows:
                reprints = tuple((x["outlet"], x["date"]) for x in r[10] or ())
                first = min([d for d in (r[7], *(d for _, d in reprints)) if d], default=None)  # the earliest printing
                yield QuoteRef(r[0], r[1], r[2], r[3], r[4], first, r[8], tuple(r[6] or ()), r[5], r[9] or "", reprints, r[11])

    def add_copies(self, rows: Sequence[dict[str, Any]]) -> None:
        """Every input that carried a stored text — the original and each reprint under another
        outlet, URL or name — once (keyed by source and id, so a rerun adds nothing)."""
        if not rows:
            return
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self._guard():
            self._insert("copies", [{**r, "copy_key": copy_key(r), "first_seen": now}
                                    for r in rows], on_conflict="ON CONFLICT DO NOTHING")

    def replace_links(self, people: Sequence[Person], statements: Sequence[Statement]) -> None:
        """The cross-document tables, recomputed whole in one transaction (so a rerun is idempotent)."""

        with self._transaction() as con:
            for table in _DERIVED_TABLES:
                con.execute(f"DELETE FROM {table}")
            self._insert("speakers", [
                {"speaker_id": p.id, "name": p.name, "aliases": [a for a, _ in p.aliases.most_common()],
                 "context": [w for w, _ in p.context.most_common(12)], "country": p.country, "n_quotes": p.n_quotes,
                 "ambiguous": p.ambiguous} for p in people])
            self._insert("statements", [
                {"statement_id": st.id, "speaker_id": st.speaker_id, "speaker": st.speaker,
                 "first_article": st.first.article_id, "first_index": st.first.index, "first_date": st.first.date,
                 "first_outlet": st.first.outlet, "n_variants": len(st.variants), "n_outlets": len(st.outlets),
                 "n_wordings": st.wordings, "content": st.first.content} for st in statements])
            self._insert("statement_variants", [
                {"statement_id": st.id, "article_id": v.article_id, "index": v.index, "date": v.date,
                 "outlet": v.outlet, "published_in": v.published_in, "via": list(v.via), "content": v.content,
                 "kind": v.kind, "diff": json.dumps([list(d) for d in v.diff], ensure_ascii=False),
                 "speaker_id": st.speaker_id, "also_in": list(v.also_in)}
                for st in statements for v in st.variants])
            con.execute("INSERT INTO meta VALUES ('linked', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        [self._link_state()])

    def _link_state(self) -> str:
        docs, copies = self.con.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM copies)").fetchone()  # type: ignore[misc]
        return f"{docs}/{copies}"

    def needs_link(self) -> bool:
        """Documents or reprints were added since the last link (or a link was interrupted)."""
        if not self.has_links:
            return False
        row = self.con.execute("SELECT value FROM meta WHERE key = 'linked'").fetchone()
        return (row[0] if row else None) != self._link_state() and self.count("quotes") > 0

    def statements(self, *, speaker: str | None = None, statement_id: str | None = None, min_variants: int = 1,
                   limit: int | None = None) -> list[Statement]:
        """Stored statements with their variants, most-reported first; ``speaker`` matches the
        person's name or any alias, case-insensitive."""

        if not self.has_links:
            return []
        where, args = ["s.n_variants >= ?"], [min_variants]
        if speaker:
            where.append(f"({_CONTAINS.format('s.speaker')} OR {_ANY_CONTAINS.format('p.aliases')})")
            args += [speaker, speaker]
        if statement_id:
            where.append("s.statement_id = ?")
            args.append(statement_id)
        sql = ("SELECT s.statement_id, s.speaker_id, s.speaker, s.n_wordings FROM statements s "
               "LEFT JOIN speakers p USING (speaker_id) WHERE " + " AND ".join(where)
               + " ORDER BY s.n_variants DESC, s.first_date NULLS LAST, s.statement_id")
        if limit:
            sql += f" LIMIT {int(limit)}"
        heads = self.con.execute(sql, args).fetchall()
        if not heads:
            return []
        rows = self.con.execute(
            """SELECT statement_id, article_id, "index", content, kind, date, outlet, published_in, via, diff, also_in
               FROM statement_variants WHERE statement_id IN (SELECT unnest(?))
               ORDER BY statement_id, coalesce(date, '9999'), article_id, "index" """, [[h[0] for h in heads]]
        ).fetchall()
        variants: dict[str, list[Variant]] = {}
        for r in rows:
            variants.setdefault(r[0], []).append(Variant(r[1], r[2], r[3], r[4], r[5], r[6], r[7], tuple(r[8] or ()),
                                                         tuple((op, text) for op, text in json.loads(r[9] or "[]")),
                                                         tuple(r[10] or ())))
        return [Statement(h[0], h[1], h[2], tuple(variants.get(h[0], ())), h[3] or 1) for h in heads]

    def people(self, name: str) -> list[dict[str, Any]]:
        """Speakers whose name or an alias contains ``name``, with what they said (first reports first)."""
        if not self.has_links:
            return []
        people = self.con.execute(
            f"""SELECT speaker_id, name, aliases, context, n_quotes, ambiguous FROM speakers
               WHERE {_CONTAINS.format('name')} OR {_ANY_CONTAINS.format('aliases')}
               ORDER BY n_quotes DESC, name""", [name, name]).fetchall()
        out = []
        for sid, pname, aliases, context, n, ambiguous in people:
            rows = self.con.execute(
                """SELECT s.statement_id, s.first_date, s.first_outlet, s.n_variants, s.content,
                          list(DISTINCT v.outlet) FILTER (WHERE v.outlet IS NOT NULL)
                   FROM statements s JOIN statement_variants v USING (statement_id)
                   WHERE s.speaker_id = ? GROUP BY ALL ORDER BY s.first_date NULLS LAST, s.statement_id""", [sid]).fetchall()
            out.append({"id": sid, "name": pname, "aliases": list(aliases or ()), "context": list(context or ()),
                        "n_quotes": n, "ambiguous": bool(ambiguous),
                        "statements": [{"id": r[0], "first_date": r[1], "first_outlet": r[2], "n_variants": r[3],
                                        "content": r[4], "outlets": sorted(r[5] or ())} for r in rows]})
        return out

    def failures(self) -> list[Failure]:
        rows = self.con.execute(
            "SELECT source, code, message, severity, article_id FROM failures ORDER BY last_seen, source"
        ).fetchall()
        return [Failure(*r) for r in rows]

    # --- writing -----------------------------------------------------------------------

    def write(self, documents: Iterable[Document], failures: Iterable[Failure] = ()) -> int:
        """Add documents (skipping ones already stored) and failures in one transaction."""
        docs = {d.article_id: d for d in documents}
        fails = list(failures)
        if not docs and not fails:
            return 0
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self._transaction() as con:
            known = self.known_ids(list(docs))
            new = [d for aid, d in docs.items() if aid not in known]
            if new:
                self._upgrade()
                self._insert("documents", [_document_row(d, now) for d in new])
                for table, _cls, attr in _CHILDREN:
                    self._insert(table, [asdict(r) for d in new for r in getattr(d, attr)])
                self._insert("quotes", [_quote_row(q) for d in new for q in d.quotes])
                self._insert("events", [_event_row(e) for d in new for e in d.events])
                self._insert("doc_entities", [_doc_entity_row(n) for d in new for n in d.doc_entities])
                # an input that failed before and reads now (e.g. with --language) is no longer a failure
                con.execute(
                    "DELETE FROM failures WHERE severity = 'error' AND source IN (SELECT unnest(?))",
                    [[d.source for d in new]],
                )
            for f in fails:
                con.execute(
                    "INSERT INTO failures VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, code) DO UPDATE "
                    "SET message = excluded.message, severity = excluded.severity, last_seen = excluded.last_seen",
                    [f.source, f.code, f.severity, f.message, f.article_id, now, now],
                )
        self._upgraded(bool(new))
        self._renew(len(new))
        return len(new)

    def loaded_parts(self) -> set[str]:
        """Names of the Parquet partitions merged into this store (``parts.load``)."""
        return {r[0] for r in self.con.execute("SELECT name FROM parts").fetchall()}

    def load_part(self, directory: str | Path, name: str) -> tuple[list[str], int]:
        """Merge one committed partition in one transaction, as ``write`` would have written its
        records: documents not yet stored with their rows, failures updated, copies added once.
        Returns the ids of the documents added and their words. A partition written before
        schema 4 has no document entities (``parts.readable`` checked that it is one)."""

        def src(table: str) -> str:
            path = Path(directory) / table / f"{name}.parquet"
            return "read_parquet('" + str(path).replace("'", "''") + "')"

        tables = [t for t in PARTITION_TABLES if t not in ("documents", "failures", "copies")
                  and (t != V4_TABLE or (Path(directory) / t / f"{name}.parquet").exists())]

        try:
            with self._transaction() as con:
                new = [r[0] for r in con.execute(
                    f"SELECT article_id FROM {src('documents')} WHERE article_id NOT IN (SELECT article_id FROM documents)"
                ).fetchall()]
                if new:
                    self._upgrade()
                    con.execute(f"INSERT INTO documents BY NAME SELECT * FROM {src('documents')} "
                                "WHERE article_id IN (SELECT unnest(?))", [new])
                    for table in tables:  # BY NAME: a column a partition from before schema 4 lacks is NULL
                        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {src(table)} "
                                    "WHERE article_id IN (SELECT unnest(?))", [new])
                    con.execute("DELETE FROM failures WHERE severity = 'error' AND source IN "
                                f"(SELECT source FROM {src('documents')} WHERE article_id IN (SELECT unnest(?)))", [new])
                con.execute(f"INSERT INTO failures BY NAME SELECT * FROM {src('failures')} ON CONFLICT (source, code) "
                            "DO UPDATE SET message = excluded.message, severity = excluded.severity, last_seen = excluded.last_seen")
                con.execute(f"INSERT INTO copies BY NAME SELECT * FROM {src('copies')} ON CONFLICT DO NOTHING")
                words = con.execute("SELECT coalesce(sum(n_words), 0) FROM documents WHERE article_id IN (SELECT unnest(?))",
                                    [new]).fetchone()[0] if new else 0  # type: ignore[index]
                now = datetime.now(timezone.utc).replace(tzinfo=None)
                con.execute("INSERT INTO parts VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", [name, str(directory), len(new), now])
        except duckdb.Error as exc:  # the partition's own records; nothing of it was merged (a full disk, a lock … raise as such)
            raise StoreError("E207", path=self.path, name=name, detail=str(exc).splitlines()[0][:200]) from exc
        self._upgraded(bool(new))
        self._renew(len(new))
        return new, int(words)

    def _insert(self, table: str, rows: list[dict[str, Any]], on_conflict: str = "") -> None:
        if not rows:
            return

        batch = pa.Table.from_pylist(rows)
        self.con.register("_bc_batch", batch)
        try:
            cols = ", ".join(f'"{c}"' for c in batch.column_names)
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _bc_batch {on_conflict}")
        finally:
            self.con.unregister("_bc_batch")


def write_batch(store: Store, documents: list[Document], failures: list[Failure]) -> list[Document]:
    """Write a batch in one transaction; if that fails, write document by document so that one
    unwritable record becomes a failure instead of costing the batch (or the run)."""
    try:
        store.write(documents, failures)
        return documents
    except BackchannelError:
        raise
    except Exception:
        logger.debug("batch write failed; retrying one document at a time", exc_info=True)
    store.write([], failures)
    written = []
    for doc in documents:
        try:
            store.write([doc])
            written.append(doc)
        except Exception as exc:
            failure = Failure.unexpected(doc.source, exc, doc.article_id)
            store.write([], [failure])
            failures.append(failure)
    return written


def copy_key(row: dict[str, Any]) -> str:
    """A copy is one input (source) and the id it gave, so a rerun adds nothing."""
    return f"{row['source']}\x00{row.get('external_id') or ''}"


def _document_row(doc: Document, now: datetime) -> dict[str, Any]:
    row = {f.name: getattr(doc, f.name) for f in fields(Document) if f.name not in _DOCUMENT_CHILDREN}
    row.update(
        n_chars=len(doc.text),
        n_sections=len(doc.sections),
        n_comments=sum(1 for s in doc.sections if s.kind == "comment"),
        added_at=now,
    )
    return row


def _quote_row(q: Quote) -> dict[str, Any]:
    return {
        "article_id": q.article_id, "index": q.index, "kind": q.kind, "content": q.content,
        "content_spans": [list(s) for s in q.content_spans],
        "clause_start": q.clause_span[0], "clause_end": q.clause_span[1],
        "section": q.section, "section_kind": q.section_kind, "start_char": q.start_char, "end_char": q.end_char,
        "cue": q.cue, "cue_start": q.cue_span[0] if q.cue_span else None, "cue_end": q.cue_span[1] if q.cue_span else None,
        "speaker": q.speaker, "speaker_mention": q.speaker_mention,
        "mention_start": q.speaker_mention_span[0] if q.speaker_mention_span else None,
        "mention_end": q.speaker_mention_span[1] if q.speaker_mention_span else None,
        "speaker_entity": q.speaker_entity, "via": list(q.via), "confidence": q.confidence,
        "speaker_note": q.speaker_note,
    }


def _quote_from_row(r: dict[str, Any]) -> Quote:
    return Quote(
        article_id=r["article_id"], index=r["index"], kind=r["kind"], content=r["content"],
        content_spans=tuple((int(a), int(b)) for a, b in r["content_spans"]),
        clause_span=(r["clause_start"], r["clause_end"]), section=r["section"], section_kind=r["section_kind"],
        start_char=r["start_char"], end_char=r["end_char"], cue=r["cue"],
        cue_span=(r["cue_start"], r["cue_end"]) if r["cue_start"] is not None else None,
        speaker=r["speaker"], speaker_mention=r["speaker_mention"],
        speaker_mention_span=(r["mention_start"], r["mention_end"]) if r["mention_start"] is not None else None,
        speaker_entity=r["speaker_entity"], via=tuple(r["via"] or ()), confidence=r["confidence"],
        speaker_note=r.get("speaker_note"),
    )


def _actor_row(a: Actor) -> dict[str, Any]:
    return {"name": a.name, "country": a.country, "sector": a.sector, "start_char": a.span[0] if a.span else None,
            "end_char": a.span[1] if a.span else None, "former": a.former}


def _actor_from_row(r: dict[str, Any], entity: int | None) -> Actor:
    span = (r["start_char"], r["end_char"]) if r["start_char"] is not None else None
    return Actor(r["name"], r["country"], r["sector"], span, bool(r["former"]), entity)


def _actors_from_row(actors: list[dict[str, Any]] | None, entities: list[int | None] | None) -> tuple[Actor, ...]:
    """Actors with the entity each one mentions (``entities`` runs beside them; NULL in a store from before schema 4)."""
    actors = actors or []
    entities = list(entities or ())
    entities += [None] * (len(actors) - len(entities))
    return tuple(_actor_from_row(a, n) for a, n in zip(actors, entities))


def _event_row(e: Event) -> dict[str, Any]:
    return {
        "article_id": e.article_id, "index": e.index, "event": e.event, "mode": e.mode, "context": e.context,
        "actors": [_actor_row(a) for a in e.actors], "recipients": [_actor_row(a) for a in e.recipients],
        "actor_entities": [a.entity for a in e.actors], "recipient_entities": [a.entity for a in e.recipients],
        "actor_countries": sorted({a.country for a in e.actors if a.country}),
        "recipient_countries": sorted({a.country for a in e.recipients if a.country}),
        "trigger": e.trigger, "trigger_start": e.trigger_span[0], "trigger_end": e.trigger_span[1],
        "sentence_start": e.sentence_span[0], "sentence_end": e.sentence_span[1], "modality": e.modality,
        "section": e.section, "section_kind": e.section_kind, "cameo": e.cameo, "score": e.score, "quad": e.quad,
        "claimed_by": e.claimed_by, "quote": e.quote, "confidence": e.confidence,
        "date": e.date, "date_text": e.date_text,
    }


def _event_from_row(r: dict[str, Any]) -> Event:
    return Event(
        article_id=r["article_id"], index=r["index"], event=r["event"], mode=r["mode"], context=r["context"],
        actors=_actors_from_row(r["actors"], r.get("actor_entities")),
        recipients=_actors_from_row(r["recipients"], r.get("recipient_entities")),
        trigger=r["trigger"], trigger_span=(r["trigger_start"], r["trigger_end"]),
        sentence_span=(r["sentence_start"], r["sentence_end"]), modality=r["modality"], section=r["section"],
        section_kind=r["section_kind"], cameo=r["cameo"], score=r["score"], quad=r["quad"],
        claimed_by=r["claimed_by"], quote=r["quote"], confidence=r["confidence"],
        date=r.get("date"), date_text=r.get("date_text"),
    )


def _doc_entity_row(n: DocEntity) -> dict[str, Any]:
    return {"article_id": n.article_id, "entity": n.id, "name": n.name, "type": n.type, "country": n.country,
            "sector": n.sector, "offices": list(n.offices), "mentions": [list(m) for m in n.mentions]}


def _doc_entity_from_row(r: dict[str, Any]) -> DocEntity:
    return DocEntity(article_id=r["article_id"], id=r["entity"], name=r["name"], type=r["type"], country=r["country"],
                     sector=r["sector"], offices=tuple(r["offices"] or ()),
                     mentions=tuple((int(a), int(b)) for a, b in r["mentions"] or ()))
