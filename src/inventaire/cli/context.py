"""Shared by CLI commands: consoles, errors, and one unit of work committed once."""

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from inventaire.config import Settings
from inventaire.database import make_engine, make_sessionmaker, session_scope

console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> None:
    """Print a French error on standard error and exit."""
    err.print(f"[bold red]Erreur :[/] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def open_session(settings: Settings) -> Iterator[Session]:
    engine = make_engine(settings.database_url, sqlite_busy_ms=settings.sqlite_busy_ms)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            yield session
    finally:
        engine.dispose()
