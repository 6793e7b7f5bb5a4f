"""A product's optional barcode: set, found by `?code_barres=`, unique when set, cleared; the form too."""

from __future__ import annotations

import pytest

from tests.helpers import database_state, make_product

CORDE = {"code_produit": "CORD-001", "nom_produit": "Corde #1 (Do)", "unite": "bobine", "code_barres": "0712345678911"}


@pytest.fixture
def graphite(db_session):
    make_product(db_session, code_produit="GRAPH-PROT", nom_produit="Graphite", code_barres="4006381333931")
    make_product(db_session, code_produit="FEUT-ROUGE", nom_produit="Feutre rouge")
    db_session.commit()


def test_a_barcode_is_set_read_and_found(client, graphite):
    created = client.post("/inventaire/catalogue", json=CORDE)
    assert created.status_code == 201, created.text
    assert created.json()["code_barres"] == "0712345678911"
    found = client.get("/inventaire/catalogue", params={"code_barres": "4006381333931"}).json()
    assert [p["code_produit"] for p in found] == ["GRAPH-PROT"]
    assert client.get("/inventaire/catalogue", params={"code_barres": "999"}).json() == []
    assert client.get("/inventaire/catalogue/FEUT-ROUGE").json()["code_barres"] is None


def test_a_barcode_names_one_product(client, graphite, db_session):
    state = database_state(db_session)
    taken = client.post("/inventaire/catalogue", json={**CORDE, "code_barres": "4006381333931"})
    assert taken.status_code == 409
    assert "Le code-barres « 4006381333931 » est déjà celui de « GRAPH-PROT »." in taken.text
    moved = client.put("/inventaire/catalogue/FEUT-ROUGE", json={"code_barres": "4006381333931"})
    assert moved.status_code == 409
    bad = client.post("/inventaire/catalogue", json={**CORDE, "code_barres": " 123\n"})
    assert bad.status_code == 422
    assert database_state(db_session) == state


def test_a_barcode_is_changed_and_cleared(client, graphite):
    assert client.put("/inventaire/catalogue/GRAPH-PROT", json={"code_barres": "4006381333931"}).status_code == 200
    assert client.put("/inventaire/catalogue/FEUT-ROUGE", json={"code_barres": "5901234123457"}).json()[
        "code_barres"] == "5901234123457"
    assert client.put("/inventaire/catalogue/GRAPH-PROT", json={"code_barres": None}).json()["code_barres"] is None
    assert client.put("/inventaire/catalogue/FEUT-ROUGE", json={"code_barres": None}).status_code == 200


def test_the_form_sets_a_barcode_and_says_when_it_is_taken(pages, graphite, db_session):
    form = {"csrf": pages.csrf, "nom_produit": "Feutre rouge", "categorie": "Divers", "unite": "unité",
            "prix_unitaire": "0", "divisible": "true", "code_barres": "4006381333931"}
    state = database_state(db_session)
    taken = pages.post("/catalogue/FEUT-ROUGE/modifier", data=form)
    assert taken.status_code == 409
    assert "est déjà celui de «\u00a0GRAPH-PROT\u00a0»" in taken.text.replace("&#34;", '"')
    assert database_state(db_session) == state
    done = pages.post("/catalogue/FEUT-ROUGE/modifier", data={**form, "code_barres": "5901234123457"},
                      follow_redirects=False)
    assert done.status_code == 303
    assert 'value="5901234123457"' in pages.get("/catalogue/FEUT-ROUGE/modifier").text
