"""TRUNCATE and sequences for the owner only: Supabase's anon and authenticated lose them

Row level security (0014) stops those roles reading or writing rows, but not TRUNCATE, which
empties a table whatever the policies, nor `setval` on the id sequences, which would make the
service's next inserts collide. Both are revoked from every role but the owner (when Supabase's
roles do not exist, nothing is granted and nothing changes); see inventaire/migrations/security.py.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from inventaire.migrations.security import revoke_truncate_and_sequences

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    revoke_truncate_and_sequences()


def downgrade() -> None:
    pass  # nothing to give back: no role but the owner ever needed TRUNCATE or setval
