"""Printing a check's report: the content only, without the navigation (@media print)."""

from __future__ import annotations

import pytest

from tests.exports.test_exports import make_vans


@pytest.mark.browser
def test_printing_a_report_hides_the_navigation(browser, server):
    with server.session() as s:
        make_vans(s)
    with server.client() as api:
        run = api.post("/inventaire/check-stock", params={"notifier": "false"}).json()["verification_id"]
    context = browser.new_context(base_url=server.base_url)
    page = context.new_page()
    try:
        page.goto(f"/connexion?jeton={server.admin_token}")
        page.goto(f"/verifications/{run}")
        assert page.locator("nav.menu").is_visible()
        page.emulate_media(media="print")
        assert not page.locator("nav.menu").is_visible() and not page.locator("[data-imprimer]").is_visible()
        assert page.locator("text=FEUT-1").first.is_visible()
    finally:
        context.close()
