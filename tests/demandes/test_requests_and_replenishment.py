"""Requests from a van and replenishment to par, end to end through the API, on both databases."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from inventaire.auth import service as auth_service
from inventaire.stock.models import StockLine, Transaction
from tests.helpers import balance_of, bearer, database_state, make_line, make_product, make_technician, make_workshop
from tests.servers import DISCORD_PATH, OFFICE, SLACK_PATH

DEMANDES = "/inventaire/demandes"
REAPPRO = "/inventaire/reapprovisionnement"


def _shop(db_session):
    """Allan's van (two lines with a par level, one without) and the workshop."""
    allan, workshop = make_technician(db_session, nom="Allan"), make_workshop(db_session, nom="Atelier")
    cord, felt, pin, hammer = (make_product(db_session, code_produit=c, unite=u) for c, u in (
        ("CORD-012", "bobine"), ("FEUT-01", "m"), ("GOUP-01", "unité"), ("MART-01", "unité")))
    make_line(db_session, allan, cord, 1, niveau_par=Decimal(6))
    make_line(db_session, allan, felt, Decimal("0.5"), niveau_par=Decimal(2))
    make_line(db_session, allan, pin, 9, niveau_par=Decimal(5))  # above par: not on the list
    make_line(db_session, workshop, cord, 20)
    make_line(db_session, workshop, felt, 1)  # less than the van needs
    make_line(db_session, workshop, hammer, 4)
    raw, _ = auth_service.create_token(db_session=db_session, role="technicien", technician=allan)
    db_session.commit()
    return raw


def test_a_technician_asks_the_office_serves(client, anon_client, db_session):
    raw = _shop(db_session)
    phone = {"headers": bearer(raw)}
    asked = anon_client.post(DEMANDES, json={"technicien": "Allan", "code_produit": "MART-01", "quantite": 2,
                                             "note": "Pour le Steinway"}, **phone)
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert (request["statut"], request["technicien"], request["code_produit"], request["quantite"],
            request["auteur"]) == ("ouverte", "Allan", "MART-01", 2, "Allan")
    assert [r["id"] for r in client.get(DEMANDES, params={"statut": "ouverte"}).json()] == [request["id"]]

    served = client.post(f"{DEMANDES}/{request['id']}/servir", json={"atelier": "Atelier", "quantite": None})
    assert served.status_code == 200, served.text
    body = served.json()
    assert (body["statut"], body["atelier"], body["quantite_servie"]) == ("servie", "Atelier", 2)
    moved = body["transfert"]
    assert (moved["sortie"]["technicien"], moved["entree"]["technicien"]) == ("Atelier", "Allan")
    assert body["transfert"]["entree"]["reference"] == f"Demande #{request['id']}"
    assert (balance_of(db_session, "Atelier", "MART-01"), balance_of(db_session, "Allan", "MART-01")) == (2, 2)
    assert client.get(DEMANDES, params={"statut": "ouverte"}).json() == []
    mine = anon_client.get(DEMANDES, **phone).json()
    assert [(r["id"], r["statut"]) for r in mine] == [(request["id"], "servie")]
    again = client.post(f"{DEMANDES}/{request['id']}/servir", json={"atelier": "Atelier"})
    assert again.status_code == 409 and again.json()["detail"] == f"La demande n° {request['id']} est déjà servie."


def test_refused_with_a_reason_and_short_workshop_writes_nothing(client, anon_client, db_session):
    raw = _shop(db_session)
    asked = anon_client.post(DEMANDES, json={"technicien": "Allan", "code_produit": "FEUT-01", "quantite": 3},
                             headers=bearer(raw)).json()
    before = database_state(db_session)
    short = client.post(f"{DEMANDES}/{asked['id']}/servir", json={"atelier": "Atelier"})
    assert short.status_code == 409 and short.json()["detail"].startswith("Stock insuffisant : Atelier a 1 m ")
    assert client.post(f"{DEMANDES}/{asked['id']}/refuser", json={"motif": "  "}).status_code == 422
    assert database_state(db_session) == before
    refused = client.post(f"{DEMANDES}/{asked['id']}/refuser", json={"motif": "En commande, arrivée lundi"})
    assert refused.status_code == 200
    assert (refused.json()["statut"], refused.json()["motif_refus"]) == ("refusee", "En commande, arrivée lundi")
    assert anon_client.get(DEMANDES, headers=bearer(raw)).json()[0]["motif_refus"] == "En commande, arrivée lundi"


def test_who_may_ask_and_serve(client, anon_client, db_session):
    raw = _shop(db_session)
    make_technician(db_session, nom="Margot")
    db_session.commit()
    phone = bearer(raw)
    other = anon_client.post(DEMANDES, json={"technicien": "Margot", "code_produit": "CORD-012", "quantite": 1},
                             headers=phone)
    assert other.status_code == 403
    assert anon_client.post(DEMANDES, json={"technicien": "Atelier", "code_produit": "CORD-012", "quantite": 1},
                            headers=phone).status_code == 404  # a workshop does not ask
    for bad in (0, -1, "2"):
        assert client.post(DEMANDES, json={"technicien": "Allan", "code_produit": "CORD-012",
                                           "quantite": bad}).status_code == 422
    asked = client.post(DEMANDES, json={"technicien": "Allan", "code_produit": "CORD-012", "quantite": 1}).json()
    assert anon_client.post(f"{DEMANDES}/{asked['id']}/servir", json={"atelier": "Atelier"},
                            headers=phone).status_code == 403
    assert client.post(f"{DEMANDES}/999999/servir", json={"atelier": "Atelier"}).status_code == 404
    assert client.post(f"{DEMANDES}/{asked['id']}/servir", json={"atelier": "Allan"}).status_code == 404


def test_the_office_is_told_once(client, anon_client, db_session, notifying, smtp, webhooks):
    raw = _shop(db_session)
    body = {"technicien": "Allan", "code_produit": "CORD-012", "quantite": 2, "note": "Urgent"}
    key = {"Idempotency-Key": "demande-1", **bearer(raw)}
    first = anon_client.post(DEMANDES, json=body, headers=key)
    again = anon_client.post(DEMANDES, json=body, headers=key)  # a double tap: the same request
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert [m.rcpt_tos for m in smtp.mails] == [OFFICE]
    assert smtp.mails[0].subject == f"Demande de stock n° {first.json()['id']} : Allan — 2 bobines de CORD-012"
    assert "Note : Urgent" in smtp.mails[0].part("plain")
    assert len(webhooks.received(SLACK_PATH)) == len(webhooks.received(DISCORD_PATH)) == 1


def test_picking_list_and_prepare_with_a_short_workshop(client, anon_client, db_session):
    raw = _shop(db_session)
    asked = anon_client.post(DEMANDES, json={"technicien": "Allan", "code_produit": "MART-01", "quantite": 5},
                             headers=bearer(raw)).json()
    items = client.get(REAPPRO, params={"technicien": "allan", "atelier": "atelier"})
    assert items.status_code == 200, items.text
    assert [(i["code_produit"], i["quantite"], i["niveau_par"], i["a_apporter"], i["disponible_atelier"],
             i["demande"]) for i in items.json()] == [
        ("CORD-012", 1, 6, 5, 20, None),
        ("FEUT-01", 0.5, 2, 1.5, 1, None),
        ("MART-01", 0, None, 5, 4, asked["id"]),
    ]
    total_before = _company_totals(db_session)
    done = client.post(REAPPRO, json={"technicien": "Allan", "atelier": "Atelier"})
    assert done.status_code == 200, done.text
    answer = done.json()
    assert sorted((t["entree"]["code_produit"], t["entree"]["ajustement"]) for t in answer["transferts"]) == [
        ("CORD-012", 5), ("FEUT-01", 1), ("MART-01", 4)]
    assert [(s["code_produit"], s["a_apporter"], s["transfere"], s["manque"]) for s in answer["non_servi"]] == [
        ("MART-01", 5, 4, 1), ("FEUT-01", 1.5, 1, 0.5)]
    assert answer["demandes_servies"] == [asked["id"]]
    assert (balance_of(db_session, "Allan", "CORD-012"), balance_of(db_session, "Allan", "FEUT-01"),
            balance_of(db_session, "Atelier", "FEUT-01"), balance_of(db_session, "Atelier", "MART-01")) == (
        6, Decimal("1.5"), 0, 0)
    assert _company_totals(db_session) == total_before
    assert client.get(DEMANDES, params={"statut": "ouverte"}).json() == []
    # Again: what is left is only what the workshop could not serve.
    left = client.get(REAPPRO, params={"technicien": "Allan", "atelier": "Atelier"}).json()
    assert [(i["code_produit"], i["a_apporter"], i["disponible_atelier"]) for i in left] == [("FEUT-01", 0.5, 0)]
    db_session.expire_all()
    assert db_session.scalar(select(func.count(Transaction.id)).where(Transaction.type == "transfert")) == 6


def test_prepare_counts_what_requests_brought_towards_par(client, db_session):
    _shop(db_session)
    client.post(DEMANDES, json={"technicien": "Allan", "code_produit": "CORD-012", "quantite": 3})
    done = client.post(REAPPRO, json={"technicien": "Allan", "atelier": "Atelier"}).json()
    cords = [t["entree"]["ajustement"] for t in done["transferts"] if t["entree"]["code_produit"] == "CORD-012"]
    assert cords == [3, 2]  # the request, then up to the par level of 6, not 3 + 5
    assert balance_of(db_session, "Allan", "CORD-012") == 6


def _company_totals(db_session) -> dict[int, Decimal]:
    db_session.expire_all()
    totals: dict[int, Decimal] = {}
    for line in db_session.scalars(select(StockLine)):
        totals[line.produit_id] = totals.get(line.produit_id, Decimal(0)) + line.quantite
    return totals
