"""Issue 25 point 10, in Chromium: at 390 px every entry of the office's menu is in sight at once."""

from __future__ import annotations

import pytest

from tests.helpers import browser_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1366])
def test_every_menu_entry_is_visible(browser, server, width):
    context, page = browser_page(browser, server, server.admin_token, viewport={"width": width, "height": 844})
    try:
        page.goto("/")
        links = page.locator("nav.menu a")
        assert links.count() == 16  # every office page, this wave's Gazelle, Chargements, Fournisseurs, Entretiens PLS too
        for i in range(links.count()):
            box = links.nth(i).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, links.nth(i).inner_text()
            assert 0 <= box["y"] and box["y"] + box["height"] <= 400  # in the header, without scrolling
        assert page.evaluate("document.querySelector('nav.menu').scrollWidth <= "
                             "document.querySelector('nav.menu').clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
