"""Migration 0025: each product's free-text supplier becomes a supplier row (one per name whatever its
case or accents), on SQLite and PostgreSQL, from a database at 0019 holding products and orders."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from inventaire.kit.database import make_engine
from inventaire.kit.migrate import alembic_config, upgrade
from tests import databases

NOW = "2026-11-01T00:00:00+00:00"
# (code, free-text supplier as typed over the years)
PRODUCTS = [("CORD-1", "Röslau"), ("CORD-2", "ROSLAU"), ("CORD-3", " Röslau  "), ("CORD-4", "roslau"),
            ("FEUT-1", "Mapes"), ("FEUT-2", "Pianotek Supply"), ("FEUT-3", "PIANOTEK   supply"), ("DIV-1", None),
            ("DIV-2", "   ")]


@pytest.fixture
def url(backend, tmp_path):
    with databases.empty_database(backend, tmp_path) as empty:
        yield empty


def _fill_at_0019(engine) -> None:
    with engine.begin() as conn:
        for n, (code, supplier) in enumerate(PRODUCTS, start=1):
            conn.execute(text(
                "INSERT INTO produits_catalogue (id, code_produit, code_cle, nom_produit, categorie, unite, prix_unitaire,"
                " fournisseur, actif, divisible, created_at, updated_at) VALUES (:id, :code, :key, 'Produit', 'Essais',"
                " 'unité', 1, :supplier, true, false, :now, :now)"),
                {"id": n, "code": code, "key": code.casefold(), "supplier": supplier, "now": NOW})
        conn.execute(text("INSERT INTO emplacements (id, nom, nom_cle, genre, actif, created_at) VALUES"
                          " (1, 'Atelier', 'atelier', 'atelier', true, :now)"), {"now": NOW})
        conn.execute(text("INSERT INTO ateliers (id) VALUES (1)"))
        conn.execute(text(
            "INSERT INTO commandes (id, annee, rang, numero, fournisseur, atelier_id, statut, auteur, created_at,"
            " updated_at) VALUES (1, 2026, 1, 'CMD-2026-0001', 'Röslau', 1, 'brouillon', 'essai', :now, :now)"),
            {"now": NOW})


def test_0025_merges_free_text_suppliers_and_downgrades(url):
    upgrade(url, "0019")
    engine = make_engine(url)
    try:
        _fill_at_0019(engine)
        upgrade(url, "0025")
        with engine.connect() as conn:
            suppliers = conn.execute(text("SELECT id, nom FROM fournisseurs ORDER BY nom_cle")).all()
            assert [s.nom for s in suppliers] == ["Mapes", "Pianotek Supply", "Röslau"]
            ids = {s.nom: s.id for s in suppliers}
            products = dict(conn.execute(text("SELECT code_produit, fournisseur_id FROM produits_catalogue")).all())
            assert products == {"CORD-1": ids["Röslau"], "CORD-2": ids["Röslau"], "CORD-3": ids["Röslau"],
                                "CORD-4": ids["Röslau"], "FEUT-1": ids["Mapes"], "FEUT-2": ids["Pianotek Supply"],
                                "FEUT-3": ids["Pianotek Supply"], "DIV-1": None, "DIV-2": None}
            order = conn.execute(text("SELECT fournisseur, courriel_envoye_le FROM commandes")).one()
            assert tuple(order) == ("Röslau", None)
            if url.startswith("sqlite"):
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
                triggers = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger' AND"
                                                " tbl_name = 'produits_catalogue'").scalars().all()
                assert len(triggers) == 3  # the change counter still sees the catalogue
        # the supplier's name is unique whatever its case or accents
        with pytest.raises(Exception, match="(?i)unique"), engine.begin() as conn:
            conn.execute(text("INSERT INTO fournisseurs (nom, nom_cle, created_at, updated_at)"
                              " VALUES ('ROSLAU', 'roslau', :now, :now)"), {"now": NOW})
        engine.dispose()
        before = ScriptDirectory.from_config(alembic_config(url)).get_revision("0025").down_revision
        command.downgrade(alembic_config(url), before)
        with engine.connect() as conn:
            assert "fournisseurs" not in engine.dialect.get_table_names(conn)
            restored = dict(conn.execute(text("SELECT code_produit, fournisseur FROM produits_catalogue")).all())
            assert restored["CORD-2"] == "Röslau" and restored["FEUT-3"] == "Pianotek Supply"
            assert restored["DIV-1"] is None
    finally:
        engine.dispose()
