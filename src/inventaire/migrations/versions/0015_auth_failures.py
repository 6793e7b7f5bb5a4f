"""failed authentications per client address (throttling shared by every worker)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database
from inventaire.migrations.security import enable_row_security

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('echecs_authentification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('adresse', sa.String(length=64), nullable=False),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_echecs_authentification'))
    )
    with op.batch_alter_table('echecs_authentification', schema=None) as batch_op:
        batch_op.create_index('ix_echecs_authentification_adresse_date', ['adresse', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_echecs_authentification_created_at'), ['created_at'], unique=False)
    enable_row_security('echecs_authentification')


def downgrade() -> None:
    op.drop_table('echecs_authentification')
