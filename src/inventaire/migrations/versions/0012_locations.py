"""Locations: a technician's van and a workshop both hold stock

`emplacements` (name unique over every location, kind, status) becomes the holder of stock
lines and ledger rows; `techniciens` keeps what only a technician has, keyed by the same id,
and `ateliers` is new. Every technician becomes a location with the same id, so every line,
ledger row, check run and token keeps pointing at the same holder; no row of the ledger is
rewritten (the column is renamed, its values are untouched). Adds the `transfert` type and
the link from a transfer's entry row to its exit row.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import inventaire.kit.database

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

OLD_TYPES = "type IN ('reception', 'utilisation', 'ajustement', 'comptage')"
NEW_TYPES = "type IN ('reception', 'utilisation', 'ajustement', 'comptage', 'transfert')"


def upgrade() -> None:
    postgresql = op.get_context().dialect.name == "postgresql"
    op.create_table('emplacements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nom', sa.String(length=60), nullable=False),
    sa.Column('nom_cle', sa.String(length=60), nullable=False),
    sa.Column('genre', sa.String(length=20), nullable=False),
    sa.Column('actif', sa.Boolean(), nullable=False),
    sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("genre IN ('vehicule', 'atelier')", name=op.f('ck_emplacements_genre_connu')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emplacements')),
    sa.UniqueConstraint('nom_cle', name=op.f('uq_emplacements_nom_cle'))
    )
    op.execute(
        "INSERT INTO emplacements (id, nom, nom_cle, genre, actif, created_at) "
        "SELECT id, nom, nom_cle, 'vehicule', actif, created_at FROM techniciens"
    )
    if postgresql:  # new locations continue after the technicians' ids
        op.execute("SELECT setval(pg_get_serial_sequence('emplacements', 'id'), "
                   "COALESCE((SELECT MAX(id) FROM emplacements), 0) + 1, false)")
    op.create_table('ateliers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['emplacements.id'], name=op.f('fk_ateliers_id_emplacements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ateliers'))
    )

    with op.batch_alter_table('inventaire_techniciens', schema=None) as batch_op:
        batch_op.drop_constraint('fk_inventaire_techniciens_technicien_id_techniciens', type_='foreignkey')
        batch_op.alter_column('technicien_id', new_column_name='emplacement_id', existing_type=sa.Integer(),
                              existing_nullable=False)
    with op.batch_alter_table('inventaire_techniciens', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_inventaire_techniciens_emplacement_id_emplacements'),
                                    'emplacements', ['emplacement_id'], ['id'])

    with op.batch_alter_table('transactions_inventaire', schema=None) as batch_op:
        batch_op.drop_constraint('fk_transactions_inventaire_technicien_id_techniciens', type_='foreignkey')
        batch_op.drop_index('ix_transactions_inventaire_technicien_id')
        batch_op.alter_column('technicien_id', new_column_name='emplacement_id', existing_type=sa.Integer(),
                              existing_nullable=False)
    with op.batch_alter_table('transactions_inventaire', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_transactions_inventaire_emplacement_id_emplacements'),
                                    'emplacements', ['emplacement_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_transactions_inventaire_emplacement_id'), ['emplacement_id'],
                              unique=False)
        batch_op.drop_constraint(op.f('ck_transactions_inventaire_type_connu'), type_='check')
        batch_op.create_check_constraint(op.f('ck_transactions_inventaire_type_connu'), NEW_TYPES)
        batch_op.add_column(sa.Column('transfert_de_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_transactions_inventaire_transfert_de', 'transactions_inventaire',
                                    ['transfert_de_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_transactions_inventaire_transfert_de_id'), ['transfert_de_id'],
                              unique=False)

    with op.batch_alter_table('verifications', schema=None) as batch_op:
        batch_op.drop_constraint('fk_verifications_technicien_id_techniciens', type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_verifications_technicien_id_emplacements'),
                                    'emplacements', ['technicien_id'], ['id'])

    with op.batch_alter_table('techniciens', schema=None) as batch_op:
        batch_op.drop_constraint('uq_techniciens_nom_cle', type_='unique')
        batch_op.drop_column('nom')
        batch_op.drop_column('nom_cle')
        batch_op.drop_column('actif')
        batch_op.drop_column('created_at')
        # The id is the location's now: no default of its own.
        batch_op.alter_column('id', existing_type=sa.Integer(), server_default=None)
        batch_op.create_foreign_key(batch_op.f('fk_techniciens_id_emplacements'), 'emplacements', ['id'], ['id'])
    if postgresql:
        op.execute("DROP SEQUENCE IF EXISTS techniciens_id_seq")


def downgrade() -> None:
    postgresql = op.get_context().dialect.name == "postgresql"
    with op.batch_alter_table('techniciens', schema=None) as batch_op:
        batch_op.drop_constraint('fk_techniciens_id_emplacements', type_='foreignkey')
        batch_op.add_column(sa.Column('nom', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('nom_cle', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('actif', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('created_at', inventaire.kit.database.UTCDateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE techniciens SET nom = e.nom, nom_cle = e.nom_cle, actif = e.actif, created_at = e.created_at "
        "FROM emplacements e WHERE e.id = techniciens.id" if postgresql else
        "UPDATE techniciens SET (nom, nom_cle, actif, created_at) = "
        "(SELECT nom, nom_cle, actif, created_at FROM emplacements e WHERE e.id = techniciens.id)"
    )
    # A workshop's lines cannot go back to a schema without workshops.
    op.execute("DELETE FROM transactions_inventaire WHERE emplacement_id IN (SELECT id FROM ateliers)")
    op.execute("DELETE FROM inventaire_techniciens WHERE emplacement_id IN (SELECT id FROM ateliers)")
    with op.batch_alter_table('techniciens', schema=None) as batch_op:
        for column in ('nom', 'nom_cle', 'actif'):
            batch_op.alter_column(column, nullable=False)
        batch_op.alter_column('created_at', existing_type=inventaire.kit.database.UTCDateTime(timezone=True),
                              nullable=False)
        batch_op.create_unique_constraint('uq_techniciens_nom_cle', ['nom_cle'])
    with op.batch_alter_table('verifications', schema=None) as batch_op:
        batch_op.drop_constraint('fk_verifications_technicien_id_emplacements', type_='foreignkey')
        batch_op.create_foreign_key('fk_verifications_technicien_id_techniciens', 'techniciens',
                                    ['technicien_id'], ['id'])
    with op.batch_alter_table('transactions_inventaire', schema=None) as batch_op:
        batch_op.drop_index('ix_transactions_inventaire_transfert_de_id')
        batch_op.drop_constraint('fk_transactions_inventaire_transfert_de', type_='foreignkey')
        batch_op.drop_column('transfert_de_id')
        batch_op.drop_constraint(op.f('ck_transactions_inventaire_type_connu'), type_='check')
        batch_op.create_check_constraint(op.f('ck_transactions_inventaire_type_connu'), OLD_TYPES)
        batch_op.drop_index('ix_transactions_inventaire_emplacement_id')
        batch_op.drop_constraint('fk_transactions_inventaire_emplacement_id_emplacements', type_='foreignkey')
        batch_op.alter_column('emplacement_id', new_column_name='technicien_id', existing_type=sa.Integer(),
                              existing_nullable=False)
    with op.batch_alter_table('transactions_inventaire', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_transactions_inventaire_technicien_id_techniciens', 'techniciens',
                                    ['technicien_id'], ['id'])
        batch_op.create_index('ix_transactions_inventaire_technicien_id', ['technicien_id'], unique=False)
    with op.batch_alter_table('inventaire_techniciens', schema=None) as batch_op:
        batch_op.drop_constraint('fk_inventaire_techniciens_emplacement_id_emplacements', type_='foreignkey')
        batch_op.alter_column('emplacement_id', new_column_name='technicien_id', existing_type=sa.Integer(),
                              existing_nullable=False)
    with op.batch_alter_table('inventaire_techniciens', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_inventaire_techniciens_technicien_id_techniciens', 'techniciens',
                                    ['technicien_id'], ['id'])
    op.drop_table('ateliers')
    op.drop_table('emplacements')
