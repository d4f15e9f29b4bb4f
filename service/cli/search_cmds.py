"""`almen search`."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from knowledge.search_types import build_filters
from service.cli.common import console, get_settings, handle_errors, open_kb, safe


def register(app: typer.Typer) -> None:
    @app.command("search")
    @handle_errors
    def search_cmd(
        query: str = typer.Argument(..., help="Søgetekst eller spørgsmål."),
        kind: str = typer.Option(None, "--kind", help="Kun denne dokumenttype."),
        org: str = typer.Option(None, "--org", help="Kun denne boligorganisation."),
        year: int = typer.Option(None, "--year", help="Kun dette år."),
        on: str = typer.Option(None, "--on", help="Kun regler i kraft på denne dato (ÅÅÅÅ-MM-DD)."),
        k: int = typer.Option(6, "--k", min=1, max=100, help="Antal resultater."),
        explain: bool = typer.Option(False, "--explain", help="Vis hvorfor hvert resultat blev fundet."),
        as_json: bool = typer.Option(False, "--json", help="Udskriv som JSON."),
    ) -> None:
        """Søg i vidensbasen (hybrid: semantisk + nøgleord + lovhenvisninger)."""
        filters = build_filters(kind=kind, org=org, year=year, on=on)
        kb = open_kb(one_shot=True)
        result = kb.search(query, filters=filters, k=k)
        if as_json:
            data = result.explain()
            for h, d in zip(result.hits, data["hits"]):
                d["text"] = h.chunk.text
            console.print_json(json.dumps(data, ensure_ascii=False))
            return
        if not result.hits:
            console.print(f"[yellow]Ingen resultater.[/] {result.reason}")
            return
        table = Table(title=f"Resultater for: {safe(result.query)}")
        table.add_column("#")
        table.add_column("Kilde")
        table.add_column("Uddrag")
        if explain:
            table.add_column("Forklaring")
        for i, h in enumerate(result.hits, 1):
            snippet = " ".join(h.chunk.text.split())[:220]
            row = [str(i), safe(h.chunk.citation_label()), safe(snippet)]
            if explain:
                e = h.explain()
                row.append(
                    f"samlet {e['fused']}, relevans {e['relevance']}\n"
                    f"semantisk: #{e['dense_rank'] or '-'} ({e['dense_score']})\n"
                    f"nøgleord: #{e['lexical_rank'] or '-'} ({e['lexical_score']})\n"
                    f"lovhenvisning: {'ja' if e['legal_match'] else 'nej'}"
                    + (f"\nfiltre: {', '.join(e['filters_matched'])}" if e["filters_matched"] else "")
                )
            table.add_row(*row)
        console.print(table)
        if not result.relevant:
            console.print(f"[yellow]Bemærk:[/] {result.reason}")
