"""Both ways into Gazelle (an API key, OAuth from the dashboard), the live schema check and the
connection's state, against the fake Gazelle, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import logging
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import func, select

from inventaire.gazelle import schema_check
from inventaire.gazelle.client import GazelleClient
from inventaire.gazelle.models import GazelleToken, OAuthState
from tests.commands import flat, run_cli
from tests.gazelle.fake import CLIENT_SECRET, FakeGazelle
from tests.gazelle.test_connector import PLS, stock_up
from tests.helpers import balance_of, database_state
from tests.servers import configure

KEY = "cle-essai-6b0f1c2d9e8a7b6c5d4e3f2a1b0c9d8e"


@pytest.fixture
def keyed():
    fake = FakeGazelle(api_key=KEY).start()
    yield fake
    fake.stop()
    assert fake.invalid == []


def test_api_key_sends_the_key_only_and_never_calls_the_token_endpoint(client, app, keyed, db_session, caplog):
    caplog.set_level(logging.DEBUG)
    configure(app, **keyed.key_settings(KEY))
    stock_up(db_session)
    db_session.commit()
    keyed.add_invoice(7140, items=[(PLS, 100)])
    done = client.post("/inventaire/gazelle/sync")
    assert done.status_code == 200, done.text
    assert done.json()["rapport"]["mouvements_ecrits"] == 1 and balance_of(db_session, "Allan", "PLS-BUV") == 9
    assert keyed.auth_seen and all(h == {"authorization": "", "key": KEY} for h in keyed.auth_seen)
    assert keyed.token_requests == []
    state = client.get("/inventaire/gazelle/etat")
    assert state.status_code == 200 and state.json()["mode"] == "cle_api" and state.json()["connecte"] is True
    assert state.json()["derniere_reussite"]["id"] == done.json()["id"]
    shown = json.dumps([done.json(), state.json(), client.get("/inventaire/gazelle/syncs").json()])
    assert KEY not in shown and KEY not in caplog.text


def test_a_refused_key_fails_at_once_in_french_without_retries(client, app, keyed, db_session):
    configure(app, **keyed.key_settings("une-autre-cle", gazelle_attempts=3))
    before = database_state(db_session)
    answer = client.post("/inventaire/gazelle/sync")
    assert answer.status_code == 502
    assert answer.json()["detail"].startswith("Clé d'API Gazelle refusée")
    assert len(keyed.auth_seen) == 1 and keyed.token_requests == []
    assert database_state(db_session)["balances"] == before["balances"]


def test_the_fake_refuses_the_other_way_in(keyed, gazelle, settings, session_factory):
    """A key-mode Gazelle refuses bearer tokens; an OAuth one refuses a key (as Gazelle does)."""
    headers = {"Authorization": "Bearer at-quelconque"}
    assert httpx.post(f"{keyed.url}/graphql", json={"query": "{ allUsers { id } }"}, headers=headers).status_code == 401
    with GazelleClient(settings.model_copy(update=gazelle.key_settings(KEY)), session_factory) as by_key:
        with pytest.raises(Exception, match="Clé d'API Gazelle refusée"):
            by_key.users()


def test_both_configured_the_key_is_used_and_the_page_says_so(pages, app, keyed):
    configure(app, **{**keyed.settings(), **keyed.key_settings(KEY)})
    page = pages.get("/gazelle")
    assert page.status_code == 200
    assert "Connecté par <strong>clé d'API</strong>" in page.text and "c'est la clé d'API qui est utilisée" in page.text
    assert KEY not in page.text and CLIENT_SECRET not in page.text


def _connect(pages, gazelle) -> httpx.Response:
    """« Connecter Gazelle », the administrator's approval at the fake, then the return."""
    start = pages.get("/gazelle/connecter", follow_redirects=False)
    assert start.status_code == 303, start.text
    target = urlsplit(start.headers["location"])
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query["client_id"] == "client-essai" and query["response_type"] == "code"
    assert query["redirect_uri"] == "http://testserver/gazelle/retour" and len(query["state"]) >= 32
    approved = httpx.get(start.headers["location"], follow_redirects=False)
    assert approved.status_code == 302
    back = urlsplit(approved.headers["location"])
    return pages.get(f"{back.path}?{back.query}")


def test_connect_from_the_dashboard_then_test_and_disconnect(pages, client, app, gazelle, db_session):
    configure(app, **gazelle.oauth_settings())
    assert client.get("/inventaire/gazelle/etat").json()["connecte"] is False
    assert "Non connecté" in pages.get("/gazelle").text
    back = _connect(pages, gazelle)
    assert back.status_code == 200 and "Gazelle est connecté" in back.text, back.text
    assert [r["grant_type"] for r in gazelle.token_requests] == ["authorization_code"]
    db_session.expire_all()
    assert db_session.get(GazelleToken, 1).refresh_token == gazelle.refresh_token
    state = client.get("/inventaire/gazelle/etat").json()
    assert state["mode"] == "oauth" and state["connecte"] is True and state["connecte_depuis"]
    tested = pages.post("/gazelle/verifier", data={"csrf": pages.csrf})
    assert "Connexion à Gazelle réussie (autorisation OAuth)" in tested.text and "4 utilisateurs" in tested.text
    assert client.get("/inventaire/gazelle/etat").json()["verification"]["ok"] is True
    gone = pages.post("/gazelle/deconnecter", data={"csrf": pages.csrf}, follow_redirects=True)
    assert "Gazelle est déconnecté" in gone.text
    db_session.expire_all()
    assert db_session.get(GazelleToken, 1) is None


def test_a_forged_or_replayed_callback_is_refused_and_stores_nothing(pages, anonymous, app, gazelle, db_session):
    configure(app, **gazelle.oauth_settings())
    forged = pages.get("/gazelle/retour", params={"code": "code-volé", "state": "inventé"})
    assert forged.status_code == 403 and "Retour de Gazelle refusé" in forged.text
    start = pages.get("/gazelle/connecter", follow_redirects=False)
    approved = urlsplit(httpx.get(start.headers["location"], follow_redirects=False).headers["location"])
    # Another browser (no nonce cookie: an attacker's link) cannot use this state.
    planted = anonymous.get(f"{approved.path}?{approved.query}")
    assert planted.status_code == 403
    db_session.expire_all()
    assert db_session.get(GazelleToken, 1) is None and gazelle.token_requests == []
    first = pages.get(f"{approved.path}?{approved.query}")
    assert first.status_code == 200
    db_session.expire_all()
    stored = db_session.get(GazelleToken, 1).refresh_token
    replay = pages.get(f"{approved.path}?{approved.query}")
    assert replay.status_code == 403 and "déjà utilisée" in replay.text
    db_session.expire_all()
    assert db_session.get(GazelleToken, 1).refresh_token == stored and len(gazelle.token_requests) == 1
    assert db_session.scalar(select(func.count(OAuthState.id)).where(OAuthState.used_at.is_(None))) == 0


def test_schema_check_ok_and_its_answer(client, app, keyed):
    configure(app, **keyed.key_settings(KEY))
    answer = client.post("/inventaire/gazelle/verifier")
    assert answer.status_code == 200
    assert answer.json() == {"ok": True, "mode": "cle_api", "champs_manquants": [], "utilisateurs": 4, "erreur": None}


@pytest.mark.parametrize("drop", [("PrivateInvoiceItem", "masterServiceItem"), ("PrivateInvoice", "updatedAt"),
                                  ("PrivateUser", "email"), ("PageInfo", "endCursor")])
def test_each_field_the_documents_read_is_checked(settings, session_factory, drop):
    fake = FakeGazelle(api_key=KEY, drop=drop).start()
    try:
        with GazelleClient(settings.model_copy(update=fake.key_settings(KEY)), session_factory) as gz:
            assert schema_check.missing_fields(gz) == [".".join(drop)]
    finally:
        fake.stop()
    assert fake.invalid == []


def test_a_drifted_schema_fails_the_sync_naming_the_field_and_writes_nothing(client, app, db_session, fresh_database):
    fake = FakeGazelle(api_key=KEY, drop=("PrivateInvoiceItem", "masterServiceItem")).start()
    try:
        configure(app, **fake.key_settings(KEY))
        stock_up(db_session)
        db_session.commit()
        fake.add_invoice(7140, items=[(PLS, 100)])
        before = database_state(db_session)
        failed = client.post("/inventaire/gazelle/sync")
        assert failed.status_code == 502
        assert "le champ « PrivateInvoiceItem.masterServiceItem » n'existe plus" in failed.json()["detail"]
        assert database_state(db_session)["balances"] == before["balances"]
        checked = client.post("/inventaire/gazelle/verifier").json()
        assert checked["ok"] is False and checked["champs_manquants"] == ["PrivateInvoiceItem.masterServiceItem"]
        state = client.get("/inventaire/gazelle/etat").json()
        assert "masterServiceItem" in state["derniere_erreur"]["erreur"]
        cli = run_cli(fresh_database.url, "gazelle", "verifier",
                      env={"INVENTAIRE_GAZELLE_API_KEY": KEY, "INVENTAIRE_GAZELLE_API_URL": f"{fake.url}/graphql"})
        assert cli.exit_code == 1, cli.output
        assert "« PrivateInvoiceItem.masterServiceItem »" in flat(cli.output)
    finally:
        fake.stop()
    assert fake.invalid == []  # the sync never sent the invoice query Gazelle would have refused


def test_cli_verifier_ok(fresh_database, keyed):
    env = {"INVENTAIRE_GAZELLE_API_KEY": KEY, "INVENTAIRE_GAZELLE_API_URL": f"{keyed.url}/graphql"}
    result = run_cli(fresh_database.url, "gazelle", "verifier", env=env)
    assert result.exit_code == 0, result.output
    assert "Connexion à Gazelle réussie (clé d'API)" in flat(result.output) and "4 utilisateurs" in flat(result.output)
    as_json = run_cli(fresh_database.url, "gazelle", "verifier", "--json", env=env)
    assert json.loads(as_json.output)["ok"] is True and KEY not in as_json.output


def test_not_connected_pages_say_so(pages, app, gazelle):
    configure(app, **gazelle.oauth_settings())
    for path in ("/regles", "/techniciens/nouveau"):
        assert "Gazelle n'est pas connecté : cliquez sur «\u00a0Connecter Gazelle\u00a0»" in unescape(pages.get(path).text)
