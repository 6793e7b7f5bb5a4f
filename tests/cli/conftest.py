"""Running the `inventaire` command in-process against a real, committed database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from typer.testing import CliRunner

from inventaire.cli.main import app as cli_app
from inventaire.config import get_settings
from inventaire.database import make_engine, make_sessionmaker, session_scope


@pytest.fixture
def run_cli() -> Callable:
    """`run_cli(url, "check", "--json")`: the command with DATABASE_URL=url, as a user would run it."""
    runner = CliRunner()

    def run(url: str, *args: str):
        get_settings.cache_clear()  # settings are read once per process; each call is a new "process"
        try:
            return runner.invoke(cli_app, list(args), env={"DATABASE_URL": url}, catch_exceptions=False)
        finally:
            get_settings.cache_clear()

    return run


@contextmanager
def committed(url: str) -> Iterator:
    """A session on the database at `url`, committed at the end of the block."""
    engine = make_engine(url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            yield session
    finally:
        engine.dispose()
