"""gazelle: the OAuth tokens (the rotated refresh token is kept here) and the sync runs with their reports

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('gazelle_jetons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('refresh_token', sa.Text(), nullable=False),
    sa.Column('origine', sa.String(length=64), nullable=False),
    sa.Column('access_token', sa.Text(), nullable=True),
    sa.Column('expires_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gazelle_jetons'))
    )
    op.create_table('gazelle_syncs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statut', sa.String(length=12), nullable=False),
    sa.Column('jours', sa.Integer(), nullable=False),
    sa.Column('declenchee_par', sa.String(length=120), nullable=False),
    sa.Column('started_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rapport', sa.JSON(), nullable=True),
    sa.Column('erreur', sa.Text(), nullable=True),
    sa.Column('notifiee', sa.Boolean(), nullable=False),
    sa.CheckConstraint("statut IN ('en_cours', 'reussie', 'echec', 'interrompue')", name=op.f('ck_gazelle_syncs_statut_connu')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gazelle_syncs'))
    )
    with op.batch_alter_table('gazelle_syncs', schema=None) as batch_op:
        batch_op.create_index('ix_gazelle_syncs_started_at', ['started_at'], unique=False)
        batch_op.create_index('uq_gazelle_syncs_en_cours', ['statut'], unique=True, sqlite_where=sa.text("statut = 'en_cours'"), postgresql_where=sa.text("statut = 'en_cours'"))



def downgrade() -> None:
    with op.batch_alter_table('gazelle_syncs', schema=None) as batch_op:
        batch_op.drop_index('uq_gazelle_syncs_en_cours', sqlite_where=sa.text("statut = 'en_cours'"), postgresql_where=sa.text("statut = 'en_cours'"))
        batch_op.drop_index('ix_gazelle_syncs_started_at')

    op.drop_table('gazelle_syncs')
    op.drop_table('gazelle_jetons')
