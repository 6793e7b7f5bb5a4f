"""Supplier orders (commandes) and their lines

An order is numbered CMD-<year>-<rank>, belongs to a supplier and a workshop (where it is
received), and goes brouillon → envoyee → partielle → recue (or annulee, from a draft).
Both tables get row level security on PostgreSQL, like every table (migrations/security.py).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database
from inventaire.migrations.security import disable_row_security, enable_row_security

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('commandes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('annee', sa.Integer(), nullable=False),
    sa.Column('rang', sa.Integer(), nullable=False),
    sa.Column('numero', sa.String(length=20), nullable=False),
    sa.Column('fournisseur', sa.String(length=120), nullable=False),
    sa.Column('atelier_id', sa.Integer(), nullable=False),
    sa.Column('statut', sa.String(length=20), nullable=False),
    sa.Column('auteur', sa.String(length=120), nullable=False),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('envoyee_le', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('recue_le', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('annulee_le', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("statut IN ('brouillon', 'envoyee', 'partielle', 'recue', 'annulee')", name=op.f('ck_commandes_statut_connu')),
    sa.CheckConstraint('rang > 0', name=op.f('ck_commandes_rang_positif')),
    sa.ForeignKeyConstraint(['atelier_id'], ['ateliers.id'], name=op.f('fk_commandes_atelier_id_ateliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commandes')),
    sa.UniqueConstraint('annee', 'rang', name='uq_commandes_annee_rang'),
    sa.UniqueConstraint('numero', name=op.f('uq_commandes_numero'))
    )
    with op.batch_alter_table('commandes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commandes_atelier_id'), ['atelier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commandes_fournisseur'), ['fournisseur'], unique=False)
        batch_op.create_index(batch_op.f('ix_commandes_statut'), ['statut'], unique=False)

    op.create_table('lignes_commande',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commande_id', sa.Integer(), nullable=False),
    sa.Column('produit_id', sa.Integer(), nullable=False),
    sa.Column('quantite', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=False),
    sa.Column('quantite_recue', inventaire.kit.database.ScaledDecimal(precision=12, scale=3), nullable=False),
    sa.Column('prix_unitaire', inventaire.kit.database.ScaledDecimal(precision=12, scale=2), nullable=False),
    sa.CheckConstraint('prix_unitaire >= 0', name=op.f('ck_lignes_commande_prix_unitaire_positif')),
    sa.CheckConstraint('quantite > 0', name=op.f('ck_lignes_commande_quantite_positive')),
    sa.CheckConstraint('quantite_recue >= 0 AND quantite_recue <= quantite', name=op.f('ck_lignes_commande_recue_bornee')),
    sa.ForeignKeyConstraint(['commande_id'], ['commandes.id'], name=op.f('fk_lignes_commande_commande_id_commandes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['produit_id'], ['produits_catalogue.id'], name=op.f('fk_lignes_commande_produit_id_produits_catalogue')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lignes_commande')),
    sa.UniqueConstraint('commande_id', 'produit_id', name='uq_lignes_commande_produit')
    )
    with op.batch_alter_table('lignes_commande', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lignes_commande_commande_id'), ['commande_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lignes_commande_produit_id'), ['produit_id'], unique=False)
    for table in ('commandes', 'lignes_commande'):
        enable_row_security(table)


def downgrade() -> None:
    for table in ('lignes_commande', 'commandes'):
        disable_row_security(table)
    with op.batch_alter_table('lignes_commande', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lignes_commande_produit_id'))
        batch_op.drop_index(batch_op.f('ix_lignes_commande_commande_id'))

    op.drop_table('lignes_commande')
    with op.batch_alter_table('commandes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commandes_statut'))
        batch_op.drop_index(batch_op.f('ix_commandes_fournisseur'))
        batch_op.drop_index(batch_op.f('ix_commandes_atelier_id'))

    op.drop_table('commandes')
