"""a change counter moved by every write to a table the dashboard shows (its conditional answer)

See inventaire/migrations/changes.py: a sequence and statement-level triggers on PostgreSQL,
a one-row table and row-level triggers on SQLite. The list below is the tables the dashboard's
polled part reads, frozen as of this revision; tests/migrations/test_changes.py checks that the
dashboard reads no other table.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01
"""

from inventaire.migrations.changes import create_counter, drop_counter, track, untrack

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

TRACKED = (
    'ateliers', 'deductions', 'emplacements', 'gazelle_syncs', 'inventaire_techniciens', 'notifications',
    'produits_catalogue', 'services_deduits', 'techniciens', 'transactions_inventaire', 'verifications',
)


def upgrade() -> None:
    create_counter()
    for table in TRACKED:
        track(table)


def downgrade() -> None:
    for table in TRACKED:
        untrack(table)
    drop_counter()
