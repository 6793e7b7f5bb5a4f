"""A van's load list for a day: what its appointments take under the rules, against the van and its requests.

For each product some rule ties to a booked service: `requis` = Σ over the day's appointments
of item quantity × rule quantity; `en_stock` = the van's balance; `demande_ouverte` = the van's
open requests of it; `a_charger` = max(0, requis − en_stock − demande_ouverte). Booked services
no rule covers are listed apart (`sans_regle`), never guessed; free-text items (no MSL item)
take nothing. Every technician's list of a day is read in four queries, whatever their number.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventaire.catalogue.models import Product
from inventaire.demandes.models import RequestState, StockRequest
from inventaire.regles import service as regles
from inventaire.regles.models import ConsumptionRule
from inventaire.rendezvous import service as rendezvous
from inventaire.rendezvous.models import Appointment
from inventaire.stock.models import StockLine
from inventaire.techniciens.models import Technician

ZERO = Decimal(0)


def to_load(requis: Decimal, en_stock: Decimal, demande_ouverte: Decimal) -> Decimal:
    """What is still to put in the van: never negative."""
    return max(ZERO, requis - en_stock - demande_ouverte)


@dataclass
class Line:
    product: Product
    requis: Decimal
    en_stock: Decimal
    demande_ouverte: Decimal

    @property
    def a_charger(self) -> Decimal:
        return to_load(self.requis, self.en_stock, self.demande_ouverte)


@dataclass
class Uncovered:
    service_id: str
    nom: str | None
    quantite: Decimal


@dataclass
class LoadList:
    technician: Technician
    day: dt.date
    appointments: list[Appointment] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    sans_regle: list[Uncovered] = field(default_factory=list)
    a_apporter: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[Line]:
        return [line for line in self.lines if line.a_charger > 0]


def tally(
    services: Iterable[dict[str, Any]], rules: Mapping[str, list[ConsumptionRule]],
) -> tuple[dict[int, Decimal], dict[int, Product], list[Uncovered]]:
    """What booked services (`{"service_id", "nom", "quantite"}`) require per product, and those no rule covers."""
    required: dict[int, Decimal] = defaultdict(Decimal)
    products: dict[int, Product] = {}
    uncovered: dict[str, Uncovered] = {}
    for service in services:
        sid, quantity = service["service_id"], Decimal(service["quantite"])
        if not sid:
            continue  # a free-text item: reported by the sync, never guessed
        if sid not in rules:
            entry = uncovered.setdefault(sid, Uncovered(sid, service.get("nom"), ZERO))
            entry.quantite += quantity
            continue
        for rule in rules[sid]:
            required[rule.produit_id] += quantity * rule.quantite
            products[rule.produit_id] = rule.produit
    return dict(required), products, sorted(uncovered.values(), key=lambda u: (-u.quantite, u.service_id))


def _held(db_session: Session, ids: list[int], product_ids: set[int]) -> dict[tuple[int, int], Decimal]:
    if not ids or not product_ids:
        return {}
    rows = db_session.execute(select(StockLine.emplacement_id, StockLine.produit_id, StockLine.quantite).where(
        StockLine.emplacement_id.in_(ids), StockLine.produit_id.in_(product_ids)))
    return {(loc, pid): qty for loc, pid, qty in rows}


def _asked(db_session: Session, ids: list[int], product_ids: set[int]) -> dict[tuple[int, int], Decimal]:
    if not ids or not product_ids:
        return {}
    rows = db_session.execute(
        select(StockRequest.technicien_id, StockRequest.produit_id, func.sum(StockRequest.quantite))
        .where(StockRequest.statut == RequestState.OUVERTE, StockRequest.technicien_id.in_(ids),
               StockRequest.produit_id.in_(product_ids))
        .group_by(StockRequest.technicien_id, StockRequest.produit_id))
    return {(tid, pid): Decimal(total or 0) for tid, pid, total in rows}


def load_lists(*, db_session: Session, technicians: list[Technician], day: dt.date) -> list[LoadList]:
    """The load list of each of these technicians for `day`, in their order."""
    rules = regles.rules_by_service(db_session=db_session)
    lists = {t.gazelle_id: LoadList(t, day) for t in technicians if t.gazelle_id}
    for appointment, _ in rendezvous.booked(db_session=db_session, first=day, last=day, technicians=technicians):
        entry = lists[appointment.gazelle_user or ""]  # booked() narrowed to these technicians' users
        entry.appointments.append(appointment)
        entry.a_apporter += rendezvous.lines_to_bring(appointment.notes)
    tallies = {key: tally((s for a in entry.appointments for s in a.services), rules) for key, entry in lists.items()}
    ids = [t.id for t in technicians]
    product_ids = {pid for required, _, _ in tallies.values() for pid in required}
    held, asked = _held(db_session, ids, product_ids), _asked(db_session, ids, product_ids)
    for key, (required, products, uncovered) in tallies.items():
        entry, tid = lists[key], lists[key].technician.id
        entry.sans_regle = uncovered
        entry.lines = sorted((Line(products[pid], qty, held.get((tid, pid), ZERO), asked.get((tid, pid), ZERO))
                              for pid, qty in required.items() if qty > 0), key=lambda line: line.product.code_produit)
    return [lists.get(t.gazelle_id) or LoadList(t, day) for t in technicians]  # type: ignore[arg-type]


def load_list(*, db_session: Session, technician: Technician, day: dt.date) -> LoadList:
    return load_lists(db_session=db_session, technicians=[technician], day=day)[0]


def next_day_with_appointments(*, db_session: Session, technician: Technician, after: dt.date,
                               within: int) -> dt.date | None:
    """The first day after `after` (up to `within` days) on which this technician has an appointment."""
    if not technician.gazelle_id:
        return None
    found = rendezvous.booked(db_session=db_session, first=after + dt.timedelta(days=1),
                              last=after + dt.timedelta(days=within), technicians=[technician])
    return found[0][0].jour if found else None


def needs(*, db_session: Session, technician: Technician, day: dt.date) -> dict[int, tuple[Product, Decimal]]:
    """The day's `a_charger` per product (product id → (product, a_charger)): what « Préparer » also covers."""
    load = load_list(db_session=db_session, technician=technician, day=day)
    return {line.product.id: (line.product, line.a_charger) for line in load.missing}
