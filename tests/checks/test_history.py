"""History of checks: GET /verifications (paginated, newest first) and GET /verifications/{id}."""

import pytest

from inventaire.auth import service as auth_service
from tests.helpers import bearer, make_line, make_product, make_technician


@pytest.fixture
def two_vans(db_session):
    allan = make_technician(db_session, nom="Allan")
    margot = make_technician(db_session, nom="Margot")
    corde = make_product(db_session, code_produit="CORD-001", nom_produit="Corde #1 (Do)")
    make_line(db_session, allan, corde, 2)
    make_line(db_session, margot, corde, 9)
    db_session.commit()
    return allan, margot


def run(client, **params) -> dict:
    response = client.post("/inventaire/check-stock", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_list_is_newest_first_and_paginated(client, two_vans):
    ids = [run(client)["verification_id"], run(client, technicien="Allan")["verification_id"],
           run(client, seuil_critique=10, notifier="false")["verification_id"]]
    page = client.get("/inventaire/verifications", params={"limit": 2}).json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 0)
    assert [v["id"] for v in page["items"]] == ids[::-1][:2]
    assert [v["id"] for v in client.get("/inventaire/verifications", params={"offset": 2}).json()["items"]] == ids[:1]
    newest, middle = page["items"]
    assert (newest["seuil_critique"], newest["total_alertes"], newest["notifier"]) == (10, 2, False)
    assert newest["statut_notifications"] == "desactivees" and newest["declenchee_par"] == "bureau"
    assert (middle["technicien"], middle["statut_notifications"], middle["notifications"]) == ("Allan", "aucune", [])
    only_allan = client.get("/inventaire/verifications", params={"technicien": "ALLAN"}).json()
    assert [v["id"] for v in only_allan["items"]] == [ids[1]] and only_allan["total"] == 1


def test_detail_is_the_report_as_it_was(client, two_vans):
    answered = run(client)
    client.post("/inventaire/stock/ajuster", json={
        "technicien": "Allan", "code_produit": "CORD-001", "ajustement": 20, "type": "reception"})
    detail = client.get(f"/inventaire/verifications/{answered['verification_id']}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["rapport"] == answered["rapport"]  # the later reception changes nothing stored
    assert body["rapport"]["alertes"][0]["etat"] == "nouvelle"
    assert body["notifications"] == answered["notifications"] == []
    assert run(client)["rapport"]["resolues"][0]["quantite_actuelle"] == 22


def test_unknown_and_invalid(client, two_vans):
    assert client.get("/inventaire/verifications/999999").status_code == 404
    assert "Vérification inconnue" in client.get("/inventaire/verifications/999999").json()["detail"]
    assert client.get("/inventaire/verifications/0").status_code == 422
    assert client.get("/inventaire/verifications", params={"limit": 0}).status_code == 422
    assert client.get("/inventaire/verifications", params={"technicien": "Personne"}).status_code == 404


def test_history_is_for_the_office_only(client, anon_client, db_session, two_vans):
    allan, _ = two_vans
    vid = run(client)["verification_id"]
    cron, _ = auth_service.create_token(db_session=db_session, role="cron")
    tech, _ = auth_service.create_token(db_session=db_session, role="technicien", technician=allan)
    db_session.commit()
    for path in ("/inventaire/verifications", f"/inventaire/verifications/{vid}"):
        assert anon_client.get(path).status_code == 401
        assert anon_client.get(path, headers=bearer(cron)).status_code == 403
        assert anon_client.get(path, headers=bearer(tech)).status_code == 403
    assert anon_client.post("/inventaire/check-stock", headers=bearer(cron)).status_code == 200
