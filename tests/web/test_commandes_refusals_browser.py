"""Refused order forms in a real Chromium: the suggestion comes back as typed with the error beside the
bad field; a product picked in « Ajouter un produit » without a quantity is refused, not dropped."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from inventaire.commandes.models import Order
from tests.helpers import make_line, make_product, make_technician, make_workshop


def _vans(s):
    workshop, allan = make_workshop(s, nom="Atelier"), make_technician(s, nom="Allan")
    for code, par in (("CORD-012", 6), ("CORD-013", 4), ("CORD-014", 3)):
        product = make_product(s, code_produit=code, nom_produit=f"Corde {code}", unite="bobine",
                               fournisseur="Röslau", divisible=False, prix_unitaire=Decimal("18.50"))
        make_line(s, allan, product, 0, niveau_par=Decimal(par))
    make_product(s, code_produit="FEUT-01", nom_produit="Feutre d'étouffoir", unite="m", fournisseur="Röslau")
    return workshop


def _orders(server) -> int:
    with server.session() as s:
        return s.scalar(select(func.count()).select_from(Order))


@pytest.mark.browser
def test_a_bad_quantity_brings_the_suggestion_back_as_typed(browser, server):
    with server.session() as s:
        _vans(s)
    context = browser.new_context(base_url=server.base_url)
    page = context.new_page()
    try:
        page.goto(f"/connexion?jeton={server.admin_token}")
        page.goto("/commandes/suggestion?atelier=Atelier")
        page.get_by_label("Quantité de CORD-012 à commander").fill("5")
        page.get_by_label("Quantité de CORD-013 à commander").fill("deux")
        page.get_by_label("Quantité de CORD-014 à commander").fill("7")
        page.get_by_label("Prix unitaire de CORD-014").fill("19,25")
        page.get_by_role("button", name="Créer le brouillon pour Röslau").click()
        assert "/commandes/" in page.url and page.locator("h1").inner_text().startswith("Que commander")
        bad = page.get_by_label("Quantité de CORD-013 à commander")
        assert bad.input_value() == "deux" and bad.get_attribute("aria-invalid") == "true"
        message = page.locator("#erreur-quantite-1")
        assert message.is_visible() and "«\u00a0deux\u00a0»" in message.inner_text()
        # the message is beside its field, not at the top of the page
        assert abs(message.bounding_box()["y"] - bad.bounding_box()["y"]) < 60
        assert page.get_by_label("Quantité de CORD-012 à commander").input_value() == "5"
        assert page.get_by_label("Quantité de CORD-014 à commander").input_value() == "7"
        assert page.get_by_label("Prix unitaire de CORD-014").input_value() == "19,25"
        assert _orders(server) == 0  # nothing created
        bad.fill("2")
        page.get_by_role("button", name="Créer le brouillon pour Röslau").click()
        assert page.get_by_text("Brouillon créé").is_visible()
        assert "264,25" in page.locator("#total").inner_text()  # 5 × 18,50 + 2 × 18,50 + 7 × 19,25
    finally:
        context.close()


@pytest.mark.browser
def test_a_product_added_without_a_quantity_is_refused_beside_the_field(browser, server):
    with server.session() as s:
        _vans(s)
    context = browser.new_context(base_url=server.base_url)
    page = context.new_page()
    try:
        page.goto(f"/connexion?jeton={server.admin_token}")
        page.goto("/commandes/suggestion?atelier=Atelier")
        page.get_by_role("button", name="Créer le brouillon pour Röslau").click()
        assert page.get_by_text("Brouillon créé").is_visible()
        lines_before = page.locator("#document tbody tr").count()
        page.get_by_label("Ajouter un produit").select_option("FEUT-01")
        page.get_by_role("button", name="Enregistrer le brouillon").click()
        assert not page.get_by_text("Brouillon enregistré").is_visible()
        field = page.get_by_label("Quantité du produit ajouté")
        assert field.get_attribute("aria-invalid") == "true"
        message = page.locator("#erreur-champ")
        assert message.is_visible() and "FEUT-01" in message.inner_text()
        assert abs(message.bounding_box()["y"] - field.bounding_box()["y"]) < 60
        assert page.get_by_label("Ajouter un produit").input_value() == "FEUT-01"  # still picked
        field.fill("2")
        page.get_by_role("button", name="Enregistrer le brouillon").click()
        assert page.get_by_text("Brouillon enregistré").is_visible()
        assert page.locator("#document tbody tr").count() == lines_before + 1
    finally:
        context.close()
