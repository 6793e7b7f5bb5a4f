"""What to order, per supplier, so that a workshop can refill the vans and keep its own reserve until
the order after this one arrives.

For each active product:

    to order = what the vans are short of their par levels   (Σ par − quantity, active vans, lines below par)
             + the open requests from the vans
             + the forecast consumption until the next order arrives
                   (company-wide rate × (INVENTAIRE_DELAI_COMMANDE_JOURS + the supplier's lead time);
                   for the parts of the PLS maintenance, the pianos coming due instead of last
                   year's maintenance as a rate: pianos/forecast.py;
                   plus, on the booked days within that window, what the booked appointments take
                   above the rate: each such day counts max(its bookings, the rate), as in the forecast)
             + the workshop's own reserve                     (its line's par level; without one, just above
                                                               its threshold: threshold + 1 unit, or + 0.1)
             − what the workshop holds
             − what sent orders into this workshop still have to deliver

rounded up (whole units for a product counted in whole units, tenths otherwise); only products
with something to order are listed. Drafts are not "on order": nothing has been asked of the
supplier yet. The needs are added rather than overlapped on purpose: the par shortfall is what
the vans lack today, the forecast what they will use after being refilled, a request a van
asking for more than its par level holds, and the reserve what the workshop keeps for itself.

So the figure is never below the dashboard's for a workshop line in alert (par − quantity): that
is the reserve's part, and the other needs come on top (the page shows each column). The price
proposed is the product's cost; a supplier whose minimum order the total does not reach is flagged.

The booked term is every appointment's (unmapped Gazelle users included). A PLS piano with an
appointment booked is not due in the PLS term (pianos/forecast.due skips it): its parts are
counted once, here. The bookings are compared with the whole rate, PLS part included: a smaller
addition than against the rest of the rate, never a larger one.
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
from inventaire.fournisseurs.models import Supplier
from inventaire.kit.database import utcnow
from inventaire.kit.enums import LocationKind, RequestState
from inventaire.kit.names import loose_key
from inventaire.pianos import forecast as pls
from inventaire.pianos import service as pianos
from inventaire.previsions import service as previsions
from inventaire.previsions.booked import Horizon
from inventaire.regles import service as regles
from inventaire.stock import reading as stock_lines
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
    reserve_atelier: Decimal
    stock_atelier: Decimal
    en_commande: Decimal
    a_commander: Decimal
    jours_couverts: int
    demande_pls: Decimal = ZERO  # part of `prevision`: the pianos coming due for their PLS maintenance
    demande_reservee: Decimal = ZERO  # part of `prevision`: what the booked days take above the rate

    @property
    def total(self) -> Decimal:
        return (self.a_commander * self.product.prix_unitaire).quantize(Decimal("0.01"))


@dataclass
class SupplierSuggestion:
    fournisseur: str
    lignes: list[SuggestedLine]
    supplier: Supplier | None = None

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lignes), ZERO)

    @property
    def sous_le_minimum(self) -> bool:
        minimum = self.supplier.minimum_commande if self.supplier is not None else None
        return minimum is not None and self.total < minimum


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


def _step(product: Product) -> Decimal:
    return Decimal(1) if not product.divisible else Decimal("0.1")


def _workshop_lines(db_session: Session, workshop: Workshop, default: Decimal) -> dict[int, tuple[Decimal, Decimal]]:
    """Per product id, (what the workshop holds, the reserve it keeps: its par level, else just above its threshold)."""
    lines = db_session.scalars(select(StockLine).where(StockLine.emplacement_id == workshop.id))
    out = {}
    for line in lines:
        reserve = line.niveau_par
        if reserve is None:
            reserve = stock_lines.threshold_of(line, default) + _step(line.produit)
        out[line.produit_id] = (line.quantite, reserve)
    return out


def _rates(db_session: Session, now: dt.datetime,
           booked: Horizon | None) -> tuple[dict[str, Decimal], dict[int, dict[dt.date, Decimal]]]:
    """Per product code, the company-wide rate per day (vans only: transfers are not consumption);
    per product id, the parts booked on each day of the horizon (every appointment's)."""
    report = previsions.forecast(db_session=db_session, holder=None, jours=FORECAST_DAYS, now=now, booked=booked)
    days: dict[int, dict[dt.date, Decimal]] = {}
    for (day, product_id), qty in (report.reservations.by_product if report.reservations else {}).items():
        days.setdefault(product_id, {})[day] = qty
    return {p.code_produit: p.consommation_par_jour for p in report.produits or []}, days


def above_rate(booked: dict[dt.date, Decimal], rate: Decimal, today: dt.date, days: int) -> Decimal:
    """What the booked days of [today, today + days) take above the rate: Σ max(booked − rate, 0)."""
    return sum((max(qty - rate, ZERO) for day, qty in booked.items() if 0 <= (day - today).days < days), ZERO)


def rounded_up(amount: Decimal, product: Product) -> Decimal:
    """What a supplier is asked for: whole units for a whole product, tenths otherwise."""
    step = _step(product)
    return (amount / step).to_integral_value(rounding=ROUND_CEILING) * step


class _PlsTerm:
    """The PLS maintenance's part of the forecast (pianos/forecast.py), per window length (few suppliers)."""

    def __init__(self, db_session: Session, pads_code: str | None, today: dt.date):
        self.db_session, self.today = db_session, today
        self.services = pianos.pls_services(db_session=db_session, pads_code=pads_code) if pads_code else set()
        self.rules = regles.rules_by_service(db_session=db_session)
        self.products = {r.produit_id for s in self.services for r in self.rules.get(s, [])}
        self.billed = pls.billed(db_session=db_session, services=self.services, rules=self.rules,
                                 first=today - dt.timedelta(days=FORECAST_DAYS), end=today)
        self._due: dict[int, pls.Parts] = {}

    def usage(self, product: Product, rate: Decimal, days: int) -> tuple[Decimal, Decimal]:
        """(the forecast over `days`, its PLS part)."""
        if product.id not in self.products:
            return rate * days, ZERO
        if days not in self._due:
            self._due[days] = pls.due(db_session=self.db_session, services=self.services, rules=self.rules,
                                      first=self.today, end=self.today + dt.timedelta(days=days))[0]
        due = self._due[days].get(product.id, ZERO)
        return pls.with_pls_term(rate=rate, billed_in_period=self.billed.get(product.id, ZERO),
                                 period_days=FORECAST_DAYS, days=days, due_parts=due), due


def suggest(*, db_session: Session, workshop: Workshop, days: int, default_threshold: Decimal,
            now: dt.datetime | None = None, pls_pads: str | None = None, booked: Horizon | None = None) -> Suggestion:
    """The suggestion for this workshop, grouped by supplier; products without a supplier apart.

    `days`: until the next order (INVENTAIRE_DELAI_COMMANDE_JOURS); each supplier's lead time is added.
    `pls_pads`: the PLS pad set's code (INVENTAIRE_PLS_BUVARDS), for the PLS term; `booked`: the
    appointments' horizon, for the booked term (None: none).
    """
    now = now or utcnow()
    term = _PlsTerm(db_session, pls_pads, now.date())
    par, requests = _par_shortfalls(db_session), _open_requests(db_session)
    rates, booked_days = _rates(db_session, now, booked)
    today = now.astimezone(dt.UTC).date()
    held, ordered = _workshop_lines(db_session, workshop, default_threshold), orders.on_order(
        db_session=db_session, workshop=workshop)
    products = db_session.scalars(select(Product).where(Product.actif.is_(True)).order_by(Product.code_produit))
    lines: list[SuggestedLine] = []
    for product in products:
        covered = days + ((product.supplier.delai_jours or 0) if product.supplier is not None else 0)
        short, asked = par.get(product.id, ZERO), requests.get(product.id, ZERO)
        rate = rates.get(product.code_produit, ZERO)
        usage, pls_due = term.usage(product, rate, covered)
        reserved = above_rate(booked_days.get(product.id, {}), rate, today, covered)
        usage += reserved
        stocked, reserve = held.get(product.id, (ZERO, ZERO))
        if not (short or asked or usage or reserve):
            continue
        coming = ordered.get(product.id, ZERO)
        missing = short + asked + usage + reserve - stocked - coming
        if missing > 0:
            lines.append(SuggestedLine(product, short, asked, usage, reserve, stocked, coming,
                                       rounded_up(missing, product), covered, pls_due, reserved))
    result = Suggestion(atelier=workshop, delai_jours=days, generated_at=now.replace(microsecond=0))
    by_supplier: dict[str, list[SuggestedLine]] = {}
    for line in lines:
        if line.product.supplier is not None:
            by_supplier.setdefault(line.product.supplier.nom, []).append(line)
        else:
            result.sans_fournisseur.append(line)
    result.fournisseurs = [SupplierSuggestion(name, found, found[0].product.supplier)
                           for name, found in sorted(by_supplier.items(), key=lambda x: loose_key(x[0]))]
    return result
