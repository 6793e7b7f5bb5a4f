"""Database faults: a connection cut mid-request, a locked SQLite file, an unreachable server."""

from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from inventaire.app import create_app
from inventaire.auth import service as auth
from inventaire.idempotency.models import IdempotencyKey
from inventaire.kit.config import Settings
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope
from inventaire.stock.models import StockLine, Transaction
from tests import databases
from tests.helpers import bearer, make_line, make_product, make_technician
from tests.live import live_server

USE = {"technicien": "Allan", "code_produit": "CORD-001", "ajustement": -1, "type": "utilisation"}
UNREACHABLE = ["sqlite:////nonexistent-folder/inventaire.db", "postgresql://nobody@127.0.0.1:1/inventaire"]


def ledger_state(session) -> tuple:
    session.expire_all()
    return (session.scalar(select(func.count(Transaction.id))), session.scalar(select(StockLine.quantite)),
            session.scalar(select(func.count(IdempotencyKey.id))))


def stocked(session) -> None:
    make_line(session, make_technician(session, nom="Allan"), make_product(session, code_produit="CORD-001"), 10)


@pytest.fixture
def pg_url(tmp_path):
    db = databases.MigratedDatabase("postgresql", tmp_path)
    yield db.url
    db.dispose()


def _pg(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_pg_connection_killed_mid_request(pg_url):
    """The server's backend is terminated while it waits on a row lock: 503, nothing written, then recovery."""
    dbname = pg_url.rsplit("/", 1)[1]
    with live_server(pg_url) as srv:
        with srv.session() as s:
            stocked(s)
        before = ledger_state_of(srv)
        with psycopg.connect(_pg(pg_url)) as blocker, ThreadPoolExecutor(1) as pool:
            blocker.execute("SELECT quantite FROM inventaire_techniciens FOR UPDATE")
            with srv.client() as c:
                pending = pool.submit(c.post, "/inventaire/stock/ajuster", json=USE, headers={"Idempotency-Key": "k"})
                victim = _wait_for_lock_waiter(blocker, dbname)
                blocker.execute("SELECT pg_terminate_backend(%s)", (victim,))
                blocker.rollback()
                response = pending.result(timeout=30)
        assert response.status_code == 503, response.text
        assert response.json()["detail"].startswith("Base de données momentanément indisponible")
        assert response.headers["retry-after"] == "2"
        assert ledger_state_of(srv) == before  # the idempotency key went with the rest
        with srv.client() as c:
            retried = c.post("/inventaire/stock/ajuster", json=USE, headers={"Idempotency-Key": "k"})
            assert retried.status_code == 200 and retried.json()["quantite_apres"] == 9
            assert c.get("/inventaire/stock/Allan").status_code == 200


def test_pg_idle_connections_killed_between_requests(pg_url):
    """Every pooled connection is cut (a failover, a restart): the next requests still succeed."""
    dbname = pg_url.rsplit("/", 1)[1]
    with live_server(pg_url) as srv:
        with srv.session() as s:
            stocked(s)
        with srv.client() as c:
            for _ in range(3):
                assert c.get("/inventaire/stock/Allan").status_code == 200
            with psycopg.connect(_pg(pg_url), autocommit=True) as admin:
                killed = admin.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()", (dbname,)).fetchone()[0]
            assert killed >= 1
            assert c.post("/inventaire/stock/ajuster", json=USE).status_code == 200
            assert c.get("/health").status_code == 200


@pytest.mark.parametrize("first", ["/health", "/stock/Allan", "/inventaire/stock/Allan"])
def test_every_first_read_survives_a_dropped_connection(pg_url, first):
    """No ping per request: the first statement on a dropped connection is retried once on a new one."""
    dbname = pg_url.rsplit("/", 1)[1]
    with live_server(pg_url) as srv:
        with srv.session() as s:
            stocked(s)
        with srv.client() as c:
            login = c.get(f"/connexion?jeton={srv.admin_token}")
            c.headers["Cookie"] = f"inventaire_session={login.cookies['inventaire_session']}"  # Secure: not resent on http
            assert c.get("/stock/Allan").status_code == 200  # a pooled connection now idle
            with psycopg.connect(_pg(pg_url), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = %s AND pid <> pg_backend_pid()", (dbname,))
            assert c.get(first).status_code == 200, first


def ledger_state_of(srv) -> tuple:
    with srv.session() as s:
        return ledger_state(s)


def _wait_for_lock_waiter(conn, dbname: str) -> int:
    """The pid of the backend waiting on our lock (the request's)."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with psycopg.connect(conn.info.dsn, autocommit=True) as probe:
            row = probe.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
                "AND pid <> %s", (dbname, conn.info.backend_pid)).fetchone()
        if row:
            return row[0]
        time.sleep(0.05)
    raise AssertionError("the request never waited on the lock")


@contextmanager
def _sqlite_locked(tmp_path, *, busy_ms: int):
    """A client of an app over a stocked SQLite file, while another connection holds its write lock.

    The lock is held until the test sets the yielded event (at most 30 s): a fixed hold
    time made the outcome depend on how fast a loaded machine started the app.
    """
    db = databases.MigratedDatabase("sqlite", tmp_path)
    engine = make_engine(db.url)
    with session_scope(make_sessionmaker(engine)) as s:
        stocked(s)
        raw, _ = auth.create_token(db_session=s, role="admin")
    engine.dispose()
    locked, release = threading.Event(), threading.Event()

    def hold_write_lock():
        conn = sqlite3.connect(db.url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(30)
        conn.execute("ROLLBACK")
        conn.close()

    holder = threading.Thread(target=hold_write_lock)
    holder.start()
    locked.wait(5)
    app = create_app(Settings(DATABASE_URL=db.url, sqlite_busy_ms=busy_ms))
    try:
        with TestClient(app, headers=bearer(raw), raise_server_exceptions=False) as client:
            yield client, release, holder
    finally:
        release.set()
        holder.join()


def test_sqlite_lock_is_waited_for(tmp_path):
    """Another process holds the write lock for a second: the request waits and succeeds."""
    with _sqlite_locked(tmp_path, busy_ms=10_000) as (c, release, _holder):
        threading.Timer(1.0, release.set).start()
        started = time.monotonic()
        response = c.post("/inventaire/stock/ajuster", json=USE)
        waited = time.monotonic() - started
    assert response.status_code == 200 and response.json()["quantite_apres"] == 9
    assert 0.5 < waited < 10


def test_sqlite_lock_past_the_bound_is_503_not_500(tmp_path):
    """Past the retry bound the caller gets a 503 to retry, nothing is written, and the next request works."""
    with _sqlite_locked(tmp_path, busy_ms=200) as (c, release, holder):
        refused = c.post("/inventaire/stock/ajuster", json=USE)
        health = c.get("/health")
        release.set()
        holder.join()
        assert refused.status_code == 503, refused.text
        assert "réessayez" in refused.json()["detail"] and refused.headers["retry-after"] == "2"
        assert health.status_code == 503
        assert c.get("/inventaire/stock/Allan").json()[0]["quantite"] == 10  # nothing was written
        assert c.post("/inventaire/stock/ajuster", json=USE).json()["quantite_apres"] == 9


@pytest.mark.parametrize("url", UNREACHABLE, ids=["sqlite-missing-folder", "postgresql-refused"])
def test_health_reports_an_unreachable_database(url):
    with TestClient(create_app(Settings(DATABASE_URL=url)), raise_server_exceptions=False) as c:
        health = c.get("/health")
        assert health.status_code == 503
        assert health.json() == {"status": "degraded", "database": "injoignable"}
        api = c.get("/inventaire/catalogue", headers=bearer("inv_whatever"))
        assert api.status_code == 503 and "indisponible" in api.json()["detail"]


@pytest.mark.parametrize("url", UNREACHABLE, ids=["sqlite-missing-folder", "postgresql-refused"])
def test_pages_say_the_database_is_unavailable_in_french(url):
    """On a page (a phone in a driveway), an outage is a French page with its retry hint, not JSON."""
    with TestClient(create_app(Settings(DATABASE_URL=url)), raise_server_exceptions=False) as c:
        c.cookies.set("inventaire_session", "a-session-cookie")  # the viewer is looked up: the database is needed
        for path in ("/", "/stock", "/connexion?jeton=inv_whatever"):
            page = c.get(path, follow_redirects=False)
            assert page.status_code == 503, path
            assert page.headers["content-type"].startswith("text/html")
            assert page.headers["retry-after"] == "2"
            assert "Base de données momentanément indisponible" in page.text
            assert "Impossible d'afficher cette page" in page.text
        fragment = c.get("/", headers={"HX-Request": "true"})  # an HTMX refresh of the dashboard
        assert fragment.status_code == 503 and "momentanément indisponible" in fragment.text


def test_health_reports_an_unmigrated_database(tmp_path):
    with TestClient(create_app(Settings(DATABASE_URL=f"sqlite:///{tmp_path / 'vide.db'}"))) as c:
        assert c.get("/health").status_code == 503


def test_health_when_all_is_well(client):
    body = client.get("/health", headers={"Authorization": ""}).json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["revision"]
