"""audit trail: every change that is not a stock movement (journal_audit)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('journal_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('auteur', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('objet', sa.String(length=200), nullable=False),
    sa.Column('changements', sa.JSON(), nullable=False),
    sa.CheckConstraint(
        "action IN ("
        "'produit_cree', 'produit_modifie', 'produit_archive', 'produit_restaure', "
        "'technicien_cree', 'technicien_renomme', 'technicien_modifie', 'technicien_desactive', "
        "'technicien_reactive', 'niveaux_modifies', 'jeton_cree', 'jeton_revoque', 'regle_creee', "
        "'regle_modifiee', 'regle_supprimee'"
        ")", name=op.f('ck_journal_audit_action_connue')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_audit'))
    )
    with op.batch_alter_table('journal_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_audit_created_at'), ['created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('journal_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journal_audit_created_at'))

    op.drop_table('journal_audit')
