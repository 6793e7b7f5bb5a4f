"""database.rows: Core rows through the session's connection, after the same autoflush as session.execute."""

from __future__ import annotations

from sqlalchemy import select

from inventaire.catalogue.models import Product
from inventaire.kit import database
from tests.helpers import make_product


def name_read(db_session, product) -> str:
    return database.rows(db_session, select(Product.nom_produit).where(Product.id == product.id)).scalar_one()


def test_rows_see_what_the_session_has_not_flushed_yet(db_session):
    product = make_product(db_session, nom_produit="Corde no 12")
    product.nom_produit = "Corde no 13"  # pending in the session, not yet sent
    assert name_read(db_session, product) == "Corde no 13"


def test_rows_leave_pending_changes_alone_when_autoflush_is_off(db_session):
    product = make_product(db_session, nom_produit="Corde no 12")
    db_session.flush()
    with db_session.no_autoflush:
        product.nom_produit = "Corde no 13"
        assert name_read(db_session, product) == "Corde no 12"


def test_rows_are_plain_core_rows(db_session):
    make_product(db_session, code_produit="CORD-012")
    rows = database.rows(db_session, select(Product.code_produit, Product.actif)).all()
    assert ("CORD-012", True) in [tuple(r) for r in rows]
