"""The one deduction service: a completed service's latest version, reconciled with the ledger.

Every source (POST /inventaire/services, the Gazelle sync, a CSV) calls `apply`. Under the
lock of the service's row it computes what the lines consume under the rules in force,
compares with what its `Deduction` rows say the ledger already holds, and writes only the
difference through the stock service, in the caller's transaction (the caller commits).
So the same input twice writes nothing, an older version arriving late changes nothing,
and a cancellation gives everything back. What a van does not have is an open shortfall,
taken later when stock comes back (a reception, a give-back) or settled by a count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from inventaire.deductions import messages
from inventaire.deductions import plan as planning
from inventaire.deductions.models import DeductedService, Deduction
from inventaire.deductions.schemas import ServiceIn
from inventaire.kit.database import utcnow
from inventaire.kit.enums import MovementCause, NotDeducted, ServiceStatus, TransactionType
from inventaire.stock import service as stock
from inventaire.stock.models import StockLine, Transaction
from inventaire.techniciens.models import Technician

ZERO = Decimal(0)


@dataclass
class Outcome:
    """What one call did to one service."""

    service: DeductedService | None
    entry: ServiceIn
    traitement: str  # applique, inchange, version_ancienne
    mouvements: list[Transaction] = field(default_factory=list)
    non_deduites: list[dict[str, Any]] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return self.service.reference if self.service else (
            f"Facture #{self.entry.numero}" if self.entry.numero else self.entry.id_externe)

    @property
    def manques(self) -> list[Deduction]:
        return [d for d in self.service.deductions if d.manque > 0] if self.service else []


def apply(
    *, db_session: Session, entry: ServiceIn, technician: Technician | None, rules: planning.RuleBook,
    digest: str | None = None,
) -> Outcome:
    """Bring the ledger to what this version of the service consumes; write only the difference.

    `digest`: the entry's fingerprint when the caller computed it already (a sync deciding what to
    apply), so that it is computed once per invoice.
    """
    service = _lock(db_session, entry)
    if _older(entry, service):
        return Outcome(service, entry, "version_ancienne", non_deduites=service.non_deduites)
    if digest is None:
        digest = planning.fingerprint(entry=entry, technician=technician, rules=rules)
    if service.empreinte == digest and not service.manque_ouvert:
        if entry.version is not None and (service.version is None or entry.version > service.version):
            service.version = entry.version
        return Outcome(service, entry, "inchange", non_deduites=service.non_deduites)
    wanted = planning.plan(entry=entry, technician=technician, rules=rules)
    products = {r.produit_id: r.produit for group in rules.values() for r in group}
    outcome = Outcome(service, entry, "applique", non_deduites=list(wanted.not_deducted))
    # One flush at the end rather than one per statement: each row is inserted with its final values.
    with db_session.no_autoflush:
        _describe(service, entry, technician, digest)
        refill = _reconcile(db_session, service, wanted, products, technician, outcome)
        service.non_deduites = outcome.non_deduites
        service.manque_ouvert = any(d.manque > 0 for d in service.deductions)
    db_session.flush()
    if not refill:
        return outcome
    for technician_id, produit_id in sorted(refill, key=lambda pair: (pair[1], pair[0])):  # (product, location)
        # Its own lines too: a line of this service may give back what another of its lines lacks.
        outcome.mouvements += fill_shortfalls(db_session=db_session, technician_id=technician_id,
                                              produit_id=produit_id)
    if refill:
        outcome.non_deduites = [n for n in outcome.non_deduites if n["raison"] != NotDeducted.STOCK_INSUFFISANT] + [
            messages.short((d.ligne_externe,), d) for d in service.deductions if d.manque > 0]
    service.non_deduites = outcome.non_deduites
    service.manque_ouvert = any(d.manque > 0 for d in service.deductions)
    db_session.flush()
    return outcome


def _older(entry: ServiceIn, service: DeductedService) -> bool:
    return entry.version is not None and service.version is not None and entry.version < service.version


def _lock(db_session: Session, entry: ServiceIn) -> DeductedService:
    """The service's row, created if new, locked until the transaction ends (two syncs racing wait here)."""
    query = (
        select(DeductedService)
        .where(DeductedService.source == entry.source, DeductedService.id_externe == entry.id_externe)
        .with_for_update(of=DeductedService)
        .execution_options(populate_existing=True)
    )
    service = db_session.scalar(query)
    if service is not None:
        return service
    insert = pg_insert if db_session.get_bind().dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    db_session.execute(insert(DeductedService).values(
        source=entry.source, id_externe=entry.id_externe, statut=str(entry.statut), empreinte="",
        lignes=[], non_deduites=[], manque_ouvert=False, created_at=now, updated_at=now,
    ).on_conflict_do_nothing(index_elements=["source", "id_externe"]))
    return db_session.scalars(query).one()


def _describe(service: DeductedService, entry: ServiceIn, technician: Technician | None, digest: str) -> None:
    """The service's own fields, as this version gives them."""
    service.numero, service.statut, service.client = entry.numero, str(entry.statut), entry.client
    service.date_service, service.technicien, service.empreinte = entry.date, technician, digest
    if entry.version is not None:
        service.version = entry.version
    service.lignes = [line.model_dump(mode="json") for line in entry.lignes]
    service.updated_at = utcnow()


def _reconcile(db_session: Session, service: DeductedService, wanted: Any, products: Any, technician: Any,
               outcome: Outcome) -> set[tuple[int, int]]:
    """Each key brought to its target; returns the stock lines that got stock back (to refill shortfalls)."""
    rows = {(d.ligne_externe, d.produit_id, d.technicien_id): d for d in service.deductions}
    settle_counted(db_session=db_session, deductions=[d for d in rows.values() if d.manque > 0])
    refill = set()
    # The stock service's one lock order, (product id, location id): two reconciliations, or a
    # reconciliation and another multi-line writer, touching the same lines never wait in a cycle.
    for key in sorted(set(rows) | set(wanted.wants), key=lambda k: (k[1], k[2], k[0])):
        want = wanted.wants.get(key)
        row = rows.get(key)
        if row is None:
            row = Deduction(ligne_externe=key[0], produit=products[key[1]], technicien=technician,
                            description=want.description, voulu=ZERO, deduit=ZERO, regle=ZERO)
            service.deductions.append(row)
        elif want is not None:
            row.description = want.description
        target = want.quantite if want else ZERO
        if want is not None and want.archived and target > row.deduit + row.regle:
            outcome.non_deduites.append(messages.archived(key, want, row, target - row.deduit - row.regle))
            target = row.deduit + row.regle
        if _bring_to(db_session, service, row, target, outcome):
            refill.add((row.technicien_id, row.produit_id))
        if row.manque > 0:
            outcome.non_deduites.append(messages.short(key, row))
    for row in [d for d in service.deductions if not (d.voulu or d.deduit or d.regle)]:
        service.deductions.remove(row)  # nothing wanted, nothing held: the row has no more to say
    return refill


def _bring_to(db_session: Session, service: DeductedService, row: Deduction, target: Decimal, outcome: Outcome) -> bool:
    """Take or give back what moves the row's holding to `target`; True when stock was given back."""
    row.voulu = target
    covered = row.deduit + row.regle
    gave_back = False
    if target > covered:
        taken = _take(db_session, service, row, target - covered)
        if taken is not None:
            outcome.mouvements.append(taken)
    elif target < covered:
        excess = covered - target
        settled = min(row.regle, excess)  # a counted part was really used: nothing to give back for it
        row.regle -= settled
        excess -= settled
        if excess > 0:
            outcome.mouvements.append(stock.adjust(
                db_session=db_session, location=row.technicien, product=row.produit, kind=TransactionType.AJUSTEMENT,
                delta=excess, auteur=service.source, reference=service.reference,
                cause=MovementCause.DEDUCTION, cause_id=service.id,
                motif=messages.motif(service, row.description, "annulée" if service.statut == ServiceStatus.ANNULE
                            else "correction"),
            ))
            row.deduit -= excess
            gave_back = True
    row.manque_depuis = (row.manque_depuis or utcnow()) if row.manque > 0 else None
    return gave_back


def _take(db_session: Session, service: DeductedService, row: Deduction, need: Decimal) -> Transaction | None:
    """Take up to `need` from the van, never below zero (the stock service's take_up_to); the rest stays open."""
    taken = stock.take_up_to(
        db_session=db_session, location=row.technicien, product=row.produit, wanted=need, auteur=service.source,
        cause=MovementCause.DEDUCTION, cause_id=service.id, reference=service.reference,
        motif=messages.motif(service, row.description),
    )
    if taken is not None:
        row.deduit -= taken.ajustement
    return taken


def settle_counted(*, db_session: Session, deductions: list[Deduction]) -> None:
    """A physical count of the line after a shortfall opened settles it: the shelf was counted as it is."""
    for row in deductions:
        if row.manque_depuis is None:
            continue
        counted = db_session.scalar(select(exists().where(
            Transaction.emplacement_id == row.technicien_id, Transaction.produit_id == row.produit_id,
            Transaction.type == TransactionType.COMPTAGE, Transaction.created_at >= row.manque_depuis,
        )))
        if counted:
            row.regle = row.voulu - row.deduit
            row.manque_depuis = None


def open_clause() -> ColumnElement[bool]:
    """SQL: a deduction row whose shortfall is open (not taken, not settled by a later count)."""
    counted = exists().where(
        Transaction.emplacement_id == Deduction.technicien_id, Transaction.produit_id == Deduction.produit_id,
        Transaction.type == TransactionType.COMPTAGE, Transaction.created_at >= Deduction.manque_depuis,
    )
    return and_(Deduction.voulu > Deduction.deduit + Deduction.regle, ~counted)


def fill_shortfalls(
    *, db_session: Session, technician_id: int, produit_id: int, exclude: int | None = None,
) -> list[Transaction]:
    """Take what the line now holds for the open shortfalls of other services, oldest first.

    Their service rows are locked with SKIP LOCKED: a service another transaction is
    reconciling right now takes the stock itself (it waits for this line's lock, then sees it).
    """
    query = (
        select(DeductedService)
        .join(Deduction, Deduction.service_id == DeductedService.id)
        .where(Deduction.technicien_id == technician_id, Deduction.produit_id == produit_id, open_clause())
        .order_by(DeductedService.id)
        .with_for_update(of=DeductedService, skip_locked=True)
    )
    if exclude is not None:
        query = query.where(DeductedService.id != exclude)
    written: list[Transaction] = []
    for service in db_session.scalars(query).unique():
        for row in service.deductions:
            if (row.technicien_id, row.produit_id) == (technician_id, produit_id) and row.manque > 0:
                taken = _take(db_session, service, row, row.manque)
                if taken is None:
                    return written
                written.append(taken)
                row.manque_depuis = row.manque_depuis if row.manque > 0 else None
        service.manque_ouvert = any(d.manque > 0 for d in service.deductions)
        service.non_deduites = [n for n in service.non_deduites if n["raison"] != NotDeducted.STOCK_INSUFFISANT] + [
            messages.short((d.ligne_externe,), d) for d in service.deductions if d.manque > 0]
    db_session.flush()
    return written


def refill_all(*, db_session: Session) -> list[Transaction]:
    """Every open shortfall whose van has stock again (a reception since): take it now."""
    pairs = db_session.execute(
        select(Deduction.technicien_id, Deduction.produit_id).distinct()
        .join(StockLine, and_(StockLine.emplacement_id == Deduction.technicien_id,
                              StockLine.produit_id == Deduction.produit_id))
        .where(open_clause(), StockLine.quantite > 0)
    ).all()
    written: list[Transaction] = []
    for technician_id, produit_id in sorted(pairs, key=lambda pair: (pair[1], pair[0])):  # (product, location)
        written += fill_shortfalls(db_session=db_session, technician_id=technician_id, produit_id=produit_id)
    return written


def preload(*, db_session: Session, source: str, ids: list[str]) -> dict[str, DeductedService]:
    """The stored services of a batch, in one query: a sync decides from them what needs the lock."""
    if not ids:
        return {}
    rows = db_session.scalars(select(DeductedService).where(
        DeductedService.source == source, DeductedService.id_externe.in_(ids)))
    return {s.id_externe: s for s in rows}


def needs_apply(*, entry: ServiceIn, stored: DeductedService | None, digest: str) -> bool:
    """Whether the service may change anything: new, newer, different, or with a shortfall to retry."""
    if stored is None:
        return True
    if _older(entry, stored):
        return False
    newer = entry.version is not None and (stored.version is None or entry.version > stored.version)
    return stored.empreinte != digest or stored.manque_ouvert or newer
