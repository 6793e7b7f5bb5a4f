"""Transaction-mode poolers: the setting, its detection, and real requests through PgBouncer."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from inventaire.kit.config import Settings
from tests.databases import MigratedDatabase
from tests.helpers import make_line, make_product, make_technician
from tests.live import live_server

SUPABASE_POOLER = "postgresql://postgres.abcd:secret@aws-0-ca-central-1.pooler.supabase.com:{port}/postgres"


@pytest.mark.parametrize(("url", "setting", "expected"), [
    (SUPABASE_POOLER.format(port=6543), None, True),  # Supabase's transaction pooler, detected
    (SUPABASE_POOLER.format(port=5432), None, False),  # its session pooler
    (SUPABASE_POOLER.format(port=6543), "session", False),  # said otherwise: the setting wins
    ("postgresql://u@127.0.0.1:6432/db", "transaction", True),  # any PgBouncer in transaction mode
    ("sqlite:///inventaire.db", None, False),
])
def test_transaction_pooler_setting(url, setting, expected):
    assert Settings(DATABASE_URL=url, db_pooler=setting).transaction_pooler is expected


def test_the_setting_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("INVENTAIRE_DB_POOLER", "transaction")
    assert Settings(DATABASE_URL="postgresql://u@127.0.0.1:5432/db").transaction_pooler


def test_an_unknown_pooler_mode_is_refused():
    with pytest.raises(ValueError, match="db_pooler"):
        Settings(DATABASE_URL="postgresql://u@h/db", db_pooler="statement")


@pytest.fixture
def pooled_database(tmp_path) -> Iterator[MigratedDatabase]:
    db = MigratedDatabase("pgbouncer", tmp_path)
    yield db
    db.dispose()


def hammer(server, threads: int = 8, rounds: int = 40) -> tuple[int, int]:
    """(requests, failures): each thread alternates reads and a use with its own connection."""
    def work(i: int) -> int:
        failures = 0
        with server.client() as client:
            for n in range(rounds):
                if n % 4 == 3:
                    response = client.post("/inventaire/stock/ajuster", json={
                        "technicien": "Allan", "code_produit": "CORD-001", "ajustement": -1, "type": "utilisation"})
                else:
                    response = client.get("/inventaire/stock/Allan" if n % 2 else "/inventaire/catalogue")
                failures += response.status_code != 200
        return failures

    with ThreadPoolExecutor(threads) as pool:
        return threads * rounds, sum(pool.map(work, range(threads)))


def _seed(server) -> None:
    with server.session() as s:
        allan = make_technician(s, nom="Allan")
        make_line(s, allan, make_product(s, code_produit="CORD-001"), 1000)
        for i in range(5):
            make_line(s, allan, make_product(s, code_produit=f"P-{i}"), i)


def test_requests_through_pgbouncer_fail_without_the_setting_and_never_with_it(pooled_database):
    """The issue's figures: psycopg's own prepared statements break on a transaction pooler."""
    with live_server(pooled_database.url, db_pooler="session") as server:  # what a user had before
        _seed(server)
        total, without = hammer(server)
    with live_server(pooled_database.url) as server:  # INVENTAIRE_DB_POOLER=transaction
        total, with_setting = hammer(server)
    print(f"through PgBouncer (transaction mode): {without}/{total} failed without the setting, "
          f"{with_setting}/{total} with it")
    assert without > 0  # the pooler really is in transaction mode (else this test proves nothing)
    assert with_setting == 0
