"""A workshop's page: the van's page over a workshop (lines, thresholds, par levels, counts, receptions,
history, chart), listed beside the vans; a workshop added from the pages."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from inventaire.stock.models import StockLine, Transaction
from tests.helpers import database_state, make_line, make_product, make_technician, make_workshop

HX = {"HX-Request": "true"}


@pytest.fixture
def workshop(db_session):
    make_technician(db_session, nom="Allan")
    atelier = make_workshop(db_session, nom="Atelier")
    cord = make_product(db_session, code_produit="CORD-012", nom_produit="Corde no 12", unite="bobine",
                        seuil_reorder=Decimal(10))
    felt = make_product(db_session, code_produit="FEUT-01", nom_produit="Feutre", unite="m")
    make_product(db_session, code_produit="MART-01", nom_produit="Marteau", unite="unité")
    make_line(db_session, atelier, cord, 4, niveau_par=Decimal(40))
    make_line(db_session, atelier, felt, 25)
    db_session.commit()
    return atelier


def _held(db_session, code) -> Decimal:
    db_session.expire_all()
    return db_session.scalar(select(StockLine.quantite).join(StockLine.produit).join(StockLine.emplacement)
                             .where(StockLine.produit.has(code_produit=code), StockLine.emplacement.has(nom="Atelier")))


def test_the_index_lists_the_workshops_with_their_alerts(pages, workshop):
    page = html.unescape(pages.get("/stock").text)
    section = re.search(r'<section aria-labelledby="titre-ateliers".*?</section>', page, re.S).group(0)
    assert 'href="/stock/Atelier"' in section and "1 alerte" in section
    assert 'action="/ateliers"' in section


def test_the_workshop_page_is_a_van_page_without_requests(pages, workshop):
    page = html.unescape(pages.get("/stock/atelier").text)
    assert "Stock — Atelier" in page and '<span class="pastille">atelier</span>' in page
    order = re.findall(r'<li class="ligne[^"]*" id="ligne-([^"]+)"', page)
    assert order == ["CORD-012", "FEUT-01"]  # in alert first
    assert "seuil 10</span>" in page and "par 40</span>" in page
    assert 'hx-post="/stock/Atelier/CORD-012/ajuster"' in page and 'hx-post="/stock/Atelier/CORD-012/compter"' in page
    assert 'action="/stock/Atelier/CORD-012/niveaux#ligne-CORD-012"' in page
    assert 'action="/stock/Atelier/recevoir#reception"' in page
    assert 'href="/stock/Atelier/historique"' in page and 'href="/evolution?technicien=Atelier"' in page
    for absent in ('class="demander"', 'id="demandes"', "Déduit aujourd'hui", "Liste de préparation",
                   "Demander un produit absent"):
        assert absent not in page, absent


def test_receptions_uses_counts_and_levels_of_a_workshop(pages, db_session, workshop):
    headers = {**HX, "X-CSRF-Token": pages.csrf}
    received = pages.post("/stock/Atelier/CORD-012/ajuster", headers=headers,
                          data={"sens": "reception", "quantite": "30", "reference": "BC-2231"})
    assert received.status_code == 200 and _held(db_session, "CORD-012") == 34
    counted = pages.post("/stock/Atelier/FEUT-01/compter", headers=headers,
                         data={"quantite": "24,5", "quantite_vue": "25"})
    assert counted.status_code == 200 and _held(db_session, "FEUT-01") == Decimal("24.5")
    levels = pages.post("/stock/Atelier/FEUT-01/niveaux", data={"csrf": pages.csrf, "seuil_min": "5",
                                                                "niveau_par": "50"})
    assert levels.status_code == 200 and "Niveaux enregistrés : seuil 5, niveau de remplissage 50." in levels.text
    first = pages.post("/stock/Atelier/recevoir", data={"csrf": pages.csrf, "cle": "", "code_produit": "MART-01",
                                                        "quantite": "6"}, follow_redirects=False)
    assert first.status_code == 303 and _held(db_session, "MART-01") == 6
    history = html.unescape(pages.get("/stock/Atelier/historique").text)
    assert "Historique — Atelier" in history and "BC-2231" in history and "5 mouvements, le plus récent d'abord" in history
    rows = db_session.scalars(select(Transaction).join(Transaction.emplacement)
                              .where(Transaction.emplacement.has(nom="Atelier"))).all()
    assert {row.auteur for row in rows if row.reference == "BC-2231"} == {"bureau"}


def test_the_chart_takes_a_workshop(pages, workshop):
    page = pages.get("/evolution", params={"technicien": "Atelier", "code_produit": "CORD-012"}).text
    assert '<optgroup label="Ateliers"><option value="Atelier" selected>Atelier</option></optgroup>' in page


def test_adding_a_workshop_from_the_pages(pages, db_session, workshop):
    added = pages.post("/ateliers", data={"csrf": pages.csrf, "nom": "  Réserve Laval "}, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == "/stock/R%C3%A9serve%20Laval"
    assert "Stock — Réserve Laval" in pages.get(added.headers["location"]).text


@pytest.mark.parametrize("nom, status, message", [
    ("allan", 409, "Le technicien «\u00a0allan\u00a0» existe déjà."),
    ("ATELIER", 409, "L'atelier «\u00a0ATELIER\u00a0» existe déjà."),
    ("", 422, "Nom : donnez un nom à l'atelier."),
    ("Atelier/Nord", 422, "Nom d'atelier"),
])
def test_a_workshop_name_refused_in_french_changes_nothing(pages, db_session, workshop, nom, status, message):
    before = database_state(db_session)
    response = pages.post("/ateliers", data={"csrf": pages.csrf, "nom": nom}, follow_redirects=False)
    assert response.status_code == status and message in html.unescape(response.text)
    assert database_state(db_session) == before
