"""Issue 25 point 15: the Gazelle page speaks to the office, in each of its states.

No environment variable's name and no pointer to the README on the page: it says who to ask and
which button to press. Against the fake Gazelle, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from html import unescape

import pytest

from tests.gazelle.fake import FakeGazelle
from tests.servers import configure

KEY = "cle-essai-0f9e8d7c6b5a49382716a5b4c3d2e1f0"


@pytest.fixture
def keyed():
    fake = FakeGazelle(api_key=KEY).start()
    yield fake
    fake.stop()


def _says_no_developer_words(text: str) -> str:
    text = unescape(text)
    assert "INVENTAIRE_" not in text and "README" not in text
    return text


def test_not_connected_says_who_to_ask(pages, app):
    configure(app, gazelle_api_key=None, gazelle_client_id=None, gazelle_client_secret=None, gazelle_refresh_token=None)
    page = pages.get("/gazelle")
    assert page.status_code == 200
    text = _says_no_developer_words(page.text)
    assert "Gazelle n'est pas connecté." in text and "la personne qui gère l'hébergement du service" in text
    sync = pages.post("/deductions/synchroniser", data={"csrf": pages.csrf}, follow_redirects=True)
    _says_no_developer_words(sync.text)
    assert "Gazelle n'est pas connecté" in unescape(sync.text)
    refused = pages.get("/gazelle/connecter", follow_redirects=True)
    assert "hébergement" in _says_no_developer_words(refused.text)


def test_connected_by_key_and_a_refused_key(pages, app, keyed):
    configure(app, **keyed.key_settings(KEY))
    assert "Connecté par <strong>clé d'API</strong>" in _says_no_developer_words(pages.get("/gazelle").text)
    configure(app, **keyed.key_settings("une-cle-revoquee"))
    tested = pages.post("/gazelle/verifier", data={"csrf": pages.csrf}, follow_redirects=True)
    assert "Clé d'API Gazelle refusée" in _says_no_developer_words(tested.text)
    pages.post("/deductions/synchroniser", data={"csrf": pages.csrf}, follow_redirects=True)
    page = _says_no_developer_words(pages.get("/gazelle").text)
    assert "Dernier échec" in page and "Clé d'API Gazelle refusée" in page


def test_oauth_not_yet_authorized(pages, app, gazelle):
    configure(app, **gazelle.oauth_settings())
    page = _says_no_developer_words(pages.get("/gazelle").text)
    assert "Non connecté" in page and "Connecter Gazelle" in page
