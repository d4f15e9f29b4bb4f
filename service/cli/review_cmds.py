"""`almen review`: review a styringsrapport and write the draft forberedelsesnotat (.docx + .md)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.panel import Panel
from rich.table import Table

from service.cli.common import console, get_settings, handle_errors, open_kb, safe

_STATUS_STYLE = {"følg op": "bold yellow", "OK": "green", "mangler data": "dim"}


class _Scoped:
    """The CLI user as a caller of the scope rules (service.api.scopes.Caller)."""

    def __init__(self, scope: str | None) -> None:
        self.scope = scope


def output_paths(out: Path | None, report: Path) -> tuple[Path, Path]:
    """(.docx, .md) paths: next to --out, or 'forberedelsesnotat-<rapport>.docx' in the current folder."""
    if out is None:
        out = Path.cwd() / f"forberedelsesnotat-{report.stem}.docx"
    out = Path(out)
    if out.suffix.lower() not in (".docx", ".md"):
        out = out.with_name(out.name + ".docx")
    return out.with_suffix(".docx"), out.with_suffix(".md")


def register(app: typer.Typer) -> None:
    """Add `almen review` to the app."""
    @app.command("review")
    @handle_errors
    def review_cmd(
        report: Path = typer.Argument(..., help="Styringsrapporten (PDF, DOCX eller tekst)."),
        previous: Path = typer.Option(None, "--previous", help="Sidste års styringsrapport (ellers søges i vidensbasen)."),
        org: str = typer.Option(None, "--org", help="Boligorganisationens navn, hvis det ikke kan aflæses."),
        year: int = typer.Option(None, "--year", min=1990, max=2200, help="Styringsåret, hvis det ikke kan aflæses."),
        out: Path = typer.Option(None, "--out", help="Notatet som .docx; .md skrives ved siden af."),
        as_json: bool = typer.Option(False, "--json", help="Udskriv resultatet som JSON."),
        add_to_kb: bool = typer.Option(False, "--add-to-kb", help="Tilføj rapporten til vidensbasen som "
                                       "organisationens styringsrapport (aftaleoversigten læser den så også)."),
        scope: str = typer.Option(None, "--scope", help="Afgrænsning: 'kommune' eller 'kommune/afdeling'. "
                                  "Gennemgangen bruger kun dokumenter, den afgrænsning kan se, og --add-to-kb "
                                  "tilføjer rapporten med den afgrænsning (se README)."),
    ) -> None:
        """Gennemgå en styringsrapport og skriv et udkast til forberedelsesnotat (Word og Markdown)."""
        from service.api.scopes import normalise_scope, visible_sources
        from service.review.review import add_to_knowledge_base, review_report

        owner = normalise_scope(scope) if scope else None  # a ScopeError (AlmenError) is a red line, exit 1
        settings = get_settings()
        kb = open_kb(settings, one_shot=True)
        sources = visible_sources(kb, _Scoped(owner)) if owner else None
        review = review_report(report, kb=kb, settings=settings, previous_path=previous, org=org, year=year,
                               sources=sources)
        docx_path, md_path = output_paths(out, report)
        docx_path.parent.mkdir(parents=True, exist_ok=True)
        review.write_docx(docx_path)
        review.write_markdown(md_path)
        added = add_to_knowledge_base(kb, report, review, scope=owner or "") if add_to_kb else None
        if added is not None and added.status == "failed":
            console.print(f"[red]Rapporten kunne ikke tilføjes vidensbasen:[/] {safe(added.message)}")
            raise typer.Exit(1)
        if as_json:
            data = review.to_dict() | {"files": {"docx": str(docx_path), "markdown": str(md_path)}}
            if added is not None:
                data["knowledge_base"] = {"status": added.status, "source_id": added.source_id}
            console.print_json(json.dumps(data, ensure_ascii=False))
            return
        ident = review.report.identity
        console.print(Panel.fit(
            f"[bold]{safe(ident.organisation or 'Ukendt organisation')}[/] – styringsår {ident.styringsaar or '?'}\n"
            f"{len(review.report.figures)} nøgletal aflæst · sidste år: {safe(review.previous_origin or 'ikke fundet')}\n"
            f"referat: {safe(review.referat_title or 'ikke fundet')}",
            title="Gennemgang af styringsrapport"))
        table = Table(title="Tjekliste")
        table.add_column("Punkt")
        table.add_column("Status")
        table.add_column("Begrundelse")
        for check in review.checks:
            reasons = [f.reason for f in check.flagged] or [check.findings[0].reason if check.findings else ""]
            style = _STATUS_STYLE.get(check.status, "")
            table.add_row(check.item.topic, f"[{style}]{check.status}[/]", safe("\n".join(reasons[:3])))
        console.print(table)
        if review.followups:
            agreements = Table(title="Opfølgning på sidste års aftaler")
            agreements.add_column("Nr.")
            agreements.add_column("Aftale")
            agreements.add_column("Frist")
            agreements.add_column("Status")
            for fu in review.followups:
                a = fu.agreement
                agreements.add_row(str(a.number or "–"), safe(a.text[:90] + ("…" if len(a.text) > 90 else "")),
                                   safe(a.deadline_text) + (" (overskredet)" if fu.overdue else ""), fu.status_label)
            console.print(agreements)
        for warning in review.warnings:
            console.print(f"[yellow]Bemærk:[/] {safe(warning)}")
        console.print(safe(review.summary))
        console.print(f"Notat skrevet: [bold]{safe(docx_path)}[/] og [bold]{safe(md_path)}[/] ({review.seconds:.1f} s).")
        if review.detected:
            shown = {"organisation": "organisationen", "year": "styringsåret"}
            console.print("Aflæst i rapporten: " + " og ".join(shown[f] for f in review.detected)
                          + ". Er det forkert, så angiv --org/--year.")
        if added is not None:
            console.print(f"Rapporten er tilføjet vidensbasen ({safe(added.status)}, id {safe(added.source_id)}).")
