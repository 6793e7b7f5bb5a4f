"""Technicians over HTTP: add, list, change; names found whatever their case, accents in URLs."""

import unicodedata

import pytest

from tests.helpers import database_state, make_line, make_product, make_technician


def add(client, **body):
    response = client.post("/inventaire/techniciens", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def names(client, **params) -> list[str]:
    response = client.get("/inventaire/techniciens", params=params)
    assert response.status_code == 200, response.text
    return [t["nom"] for t in response.json()]


def test_add_list_and_change(client):
    assert add(client, nom="  Margot  ", email="margot@example.com") == {
        "nom": "Margot", "email": "margot@example.com", "actif": True, "gazelle_id": None,
    }
    add(client, nom="allan")
    add(client, nom="Nicolas", actif=False)
    assert names(client) == ["allan", "Margot", "Nicolas"]
    assert names(client, actif="true") == ["allan", "Margot"]

    changed = client.put("/inventaire/techniciens/ALLAN", json={"nom": "Allan", "email": "allan@example.com"})
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"nom": "Allan", "email": "allan@example.com", "actif": True,
                             "gazelle_id": None}
    off = client.put("/inventaire/techniciens/margot", json={"actif": False})
    assert off.json() == {"nom": "Margot", "email": "margot@example.com", "actif": False,
                         "gazelle_id": None}
    assert names(client, actif="false") == ["Margot", "Nicolas"]


def test_name_taken_in_any_case_is_409(client):
    add(client, nom="Jean-Philippe")
    response = client.post("/inventaire/techniciens", json={"nom": "JEAN-PHILIPPE"})
    assert response.status_code == 409
    assert response.json()["detail"] == "Le technicien « JEAN-PHILIPPE » existe déjà."
    add(client, nom="Margot")
    clash = client.put("/inventaire/techniciens/Margot", json={"nom": "jean-philippe"})
    assert clash.status_code == 409
    assert names(client) == ["Jean-Philippe", "Margot"]


def test_unknown_technician_is_404_in_french(client):
    response = client.put("/inventaire/techniciens/Personne", json={"actif": False})
    assert response.status_code == 404
    assert response.json()["detail"] == "Technicien inconnu : « Personne »."


def test_required_fields_cannot_be_nulled(client):
    add(client, nom="Allan")
    response = client.put("/inventaire/techniciens/Allan", json={"nom": None})
    assert response.status_code == 422
    assert "ne peuvent pas être vides" in response.json()["detail"]


def test_accents_and_spaces_in_urls(client, db_session):
    tech = make_technician(db_session, nom="Jean-Sébastien Côté")
    make_line(db_session, tech, make_product(db_session, code_produit="CORD-001"), 3)
    db_session.commit()
    for path in (
        "/inventaire/stock/Jean-S%C3%A9bastien%20C%C3%B4t%C3%A9",
        "/inventaire/stock/JEAN-S%C3%89BASTIEN%20C%C3%94T%C3%89",  # upper-case accents too
        "/inventaire/stock/jean-se%CC%81bastien%20co%CC%82te%CC%81",  # decomposed accents (macOS input)
    ):
        response = client.get(path)
        assert response.status_code == 200, (path, response.text)
        assert [(r["technicien"], r["quantite"]) for r in response.json()] == [("Jean-Sébastien Côté", 3)]
    changed = client.put("/inventaire/techniciens/jean-s%C3%A9bastien%20c%C3%B4t%C3%A9", json={"actif": False})
    assert changed.status_code == 200
    assert changed.json()["nom"] == "Jean-Sébastien Côté"


def test_decomposed_name_is_stored_composed(client):
    decomposed = unicodedata.normalize("NFD", "Hélène")
    assert add(client, nom=decomposed)["nom"] == "Hélène"
    assert client.post("/inventaire/techniciens", json={"nom": "HÉLÈNE"}).status_code == 409


def test_name_whose_folded_form_is_too_long_is_refused(client):
    # "ß" folds to "ss": 60 of them would overflow the key column on PostgreSQL (a 500 before).
    response = client.post("/inventaire/techniciens", json={"nom": "ß" * 60})
    assert response.status_code == 422
    assert "trop long" in response.json()["detail"]
    assert add(client, nom="ß" * 30)["nom"] == "ß" * 30
    assert client.get("/inventaire/stock/" + "SS" * 30).status_code == 200


@pytest.mark.parametrize("nom", ["", "   ", "x" * 61, "Al\u0000lan", "Tab\u0007"])
def test_invalid_names_are_422(client, nom):
    response = client.post("/inventaire/techniciens", json={"nom": nom})
    assert response.status_code == 422
    assert names(client) == []


def test_gazelle_id_is_set_returned_and_unique(client, db_session):
    from tests.helpers import database_state

    created = add(client, nom="Allan", gazelle_id="usr_aS8wQ2nLk4Tz")
    assert created["gazelle_id"] == "usr_aS8wQ2nLk4Tz"
    add(client, nom="Nicolas")
    before = database_state(db_session)
    taken = client.put("/inventaire/techniciens/Nicolas", json={"gazelle_id": "usr_aS8wQ2nLk4Tz"})
    assert taken.status_code == 409
    assert taken.json()["detail"] == "L'utilisateur Gazelle « usr_aS8wQ2nLk4Tz » est déjà associé à Allan."
    again = client.post("/inventaire/techniciens", json={"nom": "Margot", "gazelle_id": "usr_aS8wQ2nLk4Tz"})
    assert again.status_code == 409
    bad = client.post("/inventaire/techniciens", json={"nom": "Margot", "gazelle_id": "usr bad/id"})
    assert bad.status_code == 422
    assert database_state(db_session) == before
    mapped = client.put("/inventaire/techniciens/Nicolas", json={"gazelle_id": "usr_nL3pR7vXc1Md"})
    assert mapped.json()["gazelle_id"] == "usr_nL3pR7vXc1Md"
    assert client.put("/inventaire/techniciens/Allan", json={"gazelle_id": "usr_aS8wQ2nLk4Tz"}).status_code == 200
    cleared = client.put("/inventaire/techniciens/Allan", json={"gazelle_id": None})
    assert cleared.json()["gazelle_id"] is None
    listed = {t["nom"]: t["gazelle_id"] for t in client.get("/inventaire/techniciens").json()}
    assert listed == {"Allan": None, "Nicolas": "usr_nL3pR7vXc1Md"}


def test_a_bad_email_or_code_is_said_in_words_never_as_a_pattern(client, db_session):
    before = database_state(db_session)
    response = client.post("/inventaire/techniciens", json={"nom": "Zoé", "email": "zoe-at-example"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["msg"] == "email : adresse courriel invalide : « zoe-at-example » (ex. : allan@example.com)"
    bad_code = client.post("/inventaire/catalogue", json={"code_produit": "corde é", "nom_produit": "x"})
    assert "code invalide : « corde é »" in str(bad_code.json()["detail"]) and "^[" not in bad_code.text
    assert database_state(db_session) == before
