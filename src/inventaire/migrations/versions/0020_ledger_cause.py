"""every ledger row knows its cause: `cause` (MovementCause) and `cause_id` on transactions_inventaire

Existing rows are back-filled where their cause can be told from what the writers of earlier
revisions stored, each rule on the rows no earlier rule matched:
- a deduction: `auteur` is a deducted service's source and `reference` its reference
  (« Facture #7140 », or the external id), cause_id = that service;
- an order's reception: a `reception` in the order's workshop with the order's number as reference;
- a request served: a `transfert` referenced « Demande #12 » (both rows), cause_id = the request;
- the picking list: a `transfert` referenced « Réapprovisionnement »; any other transfer: `transfert`;
- the opening import: a `comptage` with its motif « Stock d'ouverture (import) »; other counts: `comptage`;
- the demonstration data: its author « démo », or its motifs.
The rest (manual changes among them: their author is a person, as a script's is) stays null.
The ledger is append-only: the back-fill runs inside `ledger_unlocked()`.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from inventaire.migrations.security import ledger_unlocked

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

LEDGER = 'transactions_inventaire'
CAUSES = ('manuel', 'comptage', 'transfert', 'demande', 'preparation', 'commande', 'deduction', 'import_ouverture',
          'demo')
CHECK_NAME = 'ck_transactions_inventaire_cause_connue'
CHECK = "cause IS NULL OR cause IN (" + ", ".join(f"'{c}'" for c in CAUSES) + ")"
INDEX = 'ix_transactions_inventaire_cause'

# The row being updated is named by its table: SQLite has no alias in UPDATE.
L = LEDGER
_SERVICE = (f"SELECT MIN(s.id) FROM services_deduits s WHERE s.source = {L}.auteur AND {L}.reference = "
            "CASE WHEN s.numero IS NOT NULL THEN 'Facture #' || s.numero ELSE s.id_externe END")
_ORDER = f"SELECT MIN(c.id) FROM commandes c WHERE c.numero = {L}.reference AND c.atelier_id = {L}.emplacement_id"
_REQUEST = f"SELECT MIN(d.id) FROM demandes d WHERE {L}.reference = 'Demande #' || CAST(d.id AS VARCHAR(20))"

# (cause, cause_id subquery or None, condition), applied in this order to rows still without a cause.
BACKFILL = (
    ('deduction', _SERVICE, f"type IN ('utilisation', 'ajustement') AND ({_SERVICE}) IS NOT NULL"),
    ('commande', _ORDER, f"type = 'reception' AND ({_ORDER}) IS NOT NULL"),
    ('demande', _REQUEST, f"type = 'transfert' AND ({_REQUEST}) IS NOT NULL"),
    ('preparation', None, "type = 'transfert' AND reference = 'Réapprovisionnement'"),
    ('transfert', None, "type = 'transfert'"),
    ('import_ouverture', None, "type = 'comptage' AND motif = 'Stock d''ouverture (import)'"),
    ('comptage', None, "type = 'comptage'"),
    ('demo', None, "auteur = 'démo' OR motif IN ('Réception fournisseur (démo)', 'Service chez un client (démo)')"),
)


def _backfill() -> None:
    for cause, cause_id, condition in BACKFILL:
        op.execute(f"UPDATE {L} SET cause = '{cause}', cause_id = {f'({cause_id})' if cause_id else 'NULL'} "
                   f"WHERE cause IS NULL AND ({condition})")


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a column with its own CHECK in place (no table rebuild: the ledger's triggers stay).
        op.execute(f"ALTER TABLE {LEDGER} ADD COLUMN cause VARCHAR(20) CONSTRAINT {CHECK_NAME} CHECK ({CHECK})")
        op.execute(f"ALTER TABLE {LEDGER} ADD COLUMN cause_id INTEGER")
    else:
        op.add_column(LEDGER, sa.Column('cause', sa.String(20), nullable=True))
        op.add_column(LEDGER, sa.Column('cause_id', sa.Integer(), nullable=True))
        op.create_check_constraint(CHECK_NAME, LEDGER, CHECK)
    op.create_index(INDEX, LEDGER, ['cause', 'cause_id'])
    with ledger_unlocked():
        _backfill()


def downgrade() -> None:
    op.drop_index(INDEX, table_name=LEDGER)
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(CHECK_NAME, LEDGER, type_='check')
    # SQLite drops a column in place too (3.35+), its own CHECK with it.
    op.execute(f"ALTER TABLE {LEDGER} DROP COLUMN cause_id")
    op.execute(f"ALTER TABLE {LEDGER} DROP COLUMN cause")
