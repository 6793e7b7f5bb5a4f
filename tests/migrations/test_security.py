"""Row level security on every PostgreSQL table, and the ledger refusing UPDATE and DELETE on both databases."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from inventaire.auth import service as auth_service
from inventaire.checks import service as checks
from inventaire.checks.models import Notification
from inventaire.demo.loader import load_demo
from inventaire.idempotency import service as idempotency
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope
from inventaire.kit.migrate import upgrade
from inventaire.stock.models import Transaction
from inventaire.web.sessions import open_session
from tests import databases
from tests.databases import create_pg_database, drop_pg_database, require_pg
from tests.helpers import make_line, make_product, make_technician

PROTECTION, BEFORE = "0014", "0013"  # the migration that adds the protection, and the one before it
# Tables this test fills as the owner, so that "the other roles read nothing" means something.
FILLED = {
    "produits_catalogue", "techniciens", "api_tokens", "inventaire_techniciens", "transactions_inventaire",
    "verifications", "notifications", "cles_idempotence", "sessions_web", "alembic_version",
}


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _public_tables(conn) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
        "AND relkind IN ('r', 'p') ORDER BY relname")]


def _fill(url: str) -> None:
    """One row or more in every table, written through the services as the service would."""
    engine = make_engine(url)
    with session_scope(make_sessionmaker(engine)) as session:
        load_demo(db_session=session)
        raw, _ = auth_service.create_token(db_session=session, role="admin", nom="bureau")
        open_session(db_session=session, raw_token=raw)
        idempotency.claim(db_session=session, appelant="bureau", cle="k-1", empreinte="e", ttl=dt.timedelta(hours=24))
        idempotency.record(db_session=session, appelant="bureau", cle="k-1", status=200, body=b"{}")
        run = checks.run_check(db_session=session, technician=None, seuil_critique=None,
                               default=Decimal(5), declenchee_par="essai")
        session.add(Notification(verification_id=run.id, canal="email", destinataires=["bureau@example.com"],
                                 sujet="Alertes", contenu={"texte": "essai"}, statut="en_attente", tentatives=0))
    engine.dispose()


@pytest.fixture(scope="module")
def filled_pg() -> Iterator[str]:
    """A migrated PostgreSQL database with rows in every table."""
    require_pg()
    url = create_pg_database()
    try:
        upgrade(url)
        _fill(url)
        yield url
    finally:
        drop_pg_database(url)


def _snapshot(conn, tables: list[str]) -> dict[str, list[str]]:
    return {t: [r[0] for r in conn.execute(f'SELECT x::text FROM "{t}" AS x ORDER BY x::text')] for t in tables}


@pytest.fixture
def supabase_roles(filled_pg) -> Iterator[list[str]]:
    """Roles granted as Supabase grants `anon` and `authenticated` (unique names: the server is shared)."""
    suffix = uuid.uuid4().hex[:8]
    roles = [f"anon_{suffix}", f"authenticated_{suffix}"]
    with psycopg.connect(_plain(filled_pg), autocommit=True) as conn:
        for role in roles:
            conn.execute(f"CREATE ROLE {role} NOLOGIN NOINHERIT")
            conn.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
            conn.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
            conn.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
            conn.execute(f"GRANT ALL ON ALL FUNCTIONS IN SCHEMA public TO {role}")
    yield roles
    with psycopg.connect(_plain(filled_pg), autocommit=True) as conn:
        for role in roles:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


def test_every_table_of_the_migrated_schema_has_row_security():
    """A table added by a later migration without enable_row_security() fails here."""
    require_pg()
    url = create_pg_database()
    try:
        upgrade(url)
        with psycopg.connect(_plain(url)) as conn:
            tables = _public_tables(conn)
            missing = [r[0] for r in conn.execute(
                "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                "AND relkind IN ('r', 'p') AND NOT relrowsecurity ORDER BY relname")]
            forced = [r[0] for r in conn.execute(
                "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                "AND relforcerowsecurity")]
            policies = conn.execute("SELECT count(*) FROM pg_policies WHERE schemaname = 'public'").fetchone()[0]
    finally:
        drop_pg_database(url)
    assert FILLED <= set(tables)
    assert missing == [], (
        f"row level security is off on {missing}: call "
        "inventaire.migrations.security.enable_row_security(table) in the migration that creates it")
    assert forced == [] and policies == 0  # the owner is not restricted; nobody else has a policy


def test_supabase_roles_read_and_change_nothing(filled_pg, supabase_roles):
    with psycopg.connect(_plain(filled_pg)) as owner:
        tables = _public_tables(owner)
        before = _snapshot(owner, tables)
    assert all(before[t] for t in FILLED), {t: len(before[t]) for t in FILLED}

    for role in supabase_roles:
        with psycopg.connect(_plain(filled_pg), autocommit=True) as conn:
            conn.execute(f"SET ROLE {role}")
            for table in tables:
                first = conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                    "AND table_name = %s ORDER BY ordinal_position LIMIT 1", (table,)).fetchone()[0]
                assert conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == 0, (role, table)
                assert conn.execute(f'UPDATE "{table}" SET "{first}" = "{first}"').rowcount == 0, (role, table)
                assert conn.execute(f'DELETE FROM "{table}"').rowcount == 0, (role, table)
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
                    conn.execute(f'INSERT INTO "{table}" DEFAULT VALUES')
            # The attack the issue describes: a made-up admin token.
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
                conn.execute(
                    "INSERT INTO api_tokens (nom, role, token_hash, created_at) VALUES ('intrus', 'admin', %s, now())",
                    (auth_service.hash_token("jeton-invente"),))

    with psycopg.connect(_plain(filled_pg)) as owner:
        assert _snapshot(owner, tables) == before


def test_the_owner_still_reads_and_writes(filled_pg):
    engine = make_engine(filled_pg)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            product = make_product(session)
            make_line(session, make_technician(session), product, 3)
            assert session.scalar(text("SELECT count(*) FROM transactions_inventaire WHERE produit_id = :p"),
                                  {"p": product.id}) == 1
    finally:
        engine.dispose()


@pytest.mark.parametrize("statement", [
    "UPDATE transactions_inventaire SET motif = 'réécrit' WHERE id = :id",
    "UPDATE transactions_inventaire SET ajustement = ajustement * 2 WHERE id = :id",
    "DELETE FROM transactions_inventaire WHERE id = :id",
])
def test_ledger_rows_cannot_be_changed_even_by_the_owner(db_session, statement):
    line = make_line(db_session, make_technician(db_session), make_product(db_session), 4)
    entry = db_session.query(Transaction).filter_by(stock_line_id=line.id).one()
    db_session.flush()
    with pytest.raises(DBAPIError, match="journal des mouvements en ajout seul"):
        with db_session.begin_nested():
            db_session.execute(text(statement), {"id": entry.id})
    db_session.expire_all()
    assert db_session.get(Transaction, entry.id).ajustement == Decimal("4")


def test_ledger_rows_cannot_be_changed_through_the_orm(db_session):
    line = make_line(db_session, make_technician(db_session), make_product(db_session), 2)
    entry = db_session.query(Transaction).filter_by(stock_line_id=line.id).one()
    with pytest.raises(DBAPIError, match="journal des mouvements en ajout seul"):
        with db_session.begin_nested():
            entry.quantite_apres = Decimal("99")
            db_session.flush()


def test_ledger_cannot_be_truncated_on_postgresql(filled_pg):
    with psycopg.connect(_plain(filled_pg)) as conn:
        with pytest.raises(psycopg.errors.RestrictViolation, match="TRUNCATE refusé"):
            conn.execute("TRUNCATE transactions_inventaire CASCADE")
        conn.rollback()
        assert conn.execute("SELECT count(*) FROM transactions_inventaire").fetchone()[0] > 0


@pytest.fixture
def database_at_0005(backend, tmp_path) -> Iterator[str]:
    """A database migrated to 0005 holding a stock line and its ledger row (upgraded through the rest)."""
    db = databases.MigratedDatabase(backend, tmp_path, revision="0005")
    url = db.url
    engine = make_engine(url)
    with engine.begin() as conn:
        now = "2026-11-01 12:00:00"
        conn.execute(text("INSERT INTO techniciens (id, nom, nom_cle, actif, created_at) "
                          "VALUES (1, 'Allan', 'allan', true, :t)"), {"t": now})
        conn.execute(text("INSERT INTO produits_catalogue (id, code_produit, nom_produit, categorie, unite, "
                          "prix_unitaire, actif, created_at, updated_at) "
                          "VALUES (1, 'CORD-1', 'Corde', 'Cordes', 'unité', 500, true, :t, :t)"), {"t": now})
        conn.execute(text("INSERT INTO inventaire_techniciens (id, technicien_id, produit_id, quantite, updated_at) "
                          "VALUES (1, 1, 1, 3000, :t)"), {"t": now})
        conn.execute(text("INSERT INTO transactions_inventaire (id, stock_line_id, technicien_id, produit_id, type, "
                          "ajustement, quantite_avant, quantite_apres, auteur, created_at) "
                          "VALUES (1, 1, 1, 1, 'reception', 3000, 0, 3000, 'bureau', :t)"), {"t": now})
    engine.dispose()
    yield url
    db.dispose()


def test_migration_keeps_existing_rows_and_then_guards_them(database_at_0005):
    upgrade(database_at_0005, PROTECTION)
    engine = make_engine(database_at_0005)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM transactions_inventaire")).scalar() == 1
            assert conn.execute(text("SELECT count(*) FROM inventaire_techniciens")).scalar() == 1
            with pytest.raises(DBAPIError, match="DELETE refusé"):
                conn.execute(text("DELETE FROM transactions_inventaire"))
            conn.rollback()
            assert conn.execute(text("SELECT count(*) FROM transactions_inventaire")).scalar() == 1
    finally:
        engine.dispose()


def test_downgrade_removes_the_protection(database_at_0005):
    from alembic import command

    from inventaire.kit.migrate import alembic_config

    upgrade(database_at_0005, PROTECTION)
    command.downgrade(alembic_config(database_at_0005), BEFORE)
    engine = make_engine(database_at_0005)
    try:
        with engine.begin() as conn:
            assert conn.execute(text("UPDATE transactions_inventaire SET motif = 'corrigé'")).rowcount == 1
            if engine.dialect.name == "postgresql":
                assert not conn.execute(text(
                    "SELECT bool_or(relrowsecurity) FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                    "AND relkind = 'r'")).scalar()
    finally:
        engine.dispose()
