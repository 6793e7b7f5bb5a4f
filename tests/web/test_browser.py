"""The pages in a real Chromium against a live server (skipped where Chromium is missing)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from inventaire.auth import service as auth_service
from tests.helpers import browser_page, make_line, make_product, make_technician, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
POLL_WAIT_MS = 12_000  # the dashboard polls every 5 s




@pytest.fixture
def van(server):
    """Allan's van: 5 strings (threshold 2), 1 tube of graphite (threshold 1); a technician token."""
    with server.session() as s:
        allan = make_technician(s, nom="Allan")
        cord = make_product(s, code_produit="CORD-012", nom_produit="Corde d'acier no 12", unite="bobine",
                            seuil_reorder=Decimal(2), categorie="Cordes")
        graphite = make_product(s, code_produit="GRAPH-PROT", nom_produit="Graphite en poudre", unite="tube",
                                seuil_reorder=Decimal(1), categorie="Entretien")
        make_line(s, allan, cord, 5)
        make_line(s, allan, graphite, 3)
        token, _ = auth_service.create_token(db_session=s, role="technicien", technician=allan)
    return token


@pytest.fixture
def api(server):
    with server.client() as client:
        yield client


@pytest.fixture
def office(browser, server):
    """A desktop browser logged in as the office."""
    context, page = browser_page(browser, server, server.admin_token)
    yield page
    context.close()


@pytest.fixture
def phone(browser, server, van):
    """A 390×844 touch screen logged in as Allan (technician)."""
    context, page = browser_page(browser, server, van, viewport=PHONE, is_mobile=True, has_touch=True)
    yield page
    context.close()


def _quantity(api, code):
    lines = {line["code_produit"]: line for line in api.get("/inventaire/stock/Allan").json()}
    return lines[code]["quantite"]


def _ledger(api):
    return api.get("/inventaire/transactions", params={"technicien": "Allan", "limit": 500}).json()


def test_dashboard_follows_the_stock_without_reloading(office, phone, api, server):
    assert office.url == f"{server.base_url}/"
    office.locator("text=Aucune alerte").wait_for()
    office.evaluate("window.pasRecharge = true")
    assert api.post("/inventaire/stock/ajuster", json={  # an alert created through the API
        "technicien": "Allan", "code_produit": "CORD-012", "ajustement": -4, "type": "utilisation",
    }).status_code == 200
    alert = office.locator('[data-technicien="Allan"] tr.alerte[data-code="CORD-012"]')
    alert.wait_for(timeout=POLL_WAIT_MS)
    assert "Stock bas" in alert.text_content()
    screenshot(office, "tableau-de-bord-alerte")

    # A reception on the phone page: + four times, then Enregistrer.
    assert phone.url.endswith("/stock/Allan")
    line = phone.locator("#ligne-CORD-012")
    for _ in range(4):
        line.locator("button.plus").tap()
    line.locator("button.enregistrer").tap()
    line.locator(".succes").wait_for()
    assert line.locator("output.valeur").inner_text() == "5"

    alert.wait_for(state="detached", timeout=POLL_WAIT_MS)
    office.locator("text=Aucune alerte").wait_for()
    assert office.evaluate("window.pasRecharge") is True  # the same page, never reloaded
    screenshot(office, "tableau-de-bord")
    assert office.problems == [] and phone.problems == []


def test_dashboard_polls_get_304_until_something_changes(office, api, van):
    """While nothing changes the server answers 304 and the page keeps what it shows; a change comes at the next poll."""
    statuses: list[int] = []
    office.on("response", lambda r: statuses.append(r.status) if "/fragments/tableau" in r.url else None)
    office.goto("/")
    office.locator("text=Aucune alerte").wait_for()
    office.evaluate("window.pasRecharge = true")
    office.wait_for_timeout(11_000)  # two polls
    # Mostly 304: another request of this page writing at the same moment (its session's "last seen")
    # is a writer in flight, and makes one poll compute the fragment again, as does a new time step.
    assert statuses.count(304) >= 1 and statuses.count(200) <= 1, statuses
    assert office.locator("text=Aucune alerte").is_visible()  # a 304 leaves the zone as it was
    assert api.post("/inventaire/stock/ajuster", json={
        "technicien": "Allan", "code_produit": "CORD-012", "ajustement": -4, "type": "utilisation",
    }).status_code == 200
    office.locator('[data-technicien="Allan"] tr.alerte[data-code="CORD-012"]').wait_for(timeout=POLL_WAIT_MS)
    assert 200 in statuses
    seen = len(statuses)
    office.wait_for_timeout(11_000)  # the new ETag is sent back: 304 again
    assert statuses[seen:].count(304) >= 1, statuses
    assert office.locator("#nb-alertes").inner_text() == "1"
    assert office.evaluate("window.pasRecharge") is True and office.problems == []


def test_phone_page_records_a_used_part_in_two_taps(phone, api):
    before = _ledger(api)["total"]
    line = phone.locator("#ligne-CORD-012")
    line.locator("button.moins").tap()                 # tap 1
    assert "Utilisation de 1 bobine → 4" in line.locator(".projet").inner_text()
    screenshot(phone, "stock-telephone-en-attente")
    line.locator("button.enregistrer").tap()           # tap 2
    line.locator(".succes").wait_for()
    assert line.locator("output.valeur").inner_text() == "4"
    assert _quantity(api, "CORD-012") == 4
    ledger = _ledger(api)
    assert ledger["total"] == before + 1
    newest = ledger["items"][0]
    assert (newest["type"], newest["ajustement"], newest["quantite_apres"], newest["auteur"]) == (
        "utilisation", -1, 4, "Allan")
    assert phone.locator("#derniers li").first.inner_text().startswith("−1")
    screenshot(phone, "stock-telephone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
    assert phone.problems == []


def test_phone_page_shows_an_overdraw_and_changes_nothing(phone, api):
    before = _ledger(api)["total"]
    line = phone.locator("#ligne-GRAPH-PROT")
    for _ in range(4):
        line.locator("button.moins").tap()
    assert "stock insuffisant" in line.locator(".projet").inner_text()
    line.locator("button.enregistrer").tap()
    error = line.locator(".message .erreur")
    error.wait_for()
    assert error.inner_text() == "Stock insuffisant : Allan a 3 tubes de «\u00a0GRAPH-PROT\u00a0», impossible de retirer 4."
    assert line.locator("output.valeur").inner_text() == "3"
    screenshot(phone, "stock-telephone-erreur")
    assert _quantity(api, "GRAPH-PROT") == 3 and _ledger(api)["total"] == before
    # The refused change is still prepared: correct it and send it again.
    assert line.locator("form.en-attente").is_visible()
    assert line.locator("form.en-attente input[name=quantite]").input_value() == "4"
    assert "stock insuffisant" in line.locator(".projet").inner_text()
    line.locator("form.en-attente input[name=quantite]").fill("3")
    line.locator("button.enregistrer").tap()
    line.locator(".succes").wait_for()
    assert line.locator("output.valeur").inner_text() == "0" and _quantity(api, "GRAPH-PROT") == 0


def test_lost_answer_is_shown_and_the_retry_counts_once(phone, api):
    """The request reaches the server but its answer is lost (a phone in a driveway)."""
    before = _ledger(api)["total"]

    def lose_the_answer(route):
        route.fetch()  # the server receives it and saves the change...
        route.abort("internetdisconnected")  # ...but the phone never hears back

    phone.route("**/ajuster", lose_the_answer)
    line = phone.locator("#ligne-CORD-012")
    line.locator("button.moins").tap()
    line.locator("button.enregistrer").tap()
    error = line.locator(".message .erreur")
    error.wait_for()
    assert "Connexion au serveur impossible" in error.inner_text()
    assert line.locator("form.en-attente").is_visible()  # the change is kept for a retry
    assert _ledger(api)["total"] == before + 1
    phone.unroute("**/ajuster")
    line.locator("button.enregistrer").tap()  # the same change again, with the same Idempotency-Key
    line.locator(".succes").wait_for()
    assert line.locator("output.valeur").inner_text() == "4"
    assert _quantity(api, "CORD-012") == 4 and _ledger(api)["total"] == before + 1


def test_chart_is_drawn_from_the_ledger(office, api, van):
    for delta, kind in [(-1, "utilisation"), (-2, "utilisation"), (6, "reception")]:
        api.post("/inventaire/stock/ajuster", json={
            "technicien": "Allan", "code_produit": "CORD-012", "ajustement": delta, "type": kind})
    ledger = [t for t in _ledger(api)["items"] if t["code_produit"] == "CORD-012"]
    office.goto("/evolution?code_produit=CORD-012&technicien=Allan")
    office.locator('#graphique-stock[data-pret="1"]').wait_for()
    drawn = office.evaluate("""() => {
        const c = document.getElementById('graphique-stock');
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
        return n;
    }""")
    assert drawn > 2000, "the canvas is blank"
    series = office.evaluate("""() => window.graphiqueStock.data.datasets.map(
        d => ({label: d.label, points: d.data.map(p => [p.x, p.y])}))""")
    expected = [[office.evaluate("s => Date.parse(s)", t["created_at"]), t["quantite_apres"]]
                for t in reversed(ledger)]
    assert series[0]["label"] == "Allan"
    assert series[0]["points"][:-1] == expected  # then the level held until now
    assert series[0]["points"][-1][1] == 8
    assert [p[1] for p in series[1]["points"]] == [2, 2] and series[1]["label"].startswith("Seuil 2")
    # The forecast starts where the history ends (8 now) and goes down after it.
    assert series[2]["label"].startswith("Prévision Allan")
    assert series[2]["points"][0] == series[0]["points"][-1] and series[2]["points"][1][1] < 8
    assert "4 mouvements du journal" in office.locator("#graphique-etat").inner_text()
    ticks = office.evaluate("window.graphiqueStock.scales.x.ticks.map(t => t.label)")
    assert ticks and all(re.fullmatch(r"\d{1,2}\u00a0\S+\u00a0\d{4}", t) for t in ticks), ticks
    months = office.evaluate("[window.evolutionTick(200 * 86400000)(new Date(2026, 8, 15).getTime()),"
                             " window.evolutionTick(2 * 86400000)(new Date(2026, 8, 15).getTime())]")
    assert months == ["sept.\u00a02026", "15\u00a0sept.\u00a02026"]
    screenshot(office, "evolution")
    assert office.problems == []


def test_catalogue_form_rejects_a_bad_price_next_to_the_field(office, api, van):
    office.goto("/catalogue/nouveau")
    office.fill("#f-code_produit", "CORD-099")
    office.fill("#f-nom_produit", "Corde no 99")
    office.fill("#f-prix_unitaire", "douze")
    office.click("main button[type=submit]")
    message = office.locator("#e-prix_unitaire")
    message.wait_for()
    assert message.inner_text() == "doit être un nombre (ex. : 12,50)"
    assert office.get_attribute("#f-prix_unitaire", "aria-describedby") == "e-prix_unitaire"
    assert office.input_value("#f-prix_unitaire") == "douze"
    screenshot(office, "catalogue-formulaire-erreur")
    assert api.get("/inventaire/catalogue/CORD-099").status_code == 404
    office.fill("#f-prix_unitaire", "12,50")
    office.click("main button[type=submit]")
    office.locator("text=Produit « CORD-099 » ajouté.").wait_for()
    assert api.get("/inventaire/catalogue/CORD-099").json()["prix_unitaire"] == 12.5
    office.goto("/catalogue")
    office.fill("#q", "graph")
    office.locator("#produits >> text=1 produit").wait_for()  # live search, no reload
    screenshot(office, "catalogue")


def test_login_is_required_and_posts_need_the_csrf_token(browser, server, api, van):
    context, page = browser_page(browser, server, None)
    try:
        page.goto("/transactions")
        assert re.search(r"/connexion\?suite=%2Ftransactions$", page.url)
        screenshot(page, "connexion")
        page.fill("#jeton", server.admin_token)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{server.base_url}/transactions")
        cookie = next(c for c in context.cookies() if c["name"] == "inventaire_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["secure"]
        assert server.admin_token not in cookie["value"]
        refused = context.request.post(f"{server.base_url}/catalogue/CORD-012/archiver", max_redirects=0)
        assert refused.status == 403 and "CSRF" in refused.text()
        assert api.get("/inventaire/catalogue/CORD-012").json()["actif"] is True
    finally:
        context.close()


def test_every_page_renders_cleanly(office, api, van):
    for code, delta, kind in [("CORD-012", -4, "utilisation"), ("GRAPH-PROT", -3, "utilisation")]:
        api.post("/inventaire/stock/ajuster", json={
            "technicien": "Allan", "code_produit": code, "ajustement": delta, "type": kind})
    api.post("/inventaire/check-stock", params={"notifier": "false"})
    api.post("/inventaire/stock/ajuster", json={  # resolved before the second run
        "technicien": "Allan", "code_produit": "GRAPH-PROT", "ajustement": 4, "type": "reception"})
    run = api.post("/inventaire/check-stock", params={"notifier": "false"}).json()["verification_id"]
    api.post("/inventaire/stock/ajuster", json={  # worse than at the last run
        "technicien": "Allan", "code_produit": "CORD-012", "ajustement": -1, "type": "utilisation"})
    for path, name in [("/", "tableau-de-bord-cycle"), ("/verifications", "verifications"),
                       (f"/verifications/{run}", "verification"), ("/catalogue", "catalogue-liste"),
                       ("/stock", "stock-techniciens"), ("/stock/Allan", "stock-bureau"),
                       ("/transactions", "transactions"), ("/evolution", "evolution-defaut")]:
        response = office.goto(path)
        assert response.status == 200, path
        screenshot(office, name)
    office.locator("form.sortie button").click()
    office.wait_for_url(re.compile(r"/connexion\?deconnecte=1$"))
    assert office.goto("/").url.endswith("/connexion?suite=%2F")
    assert office.problems == [], office.problems


def test_phone_page_projection_speaks_french_plurals(phone):
    """Two taps on − announce « 2 bobines » (the page's rule is the server's: quantities.py)."""
    line = phone.locator("#ligne-CORD-012")
    line.locator("button.moins").tap()
    line.locator("button.moins").tap()
    assert "Utilisation de 2 bobines → 3" in line.locator(".projet").inner_text()
    assert phone.problems == []


def test_phone_page_receives_a_product_the_van_did_not_carry(phone, api, server):
    with server.session() as s:
        make_product(s, code_produit="CORY-P", nom_produit="Poli Cory", unite="flacon", categorie="Entretien")
    phone.goto("/stock/Allan")
    form = phone.locator("form.reception")
    form.locator("input[name=code_produit]").fill("poli cory")  # words of the name, no code
    form.locator("input[name=quantite]").fill("2")
    form.scroll_into_view_if_needed()
    screenshot(phone, "stock-telephone-reception-formulaire")
    form.locator("button[type=submit]").tap()
    phone.locator("#ligne-CORY-P").wait_for()
    assert phone.locator("#ligne-CORY-P output.valeur").inner_text() == "2"
    assert _quantity(api, "CORY-P") == 2
    assert phone.locator("form.reception").count() == 0  # nothing else absent: the form leaves the page
    screenshot(phone, "stock-telephone-premiere-reception")
    assert phone.problems == []


def test_office_adds_a_technician_from_the_page(office, api):
    office.goto("/techniciens")
    office.locator("a", has_text="Ajouter un technicien").click()
    office.locator("#f-nom").fill("Jean-Sébastien Côté")
    office.locator("#f-email").fill("jsc@example.com")
    office.locator("button.principal", has_text="Enregistrer").click()
    office.locator("text=Technicien « Jean-Sébastien Côté » ajouté.").wait_for()
    screenshot(office, "techniciens")
    added = {t["nom"]: t for t in api.get("/inventaire/techniciens").json()}
    assert added["Jean-Sébastien Côté"]["email"] == "jsc@example.com"
    assert office.problems == []
