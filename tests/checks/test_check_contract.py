"""The check reproduces the seed's report field for field."""

from decimal import Decimal

import pytest

from tests.helpers import build_seed_data, make_line, make_product, make_technician

pytestmark = pytest.mark.pooler  # also through a transaction-mode PgBouncer


@pytest.fixture
def seed_like(db_session):
    allan = build_seed_data(db_session)
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
        "valeur_totale_estimee": 450.50,
    }
    assert '"valeur_totale_estimee":450.5' in response.text  # a JSON number, not a string
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


def test_every_run_is_stored_with_its_report(client, db_session, seed_like):
    from inventaire.checks.models import Verification

    body = client.post("/inventaire/check-stock", params={"technicien": "allan", "seuil_critique": "3.5"}).json()
    stored = db_session.get(Verification, body["verification_id"])
    assert stored.rapport == body["rapport"]
    assert (stored.technicien_id, stored.seuil_critique) == (seed_like.id, Decimal("3.5"))
    assert (stored.total_alertes, stored.alertes_critiques, stored.declenchee_par) == (2, 1, "bureau")
    assert body["rapport"]["seuil_critique"] == 3.5


def test_inactive_technicians_leave_the_global_check(client, db_session, seed_like):
    seed_like.actif = False
    db_session.commit()
    everyone = client.post("/inventaire/check-stock").json()["rapport"]
    assert (everyone["statistiques"]["total_produits"], everyone["alertes"]) == (0, [])
    assert everyone["summary"] == "0 alerte(s) détectée(s) (0 critique(s), 0 stock bas)"
    assert everyone["technicien"] is None
    # Asked by name, an inactive technician is still checked.
    assert client.post("/inventaire/check-stock", params={"technicien": "Allan"}).json()["alerts_detected"] == 3


def test_alerts_sorted_critical_then_technician_then_code(client, db_session):
    margot, allan = make_technician(db_session, nom="margot"), make_technician(db_session, nom="Allan")
    for code in ("B-2", "A-1"):
        product = make_product(db_session, code_produit=code)
        make_line(db_session, margot, product, 0)
        make_line(db_session, allan, product, 1)
    db_session.commit()
    alertes = client.post("/inventaire/check-stock").json()["rapport"]["alertes"]
    assert [(a["severity"], a["technicien"], a["code_produit"]) for a in alertes] == [
        ("critique", "margot", "A-1"), ("critique", "margot", "B-2"),
        ("bas_stock", "Allan", "A-1"), ("bas_stock", "Allan", "B-2"),
    ]


def test_check_is_set_based(client, db_session, engine):
    """The number of SQL statements does not grow with the number of lines."""
    from sqlalchemy import event

    statements = []

    def count(*_args):
        statements.append(1)

    tech = make_technician(db_session, nom="Nicolas")
    make_line(db_session, tech, make_product(db_session), 1)
    db_session.commit()
    assert client.post("/inventaire/check-stock").status_code == 200  # a previous run to compare with
    runs = []
    for batch in (3, 30):
        for _ in range(batch):
            make_line(db_session, tech, make_product(db_session), 1)
        db_session.commit()
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.post("/inventaire/check-stock").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        runs.append(len(statements))
    assert runs[0] == runs[1] and 2 <= runs[0] <= 20, runs
