"""In a real Chromium: a technician asks for a part in two taps on a 390 px phone, the office serves it
on the dashboard, and the van's card shows the new quantity without a reload; the picking list prints
on one A4 or Letter page (Chromium's own PDF, read back with pypdf)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from inventaire.auth import service as auth_service
from inventaire.demandes import service as demandes
from tests.helpers import ARTIFACTS, browser_page, make_line, make_product, make_technician, make_workshop, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
POLL_WAIT_MS = 15_000  # both pages poll every 5 s




@pytest.fixture
def shop(server):
    """Allan carries 1 string (par 6); the workshop has 20; Allan's technician token."""
    with server.session() as s:
        allan, workshop = make_technician(s, nom="Allan"), make_workshop(s, nom="Atelier")
        cord = make_product(s, code_produit="CORD-012", nom_produit="Corde d'acier no 12", unite="bobine",
                            seuil_reorder=Decimal(2), divisible=False)
        graphite = make_product(s, code_produit="GRAPH-PROT", nom_produit="Graphite en poudre", unite="tube")
        make_product(s, code_produit="MART-AB", nom_produit="Marteau Abel 16 mm", unite="unité")
        make_line(s, allan, cord, 1, niveau_par=Decimal(6))
        make_line(s, allan, graphite, 8)
        make_line(s, workshop, cord, 20)
        token, _ = auth_service.create_token(db_session=s, role="technicien", technician=allan)
    return token


@pytest.fixture
def phone(browser, server, shop):
    context, page = browser_page(browser, server, shop, viewport=PHONE, is_mobile=True, has_touch=True)
    yield page
    context.close()


@pytest.fixture
def office(browser, server):
    context, page = browser_page(browser, server, server.admin_token)
    yield page
    context.close()


def test_two_taps_then_the_office_serves_and_the_van_sees_it_without_reloading(phone, office, server):
    office.goto("/")
    office.locator("#nb-demandes", has_text="0 demande ouverte").wait_for()
    assert phone.url.endswith("/stock/Allan")
    phone.evaluate("window.pasRecharge = true")
    line = phone.locator("#ligne-CORD-012")
    assert phone.locator("#lignes > li").first.get_attribute("id") == "ligne-CORD-012"  # in alert: first
    assert "par 6" in line.inner_text()

    line.locator("button.demander").tap()                      # tap 1: the request, prefilled to par
    form = line.locator("form.demande")
    assert form.is_visible() and form.locator("input[name=quantite]").input_value() == "5"
    screenshot(phone, "stock-telephone-demande")
    form.locator("button.envoyer-demande").tap()               # tap 2: sent
    line.locator(".succes", has_text="envoyée : 5 bobines").wait_for()
    assert "Demandé : 5 bobines" in line.inner_text()
    with server.client() as api:
        [opened] = api.get("/inventaire/demandes", params={"statut": "ouverte"}).json()
    assert (opened["technicien"], opened["code_produit"], opened["quantite"], opened["auteur"]) == (
        "Allan", "CORD-012", 5, "Allan")
    assert phone.locator(f'#demandes [data-demande="{opened["id"]}"]').inner_text().startswith("OUVERTE")  # in capitals
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll

    # The dashboard's list polls: the request appears without a reload, the workshop proposed.
    office.evaluate("window.pasRecharge = true")
    card = office.locator(f"#demande-{opened['id']}")
    card.wait_for(timeout=POLL_WAIT_MS)
    assert card.locator("select[name=atelier]").input_value() == "Atelier"
    assert card.locator("input[name=quantite]").input_value() == "5"
    screenshot(office, "tableau-demande")
    card.get_by_role("button", name="Servir").click()
    office.locator("#demandes-message .succes", has_text=f"Demande n° {opened['id']} servie").wait_for()
    assert office.locator(f"#demande-{opened['id']}").count() == 0
    assert office.evaluate("window.pasRecharge") is True

    # The phone's card follows by its poll: the new quantity, the request shown served.
    phone.locator("#ligne-CORD-012 output.valeur", has_text="6").wait_for(timeout=POLL_WAIT_MS)
    phone.locator(f'#demandes [data-demande="{opened["id"]}"][data-statut="servie"]').wait_for()
    assert "Servie : 5 bobines depuis Atelier" in phone.locator("#demandes").inner_text()
    assert "Demandé" not in phone.locator("#ligne-CORD-012").inner_text()
    assert phone.evaluate("window.pasRecharge") is True  # the same page, never reloaded
    screenshot(phone, "stock-telephone-demande-servie")
    with server.client() as api:
        lines = {(row["technicien"], row["code_produit"]): row["quantite"]
                 for holder in ("Allan", "Atelier") for row in api.get(f"/inventaire/stock/{holder}").json()}
    assert (lines[("Allan", "CORD-012")], lines[("Atelier", "CORD-012")]) == (6, 15)
    assert phone.problems == [] and office.problems == []


def test_a_product_not_carried_refused_with_a_reason(phone, office):
    form = phone.locator("form.demande-absent")
    form.locator("input[name=code_produit]").fill("marteau abel")
    form.locator("input[name=quantite]").fill("2")
    form.locator("button[type=submit]").tap()
    phone.wait_for_url("**/stock/Allan#demandes")
    request = phone.locator("#demandes li.demande").first
    assert "MART-AB" in request.inner_text() and request.get_attribute("data-statut") == "ouverte"
    phone.evaluate("window.pasRecharge = true")

    office.goto("/")
    card = office.locator("article.demande-bureau", has_text="MART-AB")
    card.locator("input[name=motif]").fill("Plus fabriqué : prenez le 15 mm")
    card.get_by_role("button", name="Refuser").click()
    office.locator("#demandes-message .succes", has_text="refusée").wait_for()

    phone.locator('#demandes li.demande[data-statut="refusee"]').wait_for(timeout=POLL_WAIT_MS)
    assert "Refusée : Plus fabriqué : prenez le 15 mm" in phone.locator("#demandes").inner_text()
    assert phone.evaluate("window.pasRecharge") is True
    assert phone.problems == [] and office.problems == []


def test_the_picking_list_prints_on_one_page(office, server):
    """A van with 24 lines to bring (22 under par, 2 requests) fits one A4 and one Letter sheet."""
    codes = []
    with server.session() as s:
        allan, workshop = make_technician(s, nom="Allan"), make_workshop(s, nom="Atelier")
        for n in range(24):
            product = make_product(s, code_produit=f"PIECE-{n:02d}", unite="unité",
                                   nom_produit=f"Pièce de rechange pour piano droit et à queue, modèle {n:02d}")
            codes.append(product.code_produit)
            if n < 22:
                make_line(s, allan, product, n % 3, niveau_par=Decimal(4))
            else:
                demandes.create(db_session=s, technician=allan, product=product, quantity=Decimal(2),
                                note="Pour le Steinway de Mme Tremblay", auteur="Allan")
            make_line(s, workshop, product, 1 if n % 5 == 0 else 10)
    office.goto("/stock/Allan/preparation")
    assert office.locator("#liste-preparation tbody tr").count() == 24
    screenshot(office, "liste-preparation")
    for paper, (width, height) in (("Letter", (612, 792)), ("A4", (595, 842))):
        printed = office.pdf(format=paper, print_background=True)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"liste-preparation-{paper}.pdf").write_bytes(printed)
        reader = PdfReader(io.BytesIO(printed))
        assert len(reader.pages) == 1, paper
        box = reader.pages[0].mediabox
        # Chromium rounds A4 (595.3 × 841.9 pt) to whole CSS pixels: within a point or two.
        assert abs(float(box.width) - width) < 2 and abs(float(box.height) - height) < 2, (paper, box)
        text = reader.pages[0].extract_text()
        assert "Liste de préparation — Allan" in text and "Depuis Atelier" in text
        assert all(code in text for code in codes), paper
        assert "Tableau de bord" not in text and "Préparer" not in text.replace("Préparé par", "")  # no menu, no buttons
    office.get_by_role("button", name="Préparer").click()
    office.locator("#resultat").wait_for()
    result = office.locator("#resultat").inner_text()
    assert "Préparé : 24 transferts d'Atelier vers Allan" in result
    assert office.locator("#non-servi tbody tr").count() == 5  # the products the workshop had 1 of
    screenshot(office, "liste-preparation-resultat")
    assert office.problems == []
