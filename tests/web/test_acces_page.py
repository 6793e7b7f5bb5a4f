"""« Accès »: the office creates a token (shown once, with its link and QR code), lists and revokes."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from inventaire.auth import service as auth_service
from inventaire.auth.models import ApiToken
from inventaire.kit.config import Settings
from tests.helpers import database_state, make_technician


@pytest.fixture
def allan(db_session):
    technician = make_technician(db_session, nom="Allan")
    db_session.commit()
    return technician


def _form(pages, **values):
    key = re.search(r'name="cle" value="([^"]+)"', pages.get("/acces").text).group(1)
    return {"csrf": pages.csrf, "cle": key, "role": "technicien", "technicien": "Allan", "nom": "", **values}


def test_a_token_is_shown_once_with_its_link_and_qr_code(pages, allan, db_session, anonymous):
    response = pages.post("/acces", data=_form(pages, nom="téléphone d'Allan"))
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    raw = re.search(r'id="jeton-brut">(inv_[^<]+)<', response.text).group(1)
    link = re.search(r'class="lien-connexion" href="([^"]+)"', response.text).group(1)
    assert link == f"http://testserver/connexion?jeton={raw}"
    assert '<svg' in response.text and "Lien de connexion" in response.text  # the QR code, inline
    token = auth_service.authenticate(db_session=db_session, raw=raw)
    assert (token.role, token.nom, token.technicien_id) == ("technicien", "téléphone d'Allan", allan.id)
    assert anonymous.get(link.replace("http://testserver", "")).status_code == 200  # the link logs in
    listing = pages.get("/acces").text
    assert raw not in listing and "téléphone d&#39;Allan" in listing  # never shown again


def test_links_use_the_public_address_when_set(settings, session_factory, allan, admin_token):
    from fastapi.testclient import TestClient

    from inventaire.app import create_app
    from tests.helpers import log_in

    public = Settings(DATABASE_URL=settings.database_url, base_url="https://stock.example.com/")
    # Over https, as behind the public address: its cookies are Secure (INVENTAIRE_BASE_URL is https).
    with TestClient(create_app(public, session_factory=session_factory), base_url="https://testserver") as client:
        client.csrf = log_in(client, admin_token)
        text = client.post("/acces", data=_form(client)).text
    assert re.search(r'href="https://stock\.example\.com/connexion\?jeton=inv_', text)


def test_sending_the_form_twice_creates_one_token(pages, allan, db_session):
    form = _form(pages)
    assert pages.post("/acces", data=form).status_code == 200
    before = database_state(db_session)
    again = pages.post("/acces", data=form, follow_redirects=False)
    assert again.status_code == 303 and "avis=deja" in again.headers["location"]
    assert database_state(db_session) == before


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"role": "chef"}, "role", "Choisissez pour qui est ce jeton."),
    ({"technicien": ""}, "technicien", "Choisissez le technicien."),
    ({"technicien": "Inconnu"}, "technicien", "Technicien inconnu ou désactivé : «\u00a0Inconnu\u00a0»."),
    ({"nom": "x" * 81}, "nom", "Le nom d'un jeton doit compter de 1 à 80 caractères."),
])
def test_a_refused_form_keeps_the_values_and_says_why_next_to_the_field(pages, allan, db_session, values, field,
                                                                         message):
    before = database_state(db_session)
    response = pages.post("/acces", data=_form(pages, **values))
    assert response.status_code == 422
    assert f'<p class="erreur-champ" id="e-{field}">{message}</p>' in response.text.replace("&#39;", "'").replace(
        "&laquo;", "«")
    if values.get("nom"):
        assert f'value="{values["nom"]}"' in response.text
    assert database_state(db_session) == before


def test_the_list_shows_last_use_in_local_time_and_revoking_stops_the_token(pages, allan, db_session, client):
    raw, token = auth_service.create_token(db_session=db_session, role="cron", nom="cron du matin")
    token.last_used_at = dt.datetime(2026, 11, 30, 17, 5, tzinfo=dt.UTC)  # 12 h 05 in Montréal
    db_session.commit()
    row = re.search(rf'<tr id="jeton-{token.id}">(.*?)</tr>', pages.get("/acces").text, re.S).group(1)
    assert "30 nov. 2026, 12\u00a0h\u00a005" in row
    response = pages.post(f"/acces/{token.id}/revoquer", data={"csrf": pages.csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert f"Jeton n° {token.id} révoqué" in pages.get(response.headers["location"]).text
    db_session.expire_all()
    assert db_session.get(ApiToken, token.id).revoked_at is not None
    assert client.post("/inventaire/check-stock", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_a_technician_cannot_open_the_page(app, db_session, allan):
    from fastapi.testclient import TestClient

    from tests.helpers import log_in, make_token

    with TestClient(app, raise_server_exceptions=False) as phone:
        log_in(phone, make_token(db_session, "technicien", technician=allan))
        assert phone.get("/acces").status_code == 403
