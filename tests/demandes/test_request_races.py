"""A van's request raced by the office on a live server: serve, refuse and « Préparer » at the same moment.

One action wins, the others get 409 and move nothing (the request's row is locked before its state is
read), on both databases.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from inventaire.demandes.models import StockRequest
from inventaire.stock.models import Transaction
from tests.helpers import balance_of, make_line, make_product, make_technician, make_workshop, start_together

pytestmark = pytest.mark.pooler  # also through a transaction-mode PgBouncer
DEMANDES = "/inventaire/demandes"
THREADS = 8


def _open_request(server) -> int:
    with server.session() as s:
        allan, workshop = make_technician(s, nom="Allan"), make_workshop(s, nom="Atelier")
        make_line(s, workshop, make_product(s, code_produit="MART-01", divisible=False), 40)
        assert allan
    with server.client() as client:
        asked = client.post(DEMANDES, json={"technicien": "Allan", "code_produit": "MART-01", "quantite": 2})
        assert asked.status_code == 201, asked.text
        return asked.json()["id"]


def _moved(server) -> tuple[object, object, int]:
    with server.session() as s:
        rows = s.scalar(select(func.count(Transaction.id)).where(Transaction.reference.like("Demande #%")))
        return balance_of(s, "Atelier", "MART-01"), balance_of(s, "Allan", "MART-01"), rows


def _state(server, request_id: int) -> str:
    with server.session() as s:
        return s.scalar(select(StockRequest.statut).where(StockRequest.id == request_id))


def test_racing_serves_move_the_parts_once(server):
    request_id = _open_request(server)
    codes = start_together(server, THREADS, lambda c, _i: c.post(f"{DEMANDES}/{request_id}/servir",
                                                               json={"atelier": "Atelier"}).status_code)
    assert sorted(codes) == [200] + [409] * (THREADS - 1)
    assert _moved(server) == (38, 2, 2)  # one transfer: its exit and its entry
    assert _state(server, request_id) == "servie"


def test_serve_and_refuse_together_one_wins(server):
    request_id = _open_request(server)

    def act(client, i):
        if i % 2:
            return "refuser", client.post(f"{DEMANDES}/{request_id}/refuser", json={"motif": "Plus en stock"})
        return "servir", client.post(f"{DEMANDES}/{request_id}/servir", json={"atelier": "Atelier"})

    answers = start_together(server, THREADS, act)
    winners = [action for action, response in answers if response.status_code == 200]
    assert len(winners) == 1, [(a, r.status_code, r.text) for a, r in answers]
    assert sorted(r.status_code for _, r in answers) == [200] + [409] * (THREADS - 1)
    assert all("est déjà" in r.json()["detail"] for _, r in answers if r.status_code == 409)
    if winners == ["servir"]:
        assert (_moved(server), _state(server, request_id)) == ((38, 2, 2), "servie")
    else:
        assert (_moved(server), _state(server, request_id)) == ((40, None, 0), "refusee")


def test_serve_and_prepare_together_move_the_parts_once(server):
    request_id = _open_request(server)

    def act(client, i):
        if i % 2:
            return client.post("/inventaire/reapprovisionnement",
                               json={"technicien": "Allan", "atelier": "Atelier"}).status_code
        return client.post(f"{DEMANDES}/{request_id}/servir", json={"atelier": "Atelier"}).status_code

    codes = start_together(server, THREADS, act)
    assert 500 not in codes and 503 not in codes, codes
    assert _moved(server) == (38, 2, 2)  # served once, by « Servir » or by « Préparer »
    assert _state(server, request_id) == "servie"
