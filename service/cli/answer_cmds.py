"""`almen ask` (one question) and `almen chat` (an interactive conversation)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from knowledge.search_types import SearchFilters, build_filters
from service.cli.common import console, handle_errors, open_kb, safe

if TYPE_CHECKING:
    from knowledge.kb import KnowledgeBase
    from service.answering.models import Answer

END_WORDS = {"afslut", "exit", "quit", "slut", ":q"}
RESET_WORDS = {"ny", "/ny", "ny samtale"}


def _answer(kb: KnowledgeBase, question: str, *, filters: SearchFilters | None, llm: bool,
            history: list[dict[str, str]] | None = None) -> Answer:
    from service import assistant

    return assistant.answer(question, kb=kb, settings=kb.settings, history=history, filters=filters,
                            generator="llm" if llm else "extractive")


def print_answer(answer: Answer) -> None:
    """The answer as Markdown, notes, and a numbered source list."""
    from rich.markdown import Markdown

    console.print(Markdown(answer.text))
    if answer.abstained:
        console.print(f"[yellow]Bemærk:[/] almen fandt ikke et sikkert svar. {answer.reason}".rstrip())
    for note in answer.notes:
        console.print(f"[yellow]Note:[/] {note}")
    if answer.citations:
        console.print("\n[bold]Kilder" + (" (nærmeste)" if answer.abstained else "") + ":[/]")
        for c in answer.citations:
            console.print(f"  [cyan][{c.n}][/] {safe(c.label)}", highlight=False)
            if c.quote and not answer.abstained:
                console.print(f"      [dim]»{safe(c.quote)}«[/]", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("ask")
    @handle_errors
    def ask_cmd(
        question: str = typer.Argument(..., help="Spørgsmålet på dansk."),
        kind: str = typer.Option(None, "--kind", help="Kun denne dokumenttype."),
        org: str = typer.Option(None, "--org", help="Kun denne boligorganisation."),
        year: int = typer.Option(None, "--year", help="Kun dette år."),
        on: str = typer.Option(None, "--on", help="Kun regler i kraft på denne dato (ÅÅÅÅ-MM-DD)."),
        llm: bool = typer.Option(False, "--llm", help="Lad sprogmodellen (ALMEN_LLM_BASE_URL) skrive svaret."),
        as_json: bool = typer.Option(False, "--json", help="Udskriv svaret som JSON."),
    ) -> None:
        """Stil et spørgsmål og få et svar med nummererede kilder."""
        filters = build_filters(kind=kind, org=org, year=year, on=on)
        kb = open_kb(one_shot=True)
        answer = _answer(kb, question, filters=filters, llm=llm)
        if as_json:
            console.print_json(json.dumps(answer.to_dict(), ensure_ascii=False))
            return
        print_answer(answer)

    @app.command("chat")
    @handle_errors
    def chat_cmd(
        kind: str = typer.Option(None, "--kind", help="Kun denne dokumenttype."),
        org: str = typer.Option(None, "--org", help="Kun denne boligorganisation."),
        year: int = typer.Option(None, "--year", help="Kun dette år."),
        on: str = typer.Option(None, "--on", help="Kun regler i kraft på denne dato (ÅÅÅÅ-MM-DD)."),
        llm: bool = typer.Option(False, "--llm", help="Lad sprogmodellen skrive svarene."),
    ) -> None:
        """En samtale i terminalen: opfølgende spørgsmål forstås i sammenhæng. Skriv 'ny' for ny samtale, 'afslut' for at slutte."""
        filters = build_filters(kind=kind, org=org, year=year, on=on)
        kb = open_kb()
        history: list[dict[str, str]] = []
        console.print("[bold]almen[/] – skriv dit spørgsmål. 'ny' starter en ny samtale, 'afslut' (eller Ctrl-D) slutter.")
        while True:
            try:
                question = console.input("[bold cyan]Du:[/] ").strip()
            except (EOFError, KeyboardInterrupt):
                console.print()
                break
            if not question:
                continue
            if question.lower() in END_WORDS:
                break
            if question.lower() in RESET_WORDS:
                history.clear()
                console.print("[dim]Ny samtale.[/]")
                continue
            try:
                answer = _answer(kb, question, filters=filters, llm=llm,
                                 history=list(history))
            except ValueError as exc:  # e.g. a question over the length limit: say so and go on
                console.print(f"[red]Fejl:[/] {exc}")
                continue
            console.print("[bold green]almen:[/]")
            print_answer(answer)
            console.print()
            history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]
        console.print("Farvel.")
