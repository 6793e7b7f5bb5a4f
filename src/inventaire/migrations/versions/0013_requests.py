"""Requests from the vans (demandes)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('demandes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('technicien_id', sa.Integer(), nullable=False),
    sa.Column('produit_id', sa.Integer(), nullable=False),
    sa.Column('quantite', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('statut', sa.String(length=20), nullable=False),
    sa.Column('auteur', sa.String(length=120), nullable=False),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('motif_refus', sa.String(length=500), nullable=True),
    sa.Column('atelier_id', sa.Integer(), nullable=True),
    sa.Column('quantite_servie', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=True),
    sa.Column('transaction_id', sa.Integer(), nullable=True),
    sa.Column('notifiee_le', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('quantite > 0', name=op.f('ck_demandes_quantite_positive')),
    sa.CheckConstraint("statut IN ('ouverte', 'servie', 'refusee')", name=op.f('ck_demandes_statut_connu')),
    sa.ForeignKeyConstraint(['atelier_id'], ['ateliers.id'], name=op.f('fk_demandes_atelier_id_ateliers')),
    sa.ForeignKeyConstraint(['produit_id'], ['produits_catalogue.id'], name=op.f('fk_demandes_produit_id_produits_catalogue')),
    sa.ForeignKeyConstraint(['technicien_id'], ['techniciens.id'], name=op.f('fk_demandes_technicien_id_techniciens')),
    sa.ForeignKeyConstraint(['transaction_id'], ['transactions_inventaire.id'], name=op.f('fk_demandes_transaction_id_transactions_inventaire')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demandes'))
    )
    with op.batch_alter_table('demandes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demandes_statut'), ['statut'], unique=False)
        batch_op.create_index(batch_op.f('ix_demandes_technicien_id'), ['technicien_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('demandes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_demandes_technicien_id'))
        batch_op.drop_index(batch_op.f('ix_demandes_statut'))
    op.drop_table('demandes')
