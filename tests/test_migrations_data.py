"""Migrations carry a database holding stock to the latest schema (SQLite recreates tables)."""

from __future__ import annotations

from sqlalchemy import text

from inventaire.kit.database import make_engine
from inventaire.kit.migrate import upgrade


def test_a_sqlite_database_with_stock_upgrades_from_0005_to_head(tmp_path):
    url = f"sqlite:///{tmp_path / 'ancienne.db'}"
    upgrade(url, "0005")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO produits_catalogue (id, code_produit, nom_produit, categorie, unite, prix_unitaire, actif,"
                " created_at, updated_at) VALUES (1, 'CORD-012', 'Corde', 'Cordes', 'bobine', 0, true,"
                " '2026-11-01T00:00:00+00:00', '2026-11-01T00:00:00+00:00')"))
            conn.execute(text("INSERT INTO techniciens (id, nom, nom_cle, actif, created_at) VALUES"
                              " (1, 'Allan', 'allan', true, '2026-11-01T00:00:00+00:00')"))
            conn.execute(text("INSERT INTO inventaire_techniciens (id, technicien_id, produit_id, quantite, updated_at)"
                              " VALUES (1, 1, 1, 3000, '2026-11-01T00:00:00+00:00')"))
        upgrade(url)  # tables referenced by stock lines are recreated on the way: nothing may break
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.execute(text("SELECT code_cle, divisible FROM produits_catalogue")).one() == ("cord-012", 0)
            assert conn.execute(text("SELECT quantite FROM inventaire_techniciens")).scalar() == 3000
    finally:
        engine.dispose()
