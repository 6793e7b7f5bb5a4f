"""The PLS term judged on the history: month by month, the forecast of the parts of the PLS
maintenance with and without it, against what the vans really used.

At the first day of each month (once `jours` days of history stand before it), for each product
a PLS maintenance consumes (pianos.service.pls_services, under today's rules):
- without: the company-wide rate over the `jours` days before (the forecast's method) × the month's days;
- with: that rate less the PLS maintenance's own part, plus the parts of the pianos coming due in
  the month, from the maintenance known before it (pianos/forecast.py);
and the absolute error of each against the month's real use (vans' uses and deductions).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventaire.emplacements.models import Location, LocationKind
from inventaire.pianos import forecast as pls
from inventaire.pianos.models import PianoService
from inventaire.pianos.service import pls_services
from inventaire.previsions import method
from inventaire.previsions.service import daily_changes
from inventaire.regles import service as regles
from inventaire.stock.models import StockLine, Transaction


@dataclass
class Month:
    mois: dt.date
    reel: float
    sans_pls: float
    avec_pls: float
    pianos_dus: int
    annee_connue: bool  # a year of PLS maintenance was known before the month: the term can know who comes due

    @property
    def erreur_sans(self) -> float:
        return abs(self.sans_pls - self.reel)

    @property
    def erreur_avec(self) -> float:
        return abs(self.avec_pls - self.reel)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _daily_by_product(db_session: Session, products: set[int], first: dt.date, days: int) -> dict[int, np.ndarray]:
    """Per product, the vans' daily uses from `first` on (workshops only transfer)."""
    ids, index, uses, _net = daily_changes(db_session=db_session, first_day=first, days=days, products=products)
    owner = dict(db_session.execute(
        select(StockLine.id, StockLine.produit_id).join(Location, Location.id == StockLine.emplacement_id)
        .where(StockLine.produit_id.in_(products), Location.genre == LocationKind.VEHICULE)).all())
    series = {p: np.zeros(days) for p in products}
    for line, day, used in zip(ids.tolist(), index.tolist(), uses.tolist(), strict=True):
        if line in owner:
            series[owner[line]][day] += used
    return series


def run(*, db_session: Session, pads_code: str, jours: int = 90) -> list[Month]:
    """One row per whole month of the history after the first `jours` days."""
    services = pls_services(db_session=db_session, pads_code=pads_code)
    rules = regles.rules_by_service(db_session=db_session)
    products = {r.produit_id for s in services for r in rules.get(s, [])}
    first, last = db_session.execute(select(func.min(Transaction.created_at), func.max(Transaction.created_at))).one()
    known_since = db_session.scalar(select(func.min(PianoService.date_service)).where(
        PianoService.service_id.in_(services), PianoService.annule.is_(False))) if services else None
    if not products or first is None:
        return []
    start, end = first.date(), last.date() + dt.timedelta(days=1)
    series = _daily_by_product(db_session, products, start, (end - start).days)
    months, month = [], _next_month(start + dt.timedelta(days=jours - 1))
    while _next_month(month) <= end:
        after = _next_month(month)
        origin, length = (month - start).days, (after - month).days
        billed = pls.billed(db_session=db_session, services=services, rules=rules,
                            first=month - dt.timedelta(days=jours), end=month)
        due, pianos = pls.due(db_session=db_session, services=services, rules=rules, first=month, end=after)
        real = without = with_term = 0.0
        for product in products:
            window = series[product][origin - jours:origin][None, :]
            rate = float(method.rates(window)[0])
            real += float(series[product][origin:origin + length].sum())
            without += rate * length
            with_term += float(pls.with_pls_term(
                rate=Decimal(repr(rate)), billed_in_period=billed.get(product, Decimal(0)), period_days=jours,
                days=length, due_parts=due.get(product, Decimal(0))))
        complete = known_since is not None and known_since <= month - dt.timedelta(days=365)
        months.append(Month(month, real, without, with_term, pianos, complete))
        month = after
    return months
