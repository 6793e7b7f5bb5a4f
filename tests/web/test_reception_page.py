"""The phone page's first reception of a product the van does not carry yet."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from inventaire.stock.models import StockLine, Transaction
from tests.helpers import database_state, log_in, make_line, make_product, make_technician, make_token

RECEIVE = "/stock/Allan/recevoir"


@pytest.fixture
def van(db_session):
    allan = make_technician(db_session, nom="Allan")
    cord = make_product(db_session, code_produit="CORD-012", nom_produit="Corde no 12", unite="bobine")
    make_product(db_session, code_produit="CORY-P", nom_produit="Poli Cory", unite="flacon")
    make_product(db_session, code_produit="VIEUX-1", nom_produit="Produit retiré", actif=False)
    make_line(db_session, allan, cord, 3)
    db_session.commit()
    return allan


def _form(pages, **values) -> dict:
    """The page's own form: its CSRF token and one-time key, and the values typed."""
    html = pages.get("/stock/Allan").text
    key = re.search(r'name="cle" value="([^"]+)"', html).group(1)
    return {"csrf": pages.csrf, "cle": key, "code_produit": "CORY-P", "quantite": "2", "reference": "", **values}


def test_the_form_offers_only_active_products_not_in_the_van(pages, van):
    html = pages.get("/stock/Allan").text
    offered = re.findall(r'<option value="([^"]+)"', html[html.index('id="reception"'):])
    assert offered == ["CORY-P"]  # not CORD-012 (carried), not VIEUX-1 (archived)
    assert 'action="/stock/Allan/recevoir#reception"' in html and 'name="csrf"' in html


def test_first_reception_creates_the_line_and_its_ledger_row(pages, van, db_session):
    response = pages.post(RECEIVE, data=_form(pages, quantite="2,5", reference="BL-2211"), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/stock/Allan#ligne-CORY-P"
    db_session.expire_all()
    line = db_session.scalar(select(StockLine).where(StockLine.produit.has(code_produit="CORY-P")))
    assert line.quantite == Decimal("2.5")
    entry = db_session.scalar(select(Transaction).where(Transaction.stock_line_id == line.id))
    assert (entry.type, entry.ajustement, entry.quantite_avant, entry.reference, entry.auteur) == (
        "reception", Decimal("2.5"), 0, "BL-2211", "bureau")
    page = pages.get("/stock/Allan").text
    assert 'id="ligne-CORY-P"' in page


def test_the_same_form_sent_twice_records_one_reception(pages, van, db_session):
    form = _form(pages)
    first = pages.post(RECEIVE, data=form, follow_redirects=False)
    before = database_state(db_session)
    again = pages.post(RECEIVE, data=form, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert database_state(db_session) == before


@pytest.mark.parametrize(("values", "message"), [
    ({"quantite": "abc"}, "Quantité : un nombre plus grand que zéro"),
    ({"quantite": "0"}, "Quantité : un nombre plus grand que zéro"),
    ({"quantite": "-2"}, "Quantité : un nombre plus grand que zéro"),
    ({"quantite": ""}, "Quantité : un nombre plus grand que zéro"),
    ({"quantite": "1,2345"}, "Quantité :"),  # more than 3 decimals
    ({"code_produit": ""}, "choisissez le produit reçu"),
    ({"code_produit": "INCONNU-9"}, "pas au catalogue"),
    ({"code_produit": "VIEUX-1"}, "archivé"),
])
def test_a_refused_reception_says_why_in_french_and_writes_nothing(pages, van, db_session, values, message):
    form = _form(pages, **values)
    before = database_state(db_session)
    response = pages.post(RECEIVE, data=form, follow_redirects=False)
    assert response.status_code == 422
    assert message in response.text and 'role="alert"' in response.text
    assert 'id="reception"' in response.text  # the page again, the form with the values typed
    assert database_state(db_session) == before


def test_without_the_csrf_token_nothing_is_received(pages, van, db_session):
    form = _form(pages)
    del form["csrf"]
    before = database_state(db_session)
    assert pages.post(RECEIVE, data=form, follow_redirects=False).status_code == 403
    assert database_state(db_session) == before


def test_a_technician_receives_into_their_own_van_only(app, van, db_session):
    from fastapi.testclient import TestClient

    nicolas = make_technician(db_session, nom="Nicolas")
    token = make_token(db_session, "technicien", technician=nicolas)
    with TestClient(app, raise_server_exceptions=False) as client:
        csrf = log_in(client, token)
        before = database_state(db_session)
        refused = client.post(RECEIVE, data={"csrf": csrf, "code_produit": "CORY-P", "quantite": "1"},
                              follow_redirects=False)
        assert refused.status_code == 403
        assert database_state(db_session) == before


@pytest.mark.parametrize(("typed", "expected"), [("cory-p", "CORY-P"), ("poli", "CORY-P"), ("CORY-P — Poli Cory", "CORY-P")])
def test_the_product_is_found_from_its_code_in_any_case_or_words_of_its_name(pages, van, db_session, typed, expected):
    response = pages.post(RECEIVE, data=_form(pages, code_produit=typed), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"#ligne-{expected}")


def test_words_matching_several_products_are_refused_with_the_candidates(pages, van, db_session):
    make_product(db_session, code_produit="CORY-N", nom_produit="Nettoyant Cory", unite="flacon")
    db_session.commit()
    before = database_state(db_session)
    response = pages.post(RECEIVE, data=_form(pages, code_produit="cory"), follow_redirects=False)
    assert response.status_code == 422
    assert "plusieurs produits correspondent à «\u00a0cory\u00a0» (CORY-N, CORY-P)" in response.text
    assert 'value="cory"' in response.text  # what was typed is kept
    assert database_state(db_session) == before
