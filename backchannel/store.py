"""The embedded DuckDB store: one file, no server, idempotent writes.

A document is keyed by the hash of its content, so reading the same bytes twice adds
nothing. Each batch is written in one transaction: an interrupted run (Ctrl-C, kill -9)
keeps every committed batch and the next run skips what is already there.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .errors import StoreError
from .records import Actor, Document, Entity, Event, Failure, Quote, Section, Sentence

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "2"  # 2 added the events table; a version-1 store is upgraded in place

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
    author VARCHAR, parent INTEGER, label VARCHAR, PRIMARY KEY (article_id, "index")
);
CREATE TABLE IF NOT EXISTS sentences (
    article_id VARCHAR, "index" INTEGER, section INTEGER, start_char INTEGER, end_char INTEGER,
    PRIMARY KEY (article_id, "index")
);
CREATE TABLE IF NOT EXISTS entities (
    article_id VARCHAR, "index" INTEGER, text VARCHAR, label VARCHAR, section INTEGER,
    start_char INTEGER, end_char INTEGER, PRIMARY KEY (article_id, "index")
);
CREATE TABLE IF NOT EXISTS quotes (
    article_id VARCHAR, "index" INTEGER, kind VARCHAR, content VARCHAR, content_spans INTEGER[][],
    clause_start INTEGER, clause_end INTEGER, section INTEGER, section_kind VARCHAR,
    start_char INTEGER, end_char INTEGER, cue VARCHAR, cue_start INTEGER, cue_end INTEGER,
    speaker VARCHAR, speaker_mention VARCHAR, mention_start INTEGER, mention_end INTEGER,
    speaker_entity INTEGER, via VARCHAR[], confidence DOUBLE, PRIMARY KEY (article_id, "index")
);
CREATE TABLE IF NOT EXISTS events (
    article_id VARCHAR, "index" INTEGER, event VARCHAR, mode VARCHAR, context VARCHAR,
    actors STRUCT(name VARCHAR, country VARCHAR, sector VARCHAR, start_char INTEGER, end_char INTEGER, former BOOLEAN)[],
    recipients STRUCT(name VARCHAR, country VARCHAR, sector VARCHAR, start_char INTEGER, end_char INTEGER, former BOOLEAN)[],
    actor_countries VARCHAR[], recipient_countries VARCHAR[],
    trigger VARCHAR, trigger_start INTEGER, trigger_end INTEGER, sentence_start INTEGER, sentence_end INTEGER,
    modality VARCHAR, section INTEGER, section_kind VARCHAR, cameo VARCHAR, score DOUBLE, quad INTEGER,
    claimed_by VARCHAR, quote INTEGER, confidence DOUBLE, PRIMARY KEY (article_id, "index")
);
CREATE TABLE IF NOT EXISTS failures (
    source VARCHAR, code VARCHAR, severity VARCHAR, message VARCHAR, article_id VARCHAR,
    first_seen TIMESTAMP, last_seen TIMESTAMP, PRIMARY KEY (source, code)
);
"""

TABLES = ("documents", "sections", "sentences", "entities", "quotes", "events", "failures")
_CHILDREN: tuple[tuple[str, type, str], ...] = (
    ("sections", Section, "sections"),
    ("sentences", Sentence, "sentences"),
    ("entities", Entity, "entities"),
)


def _columns(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]


class Store:
    """A DuckDB file holding documents, their sections, sentences and entities, and failures."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        import duckdb

        self.path = str(path)
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except (duckdb.IOException, duckdb.Error) as exc:
            raise StoreError("E201", path=self.path, detail=str(exc).splitlines()[0]) from exc
        self.has_events = True
        if read_only:
            found = self._schema_version()
            if found not in (None, "1", SCHEMA_VERSION):
                raise StoreError("E202", path=self.path, found=found, expected=SCHEMA_VERSION)
            self.has_events = found != "1"  # a version-1 store opened read-only cannot be upgraded
        if not read_only:
            self.con.execute(_SCHEMA)
            found = self._schema_version()
            if found is None:
                self.con.execute("INSERT INTO meta VALUES ('schema', ?)", [SCHEMA_VERSION])
            elif found == "1":
                # the events table was just created; documents read before have no events
                self.con.execute("UPDATE meta SET value = ? WHERE key = 'schema'", [SCHEMA_VERSION])
                logger.warning("%s: upgraded the store to schema %s; documents stored before have no events "
                               "(read them into a new store to code them)", self.path, SCHEMA_VERSION)
            elif found != SCHEMA_VERSION:
                raise StoreError("E202", path=self.path, found=found, expected=SCHEMA_VERSION)

    def _schema_version(self) -> str | None:
        import duckdb

        try:
            row = self.con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except duckdb.CatalogException:
            return None
        return row[0] if row else None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
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

    def count(self, table: str) -> int:
        if table not in TABLES:
            from .errors import ConfigError

            raise ConfigError("E203", table=table, tables=", ".join(TABLES))
        if table == "events" and not self.has_events:
            return 0
        return int(self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]

    def document(self, article_id: str) -> Document | None:
        """A stored document with its sections, sentences and entities."""
        cols = [c for c in _columns(Document) if c not in ("sections", "sentences", "entities", "quotes", "events")]
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
        return Document(**values)

    def quotes(self, *, article_id: str | None = None, speaker: str | None = None, outlet: str | None = None,
               kind: str | None = None, limit: int | None = None) -> list[Quote]:
        """Stored quotes, filtered: speaker and outlet match case-insensitive substrings."""
        where, args = [], []
        if article_id:
            where.append("q.article_id = ?")
            args.append(article_id)
        if speaker:
            where.append("(q.speaker ILIKE ? OR q.speaker_mention ILIKE ?)")
            args += [f"%{speaker}%", f"%{speaker}%"]
        if outlet:
            where.append("(d.outlet ILIKE ? OR list_contains(list_transform(q.via, x -> lower(x) LIKE lower(?)), true))")
            args += [f"%{outlet}%", f"%{outlet}%"]
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

    def _select(self, table: str, alias: str, where: list[str], args: list[Any], limit: int | None) -> list[dict[str, Any]]:
        """Rows of a per-document table, filtered (conditions may use ``d.`` for its document), in reading order."""
        sql = (f"SELECT {alias}.* FROM {table} {alias} JOIN documents d USING (article_id)"
               + (" WHERE " + " AND ".join(where) if where else "")
               + f' ORDER BY d.added_at, {alias}.article_id, {alias}."index"')
        if limit:
            sql += f" LIMIT {int(limit)}"
        cur = self.con.execute(sql, args)
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

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
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            known = self.known_ids(list(docs))
            new = [d for aid, d in docs.items() if aid not in known]
            if new:
                self._insert("documents", [_document_row(d, now) for d in new])
                for table, _cls, attr in _CHILDREN:
                    self._insert(table, [asdict(r) for d in new for r in getattr(d, attr)])
                self._insert("quotes", [_quote_row(q) for d in new for q in d.quotes])
                self._insert("events", [_event_row(e) for d in new for e in d.events])
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
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return len(new)

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        import pyarrow as pa

        batch = pa.Table.from_pylist(rows)
        self.con.register("_bc_batch", batch)
        try:
            cols = ", ".join(f'"{c}"' for c in batch.column_names)
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _bc_batch")
        finally:
            self.con.unregister("_bc_batch")


def _document_row(doc: Document, now: datetime) -> dict[str, Any]:
    row = {f.name: getattr(doc, f.name) for f in fields(Document) if f.name not in ("sections", "sentences", "entities", "quotes", "events")}
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
    )


def _actor_row(a: Actor) -> dict[str, Any]:
    return {"name": a.name, "country": a.country, "sector": a.sector, "start_char": a.span[0] if a.span else None,
            "end_char": a.span[1] if a.span else None, "former": a.former}


def _actor_from_row(r: dict[str, Any]) -> Actor:
    span = (r["start_char"], r["end_char"]) if r["start_char"] is not None else None
    return Actor(r["name"], r["country"], r["sector"], span, bool(r["former"]))


def _event_row(e: Event) -> dict[str, Any]:
    return {
        "article_id": e.article_id, "index": e.index, "event": e.event, "mode": e.mode, "context": e.context,
        "actors": [_actor_row(a) for a in e.actors], "recipients": [_actor_row(a) for a in e.recipients],
        "actor_countries": sorted({a.country for a in e.actors if a.country}),
        "recipient_countries": sorted({a.country for a in e.recipients if a.country}),
        "trigger": e.trigger, "trigger_start": e.trigger_span[0], "trigger_end": e.trigger_span[1],
        "sentence_start": e.sentence_span[0], "sentence_end": e.sentence_span[1], "modality": e.modality,
        "section": e.section, "section_kind": e.section_kind, "cameo": e.cameo, "score": e.score, "quad": e.quad,
        "claimed_by": e.claimed_by, "quote": e.quote, "confidence": e.confidence,
    }


def _event_from_row(r: dict[str, Any]) -> Event:
    return Event(
        article_id=r["article_id"], index=r["index"], event=r["event"], mode=r["mode"], context=r["context"],
        actors=tuple(_actor_from_row(a) for a in r["actors"] or ()),
        recipients=tuple(_actor_from_row(a) for a in r["recipients"] or ()),
        trigger=r["trigger"], trigger_span=(r["trigger_start"], r["trigger_end"]),
        sentence_span=(r["sentence_start"], r["sentence_end"]), modality=r["modality"], section=r["section"],
        section_kind=r["section_kind"], cameo=r["cameo"], score=r["score"], quad=r["quad"],
        claimed_by=r["claimed_by"], quote=r["quote"], confidence=r["confidence"],
    )
