"""Workshops: added and listed by the office; names unique with technicians'; their stock through the stock routes."""

from __future__ import annotations

from decimal import Decimal

from inventaire.auth import service as auth_service
from tests.helpers import bearer, database_state, make_line, make_product, make_technician, make_workshop

ATELIERS = "/inventaire/ateliers"


def test_add_and_list_workshops(client, db_session):
    created = client.post(ATELIERS, json={"nom": "  Atelier   Montréal "})
    assert created.status_code == 201
    assert created.json() == {"nom": "Atelier Montréal", "actif": True}
    assert client.post(ATELIERS, json={"nom": "Réserve", "actif": False}).status_code == 201
    assert [w["nom"] for w in client.get(ATELIERS).json()] == ["Atelier Montréal", "Réserve"]
    assert [w["nom"] for w in client.get(ATELIERS, params={"actif": "true"}).json()] == ["Atelier Montréal"]


def test_names_are_unique_across_workshops_and_technicians_whatever_the_case(client, db_session):
    make_technician(db_session, nom="Allan")
    make_workshop(db_session, nom="Atelier")
    db_session.commit()
    before = database_state(db_session)
    taken = client.post(ATELIERS, json={"nom": "ALLAN"})
    assert taken.status_code == 409 and taken.json()["detail"] == "Le technicien « ALLAN » existe déjà."
    again = client.post(ATELIERS, json={"nom": "atelier"})
    assert again.status_code == 409 and again.json()["detail"] == "L'atelier « atelier » existe déjà."
    tech = client.post("/inventaire/techniciens", json={"nom": "ATELIER"})
    assert tech.status_code == 409 and tech.json()["detail"] == "L'atelier « ATELIER » existe déjà."
    assert client.post(ATELIERS, json={"nom": ""}).status_code == 422
    assert database_state(db_session) == before


def test_a_technician_may_list_but_not_add(anon_client, db_session):
    allan = make_technician(db_session, nom="Allan")
    raw, _ = auth_service.create_token(db_session=db_session, role="technicien", technician=allan)
    db_session.commit()
    assert anon_client.get(ATELIERS, headers=bearer(raw)).status_code == 200
    assert anon_client.post(ATELIERS, json={"nom": "X"}, headers=bearer(raw)).status_code == 403
    assert anon_client.get(ATELIERS).status_code == 401


def test_a_workshop_name_works_wherever_the_stock_routes_take_a_technician(client, db_session):
    workshop = make_workshop(db_session, nom="Atelier")
    make_product(db_session, code_produit="CORD-012", prix_unitaire=Decimal("2.00"))
    db_session.commit()
    received = client.post("/inventaire/stock/ajuster", json={
        "technicien": "atelier", "code_produit": "CORD-012", "ajustement": 10, "type": "reception"})
    assert received.status_code == 200, received.text
    assert (received.json()["technicien"], received.json()["quantite_apres"]) == ("Atelier", 10)
    counted = client.post("/inventaire/stock/compter", json={
        "technicien": "Atelier", "code_produit": "CORD-012", "quantite": 9})
    assert counted.status_code == 200 and counted.json()["ajustement"] == -1
    [line] = client.get("/inventaire/stock/ATELIER").json()
    assert (line["technicien"], line["quantite"], line["valeur"]) == ("Atelier", 9, 18.0)
    ledger = client.get("/inventaire/transactions", params={"technicien": "Atelier"}).json()
    assert [t["type"] for t in ledger["items"]] == ["comptage", "reception"]
    assert client.put("/inventaire/stock/Atelier/CORD-012", json={"niveau_par": 20}).json()["niveau_par"] == 20
    assert client.get("/inventaire/stats/Atelier").status_code == 200
    assert workshop.id not in (None, 0)


def test_a_technician_cannot_touch_a_workshops_stock(anon_client, db_session):
    allan = make_technician(db_session, nom="Allan")
    workshop = make_workshop(db_session, nom="Atelier")
    part = make_product(db_session, code_produit="CORD-012")
    make_line(db_session, workshop, part, 5)
    raw, _ = auth_service.create_token(db_session=db_session, role="technicien", technician=allan)
    db_session.commit()
    assert anon_client.get("/inventaire/stock/Atelier", headers=bearer(raw)).status_code == 403
    use = {"technicien": "Atelier", "code_produit": "CORD-012", "ajustement": -1, "type": "utilisation"}
    assert anon_client.post("/inventaire/stock/ajuster", json=use, headers=bearer(raw)).status_code == 403


def test_workshop_lines_are_in_the_check_with_their_holder(client, db_session):
    workshop = make_workshop(db_session, nom="Atelier")
    van = make_technician(db_session, nom="Allan")
    part = make_product(db_session, code_produit="CORD-012", seuil_reorder=Decimal(4))
    make_line(db_session, workshop, part, 2)
    make_line(db_session, van, part, 0)
    db_session.commit()
    report = client.post("/inventaire/check-stock", params={"notifier": "false"}).json()["rapport"]
    holders = [(a["technicien"], a["type_emplacement"], a["severity"]) for a in report["alertes"]]
    assert holders == [("Allan", "vehicule", "critique"), ("Atelier", "atelier", "bas_stock")]
    only = client.post("/inventaire/check-stock", params={"technicien": "atelier", "notifier": "false"}).json()
    assert only["rapport"]["technicien"] == "Atelier" and only["alerts_detected"] == 1
