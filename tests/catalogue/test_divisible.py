"""A product says whether it is divisible: felt by the metre is, strings counted in units are not."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from inventaire.kit.database import make_engine
from inventaire.kit.migrate import upgrade
from tests import databases
from tests.helpers import database_state, make_line, make_product, make_technician


def test_the_default_follows_the_unit_and_can_be_set(client):
    made = {code: client.post("/inventaire/catalogue", json={"code_produit": code, "nom_produit": code, **extra}).json()
            for code, extra in [("CORD-1", {"unite": "bobine"}), ("FEUT-1", {"unite": "m"}),
                                ("PROD-1", {}), ("PROD-2", {"divisible": True})]}
    assert {c: p["divisible"] for c, p in made.items()} == {
        "CORD-1": False, "FEUT-1": True, "PROD-1": False, "PROD-2": True}
    assert client.put("/inventaire/catalogue/PROD-1", json={"divisible": True}).json()["divisible"] is True


def test_a_whole_unit_product_refuses_fractions_and_writes_nothing(client, db_session):
    allan = make_technician(db_session, nom="Allan")
    cord = make_product(db_session, code_produit="CORD-012", unite="bobine", divisible=False)
    make_line(db_session, allan, cord, 5)
    db_session.commit()
    before = database_state(db_session)
    for path, body in [("/inventaire/stock/ajuster", {"ajustement": -1.5, "type": "utilisation"}),
                       ("/inventaire/stock/compter", {"quantite": 2.5})]:
        response = client.post(path, json={"technicien": "Allan", "code_produit": "CORD-012", **body})
        assert response.status_code == 409, response.text
        assert "« CORD-012 » se compte en unités entières (bobine)" in response.json()["detail"]
    assert database_state(db_session) == before
    assert client.post("/inventaire/stock/ajuster", json={"technicien": "Allan", "code_produit": "CORD-012",
                                                           "ajustement": -2, "type": "utilisation"}).status_code == 200


@pytest.fixture
def database_at_0010(backend, tmp_path):
    db = databases.MigratedDatabase(backend, tmp_path, revision="0010")
    yield db.url
    db.dispose()


def test_the_migration_keeps_products_holding_fractions_divisible(database_at_0010):
    engine = make_engine(database_at_0010)
    try:
        with engine.begin() as conn:
            for i, (code, unite) in enumerate([("CORD-1", "bobine"), ("PROD-1", "Unité"), ("FEUT-1", "m")], 1):
                conn.execute(text(
                    "INSERT INTO produits_catalogue (id, code_produit, code_cle, nom_produit, categorie, unite,"
                    " prix_unitaire, actif, created_at, updated_at) VALUES (:i, :c, :k, :n, 'x', :u, 0, true,"
                    " '2026-11-01T00:00:00+00:00', '2026-11-01T00:00:00+00:00')"),
                    {"i": i, "c": code, "k": code.lower(), "n": code, "u": unite})
            conn.execute(text("INSERT INTO techniciens (id, nom, nom_cle, actif, created_at) VALUES"
                              " (1, 'Allan', 'allan', true, '2026-11-01T00:00:00+00:00')"))
            half = 500 if engine.dialect.name == "sqlite" else 0.5  # SQLite stores thousandths
            conn.execute(text("INSERT INTO inventaire_techniciens (technicien_id, produit_id, quantite, updated_at)"
                              " VALUES (1, 2, :q, '2026-11-01T00:00:00+00:00')"), {"q": half})
        upgrade(database_at_0010)
        with engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT code_produit, divisible FROM produits_catalogue")).all())
        assert {c: bool(d) for c, d in rows.items()} == {"CORD-1": False, "PROD-1": True, "FEUT-1": True}
    finally:
        engine.dispose()
