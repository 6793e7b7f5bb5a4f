"""Migrations 0018 and 0026 (the trail's new actions) upgrade a database holding audit rows, and downgrade again."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from inventaire.kit.database import make_engine
from inventaire.kit.enums import AuditAction
from inventaire.kit.migrate import alembic_config, upgrade
from tests import databases
from tests.audit_trail import INSERT
from tests.audit_trail import refused as _refused
from tests.audit_trail import rows as _rows

NEW = ("atelier_cree", "atelier_renomme", "atelier_desactive", "atelier_reactive", "commande_creee",
       "commande_modifiee", "commande_envoyee", "commande_annulee", "commande_partielle", "commande_recue")
SUPPLIERS = ("fournisseur_cree", "fournisseur_modifie")  # 0026


@pytest.fixture
def url(backend, tmp_path):
    with databases.empty_database(backend, tmp_path) as empty:
        yield empty


def test_0018_keeps_the_rows_and_admits_the_new_actions(url):
    assert set(NEW) <= {a.value for a in AuditAction}
    upgrade(url, "0017")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:  # rows as schema 0017 holds them
            for action, objet in (("produit_cree", "CORD-012"), ("technicien_renomme", "Zoé"),
                                  ("regle_supprimee", "mit_1 → CORD-012")):
                conn.execute(INSERT, {"auteur": "bureau", "action": action, "objet": objet,
                                      "changements": '{"nom": [null, "Zoé"]}'})
        before = _rows(engine)
        assert _refused(engine, "commande_envoyee")
        engine.dispose()

        upgrade(url, "0018")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0018"
            indexes = {i["name"] for i in engine.dialect.get_indexes(conn, "journal_audit")}
        assert "ix_journal_audit_created_at" in indexes
        assert _rows(engine) == before
        # This migration's actions; every action of the model at the head: tests/entreprise/test_migration.py.
        assert [a for a in NEW if _refused(engine, a)] == []
        assert _refused(engine, "commande_perdue") and _refused(engine, "entreprise_modifiee")  # 0027's
        assert len(_rows(engine)) == len(before) + len(NEW)
        engine.dispose()

        command.downgrade(alembic_config(url), "0017")  # the new actions' rows go: the old CHECK refuses them
        assert [r for r in _rows(engine) if r[1] == "bureau"] == before
        assert {r[2] for r in _rows(engine)} & set(NEW) == set()
        assert _refused(engine, "atelier_cree")
    finally:
        engine.dispose()


def test_0026_admits_the_suppliers_actions(url):
    upgrade(url, "0025")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(INSERT, {"auteur": "bureau", "action": "atelier_cree", "objet": "Atelier",
                                  "changements": '{"nom": [null, "Atelier"]}'})
        before = _rows(engine)
        assert _refused(engine, "fournisseur_cree")
        engine.dispose()

        upgrade(url, "0026")
        assert _rows(engine) == before
        # Every action of the model but 0027's (the company's); the head: tests/entreprise/test_migration.py.
        assert [a.value for a in AuditAction if _refused(engine, a.value)] == ["entreprise_modifiee"]
        assert _refused(engine, "fournisseur_supprime")
        engine.dispose()

        command.downgrade(alembic_config(url), "0025")  # the suppliers' rows go: the old CHECK refuses them
        assert [r for r in _rows(engine) if r[1] == "bureau"] == before
        assert {r[2] for r in _rows(engine)} & set(SUPPLIERS) == set()
        assert _refused(engine, "fournisseur_modifie")
    finally:
        engine.dispose()
