"""Issue 25 point 8, in Chromium: the « Transférer » card moves stock van → workshop (returned parts),
van → van and workshop → workshop through the stock service; a refusal stays at the card with what
was typed and writes nothing; a resubmitted form moves nothing twice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.helpers import (
    balance_of,
    browser_page,
    committed,
    database_state,
    make_line,
    make_product,
    make_technician,
    make_workshop,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def office(browser, server):
    with server.session() as s:
        allan, louis = make_technician(s, nom="Allan"), make_technician(s, nom="Louis")
        atelier, annexe = make_workshop(s, nom="Atelier"), make_workshop(s, nom="Annexe")
        cord = make_product(s, code_produit="CORD-012", nom_produit="Corde no 12", unite="bobine")
        make_line(s, allan, cord, 5)
        make_line(s, atelier, cord, 10)
        del louis, annexe
    context, page = browser_page(browser, server, server.admin_token, viewport={"width": 1366, "height": 800})
    yield page
    context.close()


def _transfer(page, origin: str, target: str, quantity: str, motif: str = ""):
    page.goto(f"/stock/{origin}")
    card = page.locator("#transfert")
    card.locator("select[name=code_produit]").select_option("CORD-012")
    card.locator("select[name=vers]").select_option(target)
    card.locator("input[name=quantite]").fill(quantity)
    card.locator("input[name=motif]").fill(motif)
    with page.expect_navigation():
        card.get_by_role("button", name="Transférer").click()
    return card


def test_moves_between_any_two_places(office, server):
    card = _transfer(office, "Allan", "Atelier", "2", "Pièces rapportées")
    assert "Transféré : 2 bobines de «\u00a0CORD-012\u00a0» d'Allan vers Atelier (Atelier en a maintenant 12 bobines)." in (
        card.inner_text())
    assert "?transfert=" in office.url and office.url.endswith("#transfert")
    office.reload()  # post/redirect/get: a reload moves nothing more
    card = _transfer(office, "Allan", "Louis", "1")
    assert "d'Allan vers Louis" in card.inner_text()
    card = _transfer(office, "Atelier", "Annexe", "3")
    assert "d'Atelier vers Annexe" in card.inner_text()
    with committed(server.database_url) as s:
        held = {name: balance_of(s, name, "CORD-012") for name in ("Allan", "Louis", "Atelier", "Annexe")}
    assert held == {"Allan": 2, "Louis": 1, "Atelier": 9, "Annexe": 3}
    with server.client() as api:
        rows = api.get("/inventaire/transactions", params={"technicien": "Allan"}).json()["items"]
    assert {r["type"] for r in rows if Decimal(str(r["ajustement"])) < 0} == {"transfert"}  # not « utilisation »
    assert not office.problems


def test_the_refusal_problems_are_only_the_refusal(office):
    _transfer(office, "Allan", "Atelier", "0")
    assert "Quantité : un nombre plus grand que zéro" in office.locator("#transfert").inner_text()
    assert [p for p in office.problems if "422" not in p] == []


def test_a_refused_transfer_stays_at_the_card_with_what_was_typed(office, server):
    with committed(server.database_url) as s:
        before = database_state(s)
    card = _transfer(office, "Allan", "Atelier", "7", "Retour")
    assert office.url.endswith("/stock/Allan/transferer#transfert")
    assert "Stock insuffisant : Allan a 5 bobines de «\u00a0CORD-012\u00a0», impossible de retirer 7." in card.inner_text()
    assert card.locator("input[name=quantite]").input_value() == "7"
    assert card.locator("select[name=vers]").input_value() == "Atelier"
    assert card.locator("input[name=motif]").input_value() == "Retour"
    with committed(server.database_url) as s:
        assert database_state(s) == before
