"""an optional barcode on products (EAN, UPC or any printable text), unique when set

A plain ADD COLUMN and a unique index, not a batch rebuild: on SQLite a rebuilt table would lose
the change counter's triggers (0019). NULLs do not collide in a unique index on either database.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('produits_catalogue', sa.Column('code_barres', sa.String(length=64), nullable=True))
    op.create_index('uq_produits_catalogue_code_barres', 'produits_catalogue', ['code_barres'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_produits_catalogue_code_barres', table_name='produits_catalogue')
    with op.batch_alter_table('produits_catalogue', schema=None) as batch_op:
        batch_op.drop_column('code_barres')
