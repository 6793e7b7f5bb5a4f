"""The PLS term of the forecast: the parts the pianos coming due will take.

Extrapolating past consumption sees last year's PLS maintenance as a rate; the cycle says when
each piano comes back. So, for a product the PLS maintenance consumes, over the days ahead:

    forecast = max(rate − the PLS maintenance's own part of it, 0) × days  +  the parts of the pianos due

The PLS part of the rate is what the PLS maintenance lines billed over the rate's period consumed
under the rules, per day. A piano is due in the window when its last maintenance plus the usual
interval between two maintenances (twelve months until twenty pianos were seen twice) falls in
it; its parts are the rules of the service of its last maintenance. A piano later than that was
counted in an earlier window and is not counted again: counting late pianos two more months
doubled the backtest's monthly error (bench/pls_backtest.py). The office's list still shows them.
A piano with a booked appointment is the booked demand's (pianos.service.booked_appointments),
not counted here.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventaire.pianos.models import PianoService
from inventaire.pianos.service import booked_appointments
from inventaire.regles.models import ConsumptionRule

MIN_INTERVALS = 20  # pianos seen twice before the usual interval replaces twelve months
Parts = dict[int, Decimal]  # per product id


def _lines(db_session: Session, services: set[str], before: dt.date) -> list[tuple[str, str | None, dt.date]]:
    """(piano, service, day) of the PLS maintenance lines dated before `before`, oldest first."""
    if not services:
        return []
    return [tuple(r) for r in db_session.execute(  # type: ignore[misc]
        select(PianoService.piano_id, PianoService.service_id, PianoService.date_service)
        .where(PianoService.service_id.in_(services), PianoService.annule.is_(False),
               PianoService.date_service < before)
        .order_by(PianoService.date_service, PianoService.id))]


def _add(parts: Parts, rules: list[ConsumptionRule]) -> None:
    for rule in rules:
        parts[rule.produit_id] = parts.get(rule.produit_id, Decimal(0)) + rule.quantite


def billed(*, db_session: Session, services: set[str], rules: dict[str, list[ConsumptionRule]],
           first: dt.date, end: dt.date) -> Parts:
    """What the PLS maintenance lines dated in [first, end) consumed under the rules."""
    parts: Parts = defaultdict(Decimal)
    for _piano, service, day in _lines(db_session, services, end):
        if day >= first:
            _add(parts, rules.get(service or "", []))
    return dict(parts)


def due(*, db_session: Session, services: set[str], rules: dict[str, list[ConsumptionRule]],
        first: dt.date, end: dt.date) -> tuple[Parts, int]:
    """The parts of the pianos due in [first, end), from what was known before `first`; and how many pianos."""
    last: dict[str, tuple[str | None, dt.date]] = {}
    intervals: list[int] = []
    for piano, service, day in _lines(db_session, services, first):
        if piano in last and (day - last[piano][1]).days > 180:  # a second visit the same season is no cycle
            intervals.append((day - last[piano][1]).days)
        last[piano] = (service, day)
    # Pianos come back a little after twelve months (clients book late): the usual interval, once known.
    cycle = dt.timedelta(days=int(statistics.median(intervals)) if len(intervals) >= MIN_INTERVALS else 365)
    booked = booked_appointments(db_session=db_session, piano_ids=set(last))
    parts: Parts = {}
    pianos = 0
    for piano, (service, day) in last.items():
        coming = day + cycle
        if first <= coming < end and piano not in booked:
            pianos += 1
            _add(parts, rules.get(service or "", []))
    return parts, pianos


def with_pls_term(*, rate: Decimal, billed_in_period: Decimal, period_days: int, days: int,
                  due_parts: Decimal) -> Decimal:
    """The forecast of one product over `days`, the PLS maintenance taken out of the rate and counted by piano."""
    other = max(rate - billed_in_period / period_days, Decimal(0))
    return other * days + due_parts
