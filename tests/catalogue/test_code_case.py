"""Product codes are one whatever their case: unique, found in any case, shown as stored."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from inventaire.kit.database import make_engine
from inventaire.kit.migrate import MigrationRefused, upgrade
from tests import databases
from tests.commands import flat, run_cli
from tests.helpers import database_state, make_line, make_product, make_technician


def test_a_code_differing_only_by_case_is_a_conflict(client, db_session):
    make_product(db_session, code_produit="CORD-012")
    db_session.commit()
    before = database_state(db_session)
    response = client.post("/inventaire/catalogue", json={"code_produit": "cord-012", "nom_produit": "Doublon"})
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Le code produit « cord-012 » existe déjà sous la forme « CORD-012 » (la casse ne compte pas).")
    assert database_state(db_session) == before


def test_a_code_is_found_in_any_case_and_shown_as_stored(client, db_session):
    allan = make_technician(db_session, nom="Allan")
    make_line(db_session, allan, make_product(db_session, code_produit="CORD-012"), 5)
    db_session.commit()
    assert client.get("/inventaire/catalogue/cord-012").json()["code_produit"] == "CORD-012"
    moved = client.post("/inventaire/stock/ajuster", json={
        "technicien": "allan", "code_produit": "Cord-012", "ajustement": -1, "type": "utilisation"})
    assert moved.status_code == 200 and moved.json()["code_produit"] == "CORD-012"
    ledger = client.get("/inventaire/transactions", params={"code_produit": "cord-012"}).json()
    assert ledger["total"] == 2 and {t["code_produit"] for t in ledger["items"]} == {"CORD-012"}
    renamed = client.put("/inventaire/catalogue/cord-012", json={"nom_produit": "Corde 12"})
    assert renamed.json()["code_produit"] == "CORD-012"


@pytest.fixture
def database_at_0006(backend, tmp_path):
    """A database migrated to 0006 (before codes were folded), on each backend."""
    db = databases.MigratedDatabase(backend, tmp_path, revision="0006")
    yield db.url
    db.dispose()


def _insert_products(url: str, *codes: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for code in codes:
                conn.execute(text(
                    "INSERT INTO produits_catalogue (code_produit, nom_produit, categorie, unite, prix_unitaire, actif,"
                    " created_at, updated_at) VALUES (:c, :c, 'Cordes', 'unité', 0, true, :t, :t)"),
                    {"c": code, "t": "2026-11-01T00:00:00+00:00"})
    finally:
        engine.dispose()


def _codes(url: str) -> list[tuple[str, str]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(conn.execute(text("SELECT code_produit, code_cle FROM produits_catalogue")).all())
    finally:
        engine.dispose()


def test_the_migration_refuses_codes_differing_only_by_case(database_at_0006):
    _insert_products(database_at_0006, "CORD-012", "cord-012", "Cord-012", "FEUT-1", "feut-1", "GRAPH")
    with pytest.raises(MigrationRefused) as refused:
        upgrade(database_at_0006)
    message = str(refused.value)
    assert "« CORD-012 » / « Cord-012 » / « cord-012 » ; « FEUT-1 » / « feut-1 »" in message
    assert "GRAPH" not in message and message.startswith("Mise à jour refusée : des codes produits")
    result = run_cli(database_at_0006, "db", "upgrade")  # the command says it in French, and fails
    assert result.exit_code == 1
    assert "ne diffèrent que par la casse" in flat(result.stderr)
    with pytest.raises(DBAPIError):
        _codes(database_at_0006)  # nothing half-done: no code_cle column was added


def test_the_migration_carries_the_codes_over(database_at_0006):
    _insert_products(database_at_0006, "CORD-012", "Feut-Rouge")
    upgrade(database_at_0006)
    assert _codes(database_at_0006) == [("CORD-012", "cord-012"), ("Feut-Rouge", "feut-rouge")]


def test_a_product_name_is_at_most_120_characters(client, db_session):
    before = database_state(db_session)
    response = client.post("/inventaire/catalogue", json={"code_produit": "LONG-1", "nom_produit": "x" * 121})
    assert response.status_code == 422
    assert "trop long (au plus 120 caractères)" in str(response.json()["detail"])
    assert database_state(db_session) == before
    longest = client.post("/inventaire/catalogue", json={"code_produit": "LONG-1", "nom_produit": "x" * 120})
    assert longest.status_code == 201
