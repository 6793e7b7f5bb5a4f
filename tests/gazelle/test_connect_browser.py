"""« Connecter Gazelle » in a real Chromium: the fake Gazelle on `localhost`, the service on
`127.0.0.1` (two sites, so the return from Gazelle is a cross-site navigation that does not
carry the page session's SameSite=Strict cookie), then « Tester la connexion »."""

from __future__ import annotations

import pytest

from inventaire.gazelle.models import GazelleToken
from tests.gazelle.fake import FakeGazelle
from tests.helpers import browser_page, screenshot
from tests.live import live_server

pytestmark = pytest.mark.browser


def test_an_admin_connects_gazelle_across_sites_then_tests_it(browser, fresh_database):
    fake = FakeGazelle(host="localhost").start()
    try:
        with live_server(fresh_database.url, **fake.oauth_settings()) as server:
            context, page = browser_page(browser, server, server.admin_token)
            page.goto("/gazelle")
            assert "Non connecté" in page.locator("#mode").inner_text()
            page.click("#connecter")
            page.wait_for_url("**/gazelle/retour?**")
            assert "Gazelle est connecté" in page.locator("#resultat").inner_text()
            assert fake.authorizations[0]["redirect_uri"] == f"{server.base_url}/gazelle/retour"
            page.wait_for_url("**/gazelle?avis=connecte", timeout=10_000)  # back on the page, still logged in
            assert "Connecté par autorisation OAuth" in page.locator("#mode").inner_text()
            page.click("#tester")
            verdict = page.locator("#verdict").inner_text()
            assert "Connexion à Gazelle réussie (autorisation OAuth)" in verdict and "4 utilisateurs" in verdict
            screenshot(page, "gazelle-connectee")
            with server.session() as s:
                stored = s.get(GazelleToken, 1)
                assert stored.refresh_token == fake.refresh_token and stored.autorise_par == "bureau"
            assert page.problems == []
            # A forged return: refused (a 403 page), nothing stored.
            page.goto("/gazelle/retour?code=code-vole&state=invente")
            assert "Retour de Gazelle refusé" in page.locator("#resultat").inner_text()
            with server.session() as s:
                assert s.get(GazelleToken, 1).refresh_token == stored.refresh_token
            # The code's access token served the test: no refresh was needed.
            assert [r["grant_type"] for r in fake.token_requests] == ["authorization_code"]
            context.close()
    finally:
        fake.stop()
    assert fake.invalid == []
