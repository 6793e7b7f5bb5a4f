"""product codes unique whatever their case (code_cle = the folded code)

A database already holding codes that differ only by case (`CORD-012` and `cord-012`) is
refused with the list of them, in French: which one to keep is the office's decision.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from inventaire.kit.migrate import MigrationRefused

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _refuse_case_duplicates(codes: list[str]) -> None:
    groups: dict[str, list[str]] = defaultdict(list)
    for code in codes:
        groups[code.casefold()].append(code)
    clashes = sorted(sorted(g) for g in groups.values() if len(g) > 1)
    if clashes:
        listed = " ; ".join(" / ".join(f"« {c} »" for c in group) for group in clashes)
        raise MigrationRefused(
            "Mise à jour refusée : des codes produits ne diffèrent que par la casse : "
            f"{listed}. Renommez ou archivez l'un de chaque groupe (un code doit être unique "
            "quelle que soit sa casse), puis relancez « inventaire db upgrade »."
        )


def upgrade() -> None:
    produits = sa.table('produits_catalogue', sa.column('code_produit', sa.String), sa.column('code_cle', sa.String))
    if not op.get_context().as_sql:  # offline SQL (--sql) has no data to look at
        codes = op.get_bind().execute(sa.select(produits.c.code_produit)).scalars().all()
        _refuse_case_duplicates(list(codes))
    with op.batch_alter_table('produits_catalogue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_cle', sa.String(length=40), nullable=True))
    # Codes are ASCII (^[A-Za-z0-9][A-Za-z0-9._-]*$), so SQL's lower() is the key's casefold().
    op.execute(produits.update().values(code_cle=sa.func.lower(produits.c.code_produit)))
    with op.batch_alter_table('produits_catalogue', schema=None) as batch_op:
        batch_op.alter_column('code_cle', existing_type=sa.String(length=40), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_produits_catalogue_code_cle'), ['code_cle'])


def downgrade() -> None:
    with op.batch_alter_table('produits_catalogue', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_produits_catalogue_code_cle'), type_='unique')
        batch_op.drop_column('code_cle')
