"""The `almen` command-line program (Typer + Rich). Each command group lives in its own module."""

from __future__ import annotations

import typer

from service.cli import (
    agreement_cmds,
    answer_cmds,
    core_cmds,
    eval_cmds,
    ingest_cmds,
    review_cmds,
    search_cmds,
    serve_cmds,
)

app = typer.Typer(
    name="almen",
    help="almen – vidensbase-assistent til styringsdialogen med de almene boligorganisationer.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
for module in (core_cmds, ingest_cmds, search_cmds, answer_cmds, serve_cmds, review_cmds, eval_cmds, agreement_cmds):
    module.register(app)


def main() -> None:
    """Entry point of the `almen` script."""
    app()
