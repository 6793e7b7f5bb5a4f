"""Reading the ledger: filtered pages of transactions and per-technician figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVarTuple

from sqlalchemy import Select, and_, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from inventaire.catalogue.models import Product
from inventaire.emplacements.models import Location
from inventaire.kit.database import ScaledDecimal, utcnow
from inventaire.kit.enums import TransactionType
from inventaire.stock.models import StockLine, Transaction

# Quantity x price has 5 decimals; typed so SQLite's scaled integers come back exact.
VALUE = ScaledDecimal(24, 5)
QUANTITY_SUM = ScaledDecimal(20, 3)


@dataclass
class LedgerFilter:
    emplacement_id: int | None = None
    produit_id: int | None = None
    type: str | None = None
    cause: str | None = None
    depuis: dt.datetime | None = None
    jusqu_a: dt.datetime | None = None
    reference: str | None = None


Ts = TypeVarTuple("Ts")


def _filtered(query: Select[*Ts], flt: LedgerFilter) -> Select[*Ts]:
    if flt.emplacement_id is not None:
        query = query.where(Transaction.emplacement_id == flt.emplacement_id)
    if flt.produit_id is not None:
        query = query.where(Transaction.produit_id == flt.produit_id)
    if flt.type is not None:
        query = query.where(Transaction.type == flt.type)
    if flt.cause is not None:
        query = query.where(Transaction.cause == flt.cause)
    if flt.depuis is not None:
        query = query.where(Transaction.created_at >= flt.depuis)
    if flt.jusqu_a is not None:
        query = query.where(Transaction.created_at <= flt.jusqu_a)
    if flt.reference is not None:
        query = query.where(Transaction.reference == flt.reference)
    return query


def list_transactions(
    *, db_session: Session, flt: LedgerFilter, limit: int, offset: int
) -> tuple[list[Transaction], int]:
    """One page of the ledger, newest first, and the total count for the filter."""
    total = db_session.scalar(_filtered(select(func.count(Transaction.id)), flt))
    rows = db_session.scalars(
        _filtered(select(Transaction), flt)
        .order_by(Transaction.created_at.desc(), Transaction.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(rows), int(total or 0)


def transactions_before(
    *, db_session: Session, flt: LedgerFilter, before: tuple[dt.datetime, int] | None, limit: int
) -> list[Transaction]:
    """Up to `limit` rows older than `before` (created_at, id), newest first: exports read in such batches."""
    query = _filtered(select(Transaction), flt)
    if before is not None:
        at, row_id = before
        query = query.where(
            or_(Transaction.created_at < at, and_(Transaction.created_at == at, Transaction.id < row_id))
        )
    return list(db_session.scalars(
        query.order_by(Transaction.created_at.desc(), Transaction.id.desc()).limit(limit)
    ))


def ledger_sum(*, db_session: Session, line: StockLine) -> Decimal:
    """The sum of a line's ledger rows (equals its balance: every change is a row)."""
    total = db_session.scalar(
        select(type_coerce(func.coalesce(func.sum(Transaction.ajustement), 0), QUANTITY_SUM)).where(
            Transaction.stock_line_id == line.id
        )
    )
    return total if total is not None else Decimal("0")


@dataclass
class Consumption:
    code_produit: str
    nom_produit: str
    unite: str
    quantite: Decimal
    valeur: Decimal


@dataclass
class TechnicianStats:
    technicien: str
    jours: int
    depuis: dt.datetime
    lignes: int
    quantite_totale: Decimal
    valeur_totale: Decimal
    transactions: int
    consommation: list[Consumption]


def technician_stats(*, db_session: Session, location: Location, jours: int) -> TechnicianStats:
    """Lines, total quantity and value now; transactions and consumption over the last `jours` days."""
    since = utcnow() - dt.timedelta(days=jours)
    lines, quantity, value = db_session.execute(
        select(
            func.count(StockLine.id),
            type_coerce(func.coalesce(func.sum(StockLine.quantite), 0), QUANTITY_SUM),
            type_coerce(func.coalesce(func.sum(StockLine.quantite * Product.prix_unitaire), 0), VALUE),
        )
        .join(Product, Product.id == StockLine.produit_id)
        .where(StockLine.emplacement_id == location.id, Product.actif.is_(True))
    ).one()
    count = db_session.scalar(
        select(func.count(Transaction.id)).where(
            Transaction.emplacement_id == location.id, Transaction.created_at >= since
        )
    )
    used = type_coerce(func.sum(-Transaction.ajustement), QUANTITY_SUM)
    rows = db_session.execute(
        select(Product.code_produit, Product.nom_produit, Product.unite, Product.prix_unitaire, used)
        .join(Product, Product.id == Transaction.produit_id)
        .where(
            Transaction.emplacement_id == location.id,
            Transaction.type == TransactionType.UTILISATION,
            Transaction.created_at >= since,
        )
        .group_by(Product.code_produit, Product.nom_produit, Product.unite, Product.prix_unitaire)
        .order_by(used.desc(), Product.code_produit)
    )
    consumption = [
        Consumption(code, nom, unite, qty, (qty * price).quantize(Decimal("0.01")))
        for code, nom, unite, price, qty in rows
    ]
    return TechnicianStats(
        technicien=location.nom, jours=jours, depuis=since, lignes=lines,
        quantite_totale=quantity, valeur_totale=value.quantize(Decimal("0.01")),
        transactions=int(count or 0), consommation=consumption,
    )
