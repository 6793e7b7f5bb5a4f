"""PostgreSQL: stored check reports compressed with lz4

Every check stores its whole report (1.4 MB of JSON at 4,805 alerts). Compressing it with
PostgreSQL's default, pglz, made the INSERT take 17 ms; with lz4 it takes 12 ms, and reading
is as fast (BENCHMARKS.md). A server built without lz4 keeps pglz. Nothing to do on SQLite.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _set_compression(method: str) -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute(
        "DO $$ BEGIN "
        f"ALTER TABLE verifications ALTER COLUMN rapport SET COMPRESSION {method}; "
        "EXCEPTION WHEN feature_not_supported THEN NULL; "  # built without lz4
        "END $$"
    )


def upgrade() -> None:
    _set_compression("lz4")


def downgrade() -> None:
    _set_compression("DEFAULT")
