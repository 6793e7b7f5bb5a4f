"""Real test databases: an SQLite file, and a throw-away database on a PostgreSQL server.

PostgreSQL comes from INVENTAIRE_TEST_PG_URL (default: the local server, trust auth). Where it
is unreachable the PostgreSQL tests are skipped with the reason, unless
INVENTAIRE_REQUIRE_PG=1 (as in CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from inventaire.kit.migrate import upgrade
from tests.pgbouncer import POOLED_URLS, pgbouncer, pooler_settings, require_pgbouncer

PG_ADMIN_URL = os.environ.get("INVENTAIRE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REQUIRE_PG = os.environ.get("INVENTAIRE_REQUIRE_PG") == "1"


def _pg_conninfo() -> str:
    return PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")


def pg_available() -> str | None:
    """None when the server answers, else why not."""
    try:
        with psycopg.connect(_pg_conninfo(), connect_timeout=3):
            return None
    except Exception as exc:  # the reason is shown in the skip message
        return f"PostgreSQL injoignable à {PG_ADMIN_URL}: {exc.__class__.__name__}: {exc}".strip()


def require_pg() -> None:
    reason = pg_available()
    if reason is None:
        return
    if REQUIRE_PG:
        pytest.fail(f"INVENTAIRE_REQUIRE_PG=1 but {reason}")
    pytest.skip(reason)


def create_pg_database() -> str:
    """Create an empty database with a unique name and return its SQLAlchemy URL."""
    name = f"inventaire_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_pg_conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = _pg_conninfo().rsplit("/", 1)[0]
    return f"postgresql+psycopg://{base.split('://', 1)[1]}/{name}"


def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(_pg_conninfo(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def empty_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database of this backend (nothing migrated), removed afterwards:
    a migration's test brings it to the revision it needs, then fills it as that schema holds it."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'avant_{uuid.uuid4().hex[:8]}.db'}"
        return
    require_pg()
    url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)


class MigratedDatabase:
    """A migrated database of one backend; `dispose()` removes it.

    Backends: "sqlite", "postgresql", and "pgbouncer" (PostgreSQL through a transaction-mode
    PgBouncer, migrated through it too; `url` is the pooler's, `pooled` says so). `revision`
    stops the migrations there: a migration's own test fills the database as that schema holds it.
    """

    __test__ = False  # not a test class, whatever its name

    def __init__(self, backend: str, folder: Path, revision: str = "head"):
        self.backend = backend
        self.pooled = backend == "pgbouncer"
        if backend == "sqlite":
            self.url = self.direct_url = f"sqlite:///{folder / f'test_{uuid.uuid4().hex[:8]}.db'}"
            upgrade(self.url, revision)
            return
        require_pg()
        if self.pooled:
            require_pgbouncer()
        self.url = self.direct_url = create_pg_database()
        if self.pooled:
            self.url = pgbouncer(PG_ADMIN_URL).url_for(self.direct_url)
            POOLED_URLS.add(self.url)
        upgrade(self.url, revision, db_pooler="transaction" if self.pooled else None)

    @property
    def settings_overrides(self) -> dict:
        return pooler_settings(self.url)

    def dispose(self) -> None:
        if self.backend != "sqlite":
            POOLED_URLS.discard(self.url)
            drop_pg_database(self.direct_url)
