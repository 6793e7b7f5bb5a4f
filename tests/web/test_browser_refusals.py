"""Issue 25 point 2, in Chromium: the dashboard's poll never wipes a request being acted on, nor a
refusal the person has not read (it waits for « Compris »)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from inventaire.demandes import service as demandes
from tests.helpers import browser_page, make_line, make_product, make_technician, make_workshop

pytestmark = pytest.mark.browser
POLLS = 12_000  # more than two polls of the dashboard (every 5 s)


@pytest.fixture
def office(browser, server):
    with server.session() as s:
        allan, workshop = make_technician(s, nom="Allan"), make_workshop(s, nom="Atelier")
        felt = make_product(s, code_produit="FEUT-01", nom_produit="Feutre rouge", unite="m")
        make_line(s, workshop, felt, 1)
        demandes.create(db_session=s, technician=allan, product=felt, quantity=Decimal(2), note=None, auteur="Allan")
    context, page = browser_page(browser, server, server.admin_token)
    yield page
    context.close()


def test_a_refused_serve_stays_with_what_was_typed_until_read(office, server):
    office.goto("/")
    card = office.locator("article.demande-bureau").first
    card.locator("input[name=quantite]").fill("5")
    card.get_by_role("button", name="Servir").click()
    alert = card.locator("p.erreur[role=alert]")
    alert.wait_for()
    assert "Stock insuffisant : Atelier a 1 m de «\u00a0FEUT-01\u00a0», impossible de retirer 5." in alert.inner_text()
    # Another van asks meanwhile: the list would change, but the poll waits while the refusal is unread.
    with server.client() as api:
        assert api.post("/inventaire/demandes", json={"technicien": "Allan", "code_produit": "FEUT-01",
                                                      "quantite": 1}).status_code == 201
    office.wait_for_timeout(POLLS)
    assert alert.is_visible() and card.locator("input[name=quantite]").input_value() == "5"
    assert office.locator("article.demande-bureau").count() == 1
    card.get_by_role("button", name="Compris").click()
    office.locator("article.demande-bureau").nth(1).wait_for(timeout=POLLS)  # the poll goes on
    assert office.locator("p.erreur[role=alert]").count() == 0
    assert [p for p in office.problems if "409 (Conflict)" not in p] == []  # the refusal itself


def test_the_poll_does_not_replace_a_request_being_filled(office):
    office.goto("/")
    card = office.locator("article.demande-bureau").first
    card.locator("input[name=motif]").fill("En commande")
    office.locator("h1").first.click()  # the field is left, its value still typed
    office.wait_for_timeout(POLLS)
    assert card.locator("input[name=motif]").input_value() == "En commande"
    assert not office.problems
