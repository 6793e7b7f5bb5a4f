"""The stock service: the only writer of stock lines and of the ledger.

What other domains call (deductions, orders, transfers, requests, imports), each taking
loaded objects (a `Location` is a technician's van or a workshop) and writing in the
caller's database transaction; the caller commits once (request, CLI command, job):

- `adjust(location=, product=, kind=, delta=, auteur=, cause=, cause_id=, motif=, reference=)`:
  one signed change (`reception` +, `utilisation` −, `ajustement` ±); a first positive change
  creates the line. Raises `Conflict` (409) when the line would go below zero.
- `take_up_to(location=, product=, wanted=, …)`: take what the line holds, up to `wanted`,
  never below zero (a deduction); returns the row written, or None when the line holds nothing.
- `count(location=, product=, counted=, auteur=, seen=)`: a physical count, one `comptage`
  row holding the difference.
- `transfer(source=, target=, product=, quantity=, auteur=)`: two linked `transfert` rows
  (out of `source`, into `target`); `Conflict` and nothing written when `source` is short.
- `lock_lines(pairs=)`: lock several lines before deciding how much to move (a picking
  list); returns their balances.

Every ledger row says what caused it (`cause`, a `MovementCause`) and the id of that request,
order or deducted service (`cause_id`): callers pass them, readers select by them.

Every change goes through `_write`: its lines are locked (or created at zero) in one fixed
order, (product id, location id), so that writers of several lines never wait on each
other in a cycle; the bounds are checked once, for every line, before anything is written;
then each balance and its ledger row are written. Nothing else writes `quantite`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from inventaire.catalogue.models import Product
from inventaire.emplacements.models import Location
from inventaire.kit import quantities
from inventaire.kit.database import utcnow
from inventaire.kit.enums import MOVEMENT_TYPES, MovementCause, TransactionType
from inventaire.kit.exceptions import Conflict, InvalidInput
from inventaire.kit.quantities import MAX_QUANTITY, unit_for
from inventaire.stock.models import StockLine, Transaction

ZERO = Decimal("0")

# The statements of the write path, built once and run in Core: they run on every change, and
# going through the ORM's unit of work cost more than twice the SQL itself (BENCHMARKS.md).
_LINES, _LEDGER = cast(Table, StockLine.__table__), cast(Table, Transaction.__table__)
_KEY = (_LINES.c.emplacement_id == bindparam("e"), _LINES.c.produit_id == bindparam("p"))
_LOCK = select(_LINES.c.id, _LINES.c.quantite).where(*_KEY).with_for_update()
_SET_BALANCE = (
    update(_LINES).where(_LINES.c.id == bindparam("line_id"))
    .values(quantite=bindparam("after"), updated_at=bindparam("now"))
)
_RECORD = insert(_LEDGER).returning(_LEDGER.c.id)


def _lock_or_create_statement(dialect: str) -> Any:
    """Insert the line at zero, or (on conflict) take the existing row's lock: its id and balance either way."""
    upsert = (pg_insert if dialect == "postgresql" else sqlite_insert)(_LINES).values(
        emplacement_id=bindparam("e"), produit_id=bindparam("p"), quantite=ZERO, updated_at=bindparam("now"))
    return upsert.on_conflict_do_update(
        index_elements=[_LINES.c.emplacement_id, _LINES.c.produit_id],
        set_={"quantite": _LINES.c.quantite},  # a no-op write: what makes the row come back, locked
    ).returning(_LINES.c.id, _LINES.c.quantite)


_LOCK_OR_CREATE = {dialect: _lock_or_create_statement(dialect) for dialect in ("postgresql", "sqlite")}


@dataclass
class LockedLine:
    """A line locked for this transaction, with its balance as it is now."""

    id: int
    quantite: Decimal
    location: Location
    product: Product


@dataclass
class Change:
    """One line's part in a write: how much, and what its ledger row says."""

    line: LockedLine
    delta: Decimal
    kind: TransactionType
    cause: MovementCause
    cause_id: int | None = None
    motif: str | None = None
    reference: str | None = None
    # The entry of a transfer points at its exit, the change just before it.
    link_previous: bool = False


@dataclass
class Transfer:
    sortie: Transaction
    entree: Transaction


def lock_lines(
    *, db_session: Session, pairs: list[tuple[Location, Product, bool]]
) -> dict[tuple[int, int], LockedLine | None]:
    """Lock these lines in the one fixed order, (product id, location id), creating those marked True.

    Returns each by (location id, product id): None for a line absent and not to be created.
    Every writer of several lines locks through here, so two of them never wait on each other in a cycle.
    """
    statement = _LOCK_OR_CREATE[db_session.get_bind().dialect.name]
    now = utcnow()
    locked: dict[tuple[int, int], LockedLine | None] = {}
    for location, product, create in sorted(pairs, key=lambda p: (p[1].id, p[0].id)):
        key = (location.id, product.id)
        if locked.get(key) is not None:
            continue
        params = {"e": location.id, "p": product.id, "now": now}
        row = db_session.execute(statement if create else _LOCK, params).first()
        locked[key] = None if row is None else LockedLine(row.id, row.quantite, location, product)
    return locked


def _check_bounds(line: LockedLine, delta: Decimal) -> None:
    """Refuse a change that would take the line below zero or past what the column holds."""
    before, after = line.quantite, line.quantite + delta
    if delta > 0 and line.location.is_workshop and not line.location.actif:
        raise Conflict(f"L'atelier « {line.location.nom} » est désactivé : il ne reçoit plus de stock "
                       "(réactivez-le d'abord).")
    if after < 0:
        raise Conflict(
            f"Stock insuffisant : {line.location.nom} a {quantities.quantity(before, grouped=True)} "
            f"{unit_for(before, line.product.unite)} de "
            f"« {line.product.code_produit} », impossible de retirer {quantities.quantity(-delta, grouped=True)}."
        )
    if after > MAX_QUANTITY:
        raise Conflict(
            f"Quantité trop grande : « {line.product.code_produit} » passerait à {quantities.quantity(after, grouped=True)} "
            f"(au plus {quantities.quantity(MAX_QUANTITY, grouped=True)})."
        )


def _write(db_session: Session, changes: list[Change], *, auteur: str, at: dt.datetime | None) -> list[Transaction]:
    """The one write path, on lines already locked: every bound checked first, then each balance and ledger row.

    Returns the ledger rows as written (plain objects: the session does not track them).
    """
    for change in changes:
        _check_bounds(change.line, change.delta)
    now = at or utcnow()
    entries: list[Transaction] = []
    for change in changes:
        line = change.line
        before, line.quantite = line.quantite, line.quantite + change.delta
        db_session.execute(_SET_BALANCE, {"line_id": line.id, "after": line.quantite, "now": now})
        values = dict(
            stock_line_id=line.id, emplacement_id=line.location.id, produit_id=line.product.id, type=change.kind,
            ajustement=change.delta, quantite_avant=before, quantite_apres=line.quantite, motif=change.motif,
            reference=change.reference, auteur=auteur, created_at=now, cause=change.cause, cause_id=change.cause_id,
            transfert_de_id=entries[-1].id if change.link_previous else None,
        )
        entry = Transaction(id=db_session.execute(_RECORD, values).scalar_one(), **values)
        entry.emplacement, entry.produit = line.location, line.product
        entries.append(entry)
    return entries


def _missing(location: Location, product: Product) -> Conflict:
    return Conflict(f"Stock insuffisant : {location.nom} n'a pas de « {product.code_produit} » en stock.")


def _lock_one(db_session: Session, location: Location, product: Product, *, create: bool) -> LockedLine:
    """Lock one line (creating it at zero if asked); Conflict when it is absent and not to be created."""
    line = lock_lines(db_session=db_session, pairs=[(location, product, create)])[(location.id, product.id)]
    if line is None:
        raise _missing(location, product)
    return line


def adjust(
    *, db_session: Session, location: Location, product: Product, kind: TransactionType, delta: Decimal,
    auteur: str, cause: MovementCause, cause_id: int | None = None, motif: str | None = None,
    reference: str | None = None, at: dt.datetime | None = None,
) -> Transaction:
    """Change one line by a signed amount and write its ledger row (`at`: demo and imports only)."""
    check_sign(kind, delta)
    check_divisible(product, delta)
    line = _lock_one(db_session, location, product, create=delta > 0)
    (entry,) = _write(db_session, [Change(line, delta, kind, cause, cause_id, motif, reference)], auteur=auteur, at=at)
    return entry


def take_up_to(
    *, db_session: Session, location: Location, product: Product, wanted: Decimal, auteur: str,
    cause: MovementCause, cause_id: int | None = None, motif: str | None = None, reference: str | None = None,
) -> Transaction | None:
    """Take what the line holds, up to `wanted`, never below zero: lock, read, write one `utilisation` row.

    Returns that row (its `ajustement` is minus what was taken), or None when the line is absent or empty.
    """
    line = lock_lines(db_session=db_session, pairs=[(location, product, False)])[(location.id, product.id)]
    amount = min(wanted, line.quantite) if line is not None else ZERO
    if line is None or amount <= 0:
        return None
    check_divisible(product, amount)
    change = Change(line, -amount, TransactionType.UTILISATION, cause, cause_id, motif, reference)
    (entry,) = _write(db_session, [change], auteur=auteur, at=None)
    return entry


def count(
    *, db_session: Session, location: Location, product: Product, counted: Decimal,
    auteur: str, seen: Decimal | None = None, motif: str | None = None, at: dt.datetime | None = None,
    cause: MovementCause = MovementCause.COMPTAGE,
) -> Transaction:
    """Record a physical count as one `comptage` row holding the difference (zero included)."""
    if counted < 0:
        raise InvalidInput("La quantité comptée ne peut pas être négative.")
    check_divisible(product, counted)
    line = _lock_one(db_session, location, product, create=True)
    if seen is not None and line.quantite != seen:
        raise Conflict(
            f"Le stock de « {product.code_produit} » a changé depuis votre lecture "
            f"({quantities.quantity(seen, grouped=True)} affiché, "
            f"{quantities.quantity(line.quantite, grouped=True)} maintenant). "
            "Rechargez et recomptez."
        )
    change = Change(line, counted - line.quantite, TransactionType.COMPTAGE, cause, None, motif or "Comptage physique")
    (entry,) = _write(db_session, [change], auteur=auteur, at=at)
    return entry


def transfer(
    *, db_session: Session, source: Location, target: Location, product: Product, quantity: Decimal,
    auteur: str, motif: str | None = None, reference: str | None = None,
    cause: MovementCause = MovementCause.TRANSFERT, cause_id: int | None = None,
) -> Transfer:
    """Move a quantity between two locations: two linked `transfert` rows, or nothing when short."""
    if source.id == target.id:
        raise Conflict("Un transfert va d'un emplacement à un autre : « de » et « vers » sont identiques.")
    if quantity <= 0:
        raise InvalidInput("La quantité à transférer doit être positive.")
    check_divisible(product, quantity)
    lines = lock_lines(db_session=db_session, pairs=[(source, product, False), (target, product, True)])
    out_line, in_line = lines[(source.id, product.id)], lines[(target.id, product.id)]
    if out_line is None:
        raise _missing(source, product)
    assert in_line is not None  # created if absent
    sortie, entree = _write(db_session, [
        Change(out_line, -quantity, TransactionType.TRANSFERT, cause, cause_id, motif or f"Transfert vers {target.nom}",
               reference),
        Change(in_line, quantity, TransactionType.TRANSFERT, cause, cause_id, motif or f"Transfert depuis {source.nom}",
               reference, link_previous=True),
    ], auteur=auteur, at=None)
    return Transfer(sortie, entree)


def set_levels(
    *, db_session: Session, location: Location, product: Product, changes: dict[str, Decimal | None]
) -> StockLine:
    """Set a line's minimum and par level (creating the line at zero if needed)."""
    for value in changes.values():
        if value is not None:
            check_divisible(product, value)
    locked = _lock_one(db_session, location, product, create=True)
    line = db_session.get(StockLine, locked.id, populate_existing=True)
    assert line is not None
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
            f"{quantities.quantity(abs(amount), grouped=True)} refusé."
        )


def check_sign(kind: TransactionType, delta: Decimal) -> None:
    """A change is non-zero and agrees in sign with its type."""
    if delta == 0:
        raise InvalidInput("L'ajustement ne peut pas être nul.")
    if kind == TransactionType.RECEPTION and delta < 0:
        raise InvalidInput("Une réception ajoute du stock : l'ajustement doit être positif.")
    if kind == TransactionType.UTILISATION and delta > 0:
        raise InvalidInput("Une utilisation retire du stock : l'ajustement doit être négatif.")
    if kind not in MOVEMENT_TYPES:
        raise InvalidInput(f"Type de mouvement inconnu : « {kind} ».")
