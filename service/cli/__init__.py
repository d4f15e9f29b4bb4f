"""The `almen` command-line program (Typer + Rich). Each command group lives in its own module."""

from __future__ import annotations

import typer

from service.cli import core_cmds, ingest_cmds, search_cmds

app = typer.Typer(
    name="almen",
    help="almen – vidensbase-assistent til styringsdialogen med de almene boligorganisationer.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
core_cmds.register(app)
ingest_cmds.register(app)
search_cmds.register(app)


def _register_optional() -> None:
    """Command groups added by later parts register themselves here if present."""
    import importlib

    for name in ("answer_cmds", "serve_cmds", "review_cmds", "eval_cmds", "agreement_cmds"):
        try:
            module = importlib.import_module(f"service.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"service.cli.{name}":
                raise
            continue
        module.register(app)


_register_optional()


def main() -> None:
    """Entry point of the `almen` script."""
    app()
