"""Concurrent changes through HTTP on a live server: nothing lost, nothing doubled, on both databases."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from inventaire.stock.ledger import ledger_sum
from inventaire.stock.models import StockLine, Transaction
from tests.helpers import make_line, make_product, make_technician, start_together

pytestmark = pytest.mark.pooler  # also through a transaction-mode PgBouncer

ADJUST = "/inventaire/stock/ajuster"
COUNT = "/inventaire/stock/compter"
THREADS, CHANGES = 16, 25
USE = {"technicien": "Allan", "code_produit": "CORD-001", "ajustement": -1, "type": "utilisation"}


def line_and_rows(server) -> tuple[Decimal, int, Decimal, list[Decimal]]:
    with server.session() as s:
        line = s.scalar(select(StockLine))
        rows = s.scalar(select(func.count(Transaction.id)).where(Transaction.stock_line_id == line.id))
        after = list(s.scalars(select(Transaction.quantite_apres).where(Transaction.stock_line_id == line.id)))
        return line.quantite, rows, ledger_sum(db_session=s, line=line), after


def test_sixteen_clients_use_a_line_down_to_exactly_zero(server):
    with server.session() as s:
        make_line(s, make_technician(s, nom="Allan"), make_product(s, code_produit="CORD-001"), 400)

    def use_25(client, _i):
        return [client.post(ADJUST, json=USE).status_code for _ in range(CHANGES)]

    codes = [code for batch in start_together(server, THREADS, use_25) for code in batch]
    assert codes == [200] * (THREADS * CHANGES)
    quantite, rows, total, after = line_and_rows(server)
    assert (quantite, rows, total) == (0, 401, 0)  # the opening reception and 400 uses
    # Each use saw a different balance: no two changes read the same "before".
    assert sorted(after) == [Decimal(n) for n in range(400)] + [Decimal(400)]

    with server.client() as client:
        refused = client.post(ADJUST, json=USE)
        assert refused.status_code == 409
        assert refused.json()["detail"].startswith("Stock insuffisant : Allan a 0 ")
    assert line_and_rows(server)[:2] == (0, 401)


def test_concurrent_counts_of_the_same_screen_one_wins(server):
    with server.session() as s:
        make_line(s, make_technician(s, nom="Allan"), make_product(s, code_produit="CORD-001"), 10)
    n = 8

    def count(client, i):
        body = {"technicien": "Allan", "code_produit": "CORD-001", "quantite": i, "quantite_vue": 10}
        response = client.post(COUNT, json=body)
        return response.status_code, i, response.json()

    results = start_together(server, n, count)
    winners = [(i, body) for code, i, body in results if code == 200]
    assert len(winners) == 1, results
    assert sorted(code for code, _, _ in results) == [200] + [409] * (n - 1)
    assert all("a changé depuis votre lecture" in body["detail"] for code, _, body in results if code == 409)
    counted, entry = winners[0]
    assert (entry["type"], entry["quantite_avant"], entry["quantite_apres"]) == ("comptage", 10, counted)
    quantite, rows, total, _ = line_and_rows(server)
    assert (quantite, rows, total) == (counted, 2, counted)


def test_concurrent_first_receptions_create_one_line(server):
    """Several first changes of a line not yet carried: one line, every reception counted."""
    with server.session() as s:
        make_technician(s, nom="Allan")
        make_product(s, code_produit="CORD-001")
    body = {"technicien": "Allan", "code_produit": "CORD-001", "ajustement": 2, "type": "reception"}
    codes = start_together(server, 8, lambda client, _i: client.post(ADJUST, json=body).status_code)
    assert codes == [200] * 8
    with server.session() as s:
        assert s.scalar(select(func.count(StockLine.id))) == 1
    quantite, rows, total, _ = line_and_rows(server)
    assert (quantite, rows, total) == (16, 8, 16)


def test_more_clients_than_threads_on_one_line_all_finish(fresh_database):
    """Three times more clients than the thread pool, all on one line: every change goes through.

    Each request holds the line's lock (the write lock on SQLite) across thread hops; without
    the admission limit, the waiters took every thread and the holder could never commit.
    """
    from tests.live import live_server

    with live_server(fresh_database.url, max_requests=3) as server:  # a pool of 4 threads
        with server.session() as s:
            make_line(s, make_technician(s, nom="Allan"), make_product(s, code_produit="CORD-001"), 100)
        codes = start_together(server, 12, lambda client, _i: [
            client.post(ADJUST, json=USE, timeout=20).status_code for _ in range(3)])
        assert [code for batch in codes for code in batch] == [200] * 36
        quantite, rows, total, after = line_and_rows(server)
    assert (quantite, rows, total) == (64, 37, 64)
    assert sorted(after) == [Decimal(n) for n in range(64, 101)]
