"""`almen config`."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from service.cli.common import console, get_settings, handle_errors


def register(app: typer.Typer) -> None:
    @app.command("config")
    @handle_errors
    def config_cmd(as_json: bool = typer.Option(False, "--json", help="Udskriv som JSON.")) -> None:
        """Vis de gældende indstillinger (hemmeligheder er skjult)."""
        values = get_settings().masked()
        if as_json:
            console.print_json(json.dumps(values, default=str))
            return
        table = Table(title="almen – indstillinger (miljøvariabler med præfikset ALMEN_)")
        table.add_column("Indstilling")
        table.add_column("Værdi")
        for key, value in values.items():
            table.add_row(f"ALMEN_{key.upper()}", str(value))
        console.print(table)
