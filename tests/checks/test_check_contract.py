"""The check reproduces the seed's report field for field."""

from decimal import Decimal

import pytest

from tests.factories import make_line, make_product, make_technician


@pytest.fixture
def seed_like(db_session):
    """Allan carries 15 products; 3 are in alert at the default threshold (1 critical, 2 low)."""
    allan = make_technician(db_session, nom="Allan")
    corde = make_product(db_session, code_produit="CORD-001", nom_produit="Corde #1 (Do)",
                         prix_unitaire=Decimal("10.00"))
    make_line(db_session, allan, corde, 0)
    quantities = [3, 5] + [10] * 12  # 3 and 5 are <= 5.0 (bas_stock); the rest are fine
    for i, qty in enumerate(quantities):
        product = make_product(db_session, code_produit=f"P-{i:02d}", prix_unitaire=Decimal("2.50"))
        make_line(db_session, allan, product, qty)
    db_session.commit()
    return allan


def test_seed_report_shape(client, seed_like):
    response = client.post("/inventaire/check-stock", params={"technicien": "Allan"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success"
    assert body["message"] == "Vérification d'inventaire terminée"
    assert body["alerts_detected"] == 3
    rapport = body["rapport"]
    assert rapport["technicien"] == "Allan"
    assert rapport["seuil_critique"] == 5.0
    assert rapport["generated_at"].endswith("+00:00")
    assert rapport["statistiques"] == {
        "total_produits": 15, "total_alertes": 3, "alertes_critiques": 1, "alertes_bas_stock": 2,
        "valeur_totale_estimee": 320.0,  # (3 + 5 + 12 × 10) × 2.50
    }
    first = rapport["alertes"][0]
    assert {k: first[k] for k in ("code_produit", "technicien", "quantite_actuelle", "severity", "nom_produit")} == {
        "code_produit": "CORD-001", "technicien": "Allan", "quantite_actuelle": 0,
        "severity": "critique", "nom_produit": "Corde #1 (Do)",
    }
    assert [a["code_produit"] for a in rapport["alertes"]] == ["CORD-001", "P-00", "P-01"]
    assert [a["severity"] for a in rapport["alertes"]] == ["critique", "bas_stock", "bas_stock"]
    assert rapport["summary"] == "3 alerte(s) détectée(s) (1 critique(s), 2 stock bas)"


def test_summary_when_no_alert(client, seed_like):
    body = client.post("/inventaire/check-stock", params={"seuil_critique": "-0"}).json()
    assert body["rapport"]["summary"] == "1 alerte(s) détectée(s) (1 critique(s), 0 stock bas)"
    empty = client.post("/inventaire/check-stock", params={"technicien": "allan", "seuil_critique": 0})
    assert empty.json()["rapport"]["technicien"] == "Allan"


def test_unknown_technician_is_404(client, seed_like):
    response = client.post("/inventaire/check-stock", params={"technicien": "Personne"})
    assert response.status_code == 404
    assert "Technicien inconnu" in response.json()["detail"]


@pytest.mark.parametrize("bad", ["-1", "abc", "nan", "inf", "1e400"])
def test_bad_threshold_is_422(client, seed_like, bad):
    response = client.post("/inventaire/check-stock", params={"seuil_critique": bad})
    assert response.status_code == 422
    assert "seuil_critique" in str(response.json()["detail"])


def test_threshold_precedence(client, db_session):
    tech = make_technician(db_session, nom="Margot")
    own_min = make_product(db_session, code_produit="A-MIN", seuil_reorder=Decimal("1"))
    product_level = make_product(db_session, code_produit="B-PROD", seuil_reorder=Decimal("8"))
    default_level = make_product(db_session, code_produit="C-DEF")
    make_line(db_session, tech, own_min, 6, seuil_min=Decimal("6"))   # line minimum 6 → alert
    make_line(db_session, tech, product_level, 7)                       # product's 8 → alert
    make_line(db_session, tech, default_level, 6)                       # default 5 → fine
    db_session.commit()
    rapport = client.post("/inventaire/check-stock").json()["rapport"]
    assert [(a["code_produit"], a["seuil"]) for a in rapport["alertes"]] == [("A-MIN", 6), ("B-PROD", 8)]
    forced = client.post("/inventaire/check-stock", params={"seuil_critique": 6.5}).json()["rapport"]
    assert [a["code_produit"] for a in forced["alertes"]] == ["A-MIN", "C-DEF"]
