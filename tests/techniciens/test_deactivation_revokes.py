"""Deactivating a technician revokes their tokens and page sessions: reactivating them later does not
bring back a phone that was lost or handed on meanwhile (both databases)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers import bearer, log_in, make_technician, make_token


def test_reactivated_technician_needs_a_new_token(app, client, db_session):
    allan = make_technician(db_session, nom="Allan")
    raw = make_token(db_session, "technicien", technician=allan)
    other = make_token(db_session, "technicien", technician=make_technician(db_session, nom="Margot"))
    with TestClient(app, raise_server_exceptions=False) as phone:
        log_in(phone, raw)
        assert phone.get("/stock/Allan").status_code == 200
        assert phone.get("/inventaire/stock/Allan", headers=bearer(raw)).status_code == 200

        assert client.put("/inventaire/techniciens/Allan", json={"actif": False}).status_code == 200
        assert client.put("/inventaire/techniciens/Allan", json={"actif": True}).status_code == 200

        refused = phone.get("/inventaire/stock/Allan", headers=bearer(raw))
        assert refused.status_code == 401 and "révoqué" in refused.json()["detail"]
        page = phone.get("/stock/Allan", follow_redirects=False)
        assert page.status_code in (302, 303, 401) and page.status_code != 200
    assert client.get("/inventaire/stock/Margot", headers=bearer(other)).status_code == 200  # others untouched
    fresh = make_token(db_session, "technicien", technician=allan)
    assert client.get("/inventaire/stock/Allan", headers=bearer(fresh)).status_code == 200
