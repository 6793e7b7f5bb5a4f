"""deductions: each completed service as last applied, and per line, product and van what the ledger holds

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('services_deduits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('id_externe', sa.String(length=120), nullable=False),
    sa.Column('numero', sa.String(length=40), nullable=True),
    sa.Column('statut', sa.String(length=10), nullable=False),
    sa.Column('technicien_id', sa.Integer(), nullable=True),
    sa.Column('client', sa.String(length=200), nullable=True),
    sa.Column('date_service', sa.Date(), nullable=True),
    sa.Column('version', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('empreinte', sa.String(length=64), nullable=False),
    sa.Column('lignes', sa.JSON(), nullable=False),
    sa.Column('non_deduites', sa.JSON(), nullable=False),
    sa.Column('manque_ouvert', sa.Boolean(), nullable=False),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("statut IN ('actif', 'annule')", name=op.f('ck_services_deduits_statut_connu')),
    sa.ForeignKeyConstraint(['technicien_id'], ['techniciens.id'], name=op.f('fk_services_deduits_technicien_id_techniciens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services_deduits')),
    sa.UniqueConstraint('source', 'id_externe', name='uq_services_deduits_source_id')
    )
    with op.batch_alter_table('services_deduits', schema=None) as batch_op:
        batch_op.create_index('ix_services_deduits_date', ['date_service'], unique=False)
        batch_op.create_index(batch_op.f('ix_services_deduits_technicien_id'), ['technicien_id'], unique=False)

    op.create_table('deductions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('ligne_externe', sa.String(length=120), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('produit_id', sa.Integer(), nullable=False),
    sa.Column('technicien_id', sa.Integer(), nullable=False),
    sa.Column('voulu', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=False),
    sa.Column('deduit', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=False),
    sa.Column('regle', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=False),
    sa.Column('manque_depuis', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('voulu >= 0 AND deduit >= 0 AND regle >= 0', name=op.f('ck_deductions_quantites_positives')),
    sa.ForeignKeyConstraint(['produit_id'], ['produits_catalogue.id'], name=op.f('fk_deductions_produit_id_produits_catalogue')),
    sa.ForeignKeyConstraint(['service_id'], ['services_deduits.id'], name=op.f('fk_deductions_service_id_services_deduits'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['technicien_id'], ['techniciens.id'], name=op.f('fk_deductions_technicien_id_techniciens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deductions')),
    sa.UniqueConstraint('service_id', 'ligne_externe', 'produit_id', 'technicien_id', name='uq_deductions_cle')
    )
    with op.batch_alter_table('deductions', schema=None) as batch_op:
        batch_op.create_index('ix_deductions_ligne_stock', ['technicien_id', 'produit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deductions_produit_id'), ['produit_id'], unique=False)

    with op.batch_alter_table('transactions_inventaire', schema=None) as batch_op:
        batch_op.create_index('ix_transactions_inventaire_reference', ['reference'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('transactions_inventaire', schema=None) as batch_op:
        batch_op.drop_index('ix_transactions_inventaire_reference')

    with op.batch_alter_table('deductions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deductions_produit_id'))
        batch_op.drop_index('ix_deductions_ligne_stock')

    op.drop_table('deductions')
    with op.batch_alter_table('services_deduits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_services_deduits_technicien_id'))
        batch_op.drop_index('ix_services_deduits_date')

    op.drop_table('services_deduits')
