"""Issue 25 point 6, in Chromium: « Révoquer » and « Annuler la commande » ask first; « Révoquer »
says when it is the session's own token or the last admin token."""

from __future__ import annotations

import pytest

from inventaire.auth import service as auth_service
from tests.helpers import browser_page, committed

pytestmark = pytest.mark.browser


@pytest.fixture
def office(browser, server):
    context, page = browser_page(browser, server, server.admin_token)
    yield page
    context.close()


def _click_and_answer(page, button, accept: bool) -> str:
    seen: list[str] = []

    def answer(dialog):
        seen.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", answer)
    if accept:
        with page.expect_navigation():
            button.click()
    else:
        button.click()
        page.wait_for_timeout(300)
    return seen[0]


def _revoked(server, token_id: int) -> bool:
    from inventaire.auth.models import ApiToken

    with committed(server.database_url) as s:
        return s.get(ApiToken, token_id).revoked_at is not None


def test_revoking_asks_first_and_names_the_own_session_and_the_last_admin(office, server):
    with server.session() as s:
        _, phone = auth_service.create_token(db_session=s, role="cron", nom="téléphone")
        phone_id = phone.id
    office.goto("/acces")
    own_id = int(office.locator("tr[id^=jeton-]").last.get_attribute("id").split("-")[1])
    own = office.locator(f"#jeton-{own_id} button.revoquer")
    question = _click_and_answer(office, own, accept=False)
    assert question.startswith("C'est le jeton de votre propre session : vous serez déconnecté.")
    assert not _revoked(server, own_id)
    question = _click_and_answer(office, office.locator(f"#jeton-{phone_id} button.revoquer"), accept=False)
    assert question == f"Révoquer le jeton n° {phone_id} («\u00a0téléphone\u00a0») ? Il sera refusé dès maintenant."
    assert not _revoked(server, phone_id)
    _click_and_answer(office, office.locator(f"#jeton-{phone_id} button.revoquer"), accept=True)
    assert _revoked(server, phone_id)
    # The session's own token is the only admin one: both are said.
    question = _click_and_answer(office, own, accept=False)
    assert question.startswith("C'est le jeton de votre propre session : vous serez déconnecté. "
                               "C'est le dernier jeton administrateur")
    with server.session() as s:
        auth_service.create_token(db_session=s, role="admin", nom="autre bureau")
    office.goto("/acces")
    question = _click_and_answer(office, office.locator(f"#jeton-{own_id} button.revoquer"), accept=False)
    assert "dernier jeton administrateur" not in question and not _revoked(server, own_id)
    assert not office.problems


def test_cancelling_an_order_asks_first(office, server):
    from tests.helpers import make_product, make_workshop

    with server.session() as s:
        make_workshop(s, nom="Atelier")
        make_product(s, code_produit="CORD-012", unite="bobine", fournisseur="Röslau")
    with server.client() as api:
        order = api.post("/inventaire/commandes", json={"fournisseur": "Röslau", "atelier": "Atelier", "lignes": [
            {"code_produit": "CORD-012", "quantite": 6, "prix_unitaire": 18.5}]})
        assert order.status_code == 201, order.text
        order_id = order.json()["id"]
    office.goto(f"/commandes/{order_id}")
    button = office.get_by_role("button", name="Annuler la commande")
    question = _click_and_answer(office, button, accept=False)
    assert question == f"Annuler la commande n° {order_id} ? Elle ne pourra plus être envoyée ni reçue."
    with server.client() as api:
        assert api.get(f"/inventaire/commandes/{order_id}").json()["statut"] == "brouillon"
    _click_and_answer(office, button, accept=True)
    with server.client() as api:
        assert api.get(f"/inventaire/commandes/{order_id}").json()["statut"] == "annulee"
