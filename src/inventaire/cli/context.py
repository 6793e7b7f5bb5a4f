"""Shared by CLI commands: consoles, errors, and one unit of work committed once."""

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from inventaire.audit import service as audit
from inventaire.kit.config import Settings
from inventaire.kit.database import engine_for, session_scope
from inventaire.sessions import session_factory

console = Console()
err = Console(stderr=True)


def keep_whole(table: Table, *, rows: list[tuple[str, ...]], columns: tuple[int, ...]) -> None:
    """Codes, roles and ids are never cut (PLS-TRAIT-455 and PLS-TRAIT-227 must not both read « PLS-TRAIT-… »).

    Those columns are as wide as their longest value and never wrap; every other column wraps its
    words and folds a word too long for it, instead of ending it with « … ».
    """
    for column in table.columns:
        column.overflow = "fold"
        column.min_width = max(len(word) for word in str(column.header).split() or [""])  # headers stay whole words
    for position, index in enumerate(columns):
        widest = max((len(line) for row in rows for line in row[position].splitlines()), default=0)
        table.columns[index].no_wrap = True
        table.columns[index].min_width = max(widest, table.columns[index].min_width or 0)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a French error on standard error and exit."""
    err.print(f"[bold red]Erreur :[/] {message}", highlight=False, soft_wrap=True)  # one line, for scripts
    raise typer.Exit(code)


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names (absolute), or None for another database or an in-memory one."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.database.startswith("file:") or parsed.query.get("uri"):
        return None
    return Path(parsed.database).resolve()


def database_name(url: str) -> str:
    """The database as a person recognises it, never with its password."""
    path = sqlite_file(url)
    if path is not None:
        return f"SQLite {path}"
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "DATABASE_URL illisible"


def database_problem(exc: Exception, url: str) -> str:
    """What a person should do about a database error, in French, naming the database opened."""
    text = str(getattr(exc, "orig", exc))
    where = f"(base : {database_name(url)})"
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return f"le schéma de la base est absent ou ancien {where} : lancez « inventaire db upgrade »."
    return f"base de données injoignable {where} : vérifiez DATABASE_URL (hôte, port, utilisateur, mot de passe)."


def missing_database(url: str) -> str | None:
    """Why this command will not open the database: an SQLite file that does not exist.

    Only `db upgrade` and `demo` create a database; any other command run in the wrong folder
    would otherwise create an empty `inventaire.db` there and advise building a second one.
    """
    path = sqlite_file(url)
    if path is None or path.exists():
        return None
    return (
        f"base introuvable : le fichier SQLite {path} n'existe pas. Lancez la commande depuis le dossier "
        "de la base, ou indiquez-la par DATABASE_URL (sqlite:////chemin/inventaire.db) ; "
        "pour en créer une ici : « inventaire db upgrade »."
    )


@contextmanager
def open_session(settings: Settings) -> Iterator[Session]:
    """One unit of work on the configured database, committed once; database faults end in French.

    An SQLite file that does not exist is refused, never created (see missing_database).
    """
    refusal = missing_database(settings.database_url)
    if refusal:
        fail(refusal)
    engine = engine_for(settings)
    try:
        with session_scope(session_factory(engine)) as session:
            audit.set_author(session, f"ligne de commande ({getpass.getuser()})")
            yield session
    except (OperationalError, ProgrammingError) as exc:
        fail(database_problem(exc, settings.database_url))
    finally:
        engine.dispose()
