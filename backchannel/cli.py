"""The command line: parses options, calls ``api``, shows progress and a summary. No logic lives here."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import Any, get_args

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from backchannel import api
from backchannel.analysis.dyads import direction, dyad, dyad_html, dyad_png
from backchannel.analysis.report import report
from backchannel.entities.gazetteer import gazetteer_for
from backchannel.errors import BackchannelError, ConfigError, StoreError, detail
from backchannel.evaluation.events import format_event_report
from backchannel.evaluation.quotes import format_report
from backchannel.evaluation.statements import format_statement_report
from backchannel.events.extract import EVENT_TYPES
from backchannel.records import EntityType, LoadSummary, RunSummary
from backchannel.settings import DEFAULT_STORE, load_settings
from backchannel.storage.export import FORMATS
from backchannel.storage.store import TABLES, Store, classify
from backchannel.terminal import escape_controls, safe_json, safe_text

err_console = Console(stderr=True)


class _RateColumn(ProgressColumn):
    """Documents per second (rich's own speed column assumes bytes)."""

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time or task.elapsed
        speed = task.completed / elapsed if elapsed else None
        return Text(f"{speed:,.1f} docs/s" if speed else "… docs/s", style="progress.data.speed")


class _OneLineHandler(logging.Handler):
    """One unwrapped line per message, printed above the progress bar; file names in it are escaped."""

    def emit(self, record: logging.LogRecord) -> None:
        style = {"ERROR": "red", "WARNING": "yellow"}.get(record.levelname)
        message = record.getMessage()
        line = safe_text(f"{record.levelname.lower()}: {message}", style=style or "", oneline=True)
        line.append(escape_controls(self.format(record)[len(message):]))  # the traceback, if any (-vv)
        err_console.print(line, soft_wrap=True, highlight=False)


def _error(exc: BackchannelError) -> click.ClickException:
    """The error's one line for click to print; it names files, so their control characters are escaped."""
    return click.ClickException(escape_controls(f"{exc.code}: {exc}", oneline=True))


_STORE_KEY = "backchannel.storage.store"  # in click's ``meta``, which every command's context shares


class _Commands(click.Group):
    """Every command: a store or settings error ends the run as one numbered line, never a traceback
    (a store can fail in the middle of a query too: damaged, or its disk full)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BackchannelError as exc:
            raise _error(exc) from exc
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Unix tools do
            _silence_stdout()
            ctx.exit(141)
        except OSError as exc:  # an output the user named cannot be written (--out, --png, --html)
            raise _error(ConfigError("E309", path=exc.filename or "?", detail=exc.strerror or detail(exc))) from exc
        except Exception as exc:
            err = _store_failure(ctx.meta.get(_STORE_KEY), exc)
            if err is None:
                raise
            raise _error(err) from exc


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not raise again on the closed pipe."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _store_failure(store: str | None, exc: Exception) -> StoreError | None:
    """What a DuckDB failure in the middle of a command means when the store's file failed (and
    not, say, a file that ``export`` could not write)."""
    named = [os.path.abspath(n).removesuffix(".wal") for n in re.findall(r'"([^"]+)"', str(exc))]
    if store is None or any(n != os.path.abspath(store) for n in named):
        return None
    return classify(store, exc)


def _refuse_same_file(jsonl_out: Any, store: str) -> None:
    """``--jsonl`` is opened lazily, so naming the store there has truncated nothing yet: refuse it (E310)."""
    name = getattr(jsonl_out, "name", "-")
    if name != "-" and os.path.abspath(name) == os.path.abspath(store):
        raise ConfigError("E310", path=name)


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose == 1 else logging.WARNING
    handler = _OneLineHandler()
    root = logging.getLogger("backchannel")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


store_option = click.option(
    "--store", type=click.Path(dir_okay=False), default=None, help=f"DuckDB store file [default: ./{DEFAULT_STORE}]."
)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="backchannel")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.pass_context
def cli(ctx: click.Context, verbose: int) -> None:
    """backchannel: who said what, through which outlet, and who did what to whom."""
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@store_option
@click.option("--jsonl", "jsonl_out", type=click.File("w", encoding="utf-8", lazy=True),
              help="Also write one JSON object per document ('-' for stdout).")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="Settings file [default: ./backchannel.toml if present].")
@click.option("--batch-size", type=click.IntRange(1), help="Documents per store transaction [default: 64].")
@click.option("--nlp-batch-size", type=click.IntRange(1), help="Documents per spaCy batch; memory grows with it [default: 8].")
@click.option("--max-mb", type=click.FloatRange(0.001), help="Per-document size limit in MB [default: 2].")
@click.option("--language", "languages", multiple=True, help="Also accept this language (ISO 639-1; repeatable); English is always accepted.")
@click.option("--actors", type=click.Path(exists=True, dir_okay=False), help="YAML file of actors extending or overriding the curated gazetteer.")
@click.option("--no-events", is_flag=True, help="Find quotes only; do not code events.")
@click.option("--no-link", is_flag=True, help="Do not link quotes across documents afterwards (run 'backchannel link' later).")
@click.option("--engine", type=click.Choice(["local", "dask"]), help="Where documents are parsed: local processes or a Dask cluster [default: local].")
@click.option("-j", "--jobs", type=click.IntRange(1), help="Local engine: worker processes [default: 1, this process].")
@click.option("--scheduler", help="Dask engine: address of a running scheduler (tcp://host:8786); without it a LocalCluster starts.")
@click.option("--workers", type=click.IntRange(1), help="Dask engine without --scheduler: LocalCluster worker processes [default: 2].")
@click.option("--parts", type=click.Path(file_okay=False), help="Workers write each batch as Parquet partitions here (shared by all workers), merged into the store as they finish; 'backchannel load' merges them anywhere.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary; errors still go to stderr.")
@click.pass_context
def read(ctx: click.Context, paths: tuple[str, ...], store: str | None, jsonl_out: Any, config: str | None,
         batch_size: int | None, nlp_batch_size: int | None, max_mb: float | None, languages: tuple[str, ...],
         actors: str | None, no_events: bool, no_link: bool, engine: str | None, jobs: int | None,
         scheduler: str | None, workers: int | None, parts: str | None, quiet: bool) -> None:
    """Read articles (.txt, .html, .jsonl, .warc[.gz], .parquet, directories, '-' for stdin) into the store.

    Exits with status 1 if any input failed; the others are still read and stored.
    """
    _setup_logging(ctx.obj["verbose"], quiet)
    try:
        settings = load_settings(config, store=store, batch_size=batch_size, nlp_batch_size=nlp_batch_size, max_mb=max_mb, languages=tuple(dict.fromkeys(("en", *languages))) if languages else None,
                                 actors=actors, events=False if no_events else None, link=False if no_link else None,
                                 engine="dask" if scheduler and not engine else engine, jobs=jobs, scheduler=scheduler,
                                 workers=workers, parts=parts)
        _refuse_same_file(jsonl_out, settings.store)
        if settings.actors:

            gazetteer_for(settings.actors)  # a bad actor file fails here, once, not per document
    except BackchannelError as exc:
        raise _error(exc) from exc
    progress = Progress(
        SpinnerColumn(), TextColumn("reading"), BarColumn(), MofNCompleteColumn(), _RateColumn(),
        TextColumn("{task.fields[words]:,} words"), TimeElapsedColumn(),
        console=err_console, disable=quiet, transient=False,
    )
    with progress:
        task = progress.add_task("read", total=None, words=0)

        def advance(n: int, words: int) -> None:
            progress.update(task, advance=n, words=progress.tasks[0].fields["words"] + words)

        try:
            summary = api.read(list(paths), settings=settings, jsonl=jsonl_out, progress=advance)
        except BackchannelError as exc:
            raise _error(exc) from exc
        except KeyboardInterrupt:
            progress.stop()
            err_console.print("interrupted: every batch committed so far is kept; run the same command again to resume.")
            sys.exit(130)
        done = progress.tasks[0].completed
        progress.update(task, total=done, completed=done)
    if not quiet:
        _print_read_summary(summary)
    if not summary.ok:
        sys.exit(1)


def _print_read_summary(summary: RunSummary) -> None:
    """The table ``read`` prints at the end: what this run read, added and skipped, and what the
    store now holds."""
    table = Table(title="backchannel read", show_header=False, title_justify="left")
    table.add_row("store", safe_text(summary.store))
    table.add_row("inputs", f"{summary.inputs:,}")
    table.add_row("added", f"{summary.added:,}")
    table.add_row("already stored", f"{summary.unchanged:,}" + (
        f" ({summary.recovered:,} recovered from the partitions of an interrupted run)" if summary.recovered else ""))
    table.add_row("failed", f"{summary.failed:,}")
    table.add_row("warnings", f"{summary.warnings:,}")
    table.add_row("words parsed", f"{summary.words:,}")
    rate = summary.added / summary.seconds if summary.seconds else 0.0
    table.add_row("time", f"{summary.seconds:.1f} s ({rate:.1f} docs/s)")
    with api.open_store(summary.store, read_only=True) as st:
        table.add_row("store holds", f"{st.count('documents'):,} documents, {st.count('sections'):,} sections, "
                      f"{st.count('entities'):,} entities, {st.count('quotes'):,} quotes, {st.count('events'):,} events")
        if st.count("statements"):
            several = st.con.execute("SELECT count(*) FROM statements WHERE n_variants > 1").fetchone()[0]  # type: ignore[index]
            table.add_row("across documents", f"{st.count('speakers'):,} speakers, {st.count('statements'):,} statements "
                          f"({several:,} reported more than once)")
    err_console.print(table)


@cli.command("export")
@store_option
@click.option("--format", "fmt", type=click.Choice(sorted([*FORMATS, "gdelt"])), default="jsonl", show_default=True,
              help="Output format; gdelt writes the events as CAMEO-coded GDELT-style rows.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="export", show_default=True, help="Directory for the files.")
@click.option("--table", "tables", multiple=True, type=click.Choice(TABLES), help="Table to export (repeatable) [default: all].")
def export_cmd(store: str | None, fmt: str, out_dir: str, tables: tuple[str, ...]) -> None:
    """Export the store's tables, one file per table, as JSONL, Parquet or CSV."""
    _require_store(store)
    try:
        written = api.export(fmt, out_dir, store=store, tables=tables or None)
    except BackchannelError as exc:
        raise _error(exc) from exc
    for path in written:
        click.echo(escape_controls(path))


@cli.command("quotes")
@store_option
@click.option("--speaker", help="Only quotes whose speaker (or mention) contains this, case-insensitive.")
@click.option("--outlet", help="Only quotes from documents of this outlet or relayed through it.")
@click.option("--kind", type=click.Choice(["direct", "mixed", "block", "indirect"]), help="Only this kind.")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="One JSON object per quote instead of a table.")
def quotes_cmd(store: str | None, speaker: str | None, outlet: str | None, kind: str | None, limit: int | None,
               as_jsonl: bool) -> None:
    """List stored quotes: who said what, through whom, with character offsets."""
    with _query_store(store) as st:
        found = st.quotes(speaker=speaker, outlet=outlet, kind=kind, limit=limit)
    if as_jsonl:
        for q in found:
            click.echo(safe_json(q.to_dict()))
        return
    table = Table(show_lines=False)
    for col in ("speaker", "kind", "via", "content", "span"):
        table.add_column(col, overflow="fold")
    for q in found:
        content = q.content if len(q.content) <= 160 else q.content[:157] + "…"
        who = q.speaker or "?"
        if q.speaker_mention and q.speaker_mention != q.speaker:
            who += f" ({q.speaker_mention})"
        table.add_row(safe_text(who), safe_text(q.kind + (" [comment]" if q.section_kind == "comment" else "")),
                      safe_text(" → ".join(q.via)), safe_text(content), safe_text(f"{q.article_id[:8]}:{q.start_char}-{q.end_char}"))
    Console().print(table)


@cli.command("events")
@store_option
@click.option("--actor", help="Only events with this actor: a country code (IRN) or part of a name.")
@click.option("--recipient", help="Only events with this recipient: a country code (USA) or part of a name.")
@click.option("--type", "event_type", type=click.Choice(EVENT_TYPES, case_sensitive=False), help="Only this PLOVER type.")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="One JSON object per event instead of a table.")
def events_cmd(store: str | None, actor: str | None, recipient: str | None, event_type: str | None, limit: int | None,
               as_jsonl: bool) -> None:
    """List stored events: who did what to whom, with modality, claimant and character offsets."""
    with _query_store(store) as st:
        found = st.events(actor=actor, recipient=recipient, event=event_type, limit=limit)
    if as_jsonl:
        for e in found:
            click.echo(safe_json(e.to_dict()))
        return
    table = Table(show_lines=False)
    for col in ("actor", "event", "recipient", "modality", "claimed by", "trigger", "span"):
        table.add_column(col, overflow="fold")

    def who(actors: Any) -> str:
        return "; ".join(f"{a.name} [{a.country or '?'} {a.sector or '?'}]" for a in actors) or "-"

    for e in found:
        cells = (who(e.actors), e.event + (f"/{e.mode}" if e.mode else ""), who(e.recipients), e.modality,
                 e.claimed_by or "", e.trigger, f"{e.article_id[:8]}:{e.trigger_span[0]}-{e.trigger_span[1]}")
        table.add_row(*map(safe_text, cells))
    Console().print(table)


@cli.command("entities")
@store_option
@click.option("--type", "entity_type", type=click.Choice(get_args(EntityType), case_sensitive=False), help="Only this type.")
@click.option("--country", help="Only entities of this country (ISO code: IRN).")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="One JSON object per entity, with its mentions' offsets, instead of a table.")
def entities_cmd(store: str | None, entity_type: str | None, country: str | None, limit: int | None, as_jsonl: bool) -> None:
    """List each document's entities: who or what it talks about, with country, sector, offices and mentions."""
    with _query_store(store) as st:
        found = api.entities(st, type=entity_type, country=country, limit=limit)
    if as_jsonl:
        for n in found:
            click.echo(safe_json(n.to_dict()))
        return
    table = Table(show_lines=False)
    for col in ("article", "id", "name", "type", "country", "sector", "mentions", "offices"):
        table.add_column(col, overflow="fold", justify="right" if col in ("id", "mentions") else "left")
    for n in found:
        cells = (n.article_id[:8], str(n.id), n.name, n.type, n.country or "", n.sector or "", str(len(n.mentions)),
                 "; ".join(n.offices))
        table.add_row(*map(safe_text, cells))
    Console().print(table)


@cli.command("load")
@click.argument("parts", nargs=-1, required=True, type=click.Path(file_okay=False, exists=True))
@store_option
@click.option("--no-link", is_flag=True, help="Do not link quotes across documents afterwards.")
def load_cmd(parts: tuple[str, ...], store: str | None, no_link: bool) -> None:
    """Merge the Parquet partitions 'read --parts' runs wrote (one folder each) into the store (again: adds nothing)."""

    def report(folder: str, done: LoadSummary) -> None:
        note = f", {done.skipped} unreadable and skipped (see the errors above)" if done.skipped else ""
        click.echo(escape_controls(f"{folder}: merged {done.loaded} of {done.parts} partitions "
                                   f"({done.parts - done.loaded - done.skipped} merged before{note}), "
                                   f"{done.documents:,} new documents, {done.words:,} words, in {done.seconds:.1f} s"))

    _setup_logging(click.get_current_context().obj["verbose"], False)  # the skipped partitions' lines
    try:
        total = api.load(parts, store=store, link_after=not no_link, on_folder=report)
    except BackchannelError as exc:
        raise _error(exc) from exc
    if total.skipped:
        raise SystemExit(1)


@cli.command("link")
@store_option
def link_cmd(store: str | None) -> None:
    """Link quotes across documents: one speaker per person, one statement per utterance (``read`` does this itself)."""
    _require_store(store)
    done = api.link(store)
    click.echo(f"{done.quotes} quotes: {done.speakers} speakers, {done.statements} statements "
               f"({done.reported_more_than_once} reported more than once)")


@cli.command("statements")
@store_option
@click.option("--speaker", help="Only this speaker (name or alias, case-insensitive substring).")
@click.option("--min-variants", type=click.IntRange(1), default=2, show_default=True,
              help="Only statements reported at least this many times.")
@click.option("--limit", type=click.IntRange(1), help="Show at most N statements.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="One JSON object per statement, with its variants.")
def statements_cmd(store: str | None, speaker: str | None, min_variants: int, limit: int | None, as_jsonl: bool) -> None:
    """List statements: one utterance with every report of it, first report first, and how the wording drifted."""
    with _query_store(store) as st:
        found = st.statements(speaker=speaker, min_variants=min_variants, limit=limit)
    if as_jsonl:
        for s in found:
            click.echo(safe_json(s.to_dict()))
        return
    console = Console()
    for s in found:
        console.print(safe_text(f"{s.speaker or 'unknown speaker'} — {len(s.variants)} reports, {s.wordings} wordings "
                                f"[{s.id}]", style="bold", oneline=True))
        for i, v in enumerate(s.variants):
            console.print(safe_text(f"  {v.date or '????-??-??'}  {v.outlet or '?'}"
                                    + (f" (via {' → '.join(v.via)})" if len(v.via) > 1 else "") + f": {v.content}", oneline=True))
            changes = [f"{op}[{words}]" for op, words in v.diff if op != "="]
            if i and changes:
                console.print(safe_text("      against the first report: " + " ".join(changes), style="dim", oneline=True))


@cli.command("who")
@store_option
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def who_cmd(store: str | None, name: str, as_json: bool) -> None:
    """What a speaker said, when and through whom; namesakes are listed apart."""
    with _query_store(store) as st:
        people = st.people(name)
    if as_json:
        click.echo(safe_json(people, indent=2))
        return
    if not people:
        raise click.ClickException(f"no speaker called {name!r} in the store")
    console = Console()
    for p in people:
        also = [a for a in p["aliases"] if a != p["name"]]
        console.print(safe_text(f"{p['name']}" + (" (ambiguous: could be several people)" if p["ambiguous"] else "")
                                + (f" — also {', '.join(also)}" if also else "") + f" — {p['n_quotes']} quotes",
                                style="bold", oneline=True))
        if p["context"]:
            console.print(safe_text(f"  context: {', '.join(p['context'][:8])}", style="dim", oneline=True))
        for s in p["statements"]:
            reports = f" ({s['n_variants']} reports)" if s["n_variants"] > 1 else ""
            console.print(safe_text(f"  {s['first_date'] or '????-??-??'}  {', '.join(s['outlets']) or '?'}{reports}: "
                                    f"{s['content']}", oneline=True))


_SIGNALS_LISTED = 40


@cli.command("dyad")
@store_option
@click.argument("a")
@click.argument("b")
@click.option("--by", type=click.Choice(["day", "week", "month"]), default="week", show_default=True, help="Period.")
@click.option("--png", type=click.Path(dir_okay=False), help="Write the chart as PNG [default: dyad-A-B.png].")
@click.option("--html", "html_out", type=click.Path(dir_okay=False),
              help="Write the interactive chart, its evidence one click away [default: dyad-A-B.html].")
@click.option("--json", "as_json", is_flag=True, help="Print the series and signals as JSON instead of a table.")
def dyad_cmd(store: str | None, a: str, b: str, by: str, png: str | None, html_out: str | None, as_json: bool) -> None:
    """Who did what to whom between two countries (ISO codes: USA IRN), per period and direction."""

    _require_store(store)
    with api.open_store(store, read_only=True) as st:
        d = dyad(st.con, a, b, by=by)  # type: ignore[arg-type]
    stem = f"dyad-{d.a}-{d.b}"
    written = [dyad_png(d, png or f"{stem}.png"), dyad_html(d, html_out or f"{stem}.html")]
    if as_json:
        click.echo(safe_json(d.to_dict(), indent=2))
        return
    table = Table(title=safe_text(f"{d.a} ↔ {d.b} by {by}"))
    for col in ("period", "direction", "verbal coop", "material coop", "verbal conflict", "material conflict",
                "mean score", "net cooperation"):
        table.add_column(col, justify="right" if col not in ("period", "direction") else "left")
    for p in sorted(d.points, key=lambda p: (p.period, p.source != d.a)):
        table.add_row(safe_text(p.period), safe_text(direction(p.source, p.target)), str(p.q1), str(p.q2), str(p.q3),
                      str(p.q4), "-" if p.mean_score is None else f"{p.mean_score:+.1f}", f"{p.net:+d}")
    console = Console()
    console.print(table)
    undated = ", ".join(f"{k}: {v}" for k, v in d.undated.items() if v)
    if undated:
        console.print(safe_text(f"undated (not in the series): {undated}"))
    for s in d.signals[:_SIGNALS_LISTED]:
        e = s.evidence
        console.print(safe_text(f"{e.date or 'undated'}  {s.source}→{s.target}  {s.kind:<11} {e.event} “{e.trigger}”"
                                + (f" — claimed by {e.claimed_by}" if e.claimed_by else "")
                                + (f" — {e.outlet}" if e.outlet else ""), oneline=True))
    if len(d.signals) > _SIGNALS_LISTED:
        console.print(f"… and {len(d.signals) - _SIGNALS_LISTED:,} more negotiation signals (--json lists them all)")
    console.print(safe_text(f"wrote {', '.join(str(p) for p in written)}"))


@cli.command("report")
@store_option
@click.option("--out", type=click.Path(dir_okay=False), default="report.html", show_default=True, help="HTML file to write.")
@click.option("--by", type=click.Choice(["day", "week", "month"]), default="week", show_default=True, help="Period of the dyad charts.")
@click.option("--top", type=click.IntRange(1), default=20, show_default=True, help="Length of each top list.")
def report_cmd(store: str | None, out: str, by: str, top: int) -> None:
    """One self-contained HTML page: corpus, top speakers and outlets, statements with variants, dyad charts."""

    _require_store(store)
    with api.open_store(store, read_only=True) as st:
        done = report(st.con, out, top=top, by=by)  # type: ignore[arg-type]
    click.echo(escape_controls(f"wrote {done.path} ({done.bytes / 1e6:.1f} MB, {done.seconds:.1f} s)"))


@cli.group("eval")
def eval_group() -> None:
    """Score extraction against gold annotations."""


@eval_group.command("quotes")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--texts", type=click.Path(exists=True, file_okay=False),
              help="Directory the gold's 'file' paths are relative to [default: the gold file's parent's parent].")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--limit", type=click.IntRange(1), help="Score only the first N documents.")
def eval_quotes(gold: str, texts: str | None, as_json: bool, limit: int | None) -> None:
    """Score quotes against GOLD.jsonl (seed gold or PolNeAR format) with the Gender Gap Tracker metric."""


    scores = api.evaluate_quotes(gold, texts=texts, limit=limit)
    click.echo(json.dumps(scores, indent=2) if as_json else escape_controls(format_report(scores)))


@eval_group.command("events")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--texts", type=click.Path(exists=True, file_okay=False),
              help="Directory the seed gold's 'file' paths are relative to [default: the gold file's parent's parent].")
@click.option("--split", help="Sentence-level gold only: score the lines with this 'split' value (dev, test).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_events(gold: str, texts: str | None, split: str | None, as_json: bool) -> None:
    """Score events against GOLD.jsonl: the seed gold format or one sentence per line (PLOVER style)."""


    scores = api.evaluate_events(gold, texts=texts, split=split)
    click.echo(json.dumps(scores, indent=2) if as_json else escape_controls(format_event_report(scores)))


@eval_group.command("statements")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--articles", type=click.Path(exists=True, dir_okay=False), required=True,
              help="The articles the gold annotates (JSONL with 'id'); read into a temporary store and linked.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_statements(gold: str, articles: str, as_json: bool) -> None:
    """Score statement grouping against GOLD.jsonl: pairwise precision, recall and F1 over gold members."""


    scores = api.evaluate_statements(gold, articles)
    click.echo(json.dumps(scores, indent=2) if as_json else escape_controls(format_statement_report(scores)))


@cli.command()
@store_option
def failures(store: str | None) -> None:
    """List the inputs that failed (and warnings), one line each."""
    with _query_store(store) as st:
        for f in st.failures():
            click.echo(f"{f.severity}\t{f.code}\t{escape_controls(f.message, oneline=True)}")


def _require_store(store: str | None) -> None:
    try:
        path = Path(store or load_settings().store)
    except BackchannelError as exc:
        raise _error(exc) from exc
    click.get_current_context().meta[_STORE_KEY] = str(path)
    if not path.exists():
        raise _error(StoreError("E212", path=str(path), detail="the file does not exist"))


def _query_store(store: str | None) -> Store:
    """The store for a command that only reads it: read-only, so that it works on a read-only
    file and never takes the write lock; a missing one is an error, not a new empty store."""
    _require_store(store)
    return api.open_store(store, read_only=True)


def main() -> None:
    cli(prog_name="backchannel")
