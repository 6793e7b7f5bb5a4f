"""The catalogue over HTTP: list and filters, add, read, partial update, archive and restore."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from inventaire.stock.models import Transaction
from tests.helpers import make_line, make_product, make_technician

CORDE = {
    "code_produit": "CORD-001", "nom_produit": "Corde #1 (Do)", "categorie": "Cordes", "unite": "bobine",
    "prix_unitaire": 18.5, "prix_vente": 32, "fournisseur": "Röslau", "seuil_reorder": 2,
}


@pytest.fixture
def shelf(db_session):
    """Three products in two categories, one of them archived."""
    make_product(db_session, code_produit="CORD-012", nom_produit="Corde d'acier no 12", categorie="Cordes")
    make_product(db_session, code_produit="ETOUF-TETE", nom_produit="Étouffoir complet", categorie="Étouffoirs")
    make_product(db_session, code_produit="CORD-OLD", nom_produit="Ancienne corde", categorie="Cordes", actif=False)
    db_session.commit()


def codes(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [p["code_produit"] for p in response.json()]


def test_default_list_shows_active_products_only(client, shelf):
    assert codes(client.get("/inventaire/catalogue")) == ["CORD-012", "ETOUF-TETE"]
    assert codes(client.get("/inventaire/catalogue", params={"actif": "false"})) == ["CORD-OLD"]


def test_filters_by_category_and_search(client, shelf):
    assert codes(client.get("/inventaire/catalogue", params={"categorie": "Cordes"})) == ["CORD-012"]
    assert codes(client.get("/inventaire/catalogue", params={"q": "cord-0"})) == ["CORD-012"]
    # The search ignores case, accents' case included, on both databases.
    assert codes(client.get("/inventaire/catalogue", params={"q": "ÉTOUFFOIR"})) == ["ETOUF-TETE"]
    assert codes(client.get("/inventaire/catalogue", params={"q": "étouf"})) == ["ETOUF-TETE"]
    assert codes(client.get("/inventaire/catalogue", params={"q": "ancienne", "actif": "false"})) == ["CORD-OLD"]
    # Accents do not matter either, nor the order of the words (issue 25 point 13, as on the phone).
    assert codes(client.get("/inventaire/catalogue", params={"q": "etouffoir"})) == ["ETOUF-TETE"]


def test_search_wildcards_are_plain_characters(client, shelf):
    assert codes(client.get("/inventaire/catalogue", params={"q": "%"})) == []
    assert codes(client.get("/inventaire/catalogue", params={"q": "_"})) == []
    make_product_via_api(client, {**CORDE, "code_produit": "PCT-1", "nom_produit": "Remise 10 % cordes"})
    assert codes(client.get("/inventaire/catalogue", params={"q": "10 %"})) == ["PCT-1"]


def make_product_via_api(client, body):
    response = client.post("/inventaire/catalogue", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_returns_201_with_exact_decimals(client):
    body = make_product_via_api(client, CORDE)
    assert body == {**CORDE, "actif": True, "divisible": False, "code_barres": None}  # a string is counted in whole units
    assert client.get("/inventaire/catalogue/CORD-001").json() == body


def test_create_defaults(client):
    body = make_product_via_api(client, {"code_produit": "VIS-1", "nom_produit": "Vis"})
    assert body == {
        "code_produit": "VIS-1", "nom_produit": "Vis", "categorie": "Divers", "unite": "unité",
        "prix_unitaire": 0, "prix_vente": None, "fournisseur": None, "seuil_reorder": None, "actif": True,
        "divisible": False, "code_barres": None,
    }


def test_duplicate_code_is_409_and_changes_nothing(client):
    make_product_via_api(client, CORDE)
    response = client.post("/inventaire/catalogue", json={**CORDE, "nom_produit": "Autre"})
    assert response.status_code == 409
    assert response.json()["detail"] == "Le code produit « CORD-001 » existe déjà."
    assert client.get("/inventaire/catalogue/CORD-001").json()["nom_produit"] == "Corde #1 (Do)"


@pytest.mark.parametrize("code", ["NOPE-1", "'; DROP TABLE x;--", "..%2F..%2Fetc", "a" * 300])
def test_unknown_product_is_404_in_french(client, code):
    response = client.get(f"/inventaire/catalogue/{code}")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert detail.startswith("Produit inconnu") or detail == "Ressource introuvable."
    assert client.put(f"/inventaire/catalogue/{code}", json={"nom_produit": "x"}).status_code == 404
    assert client.delete(f"/inventaire/catalogue/{code}").status_code == 404


def test_partial_update_changes_only_given_fields(client):
    make_product_via_api(client, CORDE)
    response = client.put("/inventaire/catalogue/CORD-001", json={"prix_unitaire": 19.25, "fournisseur": None})
    assert response.status_code == 200, response.text
    assert response.json() == {**CORDE, "prix_unitaire": 19.25, "fournisseur": None, "actif": True, "divisible": False,
                               "code_barres": None}
    assert client.get("/inventaire/catalogue/CORD-001").json()["prix_unitaire"] == 19.25


def test_update_refuses_to_empty_a_required_field(client):
    make_product_via_api(client, CORDE)
    response = client.put("/inventaire/catalogue/CORD-001", json={"nom_produit": None})
    assert response.status_code == 422
    assert "ne peuvent pas être vides" in response.json()["detail"]
    assert client.get("/inventaire/catalogue/CORD-001").json()["nom_produit"] == "Corde #1 (Do)"


def test_delete_archives_keeps_history_and_leaves_checks(client, db_session):
    allan = make_technician(db_session, nom="Allan")
    gone = make_product(db_session, code_produit="GONE-1", seuil_reorder=Decimal("10"))
    kept = make_product(db_session, code_produit="KEPT-1", seuil_reorder=Decimal("10"))
    make_line(db_session, allan, gone, 1)
    make_line(db_session, allan, kept, 1)
    db_session.commit()
    assert client.post("/inventaire/check-stock").json()["alerts_detected"] == 2

    response = client.delete("/inventaire/catalogue/GONE-1")
    assert response.status_code == 200
    assert response.json()["actif"] is False
    assert client.get("/inventaire/catalogue/GONE-1").json()["actif"] is False  # still readable
    assert "GONE-1" not in codes(client.get("/inventaire/catalogue"))
    rapport = client.post("/inventaire/check-stock").json()["rapport"]
    assert [a["code_produit"] for a in rapport["alertes"]] == ["KEPT-1"]
    assert rapport["statistiques"]["total_produits"] == 1
    assert [line["code_produit"] for line in client.get("/inventaire/stock/Allan").json()] == ["KEPT-1"]
    # History is never deleted: the ledger still holds the archived product's rows.
    ledger = client.get("/inventaire/transactions", params={"code_produit": "GONE-1"}).json()
    assert ledger["total"] == 1
    assert db_session.scalar(select(func.count(Transaction.id)).where(Transaction.produit_id == gone.id)) == 1

    restored = client.put("/inventaire/catalogue/GONE-1", json={"actif": True})
    assert restored.status_code == 200 and restored.json()["actif"] is True
    assert "GONE-1" in codes(client.get("/inventaire/catalogue"))
    assert client.post("/inventaire/check-stock").json()["alerts_detected"] == 2
