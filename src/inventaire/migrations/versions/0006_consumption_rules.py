"""consumption rules (a billed service consumes products) and technicians' gazelle_id

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('regles_consommation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.String(length=60), nullable=False),
    sa.Column('service_nom', sa.String(length=200), nullable=True),
    sa.Column('produit_id', sa.Integer(), nullable=False),
    sa.Column('quantite', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=False),
    sa.Column('notes', sa.String(length=500), nullable=True),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quantite > 0', name=op.f('ck_regles_consommation_quantite_positive')),
    sa.ForeignKeyConstraint(['produit_id'], ['produits_catalogue.id'], name=op.f('fk_regles_consommation_produit_id_produits_catalogue')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regles_consommation')),
    sa.UniqueConstraint('service_id', 'produit_id', name='uq_regles_consommation_service_produit')
    )
    with op.batch_alter_table('regles_consommation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regles_consommation_produit_id'), ['produit_id'], unique=False)

    with op.batch_alter_table('techniciens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gazelle_id', sa.String(length=60), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_techniciens_gazelle_id'), ['gazelle_id'])



def downgrade() -> None:
    with op.batch_alter_table('techniciens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_techniciens_gazelle_id'), type_='unique')
        batch_op.drop_column('gazelle_id')

    with op.batch_alter_table('regles_consommation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regles_consommation_produit_id'))

    op.drop_table('regles_consommation')
