"""Shared by CLI commands: consoles, errors, and one unit of work committed once."""

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from inventaire.config import Settings
from inventaire.database import make_engine, make_sessionmaker, session_scope

console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> None:
    """Print a French error on standard error and exit."""
    err.print(f"[bold red]Erreur :[/] {message}", highlight=False, soft_wrap=True)  # one line, for scripts
    raise typer.Exit(code)


def database_problem(exc: Exception) -> str:
    """What a person should do about a database error, in French."""
    text = str(getattr(exc, "orig", exc))
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return "le schéma de la base est absent ou ancien : lancez « inventaire db upgrade »."
    return "base de données injoignable : vérifiez DATABASE_URL (hôte, port, utilisateur, mot de passe)."


@contextmanager
def open_session(settings: Settings) -> Iterator[Session]:
    """One unit of work on the configured database, committed once; database faults end in French."""
    engine = make_engine(settings.database_url, sqlite_busy_ms=settings.sqlite_busy_ms)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            yield session
    except (OperationalError, ProgrammingError) as exc:
        fail(database_problem(exc))
    finally:
        engine.dispose()
