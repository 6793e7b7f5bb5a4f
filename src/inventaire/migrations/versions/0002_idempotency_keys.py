"""idempotency keys of stock-changing requests

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cles_idempotence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appelant', sa.String(length=40), nullable=False),
    sa.Column('cle', sa.String(length=200), nullable=False),
    sa.Column('empreinte', sa.String(length=64), nullable=False),
    sa.Column('statut', sa.Integer(), nullable=True),
    sa.Column('reponse', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cles_idempotence')),
    sa.UniqueConstraint('appelant', 'cle', name='uq_cles_idempotence_appelant_cle')
    )
    with op.batch_alter_table('cles_idempotence', schema=None) as batch_op:
        batch_op.create_index('ix_cles_idempotence_created_at', ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cles_idempotence', schema=None) as batch_op:
        batch_op.drop_index('ix_cles_idempotence_created_at')
    op.drop_table('cles_idempotence')
