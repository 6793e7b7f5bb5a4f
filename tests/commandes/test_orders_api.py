"""Supplier orders end to end through the API, on both databases: draft, send, partial then full
reception (ledger rows carry the order's number), over-receipt refused with nothing written, cancel."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from inventaire.stock.models import Transaction
from tests.helpers import balance_of, bearer, database_state, make_line, make_product, make_technician, make_token, make_workshop

COMMANDES = "/inventaire/commandes"


def _shop(db_session):
    """The workshop (2 spools in stock), two products of Röslau, one whole and one in metres."""
    workshop = make_workshop(db_session, nom="Atelier")
    cord = make_product(db_session, code_produit="CORD-012", unite="bobine", fournisseur="Röslau", divisible=False,
                        prix_unitaire=Decimal("18.50"))
    felt = make_product(db_session, code_produit="FEUT-01", unite="m", fournisseur="Röslau",
                        prix_unitaire=Decimal("24.00"))
    make_line(db_session, workshop, cord, 2)
    db_session.commit()
    return workshop, cord, felt


def _draft(client, **changes):
    body = {"fournisseur": "Röslau", "atelier": "Atelier", "lignes": [
        {"code_produit": "CORD-012", "quantite": 10, "prix_unitaire": 18.5},
        {"code_produit": "FEUT-01", "quantite": 2.5, "prix_unitaire": 24}]}
    body.update(changes)
    answer = client.post(COMMANDES, json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_the_lifecycle_draft_sent_partial_received(client, db_session):
    _shop(db_session)
    order = _draft(client)
    assert order["statut"] == "brouillon" and order["numero"].startswith("CMD-") and order["numero"].endswith("-0001")
    assert (order["fournisseur"], order["atelier"], order["auteur"], order["total"]) == (
        "Röslau", "Atelier", "bureau", 245)  # 10 × 18.50 + 2.5 × 24.00
    assert [(x["code_produit"], x["quantite"], x["quantite_recue"], x["total"]) for x in order["lignes"]] == [
        ("CORD-012", 10, 0, 185), ("FEUT-01", 2.5, 0, 60)]
    second = _draft(client, lignes=[{"code_produit": "FEUT-01", "quantite": 1, "prix_unitaire": 24}])
    assert second["numero"].endswith("-0002")
    oid = order["id"]
    assert client.get(f"{COMMANDES}/{oid}").json() == order
    assert [o["id"] for o in client.get(COMMANDES, params={"statut": "brouillon"}).json()] == [second["id"], oid]

    edited = client.put(f"{COMMANDES}/{oid}", json={"lignes": [
        {"code_produit": "CORD-012", "quantite": 12, "prix_unitaire": 18.25},
        {"code_produit": "FEUT-01", "quantite": 2.5, "prix_unitaire": 24}]})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["lignes"][0]["quantite"], edited.json()["total"]) == (12, 279)  # 219 + 60
    before = database_state(db_session)
    for bad, status in (({"lignes": None}, 422), ({"fournisseur": None}, 422), ({"lignes": []}, 422),
                        ({"atelier": "Inconnu"}, 404), ({"statut": "recue"}, 422)):
        assert client.put(f"{COMMANDES}/{oid}", json=bad).status_code == status, bad
    assert client.put(f"{COMMANDES}/{oid}", json={"lignes": None}).json()["detail"] == (
        "Ces champs ne peuvent pas être vides : lignes.")
    assert database_state(db_session) == before
    sent = client.post(f"{COMMANDES}/{oid}/envoyer")
    assert sent.status_code == 200 and sent.json()["statut"] == "envoyee" and sent.json()["envoyee_le"]
    assert client.put(f"{COMMANDES}/{oid}", json={"fournisseur": "Mapes"}).status_code == 409
    assert client.get(COMMANDES, params={"statut": "envoyee"}).json()[0]["id"] == oid

    part = client.post(f"{COMMANDES}/{oid}/recevoir", json={"lignes": [{"code_produit": "cord-012", "quantite": 5}]})
    assert part.status_code == 200, part.text
    body = part.json()
    assert body["statut"] == "partielle" and body["recue_le"] is None
    assert [(x["code_produit"], x["quantite_recue"], x["reste"]) for x in body["lignes"]] == [
        ("CORD-012", 5, 7), ("FEUT-01", 0, 2.5)]
    (row,) = body["mouvements"]
    assert (row["technicien"], row["type"], row["ajustement"], row["quantite_avant"], row["quantite_apres"],
            row["reference"], row["auteur"]) == ("Atelier", "reception", 5, 2, 7, order["numero"], "bureau")
    assert balance_of(db_session, "Atelier", "CORD-012") == 7

    rest = client.post(f"{COMMANDES}/{oid}/recevoir", json={"lignes": [
        {"code_produit": "CORD-012", "quantite": 7}, {"code_produit": "FEUT-01", "quantite": 2.5}]})
    assert rest.status_code == 200, rest.text
    assert rest.json()["statut"] == "recue" and rest.json()["recue_le"]
    assert (balance_of(db_session, "Atelier", "CORD-012"), balance_of(db_session, "Atelier", "FEUT-01")) == (
        12 + 2, Decimal("2.5"))
    ledger = client.get("/inventaire/transactions", params={"reference": order["numero"]}).json()
    rows = ledger["items"] if isinstance(ledger, dict) else ledger
    assert sorted((r["code_produit"], r["ajustement"]) for r in rows) == [
        ("CORD-012", 5), ("CORD-012", 7), ("FEUT-01", 2.5)]
    again = client.post(f"{COMMANDES}/{oid}/recevoir", json={"lignes": [{"code_produit": "CORD-012", "quantite": 1}]})
    assert again.status_code == 409 and "reçue" in again.json()["detail"]


def test_over_receipt_is_refused_with_nothing_written(client, db_session):
    _shop(db_session)
    order = _draft(client)
    oid = order["id"]
    client.post(f"{COMMANDES}/{oid}/envoyer")
    client.post(f"{COMMANDES}/{oid}/recevoir", json={"lignes": [{"code_produit": "CORD-012", "quantite": 6}]})
    before, seen = database_state(db_session), client.get(f"{COMMANDES}/{oid}").json()
    over = client.post(f"{COMMANDES}/{oid}/recevoir", json={"lignes": [
        {"code_produit": "FEUT-01", "quantite": 1}, {"code_produit": "CORD-012", "quantite": 5}]})
    assert over.status_code == 409
    assert over.json()["detail"] == (
        "Réception refusée : « CORD-012 » : commandé 10 bobines, déjà reçu 6 bobines, reste 4 bobines ; "
        "impossible d'en recevoir 5 bobines. Rien n'a été enregistré.")
    for refused, status in (
        ([{"code_produit": "CORD-012", "quantite": 1.5}], 409),  # whole spools only
        ([{"code_produit": "CORD-012", "quantite": 1}, {"code_produit": "CORD-012", "quantite": 1}], 409),
        ([{"code_produit": "INCONNU", "quantite": 1}], 404),
        ([{"code_produit": "CORD-012", "quantite": 0}], 422),
        ([], 422),
    ):
        answer = client.post(f"{COMMANDES}/{oid}/recevoir", json={"lignes": refused})
        assert answer.status_code == status, (refused, answer.text)
    assert database_state(db_session) == before
    assert client.get(f"{COMMANDES}/{oid}").json() == seen
    assert len(db_session.scalars(select(Transaction).where(Transaction.reference == order["numero"])).all()) == 1


def test_only_a_draft_is_cancelled_or_sent(client, db_session):
    _shop(db_session)
    draft, sent = _draft(client), _draft(client)
    client.post(f"{COMMANDES}/{sent['id']}/envoyer")
    cancelled = client.post(f"{COMMANDES}/{draft['id']}/annuler")
    assert cancelled.status_code == 200 and cancelled.json()["statut"] == "annulee" and cancelled.json()["annulee_le"]
    refused = client.post(f"{COMMANDES}/{sent['id']}/annuler")
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        f"La commande {sent['numero']} est envoyée : impossible de l'annuler (seul un brouillon s'annule).")
    for path in ("envoyer", "annuler", "recevoir"):
        body = {"lignes": [{"code_produit": "CORD-012", "quantite": 1}]} if path == "recevoir" else None
        assert client.post(f"{COMMANDES}/{draft['id']}/{path}", json=body).status_code == 409
    early = _draft(client)
    answer = client.post(f"{COMMANDES}/{early['id']}/recevoir", json={"lignes": [{"code_produit": "CORD-012",
                                                                                  "quantite": 1}]})
    assert answer.status_code == 409 and "envoyez-la d'abord" in answer.json()["detail"]
    assert client.get(f"{COMMANDES}/{sent['id']}").json()["statut"] == "envoyee"


def test_bad_orders_are_refused_in_french_with_nothing_written(client, db_session):
    workshop, cord, felt = _shop(db_session)
    archived = make_product(db_session, code_produit="VIEUX-1", actif=False)
    make_technician(db_session, nom="Allan")
    db_session.commit()
    before = database_state(db_session)
    line = {"code_produit": "CORD-012", "quantite": 1, "prix_unitaire": 1}
    cases = [
        ({"atelier": "Inconnu"}, 404, "Atelier inconnu : « Inconnu »."),
        ({"atelier": "Allan"}, 404, "Atelier inconnu : « Allan »."),  # a van is not a workshop
        ({"lignes": [line, line]}, 409, "« CORD-012 » figure deux fois dans la commande : une ligne par produit."),
        ({"lignes": [{**line, "code_produit": "VIEUX-1"}]}, 409,
         "Le produit « VIEUX-1 » est archivé : il ne peut plus être commandé."),
        ({"lignes": [{**line, "quantite": 0.5}]}, 409, None),  # whole spools
        ({"lignes": [{**line, "code_produit": "NOPE"}]}, 404, None),
        ({"lignes": []}, 422, None),
        ({"lignes": [{**line, "prix_unitaire": -1}]}, 422, None),
        ({"lignes": [{**line, "quantite": "2"}]}, 422, None),
        ({"fournisseur": "  "}, 422, None),
    ]
    for change, status, detail in cases:
        body = {"fournisseur": "Röslau", "atelier": "Atelier", "lignes": [line], **change}
        answer = client.post(COMMANDES, json=body)
        assert answer.status_code == status, (change, answer.text)
        if detail:
            assert answer.json()["detail"] == detail
    assert client.get(f"{COMMANDES}/999999").json()["detail"] == "Commande inconnue : n° 999999."
    assert database_state(db_session) == before
    assert archived.actif is False and workshop and cord and felt


def test_only_the_office_and_idempotent_writes(client, anon_client, db_session):
    _shop(db_session)
    allan = make_technician(db_session, nom="Allan")
    phone = bearer(make_token(db_session, "technicien", technician=allan))
    assert anon_client.get(COMMANDES, headers=phone).status_code == 403
    assert anon_client.get(f"{COMMANDES}/suggestion", params={"atelier": "Atelier"}, headers=phone).status_code == 403
    body = {"fournisseur": "Röslau", "atelier": "Atelier",
            "lignes": [{"code_produit": "CORD-012", "quantite": 3, "prix_unitaire": 18.5}]}
    assert anon_client.post(COMMANDES, json=body, headers=phone).status_code == 403
    key = {"Idempotency-Key": "commande-1"}
    first, again = client.post(COMMANDES, json=body, headers=key), client.post(COMMANDES, json=body, headers=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert len(client.get(COMMANDES).json()) == 1
    oid = first.json()["id"]
    client.post(f"{COMMANDES}/{oid}/envoyer")
    received = {"lignes": [{"code_produit": "CORD-012", "quantite": 2}]}
    key = {"Idempotency-Key": "reception-1"}
    one = client.post(f"{COMMANDES}/{oid}/recevoir", json=received, headers=key)
    two = client.post(f"{COMMANDES}/{oid}/recevoir", json=received, headers=key)  # a retried request
    assert one.status_code == two.status_code == 200 and one.json() == two.json()
    assert balance_of(db_session, "Atelier", "CORD-012") == 4  # 2 + 2, once
