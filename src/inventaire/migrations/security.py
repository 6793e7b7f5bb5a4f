"""Database-level protections that every migration keeps: row level security and the append-only ledger.

Supabase publishes every table of the `public` schema through its REST API to the `anon` and
`authenticated` roles, with full grants. Row level security enabled with no policy leaves those
roles nothing (no row read, none written), while the tables' owner, the service's own role,
bypasses it and works as before. So **every migration that creates a table calls
`enable_row_security(name)`**; tests/migrations/test_security.py lists every table of the
migrated PostgreSQL schema and fails on one without it.

Row security does not cover TRUNCATE (it empties a table whatever the policies) nor sequences
(`setval` would make the next ids collide): `revoke_truncate_and_sequences()` takes TRUNCATE on
every table, and USAGE and UPDATE on every sequence, from every role but the tables' owner
(Supabase's `anon` and `authenticated` when they exist, whatever else was granted them).
`enable_row_security` calls it too, for the tables later migrations create (Supabase's default
privileges grant them everything again).

The ledger (`transactions_inventaire`) only ever receives INSERTs (the stock service writes
rows, a restore inserts them): a trigger refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL)
for the owner too, as long as it is on: the owner may still disable or drop it (README). A migration
that must rewrite ledger rows does it inside `with ledger_unlocked():`. On SQLite a
batch_alter_table of the ledger recreates the table and drops its triggers: call
`guard_ledger()` after it (the same test checks the triggers at head).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import op

LEDGER = "transactions_inventaire"
_FUNCTION = "inventaire_journal_ajout_seul"
_MESSAGE = "journal des mouvements en ajout seul : {op} refusé sur " + LEDGER
# For the developer whose migration meets the trigger (shown by psycopg under the message).
_HINT = "a migration rewriting ledger rows runs them inside inventaire.migrations.security.ledger_unlocked()"


def _dialect() -> str:
    return op.get_context().dialect.name


def enable_row_security(table: str) -> None:
    """PostgreSQL: row level security on `table`, no policy (only the owner reaches its rows)."""
    if _dialect() == "postgresql":
        op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        revoke_truncate_and_sequences()


# Every grant of TRUNCATE on a table, or USAGE/UPDATE on a sequence, of the public schema to a
# role other than its owner (grantee 0 is PUBLIC), revoked one by one.
_REVOKE = """
DO $$
DECLARE
  g record;
BEGIN
  FOR g IN
    SELECT c.oid::regclass AS target, c.relkind, a.privilege_type,
           CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee
    FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
    WHERE c.relnamespace = 'public'::regnamespace AND a.grantee <> c.relowner
      AND ((c.relkind IN ('r', 'p') AND a.privilege_type = 'TRUNCATE')
           OR (c.relkind = 'S' AND a.privilege_type IN ('USAGE', 'UPDATE')))
  LOOP
    EXECUTE format('REVOKE %s ON %s %s FROM %s', g.privilege_type,
                   CASE WHEN g.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, g.target, g.grantee);
  END LOOP;
END $$
"""


def revoke_truncate_and_sequences() -> None:
    """PostgreSQL: TRUNCATE and sequence USAGE/UPDATE (setval, nextval) for the owner only (idempotent)."""
    if _dialect() == "postgresql":
        op.execute(_REVOKE)


def disable_row_security(table: str) -> None:
    """The reverse of enable_row_security (downgrades)."""
    if _dialect() == "postgresql":
        op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')


def guard_ledger() -> None:
    """Create the triggers that refuse UPDATE and DELETE of ledger rows (idempotent)."""
    unguard_ledger()
    if _dialect() == "postgresql":
        op.execute(
            f"CREATE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{_MESSAGE.format(op='%')}', TG_OP USING ERRCODE = 'restrict_violation', "
            f"HINT = '{_HINT}'; "
            "END $$"
        )
        op.execute(
            f"CREATE TRIGGER {LEDGER}_ajout_seul BEFORE UPDATE OR DELETE ON {LEDGER} "
            f"FOR EACH ROW EXECUTE FUNCTION {_FUNCTION}()"
        )
        op.execute(
            f"CREATE TRIGGER {LEDGER}_pas_de_vidage BEFORE TRUNCATE ON {LEDGER} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {LEDGER}_refuse_{action.lower()} BEFORE {action} ON {LEDGER} "
            f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE.format(op=action)}'); END"
        )


def unguard_ledger() -> None:
    """Drop the ledger's triggers (downgrades, and ledger_unlocked)."""
    if _dialect() == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {LEDGER}_ajout_seul ON {LEDGER}")
        op.execute(f"DROP TRIGGER IF EXISTS {LEDGER}_pas_de_vidage ON {LEDGER}")
        op.execute(f"DROP FUNCTION IF EXISTS {_FUNCTION}()")
        return
    for action in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {LEDGER}_refuse_{action}")


@contextmanager
def ledger_unlocked() -> Iterator[None]:
    """For a migration that must rewrite ledger rows (a new column filled from the old ones)."""
    unguard_ledger()
    yield
    guard_ledger()
