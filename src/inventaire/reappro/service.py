"""Replenishment to par: the picking list of a van from a workshop, and preparing it in one transaction.

The list has one item per line of the van below its par level (`a_apporter` = par − quantity)
and one per open request of the van (`a_apporter` = what was asked). Preparing locks every
line involved in the stock service's fixed order, moves what the workshop has (up to
`a_apporter`, requests first), closes the requests it served, and reports what it could not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventaire.ateliers.models import Workshop
from inventaire.catalogue.models import Product
from inventaire.demandes import service as demandes
from inventaire.demandes.models import StockRequest
from inventaire.kit.enums import MovementCause, RequestState
from inventaire.stock import reading as stock_lines
from inventaire.stock import service as stock
from inventaire.stock.models import StockLine
from inventaire.techniciens.models import Technician

ZERO = Decimal(0)


@dataclass
class PickItem:
    product: Product
    quantite: Decimal  # in the van now
    niveau_par: Decimal | None
    a_apporter: Decimal
    disponible_atelier: Decimal
    demande: StockRequest | None = None  # None: a line below its par level (or needed on the day asked)
    a_charger: Decimal = ZERO  # what the day's appointments still need (chargement/), when a day was asked


@dataclass
class Shortfall:
    item: PickItem
    a_apporter: Decimal  # what was still wanted when its turn came
    transfere: Decimal
    raison: str = "l'atelier n'en avait pas assez"

    @property
    def manque(self) -> Decimal:
        return self.a_apporter - self.transfere


@dataclass
class Prepared:
    transfers: list[stock.Transfer] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)
    served: list[StockRequest] = field(default_factory=list)


def _par_short(item: PickItem) -> Decimal:
    return max(item.niveau_par - item.quantite, ZERO) if item.niveau_par is not None and item.demande is None else ZERO


def picking_list(*, db_session: Session, technician: Technician, workshop: Workshop, lock: bool = False,
                 needs: dict[int, tuple[Product, Decimal]] | None = None) -> list[PickItem]:
    """Lines below par, then open requests, by product code; with what the workshop holds of each.

    `lock` (« Préparer ») locks the open requests first, before any stock line, as serving and
    refusing one do: a request is served once, and the two never wait on each other in a cycle.
    `needs` (product id → (product, a_charger)): a day's load list; a line then brings the larger of
    its par shortfall and that day's need (open requests are already counted in a_charger).
    """
    needs = {pid: need for pid, need in (needs or {}).items() if need[1] > 0}
    requests = demandes.list_requests(db_session=db_session, statut=RequestState.OUVERTE, technician=technician,
                                      lock=lock)
    van = {line.produit_id: line for line in stock_lines.list_lines(db_session=db_session, location=technician)}
    products = ({line.produit_id: line.produit for line in van.values()} | {r.produit_id: r.produit for r in requests}
                | {pid: product for pid, (product, _) in needs.items()})
    held = dict(db_session.execute(
        select(StockLine.produit_id, StockLine.quantite)
        .where(StockLine.emplacement_id == workshop.id, StockLine.produit_id.in_(products))
    ).all()) if products else {}
    items = [
        PickItem(line.produit, line.quantite, line.niveau_par, line.niveau_par - line.quantite,
                 held.get(line.produit_id, ZERO))
        for line in van.values() if line.niveau_par is not None and line.quantite < line.niveau_par
    ]
    below = {item.product.id: item for item in items}
    for pid, (product, amount) in needs.items():
        item = below.get(pid)
        if item is None:
            line = van.get(pid)
            item = PickItem(product, line.quantite if line else ZERO, line.niveau_par if line else None, ZERO,
                            held.get(pid, ZERO))
            items.append(item)
        item.a_charger, item.a_apporter = amount, max(item.a_apporter, amount)
    for request in requests:
        line = van.get(request.produit_id)
        items.append(PickItem(request.produit, line.quantite if line else ZERO, line.niveau_par if line else None,
                              request.quantite, held.get(request.produit_id, ZERO), request))
    items.sort(key=lambda i: (i.product.code_produit, i.demande is None, i.demande.id if i.demande else 0))
    return items


def prepare(*, db_session: Session, technician: Technician, workshop: Workshop, auteur: str,
            needs: dict[int, tuple[Product, Decimal]] | None = None) -> Prepared:
    """Make every transfer of the picking list that the workshop can serve, in the caller's transaction."""
    items = picking_list(db_session=db_session, technician=technician, workshop=workshop, lock=True, needs=needs)
    products = {i.product.id: i.product for i in items}
    # The van's line is created (locked in the fixed order) only for what the workshop held when the list
    # was read: a product it cannot send must not appear in the van at zero, an alert out of nothing.
    # Should the workshop receive it meanwhile, the transfer creates the line itself.
    held = {i.product.id for i in items if i.disponible_atelier > 0}
    locked = stock.lock_lines(db_session=db_session, pairs=[
        pair for p in products.values() for pair in ((workshop, p, False), (technician, p, p.id in held))])
    available = {pid: (line.quantite if (line := locked[(workshop.id, pid)]) else ZERO) for pid in products}
    outcome = Prepared()
    brought = dict.fromkeys(products, ZERO)
    # Requests first (someone asked), then the par levels; each takes what is left of the product, and
    # what requests brought counts towards the par level (not towards the day's need: a_charger counted them).
    for item in sorted(items, key=lambda i: (i.demande is None, i.product.code_produit)):
        wanted = item.a_apporter if item.demande else max(_par_short(item) - brought[item.product.id], item.a_charger)
        amount, why = _servable(item, wanted, available[item.product.id])
        if amount > 0:
            reference = f"Demande #{item.demande.id}" if item.demande else "Réapprovisionnement"
            cause = MovementCause.DEMANDE if item.demande else MovementCause.PREPARATION
            moved = stock.transfer(db_session=db_session, source=workshop, target=technician, product=item.product,
                                   quantity=amount, auteur=auteur, reference=reference, cause=cause,
                                   cause_id=item.demande.id if item.demande else None)
            available[item.product.id] -= amount
            brought[item.product.id] += amount
            outcome.transfers.append(moved)
            if item.demande is not None:
                demandes.close_served(request=item.demande, workshop=workshop, quantity=amount,
                                      entry_id=moved.entree.id)
                outcome.served.append(item.demande)
        if amount < wanted:
            outcome.shortfalls.append(Shortfall(item, wanted, max(amount, ZERO), why))
    db_session.flush()
    return outcome


def _servable(item: PickItem, wanted: Decimal, available: Decimal) -> tuple[Decimal, str]:
    """What can be moved for this item, and why not more.

    A product counted in whole units moves whole units only: a request for a fraction of one (asked
    before such requests were refused) is left for the office to correct or serve by hand, and a
    fractional par level brings the whole units below it. Either way the rest of the list is served.
    """
    short = "l'atelier n'en avait pas assez"
    if item.product.divisible:
        return min(wanted, available), short
    if item.demande is not None and wanted != wanted.to_integral_value():
        return ZERO, ("fraction d'un produit compté en unités entières : servez une quantité entière "
                      "ou refusez la demande")
    amount = min(wanted, available).to_integral_value(rounding=ROUND_FLOOR)
    if amount < min(wanted, available):
        return amount, "se compte en unités entières"
    return amount, short
