"""The stock service: the only writer of stock lines and of the ledger.

Every change locks its line, writes the new balance and one ledger row in the caller's
database transaction; the caller commits once (request dependency, CLI command, job).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, make_transient_to_detached

from inventaire.catalogue.models import Product
from inventaire.database import utcnow
from inventaire.enums import MOVEMENT_TYPES, TransactionType
from inventaire.exceptions import Conflict, InvalidInput
from inventaire.quantities import MAX_QUANTITY, quantity, unit_for
from inventaire.stock.models import StockLine, Transaction
from inventaire.techniciens.models import Technician

ZERO = Decimal("0")

# The two statements of a stock change, built once: they run on every change, and building an
# ORM statement and going through the unit of work cost three times the SQL itself (BENCHMARKS.md).
_LINES, _LEDGER = cast(Table, StockLine.__table__), cast(Table, Transaction.__table__)
_MOVED = _LINES.c.quantite + bindparam("delta")
# Atomic: the UPDATE takes the row lock, and PostgreSQL re-checks the bounds on the row as a
# concurrent writer left it; no row back means no line, or a change out of bounds.
_MOVE = (
    update(_LINES)
    .where(_LINES.c.technicien_id == bindparam("ligne_technicien"), _LINES.c.produit_id == bindparam("ligne_produit"),
           _MOVED >= ZERO, _MOVED <= MAX_QUANTITY)
    .values(quantite=_MOVED, updated_at=bindparam("now"))
    .returning(_LINES.c.id, _LINES.c.quantite)
)
_RECORD = insert(_LEDGER).returning(_LEDGER.c.id)


def threshold_of(line: StockLine, default: Decimal) -> Decimal:
    """The threshold in effect for a line: its own minimum, else the product's, else the default."""
    if line.seuil_min is not None:
        return line.seuil_min
    if line.produit.seuil_reorder is not None:
        return line.produit.seuil_reorder
    return default


def list_lines(*, db_session: Session, technician: Technician, include_archived: bool = False) -> list[StockLine]:
    """The technician's stock lines, by product code."""
    query = (
        select(StockLine)
        .join(StockLine.produit)
        .where(StockLine.technicien_id == technician.id)
        .order_by(Product.code_produit)
    )
    if not include_archived:
        query = query.where(Product.actif.is_(True))
    return list(db_session.scalars(query))


def get_line(*, db_session: Session, technician: Technician, product: Product) -> StockLine | None:
    """The line of this technician and product, or None."""
    return db_session.scalar(
        select(StockLine).where(
            StockLine.technicien_id == technician.id, StockLine.produit_id == product.id
        )
    )


def _lock_line(db_session: Session, technician: Technician, product: Product, create: bool) -> StockLine | None:
    """Lock the line for update (creating it at zero if asked); None if absent."""
    query = (
        select(StockLine)
        .where(StockLine.technicien_id == technician.id, StockLine.produit_id == product.id)
        .with_for_update(of=StockLine)
        .execution_options(populate_existing=True)
    )
    line = db_session.scalar(query)
    if line is not None or not create:
        return line
    insert = pg_insert if db_session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db_session.execute(
        insert(StockLine)
        .values(technicien_id=technician.id, produit_id=product.id, quantite=ZERO, updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["technicien_id", "produit_id"])
    )
    return db_session.scalar(query)


def _write(
    db_session: Session, line: StockLine, *, kind: str, delta: Decimal, motif: str | None,
    reference: str | None, auteur: str, at: dt.datetime | None = None,
) -> Transaction:
    """Apply a change to a line already locked (counts): bounds checked, balance and ledger row."""
    _check_bounds(line, delta)
    now = at or utcnow()
    line.quantite += delta
    line.updated_at = now
    db_session.flush()
    return _record(db_session, line.id, line.technicien, line.produit, kind=kind, delta=delta,
                   after=line.quantite, motif=motif, reference=reference, auteur=auteur, at=now)


def _check_bounds(line: StockLine, delta: Decimal) -> None:
    """Refuse a change that would take the line below zero or past what the column holds."""
    before, after = line.quantite, line.quantite + delta
    if after < 0:
        raise Conflict(
            f"Stock insuffisant : {line.technicien.nom} a {quantity(before)} {unit_for(before, line.produit.unite)} de "
            f"« {line.produit.code_produit} », impossible de retirer {quantity(-delta)}."
        )
    if after > MAX_QUANTITY:
        raise Conflict(
            f"Quantité trop grande : « {line.produit.code_produit} » passerait à {quantity(after)} "
            f"(au plus {quantity(MAX_QUANTITY)})."
        )


def _move(db_session: Session, technician: Technician, product: Product, delta: Decimal,
          now: dt.datetime) -> tuple[int, Decimal] | None:
    """Add `delta` to the line if it stays within bounds: (line id, new balance), else None."""
    row = db_session.execute(
        _MOVE, {"ligne_technicien": technician.id, "ligne_produit": product.id, "delta": delta, "now": now}
    ).first()
    if row is None:
        return None
    loaded = db_session.identity_map.get(db_session.identity_key(StockLine, row.id))
    if loaded is not None:  # the session holds this line: it must not show the old balance
        db_session.expire(loaded)
    return row.id, row.quantite


def _record(
    db_session: Session, line_id: int, technician: Technician, product: Product, *, kind: str,
    delta: Decimal, after: Decimal, motif: str | None, reference: str | None, auteur: str, at: dt.datetime,
) -> Transaction:
    """Insert the ledger row of a change already applied to its line; return it as a loaded object."""
    values = dict(stock_line_id=line_id, technicien_id=technician.id, produit_id=product.id, type=kind,
                  ajustement=delta, quantite_avant=after - delta, quantite_apres=after, motif=motif,
                  reference=reference, auteur=auteur, created_at=at)
    entry = Transaction(id=db_session.execute(_RECORD, values).scalar_one(), **values)
    entry.technicien, entry.produit = technician, product
    make_transient_to_detached(entry)  # the row exists: the session takes it as loaded, not as new
    db_session.add(entry)
    return entry


def adjust(
    *, db_session: Session, technician: Technician, product: Product, kind: str, delta: Decimal,
    auteur: str, motif: str | None = None, reference: str | None = None, at: dt.datetime | None = None,
) -> Transaction:
    """Change one line by a signed amount and write its ledger row (`at`: demo and imports only)."""
    check_sign(kind, delta)
    check_divisible(product, delta)
    now = at or utcnow()
    moved = _move(db_session, technician, product, delta, now)
    if moved is None:  # no line yet, or out of bounds: lock (or create) the line to say which
        line = _lock_line(db_session, technician, product, create=delta > 0)
        if line is None:
            raise Conflict(
                f"Stock insuffisant : {technician.nom} n'a pas de « {product.code_produit} » en stock."
            )
        return _write(db_session, line, kind=kind, delta=delta, motif=motif, reference=reference,
                      auteur=auteur, at=now)
    line_id, after = moved
    return _record(db_session, line_id, technician, product, kind=kind, delta=delta, after=after,
                   motif=motif, reference=reference, auteur=auteur, at=now)


def count(
    *, db_session: Session, technician: Technician, product: Product, counted: Decimal,
    auteur: str, seen: Decimal | None = None, motif: str | None = None, at: dt.datetime | None = None,
) -> Transaction:
    """Record a physical count as one `comptage` row holding the difference (zero included)."""
    if counted < 0:
        raise InvalidInput("La quantité comptée ne peut pas être négative.")
    check_divisible(product, counted)
    line = _lock_line(db_session, technician, product, create=True)
    assert line is not None  # created when absent
    if seen is not None and line.quantite != seen:
        raise Conflict(
            f"Le stock de « {product.code_produit} » a changé depuis votre lecture "
            f"({quantity(seen)} affiché, {quantity(line.quantite)} maintenant). Rechargez et recomptez."
        )
    return _write(
        db_session, line, kind=TransactionType.COMPTAGE, delta=counted - line.quantite,
        motif=motif or "Comptage physique", reference=None, auteur=auteur, at=at,
    )


def set_levels(
    *, db_session: Session, technician: Technician, product: Product, changes: dict[str, Decimal | None]
) -> StockLine:
    """Set a line's minimum and par level (creating the line at zero if needed)."""
    line = _lock_line(db_session, technician, product, create=True)
    assert line is not None  # created when absent
    for field, value in changes.items():
        setattr(line, field, value)
    line.updated_at = utcnow()
    db_session.flush()
    return line


def check_divisible(product: Product, amount: Decimal) -> None:
    """A product counted in whole units refuses a fraction (« 1,5 bobine »).

    409, not 422: the amount is well formed, it conflicts with how this product is counted.
    """
    if not product.divisible and amount != amount.to_integral_value():
        raise Conflict(
            f"« {product.code_produit} » se compte en unités entières ({product.unite}) : "
            f"{quantity(abs(amount))} refusé."
        )


def check_sign(kind: str, delta: Decimal) -> None:
    """A change is non-zero and agrees in sign with its type."""
    if delta == 0:
        raise InvalidInput("L'ajustement ne peut pas être nul.")
    if kind == TransactionType.RECEPTION and delta < 0:
        raise InvalidInput("Une réception ajoute du stock : l'ajustement doit être positif.")
    if kind == TransactionType.UTILISATION and delta > 0:
        raise InvalidInput("Une utilisation retire du stock : l'ajustement doit être négatif.")
    if kind not in MOVEMENT_TYPES:
        raise InvalidInput(f"Type de mouvement inconnu : « {kind} ».")
