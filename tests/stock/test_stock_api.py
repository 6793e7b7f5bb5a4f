"""Stock lines, changes and counts over HTTP, exactly as the contract says."""

import datetime as dt
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from inventaire.auth import service as auth_service
from inventaire.stock import ledger
from inventaire.stock import reading as stock_lines
from inventaire.stock import service as stock
from tests.helpers import bearer, database_state, make_line, make_product, make_technician

ADJUST = "/inventaire/stock/ajuster"
COUNT = "/inventaire/stock/compter"
TRANSACTION_FIELDS = {
    "id", "technicien", "code_produit", "type", "ajustement", "quantite_avant", "quantite_apres",
    "motif", "reference", "auteur", "created_at", "cause", "cause_id",
}


@pytest.fixture
def allan(db_session):
    tech = make_technician(db_session, nom="Allan")
    make_product(db_session, code_produit="CORD-001", nom_produit="Corde #1 (Do)", unite="bobine",
                 prix_unitaire=Decimal("18.50"), seuil_reorder=Decimal("2"))
    make_product(db_session, code_produit="FEUT-ETOUF", nom_produit="Feutre d'étouffoir", unite="m",
                 prix_unitaire=Decimal("24.00"))
    db_session.commit()
    return tech


def move(client, expected=200, **body):
    body = {"technicien": "Allan", "code_produit": "CORD-001", **body}
    response = client.post(ADJUST, json=body)
    assert response.status_code == expected, response.text
    return response.json()


def count(client, expected=200, **body):
    body = {"technicien": "Allan", "code_produit": "CORD-001", **body}
    response = client.post(COUNT, json=body)
    assert response.status_code == expected, response.text
    return response.json()


def test_first_reception_creates_the_line(client, allan):
    assert client.get("/inventaire/stock/Allan").json() == []
    entry = move(client, ajustement=4, type="reception", motif="Commande Röslau", reference="BC-12")
    assert set(entry) == TRANSACTION_FIELDS
    assert {k: entry[k] for k in TRANSACTION_FIELDS - {"id", "created_at"}} == {
        "technicien": "Allan", "code_produit": "CORD-001", "type": "reception", "ajustement": 4,
        "quantite_avant": 0, "quantite_apres": 4, "motif": "Commande Röslau", "reference": "BC-12",
        "auteur": "bureau", "cause": "manuel", "cause_id": None,
    }
    created = dt.datetime.fromisoformat(entry["created_at"])
    assert entry["created_at"].endswith("+00:00")
    assert abs(created - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    [line] = client.get("/inventaire/stock/allan").json()
    assert line["updated_at"] == entry["created_at"]
    assert {k: v for k, v in line.items() if k != "updated_at"} == {
        "technicien": "Allan", "code_produit": "CORD-001", "nom_produit": "Corde #1 (Do)", "unite": "bobine",
        "quantite": 4, "seuil": 2, "seuil_min": None, "niveau_par": None, "valeur": 74,
    }


def test_use_then_correction_with_decimals(client, allan):
    move(client, code_produit="FEUT-ETOUF", ajustement=2.5, type="reception")
    used = move(client, code_produit="FEUT-ETOUF", ajustement=-0.125, type="utilisation",
                motif="Accord Yamaha U1, client Tremblay", reference="RDV-4411")
    assert (used["quantite_avant"], used["ajustement"], used["quantite_apres"]) == (2.5, -0.125, 2.375)
    fixed = move(client, code_produit="FEUT-ETOUF", ajustement=-0.375, type="ajustement")
    assert fixed["quantite_apres"] == 2
    [line] = client.get("/inventaire/stock/Allan").json()
    assert (line["quantite"], line["valeur"], line["seuil"]) == (2, 48, 5)  # default threshold 5.0


def test_going_below_zero_is_409_and_writes_nothing(client, allan, db_session):
    move(client, ajustement=2, type="reception")
    before = database_state(db_session)
    refused = move(client, 409, ajustement=-3, type="utilisation")
    assert refused["detail"] == (
        "Stock insuffisant : Allan a 2 bobines de « CORD-001 », impossible de retirer 3."
    )
    assert database_state(db_session) == before
    # A technician who does not carry the product cannot use it either: no line is created.
    absent = move(client, 409, code_produit="FEUT-ETOUF", ajustement=-1, type="ajustement")
    assert "n'a pas de « FEUT-ETOUF »" in absent["detail"]
    assert database_state(db_session) == before


def test_quantity_beyond_the_column_is_409_not_500(client, allan, db_session):
    move(client, ajustement=999999999.999, type="reception")
    before = database_state(db_session)
    refused = move(client, 409, ajustement=1, type="reception")
    assert refused["detail"].startswith("Quantité trop grande")
    assert database_state(db_session) == before


def test_auteur_is_the_callers_identity(app, allan, db_session):
    raw, _ = auth_service.create_token(db_session=db_session, role="technicien", technician=allan)
    db_session.commit()
    with TestClient(app, headers=bearer(raw)) as as_allan:
        entry = move(as_allan, ajustement=1, type="reception")
        assert entry["auteur"] == "Allan"
        assert count(as_allan, quantite=1)["auteur"] == "Allan"


def test_count_records_the_difference(client, allan):
    move(client, ajustement=5, type="reception")
    entry = count(client, quantite=3, quantite_vue=5, motif="Inventaire de fin de mois")
    assert {k: entry[k] for k in ("type", "quantite_avant", "ajustement", "quantite_apres", "motif")} == {
        "type": "comptage", "quantite_avant": 5, "ajustement": -2, "quantite_apres": 3,
        "motif": "Inventaire de fin de mois",
    }
    assert entry["auteur"] == "bureau"
    more = count(client, quantite=7.5)
    assert (more["ajustement"], more["quantite_apres"]) == (4.5, 7.5)


def test_count_that_confirms_writes_a_zero_row(client, allan, db_session):
    move(client, ajustement=5, type="reception")
    before = database_state(db_session)["rows"]["transactions_inventaire"]
    entry = count(client, quantite=5, quantite_vue=5)
    assert (entry["ajustement"], entry["quantite_avant"], entry["quantite_apres"]) == (0, 5, 5)
    assert entry["motif"] == "Comptage physique"
    assert database_state(db_session)["rows"]["transactions_inventaire"] == before + 1


def test_stale_count_is_409_and_writes_nothing(client, allan, db_session):
    move(client, ajustement=5, type="reception")
    move(client, ajustement=-1, type="utilisation")  # landed after the counter's screen showed 5
    before = database_state(db_session)
    refused = count(client, 409, quantite=3, quantite_vue=5)
    assert refused["detail"] == (
        "Le stock de « CORD-001 » a changé depuis votre lecture (5 affiché, 4 maintenant). Rechargez et recomptez."
    )
    assert database_state(db_session) == before
    # The same stale count on a product the technician does not carry creates no line either.
    count(client, 409, code_produit="FEUT-ETOUF", quantite=1, quantite_vue=2)
    assert database_state(db_session) == before


def test_count_of_a_product_not_carried_creates_the_line(client, allan):
    entry = count(client, code_produit="FEUT-ETOUF", quantite=1.5, quantite_vue=0)
    assert (entry["quantite_avant"], entry["ajustement"], entry["quantite_apres"]) == (0, 1.5, 1.5)
    assert [line["code_produit"] for line in client.get("/inventaire/stock/Allan").json()] == ["FEUT-ETOUF"]


def test_unknown_technician_or_product_is_404(client, allan, db_session):
    before = database_state(db_session)
    assert client.get("/inventaire/stock/Personne").json() == {"detail": "Technicien inconnu : « Personne »."}
    assert move(client, 404, technicien="Personne", ajustement=1, type="reception")["detail"] == (
        "Technicien inconnu : « Personne »."
    )
    assert move(client, 404, code_produit="NOPE-1", ajustement=1, type="reception")["detail"] == (
        "Produit inconnu : « NOPE-1 ». Vérifiez le code dans le catalogue."
    )
    assert count(client, 404, code_produit="NOPE-1", quantite=1)["detail"].startswith("Produit inconnu")
    assert database_state(db_session) == before


def test_line_levels_set_the_threshold_in_effect(client, allan, db_session):
    make_line(db_session, allan, stock_product(db_session), 3)
    db_session.commit()
    response = client.put("/inventaire/stock/Allan/CORD-001", json={"seuil_min": 4, "niveau_par": 10})
    assert response.status_code == 200, response.text
    assert (response.json()["seuil"], response.json()["niveau_par"]) == (4, 10)
    cleared = client.put("/inventaire/stock/Allan/CORD-001", json={"seuil_min": None}).json()
    assert cleared["seuil"] == 2  # back to the product's threshold


def stock_product(db_session):
    from inventaire.catalogue import service as catalogue

    return catalogue.get_or_404(db_session=db_session, code_produit="CORD-001")


def test_service_keeps_balance_equal_to_ledger(db_session, allan):
    product = stock_product(db_session)
    stock.adjust(db_session=db_session, location=allan, product=product, kind="reception",
                 delta=Decimal("3.250"), auteur="essai", cause="manuel")
    stock.count(db_session=db_session, location=allan, product=product, counted=Decimal("1.5"), auteur="essai")
    line = stock_lines.get_line(db_session=db_session, location=allan, product=product)
    assert line.quantite == Decimal("1.500")
    assert ledger.ledger_sum(db_session=db_session, line=line) == Decimal("1.500")
