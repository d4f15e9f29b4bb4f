"""`almen aftaler`: the agreement overview (every agreement with every housing organisation)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.padding import Padding
from rich.table import Table

from service.cli.common import console, fail, get_settings, handle_errors, open_kb, safe

if TYPE_CHECKING:
    from service.agreements.register import RegisterEntry

_STATUS_STYLE = {"opfyldt": "green", "i_gang": "yellow", "ikke_opfyldt": "bold red", "aftalt": "", "ukendt": "dim"}
# Below this width the seven columns wrapped every cell into fragments of a few letters (80 columns): each
# agreement is printed as a block of labelled lines instead.
TABLE_MIN_WIDTH = 120


def _today(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"Ugyldig dato '{value}' til --idag. Skriv den som ÅÅÅÅ-MM-DD, fx 2026-05-01.") from None


def register(app: typer.Typer) -> None:
    """Add `almen aftaler` to the app."""
    @app.command("aftaler")
    @handle_errors
    def aftaler_cmd(
        org: str = typer.Option(None, "--org", help="Kun aftaler med denne boligorganisation."),
        type_: str = typer.Option(None, "--type", help="Kun denne aftaletype, fx fleksibel_udlejning, "
                                                       "aeldreboliger eller anvisning."),
        status: str = typer.Option(None, "--status", help="Kun denne status: aftalt, i_gang, opfyldt, "
                                                          "ikke_opfyldt, ukendt, overskredet eller ønske."),
        as_json: bool = typer.Option(False, "--json", help="Udskriv aftalerne som JSON."),
        xlsx: Path = typer.Option(None, "--xlsx", help="Gem aftalerne i et Excel-ark (.xlsx)."),
        csv_path: Path = typer.Option(None, "--csv", help="Gem aftalerne som CSV (semikolon-separeret)."),
        today: str = typer.Option(None, "--idag", help="Beregn overskredne frister i forhold til denne dato "
                                                       "(ÅÅÅÅ-MM-DD); standard er dags dato."),
    ) -> None:
        """Vis oversigten over aftaler med boligorganisationerne, fundet i de indlæste dokumenter."""
        from service.agreements.export import write_csv, write_xlsx
        from service.agreements.register import AgreementFilters, get_register

        day = _today(today)
        filters = AgreementFilters(org=org, type=type_, status=status)
        register_ = get_register(open_kb(get_settings(), ensure_builtin=False, one_shot=True))
        entries = register_.entries(filters, today=day)
        reason = "" if entries else register_.empty_reason(filters)
        written = []
        if xlsx is not None:
            written.append(write_xlsx(entries, xlsx, today=day))
        if csv_path is not None:
            written.append(write_csv(entries, csv_path, today=day))
        if as_json:
            data = {"count": len(entries), "today": day.isoformat(), "documents": register_.document_count(),
                    "reason": reason, "filters": {"org": org, "type": type_, "status": status},
                    "agreements": [e.to_dict(today=day) for e in entries]}
            console.print_json(json.dumps(data, ensure_ascii=False))
            return
        for path in written:
            console.print(f"Skrev {len(entries)} aftale(r) til {safe(path)}")
        if not entries:
            console.print(f"[yellow]Ingen aftaler.[/] {safe(reason)}")
            return
        overdue = sum(e.is_overdue(day) for e in entries)
        if console.width >= TABLE_MIN_WIDTH:
            console.print(_table(entries, day))
        else:
            _blocks(entries, day)
        console.print(f"{len(entries)} aftale(r) fra {register_.document_count()} dokument(er); "
                      f"{overdue} med overskredet frist pr. {day.isoformat()}.")


def _status_cell(entry: RegisterEntry, day: dt.date) -> str:
    status_text = entry.status_label if entry.category == "aftale" else "ønske"
    style = _STATUS_STYLE.get(entry.status, "")
    cell = f"[{style}]{safe(status_text)}[/]" if style else safe(status_text)
    return cell + (" [bold red](overskredet)[/]" if entry.is_overdue(day) else "")


def _table(entries: list[RegisterEntry], day: dt.date) -> Table:
    """One row per agreement (a wide terminal)."""
    table = Table(title="Aftaler med boligorganisationerne", expand=True)
    for name, ratio in (("Organisation", 2), ("Nr.", 0), ("Type", 2), ("Aftale", 6), ("Frist / varighed", 2),
                        ("Status", 0), ("Kilde", 3)):
        table.add_column(name, ratio=ratio or None, no_wrap=not ratio)
    for e in entries:
        text = e.text if len(e.text) <= 110 else e.text[:109] + "…"
        table.add_row(safe(e.organisation or "–"), "" if e.number is None else str(e.number), safe(e.type_label),
                      safe(text), safe(e.deadline_display), _status_cell(e, day), safe(e.sources[0].citation))
    return table


def _blocks(entries: list[RegisterEntry], day: dt.date) -> None:
    """One block per agreement (a narrow terminal): a heading line, then the text and labelled facts, wrapped by
    words under a small indent."""
    console.print("[bold]Aftaler med boligorganisationerne[/]")
    for e in entries:
        word = "aftale" if e.category == "aftale" else "ønske"
        number = f" · {word} {e.number}" if e.number is not None else f" · {word}"
        console.print()
        console.print(f"[bold]{safe(e.organisation or '–')}{number}[/] · {safe(e.type_label)}")
        facts = Table.grid(padding=(0, 1))
        facts.add_column(style="dim", no_wrap=True)
        facts.add_column(ratio=1)
        facts.add_row("Aftale", safe(e.text))
        if e.deadline_display:
            facts.add_row("Frist", safe(e.deadline_display))
        facts.add_row("Status", _status_cell(e, day))
        facts.add_row("Kilde", safe(e.sources[0].citation))
        console.print(Padding(facts, (0, 0, 0, 2)))
    console.print()
