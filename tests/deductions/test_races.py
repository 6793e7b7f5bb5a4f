"""Two sources sending the same service at once, through a real server: deducted once, never doubled."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from sqlalchemy import func, select

from inventaire.regles import service as regles
from inventaire.stock.models import StockLine, Transaction
from tests.helpers import make_line, make_product, make_technician

BODY = {"source": "gazelle", "id_externe": "inv_7140", "numero": "7140", "statut": "actif", "technicien": "Allan",
        "client": "Lina Vanelli", "lignes": [{"id_externe": "ini_1", "service_id": "mit_2eBOzDvunD7PHs6M",
                                              "quantite": 2, "description": "Entretien annuel du système PLS"}]}


def test_the_same_service_sent_eight_times_at_once_is_deducted_once(server):
    with server.session() as s:
        allan = make_technician(s, nom="Allan")
        for code in ("PLS-BUV", "PLS-GAINE"):
            product = make_product(s, code_produit=code)
            make_line(s, allan, product, 5)
            regles.create(db_session=s, service_id="mit_2eBOzDvunD7PHs6M", product=product, quantite=Decimal(1))
    with server.client() as http, ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: http.post("/inventaire/services", json=BODY), range(8)))
    assert [a.status_code for a in answers] == [200] * 8, [a.text for a in answers]
    assert sorted(a.json()["traitement"] for a in answers) == ["applique"] + ["inchange"] * 7
    with server.session() as s:
        assert s.scalar(select(func.count(Transaction.id)).where(Transaction.reference == "Facture #7140")) == 2
        assert sorted(s.scalars(select(StockLine.quantite))) == [3, 3]
