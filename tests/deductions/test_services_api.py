"""POST /inventaire/services: the stock follows the latest version of each service, writing only the difference."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from inventaire.catalogue import service as catalogue
from inventaire.regles import service as regles
from inventaire.stock import service as stock
from inventaire.stock.ledger import ledger_sum
from inventaire.stock.models import StockLine
from tests.helpers import database_state, make_line, make_product, make_technician

PLS = "mit_2eBOzDvunD7PHs6M"
TRAIT = "mit_CX6CvWXbjs08vg70"


@pytest.fixture
def shop(db_session):
    """Allan's van with PLS pads, wicks and water treatment; the office's rules."""
    allan = make_technician(db_session, nom="Allan")
    make_technician(db_session, nom="Nicolas")
    buv = make_product(db_session, code_produit="PLS-BUV", nom_produit="Buvards PLS", unite="jeu")
    gaine = make_product(db_session, code_produit="PLS-GAINE", nom_produit="Gaine PLS")
    trait = make_product(db_session, code_produit="PLS-TRAIT-227", unite="flacon")
    for product, qty in ((buv, 10), (gaine, 10), (trait, 3)):
        make_line(db_session, allan, product, qty)
    for product in (buv, gaine):
        regles.create(db_session=db_session, service_id=PLS, product=product, quantite=Decimal(1))
    regles.create(db_session=db_session, service_id=TRAIT, product=trait, quantite=Decimal(1))
    db_session.commit()
    return allan


def invoice(numero="7140", statut="actif", lignes=None, **extra):
    return {"source": "gazelle", "id_externe": f"inv_{numero}", "numero": numero, "statut": statut,
            "technicien": "Allan", "client": "Lina Vanelli", "date": "2026-04-29",
            "lignes": lignes if lignes is not None else [
                {"id_externe": "ini_1", "service_id": PLS, "description": "Entretien annuel du système PLS",
                 "quantite": 1}],
            **extra}


def send(client, body):
    response = client.post("/inventaire/services", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def qty(db_session, code, nom="Allan"):
    db_session.expire_all()
    line = db_session.scalar(select(StockLine).where(StockLine.produit.has(code_produit=code),
                                                     StockLine.emplacement.has(nom=nom)))
    assert ledger_sum(db_session=db_session, line=line) == line.quantite  # the ledger always agrees
    return line.quantite


def test_a_completed_service_is_deducted_once(client, shop, db_session):
    first = send(client, invoice())
    assert first["traitement"] == "applique"
    moves = sorted(first["mouvements"], key=lambda m: m["code_produit"])
    assert [(m["code_produit"], m["type"], m["ajustement"]) for m in moves] == [
        ("PLS-BUV", "utilisation", -1), ("PLS-GAINE", "utilisation", -1)]
    assert {m["reference"] for m in moves} == {"Facture #7140"}
    assert {m["motif"] for m in moves} == {"Facture #7140 — Lina Vanelli — Entretien annuel du système PLS"}
    assert {m["auteur"] for m in moves} == {"gazelle"}
    assert first["non_deduites"] == [] and first["manques"] == []
    before = database_state(db_session)
    again = send(client, invoice())
    assert (again["traitement"], again["mouvements"]) == ("inchange", [])
    assert database_state(db_session) == before
    found = client.get("/inventaire/transactions", params={"reference": "Facture #7140"}).json()
    assert found["total"] == 2
    assert qty(db_session, "PLS-BUV") == 9


def test_edits_write_only_the_difference(client, shop, db_session):
    send(client, invoice())
    two = send(client, invoice(lignes=[{"id_externe": "ini_1", "service_id": PLS, "quantite": 2,
                                        "description": "Entretien annuel du système PLS"}]))
    assert sorted((m["code_produit"], m["ajustement"]) for m in two["mouvements"]) == [
        ("PLS-BUV", -1), ("PLS-GAINE", -1)]
    half = send(client, invoice(lignes=[
        {"id_externe": "ini_1", "service_id": PLS, "quantite": 0.5, "description": "Entretien annuel du système PLS"},
        {"id_externe": "ini_2", "service_id": TRAIT, "quantite": 1, "description": "Traitement de l'eau"}]))
    moves = sorted((m["code_produit"], m["type"], m["ajustement"]) for m in half["mouvements"])
    assert moves == [("PLS-BUV", "ajustement", 1.5), ("PLS-GAINE", "ajustement", 1.5),
                     ("PLS-TRAIT-227", "utilisation", -1)]
    assert all(m["motif"].endswith("(correction)") for m in half["mouvements"] if m["type"] == "ajustement")
    assert (qty(db_session, "PLS-BUV"), qty(db_session, "PLS-TRAIT-227")) == (Decimal("9.5"), 2)
    removed = send(client, invoice(lignes=[
        {"id_externe": "ini_2", "service_id": TRAIT, "quantite": 1, "description": "Traitement de l'eau"}]))
    assert sorted((m["code_produit"], m["ajustement"]) for m in removed["mouvements"]) == [
        ("PLS-BUV", 0.5), ("PLS-GAINE", 0.5)]
    assert qty(db_session, "PLS-BUV") == 10


def test_cancelled_gives_everything_back_and_an_older_version_changes_nothing(client, shop, db_session):
    send(client, invoice(version="2026-04-29T15:00:00Z"))
    cancelled = send(client, invoice(statut="annule", version="2026-04-30T09:00:00Z"))
    assert sorted((m["code_produit"], m["ajustement"]) for m in cancelled["mouvements"]) == [
        ("PLS-BUV", 1), ("PLS-GAINE", 1)]
    assert all(m["motif"].endswith("(annulée)") for m in cancelled["mouvements"])
    before = database_state(db_session)
    late = send(client, invoice(version="2026-04-29T15:00:00Z"))  # the first version, arriving late
    assert (late["traitement"], late["mouvements"]) == ("version_ancienne", [])
    assert database_state(db_session) == before
    assert qty(db_session, "PLS-BUV") == 10


def test_shortfall_is_open_until_a_reception_or_a_count(client, shop, db_session):
    body = invoice(lignes=[{"id_externe": "ini_2", "service_id": TRAIT, "quantite": 5, "description": "Traitement"}])
    short = send(client, body)
    assert [m["ajustement"] for m in short["mouvements"]] == [-3]
    assert [(s["code_produit"], s["manque"]) for s in short["manques"]] == [("PLS-TRAIT-227", 2)]
    assert [n["raison"] for n in short["non_deduites"]] == ["stock_insuffisant"]
    assert qty(db_session, "PLS-TRAIT-227") == 0  # never below zero
    assert [s["manque"] for s in client.get("/inventaire/manques").json()] == [2]
    trait = catalogue.get_by_code(db_session=db_session, code_produit="PLS-TRAIT-227")
    stock.adjust(db_session=db_session, location=shop, product=trait, kind="reception", delta=Decimal(1),
                 auteur="bureau", cause="manuel")
    db_session.commit()
    retried = send(client, body)  # re-read: the reception covers part of it
    assert [m["ajustement"] for m in retried["mouvements"]] == [-1]
    assert [s["manque"] for s in retried["manques"]] == [1]
    stock.count(db_session=db_session, location=shop, product=trait, counted=Decimal(4), auteur="Allan")
    db_session.commit()
    assert client.get("/inventaire/manques").json() == []  # the count settled it
    settled = send(client, body)
    assert settled["mouvements"] == [] and settled["manques"] == []
    assert qty(db_session, "PLS-TRAIT-227") == 4


def test_stock_given_back_fills_another_services_shortfall(client, shop, db_session):
    def trait(n):
        return [{"id_externe": "ini_1", "service_id": TRAIT, "quantite": n, "description": "Traitement"}]

    send(client, invoice("1", lignes=trait(3)))
    waiting = send(client, invoice("2", lignes=trait(2)))
    assert [s["manque"] for s in waiting["manques"]] == [2]
    cancelled = send(client, invoice("1", statut="annule", lignes=trait(3)))
    moves = [(m["reference"], m["ajustement"]) for m in cancelled["mouvements"]]
    assert moves == [("Facture #1", 3), ("Facture #2", -2)]
    assert qty(db_session, "PLS-TRAIT-227") == 1
    assert client.get("/inventaire/manques").json() == []


def test_rules_and_technicians_apply_when_re_read(client, shop, db_session):
    body = invoice(lignes=[{"id_externe": "ini_9", "service_id": "mit_eRqZsLAzRs3ypEGC", "quantite": 1,
                            "description": "Ensemble d'entretien Cory"}])
    first = send(client, body)
    assert first["mouvements"] == [] and [n["raison"] for n in first["non_deduites"]] == ["sans_regle"]
    kit = make_product(db_session, code_produit="PROD-4", nom_produit="Cory kit lustré")
    make_line(db_session, shop, kit, 2)
    regles.create(db_session=db_session, service_id="mit_eRqZsLAzRs3ypEGC", product=kit, quantite=Decimal(1))
    db_session.commit()
    later = send(client, body)
    assert [(m["code_produit"], m["ajustement"]) for m in later["mouvements"]] == [("PROD-4", -1)]
    moved = send(client, {**body, "technicien": "Nicolas"})  # the invoice reassigned: Allan's part comes back
    assert [(m["technicien"], m["ajustement"]) for m in moved["mouvements"]] == [("Allan", 1)]
    assert [(s["technicien"], s["manque"]) for s in moved["manques"]] == [("Nicolas", 1)]
    nobody = send(client, {**body, "technicien": None})
    assert [n["raison"] for n in nobody["non_deduites"]] == ["technicien_inconnu"]
    assert nobody["manques"] == []


def test_an_archived_product_is_not_taken_any_more(client, shop, db_session):
    send(client, invoice())
    catalogue.archive(db_session=db_session, product=catalogue.get_by_code(db_session=db_session,
                                                                            code_produit="PLS-GAINE"))
    db_session.commit()
    more = send(client, invoice(lignes=[{"id_externe": "ini_1", "service_id": PLS, "quantite": 3}]))
    assert sorted((m["code_produit"], m["ajustement"]) for m in more["mouvements"]) == [("PLS-BUV", -2)]
    assert [(n["code_produit"], n["raison"], n["quantite"]) for n in more["non_deduites"]] == [
        ("PLS-GAINE", "produit_archive", 2)]
    back = send(client, invoice(statut="annule"))
    assert sorted((m["code_produit"], m["ajustement"]) for m in back["mouvements"]) == [
        ("PLS-BUV", 3), ("PLS-GAINE", 1)]


@pytest.mark.parametrize("change", [
    {"statut": "termine"}, {"source": "Gazelle Prod"},
    {"lignes": [{"id_externe": "a", "quantite": -1}]}, {"lignes": [{"id_externe": "a", "quantite": "1"}]},
    {"lignes": [{"id_externe": "a", "quantite": 1}, {"id_externe": "a", "quantite": 2}]},
    {"date": "2026-13-01"}, {"inconnu": 1},
])
def test_bad_input_is_refused_in_french_and_changes_nothing(client, shop, db_session, change):
    send(client, invoice("1"))
    before = database_state(db_session)
    response = client.post("/inventaire/services", json={**invoice("2"), **change})
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)
    assert database_state(db_session) == before


def test_an_unknown_technician_is_not_found_and_changes_nothing(client, shop, db_session):
    send(client, invoice("1"))
    before = database_state(db_session)
    response = client.post("/inventaire/services", json={**invoice("2"), "technicien": "Personne"})
    assert response.status_code == 404, response.text
    assert "Technicien inconnu" in response.json()["detail"]
    assert database_state(db_session) == before


def test_services_are_listed_with_what_they_took(client, shop):
    send(client, invoice())
    listed = client.get("/inventaire/services").json()
    assert [(s["reference"], s["client"], s["technicien"]) for s in listed] == [
        ("Facture #7140", "Lina Vanelli", "Allan")]
    assert sorted((d["code_produit"], d["deduit"]) for d in listed[0]["deductions"]) == [
        ("PLS-BUV", 1), ("PLS-GAINE", 1)]
    one = client.get("/inventaire/services/gazelle/inv_7140")
    assert one.status_code == 200 and one.json()["numero"] == "7140"
    assert client.get("/inventaire/services/gazelle/inv_0").status_code == 404
