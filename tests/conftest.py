"""Fixtures: every database test runs on SQLite and on PostgreSQL, each in a rolled-back transaction."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from inventaire.app import create_app
from inventaire.auth import service as auth_service
from inventaire.config import Settings
from inventaire.database import make_engine
from tests.databases import TestDatabase

# Both unless told otherwise: `make test-fast` runs the SQLite half only.
BACKENDS = os.environ.get("INVENTAIRE_TEST_BACKENDS", "sqlite,postgresql").split(",")


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def database(backend, tmp_path_factory) -> Iterator[TestDatabase]:
    """One migrated database per backend for the whole run."""
    db = TestDatabase(backend, tmp_path_factory.mktemp(backend))
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def engine(database):
    engine = make_engine(database.url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine):
    """A connection inside an outer transaction that is rolled back after the test."""
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session_factory(connection) -> sessionmaker[Session]:
    """Sessions that commit to savepoints of the test's outer transaction."""
    return sessionmaker(bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")


@pytest.fixture
def db_session(session_factory) -> Iterator[Session]:
    session = session_factory()
    yield session
    session.close()


@pytest.fixture
def settings(database) -> Settings:
    return Settings(DATABASE_URL=database.url)


@pytest.fixture
def app(settings, session_factory):
    return create_app(settings, session_factory=session_factory)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin_token(db_session) -> str:
    raw, _ = auth_service.create_token(db_session=db_session, role="admin", nom="bureau")
    db_session.commit()
    return raw


@pytest.fixture
def client(app, admin_token) -> Iterator[TestClient]:
    """An HTTP client authenticated as the office (admin)."""
    with TestClient(app, headers=bearer(admin_token), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def anon_client(app) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def fresh_database(backend, tmp_path) -> Iterator[TestDatabase]:
    """A new migrated database for tests that commit for real (live servers, CLI, crashes)."""
    db = TestDatabase(backend, tmp_path)
    yield db
    db.dispose()


@pytest.fixture
def server(fresh_database):
    """A live HTTP server over a fresh database, with an admin token."""
    from tests.live import live_server

    with live_server(fresh_database.url) as srv:
        yield srv
