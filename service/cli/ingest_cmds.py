"""`almen ingest` and `almen sources ...`."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from service.cli.common import console, fail, get_settings, handle_errors, make_progress, open_store_kb, safe

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ingest.pipeline import IngestEvent, IngestReport

STATUS_DA = {"added": "tilføjet", "updated": "opdateret", "unchanged": "uændret", "failed": "fejlet"}


def _run(events: Iterable[IngestEvent], label: str) -> IngestReport:
    from ingest.pipeline import IngestReport

    report = IngestReport()
    t = time.perf_counter()
    with make_progress() as progress:
        task = progress.add_task(label, total=None)
        chunks = progress.add_task("Tekststykker indlejret og gemt", total=None)
        for ev in events:
            ev: IngestEvent
            progress.update(task, total=ev.total, description=f"{label}: {safe(Path(ev.path).name)}")
            if ev.result is not None:
                report.results.append(ev.result)
                progress.advance(task)
                if ev.result.status in ("added", "updated"):
                    progress.advance(chunks, ev.result.chunks)
        progress.update(chunks, total=progress.tasks[chunks].completed)
    report.seconds = time.perf_counter() - t
    return report


def _print_report(report: IngestReport) -> None:
    table = Table(title="Indlæsning")
    for col in ("Fil", "Status", "Type", "Tekststykker", "Sider", "CPR fjernet", "Bemærkning"):
        table.add_column(col)
    for r in report.results:
        style = {"failed": "red", "added": "green", "updated": "cyan"}.get(r.status, "")
        note = r.message or "; ".join(r.warnings)
        table.add_row(safe(r.path), f"[{style}]{STATUS_DA[r.status]}[/]" if style else STATUS_DA[r.status], safe(r.kind),
                      str(r.chunks), str(r.pages or ""), str(r.cpr_redactions or ""), safe(note))
    console.print(table)
    console.print(
        f"Tilføjet: {report.count('added')}, opdateret: {report.count('updated')}, uændret: {report.count('unchanged')}, "
        f"fejlet: {report.count('failed')}, CPR-numre fjernet: {report.cpr_redactions} ({report.seconds:.1f} s)"
    )


def register(app: typer.Typer) -> None:
    sources = typer.Typer(help="Vis og fjern kilder i vidensbasen.", no_args_is_help=True)
    app.add_typer(sources, name="sources")

    @app.command("ingest")
    @handle_errors
    def ingest_cmd(
        paths: list[Path] = typer.Argument(None, help="Filer eller mapper (mapper gennemløbes rekursivt)."),
        kind: str = typer.Option(None, "--kind", help="Dokumenttype: lov, bekendtgoerelse, vejledning, notat, styringsrapport, referat, aftale, andet."),
        org: str = typer.Option(None, "--org", help="Boligorganisation."),
        year: int = typer.Option(None, "--year", help="År (fx styringsår)."),
        municipality: str = typer.Option(None, "--municipality", help="Kommune."),
        builtin: bool = typer.Option(False, "--builtin", help="Genopbyg den indbyggede vidensbase."),
        samples: bool = typer.Option(False, "--samples", help="Indlæs de fiktive eksempeldokumenter."),
        as_json: bool = typer.Option(False, "--json", help="Udskriv rapporten som JSON."),
    ) -> None:
        """Indlæs dokumenter (PDF, HTML, DOCX, Markdown, tekst) i vidensbasen."""
        if not paths and not builtin and not samples:
            raise fail("Angiv mindst én fil eller mappe, eller brug --builtin eller --samples.")
        from ingest.pipeline import IngestReport, ingest_paths, ingest_samples, sync_builtin

        kb = open_store_kb(get_settings())
        report = IngestReport()
        started = time.perf_counter()
        if builtin:
            report.results += _run(sync_builtin(kb), "Indbygget vidensbase").results
        if samples:
            report.results += _run(ingest_samples(kb), "Eksempeldokumenter").results
        if paths:
            report.results += _run(
                ingest_paths(kb, paths, kind=kind, org=org, year=year, municipality=municipality), "Indlæser"
            ).results
        report.seconds = time.perf_counter() - started
        if as_json:
            console.print_json(json.dumps(report.to_dict(), ensure_ascii=False))
        else:
            _print_report(report)
        if report.failed:
            raise typer.Exit(1)

    @sources.command("list")
    @handle_errors
    def sources_list(as_json: bool = typer.Option(False, "--json", help="Udskriv som JSON.")) -> None:
        """Vis alle kilder i vidensbasen."""
        kb = open_store_kb(get_settings())
        recs = kb.store.list_sources()
        if as_json:
            console.print_json(json.dumps([vars(r) for r in recs], ensure_ascii=False, default=str))
            return
        table = Table(title=f"Kilder i vidensbasen ({len(recs)})")
        for col in ("Id", "Titel", "Type", "Tekststykker", "Indlæst"):
            table.add_column(col)
        for r in recs:
            table.add_row(safe(r.source_id), safe(r.title), safe(r.kind), str(r.chunk_count),
                          datetime.fromtimestamp(r.ingested_at).strftime("%d-%m-%Y %H:%M"))
        console.print(table)

    @sources.command("remove")
    @handle_errors
    def sources_remove(source_id: str = typer.Argument(..., help="Kildens id (se 'almen sources list').")) -> None:
        """Fjern en kilde og alle dens tekststykker."""
        kb = open_store_kb(get_settings())
        if not kb.store.remove_source(source_id):
            raise fail(f"Kilden '{source_id}' findes ikke. Se 'almen sources list'.")
        console.print(f"Kilden '{source_id}' er fjernet.")
