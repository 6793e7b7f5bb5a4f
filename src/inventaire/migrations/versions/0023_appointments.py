"""appointments read from Gazelle (rendez_vous), replaced at each read; the load lists sent (chargement_envois)

Each row is one APPOINTMENT event with the services booked on it (a JSON list) and the
digest of its content, so an unchanged read writes nothing. Row level security on
PostgreSQL, like every table (migrations/security.py).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database
from inventaire.migrations.security import disable_row_security, enable_row_security

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rendez_vous',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_externe', sa.String(length=60), nullable=False),
    sa.Column('gazelle_user', sa.String(length=60), nullable=True),
    sa.Column('jour', sa.Date(), nullable=False),
    sa.Column('debut', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('duree_minutes', sa.Integer(), nullable=False),
    sa.Column('statut', sa.String(length=12), nullable=False),
    sa.Column('client', sa.String(length=200), nullable=True),
    sa.Column('titre', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('services', sa.JSON(), nullable=False),
    sa.Column('empreinte', sa.String(length=64), nullable=False),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("statut IN ('ACTIVE', 'COMPLETE', 'CANCELED', 'NO_SHOW')",
                       name=op.f('ck_rendez_vous_statut_connu')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rendez_vous')),
    sa.UniqueConstraint('id_externe', name=op.f('uq_rendez_vous_id_externe'))
    )
    with op.batch_alter_table('rendez_vous', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rendez_vous_jour'), ['jour'], unique=False)
        batch_op.create_index('ix_rendez_vous_utilisateur_jour', ['gazelle_user', 'jour'], unique=False)
    enable_row_security('rendez_vous')

    op.create_table('chargement_envois',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cle', sa.String(length=120), nullable=False),
    sa.Column('jour', sa.Date(), nullable=False),
    sa.Column('genre', sa.String(length=10), nullable=False),
    sa.Column('canal', sa.String(length=20), nullable=False),
    sa.Column('technicien', sa.String(length=60), nullable=True),
    sa.Column('destinataires', sa.JSON(), nullable=False),
    sa.Column('sujet', sa.String(length=300), nullable=False),
    sa.Column('contenu', sa.JSON(), nullable=False),
    sa.Column('instantane', sa.JSON(), nullable=False),
    sa.Column('statut', sa.String(length=20), nullable=False),
    sa.Column('tentatives', sa.Integer(), nullable=False),
    sa.Column('erreur', sa.Text(), nullable=True),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('derniere_tentative', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('envoyee_le', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("genre IN ('soir', 'matin')", name=op.f('ck_chargement_envois_genre_connu')),
    sa.CheckConstraint("canal IN ('email', 'slack', 'discord')", name=op.f('ck_chargement_envois_canal_connu')),
    sa.CheckConstraint("statut IN ('en_attente', 'en_cours', 'envoyee', 'echec')",
                       name=op.f('ck_chargement_envois_statut_connu')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chargement_envois')),
    sa.UniqueConstraint('cle', name=op.f('uq_chargement_envois_cle'))
    )
    with op.batch_alter_table('chargement_envois', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chargement_envois_jour'), ['jour'], unique=False)
        batch_op.create_index(batch_op.f('ix_chargement_envois_statut'), ['statut'], unique=False)
    enable_row_security('chargement_envois')


def downgrade() -> None:
    disable_row_security('chargement_envois')
    with op.batch_alter_table('chargement_envois', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chargement_envois_statut'))
        batch_op.drop_index(batch_op.f('ix_chargement_envois_jour'))
    op.drop_table('chargement_envois')
    disable_row_security('rendez_vous')
    with op.batch_alter_table('rendez_vous', schema=None) as batch_op:
        batch_op.drop_index('ix_rendez_vous_utilisateur_jour')
        batch_op.drop_index(batch_op.f('ix_rendez_vous_jour'))
    op.drop_table('rendez_vous')
