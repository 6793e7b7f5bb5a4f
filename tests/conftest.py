"""Fixtures: every database test runs on SQLite and on PostgreSQL, each in a rolled-back transaction;
clients logged in to the pages, a real Chromium, loopback SMTP and webhook servers."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

# pytest-xdist's workers run with COLUMNS=80, and a Rich console created at import keeps the
# width it saw then: the CLI tests (which set COLUMNS per command) would all print at 80.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)
from sqlalchemy.orm import Session, sessionmaker

from inventaire.app import create_app
from inventaire.auth import service as auth_service
from inventaire.kit.config import Settings
from inventaire.kit.database import make_engine
from inventaire.sessions import audited
from tests.databases import MigratedDatabase
from tests.helpers import bearer, log_in
from tests.servers import notifying, smtp, webhooks  # noqa: F401  (fixtures for every test)

# Both unless told otherwise: `make test-fast` runs the SQLite half only.
BACKENDS = os.environ.get("INVENTAIRE_TEST_BACKENDS", "sqlite,postgresql").split(",")
# Tests marked `pooler` run a third time, through a transaction-mode PgBouncer (tests/pgbouncer.py),
# wherever PostgreSQL runs.
POOLED_BACKENDS = [*BACKENDS, "pgbouncer"] if "postgresql" in BACKENDS else BACKENDS


def pytest_configure(config):
    config.addinivalue_line("markers", "pooler: also run through a transaction-mode PgBouncer (backend 'pgbouncer')")


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        pooler = metafunc.definition.get_closest_marker("pooler") is not None
        metafunc.parametrize("backend", POOLED_BACKENDS if pooler else BACKENDS, indirect=True, scope="session")


@pytest.fixture(scope="session")
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def database(backend, tmp_path_factory) -> Iterator[MigratedDatabase]:
    """One migrated database per backend for the whole run."""
    db = MigratedDatabase(backend, tmp_path_factory.mktemp(backend))
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def engine(database):
    engine = make_engine(database.url, transaction_pooler=database.pooled)
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
    return audited(sessionmaker(bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"))


@pytest.fixture
def db_session(session_factory) -> Iterator[Session]:
    session = session_factory()
    yield session
    session.close()


@pytest.fixture
def settings(database) -> Settings:
    return Settings(DATABASE_URL=database.url, **database.settings_overrides)


@pytest.fixture
def app(settings, session_factory):
    return create_app(settings, session_factory=session_factory)


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
def fresh_database(backend, tmp_path) -> Iterator[MigratedDatabase]:
    """A new migrated database for tests that commit for real (live servers, CLI, crashes)."""
    db = MigratedDatabase(backend, tmp_path)
    yield db
    db.dispose()


@pytest.fixture
def server(fresh_database):
    """A live HTTP server over a fresh database, with an admin token."""
    from tests.live import live_server

    with live_server(fresh_database.url) as srv:
        yield srv


# --- Pages and a real Chromium ------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
REQUIRE_BROWSER = os.environ.get("INVENTAIRE_REQUIRE_BROWSER") == "1"


@pytest.fixture
def pages(app, admin_token) -> Iterator[TestClient]:
    """A browser-like client logged in as the office; `pages.csrf` is its CSRF token."""
    with TestClient(app, raise_server_exceptions=False) as client:
        client.csrf = log_in(client, admin_token)
        yield client


@pytest.fixture
def anonymous(app) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def chromium_missing() -> str | None:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        return f"Chromium absent ({CHROMIUM}) : apt-get install -y chromium"
    return None


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (each test gets its own context)."""
    reason = chromium_missing()
    if reason:
        if REQUIRE_BROWSER:
            pytest.fail(f"INVENTAIRE_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
