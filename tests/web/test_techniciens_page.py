"""The office's technicians page: list, add, rename, e-mail, deactivate; refusals in French."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from inventaire.auth import service as auth_service
from inventaire.kit.exceptions import Unauthorized
from inventaire.techniciens import service as techniciens
from tests.helpers import database_state, log_in, make_technician, make_token


@pytest.fixture
def team(db_session):
    make_technician(db_session, nom="Allan", email="allan@example.com")
    make_technician(db_session, nom="Margot", email=None)
    db_session.commit()


def _technician(db_session, nom):
    db_session.expire_all()
    return techniciens.get_by_name(db_session=db_session, nom=nom)


def test_the_list_shows_every_technician_with_links(pages, team):
    html = pages.get("/techniciens").text
    assert "allan@example.com" in html and "Margot" in html
    assert 'href="/techniciens/Allan/modifier"' in html and 'href="/stock/Allan"' in html
    assert 'href="/techniciens/nouveau"' in html


def test_adding_a_technician_with_accents_and_spaces(pages, team, db_session):
    response = pages.post("/techniciens/nouveau", follow_redirects=False, data={
        "csrf": pages.csrf, "nom": "  Jean-Sébastien   Côté ", "email": "jsc@example.com"})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/techniciens?avis=ajoute&nom=Jean-S")
    added = _technician(db_session, "jean-sébastien côté")
    assert (added.nom, added.email, added.actif) == ("Jean-Sébastien Côté", "jsc@example.com", True)
    assert "Technicien «\u00a0Jean-Sébastien Côté\u00a0» ajouté." in pages.get(response.headers["location"]).text


@pytest.mark.parametrize(("values", "field", "message", "status"), [
    ({"nom": ""}, "nom", "obligatoire", 422),
    ({"nom": "ALLAN"}, "nom", "existe déjà", 409),  # whatever its case
    ({"nom": "Nouveau", "email": "pas-un-courriel"}, "email", "", 422),
    ({"nom": "x" * 61}, "nom", "", 422),
])
def test_a_refused_technician_says_why_next_to_the_field(pages, team, db_session, values, field, message, status):
    before = database_state(db_session)
    response = pages.post("/techniciens/nouveau", data={"csrf": pages.csrf, "email": "", **values})
    assert response.status_code == status
    assert f'id="e-{field}"' in response.text and message in response.text
    assert "n'a pas été enregistré" in response.text
    assert database_state(db_session) == before


def test_renaming_and_clearing_the_email(pages, team, db_session):
    response = pages.post("/techniciens/allan/modifier", follow_redirects=False, data={
        "csrf": pages.csrf, "nom": "Allan Tremblay", "email": "", "actif": "on"})
    assert response.status_code == 303
    renamed = _technician(db_session, "Allan Tremblay")
    assert (renamed.email, renamed.actif) == (None, True)


def test_deactivating_revokes_the_technicians_tokens(pages, team, db_session):
    raw = make_token(db_session, "technicien", technician=_technician(db_session, "Margot"))
    response = pages.post("/techniciens/Margot/modifier", follow_redirects=False,
                          data={"csrf": pages.csrf, "nom": "Margot", "email": ""})  # box unticked
    assert response.status_code == 303 and "avis=desactive" in response.headers["location"]
    assert _technician(db_session, "Margot").actif is False
    with pytest.raises(Unauthorized):
        auth_service.authenticate(db_session=db_session, raw=raw)
    assert "désactivé : ses jetons ne fonctionnent plus" in pages.get(response.headers["location"]).text


def test_renaming_onto_another_name_is_refused(pages, team, db_session):
    before = database_state(db_session)
    response = pages.post("/techniciens/Margot/modifier",
                          data={"csrf": pages.csrf, "nom": "allan", "email": "", "actif": "on"})
    assert response.status_code == 409 and "existe déjà" in response.text
    assert database_state(db_session) == before


def test_only_the_office_manages_technicians(app, team, db_session):
    token = make_token(db_session, "technicien", technician=_technician(db_session, "Allan"))
    with TestClient(app, raise_server_exceptions=False) as client:
        csrf = log_in(client, token)
        assert client.get("/techniciens").status_code == 403
        before = database_state(db_session)
        refused = client.post("/techniciens/nouveau", data={"csrf": csrf, "nom": "Intrus"})
        assert refused.status_code == 403
        assert database_state(db_session) == before


def test_the_gazelle_user_is_set_cleared_and_unique(pages, team, db_session):
    response = pages.post("/techniciens/allan/modifier", follow_redirects=False, data={
        "csrf": pages.csrf, "nom": "Allan", "email": "allan@example.com", "gazelle_id": "usr_aS8wQ2nLk4Tz",
        "actif": "on"})
    assert response.status_code == 303
    assert _technician(db_session, "Allan").gazelle_id == "usr_aS8wQ2nLk4Tz"
    assert "usr_aS8wQ2nLk4Tz" in pages.get("/techniciens").text
    before = database_state(db_session)
    taken = pages.post("/techniciens/margot/modifier", data={
        "csrf": pages.csrf, "nom": "Margot", "email": "", "gazelle_id": "usr_aS8wQ2nLk4Tz", "actif": "on"})
    assert taken.status_code == 409
    assert 'id="e-gazelle_id"' in taken.text and "déjà associé à Allan" in taken.text
    assert database_state(db_session) == before
    cleared = pages.post("/techniciens/allan/modifier", follow_redirects=False, data={
        "csrf": pages.csrf, "nom": "Allan", "email": "allan@example.com", "gazelle_id": "", "actif": "on"})
    assert cleared.status_code == 303
    assert _technician(db_session, "Allan").gazelle_id is None
