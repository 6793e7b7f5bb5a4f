"""The phone page: lines, saving a use, a reception or a count, and failures shown, never hidden."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from inventaire.stock.models import StockLine, Transaction
from tests.helpers import error_header, log_in, make_line, make_product, make_technician, make_token

HX = {"HX-Request": "true"}


@pytest.fixture
def van(db_session):
    allan = make_technician(db_session, nom="Allan")
    cord = make_product(db_session, code_produit="CORD-012", nom_produit="Corde no 12", unite="bobine",
                        seuil_reorder=Decimal(2))
    felt = make_product(db_session, code_produit="FEUT-ETOUF", nom_produit="Feutre", unite="m")
    make_line(db_session, allan, cord, 3)
    make_line(db_session, allan, felt, Decimal("1.5"))
    db_session.commit()
    return allan


def _line(db_session, code):
    db_session.expire_all()
    return db_session.scalar(select(StockLine).join(StockLine.produit).where(StockLine.produit.has(code_produit=code)))


def _ledger_count(db_session):
    return db_session.scalar(select(func.count(Transaction.id)))


def test_phone_page_lists_lines_with_big_buttons(pages, van):
    html = pages.get("/stock/allan").text
    assert "Stock — Allan" in html
    assert html.count('class="pas moins"') == 2 and html.count('class="pas plus"') == 2
    assert 'hx-post="/stock/Allan/CORD-012/ajuster"' in html
    assert 'class="compter"' in html and "1,5" in html
    assert "/static/stock.js" in html


def test_use_one_part_answers_with_the_new_line(pages, van, db_session):
    before = _ledger_count(db_session)
    response = pages.post("/stock/Allan/CORD-012/ajuster", headers={**HX, "X-CSRF-Token": pages.csrf},
                          data={"sens": "utilisation", "quantite": "1", "reference": "RDV-4411"})
    assert response.status_code == 200
    assert '<output class="valeur" aria-live="polite">2</output>' in response.text
    assert "Enregistré : utilisation de 1 bobine. Quantité : 2." in response.text
    assert 'id="derniers"' in response.text and 'hx-swap-oob="true"' in response.text
    assert _line(db_session, "CORD-012").quantite == 2
    entry = db_session.scalar(select(Transaction).order_by(Transaction.id.desc()))
    assert (entry.type, entry.ajustement, entry.reference, entry.auteur) == ("utilisation", -1, "RDV-4411", "bureau")
    assert _ledger_count(db_session) == before + 1


def test_reception_with_a_decimal_comma(pages, van, db_session):
    response = pages.post("/stock/Allan/FEUT-ETOUF/ajuster", headers={**HX, "X-CSRF-Token": pages.csrf},
                          data={"sens": "reception", "quantite": "0,5"})
    assert response.status_code == 200 and ">2</output>" in response.text
    assert _line(db_session, "FEUT-ETOUF").quantite == Decimal("2.000")


def test_overdraw_is_a_409_with_the_french_reason_and_nothing_changes(pages, van, db_session):
    before = _ledger_count(db_session)
    response = pages.post("/stock/Allan/CORD-012/ajuster", headers={**HX, "X-CSRF-Token": pages.csrf},
                          data={"sens": "utilisation", "quantite": "5"})
    assert response.status_code == 409
    assert "Stock insuffisant : Allan a 3 bobines de «\u00a0CORD-012\u00a0», impossible de retirer 5." in response.text
    assert ">3</output>" in response.text  # the line as stored, unchanged
    assert _line(db_session, "CORD-012").quantite == 3 and _ledger_count(db_session) == before


@pytest.mark.parametrize("data, message", [
    ({"sens": "utilisation", "quantite": "abc"}, "un nombre plus grand que zéro"),
    ({"sens": "utilisation", "quantite": "0"}, "un nombre plus grand que zéro"),
    ({"sens": "utilisation", "quantite": "-2"}, "un nombre plus grand que zéro"),
    ({"sens": "utilisation", "quantite": "1,2345"}, "Quantité : au plus 3 décimales."),
    ({"sens": "vol", "quantite": "1"}, "Choisissez − (utilisation) ou + (réception)."),
    ({"sens": "utilisation", "quantite": "1", "reference": "x" * 121}, "Référence : trop long"),
])
def test_bad_input_is_a_422_in_french_and_nothing_changes(pages, van, db_session, data, message):
    before = _ledger_count(db_session)
    response = pages.post("/stock/Allan/CORD-012/ajuster", headers={**HX, "X-CSRF-Token": pages.csrf}, data=data)
    assert response.status_code == 422
    assert message in response.text
    assert _line(db_session, "CORD-012").quantite == 3 and _ledger_count(db_session) == before


def test_count_records_the_difference(pages, van, db_session):
    response = pages.post("/stock/Allan/CORD-012/compter", headers={**HX, "X-CSRF-Token": pages.csrf},
                          data={"quantite": "5", "quantite_vue": "3.000"})
    assert response.status_code == 200 and "Comptage enregistré : 5 bobines (écart +2)." in response.text
    entry = db_session.scalar(select(Transaction).order_by(Transaction.id.desc()))
    assert (entry.type, entry.ajustement, entry.quantite_apres) == ("comptage", 2, 5)


def test_count_refused_when_the_line_changed_meanwhile(pages, client, van, db_session):
    client.post("/inventaire/stock/ajuster", json={
        "technicien": "Allan", "code_produit": "CORD-012", "ajustement": -1, "type": "utilisation"})
    before = _ledger_count(db_session)
    response = pages.post("/stock/Allan/CORD-012/compter", headers={**HX, "X-CSRF-Token": pages.csrf},
                          data={"quantite": "7", "quantite_vue": "3"})
    assert response.status_code == 409 and "a changé depuis votre lecture" in response.text
    assert ">2</output>" in response.text
    assert _ledger_count(db_session) == before


def test_count_needs_a_quantity(pages, van, db_session):
    response = pages.post("/stock/Allan/CORD-012/compter", headers={**HX, "X-CSRF-Token": pages.csrf},
                          data={"quantite": " ", "quantite_vue": "3"})
    assert response.status_code == 422 and "Quantité : champ obligatoire." in response.text


def test_line_shows_the_checks_verdict(pages, van, db_session):
    html = pages.get("/stock/Allan").text
    assert 'class="ligne bas_stock" id="ligne-FEUT-ETOUF"' in html  # 1.5 <= default 5
    assert 'class="ligne " id="ligne-CORD-012"' in html  # 3 > 2
    response = pages.post("/stock/Allan/CORD-012/ajuster", headers={**HX, "X-CSRF-Token": pages.csrf},
                          data={"sens": "utilisation", "quantite": "3"})
    assert 'class="ligne critique"' in response.text


def test_technician_changes_only_their_own_stock(anonymous, van, db_session):
    nicolas = make_technician(db_session, nom="Nicolas")
    db_session.commit()
    csrf = log_in(anonymous, make_token(db_session, "technicien", technician=nicolas))
    response = anonymous.post("/stock/Allan/CORD-012/ajuster", headers={**HX, "X-CSRF-Token": csrf},
                              data={"sens": "utilisation", "quantite": "1"})
    assert response.status_code == 403 and "propre stock" in error_header(response)
    assert _line(db_session, "CORD-012").quantite == 3


def test_unknown_technician_or_product(pages, van):
    assert pages.get("/stock/Personne").status_code == 404
    response = pages.post("/stock/Allan/NOPE-1/ajuster", headers={**HX, "X-CSRF-Token": pages.csrf},
                          data={"sens": "utilisation", "quantite": "1"})
    assert response.status_code == 404


def test_stock_index_for_the_office(pages, van):
    html = pages.get("/stock").text
    assert 'href="/stock/Allan"' in html and "1 alerte" in html


def test_a_retry_with_the_same_key_is_not_counted_twice(pages, van, db_session):
    headers = {**HX, "X-CSRF-Token": pages.csrf, "Idempotency-Key": "cle-essai-1"}
    data = {"sens": "utilisation", "quantite": "1"}
    first = pages.post("/stock/Allan/CORD-012/ajuster", headers=headers, data=data)
    before = _ledger_count(db_session)
    again = pages.post("/stock/Allan/CORD-012/ajuster", headers=headers, data=data)
    assert first.status_code == again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true" and again.text == first.text
    assert _line(db_session, "CORD-012").quantite == 2 and _ledger_count(db_session) == before
    other = pages.post("/stock/Allan/CORD-012/ajuster", headers=headers, data={**data, "quantite": "2"})
    assert other.status_code == 422 and "déjà servi" in error_header(other)
    assert _line(db_session, "CORD-012").quantite == 2


def test_a_refused_change_frees_its_key(pages, van, db_session):
    headers = {**HX, "X-CSRF-Token": pages.csrf, "Idempotency-Key": "cle-essai-2"}
    refused = pages.post("/stock/Allan/CORD-012/ajuster", headers=headers, data={"sens": "utilisation", "quantite": "9"})
    assert refused.status_code == 409
    ok = pages.post("/stock/Allan/CORD-012/ajuster", headers={**headers, "Idempotency-Key": "cle-essai-3"},
                    data={"sens": "utilisation", "quantite": "1"})
    assert ok.status_code == 200
    retried = pages.post("/stock/Allan/CORD-012/ajuster", headers=headers, data={"sens": "utilisation", "quantite": "9"})
    assert retried.status_code == 409 and "idempotent-replayed" not in retried.headers


def test_a_deactivated_technician_is_logged_out(anonymous, van, db_session):
    log_in(anonymous, make_token(db_session, "technicien", technician=van))
    assert anonymous.get("/stock/Allan").status_code == 200
    van.actif = False
    db_session.commit()
    assert anonymous.get("/stock/Allan", follow_redirects=False).status_code == 303
