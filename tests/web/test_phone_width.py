"""Every page fits a 390 px phone, with the catalogue's real long names (no sideways panning)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from inventaire.auth import service as auth_service
from tests.helpers import make_line, make_product, make_technician, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
# The longest names and categories of the company's service list (tests/data/, copied from it).
LONG_ROWS = Path(__file__).resolve().parents[1] / "data" / "catalogue_ptm_longs.csv"


def _phone(browser, server, token):
    context = browser.new_context(base_url=server.base_url, viewport=PHONE, is_mobile=True, has_touch=True,
                                  locale="fr-CA", timezone_id="America/Montreal")
    page = context.new_page()
    page.goto(f"/connexion?jeton={token}")
    return context, page


@pytest.fixture
def long_names(server):
    """A technician carrying the catalogue's longest names; others absent; alerts, a check and history."""
    with open(LONG_ROWS, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with server.session() as s:
        tech = make_technician(s, nom="Jean-Philippe Beauséjour-Desrochers")
        products = [
            make_product(s, code_produit=r["code_produit"], nom_produit=r["nom"], categorie=r["categorie"] or "Divers",
                         unite=r["unite_prix"], prix_unitaire=Decimal(r["prix"]), seuil_reorder=Decimal(2))
            for r in rows
        ]
        make_product(s, code_produit="ETOUF-TETE", nom_produit="Tête d'étouffoir complète (piano droit)")
        for product in products[:5]:
            make_line(s, tech, product, 1)
        token, _ = auth_service.create_token(db_session=s, role="technicien", technician=tech)
    with server.client() as api:
        run = api.post("/inventaire/check-stock", params={"notifier": "false"}).json()["verification_id"]
    return {"tech": tech.nom, "token": token, "codes": [p.code_produit for p in products], "run": run}


def _width(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def _too_wide(page, paths: list[str], name: str) -> list[str]:
    """The pages wider than the phone, each with its width (a screenshot of each under tests/artifacts/)."""
    wide = []
    for i, path in enumerate(paths):
        response = page.goto(path)
        assert response.status == 200, (path, response.status)
        page.wait_for_load_state("networkidle")
        scroll, inner = _width(page)
        # A mobile browser widens its layout viewport to the content, so innerWidth grows
        # with it: both are held to the phone's width.
        if not (scroll <= inner <= PHONE["width"]):
            screenshot(page, f"trop-large-{name}-{i}")
            wide.append(f"{path}: scrollWidth {scroll}, innerWidth {inner}")
    return wide


def test_every_office_page_fits_a_phone(browser, server, long_names):
    nom = long_names["tech"]
    code = long_names["codes"][0]
    context, page = _phone(browser, server, server.admin_token)
    try:
        paths = ["/", "/verifications", "/evolution", f"/evolution?code_produit={code}", "/catalogue",
                 "/catalogue/nouveau", f"/catalogue/{code}/modifier", "/stock", f"/stock/{nom}",
                 "/techniciens", "/techniciens/nouveau", f"/techniciens/{nom}/modifier", "/transactions", "/acces",
                 f"/verifications/{long_names['run']}"]
        assert _too_wide(page, paths, "bureau") == []
    finally:
        context.close()


def test_every_technician_page_fits_a_phone(browser, server, long_names):
    context, page = _phone(browser, server, long_names["token"])
    try:
        van = f"/stock/{long_names['tech']}"
        assert _too_wide(page, [van, f"{van}/historique", "/catalogue"], "technicien") == []
        page.goto(f"/stock/{long_names['tech']}")
        screenshot(page, "telephone-noms-longs")
    finally:
        context.close()


def test_phone_filter_ignores_accents_and_word_order(browser, server):
    with server.session() as s:
        tech = make_technician(s, nom="Margot")
        for code, nom in [("ETOUF-TETE", "Tête d'Étouffoir complète"), ("CHEV-73", "Cheville d'accord 7,3 mm"),
                          ("CHEV-70", "Cheville d'accord 7,0 mm")]:
            make_line(s, tech, make_product(s, code_produit=code, nom_produit=nom), 3)
        token, _ = auth_service.create_token(db_session=s, role="technicien", technician=tech)
    context, page = _phone(browser, server, token)
    try:
        page.goto("/stock/Margot")
        visible = lambda: [li.get_attribute("data-code") for li in page.locator("#lignes .ligne:visible").all()]  # noqa: E731
        page.fill("#filtre-lignes", "etouffoir")
        assert visible() == ["ETOUF-TETE"]
        page.fill("#filtre-lignes", "7,3 cheville")
        assert visible() == ["CHEV-73"]
        page.fill("#filtre-lignes", "")
        assert len(visible()) == 3
    finally:
        context.close()


def test_office_gives_a_phone_access_with_a_qr_code(browser, server, long_names):
    """The office creates the token on « Accès » (on a phone-sized screen); the link logs the technician in."""
    context, page = _phone(browser, server, server.admin_token)
    try:
        page.goto("/acces")
        page.select_option("#f-role", "technicien")
        page.select_option("#f-technicien", long_names["tech"])
        page.fill("#f-nom", "téléphone de Jean-Philippe")
        page.locator("button", has_text="Créer le jeton").tap()
        card = page.locator("#nouveau-jeton")
        card.wait_for()
        assert card.locator(".qr svg").bounding_box()["width"] > 100
        link = card.locator("a.lien-connexion").get_attribute("href")
        assert _width(page)[0] <= PHONE["width"]
        screenshot(page, "acces-nouveau-jeton")
    finally:
        context.close()
    context = browser.new_context(base_url=server.base_url, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        phone = context.new_page()
        phone.goto(link)
        phone.wait_for_url("**/stock/**")
        assert phone.locator("h1").inner_text().endswith(long_names["tech"])
    finally:
        context.close()
