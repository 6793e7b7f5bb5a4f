"""Receptions of one order racing on a live server: never more received than ordered (the order's row is
locked before its remainder is checked), on both databases; numbers stay unique when drafts race."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from inventaire.commandes.models import Order
from inventaire.stock.models import StockLine, Transaction
from tests.helpers import make_product, make_workshop, start_together

pytestmark = pytest.mark.pooler  # also through a transaction-mode PgBouncer
THREADS = 8


def test_racing_receptions_never_exceed_the_order(server):
    with server.session() as s:
        make_workshop(s, nom="Atelier")
        make_product(s, code_produit="CORD-012", divisible=False)
    body = {"fournisseur": "Röslau", "atelier": "Atelier",
            "lignes": [{"code_produit": "CORD-012", "quantite": 10, "prix_unitaire": 18.5}]}
    with server.client() as client:
        order = client.post("/inventaire/commandes", json=body).json()
        assert client.post(f"/inventaire/commandes/{order['id']}/envoyer").status_code == 200
    three = {"lignes": [{"code_produit": "CORD-012", "quantite": 3}]}
    codes = start_together(server, THREADS, lambda c, _i: c.post(f"/inventaire/commandes/{order['id']}/recevoir",
                                                   json=three).status_code)
    assert sorted(codes) == [200] * 3 + [409] * (THREADS - 3)  # 3 × 3 = 9 of 10; a fourth would be 12
    with server.session() as s:
        assert s.scalar(select(StockLine.quantite)) == 9
        rows = s.scalars(select(Transaction).where(Transaction.reference == order["numero"])).all()
        assert sorted(r.quantite_apres for r in rows) == [3, 6, 9]
        assert s.scalar(select(Order.statut)) == "partielle"


def test_racing_drafts_get_distinct_numbers(server):
    with server.session() as s:
        make_workshop(s, nom="Atelier")
        make_product(s, code_produit="CORD-012")
    body = {"fournisseur": "Röslau", "atelier": "Atelier",
            "lignes": [{"code_produit": "CORD-012", "quantite": 1, "prix_unitaire": 1}]}
    answers = start_together(server, THREADS, lambda c, _i: c.post("/inventaire/commandes", json=body))
    assert [a.status_code for a in answers] == [201] * THREADS
    ranks = sorted(int(a.json()["numero"].rsplit("-", 1)[1]) for a in answers)
    assert ranks == list(range(1, THREADS + 1))
