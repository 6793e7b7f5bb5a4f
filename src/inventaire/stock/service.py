"""The stock service: the only writer of stock lines and of the ledger.

Every change locks its line, writes the new balance and one ledger row in the caller's
database transaction; the caller commits once (request dependency, CLI command, job).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from inventaire.catalogue.models import Product
from inventaire.database import utcnow
from inventaire.exceptions import Conflict, InvalidInput
from inventaire.stock.models import StockLine, Transaction
from inventaire.techniciens.models import Technician

ZERO = Decimal("0")
# The largest quantity a NUMERIC(12, 3) holds; beyond it PostgreSQL would fail the whole request.
MAX_QUANTITY = Decimal("999999999.999")


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
    before = line.quantite
    after = before + delta
    if after < 0:
        raise Conflict(
            f"Stock insuffisant : {line.technicien.nom} a {_fmt(before)} {line.produit.unite} de "
            f"« {line.produit.code_produit} », impossible de retirer {_fmt(-delta)}."
        )
    if after > MAX_QUANTITY:
        raise Conflict(
            f"Quantité trop grande : « {line.produit.code_produit} » passerait à {_fmt(after)} "
            f"(au plus {_fmt(MAX_QUANTITY)})."
        )
    now = at or utcnow()
    line.quantite = after
    line.updated_at = now
    entry = Transaction(
        stock_line_id=line.id, technicien_id=line.technicien_id, produit_id=line.produit_id,
        type=kind, ajustement=delta, quantite_avant=before, quantite_apres=after,
        motif=motif, reference=reference, auteur=auteur, created_at=now,
    )
    db_session.add(entry)
    db_session.flush()
    return entry


def adjust(
    *, db_session: Session, technician: Technician, product: Product, kind: str, delta: Decimal,
    auteur: str, motif: str | None = None, reference: str | None = None, at: dt.datetime | None = None,
) -> Transaction:
    """Change one line by a signed amount and write its ledger row (`at`: demo and imports only)."""
    check_sign(kind, delta)
    line = _lock_line(db_session, technician, product, create=delta > 0)
    if line is None:
        raise Conflict(
            f"Stock insuffisant : {technician.nom} n'a pas de « {product.code_produit} » en stock."
        )
    return _write(
        db_session, line, kind=kind, delta=delta, motif=motif, reference=reference, auteur=auteur, at=at
    )


def count(
    *, db_session: Session, technician: Technician, product: Product, counted: Decimal,
    auteur: str, seen: Decimal | None = None, motif: str | None = None, at: dt.datetime | None = None,
) -> Transaction:
    """Record a physical count as one `comptage` row holding the difference (zero included)."""
    if counted < 0:
        raise InvalidInput("La quantité comptée ne peut pas être négative.")
    line = _lock_line(db_session, technician, product, create=True)
    if seen is not None and line.quantite != seen:
        raise Conflict(
            f"Le stock de « {product.code_produit} » a changé depuis votre lecture "
            f"({_fmt(seen)} affiché, {_fmt(line.quantite)} maintenant). Rechargez et recomptez."
        )
    return _write(
        db_session, line, kind="comptage", delta=counted - line.quantite,
        motif=motif or "Comptage physique", reference=None, auteur=auteur, at=at,
    )


def set_levels(
    *, db_session: Session, technician: Technician, product: Product, changes: dict
) -> StockLine:
    """Set a line's minimum and par level (creating the line at zero if needed)."""
    line = _lock_line(db_session, technician, product, create=True)
    for field, value in changes.items():
        setattr(line, field, value)
    line.updated_at = utcnow()
    db_session.flush()
    return line


def check_sign(kind: str, delta: Decimal) -> None:
    """A change is non-zero and agrees in sign with its type."""
    if delta == 0:
        raise InvalidInput("L'ajustement ne peut pas être nul.")
    if kind == "reception" and delta < 0:
        raise InvalidInput("Une réception ajoute du stock : l'ajustement doit être positif.")
    if kind == "utilisation" and delta > 0:
        raise InvalidInput("Une utilisation retire du stock : l'ajustement doit être négatif.")
    if kind not in ("reception", "utilisation", "ajustement"):
        raise InvalidInput(f"Type de mouvement inconnu : « {kind} ».")


def _fmt(value: Decimal) -> str:
    """A quantity as a person reads it in French (2,5 ; 3)."""
    text = format(value.normalize(), "f") if value else "0"
    return text.replace(".", ",")
