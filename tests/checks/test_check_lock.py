"""Two checks at once never both notify: a real server, real threads, the database's lock."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from inventaire.auth import service as auth_service
from inventaire.checks.lock import CHECK_LOCK_KEY
from inventaire.kit.database import make_engine
from tests.helpers import make_line, make_product, make_technician
from tests.live import live_server
from tests.servers import DISCORD_PATH, OFFICE, SLACK_PATH

pytestmark = pytest.mark.pooler  # also through a transaction-mode PgBouncer


def seed(server) -> list[str]:
    """Allan's van with two alerts, and four cron tokens (one per caller, as cron and people have)."""
    with server.session() as s:
        allan = make_technician(s, nom="Allan", email="allan@atelier.example")
        make_line(s, allan, make_product(s, code_produit="CORD-001"), 0)
        make_line(s, allan, make_product(s, code_produit="CORD-002"), 3)
        return [auth_service.create_token(db_session=s, role="cron", nom=f"cron {i}")[0] for i in range(4)]


def test_concurrent_checks_send_exactly_one_set(fresh_database, smtp, webhooks):
    settings = {**smtp.settings(), **webhooks.settings(), "emails": ",".join(OFFICE), "notify_backoff": 0.0}
    with live_server(fresh_database.url, **settings) as server:
        tokens = seed(server)
        start = threading.Barrier(4)

        def check(token):
            with server.client(token) as c:
                start.wait(timeout=10)
                return c.post("/inventaire/check-stock")

        with ThreadPoolExecutor(4) as pool:
            responses = list(pool.map(check, tokens))
        assert [r.status_code for r in responses] == [200] * 4
        bodies = [r.json() for r in responses]
        sent = sorted(len(b["notifications"]) for b in bodies)
        assert sent == [0, 0, 0, 4]  # one run told everyone (office, Allan, Slack, Discord); the three others found nothing new
        assert len({b["verification_id"] for b in bodies}) == 4  # every run is stored
        assert len(webhooks.received(SLACK_PATH)) == 1 and len(webhooks.received(DISCORD_PATH)) == 1
        assert sorted(tuple(m.rcpt_tos) for m in smtp.mails) == [("allan@atelier.example",), tuple(OFFICE)]
        etats = sorted({a["etat"] for a in b["rapport"]["alertes"]}.pop() for b in bodies)
        assert etats == ["nouvelle", "persistante", "persistante", "persistante"]


def _hold_lock(db):
    """Another session holding the check lock (PostgreSQL) or SQLite's write lock, until committed."""
    engine = make_engine(db.url, transaction_pooler=db.pooled)
    connection = engine.connect()
    transaction = connection.begin()  # BEGIN IMMEDIATE on SQLite: the write lock
    if db.backend != "sqlite":  # through PgBouncer too: the lock lives as long as the transaction
        connection.execute(select(func.pg_advisory_xact_lock(CHECK_LOCK_KEY)))
    return engine, connection, transaction


def test_a_second_check_waits_for_the_first(fresh_database, backend):
    with live_server(fresh_database.url) as server:
        seed(server)
        engine, connection, transaction = _hold_lock(fresh_database)
        result = {}

        def check():
            began = time.monotonic()
            with server.client() as c:
                result["response"] = c.post("/inventaire/check-stock")
            result["waited"] = time.monotonic() - began

        thread = threading.Thread(target=check)
        thread.start()
        thread.join(timeout=0.6)
        assert thread.is_alive(), "the check did not wait for the lock"
        transaction.commit()
        connection.close()
        engine.dispose()
        thread.join(timeout=30)
        assert result["response"].status_code == 200 and result["waited"] >= 0.6


def test_a_check_that_waits_too_long_answers_409(fresh_database, backend):
    if backend == "sqlite":
        pytest.skip("SQLite waits for its write lock (busy timeout) and answers 503 after it")
    with live_server(fresh_database.url, check_lock_timeout=0.3) as server:
        seed(server)
        engine, connection, transaction = _hold_lock(fresh_database)
        try:
            with server.client() as c:
                response = c.post("/inventaire/check-stock")
                assert response.status_code == 409
                assert response.json()["detail"] == "Une vérification est déjà en cours : réessayez dans un instant."
                transaction.rollback()
                assert c.get("/inventaire/verifications").json()["total"] == 0  # nothing stored by the refused run
                assert c.post("/inventaire/check-stock").status_code == 200
        finally:
            connection.close()
            engine.dispose()
