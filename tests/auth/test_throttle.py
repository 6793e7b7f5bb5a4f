"""Failed authentication is throttled per client address: the 21st failure in a minute gets 429."""

from __future__ import annotations

import datetime as dt
import html

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from inventaire.auth import service as auth_service
from inventaire.auth import throttle
from inventaire.auth.models import AuthFailure
from inventaire.kit.database import utcnow
from inventaire.kit.exceptions import TooManyAttempts
from tests.commands import ServeProcess
from tests.conftest import bearer
from tests.helpers import committed
from tests.live import live_server

BAD = bearer("inv_pas-un-vrai-jeton")
MESSAGE = "Trop de tentatives d'authentification échouées depuis votre adresse : réessayez dans "


def failures(db_session) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count(AuthFailure.id)))


def test_the_21st_bad_token_in_a_minute_gets_429_and_a_good_token_still_works(app, admin_token, db_session):
    with TestClient(app, raise_server_exceptions=False) as client:
        codes = [client.get("/inventaire/catalogue", headers=BAD).status_code for _ in range(20)]
        assert codes == [401] * 20
        refused = client.get("/inventaire/catalogue", headers=BAD)
        assert refused.status_code == 429
        assert refused.json()["detail"].startswith(MESSAGE)
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert client.get("/inventaire/catalogue", headers=bearer(admin_token)).status_code == 200
        for _ in range(30):  # still refused, and not written: an attacker costs at most 21 writes
            assert client.get("/inventaire/catalogue", headers=BAD).status_code == 429
    assert failures(db_session) == 20


def test_no_token_at_all_is_not_an_attempt(anon_client, db_session):
    assert {anon_client.get("/inventaire/catalogue").status_code for _ in range(25)} == {401}
    assert failures(db_session) == 0


def test_failed_logins_count_too(app, admin_token, db_session):
    with TestClient(app, raise_server_exceptions=False) as client:
        codes = [client.get("/connexion", params={"jeton": "inv_faux"}).status_code for _ in range(20)]
        assert codes == [401] * 20
        refused = client.get("/connexion", params={"jeton": "inv_faux"})
        assert refused.status_code == 429 and "Retry-After" in refused.headers
        assert MESSAGE in html.unescape(refused.text)
        ok = client.get("/connexion", params={"jeton": admin_token}, follow_redirects=False)
        assert ok.status_code == 303  # the right token logs in, whatever the address did before


def test_failures_older_than_a_minute_are_forgotten(db_session):
    now = utcnow()
    db_session.add_all(AuthFailure(adresse="198.51.100.4", created_at=now - dt.timedelta(seconds=s))
                       for s in [70, 65] + [50 - i for i in range(19)])
    db_session.flush()
    throttle.count_failure(db_session=db_session, adresse="198.51.100.4", limit=20)  # 19 in the window: 20th allowed
    with pytest.raises(TooManyAttempts) as refused:
        throttle.count_failure(db_session=db_session, adresse="198.51.100.4", limit=20)
    assert refused.value.headers["Retry-After"] == "10"  # the oldest in the window (50 s ago) leaves in 10 s
    throttle.count_failure(db_session=db_session, adresse="198.51.100.5", limit=20)  # another address is unaffected
    old = select(func.count(AuthFailure.id)).where(AuthFailure.created_at < now - throttle.WINDOW)
    assert db_session.scalar(old) == 0


def _hammer(client: httpx.Client, n: int, **headers) -> list[int]:
    return [client.get("/inventaire/catalogue", headers={**BAD, **headers}).status_code for _ in range(n)]


def test_behind_a_trusted_proxy_the_forwarded_address_counts(fresh_database):
    with live_server(fresh_database.url, FORWARDED_ALLOW_IPS="127.0.0.1") as server:
        with server.client() as client:
            assert _hammer(client, 21, **{"X-Forwarded-For": "203.0.113.7"}) == [401] * 20 + [429]
            assert _hammer(client, 1, **{"X-Forwarded-For": "203.0.113.8"}) == [401]  # another person
            assert client.get("/inventaire/catalogue").status_code == 200


def test_an_untrusted_peer_cannot_choose_its_address(fresh_database):
    with live_server(fresh_database.url, FORWARDED_ALLOW_IPS="") as server:
        with server.client() as client:
            codes = [client.get("/inventaire/catalogue", headers={**BAD, "X-Forwarded-For": f"203.0.113.{i}"}
                                ).status_code for i in range(21)]
            assert codes == [401] * 20 + [429]  # every attempt counted against the real peer


def test_two_servers_on_one_database_share_the_count(fresh_database):
    """What two workers (or two instances) see: the count lives in the database, not in a process."""
    with live_server(fresh_database.url) as one, live_server(fresh_database.url) as two:
        with one.client() as a, two.client() as b:
            assert _hammer(a, 10) + _hammer(b, 10) == [401] * 20
            assert _hammer(a, 1) == [429] and _hammer(b, 1) == [429]
            assert a.get("/inventaire/catalogue").status_code == 200
            assert b.get("/inventaire/catalogue").status_code == 200


def test_serve_with_two_workers_throttles_once_for_both(fresh_database, tmp_path):
    with committed(fresh_database.url) as session:
        good, _ = auth_service.create_token(db_session=session, role="admin", nom="bureau")
    with ServeProcess(fresh_database.url, tmp_path, args=("--workers", "2")) as server:
        codes = []
        for _ in range(25):  # a new connection each time: the kernel spreads them over both workers
            codes.append(httpx.get(f"{server.base_url}/inventaire/catalogue", headers=BAD, timeout=30).status_code)
        good_code = httpx.get(f"{server.base_url}/inventaire/catalogue", headers=bearer(good), timeout=30).status_code
    print(f"2 workers: {codes.count(401)} × 401 then {codes.count(429)} × 429; good token {good_code}")
    assert codes == [401] * 20 + [429] * 5
    assert good_code == 200
