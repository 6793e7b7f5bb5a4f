"""the daily snapshot of booked demand (demandes_reservees); suppliers join the audit trail's actions

`demandes_reservees` keeps, per snapshot day, van (none: a Gazelle user mapped to no technician),
product and booked day, what the appointments were to consume (previsions/models.py). Row level
security on PostgreSQL, like every table (migrations/security.py). The audit trail's CHECK
gains `fournisseur_cree` and `fournisseur_modifie` on both databases (SQLite rebuilds the table
in batch mode); a downgrade deletes those rows first: the old constraint cannot hold them.
The dashboard's forecast now counts booked demand: the appointments and the consumption rules
move its change counter (migrations/changes.py).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database
from inventaire.migrations.changes import track, untrack
from inventaire.migrations.security import disable_row_security, enable_row_security

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

OLD_ACTIONS = (
    'produit_cree', 'produit_modifie', 'produit_archive', 'produit_restaure',
    'technicien_cree', 'technicien_renomme', 'technicien_modifie', 'technicien_desactive',
    'technicien_reactive', 'niveaux_modifies', 'jeton_cree', 'jeton_revoque', 'regle_creee',
    'regle_modifiee', 'regle_supprimee',
    'atelier_cree', 'atelier_renomme', 'atelier_desactive', 'atelier_reactive',
    'commande_creee', 'commande_modifiee', 'commande_envoyee', 'commande_annulee',
    'commande_partielle', 'commande_recue',
)
NEW_ACTIONS = ('fournisseur_cree', 'fournisseur_modifie')
NAME = 'ck_journal_audit_action_connue'
TABLE = 'demandes_reservees'
DASHBOARD_READS = ('rendez_vous', 'regles_consommation')


def _check(actions: tuple[str, ...]) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def _replace(actions: tuple[str, ...]) -> None:
    with op.batch_alter_table('journal_audit', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(NAME), type_='check')
        batch_op.create_check_constraint(op.f(NAME), _check(actions))


def upgrade() -> None:
    op.create_table(TABLE,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instantane', sa.Date(), nullable=False),
    sa.Column('emplacement_id', sa.Integer(), nullable=True),
    sa.Column('produit_id', sa.Integer(), nullable=False),
    sa.Column('jour', sa.Date(), nullable=False),
    sa.Column('quantite', inventaire.kit.database.Quantity(), nullable=False),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['emplacement_id'], ['emplacements.id'],
                            name=op.f('fk_demandes_reservees_emplacement_id_emplacements')),
    sa.ForeignKeyConstraint(['produit_id'], ['produits_catalogue.id'],
                            name=op.f('fk_demandes_reservees_produit_id_produits_catalogue')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demandes_reservees'))
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index('ix_demandes_reservees_instantane_produit', ['instantane', 'produit_id'], unique=False)
    enable_row_security(TABLE)
    _replace(OLD_ACTIONS + NEW_ACTIONS)
    for table in DASHBOARD_READS:
        track(table)


def downgrade() -> None:
    for table in DASHBOARD_READS:
        untrack(table)
    op.execute("DELETE FROM journal_audit WHERE action IN (" + ", ".join(f"'{a}'" for a in NEW_ACTIONS) + ")")
    _replace(OLD_ACTIONS)
    disable_row_security(TABLE)
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index('ix_demandes_reservees_instantane_produit')
    op.drop_table(TABLE)
