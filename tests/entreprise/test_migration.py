"""Migration 0027 (the company's row, and its audit action) on a database holding audit rows, and back."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from inventaire.kit.database import make_engine
from inventaire.kit.enums import AuditAction
from inventaire.kit.migrate import alembic_config, upgrade
from tests import databases
from tests.audit_trail import INSERT
from tests.audit_trail import refused as _refused
from tests.audit_trail import rows as _rows

ROW = text("INSERT INTO entreprise (id, nom, updated_at) VALUES (:id, 'Pianos Tremblay inc.', '2026-12-07T12:00:00+00:00')")


def _one_row_only(engine) -> bool:
    try:
        with engine.begin() as conn:
            conn.execute(ROW, {"id": 2})
    except IntegrityError:
        return True
    return False


def test_0027_adds_the_company_and_its_action_then_downgrades(backend, tmp_path):
    with databases.empty_database(backend, tmp_path) as url:
        upgrade(url, "0026")
        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                conn.execute(INSERT, {"auteur": "bureau", "action": "commande_recue", "objet": "CMD-2026-0001",
                                      "changements": "{}"})
            before = _rows(engine)
            assert _refused(engine, "entreprise_modifiee")
            engine.dispose()

            upgrade(url, "head")
            assert _rows(engine) == before
            # Every action of the model: an action added without its migration fails here.
            assert [a.value for a in AuditAction if _refused(engine, a.value)] == []
            assert _refused(engine, "entreprise_perdue")
            with engine.begin() as conn:
                conn.execute(ROW, {"id": 1})
            assert _one_row_only(engine)  # CHECK (id = 1)
            engine.dispose()

            command.downgrade(alembic_config(url), "0026")
            assert [r for r in _rows(engine) if r[1] == "bureau"] == before
            assert {r[2] for r in _rows(engine)} & {"entreprise_modifiee"} == set()
            assert "entreprise" not in inspect(engine).get_table_names()
            assert _refused(engine, "entreprise_modifiee")
        finally:
            engine.dispose()
