"""Consumption rules over HTTP: add, list, change, remove; refusals change nothing."""

from tests.helpers import database_state, make_product

RULE = {"service_id": "mit_2eBOzDvunD7PHs6M", "code_produit": "PLS-BUV", "quantite": 1,
        "service_nom": "Entretien annuel du système PLS", "notes": None}


def test_add_list_change_remove(client, db_session):
    make_product(db_session, code_produit="PLS-BUV", nom_produit="Buvards PLS", unite="jeu")
    make_product(db_session, code_produit="PLS-GAINE", nom_produit="Gaine PLS")
    created = client.post("/inventaire/regles", json=RULE)
    assert created.status_code == 201, created.text
    body = created.json()
    assert {k: body[k] for k in RULE} == RULE
    assert body["nom_produit"] == "Buvards PLS" and isinstance(body["id"], int)
    second = client.post("/inventaire/regles", json={**RULE, "code_produit": "PLS-GAINE", "quantite": 0.5})
    assert second.status_code == 201  # one service consumes several products
    listed = client.get("/inventaire/regles").json()
    assert [(r["code_produit"], r["quantite"]) for r in listed] == [("PLS-BUV", 1), ("PLS-GAINE", 0.5)]

    changed = client.put(f"/inventaire/regles/{body['id']}", json={"quantite": 2, "notes": "jeu de 5"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["quantite"], changed.json()["notes"]) == (2, "jeu de 5")
    removed = client.delete(f"/inventaire/regles/{body['id']}")
    assert removed.status_code == 200 and removed.json()["code_produit"] == "PLS-BUV"
    assert [r["code_produit"] for r in client.get("/inventaire/regles").json()] == ["PLS-GAINE"]
    assert client.delete(f"/inventaire/regles/{body['id']}").status_code == 404


def test_refusals_are_french_and_change_nothing(client, db_session):
    make_product(db_session, code_produit="PLS-BUV")
    assert client.post("/inventaire/regles", json=RULE).status_code == 201
    before = database_state(db_session)
    duplicate = client.post("/inventaire/regles", json={**RULE, "quantite": 3})
    assert duplicate.status_code == 409
    assert "existe déjà" in duplicate.json()["detail"]
    unknown = client.post("/inventaire/regles", json={**RULE, "code_produit": "NOPE-1"})
    assert unknown.status_code == 404 and "Produit inconnu" in unknown.json()["detail"]
    for quantite in (0, -1, "1", 1.0005):
        assert client.post("/inventaire/regles", json={**RULE, "service_id": "mit_autre", "quantite": quantite}
                           ).status_code == 422, quantite
    rule_id = client.get("/inventaire/regles").json()[0]["id"]
    assert client.put(f"/inventaire/regles/{rule_id}", json={"quantite": 0}).status_code == 422
    assert client.put(f"/inventaire/regles/{rule_id}", json={"quantite": None}).status_code == 422
    assert client.put(f"/inventaire/regles/{rule_id}", json={"code_produit": "X"}).status_code == 422
    assert client.put("/inventaire/regles/999999", json={"quantite": 1}).status_code == 404
    assert database_state(db_session) == before


def test_rules_are_the_offices(app, db_session):
    from fastapi.testclient import TestClient

    from inventaire.auth import service as auth_service
    from tests.helpers import bearer, make_technician

    tech = make_technician(db_session)
    raw, _ = auth_service.create_token(db_session=db_session, role="technicien", technician=tech)
    db_session.commit()
    with TestClient(app, headers=bearer(raw)) as c:
        assert c.get("/inventaire/regles").status_code == 403
        assert c.post("/inventaire/regles", json=RULE).status_code == 403


def test_a_bad_service_id_gets_a_service_example(client, db_session):
    """Issue 25 point 15: the example is a billed service's id (mit_…), not a Gazelle user's (usr_…)."""
    from tests.helpers import make_product

    make_product(db_session, code_produit="PLS-BUVARDS")
    db_session.commit()
    refused = client.post("/inventaire/regles", json={"service_id": "mit x!", "code_produit": "PLS-BUVARDS",
                                                      "quantite": 1})
    assert refused.status_code == 422
    (issue,) = refused.json()["detail"]
    assert issue["msg"] == "service_id : identifiant de service invalide : « mit x! » (ex. : mit_2eBOzDvunD7PHs6M)"
