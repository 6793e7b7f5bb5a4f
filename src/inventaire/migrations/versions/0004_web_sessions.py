"""dashboard sessions (opaque id hashed, CSRF token, bound to an API token)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sessions_web',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cle_hash', sa.String(length=64), nullable=False),
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('csrf', sa.String(length=64), nullable=False),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'], name=op.f('fk_sessions_web_token_id_api_tokens'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sessions_web')),
    sa.UniqueConstraint('cle_hash', name=op.f('uq_sessions_web_cle_hash'))
    )
    with op.batch_alter_table('sessions_web', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessions_web_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sessions_web_token_id'), ['token_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sessions_web', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessions_web_token_id'))
        batch_op.drop_index(batch_op.f('ix_sessions_web_expires_at'))

    op.drop_table('sessions_web')
