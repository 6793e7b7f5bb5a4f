"""Issue 25 point 11, in Chromium at 390 px: every office and technician page fits the phone.

Over the demonstration's data plus a ledger reference of 120 characters without a space and a
workshop named with 60: no page is wider than the phone, and no element that scrolls sideways
(a table's scroller) hides part of its content. The 1366 px layout keeps its tables.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from inventaire.ateliers import service as ateliers
from inventaire.catalogue import service as catalogue
from inventaire.demandes import service as demandes
from inventaire.demo.loader import load_demo
from inventaire.kit.enums import MovementCause, TransactionType
from inventaire.stock import reading as stock_lines
from inventaire.stock import service as stock
from inventaire.techniciens import service as techniciens
from tests.helpers import browser_page, make_token, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LONG_REFERENCE = "BC" + "7" * 58 + "X" * 60  # 120 characters, no space: a supplier's pasted reference
LONG_WORKSHOP = "Atelier de réparation des pianos à queue du boulevard Saint-"  # 60 characters
# Every element that scrolls sideways and hides part of what it holds (a clipped table cell).
CLIPPED = """() => [...document.querySelectorAll('body *')].filter(el => {
    const s = getComputedStyle(el);
    return ['auto', 'scroll'].includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
}).map(el => `${el.tagName.toLowerCase()}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`)"""
# The innermost elements that reach past the phone's right edge: what to fix when a page is too wide.
PAST_THE_EDGE = """() => [...document.querySelectorAll('body *')].filter(el =>
    el.getBoundingClientRect().right > 391 && ![...el.children].some(c => c.getBoundingClientRect().right > 391)
).slice(0, 5).map(el => `${el.tagName.toLowerCase()}.${el.className} «${el.textContent.trim().slice(0, 40)}»`)"""


@pytest.fixture
def demo(server):
    """The demonstration, a long reference in Allan's history, a long-named workshop, an open request, a check."""
    assert len(LONG_REFERENCE) == 120 and len(LONG_WORKSHOP) == 60
    with server.session() as s:
        load_demo(db_session=s)
        allan = techniciens.get_by_name(db_session=s, nom="Allan")
        assert allan is not None
        product = stock_lines.list_lines(db_session=s, location=allan)[0].produit
        stock.adjust(db_session=s, location=allan, product=product, kind=TransactionType.RECEPTION, delta=Decimal(1),
                     auteur="bureau", cause=MovementCause.MANUEL, reference=LONG_REFERENCE)
        workshop = ateliers.create(db_session=s, nom=LONG_WORKSHOP)
        stock.transfer(db_session=s, source=ateliers.get_by_name(db_session=s, nom="Atelier"), target=workshop,
                       product=product, quantity=Decimal(1), auteur="bureau", reference=LONG_REFERENCE)
        strings = catalogue.get_by_code(db_session=s, code_produit="CORD-012")
        demandes.create(db_session=s, technician=allan, product=strings, quantity=Decimal(2), note=None, auteur="Allan")
        token = make_token(s, "technicien", technician=allan)
    with server.client() as api:
        run = api.post("/inventaire/check-stock", params={"notifier": "false"}).json()["verification_id"]
        orders = api.get("/inventaire/commandes").json()
    return {"token": token, "run": run, "order": orders[0]["id"], "product": product.code_produit}


def _problems(page, paths: list[str], name: str) -> list[str]:
    """Each page wider than the phone or with a clipped scroller, and why (screenshots under tests/artifacts/)."""
    found = []
    for i, path in enumerate(paths):
        response = page.goto(path)
        if response is None or response.status != 200:
            found.append(f"{path}: status {response and response.status}")
            continue
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        clipped = page.evaluate(CLIPPED)
        if width > PHONE["width"] or clipped:
            screenshot(page, f"telephone-{name}-{i}")
            found.append(f"{path}: scrollWidth {width}; clipped: {clipped}; past the edge: {page.evaluate(PAST_THE_EDGE)}")
    return found


def test_every_office_page_fits_390_px(browser, server, demo):
    context, page = browser_page(browser, server, server.admin_token, viewport=PHONE, is_mobile=True, has_touch=True)
    code = demo["product"]
    try:
        paths = ["/", "/verifications", f"/verifications/{demo['run']}", "/evolution", f"/evolution?code_produit={code}",
                 "/catalogue", "/catalogue/nouveau", f"/catalogue/{code}/modifier", "/stock", "/stock/Allan",
                 "/stock/Allan/historique", "/stock/Allan/preparation", "/stock/Atelier", f"/stock/{LONG_WORKSHOP}",
                 f"/stock/{LONG_WORKSHOP}/historique", "/techniciens", "/techniciens/nouveau",
                 "/techniciens/Allan/modifier", "/transactions", "/acces", "/regles", "/deductions", "/gazelle",
                 "/chargements", "/commandes", "/commandes/suggestion?atelier=Atelier", f"/commandes/{demo['order']}",
                 "/fournisseurs", "/fournisseurs/nouveau", "/fournisseurs/Röslau/modifier", "/entretiens-pls", "/modifications"]
        problems = _problems(page, paths, "bureau")
        assert not problems, "\n".join(problems)
        page.goto("/transactions")  # each card names its values: the column's name before each one
        cause = page.locator("tr[data-id] td.cause").first
        assert cause.get_attribute("data-label") == "Cause" and cause.is_visible()
        assert page.locator("table.journal thead").bounding_box()["x"] < 0  # the header row is out of sight
    finally:
        context.close()


def test_every_technician_page_fits_390_px(browser, server, demo):
    context, page = browser_page(browser, server, demo["token"], viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        problems = _problems(page, ["/stock/Allan", "/stock/Allan/historique", "/catalogue"], "technicien")
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_the_wide_layout_keeps_its_tables(browser, server, demo):
    """At 1366 px the transactions and the catalogue are still tables with their headers in sight."""
    context, page = browser_page(browser, server, server.admin_token, viewport={"width": 1366, "height": 900})
    try:
        for path in ["/transactions", "/catalogue", "/"]:
            page.goto(path)
            header = page.locator("table thead th").first
            assert header.is_visible(), path
            assert page.evaluate("document.documentElement.scrollWidth") <= 1366
            assert page.evaluate(CLIPPED) == [], path
    finally:
        context.close()
