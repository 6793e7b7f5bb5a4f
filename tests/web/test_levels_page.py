"""The office sets a line's own threshold and refill level from the van's page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from inventaire.stock.models import StockLine
from tests.helpers import database_state, log_in, make_line, make_product, make_technician, make_token

LEVELS = "/stock/Allan/CORD-012/niveaux"


@pytest.fixture
def van(db_session):
    allan = make_technician(db_session, nom="Allan")
    cord = make_product(db_session, code_produit="CORD-012", nom_produit="Corde no 12", unite="bobine",
                        seuil_reorder=Decimal(2))
    make_line(db_session, allan, cord, 3)
    db_session.commit()
    return allan


def _line(db_session) -> StockLine:
    db_session.expire_all()
    return db_session.scalar(select(StockLine))


def test_the_office_sees_the_levels_form_on_each_line(pages, van):
    html = pages.get("/stock/Allan").text
    assert f'action="{LEVELS}#ligne-CORD-012"' in html and "Seuil et niveau de remplissage" in html


def test_setting_then_clearing_the_levels(pages, van, db_session):
    response = pages.post(LEVELS, data={"csrf": pages.csrf, "seuil_min": "4", "niveau_par": "12,5"})
    assert response.status_code == 200
    assert "Niveaux enregistrés : seuil 4, niveau de remplissage 12,5." in response.text
    assert "seuil 4</span>" in response.text  # the line now shows its own threshold
    line = _line(db_session)
    assert (line.seuil_min, line.niveau_par) == (Decimal(4), Decimal("12.5"))
    cleared = pages.post(LEVELS, data={"csrf": pages.csrf, "seuil_min": "", "niveau_par": ""})
    assert "ceux du produit s&#39;appliquent" in cleared.text and "seuil 2</span>" in cleared.text
    line = _line(db_session)
    assert (line.seuil_min, line.niveau_par) == (None, None)


@pytest.mark.parametrize("values", [
    {"seuil_min": "-1", "niveau_par": ""},
    {"seuil_min": "abc", "niveau_par": ""},
    {"seuil_min": "", "niveau_par": "1,23456"},
])
def test_refused_levels_are_shown_on_the_line_and_change_nothing(pages, van, db_session, values):
    before = database_state(db_session)
    response = pages.post(LEVELS, data={"csrf": pages.csrf, **values})
    assert response.status_code == 422
    assert 'role="alert"' in response.text and ("Seuil :" in response.text or "Niveau de remplissage :" in response.text)
    assert database_state(db_session) == before


def test_a_technician_cannot_set_levels(app, van, db_session):
    token = make_token(db_session, "technicien", technician=van)
    with TestClient(app, raise_server_exceptions=False) as client:
        csrf = log_in(client, token)
        assert "Seuil et niveau de remplissage" not in client.get("/stock/Allan").text
        before = database_state(db_session)
        assert client.post(LEVELS, data={"csrf": csrf, "seuil_min": "9"}).status_code == 403
        assert database_state(db_session) == before
