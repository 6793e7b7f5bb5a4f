"""The company's name and address on the pages: asked at the first start and on « Commandes » until
saved, changed on /entreprise, refused input shown beside its field with nothing stored; the order
PDF read back with pypdf carries what was saved (Chromium)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from inventaire.commandes import service as orders
from inventaire.entreprise.models import Company
from tests.helpers import database_state, make_product, make_workshop, screenshot

TYPED = {"nom": "Pianos Tremblay inc.", "adresse": "1234, rue Saint-Denis\r\nMontréal (Québec)  H2X 3K2",
         "telephone": "514 555-0100", "courriel": "bureau@pianos-tremblay.example"}


def _stored(db_session) -> list[tuple]:
    db_session.expire_all()
    return [(c.nom, c.adresse, c.telephone, c.courriel) for c in db_session.scalars(select(Company))]


def test_the_first_start_asks_on_the_dashboard_and_on_commandes_until_saved(pages, db_session):
    for path in ("/", "/commandes"):
        assert 'id="entreprise-invite"' in pages.get(path).text, path
    saved = pages.post("/entreprise", data={"csrf": pages.csrf, "suite": "/commandes", **TYPED}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/commandes"
    assert _stored(db_session) == [("Pianos Tremblay inc.", "1234, rue Saint-Denis\nMontréal (Québec)  H2X 3K2",
                                    "514 555-0100", "bureau@pianos-tremblay.example")]
    for path in ("/", "/commandes"):
        assert 'id="entreprise-invite"' not in pages.get(path).text, path
    assert "Bons de commande au nom de «\u00a0Pianos Tremblay inc.\u00a0»" in pages.get("/commandes").text


def test_settings_already_set_by_the_environment_are_not_asked_again(pages, app):
    app.state.settings = app.state.settings.model_copy(update={"entreprise": "Pianos Tremblay inc."})
    assert 'id="entreprise-invite"' not in pages.get("/commandes").text


def test_bad_input_is_shown_beside_its_field_and_nothing_is_stored(pages, db_session):
    before = database_state(db_session)
    for typed, field, message in (({**TYPED, "nom": "  "}, "nom", "champ obligatoire"),
                                  ({**TYPED, "nom": "x" * 121}, "nom", "trop long (au plus 120 caractères)"),
                                  ({**TYPED, "adresse": "1\n2\n\n3\n4\n5"}, "adresse", "4 lignes au plus"),
                                  ({**TYPED, "adresse": "rue\n" + "r" * 81}, "adresse",
                                   "ligne 2 : trop long (au plus 80 caractères)")):
        refused = pages.post("/entreprise", data={"csrf": pages.csrf, "suite": "/", **typed})
        assert refused.status_code == 422
        html = refused.text
        assert f'<p class="erreur-champ" id="e-{field}">{message}</p>' in html, html
        assert "Rien n'a été enregistré" in html
        assert 'value="514 555-0100"' in html and 'name="suite" value="/"' in html  # what was typed stays
    assert database_state(db_session) == before
    assert pages.post("/entreprise", data=TYPED).status_code == 403  # no CSRF token


def test_the_office_changes_them_later_on_their_page(pages, db_session):
    pages.post("/entreprise", data={"csrf": pages.csrf, **TYPED})
    page = pages.get("/entreprise")
    assert 'value="Pianos Tremblay inc."' in page.text and "Montréal (Québec)  H2X 3K2</textarea>" in page.text
    changed = pages.post("/entreprise", data={"csrf": pages.csrf, **TYPED, "telephone": "", "suite": "https://ailleurs"})
    assert changed.status_code == 200 and "Nom et adresse de l&#39;entreprise enregistrés." in changed.text
    assert str(changed.url).endswith("/entreprise?avis=enregistre")  # a foreign `suite` is never followed
    assert _stored(db_session)[0][2] is None


@pytest.mark.browser
def test_the_prompt_on_commandes_then_the_order_pdf(browser, server):
    with server.session() as s:
        product = make_product(s, code_produit="CORD-012", fournisseur="Röslau", prix_unitaire=Decimal("18.50"))
        order = orders.create(db_session=s, fournisseur="Röslau", workshop=make_workshop(s, nom="Atelier"),
                              lines=[orders.LineIn(product=product, quantite=Decimal(2), prix_unitaire=Decimal("18.50"))],
                              auteur="bureau", tz="America/Montreal")
        s.flush()
        order_id = order.id
    context = browser.new_context(base_url=server.base_url, locale="fr-CA")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    try:
        page.goto(f"/connexion?jeton={server.admin_token}")
        page.goto("/commandes")
        prompt = page.locator("#entreprise-invite")
        assert prompt.is_visible()
        screenshot(page, "entreprise-invite")
        prompt.get_by_label("Nom").fill("")
        prompt.get_by_role("button", name="Enregistrer").click()
        assert page.locator("#e-nom").inner_text() == "champ obligatoire"  # beside the field, on its own page
        page.get_by_label("Nom").fill("Pianos Tremblay inc.")
        page.get_by_label("Adresse").fill("1234, rue Saint-Denis\nMontréal (Québec)  H2X 3K2")
        page.get_by_label("Téléphone").fill("514 555-0100")
        page.get_by_role("link", name="← Commandes").wait_for()
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_url("**/commandes")
        assert page.locator("#entreprise-invite").count() == 0
        assert "Pianos Tremblay inc." in page.locator("#entreprise-actuelle").inner_text()
        answer = page.request.get(f"/commandes/{order_id}/pdf")
        assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.body())).pages)
        for expected in ("Pianos Tremblay inc.", "1234, rue Saint-Denis", "Montréal (Québec)  H2X 3K2",
                         "Tél. : 514 555-0100", "Livrer à : Pianos Tremblay inc., Atelier"):
            assert expected in text.replace("\u00a0", " "), (expected, text)
        assert "Inventaire" not in text
        # The one refusal above answers 422 on purpose (the browser logs it); nothing else went wrong.
        assert [p for p in problems if "status of 422" not in p] == []
    finally:
        context.close()


@pytest.mark.browser
def test_the_prompt_fits_a_phone(browser, server):
    context = browser.new_context(base_url=server.base_url, viewport={"width": 390, "height": 844}, locale="fr-CA")
    page = context.new_page()
    try:
        page.goto(f"/connexion?jeton={server.admin_token}")
        for path in ("/", "/commandes", "/entreprise"):
            page.goto(path)
            if path != "/entreprise":
                assert page.locator("#entreprise-invite textarea").is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path  # no sideways scroll
        screenshot(page, "entreprise-390")
    finally:
        context.close()
