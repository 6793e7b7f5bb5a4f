"""the company's name and address (entreprise, one row); its changes join the audit trail's CHECK

Until the office saves them, the supplier orders keep using INVENTAIRE_ENTREPRISE and
INVENTAIRE_ENTREPRISE_COORDONNEES, now defaults. The table holds one row at most (CHECK id = 1).
The audit actions' list is replaced as 0018 did (SQLite rebuilds journal_audit in batch mode);
a downgrade deletes the rows of the new action first: the old constraint cannot hold them.

Revision ID: 0027
Revises: 0025
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database
from inventaire.migrations.security import disable_row_security, enable_row_security

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

OLD_ACTIONS = (
    'produit_cree', 'produit_modifie', 'produit_archive', 'produit_restaure',
    'technicien_cree', 'technicien_renomme', 'technicien_modifie', 'technicien_desactive',
    'technicien_reactive', 'niveaux_modifies', 'jeton_cree', 'jeton_revoque', 'regle_creee',
    'regle_modifiee', 'regle_supprimee',
    'atelier_cree', 'atelier_renomme', 'atelier_desactive', 'atelier_reactive',
    'commande_creee', 'commande_modifiee', 'commande_envoyee', 'commande_annulee',
    'commande_partielle', 'commande_recue', 'fournisseur_cree', 'fournisseur_modifie',
)
NEW_ACTIONS = ('entreprise_modifiee',)
NAME = 'ck_journal_audit_action_connue'


def _replace(actions: tuple[str, ...]) -> None:
    with op.batch_alter_table('journal_audit', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(NAME), type_='check')
        batch_op.create_check_constraint(op.f(NAME), "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")")


def upgrade() -> None:
    op.create_table('entreprise',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('nom', sa.String(length=120), nullable=False),
    sa.Column('adresse', sa.String(length=300), nullable=True),
    sa.Column('telephone', sa.String(length=40), nullable=True),
    sa.Column('courriel', sa.String(length=254), nullable=True),
    sa.Column('updated_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_entreprise_une_seule_ligne')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entreprise'))
    )
    enable_row_security('entreprise')
    _replace(OLD_ACTIONS + NEW_ACTIONS)


def downgrade() -> None:
    op.execute("DELETE FROM journal_audit WHERE action IN (" + ", ".join(f"'{a}'" for a in NEW_ACTIONS) + ")")
    _replace(OLD_ACTIONS)
    disable_row_security('entreprise')
    op.drop_table('entreprise')
