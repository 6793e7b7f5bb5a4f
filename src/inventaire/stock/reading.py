"""Reading stock lines: a location's lines (as ORM objects or plain rows), one line, and the
threshold in effect for a line (in Python and in SQL). Writing is `stock/service.py`'s alone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.orm import Session

from inventaire.catalogue.models import Product
from inventaire.emplacements.models import Location
from inventaire.kit import database
from inventaire.kit.database import Base, Quantity
from inventaire.stock.models import StockLine

# The threshold precedence, most specific first, then the default: the one statement of the
# rule, read in Python (threshold_of) and in SQL (threshold_expression, the check's queries).
THRESHOLD_SOURCES = (StockLine.seuil_min, Product.seuil_reorder)


def threshold_of(line: StockLine, default: Decimal) -> Decimal:
    """The threshold in effect for a line: its own minimum, else the product's, else the default."""
    holders: dict[Any, Base] = {StockLine: line, Product: line.produit}
    values = (getattr(holders[source.class_], source.key) for source in THRESHOLD_SOURCES)
    return next((value for value in values if value is not None), default)


def threshold_expression(seuil_critique: Decimal | None, default: Decimal) -> ColumnElement[Decimal]:
    """The same precedence in SQL, after the request's own threshold when one is given."""
    candidates: list[Any] = [*THRESHOLD_SOURCES, literal(default, Quantity())]
    if seuil_critique is not None:
        candidates.insert(0, literal(seuil_critique, Quantity()))
    return func.coalesce(*candidates, type_=Quantity())


# Reads refresh the lines the session already holds: the write path changes balances in SQL.
def list_lines(*, db_session: Session, location: Location, include_archived: bool = False) -> list[StockLine]:
    """The location's stock lines, by product code."""
    query = (
        select(StockLine)
        .join(StockLine.produit)
        .where(StockLine.emplacement_id == location.id)
        .order_by(Product.code_produit)
        .execution_options(populate_existing=True)
    )
    if not include_archived:
        query = query.where(Product.actif.is_(True))
    return list(db_session.scalars(query))


def line_rows(*, db_session: Session, location: Location, default: Decimal) -> list[Any]:
    """The location's active lines as plain rows, by product code: what a read shows, no ORM objects.

    A van's whole stock is read often (the API, scripts); building 2,000 ORM objects cost
    several times the query itself (BENCHMARKS.md, issue 15).
    """
    query = (
        select(Product.code_produit, Product.nom_produit, Product.unite, Product.prix_unitaire, StockLine.quantite,
               threshold_expression(None, default).label("seuil"), StockLine.seuil_min, StockLine.niveau_par,
               StockLine.updated_at)
        .join(StockLine.produit)
        .where(StockLine.emplacement_id == location.id, Product.actif.is_(True))
        .order_by(Product.code_produit)
    )
    return list(database.rows(db_session, query).all())


def get_line(*, db_session: Session, location: Location, product: Product) -> StockLine | None:
    """The line of this location and product as stored now, or None."""
    return db_session.scalar(
        select(StockLine)
        .where(StockLine.emplacement_id == location.id, StockLine.produit_id == product.id)
        .execution_options(populate_existing=True)
    )
