"""The stock service: the only writer of stock lines and of the ledger.

What other domains call (deductions, orders, transfers, requests, imports), each taking
loaded objects (a `Location` is a technician's van or a workshop) and writing in the
caller's database transaction; the caller commits once (request, CLI command, job):

- `adjust(location=, product=, kind=, delta=, auteur=, motif=, reference=)`: one signed
  change (`reception` +, `utilisation` −, `ajustement` ±); a first positive change creates
  the line. Raises `Conflict` (409) when the line would go below zero.
- `count(location=, product=, counted=, auteur=, seen=)`: a physical count, one `comptage`
  row holding the difference.
- `transfer(source=, target=, product=, quantity=, auteur=)`: two linked `transfert` rows
  (out of `source`, into `target`); `Conflict` and nothing written when `source` is short.
- `lock_lines(pairs=)`: lock several lines before deciding how much to move (a picking
  list, a deduction that takes what is there); returns their balances.

Every change goes through `_write`: its lines are locked (or created at zero) in one fixed
order, (product id, location id), so that writers of several lines never wait on each
other in a cycle; the bounds are checked once, for every line, before anything is written;
then each balance and its ledger row are written. Nothing else writes `quantite`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, lazyload

from inventaire.catalogue.models import Product
from inventaire.database import utcnow
from inventaire.emplacements.models import Location
from inventaire.exceptions import Conflict, InvalidInput
from inventaire.stock.models import StockLine, Transaction
from inventaire.units import unit_for

ZERO = Decimal("0")
# The largest quantity a NUMERIC(12, 3) holds; beyond it PostgreSQL would fail the whole request.
MAX_QUANTITY = Decimal("999999999.999")
# Kinds a person (or a script) may write through adjust; counts and transfers have their own functions.
ADJUST_KINDS = ("reception", "utilisation", "ajustement")


@dataclass
class Change:
    """One line's part in a write: how much, and what the ledger row says."""

    line: StockLine
    delta: Decimal
    kind: str
    motif: str | None = None
    reference: str | None = None
    # The entry of a transfer points at its exit, the change written just before it.
    link_previous: bool = False


@dataclass
class Transfer:
    sortie: Transaction
    entree: Transaction


def threshold_of(line: StockLine, default: Decimal) -> Decimal:
    """The threshold in effect for a line: its own minimum, else the product's, else the default."""
    if line.seuil_min is not None:
        return line.seuil_min
    if line.produit.seuil_reorder is not None:
        return line.produit.seuil_reorder
    return default


def list_lines(*, db_session: Session, location: Location, include_archived: bool = False) -> list[StockLine]:
    """The location's stock lines, by product code."""
    query = (
        select(StockLine)
        .join(StockLine.produit)
        .where(StockLine.emplacement_id == location.id)
        .order_by(Product.code_produit)
    )
    if not include_archived:
        query = query.where(Product.actif.is_(True))
    return list(db_session.scalars(query))


def get_line(*, db_session: Session, location: Location, product: Product) -> StockLine | None:
    """The line of this location and product, or None."""
    return db_session.scalar(
        select(StockLine).where(StockLine.emplacement_id == location.id, StockLine.produit_id == product.id)
    )


# The location and product are in the session already: the line's relationships are read
# from it rather than joined (four tables) into a locking query.
_LINE_OF = (
    select(StockLine)
    .options(lazyload(StockLine.emplacement), lazyload(StockLine.produit))
    .execution_options(populate_existing=True)
)


def _lock_one(db_session: Session, location: Location, product: Product, create: bool) -> StockLine | None:
    """Lock one line and load its balance as it is now; create it at zero first if asked."""
    key = {"emplacement_id": location.id, "produit_id": product.id}
    if not create:
        query: Select = _LINE_OF.where(
            StockLine.emplacement_id == location.id, StockLine.produit_id == product.id
        ).with_for_update(of=StockLine)
        return db_session.scalar(query)
    insert = pg_insert if db_session.get_bind().dialect.name == "postgresql" else sqlite_insert
    upsert = insert(StockLine).values(**key, quantite=ZERO, updated_at=utcnow())
    # A no-op update on conflict: the statement then returns the existing row, locked.
    upsert = upsert.on_conflict_do_update(
        index_elements=["emplacement_id", "produit_id"], set_={"quantite": StockLine.quantite}
    ).returning(StockLine)
    return db_session.scalars(
        upsert, execution_options={"populate_existing": True}
    ).one()


def lock_lines(
    *, db_session: Session, pairs: list[tuple[Location, Product, bool]]
) -> dict[tuple[int, int], StockLine | None]:
    """Lock these lines in the one fixed order, (product id, location id), creating those marked.

    Returns each line by (location id, product id); None for one absent and not created.
    """
    locked: dict[tuple[int, int], StockLine | None] = {}
    for location, product, create in sorted(pairs, key=lambda p: (p[1].id, p[0].id)):
        key = (location.id, product.id)
        if locked.get(key) is None:
            locked[key] = _lock_one(db_session, location, product, create)
    return locked


def _check_bounds(line: StockLine, delta: Decimal) -> None:
    """Refuse a change that would take the line below zero or past what the column holds."""
    before, after = line.quantite, line.quantite + delta
    if after < 0:
        raise Conflict(
            f"Stock insuffisant : {line.emplacement.nom} a {_fmt(before)} {unit_for(before, line.produit.unite)} de "
            f"« {line.produit.code_produit} », impossible de retirer {_fmt(-delta)}."
        )
    if after > MAX_QUANTITY:
        raise Conflict(
            f"Quantité trop grande : « {line.produit.code_produit} » passerait à {_fmt(after)} "
            f"(au plus {_fmt(MAX_QUANTITY)})."
        )


def _write(db_session: Session, changes: list[Change], *, auteur: str, at: dt.datetime | None) -> list[Transaction]:
    """The one write path: lines already locked; bounds of all checked, then balances and ledger rows."""
    for change in changes:
        _check_bounds(change.line, change.delta)
    now = at or utcnow()
    entries = []
    for change in changes:
        line = change.line
        line.quantite += change.delta
        line.updated_at = now
        entry = Transaction(
            stock_line_id=line.id, emplacement=line.emplacement, produit=line.produit, type=change.kind,
            ajustement=change.delta, quantite_avant=line.quantite - change.delta, quantite_apres=line.quantite,
            motif=change.motif, reference=change.reference, auteur=auteur, created_at=now,
        )
        if change.link_previous:  # set before the insert: ledger rows are never updated
            entry.transfert_de = entries[-1]
        db_session.add(entry)
        entries.append(entry)
    db_session.flush()
    return entries


def _missing(location: Location, product: Product) -> Conflict:
    return Conflict(f"Stock insuffisant : {location.nom} n'a pas de « {product.code_produit} » en stock.")


def adjust(
    *, db_session: Session, location: Location, product: Product, kind: str, delta: Decimal,
    auteur: str, motif: str | None = None, reference: str | None = None, at: dt.datetime | None = None,
) -> Transaction:
    """Change one line by a signed amount and write its ledger row (`at`: demo and imports only)."""
    check_sign(kind, delta)
    line = _lock_one(db_session, location, product, create=delta > 0)
    if line is None:
        raise _missing(location, product)
    (entry,) = _write(db_session, [Change(line, delta, kind, motif, reference)], auteur=auteur, at=at)
    return entry


def count(
    *, db_session: Session, location: Location, product: Product, counted: Decimal,
    auteur: str, seen: Decimal | None = None, motif: str | None = None, at: dt.datetime | None = None,
) -> Transaction:
    """Record a physical count as one `comptage` row holding the difference (zero included)."""
    if counted < 0:
        raise InvalidInput("La quantité comptée ne peut pas être négative.")
    line = _lock_one(db_session, location, product, create=True)
    if seen is not None and line.quantite != seen:
        raise Conflict(
            f"Le stock de « {product.code_produit} » a changé depuis votre lecture "
            f"({_fmt(seen)} affiché, {_fmt(line.quantite)} maintenant). Rechargez et recomptez."
        )
    change = Change(line, counted - line.quantite, "comptage", motif or "Comptage physique")
    (entry,) = _write(db_session, [change], auteur=auteur, at=at)
    return entry


def transfer(
    *, db_session: Session, source: Location, target: Location, product: Product, quantity: Decimal,
    auteur: str, motif: str | None = None, reference: str | None = None,
) -> Transfer:
    """Move a quantity between two locations: two linked `transfert` rows, or nothing when short."""
    if source.id == target.id:
        raise InvalidInput("Un transfert va d'un emplacement à un autre : « de » et « vers » sont identiques.")
    if quantity <= 0:
        raise InvalidInput("La quantité à transférer doit être positive.")
    lines = lock_lines(db_session=db_session, pairs=[(source, product, False), (target, product, True)])
    out_line, in_line = lines[(source.id, product.id)], lines[(target.id, product.id)]
    if out_line is None:
        raise _missing(source, product)
    sortie, entree = _write(db_session, [
        Change(out_line, -quantity, "transfert", motif or f"Transfert vers {target.nom}", reference),
        Change(in_line, quantity, "transfert", motif or f"Transfert depuis {source.nom}", reference,
               link_previous=True),
    ], auteur=auteur, at=None)
    return Transfer(sortie, entree)


def set_levels(
    *, db_session: Session, location: Location, product: Product, changes: dict
) -> StockLine:
    """Set a line's minimum and par level (creating the line at zero if needed)."""
    line = _lock_one(db_session, location, product, create=True)
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
    if kind not in ADJUST_KINDS:
        raise InvalidInput(f"Type de mouvement inconnu : « {kind} ».")


def _fmt(value: Decimal) -> str:
    """A quantity as a person reads it in French (2,5 ; 3)."""
    text = format(value.normalize(), "f") if value else "0"
    return text.replace(".", ",")
