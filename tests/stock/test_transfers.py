"""Transfers between a workshop and a van: two linked rows in one transaction, nothing when short,
idempotent, and no deadlock when opposite transfers race (both databases, real server)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from sqlalchemy import func, select

from inventaire.auth import service as auth_service
from inventaire.stock.ledger import ledger_sum
from inventaire.stock.models import StockLine, Transaction
from tests.helpers import bearer, database_state, make_line, make_product, make_technician, make_workshop, start_together

TRANSFER = "/inventaire/stock/transferer"
BODY = {"de": "Atelier", "vers": "Allan", "code_produit": "CORD-012", "quantite": 3, "motif": None}


def _setup(db_session, atelier=10, allan=None):
    workshop = make_workshop(db_session, nom="Atelier")
    van = make_technician(db_session, nom="Allan")
    part = make_product(db_session, code_produit="CORD-012", unite="bobine")
    make_line(db_session, workshop, part, atelier)
    if allan is not None:
        make_line(db_session, van, part, allan)
    db_session.commit()
    return workshop, van, part


def _company_total(db_session, part) -> Decimal:
    db_session.expire_all()
    return db_session.scalar(select(func.sum(StockLine.quantite)).where(StockLine.produit_id == part.id))


def test_transfer_answers_two_linked_rows(client, db_session):
    _, _, part = _setup(db_session)
    before = _company_total(db_session, part)
    response = client.post(TRANSFER, json=BODY)
    assert response.status_code == 201, response.text
    sortie, entree = response.json()["sortie"], response.json()["entree"]
    assert (sortie["technicien"], sortie["type"], sortie["ajustement"], sortie["quantite_avant"],
            sortie["quantite_apres"]) == ("Atelier", "transfert", -3, 10, 7)
    assert (entree["technicien"], entree["type"], entree["ajustement"], entree["quantite_avant"],
            entree["quantite_apres"]) == ("Allan", "transfert", 3, 0, 3)  # the van's line is created
    db_session.expire_all()
    assert db_session.get(Transaction, entree["id"]).transfert_de_id == sortie["id"]  # the rows are linked
    assert db_session.get(Transaction, sortie["id"]).transfert_de_id is None
    assert (sortie["motif"], entree["motif"]) == ("Transfert vers Allan", "Transfert depuis Atelier")
    assert sortie["auteur"] == entree["auteur"] == "bureau"
    assert sortie["created_at"] == entree["created_at"]
    assert _company_total(db_session, part) == before
    ledger = client.get("/inventaire/transactions", params={"type": "transfert"}).json()
    assert ledger["total"] == 2
    back = client.post(TRANSFER, json={**BODY, "de": "allan", "vers": "ATELIER", "quantite": 1.5,
                                       "motif": "Retour au dépôt"})
    assert back.status_code == 201 and back.json()["entree"]["quantite_apres"] == 8.5
    assert back.json()["sortie"]["motif"] == "Retour au dépôt"


def test_short_source_is_409_and_nothing_written(client, db_session):
    _setup(db_session, atelier=2)
    before = database_state(db_session)
    short = client.post(TRANSFER, json=BODY)
    assert short.status_code == 409
    assert short.json()["detail"] == (
        "Stock insuffisant : Atelier a 2 bobines de « CORD-012 », impossible de retirer 3.")
    absent = client.post(TRANSFER, json={**BODY, "de": "Allan", "vers": "Atelier"})
    assert absent.status_code == 409
    assert absent.json()["detail"] == "Stock insuffisant : Allan n'a pas de « CORD-012 » en stock."
    assert database_state(db_session) == before


def test_bad_transfers_are_refused_in_french_and_write_nothing(client, db_session):
    _setup(db_session)
    before = database_state(db_session)
    cases = [
        ({**BODY, "de": "Personne"}, 404, "Technicien inconnu : « Personne »."),
        ({**BODY, "code_produit": "NOPE-1"}, 404, None),
        ({**BODY, "vers": "atelier"}, 409, "Un transfert va d'un emplacement à un autre"),
        ({**BODY, "quantite": 0}, 422, "La quantité à transférer doit être positive."),
        ({**BODY, "quantite": -1}, 422, None),
        ({**BODY, "quantite": "3"}, 422, None),
        ({k: v for k, v in BODY.items() if k != "vers"}, 422, None),
    ]
    for body, status, message in cases:
        response = client.post(TRANSFER, json=body)
        assert response.status_code == status, (body, response.text)
        if message:
            assert message in str(response.json()["detail"])
    assert database_state(db_session) == before


def test_only_the_office_transfers(anon_client, db_session):
    _, van, _ = _setup(db_session, allan=5)
    raw, _ = auth_service.create_token(db_session=db_session, role="technicien", technician=van)
    db_session.commit()
    assert anon_client.post(TRANSFER, json=BODY, headers=bearer(raw)).status_code == 403
    assert anon_client.post(TRANSFER, json=BODY).status_code == 401


def test_a_key_replays_the_transfer(client, db_session):
    _setup(db_session)
    first = client.post(TRANSFER, json=BODY, headers={"Idempotency-Key": "t-1"})
    again = client.post(TRANSFER, json=BODY, headers={"Idempotency-Key": "t-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers.get("idempotent-replayed") == "true"
    db_session.expire_all()
    assert db_session.scalar(select(func.count(Transaction.id)).where(Transaction.type == "transfert")) == 2


def test_opposite_transfers_race_without_deadlock(server):
    """12 threads × 10 transfers, half from the workshop to the van, half back: all 2xx, total unchanged."""
    with server.session() as s:
        workshop, van = make_workshop(s, nom="Atelier"), make_technician(s, nom="Allan")
        part = make_product(s, code_produit="CORD-012")
        make_line(s, workshop, part, 100)
        make_line(s, van, part, 100)

    def ten(client, i):
        body = BODY if i % 2 else {**BODY, "de": "Allan", "vers": "Atelier"}
        return [client.post(TRANSFER, json={**body, "quantite": 1 + n % 3}).status_code for n in range(10)]

    codes = [code for batch in start_together(server, 12, ten) for code in batch]
    assert codes == [201] * 120
    with server.session() as s:
        lines = list(s.scalars(select(StockLine)))
        assert sum(line.quantite for line in lines) == 200
        assert all(ledger_sum(db_session=s, line=line) == line.quantite for line in lines)
        assert s.scalar(select(func.count(Transaction.id)).where(Transaction.type == "transfert")) == 240
        assert {line.quantite for line in lines} == {Decimal(100)}  # six each way, same amounts


def test_racing_retries_with_one_key_transfer_once(server):
    with server.session() as s:
        workshop = make_workshop(s, nom="Atelier")
        make_technician(s, nom="Allan")
        make_line(s, workshop, make_product(s, code_produit="CORD-012"), 50)
    threads = 8
    barrier = threading.Barrier(threads)

    def send(key):
        with server.client() as client:
            barrier.wait(timeout=30)
            response = client.post(TRANSFER, json=BODY, headers={"Idempotency-Key": key})
            return response.status_code, response.content

    for n in range(3):
        with ThreadPoolExecutor(threads) as pool:
            answers = list(pool.map(send, [f"transfert-{n}"] * threads))
        assert {a for a in answers} == {answers[0]} and answers[0][0] == 201, answers
    with server.session() as s:
        assert s.scalar(select(func.count(Transaction.id)).where(Transaction.type == "transfert")) == 6
        assert sorted(s.scalars(select(StockLine.quantite))) == [Decimal(9), Decimal(41)]
