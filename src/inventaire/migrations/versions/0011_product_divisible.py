"""products say whether they are divisible (felt in metres) or counted in whole units

Existing products counted in a whole unit (unité, bobine, flacon…) become non-divisible,
unless a stock line or a ledger row of theirs already holds a fraction: then they stay
divisible, so that no stored quantity contradicts its product.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

WHOLE_UNITS = ("unité", "bobine", "flacon", "jeu", "sachet", "tube", "boîte", "paquet", "pqt", "pièce")
SCALE = 1000  # quantities are stored as integer thousandths on SQLite, NUMERIC(…, 3) on PostgreSQL


def upgrade() -> None:
    with op.batch_alter_table('produits_catalogue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('divisible', sa.Boolean(), server_default=sa.true(), nullable=False))
    if op.get_context().dialect.name == "sqlite":
        fraction = "quantite % 1000 != 0"
        ledger_fraction = "ajustement % 1000 != 0"
    else:
        fraction = "quantite != trunc(quantite)"
        ledger_fraction = "ajustement != trunc(ajustement)"
    units = ", ".join(f"'{u}'" for u in WHOLE_UNITS)
    op.execute(
        f"UPDATE produits_catalogue SET divisible = false WHERE lower(unite) IN ({units}) "
        f"AND id NOT IN (SELECT produit_id FROM inventaire_techniciens WHERE {fraction}) "
        f"AND id NOT IN (SELECT produit_id FROM transactions_inventaire WHERE {ledger_fraction})"
    )


def downgrade() -> None:
    with op.batch_alter_table('produits_catalogue', schema=None) as batch_op:
        batch_op.drop_column('divisible')
