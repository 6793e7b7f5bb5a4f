"""notifications of check runs (deliveries per channel) and the runs' notify flag

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('verification_id', sa.Integer(), nullable=False),
    sa.Column('canal', sa.String(length=20), nullable=False),
    sa.Column('destinataires', sa.JSON(), nullable=False),
    sa.Column('technicien', sa.String(length=60), nullable=True),
    sa.Column('sujet', sa.String(length=300), nullable=False),
    sa.Column('contenu', sa.JSON(), nullable=False),
    sa.Column('statut', sa.String(length=20), nullable=False),
    sa.Column('tentatives', sa.Integer(), nullable=False),
    sa.Column('erreur', sa.Text(), nullable=True),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('derniere_tentative', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('envoyee_le', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("canal IN ('email', 'slack', 'discord')", name=op.f('ck_notifications_canal_connu')),
    sa.CheckConstraint("statut IN ('en_attente', 'en_cours', 'envoyee', 'echec')", name=op.f('ck_notifications_statut_connu')),
    sa.ForeignKeyConstraint(['verification_id'], ['verifications.id'], name=op.f('fk_notifications_verification_id_verifications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_statut'), ['statut'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_verification_id'), ['verification_id'], unique=False)

    with op.batch_alter_table('verifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notifier', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('verifications', schema=None) as batch_op:
        batch_op.drop_column('notifier')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_verification_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_statut'))

    op.drop_table('notifications')
