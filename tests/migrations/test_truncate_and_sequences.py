"""Supabase's `anon` and `authenticated` can neither TRUNCATE a table nor move a sequence (setval):
row level security does not cover either, so the migrations revoke both (PostgreSQL only)."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from alembic.script import ScriptDirectory

from inventaire.kit.migrate import alembic_config, upgrade
from tests.databases import create_pg_database, drop_pg_database, require_pg

REVOCATION = "0021"  # the migration that revokes them


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _grant_as_supabase_does(url: str, roles: list[str]) -> None:
    with psycopg.connect(_plain(url), autocommit=True) as conn:
        for role in roles:
            conn.execute(f"CREATE ROLE {role} NOLOGIN NOINHERIT")
            conn.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
            conn.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
            conn.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
            # Supabase's default privileges: what later migrations create is granted too.
            conn.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO {role}")
            conn.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO {role}")


def _drop(url: str, roles: list[str]) -> None:
    with psycopg.connect(_plain(url), autocommit=True) as conn:
        for role in roles:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


@pytest.fixture
def migrated_with_supabase_roles():
    """Roles granted as Supabase grants them, then the migrations from the one before the revocation to head."""
    require_pg()
    url = create_pg_database()
    suffix = uuid.uuid4().hex[:8]
    roles = [f"anon_{suffix}", f"authenticated_{suffix}"]  # unique names: the server is shared
    before = ScriptDirectory.from_config(alembic_config(url)).get_revision(REVOCATION).down_revision
    try:
        upgrade(url, before)
        _grant_as_supabase_does(url, roles)
        upgrade(url)
        yield url, roles
    finally:
        try:
            _drop(url, roles)
        finally:
            drop_pg_database(url)


def test_supabase_roles_cannot_truncate_or_move_a_sequence(migrated_with_supabase_roles):
    url, roles = migrated_with_supabase_roles
    with psycopg.connect(_plain(url)) as owner:
        tables = [r[0] for r in owner.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') "
            "AND relname <> 'alembic_version' ORDER BY relname")]
        sequences = [r[0] for r in owner.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'S'")]
    assert len(tables) >= 18 and sequences
    with psycopg.connect(_plain(url)) as owner:
        for role in roles:
            truncate = [t for t in tables if owner.execute(
                "SELECT has_table_privilege(%s, %s, 'TRUNCATE')", (role, f'public."{t}"')).fetchone()[0]]
            setval = [q for q in sequences if owner.execute(
                "SELECT has_sequence_privilege(%s, %s, 'UPDATE') OR has_sequence_privilege(%s, %s, 'USAGE')",
                (role, f'public."{q}"', role, f'public."{q}"')).fetchone()[0]]
            assert (truncate, setval) == ([], []), role
    for role in roles:  # and for real: a table no other refers to, and an id sequence
        with psycopg.connect(_plain(url), autocommit=True) as conn:
            conn.execute(f"SET ROLE {role}")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("TRUNCATE echecs_authentification")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("SELECT setval('produits_catalogue_id_seq', 1000000)")
    with psycopg.connect(_plain(url)) as owner:  # the owner (the service) keeps both
        owner.execute("TRUNCATE echecs_authentification")
        sequence = sequences[0]
        owner.execute("SELECT setval(%s, 5)", (sequence,))
        owner.rollback()
