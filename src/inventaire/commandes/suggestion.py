"""What to order, per supplier, so that a workshop can refill the vans until the next order.

For each active product:

    to order = what the vans are short of their par levels   (Σ par − quantity, active vans, lines below par)
             + the open requests from the vans
             + the forecast consumption until the next order  (company-wide rate × INVENTAIRE_DELAI_COMMANDE_JOURS)
             − what the workshop holds
             − what sent orders into this workshop still have to deliver

rounded up (whole units for a product counted in whole units, tenths otherwise); only products
with something to order are listed. Drafts are not "on order": nothing has been asked of the
supplier yet. The three needs are added rather than overlapped on purpose: the par shortfall is
what the vans lack today, the forecast what they will use after being refilled, and a request
is a van asking for more than its par level holds. The price proposed is the product's cost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import cast

from sqlalchemy import Table, func, select, type_coerce
from sqlalchemy.orm import Session

from inventaire.ateliers.models import Workshop
from inventaire.catalogue.models import Product
from inventaire.commandes import service as orders
from inventaire.demandes.models import StockRequest
from inventaire.emplacements.models import Location
from inventaire.kit.database import utcnow
from inventaire.kit.enums import LocationKind, RequestState
from inventaire.previsions import service as previsions
from inventaire.stock.ledger import QUANTITY_SUM
from inventaire.stock.models import StockLine

ZERO = Decimal(0)
FORECAST_DAYS = 90  # the period the consumption rate is estimated over (the forecast's default)
_HOLDER = cast(Table, Location.__table__)


@dataclass
class SuggestedLine:
    product: Product
    manque_par: Decimal
    demandes: Decimal
    prevision: Decimal
    stock_atelier: Decimal
    en_commande: Decimal
    a_commander: Decimal

    @property
    def total(self) -> Decimal:
        return (self.a_commander * self.product.prix_unitaire).quantize(Decimal("0.01"))


@dataclass
class SupplierSuggestion:
    fournisseur: str
    lignes: list[SuggestedLine]

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lignes), ZERO)


@dataclass
class Suggestion:
    atelier: Workshop
    delai_jours: int
    generated_at: dt.datetime
    fournisseurs: list[SupplierSuggestion] = field(default_factory=list)
    sans_fournisseur: list[SuggestedLine] = field(default_factory=list)


def _par_shortfalls(db_session: Session) -> dict[int, Decimal]:
    """Per product, Σ (par − quantity) over the lines of active vans below their par level."""
    rows = db_session.execute(
        select(StockLine.produit_id,
               type_coerce(func.sum(StockLine.niveau_par - StockLine.quantite), QUANTITY_SUM))
        .join(_HOLDER, _HOLDER.c.id == StockLine.emplacement_id)
        .where(_HOLDER.c.genre == LocationKind.VEHICULE, _HOLDER.c.actif.is_(True),
               StockLine.niveau_par.is_not(None), StockLine.quantite < StockLine.niveau_par)
        .group_by(StockLine.produit_id)
    ).all()
    return {product_id: total for product_id, total in rows}


def _open_requests(db_session: Session) -> dict[int, Decimal]:
    rows = db_session.execute(
        select(StockRequest.produit_id, type_coerce(func.sum(StockRequest.quantite), QUANTITY_SUM))
        .where(StockRequest.statut == RequestState.OUVERTE)
        .group_by(StockRequest.produit_id)
    ).all()
    return {product_id: total for product_id, total in rows}


def _workshop_stock(db_session: Session, workshop: Workshop) -> dict[int, Decimal]:
    rows = db_session.execute(
        select(StockLine.produit_id, StockLine.quantite).where(StockLine.emplacement_id == workshop.id)).all()
    return {product_id: quantite for product_id, quantite in rows}


def _forecast_until_next_order(db_session: Session, days: int, now: dt.datetime) -> dict[str, Decimal]:
    """Per product code, the company-wide rate (vans only: transfers are not consumption) × days."""
    report = previsions.forecast(db_session=db_session, holder=None, jours=FORECAST_DAYS, now=now)
    return {p.code_produit: p.consommation_par_jour * days for p in report.produits or []}


def rounded_up(amount: Decimal, product: Product) -> Decimal:
    """What a supplier is asked for: whole units for a whole product, tenths otherwise."""
    step = Decimal(1) if not product.divisible else Decimal("0.1")
    return (amount / step).to_integral_value(rounding=ROUND_CEILING) * step


def suggest(*, db_session: Session, workshop: Workshop, days: int, now: dt.datetime | None = None) -> Suggestion:
    """The suggestion for this workshop, grouped by supplier; products without a supplier apart."""
    now = now or utcnow()
    par, requests = _par_shortfalls(db_session), _open_requests(db_session)
    forecast = _forecast_until_next_order(db_session, days, now)
    held, ordered = _workshop_stock(db_session, workshop), orders.on_order(db_session=db_session, workshop=workshop)
    products = db_session.scalars(select(Product).where(Product.actif.is_(True)).order_by(Product.code_produit))
    lines: list[SuggestedLine] = []
    for product in products:
        short, asked = par.get(product.id, ZERO), requests.get(product.id, ZERO)
        usage = forecast.get(product.code_produit, ZERO)
        if not (short or asked or usage):
            continue
        stocked, coming = held.get(product.id, ZERO), ordered.get(product.id, ZERO)
        missing = short + asked + usage - stocked - coming
        if missing > 0:
            lines.append(SuggestedLine(product, short, asked, usage, stocked, coming, rounded_up(missing, product)))
    result = Suggestion(atelier=workshop, delai_jours=days, generated_at=now.replace(microsecond=0))
    by_supplier: dict[str, list[SuggestedLine]] = {}
    for line in lines:
        supplier = " ".join((line.product.fournisseur or "").split())
        if supplier:
            by_supplier.setdefault(supplier, []).append(line)
        else:
            result.sans_fournisseur.append(line)
    result.fournisseurs = [SupplierSuggestion(name, by_supplier[name]) for name in sorted(by_supplier, key=str.casefold)]
    return result
