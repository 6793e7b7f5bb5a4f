"""A change counter that every write to a tracked table moves (the dashboard's conditional answer).

The polled dashboard answers 304 while nothing it shows has changed (inventaire/changes.py). So
that no writer can forget to say it changed something, the database says it: a trigger on each
tracked table moves one counter on every INSERT, UPDATE or DELETE, whoever writes (the API, the
CLI, a restore, a migration, plain SQL).

- PostgreSQL: a sequence, moved by a statement-level trigger. A sequence is never locked by a
  transaction, so concurrent writers do not wait for each other on it (a counter row would
  serialise every stock write). It moves before the writer commits; inventaire/changes.py also
  keys on the transactions in flight for that reason.
- SQLite: a one-row table, moved by row-level triggers (SQLite has no statement-level ones, and
  its writers take turns anyway).

On SQLite a batch_alter_table of a tracked table recreates it and drops its triggers: call
`track(table)` after it. tests/migrations/test_changes.py fails on a table the dashboard reads
without its trigger.
"""

from __future__ import annotations

from alembic import op

from inventaire.kit.changes import COUNTER

_FUNCTION = "inventaire_signaler_changement"
_SUPABASE_ROLES = ("anon", "authenticated")


def _dialect() -> str:
    return op.get_context().dialect.name


def create_counter() -> None:
    """The counter itself, that only the service's own role may move."""
    if _dialect() == "postgresql":
        op.execute(f"CREATE SEQUENCE {COUNTER}")
        op.execute(f"REVOKE ALL ON SEQUENCE {COUNTER} FROM PUBLIC")
        # Supabase grants every right on new sequences to its API roles: setval from the public
        # key could put the counter back and freeze the dashboard.
        roles = ", ".join(f"'{r}'" for r in _SUPABASE_ROLES)
        op.execute(
            "DO $$ DECLARE r record; BEGIN "
            f"FOR r IN SELECT rolname FROM pg_roles WHERE rolname IN ({roles}) LOOP "
            f"EXECUTE format('REVOKE ALL ON SEQUENCE {COUNTER} FROM %I', r.rolname); "
            "END LOOP; END $$"
        )
        op.execute(
            f"CREATE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"PERFORM nextval('{COUNTER}'); RETURN NULL; END $$"
        )
        return
    op.execute(f"CREATE TABLE {COUNTER} (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)")
    op.execute(f"INSERT INTO {COUNTER} (id, n) VALUES (1, 0)")


def drop_counter() -> None:
    if _dialect() == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {_FUNCTION}()")
        op.execute(f"DROP SEQUENCE IF EXISTS {COUNTER}")
        return
    op.execute(f"DROP TABLE IF EXISTS {COUNTER}")


def track(table: str) -> None:
    """Every write to `table` moves the counter (idempotent)."""
    untrack(table)
    if _dialect() == "postgresql":
        op.execute(
            f'CREATE TRIGGER {table}_changement AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
        )
        return
    for action in ("INSERT", "UPDATE", "DELETE"):
        op.execute(
            f'CREATE TRIGGER {table}_changement_{action.lower()} AFTER {action} ON "{table}" '
            f"BEGIN UPDATE {COUNTER} SET n = n + 1 WHERE id = 1; END"
        )


def untrack(table: str) -> None:
    if _dialect() == "postgresql":
        op.execute(f'DROP TRIGGER IF EXISTS {table}_changement ON "{table}"')
        return
    for action in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_changement_{action}")
