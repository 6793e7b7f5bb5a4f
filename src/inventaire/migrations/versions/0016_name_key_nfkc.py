"""names of locations (technicians and workshops) compared under NFKC and case folding (look-alikes are one name)

`nom_cle` was the case-folded NFC name, so « Ａｌｌａｎ » (fullwidth) and « Allan » were two
people. Every key is recomputed with inventaire.kit.names.name_key. A database already holding
two names that now collide is refused with the list, in French: which one to rename is the
office's decision.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from inventaire.kit.migrate import MigrationRefused
from inventaire.kit.names import name_key

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

TECHNICIENS = sa.table('emplacements', sa.column('id', sa.Integer), sa.column('nom', sa.String),
                       sa.column('nom_cle', sa.String))


def _rekey(key) -> None:
    if op.get_context().as_sql:  # offline SQL (--sql) has no rows to look at
        return
    bind = op.get_bind()
    rows = bind.execute(sa.select(TECHNICIENS.c.id, TECHNICIENS.c.nom)).all()
    groups: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        groups[key(row.nom)].append(row.nom)
    clashes = sorted(sorted(g) for g in groups.values() if len(g) > 1)
    if clashes:
        listed = " ; ".join(" / ".join(f"« {n} »" for n in group) for group in clashes)
        raise MigrationRefused(
            "Mise à jour refusée : des noms (techniciens, ateliers) ne se distinguent que par des caractères "
            f"semblables : {listed}. Renommez l'un de chaque groupe, puis relancez « inventaire db upgrade »."
        )
    # Placeholders first: a new key may equal another row's old one for a moment (unique).
    for row in rows:
        bind.execute(TECHNICIENS.update().where(TECHNICIENS.c.id == row.id).values(nom_cle=f"\x01{row.id}"))
    for row in rows:
        bind.execute(TECHNICIENS.update().where(TECHNICIENS.c.id == row.id).values(nom_cle=key(row.nom)))


def upgrade() -> None:
    _rekey(name_key)


def downgrade() -> None:
    _rekey(lambda nom: " ".join(nom.split()).casefold())
