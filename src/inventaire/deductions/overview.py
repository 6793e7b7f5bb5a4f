"""What the office's « Déductions » page shows: services with what they took, shortfalls, lines nobody
has a rule for, and the last syncs (read-only queries, a fixed number of them whatever the size)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventaire.deductions import service as deductions
from inventaire.deductions.models import DeductedService, Deduction
from inventaire.kit.enums import MovementCause, NotDeducted
from inventaire.stock.models import Transaction
from inventaire.techniciens.models import Technician


@dataclass
class ServiceRow:
    service: DeductedService
    mouvements: list[Transaction]

    @property
    def corrections(self) -> list[Transaction]:
        return [m for m in self.mouvements if m.ajustement > 0]


def services_with_moves(*, db_session: Session, limit: int = 50) -> list[ServiceRow]:
    """The services last changed, each with its ledger rows (one query for all of them, by the rows' cause)."""
    services = recent(db_session=db_session, limit=limit)
    moves: dict[int | None, list[Transaction]] = defaultdict(list)
    if services:
        for row in db_session.scalars(select(Transaction).where(
                Transaction.cause == MovementCause.DEDUCTION, Transaction.cause_id.in_([s.id for s in services]))
                .order_by(Transaction.created_at, Transaction.id)):
            moves[row.cause_id].append(row)
    return [ServiceRow(s, moves.get(s.id, [])) for s in services]


def unmatched_services(*, db_session: Session) -> list[dict]:
    """Billed services with no rule, most billed first: {"service_id", "description", "lignes"}."""
    counts: Counter = Counter()
    names: dict[str, str | None] = {}
    for lines in db_session.scalars(select(DeductedService.non_deduites)):
        for item in lines:
            if item.get("raison") == NotDeducted.SANS_REGLE and item.get("service_id"):
                counts[item["service_id"]] += 1
                names.setdefault(item["service_id"], item.get("description"))
    return [{"service_id": s, "description": names[s], "lignes": n} for s, n in counts.most_common()]


def van_today(*, db_session: Session, technician: Technician, since: dt.datetime) -> list[Transaction]:
    """What the services billed took from (or gave back to) this van since `since`, newest first."""
    return list(db_session.scalars(
        select(Transaction).where(Transaction.emplacement_id == technician.id, Transaction.created_at >= since,
                                  Transaction.cause == MovementCause.DEDUCTION)
        .order_by(Transaction.created_at.desc(), Transaction.id.desc())
    ))


def recent(*, db_session: Session, source: str | None = None, limit: int = 50) -> list[DeductedService]:
    """The services last changed, newest first."""
    query = select(DeductedService).order_by(DeductedService.updated_at.desc(), DeductedService.id.desc())
    if source is not None:
        query = query.where(DeductedService.source == source)
    return list(db_session.scalars(query.limit(limit)))


def open_shortfalls(*, db_session: Session, technician: Technician | None = None) -> list[Deduction]:
    """Open shortfalls, oldest first."""
    query = select(Deduction).where(deductions.open_clause()).order_by(Deduction.manque_depuis, Deduction.id)
    if technician is not None:
        query = query.where(Deduction.technicien_id == technician.id)
    return list(db_session.scalars(query))
