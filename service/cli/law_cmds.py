"""`almen lov import` and `almen lov list`: official statute texts and their versions."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from knowledge.errors import AlmenError
from service.cli.common import console, err_console, handle_errors, open_kb, safe

if TYPE_CHECKING:
    from ingest.law_import import LawImportResult
    from knowledge.statutes import ActOverview

STATUS_DA = {"added": "tilføjet", "updated": "opdateret", "unchanged": "uændret"}


def describe_import(r: LawImportResult) -> str:
    """One Danish paragraph on what an import did (version, status, what it superseded)."""
    head = f"{r.act_name}, {r.version} ({r.title})"
    if r.status == "unchanged":
        text = f"{head} er allerede importeret fra præcis den samme fil: intet er ændret."
    else:
        text = f"{head}: {STATUS_DA.get(r.status, r.status)}, {r.chunks} tekststykker."
    if r.current:
        text += " Det er den gældende version."
    elif r.current_version:
        text += f" Det er ikke den gældende version: {r.current_version} er nyere. Den gemmes som afløst."
    if r.superseded:
        text += f" Markeret som afløst (gemt til spørgsmål om en dato): {', '.join(r.superseded)}."
    return text


def _print_imports(results: list[LawImportResult], failed: list[dict[str, str]], *, as_json: bool) -> None:
    if as_json:
        console.print_json(json.dumps({"imported": [r.to_dict() for r in results], "failed": failed},
                                      ensure_ascii=False))
        return
    for r in results:
        console.print(safe(describe_import(r)))
        for warning in r.warnings:
            console.print(f"[yellow]{safe(warning)}[/]")


def _laws_table(overview: list[ActOverview]) -> Table:
    """One row per stored version; an act known only from the built-in notes gets one row saying so."""
    table = Table(title="Love og bekendtgørelser")
    for col in ("Lov", "Version", "Status", "Gyldig fra", "Gyldig til", "Titel", "Id"):
        table.add_column(col)
    for o in overview:
        if not o.versions:
            table.add_row(safe(o.act_name), safe(o.current.current.version), "gældende ifølge de indbyggede notater "
                          "(ingen officiel tekst importeret)", "", "", "", "")
        for v in o.versions:
            status = "[green]gældende[/]" if v.current else "afløst"
            table.add_row(safe(o.act_name), safe(v.version), status, v.valid_from, v.valid_to or "",
                          safe(v.title), safe(v.source_id))
    return table


def register(app: typer.Typer) -> None:
    lov = typer.Typer(help="Officielle love og bekendtgørelser: importér teksten og se, hvilken version der gælder.",
                      no_args_is_help=True)
    app.add_typer(lov, name="lov")

    @lov.command("import")
    @handle_errors
    def import_cmd(
        sources: list[str] = typer.Argument(..., metavar="FIL|URL",
                                            help="Lovens tekst fra retsinformation.dk: HTML, PDF eller XML, som fil "
                                                 "eller adresse (kun når ALMEN_LAW_FETCH eller ALMEN_LAW_FETCH_HOSTS "
                                                 "tillader det)."),
        as_json: bool = typer.Option(False, "--json", help="Udskriv resultatet som JSON."),
    ) -> None:
        """Importér en lov eller bekendtgørelse (LBK, BEK, lov) som en version af loven.

        Den nyeste version af en lov er den gældende; tidligere versioner markeres som afløst og gemmes til
        spørgsmål om, hvad der gjaldt på en dato. Samme fil igen ændrer intet."""
        from ingest.law_import import import_law

        kb = open_kb()
        results: list[LawImportResult] = []
        failed: list[dict[str, str]] = []
        for source in sources:
            try:
                results.append(import_law(kb, source))
            except AlmenError as exc:
                failed.append({"source": source, "message": exc.message})
        _print_imports(results, failed, as_json=as_json)
        for f in failed:
            err_console.print(f"[bold red]Fejl:[/] {safe(f['source'])}: {safe(f['message'])}")
        if failed:
            raise typer.Exit(1)

    @lov.command("list")
    @handle_errors
    def list_cmd(as_json: bool = typer.Option(False, "--json", help="Udskriv som JSON.")) -> None:
        """Vis lovene i vidensbasen og hvilken version af hver, der gælder."""
        from knowledge.statutes import law_overview

        kb = open_kb()
        overview = law_overview(kb.store.list_sources())
        if as_json:
            console.print_json(json.dumps({"laws": [o.to_dict() for o in overview]}, ensure_ascii=False))
            return
        console.print(_laws_table(overview))
        if not any(o.versions for o in overview):
            console.print("Ingen officielle lovtekster er importeret endnu. Brug 'almen lov import FIL'.")
