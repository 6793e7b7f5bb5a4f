"""suppliers (fournisseurs) as a table that products refer to; orders record their e-mail; billed services per piano

Each product's free-text `fournisseur` becomes a reference to a supplier row: one supplier per
distinct name whatever its case or accents (« Röslau », « ROSLAU » and « Roslau » are one),
named after the spelling most products used (ties: see _spelling). The supplier orders gain when and to whom they were e-mailed, and the
last failed send's error. SQLite rebuilds `produits_catalogue` (batch mode): its change-counter
triggers are put back, and the suppliers' table gets its own (the dashboard reads products
with their supplier). A downgrade writes each supplier's name back into its products.
`services_pianos` keeps every invoice line that names a piano (the PLS maintenance cycle).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database
from inventaire.kit.names import clean_name, loose_key
from inventaire.migrations.changes import track
from inventaire.migrations.security import disable_row_security, enable_row_security

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

PRODUCTS = 'produits_catalogue'


def _create_suppliers() -> None:
    op.create_table('fournisseurs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nom', sa.String(length=120), nullable=False),
    sa.Column('nom_cle', sa.String(length=240), nullable=False),
    sa.Column('courriel', sa.String(length=254), nullable=True),
    sa.Column('telephone', sa.String(length=40), nullable=True),
    sa.Column('delai_jours', sa.Integer(), nullable=True),
    sa.Column('minimum_commande', inventaire.kit.database.ScaledDecimal(precision=12, scale=2), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('delai_jours IS NULL OR (delai_jours >= 0 AND delai_jours <= 365)',
                       name=op.f('ck_fournisseurs_delai_borne')),
    sa.CheckConstraint('minimum_commande IS NULL OR minimum_commande >= 0',
                       name=op.f('ck_fournisseurs_minimum_positif')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fournisseurs')),
    sa.UniqueConstraint('nom_cle', name=op.f('uq_fournisseurs_nom_cle'))
    )
    enable_row_security('fournisseurs')
    track('fournisseurs')  # the dashboard reads products with their supplier


def _spelling(spellings: dict[str, int]) -> str:
    """The name a merged supplier keeps: the most used, then not all capitals nor all small letters, then
    with its accents, then the fewest capitals (« Pianotek Supply » over « PIANOTEK supply »)."""
    return min(spellings, key=lambda s: (-spellings[s], s.isupper(), s.islower(), -sum(not c.isascii() for c in s),
                                         sum(c.isupper() for c in s), s))


def _move_names_to_suppliers() -> None:
    bind = op.get_bind()
    products = sa.table(PRODUCTS, sa.column('id', sa.Integer), sa.column('fournisseur', sa.String),
                        sa.column('fournisseur_id', sa.Integer))
    suppliers = sa.table('fournisseurs', sa.column('id', sa.Integer), sa.column('nom', sa.String),
                         sa.column('nom_cle', sa.String),
                         sa.column('created_at', inventaire.kit.database.UTCDateTime(timezone=True)),
                         sa.column('updated_at', inventaire.kit.database.UTCDateTime(timezone=True)))
    groups: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    members: dict[str, list[int]] = defaultdict(list)
    for row in bind.execute(sa.select(products.c.id, products.c.fournisseur)).all():
        name = clean_name(row.fournisseur or "")
        if name:
            groups[loose_key(name)][name] += 1
            members[loose_key(name)].append(row.id)
    now = inventaire.kit.database.utcnow()
    for key in sorted(groups):
        bind.execute(suppliers.insert().values(nom=_spelling(groups[key]), nom_cle=key, created_at=now,
                                               updated_at=now))
        supplier_id = bind.execute(sa.select(suppliers.c.id).where(suppliers.c.nom_cle == key)).scalar_one()
        bind.execute(products.update().where(products.c.id.in_(members[key])).values(fournisseur_id=supplier_id))


def _create_piano_services() -> None:
    op.create_table('services_pianos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('facture_externe', sa.String(length=120), nullable=False),
    sa.Column('ligne_externe', sa.String(length=120), nullable=False),
    sa.Column('piano_id', sa.String(length=120), nullable=False),
    sa.Column('service_id', sa.String(length=60), nullable=True),
    sa.Column('client', sa.String(length=200), nullable=True),
    sa.Column('date_service', sa.Date(), nullable=False),
    sa.Column('annule', sa.Boolean(), nullable=False),
    sa.Column('updated_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services_pianos')),
    sa.UniqueConstraint('source', 'ligne_externe', name='uq_services_pianos_ligne')
    )
    with op.batch_alter_table('services_pianos', schema=None) as batch_op:
        batch_op.create_index('ix_services_pianos_piano_date', ['piano_id', 'date_service'], unique=False)
        batch_op.create_index(batch_op.f('ix_services_pianos_service_id'), ['service_id'], unique=False)
    enable_row_security('services_pianos')


def upgrade() -> None:
    _create_piano_services()
    _create_suppliers()
    with op.batch_alter_table(PRODUCTS, schema=None) as batch_op:
        batch_op.add_column(sa.Column('fournisseur_id', sa.Integer(), nullable=True))
    if not op.get_context().as_sql:  # offline SQL (--sql) has no rows to move
        _move_names_to_suppliers()
    with op.batch_alter_table(PRODUCTS, schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_produits_catalogue_fournisseur_id'), ['fournisseur_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_produits_catalogue_fournisseur_id_fournisseurs'), 'fournisseurs',
                                    ['fournisseur_id'], ['id'])
        batch_op.drop_column('fournisseur')
    track(PRODUCTS)  # SQLite rebuilt the table without its triggers
    with op.batch_alter_table('commandes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('courriel_envoye_le', inventaire.kit.database.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('courriel_destinataires', sa.String(length=600), nullable=True))
        batch_op.add_column(sa.Column('courriel_erreur', sa.String(length=1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('commandes', schema=None) as batch_op:
        batch_op.drop_column('courriel_erreur')
        batch_op.drop_column('courriel_destinataires')
        batch_op.drop_column('courriel_envoye_le')
    with op.batch_alter_table(PRODUCTS, schema=None) as batch_op:
        batch_op.add_column(sa.Column('fournisseur', sa.String(length=120), nullable=True))
    op.execute(f"UPDATE {PRODUCTS} SET fournisseur = (SELECT nom FROM fournisseurs "
               f"WHERE fournisseurs.id = {PRODUCTS}.fournisseur_id)")
    with op.batch_alter_table(PRODUCTS, schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_produits_catalogue_fournisseur_id_fournisseurs'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_produits_catalogue_fournisseur_id'))
        batch_op.drop_column('fournisseur_id')
    track(PRODUCTS)
    disable_row_security('fournisseurs')
    op.drop_table('fournisseurs')
    disable_row_security('services_pianos')
    op.drop_table('services_pianos')
