"""Issue 25 points 3, 5 and 9 in Chromium: a refused form on a van's page stays on its card with what
was typed (success too), reloading a refused form's address shows its page, never JSON; an unknown
page is a French page with a way back; a threshold above the par level is accepted with a warning."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.helpers import browser_page, make_line, make_product, make_technician

pytestmark = pytest.mark.browser
LAST = "CORD-039"


@pytest.fixture
def office(browser, server):
    """Allan carries 40 products (the last card far below the top); the office at 1366 px."""
    with server.session() as s:
        allan = make_technician(s, nom="Allan")
        for n in range(40):
            make_line(s, allan, make_product(s, code_produit=f"CORD-{n:03d}", unite="bobine"), 5)
        make_product(s, code_produit="GRAPH-PROT", nom_produit="Graphite en poudre", unite="tube")
    context, page = browser_page(browser, server, server.admin_token, viewport={"width": 1366, "height": 800})
    yield page
    context.close()


def _in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and 0 <= box["y"] < page.viewport_size["height"]


def _levels(page, seuil: str, par: str):
    card = page.locator(f"#ligne-{LAST}")
    if card.locator("details.niveaux").get_attribute("open") is None:
        card.locator("details.niveaux summary").click()
    card.locator("input[name=seuil_min]").fill(seuil)
    card.locator("input[name=niveau_par]").fill(par)
    with page.expect_navigation():
        card.get_by_role("button", name="Enregistrer les niveaux").click()
    return card


def test_refused_levels_stay_on_the_card_with_what_was_typed(office, server):
    office.goto("/stock/Allan")
    card = _levels(office, "-1", "8")
    assert office.url.endswith(f"/stock/Allan/{LAST}/niveaux#ligne-{LAST}")
    assert "Seuil : doit être supérieur ou égal à 0" in card.locator(".message").inner_text()
    assert card.locator("input[name=seuil_min]").input_value() == "-1"
    assert card.locator("input[name=niveau_par]").input_value() == "8"
    assert office.evaluate("window.scrollY") > 1000 and _in_view(office, f"#ligne-{LAST} .message")
    # Reloading the refused form's address (a phone restoring its tab) shows the page, not JSON.
    office.goto(office.url.split("#")[0])
    assert office.url == f"{server.base_url}/stock/Allan" and '{"detail"' not in office.content()
    # Success lands on the card too; a threshold above the par level is accepted with a warning.
    card = _levels(office, "9", "8")
    message = card.locator(".message").inner_text()
    assert "Niveaux enregistrés : seuil 9, niveau de remplissage 8." in message
    assert "Attention : le seuil (9) dépasse le niveau de remplissage (8)" in message
    assert _in_view(office, f"#ligne-{LAST} .message")
    with server.client() as api:
        line = {x["code_produit"]: x for x in api.get("/inventaire/stock/Allan").json()}[LAST]
    assert (Decimal(str(line["seuil_min"])), Decimal(str(line["niveau_par"]))) == (9, 8)
    assert [p for p in office.problems if "422 (Unprocessable Entity)" not in p] == []  # the refusal itself


def test_a_refused_reception_comes_back_at_its_form(office):
    office.goto("/stock/Allan")
    form = office.locator("#reception")
    form.locator("input[name=code_produit]").fill("GRAPH-PROT")
    form.locator("input[name=quantite]").fill("0")
    form.locator("input[name=reference]").fill("BL-778")
    with office.expect_navigation():
        form.get_by_role("button", name="Enregistrer la réception").click()
    assert office.url.endswith("/stock/Allan/recevoir#reception") and _in_view(office, "#reception .erreur")
    assert form.locator("input[name=code_produit]").input_value() == "GRAPH-PROT"
    assert form.locator("input[name=reference]").input_value() == "BL-778"


def test_a_person_never_sees_json(office, server):
    for path in ("/nimporte-quoi", "/stock/Allan/x/y/z"):
        response = office.goto(path)
        assert response.status == 404
        text = office.locator("main").inner_text() if office.locator("main").count() else office.content()
        assert "Cette page n'existe pas (ou plus)" in text and '{"detail"' not in office.content()
        assert office.get_by_role("link", name="Retour à l'accueil").count() == 1
    office.goto("/commandes/nouvelle")  # a refused new order's address, reloaded
    assert office.url == f"{server.base_url}/commandes"
    office.goto("/regles/nouvelle")
    assert office.url == f"{server.base_url}/regles"
    # The API still answers JSON.
    with server.client() as api:
        assert api.get("/inventaire/nimporte-quoi").json() == {"detail": "Ressource introuvable."}
