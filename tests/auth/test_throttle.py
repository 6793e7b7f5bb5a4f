"""Failed authentication is throttled per client address: the 21st failure in a minute gets 429."""

from __future__ import annotations

import datetime as dt
import html
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from inventaire.auth import service as auth_service
from inventaire.auth import throttle
from inventaire.auth.models import AuthFailure
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope, utcnow
from inventaire.kit.exceptions import TooManyAttempts
from tests.commands import ServeProcess
from tests.conftest import bearer
from tests.helpers import committed, start_together
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


def test_behind_render_a_rotating_forwarded_address_is_still_throttled(fresh_database):
    """FORWARDED_ALLOW_IPS=* (render.yaml): the client writes the left of X-Forwarded-For, the proxy the right."""
    with live_server(fresh_database.url, FORWARDED_ALLOW_IPS="*") as server:
        with server.client() as client:
            codes = [client.get("/inventaire/catalogue", headers={
                **BAD, "X-Forwarded-For": f"198.51.100.{i}, 203.0.113.7"}).status_code for i in range(25)]
            assert codes == [401] * 20 + [429] * 5
            other = client.get("/inventaire/catalogue", headers={**BAD, "X-Forwarded-For": "203.0.113.7, 203.0.113.8"})
            assert other.status_code == 401  # the proxy saw another client
    with committed(fresh_database.url) as session:
        assert sorted(set(session.scalars(select(AuthFailure.adresse)))) == ["203.0.113.7", "203.0.113.8"]


def test_an_address_longer_than_what_is_stored_is_counted(fresh_database):
    long_address = "2001:db8::" + "a" * 70  # not an address: cut to the 64 characters stored, then compared
    with live_server(fresh_database.url, FORWARDED_ALLOW_IPS="127.0.0.1") as server:
        with server.client() as client:
            assert _hammer(client, 22, **{"X-Forwarded-For": long_address}) == [401] * 20 + [429] * 2
            assert _hammer(client, 1, **{"X-Forwarded-For": "2001:0DB8:0::7"}) == [401]
            assert _hammer(client, 20, **{"X-Forwarded-For": "2001:db8::7"}) == [401] * 19 + [429]  # same address


def test_150_concurrent_bad_tokens_let_exactly_20_through(fresh_database):
    with live_server(fresh_database.url, max_requests=200) as server:
        codes = start_together(server, 150, lambda client, _i: client.get("/inventaire/catalogue",
                                                                          headers=BAD).status_code)
    print(f"150 at once: {codes.count(401)} × 401, {codes.count(429)} × 429")
    assert (codes.count(401), codes.count(429)) == (20, 130)
    with committed(fresh_database.url) as session:
        assert session.scalar(select(func.count(AuthFailure.id))) == 20


def test_two_failures_at_once_from_one_address_are_counted_one_after_the_other(fresh_database):
    """The count and the insert are one step: a second failure waits for the first to commit, then sees it.

    Without that, two failures read 19 at the same moment and both went through (the probe's 25 of 150).
    """
    engine = make_engine(fresh_database.url)
    factory = make_sessionmaker(engine)
    try:
        with session_scope(factory) as s:
            s.add_all(AuthFailure(adresse="203.0.113.9", created_at=utcnow()) for _ in range(19))
        first = factory()
        throttle.count_failure(db_session=first, adresse="203.0.113.9", limit=20)  # the 20th, not committed yet

        def second():
            with session_scope(factory) as s:
                throttle.count_failure(db_session=s, adresse="203.0.113.9", limit=20)

        with ThreadPoolExecutor(1) as pool:
            racing = pool.submit(second)
            time.sleep(1)
            assert not racing.done(), "the second failure was counted while the first was not committed"
            first.commit()
            first.close()
            with pytest.raises(TooManyAttempts):
                racing.result(timeout=30)
        with session_scope(factory) as s:
            assert s.scalar(select(func.count(AuthFailure.id))) == 20
    finally:
        engine.dispose()
