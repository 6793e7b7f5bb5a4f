"""/docs and /redoc work without internet: every file they load comes from the server itself."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.helpers import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("path", "drawn"), [("/docs", ".opblock"), ("/redoc", "[data-section-id]")])
def test_api_docs_load_only_local_files(browser, server, path, drawn):
    context = browser.new_context(base_url=server.base_url)
    page = context.new_page()
    outside: list[str] = []

    def only_local(route):
        if urlsplit(route.request.url).hostname != "127.0.0.1":
            outside.append(route.request.url)
            route.abort("internetdisconnected")  # as on a machine without internet
        else:
            route.continue_()

    page.route("**/*", only_local)
    try:
        page.goto(f"/connexion?jeton={server.admin_token}")
        page.goto(path)
        page.locator(drawn).first.wait_for(timeout=20_000)
        assert page.locator(drawn).count() > 10  # the operations are drawn
        assert outside == []
        assert page.locator("img[src^='http']").count() == 0  # ReDoc's logo from its CDN is left out
        screenshot(page, f"api{path.replace('/', '-')}")
    finally:
        context.close()
