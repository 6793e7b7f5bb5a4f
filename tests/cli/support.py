"""A committed session on a real database, for tests that run the command line against it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from inventaire.database import make_engine, make_sessionmaker, session_scope


@contextmanager
def committed(url: str) -> Iterator:
    """A session on the database at `url`, committed at the end of the block."""
    engine = make_engine(url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            yield session
    finally:
        engine.dispose()
