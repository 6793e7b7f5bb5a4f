"""The catalogue's CSV import in a real Chromium on a 390 px phone: choose the file, read the counts or the
refused lines, and the page still fits the phone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from inventaire.catalogue.models import Product
from tests.helpers import browser_page, make_product, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _catalogue(server) -> list[tuple]:
    with server.session() as s:
        return [(p.code_produit, p.nom_produit, p.prix_unitaire, p.code_barres)
                for p in s.scalars(select(Product).order_by(Product.code_cle))]


def test_the_office_imports_a_file_from_its_phone(browser, server, tmp_path):
    with server.session() as s:
        make_product(s, code_produit="CORD-001", nom_produit="Corde #1", code_barres="4006381333931")
    bad, good = tmp_path / "refus.csv", tmp_path / "catalogue.csv"
    bad.write_text("Code produit;Nom du produit;Prix unitaire;Code-barres\r\n"
                   "MART-010;Marteau Renner;cent;4006381333931\r\n", encoding="utf-8-sig")
    good.write_text("Code produit;Nom du produit;Prix unitaire;Code-barres\r\n"
                    "CORD-001;Corde #1 (Do);4,35;4006381333931\r\n"
                    "MART-010;Marteau Renner, tête de 12 mm pour piano droit;112,50;0012345678905\r\n",
                    encoding="utf-8-sig")
    before = _catalogue(server)
    context, page = browser_page(browser, server, server.admin_token, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page.goto("/catalogue")
        page.set_input_files("input[name=fichier]", str(bad))
        page.get_by_role("button", name="Importer").click()
        errors = page.locator("#erreurs-import li")
        assert errors.all_text_contents() == [
            "Ligne 2, colonne «\u00a0prix_unitaire\u00a0» : doit être un nombre (ex. : 12,50).",
            "Ligne 2, colonne «\u00a0code_barres\u00a0» : «\u00a04006381333931\u00a0» est déjà celui de «\u00a0CORD-001\u00a0»."]
        assert _catalogue(server) == before
        page.set_input_files("input[name=fichier]", str(good))
        page.get_by_role("button", name="Importer").click()
        notice = page.locator("p.succes").text_content()
        assert notice == "Catalogue importé depuis «\u00a0catalogue.csv\u00a0» : 1 produit créé, 1 modifié, 0 inchangé."
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, "catalogue-import")
        assert [p for p in page.problems if "status of 422" not in p] == []  # the refused file's answer is a 422
    finally:
        context.close()
    assert _catalogue(server) == [
        ("CORD-001", "Corde #1 (Do)", Decimal("4.35"), "4006381333931"),
        ("MART-010", "Marteau Renner, tête de 12 mm pour piano droit", Decimal("112.50"), "0012345678905")]
