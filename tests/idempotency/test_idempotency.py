"""Idempotency-Key on stock changes: replays, mismatches, expiry, and racing duplicates."""

import datetime as dt
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from inventaire.auth import service as auth
from inventaire.idempotency import service
from inventaire.idempotency.models import IdempotencyKey
from inventaire.kit.database import utcnow
from inventaire.stock.models import StockLine, Transaction
from tests.helpers import bearer, make_line, make_product, make_technician

USE = {"technicien": "Allan", "code_produit": "CORD-001", "ajustement": -2, "type": "utilisation",
       "motif": "Accord Yamaha U1"}


@pytest.fixture
def allan(db_session):
    tech = make_technician(db_session, nom="Allan")
    make_line(db_session, tech, make_product(db_session, code_produit="CORD-001"), 10)
    db_session.commit()
    return tech


def ledger_rows(db_session) -> int:
    return db_session.scalar(select(func.count(Transaction.id)))


def balance(db_session):
    db_session.expire_all()
    return db_session.scalar(select(StockLine.quantite))


def test_replay_returns_first_answer_and_writes_nothing(client, allan, db_session):
    first = client.post("/inventaire/stock/ajuster", json=USE, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 200
    rows = ledger_rows(db_session)
    # The same body, written differently (key order, spacing), is the same request.
    again = client.post("/inventaire/stock/ajuster", headers={"Idempotency-Key": "k-1", "Content-Type": "application/json"},
                        content=json.dumps(dict(reversed(USE.items())), indent=2))
    assert (again.status_code, again.content) == (200, first.content)
    assert again.headers["idempotent-replayed"] == "true"
    assert ledger_rows(db_session) == rows and balance(db_session) == 8


def test_count_is_idempotent_too(client, allan, db_session):
    body = {"technicien": "Allan", "code_produit": "CORD-001", "quantite": 7}
    first = client.post("/inventaire/stock/compter", json=body, headers={"Idempotency-Key": "inv-2025-12"})
    client.post("/inventaire/stock/ajuster", json=USE)  # meanwhile, a use: the replay must not undo it
    again = client.post("/inventaire/stock/compter", json=body, headers={"Idempotency-Key": "inv-2025-12"})
    assert again.json() == first.json() and first.json()["quantite_apres"] == 7
    assert balance(db_session) == 5


def test_same_key_other_body_is_422(client, allan, db_session):
    client.post("/inventaire/stock/ajuster", json=USE, headers={"Idempotency-Key": "k-2"})
    rows = ledger_rows(db_session)
    for path, body in (("/inventaire/stock/ajuster", {**USE, "ajustement": -3}),
                       ("/inventaire/stock/ajuster", {**USE, "ajustement": -2.0}),
                       ("/inventaire/stock/compter", {"technicien": "Allan", "code_produit": "CORD-001", "quantite": 1})):
        response = client.post(path, json=body, headers={"Idempotency-Key": "k-2"})
        assert response.status_code == 422, body
        assert "a déjà servi pour une autre requête" in response.json()["detail"]
    assert ledger_rows(db_session) == rows and balance(db_session) == 8


def test_without_key_every_request_counts(client, allan, db_session):
    rows = ledger_rows(db_session)
    for _ in range(2):
        assert client.post("/inventaire/stock/ajuster", json=USE).status_code == 200
    assert ledger_rows(db_session) == rows + 2


def test_keys_belong_to_their_caller(client, anon_client, allan, db_session):
    raw, _ = auth.create_token(db_session=db_session, role="technicien", technician=allan)
    db_session.commit()
    a = client.post("/inventaire/stock/ajuster", json=USE, headers={"Idempotency-Key": "same"})
    b = anon_client.post("/inventaire/stock/ajuster", json=USE, headers={"Idempotency-Key": "same", **bearer(raw)})
    assert a.json()["id"] != b.json()["id"] and b.json()["auteur"] == "Allan"
    assert balance(db_session) == 6


def test_refused_request_keeps_no_key(client, allan, db_session):
    too_much = {**USE, "ajustement": -50}
    assert client.post("/inventaire/stock/ajuster", json=too_much, headers={"Idempotency-Key": "k-3"}).status_code == 409
    assert db_session.scalar(select(func.count(IdempotencyKey.id))) == 0
    client.post("/inventaire/stock/ajuster", json={**USE, "ajustement": 50, "type": "reception"})
    retried = client.post("/inventaire/stock/ajuster", json=too_much, headers={"Idempotency-Key": "k-3"})
    assert retried.status_code == 200 and balance(db_session) == 10


@pytest.mark.parametrize("key", ["", "x" * 201, "avec espace", "clé"])
def test_malformed_key_is_422(client, allan, db_session, key):
    response = client.post("/inventaire/stock/ajuster", json=USE, headers={"Idempotency-Key": key.encode()})
    assert response.status_code == 422
    assert "Idempotency-Key" in str(response.json()["detail"])
    assert balance(db_session) == 10


def test_keys_expire_after_a_day(client, allan, db_session):
    client.post("/inventaire/stock/ajuster", json=USE, headers={"Idempotency-Key": "vieille"})
    client.post("/inventaire/stock/ajuster", json=USE, headers={"Idempotency-Key": "recente"})
    db_session.execute(IdempotencyKey.__table__.update().where(IdempotencyKey.cle == "vieille")
                       .values(created_at=utcnow() - dt.timedelta(hours=25)))
    db_session.execute(IdempotencyKey.__table__.update().where(IdempotencyKey.cle == "recente")
                       .values(created_at=utcnow() - dt.timedelta(hours=23)))
    db_session.commit()
    reused = client.post("/inventaire/stock/ajuster", json={**USE, "ajustement": -1}, headers={"Idempotency-Key": "vieille"})
    assert reused.status_code == 200 and "idempotent-replayed" not in reused.headers  # 25 h: purged
    replay = client.post("/inventaire/stock/ajuster", json=USE, headers={"Idempotency-Key": "recente"})
    assert replay.headers.get("idempotent-replayed") == "true"  # 23 h: still kept
    db_session.expire_all()
    ages = dict(db_session.execute(select(IdempotencyKey.cle, IdempotencyKey.created_at)).all())
    assert ages["vieille"] > utcnow() - dt.timedelta(minutes=1) and len(ages) == 2


def test_fingerprint_is_exact():
    fp = service.fingerprint
    assert fp(method="POST", path="/a", body=b'{"x": 1, "y": [2]}') == fp(method="POST", path="/a", body=b'{"y":[2],"x":1}')
    assert fp(method="POST", path="/a", body=b'{"x": 1}') != fp(method="POST", path="/a", body=b'{"x": 1.0}')
    assert fp(method="POST", path="/a", body=b'{"x": 1}') != fp(method="POST", path="/b", body=b'{"x": 1}')
    assert fp(method="POST", path="/a", body=b"not json") != fp(method="POST", path="/a", body=b"not json!")


def test_racing_duplicates_write_once(server):
    """Eight phones send the same change at the same instant, five times over: one row each time."""
    with server.session() as s:
        make_line(s, make_technician(s, nom="Allan"), make_product(s, code_produit="CORD-001"), 100)
    threads, rounds = 8, 5
    barrier = threading.Barrier(threads)

    def send(key):
        with server.client() as c:
            barrier.wait(timeout=30)
            r = c.post("/inventaire/stock/ajuster", json={**USE, "ajustement": -1}, headers={"Idempotency-Key": key})
            return r.status_code, r.content

    for n in range(rounds):
        with ThreadPoolExecutor(threads) as pool:
            answers = list(pool.map(send, [f"course-{n}"] * threads))
        assert {a for a in answers} == {answers[0]} and answers[0][0] == 200, answers
    with server.session() as s:
        assert s.scalar(select(func.count(Transaction.id)).where(Transaction.type == "utilisation")) == rounds
        assert s.scalar(select(StockLine.quantite)) == 100 - rounds
