"""gazelle connection: one-time OAuth states, the live schema checks, since when connected, the run's heartbeat

`gazelle_etats_oauth` holds digests of the `state` of « Connecter Gazelle » and of the
browser's nonce; `gazelle_verifications` keeps each check of Gazelle's live schema (a sync
reuses one for a day). `gazelle_jetons` learns when and by whom Gazelle was authorized;
`gazelle_syncs.heartbeat_at` lets a crashed run be told from a slow one. Both new tables get
row level security on PostgreSQL, like every table.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database
from inventaire.migrations.security import disable_row_security, enable_row_security

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('gazelle_etats_oauth',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('etat', sa.String(length=64), nullable=False),
    sa.Column('navigateur', sa.String(length=64), nullable=False),
    sa.Column('demande_par', sa.String(length=120), nullable=False),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gazelle_etats_oauth')),
    sa.UniqueConstraint('etat', name=op.f('uq_gazelle_etats_oauth_etat'))
    )
    enable_row_security('gazelle_etats_oauth')
    op.create_table('gazelle_verifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checked_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('mode', sa.String(length=12), nullable=False),
    sa.Column('champs_manquants', sa.JSON(), nullable=False),
    sa.Column('utilisateurs', sa.Integer(), nullable=True),
    sa.Column('erreur', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gazelle_verifications'))
    )
    with op.batch_alter_table('gazelle_verifications', schema=None) as batch_op:
        batch_op.create_index('ix_gazelle_verifications_checked_at', ['checked_at'], unique=False)
    enable_row_security('gazelle_verifications')
    with op.batch_alter_table('gazelle_jetons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('connecte_depuis', inventaire.kit.database.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('autorise_par', sa.String(length=120), nullable=True))
    with op.batch_alter_table('gazelle_syncs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', inventaire.kit.database.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('gazelle_syncs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
    with op.batch_alter_table('gazelle_jetons', schema=None) as batch_op:
        batch_op.drop_column('autorise_par')
        batch_op.drop_column('connecte_depuis')
    disable_row_security('gazelle_verifications')
    with op.batch_alter_table('gazelle_verifications', schema=None) as batch_op:
        batch_op.drop_index('ix_gazelle_verifications_checked_at')
    op.drop_table('gazelle_verifications')
    disable_row_security('gazelle_etats_oauth')
    op.drop_table('gazelle_etats_oauth')
