"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('produits_catalogue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_produit', sa.String(length=40), nullable=False),
    sa.Column('nom_produit', sa.String(length=200), nullable=False),
    sa.Column('categorie', sa.String(length=60), nullable=False),
    sa.Column('unite', sa.String(length=30), nullable=False),
    sa.Column('prix_unitaire', inventaire.kit.database.ScaledDecimal(precision=12, scale=2), nullable=False),
    sa.Column('prix_vente', inventaire.kit.database.ScaledDecimal(precision=12, scale=2), nullable=True),
    sa.Column('fournisseur', sa.String(length=120), nullable=True),
    sa.Column('seuil_reorder', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=True),
    sa.Column('actif', sa.Boolean(), nullable=False),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('prix_unitaire >= 0', name=op.f('ck_produits_catalogue_prix_unitaire_positif')),
    sa.CheckConstraint('prix_vente IS NULL OR prix_vente >= 0', name=op.f('ck_produits_catalogue_prix_vente_positif')),
    sa.CheckConstraint('seuil_reorder IS NULL OR seuil_reorder >= 0', name=op.f('ck_produits_catalogue_seuil_reorder_positif')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_produits_catalogue')),
    sa.UniqueConstraint('code_produit', name=op.f('uq_produits_catalogue_code_produit'))
    )
    with op.batch_alter_table('produits_catalogue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_produits_catalogue_categorie'), ['categorie'], unique=False)

    op.create_table('techniciens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nom', sa.String(length=60), nullable=False),
    sa.Column('nom_cle', sa.String(length=60), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('actif', sa.Boolean(), nullable=False),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_techniciens')),
    sa.UniqueConstraint('nom_cle', name=op.f('uq_techniciens_nom_cle'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nom', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('technicien_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['technicien_id'], ['techniciens.id'], name=op.f('fk_api_tokens_technicien_id_techniciens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    op.create_table('inventaire_techniciens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('technicien_id', sa.Integer(), nullable=False),
    sa.Column('produit_id', sa.Integer(), nullable=False),
    sa.Column('quantite', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=False),
    sa.Column('seuil_min', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=True),
    sa.Column('niveau_par', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=True),
    sa.Column('updated_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('niveau_par IS NULL OR niveau_par >= 0', name=op.f('ck_inventaire_techniciens_niveau_par_positif')),
    sa.CheckConstraint('quantite >= 0', name=op.f('ck_inventaire_techniciens_quantite_positive')),
    sa.CheckConstraint('seuil_min IS NULL OR seuil_min >= 0', name=op.f('ck_inventaire_techniciens_seuil_min_positif')),
    sa.ForeignKeyConstraint(['produit_id'], ['produits_catalogue.id'], name=op.f('fk_inventaire_techniciens_produit_id_produits_catalogue')),
    sa.ForeignKeyConstraint(['technicien_id'], ['techniciens.id'], name=op.f('fk_inventaire_techniciens_technicien_id_techniciens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventaire_techniciens')),
    sa.UniqueConstraint('technicien_id', 'produit_id', name='uq_inventaire_techniciens_ligne')
    )
    with op.batch_alter_table('inventaire_techniciens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventaire_techniciens_produit_id'), ['produit_id'], unique=False)

    op.create_table('verifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('technicien_id', sa.Integer(), nullable=True),
    sa.Column('seuil_critique', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=True),
    sa.Column('generated_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('total_alertes', sa.Integer(), nullable=False),
    sa.Column('alertes_critiques', sa.Integer(), nullable=False),
    sa.Column('declenchee_par', sa.String(length=120), nullable=False),
    sa.Column('rapport', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['technicien_id'], ['techniciens.id'], name=op.f('fk_verifications_technicien_id_techniciens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verifications'))
    )
    with op.batch_alter_table('verifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verifications_generated_at'), ['generated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_verifications_technicien_id'), ['technicien_id'], unique=False)

    op.create_table('transactions_inventaire',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stock_line_id', sa.Integer(), nullable=False),
    sa.Column('technicien_id', sa.Integer(), nullable=False),
    sa.Column('produit_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('ajustement', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=False),
    sa.Column('quantite_avant', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=False),
    sa.Column('quantite_apres', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=False),
    sa.Column('motif', sa.String(length=500), nullable=True),
    sa.Column('reference', sa.String(length=120), nullable=True),
    sa.Column('auteur', sa.String(length=120), nullable=False),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("type IN ('reception', 'utilisation', 'ajustement', 'comptage')", name=op.f('ck_transactions_inventaire_type_connu')),
    sa.CheckConstraint('quantite_apres >= 0', name=op.f('ck_transactions_inventaire_quantite_apres_positive')),
    sa.ForeignKeyConstraint(['produit_id'], ['produits_catalogue.id'], name=op.f('fk_transactions_inventaire_produit_id_produits_catalogue')),
    sa.ForeignKeyConstraint(['stock_line_id'], ['inventaire_techniciens.id'], name=op.f('fk_transactions_inventaire_stock_line_id_inventaire_techniciens')),
    sa.ForeignKeyConstraint(['technicien_id'], ['techniciens.id'], name=op.f('fk_transactions_inventaire_technicien_id_techniciens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transactions_inventaire'))
    )
    with op.batch_alter_table('transactions_inventaire', schema=None) as batch_op:
        batch_op.create_index('ix_transactions_inventaire_date', ['created_at'], unique=False)
        batch_op.create_index('ix_transactions_inventaire_ligne_date', ['stock_line_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_transactions_inventaire_produit_id'), ['produit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transactions_inventaire_technicien_id'), ['technicien_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('transactions_inventaire', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transactions_inventaire_technicien_id'))
        batch_op.drop_index(batch_op.f('ix_transactions_inventaire_produit_id'))
        batch_op.drop_index('ix_transactions_inventaire_ligne_date')
        batch_op.drop_index('ix_transactions_inventaire_date')

    op.drop_table('transactions_inventaire')
    with op.batch_alter_table('verifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verifications_technicien_id'))
        batch_op.drop_index(batch_op.f('ix_verifications_generated_at'))

    op.drop_table('verifications')
    with op.batch_alter_table('inventaire_techniciens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventaire_techniciens_produit_id'))

    op.drop_table('inventaire_techniciens')
    op.drop_table('api_tokens')
    op.drop_table('techniciens')
    with op.batch_alter_table('produits_catalogue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_produits_catalogue_categorie'))

    op.drop_table('produits_catalogue')
