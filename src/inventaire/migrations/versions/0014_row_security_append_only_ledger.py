"""Row level security on every table (PostgreSQL), and an append-only ledger (both databases)

Supabase gives its `anon` and `authenticated` roles every right on the `public` schema: with
row level security off, the project's public anon key could read token hashes and insert an
admin token. Enabled with no policy, those roles get nothing; the owner works as before.
Every table present is covered (whatever the migrations before this one created); migrations
after it call enable_row_security() for the tables they create.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from alembic import op

from inventaire.migrations.security import guard_ledger, unguard_ledger

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def _every_table(action: str) -> None:
    """ENABLE or DISABLE row level security on every table of the schema (in SQL: works offline too)."""
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute(
        "DO $$ DECLARE t record; BEGIN "
        "FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP "
        f"EXECUTE format('ALTER TABLE %I {action} ROW LEVEL SECURITY', t.tablename); "
        "END LOOP; END $$"
    )


def upgrade() -> None:
    _every_table("ENABLE")
    guard_ledger()


def downgrade() -> None:
    unguard_ledger()
    _every_table("DISABLE")
