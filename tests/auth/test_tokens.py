"""Bearer tokens: random, shown once, stored hashed, revocable, named, with a last-used time."""

import hashlib

import pytest
from sqlalchemy import event, select, update

from inventaire.auth import service
from inventaire.auth.models import ApiToken
from inventaire.kit.exceptions import InvalidInput, Unauthorized
from tests.helpers import bearer, make_line, make_product, make_technician


def test_tokens_are_random_and_stored_hashed(db_session):
    raw_a, token_a = service.create_token(db_session=db_session, role="admin", nom="bureau")
    raw_b, _ = service.create_token(db_session=db_session, role="cron")
    assert raw_a != raw_b and raw_a.startswith("inv_") and len(raw_a) >= 40
    assert token_a.token_hash == hashlib.sha256(raw_a.encode()).hexdigest()
    stored = [str(v) for v in db_session.execute(select(ApiToken.__table__)).all() for v in v]
    assert not any(raw_a in v or raw_b in v for v in stored)


def test_authenticate_refuses_unknown_revoked_and_empty(db_session):
    raw, token = service.create_token(db_session=db_session, role="admin")
    assert service.authenticate(db_session=db_session, raw=raw).token_id == token.id
    for bad in (None, "", raw + "x", raw[:-1], "inv_" + "A" * 43):
        with pytest.raises(Unauthorized):
            service.authenticate(db_session=db_session, raw=bad)
    service.revoke(db_session=db_session, token_id=token.id)
    with pytest.raises(Unauthorized, match="révoqué"):
        service.authenticate(db_session=db_session, raw=raw)


def test_role_and_technician_rules(db_session):
    allan = make_technician(db_session, nom="Allan")
    with pytest.raises(InvalidInput, match="lié à un technicien"):
        service.create_token(db_session=db_session, role="technicien")
    with pytest.raises(InvalidInput, match="Seul un jeton"):
        service.create_token(db_session=db_session, role="cron", technician=allan)
    with pytest.raises(InvalidInput, match="Rôle inconnu"):
        service.create_token(db_session=db_session, role="root")
    with pytest.raises(InvalidInput, match="1 à 80"):
        service.create_token(db_session=db_session, role="admin", nom="x" * 81)
    _, token = service.create_token(db_session=db_session, role="technicien", technician=allan)
    assert (token.nom, token.technicien_id) == ("Allan", allan.id)


def test_http_401_with_www_authenticate(anon_client, client, db_session):
    raw, token = service.create_token(db_session=db_session, role="admin")
    db_session.commit()
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": f"Basic {raw}"},
                    {"Authorization": "Bearer"}):
        response = anon_client.get("/inventaire/catalogue", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["www-authenticate"] == "Bearer"
        assert raw not in response.text
    assert anon_client.get("/inventaire/catalogue", headers=bearer(raw)).status_code == 200
    service.revoke(db_session=db_session, token_id=token.id)
    db_session.commit()
    response = anon_client.get("/inventaire/catalogue", headers=bearer(raw))
    assert response.status_code == 401
    assert response.json()["detail"] == "Jeton invalide ou révoqué."


def test_last_used_is_recorded(anon_client, db_session):
    raw, token = service.create_token(db_session=db_session, role="cron")
    db_session.commit()
    assert token.last_used_at is None
    assert anon_client.post("/inventaire/check-stock", headers=bearer(raw)).status_code == 200
    db_session.expire_all()
    assert db_session.get(ApiToken, token.id).last_used_at is not None


def test_a_recent_last_use_costs_no_write(anon_client, db_session, engine):
    raw, token = service.create_token(db_session=db_session, role="admin")
    db_session.commit()
    writes = []

    def count_token_updates(conn, cursor, statement, *_):
        if statement.lstrip().upper().startswith("UPDATE API_TOKENS"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", count_token_updates)
    try:
        for _ in range(3):
            assert anon_client.get("/inventaire/catalogue", headers=bearer(raw)).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count_token_updates)
    assert len(writes) == 1  # the first use is recorded; the next ones, within a minute, write nothing
    db_session.expire_all()
    first_use = db_session.get(ApiToken, token.id).last_used_at
    db_session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=first_use - service.TOUCH_EVERY))
    db_session.commit()
    assert anon_client.get("/inventaire/catalogue", headers=bearer(raw)).status_code == 200
    db_session.expire_all()
    assert db_session.get(ApiToken, token.id).last_used_at > first_use  # a stale one is refreshed


def test_deactivated_technician_loses_access(anon_client, client, db_session):
    allan = make_technician(db_session, nom="Allan")
    raw, _ = service.create_token(db_session=db_session, role="technicien", technician=allan)
    db_session.commit()
    assert anon_client.get("/inventaire/stock/Allan", headers=bearer(raw)).status_code == 200
    assert client.put("/inventaire/techniciens/Allan", json={"actif": False}).status_code == 200
    response = anon_client.get("/inventaire/stock/Allan", headers=bearer(raw))
    assert response.status_code == 401
    assert "désactivé" in response.json()["detail"]


def test_auteur_is_the_caller(anon_client, client, db_session):
    allan = make_technician(db_session, nom="Allan")
    make_line(db_session, allan, make_product(db_session, code_produit="CORD-001"), 5)
    raw, _ = service.create_token(db_session=db_session, role="technicien", technician=allan)
    db_session.commit()
    body = {"technicien": "allan", "code_produit": "CORD-001", "ajustement": -1, "type": "utilisation"}
    assert anon_client.post("/inventaire/stock/ajuster", json=body, headers=bearer(raw)).json()["auteur"] == "Allan"
    assert client.post("/inventaire/stock/ajuster", json=body).json()["auteur"] == "bureau"
