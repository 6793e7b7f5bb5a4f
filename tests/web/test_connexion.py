"""Logging in and out, session cookies, roles, and CSRF protection of every state-changing page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from inventaire.auth import service as auth_service
from inventaire.catalogue.models import Product
from inventaire.web.models import WebSession
from tests.helpers import csrf_of, error_header, log_in, make_product, make_technician, make_token

PAGES = ["/", "/verifications", "/evolution", "/catalogue", "/stock", "/techniciens", "/transactions", "/transactions.csv"]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visit_is_sent_to_login(anonymous, path):
    response = anonymous.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/connexion?suite=")


def test_login_link_sets_an_opaque_httponly_strict_cookie(anonymous, admin_token, db_session):
    response = anonymous.get("/connexion", params={"jeton": admin_token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "inventaire_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert admin_token not in cookie
    value = anonymous.cookies["inventaire_session"]
    assert db_session.scalar(select(func.count(WebSession.id))) == 1
    assert value not in str(db_session.scalar(select(WebSession.cle_hash)))  # only its hash is stored
    assert anonymous.get("/").status_code == 200


def test_cookie_is_secure_over_https_and_on_localhost(app, admin_token):
    for base in ("https://testserver", "http://localhost:8000", "http://127.0.0.1:8000"):
        with TestClient(app, base_url=base) as client:
            response = client.get("/connexion", params={"jeton": admin_token}, follow_redirects=False)
            assert "Secure" in response.headers["set-cookie"], base
    with TestClient(app, base_url="http://192.168.1.20:8000") as client:  # a phone on the shop's LAN
        response = client.get("/connexion", params={"jeton": admin_token}, follow_redirects=False)
        assert "Secure" not in response.headers["set-cookie"]


def test_login_form_with_csrf(anonymous, admin_token):
    form = anonymous.get("/connexion")
    assert form.status_code == 200 and "Jeton d'accès" in form.text
    token = form.text.split('name="csrf" value="')[1].split('"')[0]
    response = anonymous.post("/connexion", data={"csrf": token, "jeton": admin_token, "suite": "/catalogue"},
                              follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/catalogue"


def test_login_form_without_its_csrf_is_refused(anonymous, admin_token):
    anonymous.get("/connexion")
    response = anonymous.post("/connexion", data={"csrf": "forged", "jeton": admin_token}, follow_redirects=False)
    assert response.status_code == 403
    assert "inventaire_session" not in response.headers.get("set-cookie", "")


def test_bad_token_is_refused_in_french(anonymous):
    response = anonymous.get("/connexion", params={"jeton": "inv_faux"})
    assert response.status_code == 401
    assert "Jeton invalide ou révoqué." in response.text
    assert "inv_faux" not in response.text
    assert anonymous.get("/", follow_redirects=False).status_code == 303


def test_cron_token_cannot_open_pages(anonymous, db_session):
    cron = make_token(db_session, "cron")
    response = anonymous.get("/connexion", params={"jeton": cron})
    assert response.status_code == 403 and "rôle «\u00a0cron\u00a0»" in response.text
    assert anonymous.get("/", follow_redirects=False).status_code == 303


def test_cross_site_login_link_asks_for_confirmation(anonymous, admin_token):
    response = anonymous.get("/connexion", params={"jeton": admin_token},
                             headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False)
    assert response.status_code == 200 and "Confirmez la connexion" in response.text
    assert "inventaire_session" not in response.headers.get("set-cookie", "")


def test_next_page_is_kept_but_never_another_site(anonymous, admin_token):
    ok = anonymous.get("/connexion", params={"jeton": admin_token, "suite": "/transactions?type=reception"},
                       follow_redirects=False)
    assert ok.headers["location"] == "/transactions?type=reception"
    evil = anonymous.get("/connexion", params={"jeton": admin_token, "suite": "//evil.example/"},
                         follow_redirects=False)
    assert evil.headers["location"] == "/"


def test_post_without_csrf_is_refused_and_changes_nothing(pages, db_session):
    product = make_product(db_session, code_produit="CSRF-1")
    db_session.commit()
    for headers, data in [({}, {}), ({}, {"csrf": "faux"}), ({"X-CSRF-Token": "faux"}, {})]:
        response = pages.post("/catalogue/CSRF-1/archiver", data=data, headers=headers, follow_redirects=False)
        assert response.status_code == 403
        assert "CSRF" in response.text
    db_session.expire_all()
    assert db_session.get(Product, product.id).actif is True


def test_post_from_another_origin_is_refused(pages, db_session):
    make_product(db_session, code_produit="CSRF-2")
    db_session.commit()
    response = pages.post("/catalogue/CSRF-2/archiver", data={"csrf": pages.csrf},
                          headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert response.status_code == 403 and "autre site" in response.text
    ok = pages.post("/catalogue/CSRF-2/archiver", data={"csrf": pages.csrf}, follow_redirects=False)
    assert ok.status_code == 303


def test_logout_ends_the_session_for_good(pages, db_session):
    cookie = pages.cookies["inventaire_session"]
    refused = pages.get("/deconnexion")
    assert refused.status_code == 200 and "Se déconnecter" in refused.text
    response = pages.post("/deconnexion", data={"csrf": pages.csrf}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/connexion")
    # Replaying the old cookie does not work: the session is gone server-side.
    pages.cookies.set("inventaire_session", cookie)
    assert pages.get("/", follow_redirects=False).status_code == 303
    assert db_session.scalar(select(func.count(WebSession.id))) == 0


def test_revoking_the_token_ends_its_sessions(pages, db_session, admin_token):
    principal = auth_service.authenticate(db_session=db_session, raw=admin_token)
    auth_service.revoke(db_session=db_session, token_id=principal.token_id)
    db_session.commit()
    assert pages.get("/", follow_redirects=False).status_code == 303


def test_technician_sees_catalogue_and_own_stock_only(anonymous, db_session):
    allan = make_technician(db_session, nom="Allan")
    make_technician(db_session, nom="Nicolas")
    token = make_token(db_session, "technicien", technician=allan)
    csrf = log_in(anonymous, token)
    assert anonymous.get("/", follow_redirects=False).headers["location"] == "/stock/Allan"
    assert anonymous.get("/stock/Allan").status_code == 200
    assert anonymous.get("/catalogue").status_code == 200
    assert "Ajouter un produit" not in anonymous.get("/catalogue").text
    for path in ["/stock/Nicolas", "/verifications", "/evolution", "/transactions", "/transactions.csv",
                 "/catalogue/nouveau", "/fragments/tableau"]:
        response = anonymous.get(path)
        assert response.status_code == 403, path
        assert "Accès refusé" in response.text or "réservée au bureau" in response.text
    response = anonymous.post("/catalogue/nouveau", data={"csrf": csrf, "code_produit": "X-1", "nom_produit": "X"})
    assert response.status_code == 403
    assert csrf_of(anonymous.get("/stock/Allan").text) == csrf


def test_htmx_request_without_session_gets_401_with_a_message(anonymous):
    response = anonymous.get("/fragments/tableau", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert "session" in error_header(response)


def test_pages_carry_security_headers(pages):
    response = pages.get("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
