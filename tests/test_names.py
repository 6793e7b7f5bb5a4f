"""Names of people: no "/", control or invisible characters; look-alikes (NFKC, case) are one name."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy import select, text

from inventaire.kit.database import make_engine
from inventaire.kit.migrate import MigrationRefused, upgrade
from inventaire.kit.names import checked_name, name_key
from inventaire.techniciens.models import Technician
from tests import databases
from tests.helpers import database_state, make_technician

REFUSED = {
    "Jean/Paul": "Nom de technicien ne doit pas contenir « / » (le nom figure dans des adresses).",
    "Jean\\Paul": "Nom de technicien ne doit pas contenir « \\ » (le nom figure dans des adresses).",
    "Al\u200blan": "Nom de technicien ne doit pas contenir de caractère invisible (U+200B).",  # zero-width space
    "Al\u00adlan": "Nom de technicien ne doit pas contenir de caractère invisible (U+00AD).",  # soft hyphen
    # A right-to-left override (the schema's sentence and the service's agree).
    "Allan\u202e": "Nom de technicien ne doit pas contenir de caractère qui inverse le sens du texte (U+202E).",
    "\ufeffAllan": "Nom de technicien ne doit pas contenir de caractère invisible (U+FEFF).",
    "Al\x07lan": "Nom de technicien ne doit pas contenir de caractères de contrôle.",
}


@pytest.mark.parametrize("typed", ["Allan", "ALLAN", "Ａｌｌａｎ", "ａｌｌａｎ", " Allan "])
def test_look_alikes_share_one_key(typed):
    assert name_key(typed) == "allan"


def test_ligatures_and_accents_compose():
    assert name_key("ﬁlion") == name_key("Filion")
    assert name_key("Rene\u0301") == name_key("René")  # combining accent typed either way


@pytest.mark.parametrize(("typed", "message"), REFUSED.items())
def test_refused_names_say_why(typed, message):
    with pytest.raises(ValueError) as refused:
        checked_name(typed, what="Nom de technicien", max_length=60)
    assert f"{refused.value}." == message


@pytest.mark.parametrize(("typed", "message"), REFUSED.items())
def test_api_refuses_them_and_creates_nothing(client, db_session, typed, message):
    before = database_state(db_session)
    response = client.post("/inventaire/techniciens", json={"nom": typed})
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]  # the service's sentence, or the schema's (control characters)
    problem = message.removeprefix("Nom de technicien ").rstrip(".")
    assert problem in (detail if isinstance(detail, str) else detail[0]["msg"]), detail
    assert database_state(db_session) == before


def test_renaming_to_a_refused_name_changes_nothing(client, db_session):
    make_technician(db_session, nom="Allan")
    db_session.commit()
    response = client.put("/inventaire/techniciens/Allan", json={"nom": "Allan/2"})
    assert response.status_code == 422
    assert [t["nom"] for t in client.get("/inventaire/techniciens").json()] == ["Allan"]


@pytest.mark.parametrize("look_alike", ["Ａｌｌａｎ", "ALLAN", "allan"])
def test_a_look_alike_of_an_existing_name_is_a_conflict(client, db_session, look_alike):
    make_technician(db_session, nom="Allan")
    db_session.commit()
    response = client.post("/inventaire/techniciens", json={"nom": look_alike})
    assert response.status_code == 409, response.text
    found = client.get(f"/inventaire/stock/{quote(look_alike)}")
    assert found.status_code == 200  # and the look-alike finds Allan's stock


@pytest.fixture
def database_before_rekey(backend, tmp_path):
    db = databases.MigratedDatabase(backend, tmp_path, revision="0015")
    yield db.url
    db.dispose()


def _add_raw(url: str, *names: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        for i, nom in enumerate(names, 1):
            # A van is a location (emplacements) and a technician row of the same id (0012).
            conn.execute(text("INSERT INTO emplacements (id, nom, nom_cle, genre, actif, created_at) "
                              "VALUES (:id, :nom, :cle, 'vehicule', true, '2026-11-01 12:00:00')"),
                         {"id": i, "nom": nom, "cle": nom.casefold()})  # the key as 0015 still computed it
            conn.execute(text("INSERT INTO techniciens (id) VALUES (:id)"), {"id": i})
    engine.dispose()


def test_migration_recomputes_the_keys(database_before_rekey):
    _add_raw(database_before_rekey, "Ｍａｒｇｏｔ", "Allan")
    upgrade(database_before_rekey, "0016")
    engine = make_engine(database_before_rekey)
    try:
        with engine.connect() as conn:
            keys = conn.execute(select(Technician.nom, Technician.nom_cle).order_by(Technician.id)).all()
    finally:
        engine.dispose()
    assert [tuple(k) for k in keys] == [("Ｍａｒｇｏｔ", "margot"), ("Allan", "allan")]


def test_migration_refuses_names_that_now_collide(database_before_rekey):
    _add_raw(database_before_rekey, "Allan", "Ａｌｌａｎ")
    with pytest.raises(MigrationRefused, match="« Allan » / « Ａｌｌａｎ »"):
        upgrade(database_before_rekey, "0016")
