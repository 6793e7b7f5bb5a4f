"""The phone page without network, in a real Chromium on a 390 px phone: kept by its service
worker, changes queued in IndexedDB, sent once when the network returns, a late use as a fact."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from inventaire.auth import service as auth_service
from tests.helpers import browser_page, make_line, make_product, make_technician, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
KEPT = """async () => {
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    if (await cache.match(location.origin + location.pathname)) return true;
  }
  return false;
}"""


@pytest.fixture
def van(server):
    with server.session() as s:
        allan = make_technician(s, nom="Allan")
        cord = make_product(s, code_produit="CORD-012", nom_produit="Corde d'acier no 12", unite="bobine",
                            divisible=False)
        graphite = make_product(s, code_produit="GRAPH-PROT", nom_produit="Graphite en poudre", unite="tube",
                                divisible=False)
        make_line(s, allan, cord, 5)
        make_line(s, allan, graphite, 3)
        token, _ = auth_service.create_token(db_session=s, role="technicien", technician=allan)
    return token


@pytest.fixture
def api(server):
    with server.client() as client:
        yield client


def _wait(page, predicate, timeout=20.0):
    """Poll `predicate`, letting Playwright run its routes meanwhile (the sync API runs them only
    while it is called)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        page.wait_for_timeout(200)
    raise AssertionError("condition not met in time")


def _ledger(api):
    return api.get("/inventaire/transactions", params={"technicien": "Allan", "limit": 500}).json()["items"]


def _requests(api):
    return api.get("/inventaire/demandes", params={"technicien": "Allan"}).json()


def test_offline_changes_are_kept_sent_once_and_a_late_use_is_a_fact(browser, server, van, api):
    context, page = browser_page(browser, server, van, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        # Chromium's offline emulation does not reach the service worker's own fetches: Background
        # Sync would send the outbox while the page is "offline". It is denied here, as on iOS (no
        # Sync at all): the page's own rounds must do the work.
        page.goto("about:blank")
        browser_cdp = browser.new_browser_cdp_session()
        targets = browser_cdp.send("Target.getTargets")["targetInfos"]
        (context_id,) = {t["browserContextId"] for t in targets if t["type"] == "page" and t["url"] == "about:blank"}
        browser_cdp.send("Browser.setPermission", {"permission": {"name": "background-sync"}, "setting": "denied",
                                                   "origin": server.base_url, "browserContextId": context_id})

        def offline(on: bool) -> None:
            context.set_offline(on)

        page.goto("/stock/Allan")
        assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        _wait(page, lambda: page.evaluate(KEPT))
        manifest = api.get(page.get_attribute('link[rel="manifest"]', "href")).json()
        assert (manifest["display"], manifest["start_url"], manifest["lang"]) == ("standalone", "/stock/Allan", "fr-CA")

        offline(True)
        page.reload()
        seen = page.locator("#boite-envoi .hors-ligne")
        seen.wait_for()
        assert seen.text_content().startswith("Hors ligne\u00a0— stock vu à ")
        # A use of 3 strings and a request of a tube, both without network.
        line = page.locator("#ligne-CORD-012")
        for _ in range(3):
            line.locator("button.moins").tap()
        line.locator("button.enregistrer").tap()
        page.locator("#boite-envoi .compte", has_text="1 changement en attente d'envoi").wait_for()
        graphite = page.locator("#ligne-GRAPH-PROT")
        graphite.locator("button.demander").tap()
        graphite.locator("button.envoyer-demande").tap()
        page.locator("#boite-envoi .compte", has_text="2 changements en attente d'envoi").wait_for()
        assert "En attente d'envoi" in line.locator(".message").text_content()
        screenshot(page, "hors-ligne-en-attente")
        page.close()

        # Meanwhile the office's own records take 4 of the 5 strings: the late use finds 1.
        assert api.post("/inventaire/stock/ajuster", json={
            "technicien": "Allan", "code_produit": "CORD-012", "ajustement": -4, "type": "utilisation",
        }).status_code == 200
        rows_before = len(_ledger(api))

        page = context.new_page()  # the app opened again, still without network: the outbox is kept
        page.problems = []
        page.on("pageerror", lambda exc: page.problems.append(str(exc)))
        page.on("console", lambda msg: page.problems.append(msg.text) if msg.type == "error" else None)
        page.goto("/stock/Allan")
        page.locator("#boite-envoi .compte", has_text="2 changements en attente d'envoi").wait_for()
        assert len(_ledger(api)) == rows_before and _requests(api) == []

        offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")  # as the phone does when the signal returns
        _wait(page, lambda: len(_ledger(api)) == rows_before + 1 and len(_requests(api)) == 1)
        page.wait_for_load_state()
        page.locator("#boite-envoi li.envoye", has_text="utilisation de 3").wait_for()
        page.locator("#boite-envoi li.envoye", has_text="demande de 1").wait_for()
        late = _ledger(api)[0]
        assert (late["code_produit"], Decimal(str(late["ajustement"])), late["reference"]) == ("CORD-012", -1, "Hors ligne")
        (asked,) = _requests(api)
        assert (asked["code_produit"], Decimal(asked["quantite"])) == ("GRAPH-PROT", 1)

        # The same outbox replayed twice writes nothing more.
        for _ in range(2):
            replayed = page.evaluate("""async () => {
              const all = await Envois.all();
              for (const change of all) { change.etat = "attente"; await new Promise((ok, ko) => {
                const open = indexedDB.open("inventaire", 1);
                open.onsuccess = () => { const tx = open.result.transaction("envois", "readwrite");
                  tx.objectStore("envois").put(change); tx.oncomplete = () => { open.result.close(); ok(); };
                  tx.onerror = ko; };
              }); }
              const csrf = document.querySelector('meta[name="csrf-token"]').content;
              return Envois.flush(csrf);
            }""")
            assert replayed == 2
        assert len(_ledger(api)) == rows_before + 1 and len(_requests(api)) == 1
        assert page.problems == []
    finally:
        context.close()

    # The office sees the 2 strings that were used but not in the van.
    office_context, office = browser_page(browser, server, server.admin_token)
    try:
        office.goto("/deductions")
        row = office.locator("#manques tr", has_text="CORD-012")
        assert "Allan" in row.text_content() and "Hors ligne" in row.text_content()
        assert row.locator("td.nombre").text_content().strip() == "2 bobines"
    finally:
        office_context.close()
