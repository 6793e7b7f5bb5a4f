"""In a real Chromium: the office adds a rule by picking a Gazelle service and a product, previews
the sync, runs it, and sees the deduction on the invoice's row."""

from __future__ import annotations

import pytest

from inventaire.gazelle import directory
from tests.gazelle.fake import FakeGazelle
from tests.helpers import make_line, make_product, make_technician, screenshot
from tests.live import live_server

pytestmark = pytest.mark.browser
PLS = "mit_2eBOzDvunD7PHs6M"


def test_office_adds_a_rule_previews_and_syncs(browser, fresh_database):
    gazelle = FakeGazelle().start()
    directory.forget()
    try:
        gazelle.add_invoice(7140, items=[(PLS, 100)])
        with live_server(fresh_database.url, **gazelle.settings()) as server:
            with server.session() as s:
                allan = make_technician(s, nom="Allan", gazelle_id="usr_aS8wQ2nLk4Tz")
                make_line(s, allan, make_product(s, code_produit="PLS-BUV", nom_produit="Buvards PLS",
                                                 unite="jeu"), 4)
            context = browser.new_context(base_url=server.base_url, locale="fr-CA",
                                          viewport={"width": 1280, "height": 900})
            page = context.new_page()
            problems = []
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.goto(f"/connexion?jeton={server.admin_token}")
            page.goto("/regles")
            form = page.locator("#nouvelle-regle")
            form.locator("select[name=service_id]").select_option(label="Entretien annuel du système PLS")
            form.locator("select[name=code_produit]").select_option("PLS-BUV")
            form.locator("input[name=quantite]").fill("1")
            form.locator("button[type=submit]").click()
            page.wait_for_url("**/regles?avis=ajoutee")
            assert "PLS-BUV" in page.locator("#regles").inner_text()

            page.goto("/deductions")
            page.get_by_role("button", name="Synchroniser maintenant").click()
            page.locator("#apercu").wait_for()
            assert "Facture #7140 — Lina Vanelli — Entretien annuel du système PLS" in page.locator(
                "#apercu").inner_text()
            screenshot(page, "deductions-apercu")
            with server.client() as api:
                assert api.get("/inventaire/stock/Allan").json()[0]["quantite"] == 4  # the preview wrote nothing
                page.locator("#confirmer").click()
                page.wait_for_url("**/deductions?sync=*")
                row = page.locator('tr[data-reference="Facture #7140"]')
                assert "1 PLS-BUV" in row.inner_text() and "Lina Vanelli" in row.inner_text()
                assert api.get("/inventaire/stock/Allan").json()[0]["quantite"] == 3
            screenshot(page, "deductions-apres")
            assert problems == []
            context.close()
    finally:
        gazelle.stop()
        directory.forget()
    assert gazelle.invalid == []
