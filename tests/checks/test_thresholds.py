"""Thresholds: the line's minimum, the product's seuil_reorder, the default; par levels and what to order."""

from decimal import Decimal

import pytest

from inventaire.auth import service as auth_service
from inventaire.stock import reading as stock_lines
from tests.helpers import bearer, make_line, make_product, make_technician
from tests.servers import configure


def alerts_by_code(client, **params) -> dict[str, dict]:
    response = client.post("/inventaire/check-stock", params={"notifier": "false", **params})
    assert response.status_code == 200, response.text
    return {a["code_produit"]: a for a in response.json()["rapport"]["alertes"]}


def test_precedence_line_minimum_then_product_then_default(client, app, db_session):
    configure(app, seuil_defaut=Decimal("3"))
    tech = make_technician(db_session, nom="Margot")
    zero_min = make_product(db_session, code_produit="A-MIN0", seuil_reorder=Decimal("8"))
    product = make_product(db_session, code_produit="B-PROD", seuil_reorder=Decimal("8"))
    default = make_product(db_session, code_produit="C-DEF")
    default_hit = make_product(db_session, code_produit="D-DEF")
    make_line(db_session, tech, zero_min, 4, seuil_min=Decimal("0"))  # own minimum 0 beats the product's 8
    make_line(db_session, tech, product, 8)                            # product's 8: 8 <= 8 is an alert
    make_line(db_session, tech, default, 4)                            # default 3: fine
    make_line(db_session, tech, default_hit, 3)                        # default 3: alert
    db_session.commit()
    alerts = alerts_by_code(client)
    assert {code: a["seuil"] for code, a in alerts.items()} == {"B-PROD": 8, "D-DEF": 3}
    assert product.seuil_reorder == Decimal("8") and default.seuil_reorder is None  # null stays null
    forced = alerts_by_code(client, seuil_critique="4")
    assert {code: a["seuil"] for code, a in forced.items()} == {"A-MIN0": 4, "C-DEF": 4, "D-DEF": 4}


def test_par_level_gives_quantity_to_order(client, db_session):
    tech = make_technician(db_session, nom="Nicolas")
    with_par = make_product(db_session, code_produit="FEUT-01", unite="m")
    without_par = make_product(db_session, code_produit="CORD-02")
    make_line(db_session, tech, with_par, Decimal("1.5"), niveau_par=Decimal("10"))
    make_line(db_session, tech, without_par, 2)
    db_session.commit()
    alerts = alerts_by_code(client)
    assert alerts["FEUT-01"]["quantite_a_commander"] == 8.5
    assert alerts["FEUT-01"]["seuil"] == 5
    assert alerts["CORD-02"]["quantite_a_commander"] is None


def test_put_levels_sets_and_null_clears(client, db_session):
    tech = make_technician(db_session, nom="Allan")
    product = make_product(db_session, code_produit="CORD-001", seuil_reorder=Decimal("4"))
    make_line(db_session, tech, product, 6)
    db_session.commit()
    url = "/inventaire/stock/allan/CORD-001"
    body = client.put(url, json={"seuil_min": 7, "niveau_par": 12}).json()
    assert (body["seuil"], body["seuil_min"], body["niveau_par"], body["quantite"]) == (7, 7, 12, 6)
    assert alerts_by_code(client)["CORD-001"]["quantite_a_commander"] == 6
    body = client.put(url, json={"niveau_par": 20}).json()  # a field left out is left alone
    assert (body["seuil_min"], body["niveau_par"]) == (7, 20)
    body = client.put(url, json={"seuil_min": None}).json()  # null clears: the product's threshold is back
    assert (body["seuil"], body["seuil_min"], body["niveau_par"]) == (4, None, 20)
    assert alerts_by_code(client) == {}


@pytest.mark.parametrize("body", [{"seuil_min": -1}, {"niveau_par": -0.5}, {"seuil_min": "3"}, {"autre": 1},
                                  {"seuil_min": 1.0001}])
def test_put_levels_refuses_bad_input_and_changes_nothing(client, db_session, body):
    tech = make_technician(db_session, nom="Allan")
    product = make_product(db_session, code_produit="CORD-001")
    make_line(db_session, tech, product, 6, seuil_min=Decimal("2"), niveau_par=Decimal("9"))
    db_session.commit()
    response = client.put("/inventaire/stock/Allan/CORD-001", json=body)
    assert response.status_code == 422
    assert all("msg" in e for e in response.json()["detail"])
    line = client.get("/inventaire/stock/Allan").json()[0]
    assert (line["seuil_min"], line["niveau_par"]) == (2, 9)


def test_put_levels_unknown_names_and_roles(client, anon_client, db_session):
    tech = make_technician(db_session, nom="Allan")
    product = make_product(db_session, code_produit="CORD-001")
    raw, _ = auth_service.create_token(db_session=db_session, role="technicien", technician=tech)
    db_session.commit()
    assert client.put("/inventaire/stock/Personne/CORD-001", json={"seuil_min": 1}).status_code == 404
    assert client.put("/inventaire/stock/Allan/NOPE-1", json={"seuil_min": 1}).status_code == 404
    own = anon_client.put("/inventaire/stock/Allan/CORD-001", json={"seuil_min": 1}, headers=bearer(raw))
    assert own.status_code == 403  # levels are the office's decision, even on one's own van
    db_session.expire_all()
    assert stock_lines.get_line(db_session=db_session, location=tech, product=product) is None  # nothing created
