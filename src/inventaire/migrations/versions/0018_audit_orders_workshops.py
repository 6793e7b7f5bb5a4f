"""audit trail follows workshops and supplier orders: their actions join the CHECK of journal_audit

The actions' list is replaced on both databases (SQLite rebuilds the table in batch mode, every
row and the date index carried over). A downgrade deletes the rows of the new actions first: the
old constraint cannot hold them.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01
"""

from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

OLD_ACTIONS = (
    'produit_cree', 'produit_modifie', 'produit_archive', 'produit_restaure',
    'technicien_cree', 'technicien_renomme', 'technicien_modifie', 'technicien_desactive',
    'technicien_reactive', 'niveaux_modifies', 'jeton_cree', 'jeton_revoque', 'regle_creee',
    'regle_modifiee', 'regle_supprimee',
)
NEW_ACTIONS = (
    'atelier_cree', 'atelier_renomme', 'atelier_desactive', 'atelier_reactive',
    'commande_creee', 'commande_modifiee', 'commande_envoyee', 'commande_annulee',
    'commande_partielle', 'commande_recue',
)
NAME = 'ck_journal_audit_action_connue'


def _check(actions: tuple[str, ...]) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def _replace(actions: tuple[str, ...]) -> None:
    with op.batch_alter_table('journal_audit', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(NAME), type_='check')
        batch_op.create_check_constraint(op.f(NAME), _check(actions))


def upgrade() -> None:
    _replace(OLD_ACTIONS + NEW_ACTIONS)


def downgrade() -> None:
    op.execute("DELETE FROM journal_audit WHERE action IN (" + ", ".join(f"'{a}'" for a in NEW_ACTIONS) + ")")
    _replace(OLD_ACTIONS)
