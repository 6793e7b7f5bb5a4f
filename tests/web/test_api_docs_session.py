"""« Try it out » on /docs: the API accepts a page session's cookie with its CSRF token, never alone."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from inventaire.ateliers.models import Workshop
from tests.helpers import browser_page, make_product, make_technician, make_token, screenshot

BODY = {"nom": "Atelier de la docs"}


def _workshops(db_session) -> int:
    db_session.rollback()
    return db_session.scalar(select(func.count()).select_from(Workshop))


def test_the_session_with_its_csrf_token_reads_and_writes(pages, db_session):
    make_product(db_session, code_produit="DOC-1")
    db_session.commit()
    listed = pages.get("/inventaire/catalogue", headers={"X-CSRF-Token": pages.csrf})
    assert listed.status_code == 200 and [p["code_produit"] for p in listed.json()] == ["DOC-1"]
    created = pages.post("/inventaire/ateliers", json=BODY, headers={"X-CSRF-Token": pages.csrf})
    assert created.status_code == 201 and created.json()["nom"] == BODY["nom"]


def test_the_cookie_alone_or_a_wrong_token_is_refused_and_changes_nothing(pages, db_session):
    before = _workshops(db_session)
    for headers in ({}, {"X-CSRF-Token": "faux"}, {"X-CSRF-Token": ""}):
        assert pages.get("/inventaire/catalogue", headers=headers).status_code == 401
        refused = pages.post("/inventaire/ateliers", json=BODY, headers=headers)
        assert refused.status_code == 401 and "Authentification requise" in refused.json()["detail"]
    assert _workshops(db_session) == before


def test_the_session_keeps_its_role(app, db_session):
    from fastapi.testclient import TestClient

    from tests.helpers import log_in

    allan = make_technician(db_session, nom="Allan")
    raw = make_token(db_session, "technicien", technician=allan)
    with TestClient(app, raise_server_exceptions=False) as phone:
        csrf = log_in(phone, raw)
        assert phone.get("/inventaire/stock/Allan", headers={"X-CSRF-Token": csrf}).status_code == 200
        refused = phone.post("/inventaire/ateliers", json=BODY, headers={"X-CSRF-Token": csrf})
        assert refused.status_code == 403
    assert _workshops(db_session) == 0


def test_the_docs_page_says_whose_rights_try_it_out_uses(pages):
    text = pages.get("/docs").text
    assert f'<meta name="csrf-token" content="{pages.csrf}">' in text
    assert "agit en votre nom" in text and "« Accès » → « Créer un jeton »" in text and "« Authorize »" in text
    assert "cdn" not in text.lower() and "http" not in text.split("<body>")[1]  # vendored files only


@pytest.mark.browser
def test_try_it_out_answers_200_to_a_person_logged_in_on_the_dashboard(browser, server):
    context, page = browser_page(browser, server, server.admin_token)
    try:
        page.goto("/docs")
        assert "agit en votre nom" in page.locator("#acces-api").inner_text()
        operation = page.locator("#operations-catalogue-list_products_inventaire_catalogue_get")
        operation.locator(".opblock-summary").click()
        assert "Lister les produits du catalogue" in operation.locator(".opblock-summary").inner_text()
        operation.get_by_role("button", name="Try it out").click()
        operation.get_by_role("button", name="Execute").click()
        code = operation.locator(".responses-table.live-responses-table tr.response .response-col_status").first
        code.wait_for(timeout=20_000)
        assert code.inner_text().strip() == "200"
        screenshot(page, "docs-try-it-out")
        assert page.problems == []
    finally:
        context.close()
