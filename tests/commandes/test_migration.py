"""Migration 0017 (supplier orders) upgrades a database holding stock, and downgrades again."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text

from inventaire.ateliers import service as ateliers
from inventaire.catalogue import service as catalogue
from inventaire.commandes import service as orders
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope
from inventaire.kit.migrate import alembic_config, upgrade
from tests import databases


@pytest.fixture
def url(backend, tmp_path):
    with databases.empty_database(backend, tmp_path) as empty:
        yield empty


def test_0017_upgrades_a_database_with_stock(url):
    upgrade(url, "0016")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:  # rows as schema 0016 holds them: a workshop with one line and its reception
            conn.execute(text(
                "INSERT INTO produits_catalogue (id, code_produit, code_cle, nom_produit, categorie, unite, prix_unitaire,"
                " fournisseur, actif, divisible, created_at, updated_at) VALUES (1, 'CORD-012', 'cord-012', 'Corde',"
                " 'Cordes', 'bobine', 18.50, 'Röslau', true, false, '2026-11-01T00:00:00+00:00',"
                " '2026-11-01T00:00:00+00:00')"))
            conn.execute(text("INSERT INTO emplacements (id, nom, nom_cle, genre, actif, created_at) VALUES"
                              " (1, 'Atelier', 'atelier', 'atelier', true, '2026-11-01T00:00:00+00:00')"))
            conn.execute(text("INSERT INTO ateliers (id) VALUES (1)"))
            conn.execute(text("INSERT INTO inventaire_techniciens (id, emplacement_id, produit_id, quantite, updated_at)"
                              " VALUES (1, 1, 1, :q, '2026-11-01T00:00:00+00:00')"),
                         {"q": 3000 if url.startswith("sqlite") else 3})
        upgrade(url)
        with engine.connect() as conn:
            # to head: the services below write audit rows whose actions later migrations admit
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() >= "0017"
            assert conn.execute(text("SELECT COUNT(*) FROM commandes")).scalar() == 0
        with session_scope(make_sessionmaker(engine)) as session:  # the new tables work with the old rows
            workshop = ateliers.get_or_404(db_session=session, nom="Atelier")
            cord = catalogue.get_or_404(db_session=session, code_produit="CORD-012")
            order = orders.create(db_session=session, fournisseur="Röslau", workshop=workshop, auteur="essai",
                                  lines=[orders.LineIn(cord, Decimal(4), Decimal("18.50"))], tz="America/Montreal")
            orders.send(db_session=session, order=order)
            orders.receive(db_session=session, order=order, lines=[(cord, Decimal(4))], auteur="essai")
        with session_scope(make_sessionmaker(engine)) as session:
            (line,) = session.execute(text("SELECT quantite FROM inventaire_techniciens")).all()
            assert line[0] == (7000 if url.startswith("sqlite") else 7)
            assert session.execute(text("SELECT statut FROM commandes")).scalar() == "recue"
        engine.dispose()
        from alembic import command

        command.downgrade(alembic_config(url), "0016")
        with engine.connect() as conn:
            tables = {"commandes", "lignes_commande"} & set(engine.dialect.get_table_names(conn))
            assert tables == set()
            assert conn.execute(text("SELECT COUNT(*) FROM inventaire_techniciens")).scalar() == 1
    finally:
        engine.dispose()
