"""Schema and data commands: `db upgrade`, `alembic upgrade head --sql`, `demo`."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import inspect, select

from inventaire.demo.data import PRODUCTS
from inventaire.kit.changes import COUNTER
from inventaire.kit.database import make_engine
from inventaire.models import Base
from inventaire.stock.ledger import ledger_sum
from inventaire.stock.models import StockLine
from inventaire.techniciens.models import Technician
from tests.commands import run_cli
from tests.databases import create_pg_database, drop_pg_database, require_pg
from tests.helpers import committed, database_state

ROOT = Path(__file__).resolve().parents[2]

TABLES = {t.name for t in Base.metadata.sorted_tables}


@pytest.fixture
def empty_database(backend, tmp_path):
    """A database with no schema at all, on each backend."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'neuve.db'}"
        return
    require_pg()
    url = create_pg_database()
    yield url
    drop_pg_database(url)


def schema_of(url: str) -> dict:
    """Tables, columns (type, nullability), keys, indexes and checks: enough to compare two schemas."""
    engine = make_engine(url)
    try:
        insp = inspect(engine)
        return {
            table: {
                "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(table)],
                "pk": insp.get_pk_constraint(table)["constrained_columns"],
                "fks": sorted((fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"])
                              for fk in insp.get_foreign_keys(table)),
                "unique": sorted((u["name"], tuple(u["column_names"])) for u in insp.get_unique_constraints(table)),
                "indexes": sorted((i["name"], tuple(i["column_names"])) for i in insp.get_indexes(table)),
                "checks": sorted(c["name"] for c in insp.get_check_constraints(table)),
            }
            for table in sorted(insp.get_table_names())
        }
    finally:
        engine.dispose()


def test_db_upgrade_creates_the_schema(empty_database):
    result = run_cli(empty_database, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Base de données à jour."
    schema = schema_of(empty_database)
    counter = {COUNTER} if empty_database.startswith("sqlite") else set()  # SQLite's change counter (no model)
    assert TABLES | {"alembic_version"} | counter == set(schema)
    assert run_cli(empty_database, "db", "upgrade").exit_code == 0  # again: nothing to do, no error


def test_stored_reports_are_compressed_with_lz4_on_postgresql():
    """Migration 0005 (PostgreSQL only): the check's 1.4 MB reports are written faster with lz4 than pglz."""
    require_pg()
    url = create_pg_database()
    try:
        assert run_cli(url, "db", "upgrade").exit_code == 0
        with psycopg.connect(url.replace("+psycopg", "")) as conn:
            method = conn.execute(
                "SELECT attcompression FROM pg_attribute WHERE attrelid = 'verifications'::regclass "
                "AND attname = 'rapport'").fetchone()[0]
        assert method == "l"  # lz4 (this server is built with it; one without keeps pglz)
    finally:
        drop_pg_database(url)


def test_db_upgrade_unreachable_is_a_french_error():
    result = run_cli("postgresql://personne@127.0.0.1:1/aucune", "db", "upgrade")
    assert result.exit_code == 1
    assert ("base de données injoignable (base : postgresql+psycopg://personne@127.0.0.1:1/aucune) : "
            "vérifiez DATABASE_URL") in result.stderr
    assert "Traceback" not in result.output


@functools.cache
def offline_sql() -> str:
    """What the README tells a Supabase user to run."""
    env = {**os.environ, "DATABASE_URL": "postgresql://x@localhost/x"}
    alembic = Path(sys.executable).with_name("alembic")
    done = subprocess.run([str(alembic), "upgrade", "head", "--sql"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


def test_offline_sql_holds_the_whole_schema():
    sql = offline_sql()
    for table in TABLES:
        assert f"CREATE TABLE {table} (" in sql, table
    assert "quantite NUMERIC(12, 3) NOT NULL" in sql
    assert "prix_unitaire NUMERIC(12, 2) NOT NULL" in sql
    assert "TIMESTAMP WITH TIME ZONE" in sql
    assert "CONSTRAINT uq_inventaire_techniciens_ligne UNIQUE (technicien_id, produit_id)" in sql
    assert sql.rstrip().endswith("COMMIT;")


def test_offline_sql_applied_by_hand_equals_the_migrated_schema(tmp_path):
    """Pasting the script in Supabase's SQL editor gives the same schema as `db upgrade`."""
    require_pg()
    by_hand, migrated = create_pg_database(), create_pg_database()
    try:
        with psycopg.connect(by_hand.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
            conn.execute(offline_sql())
        from inventaire.kit.migrate import upgrade

        upgrade(migrated)
        assert schema_of(by_hand) == schema_of(migrated)
    finally:
        drop_pg_database(by_hand)
        drop_pg_database(migrated)


def _workshop_id(session) -> int:
    from inventaire.ateliers.models import Workshop

    return session.scalar(select(Workshop.id))


def test_demo_loads_once(fresh_database):
    first = run_cli(fresh_database.url, "demo")
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith(f"Données de démonstration chargées : 4 techniciens, {len(PRODUCTS)} produits, ")
    with committed(fresh_database.url) as session:
        names = [t.nom for t in session.scalars(select(Technician).order_by(Technician.id))]
        assert names == ["Allan", "Nicolas", "Jean-Philippe", "Margot"]
        assert all(t.gazelle_id.startswith("usr_") for t in session.scalars(select(Technician)))
        assert 35 <= len(PRODUCTS) <= 50
        state = database_state(session)
        assert state["rows"]["produits_catalogue"] == len(PRODUCTS)
        # 24 lines per van, and the workshop's reserve (one line per product it holds).
        assert state["rows"]["inventaire_techniciens"] == 4 * 24 + len(
            session.scalars(select(StockLine).where(StockLine.emplacement_id == _workshop_id(session))).all())
        assert state["rows"]["ateliers"] == 1
        lines = session.scalars(select(StockLine)).all()
        assert all(ledger_sum(db_session=session, line=line) == line.quantite >= 0 for line in lines)
        assert any(line.quantite <= (line.produit.seuil_reorder or Decimal(5)) for line in lines)  # some alerts
    again = run_cli(fresh_database.url, "demo")
    assert again.exit_code == 0, again.output
    assert again.stdout.strip() == "Données de démonstration déjà chargées : rien à ajouter."
    with committed(fresh_database.url) as session:
        assert database_state(session) == state
