"""A use made offline and replayed from the phone's outbox: a fact, written once, its missing part an
open shortfall the office sees and a count settles; a use typed online keeps its 409."""

from __future__ import annotations

import html
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from inventaire.deductions import overview
from inventaire.stock.models import Transaction
from tests.helpers import balance_of, database_state, make_line, make_product, make_technician

HX = {"HX-Request": "true"}
USE = {"sens": "utilisation", "quantite": "3", "reference": "RDV-88", "hors_ligne": "2026-12-07T12:52:00.000Z"}


@pytest.fixture
def van(db_session):
    allan = make_technician(db_session, nom="Allan")
    cord = make_product(db_session, code_produit="CORD-012", nom_produit="Corde no 12", unite="bobine", divisible=False)
    make_line(db_session, allan, cord, 1)
    db_session.commit()
    return allan


def _post(pages, key, data, path="/stock/Allan/CORD-012/ajuster"):
    return pages.post(path, headers={**HX, "X-CSRF-Token": pages.csrf, "Idempotency-Key": key}, data=data)


def _rows(db_session):
    return db_session.scalar(select(func.count(Transaction.id)))


def test_a_late_use_beyond_the_stock_takes_what_is_there_and_opens_a_shortfall(pages, van, db_session):
    before = _rows(db_session)
    key = str(uuid.uuid4())
    response = _post(pages, key, USE)
    assert response.status_code == 200, response.text
    said = html.unescape(response.text).replace("\u00a0", " ")
    assert "Enregistré (fait hors ligne) : utilisation de 3 bobines." in said
    assert "n'en avait que 1 bobine : manque de 2 bobines signalé au bureau" in said
    assert balance_of(db_session, "Allan", "CORD-012") == 0
    entry = db_session.scalar(select(Transaction).order_by(Transaction.id.desc()))
    assert (entry.type, entry.ajustement, entry.reference) == ("utilisation", -1, "Hors ligne")
    assert _rows(db_session) == before + 1
    (short,) = overview.open_shortfalls(db_session=db_session)
    assert (short.technicien.nom, short.produit.code_produit, short.manque) == ("Allan", "CORD-012", 2)
    office = pages.get("/deductions").text
    assert "CORD-012" in office.split('id="manques"')[1].split("</table>")[0]

    # The same outbox sent again: the first answer, nothing written.
    state = database_state(db_session)
    again = _post(pages, key, USE)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert database_state(db_session) == state

    # A count of the line settles the shortfall: the shelf was counted as it is.
    count = pages.post("/stock/Allan/CORD-012/compter", headers={**HX, "X-CSRF-Token": pages.csrf},
                       data={"quantite": "0", "quantite_vue": "0"})
    assert count.status_code == 200, count.text
    db_session.expire_all()
    assert overview.open_shortfalls(db_session=db_session) == []


def test_a_late_use_the_van_covers_is_an_ordinary_use(pages, van, db_session):
    response = _post(pages, str(uuid.uuid4()), {**USE, "quantite": "1"})
    assert response.status_code == 200, response.text
    assert balance_of(db_session, "Allan", "CORD-012") == 0
    entry = db_session.scalar(select(Transaction).order_by(Transaction.id.desc()))
    assert (entry.ajustement, entry.reference) == (-1, "RDV-88")
    assert overview.open_shortfalls(db_session=db_session) == []


def test_a_use_typed_online_keeps_its_409(pages, van, db_session):
    state = database_state(db_session)
    online = {k: v for k, v in USE.items() if k != "hors_ligne"}
    response = _post(pages, str(uuid.uuid4()), online)
    assert response.status_code == 409
    assert "Stock insuffisant" in response.text
    assert database_state(db_session) == state


def test_a_late_use_with_a_bad_amount_changes_nothing(pages, van, db_session):
    state = database_state(db_session)
    response = _post(pages, str(uuid.uuid4()), {**USE, "quantite": "1,5"})  # bobines are not divisible
    assert response.status_code == 409, response.text
    assert database_state(db_session) == state
    assert balance_of(db_session, "Allan", "CORD-012") == Decimal(1)
