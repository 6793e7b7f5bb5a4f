"""Booked demand: what the stored appointments of the coming days consume under the rules, per day.

The horizon is the appointments' window (today → INVENTAIRE_GAZELLE_JOURS_AVENIR days, local
days in INVENTAIRE_TZ), which the Gazelle sync keeps stored. A van's booked demand is that of its
technician's appointments (their Gazelle user); a workshop books nothing; a product's
company-wide booked demand counts every appointment, those of Gazelle users mapped to no
technician included. Services no rule covers and free-text items take nothing (the rules page
lists them). The appointments are read once per forecast, whatever the number of lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy.orm import Session

from inventaire.chargement.service import tally
from inventaire.emplacements.models import Location
from inventaire.kit.config import Settings
from inventaire.kit.database import utcnow
from inventaire.regles import service as regles
from inventaire.rendezvous import reading
from inventaire.rendezvous import service as rendezvous
from inventaire.techniciens.models import Technician

Parts = dict[tuple[dt.date, int], Decimal]  # (local day, product id) → parts


@dataclass(frozen=True)
class Horizon:
    """The booked days: `first` (today, local) to `last`, both inclusive."""

    first: dt.date
    last: dt.date

    @classmethod
    def of(cls, *, settings: Settings, now: dt.datetime | None = None) -> Horizon:
        today = (now or utcnow()).astimezone(ZoneInfo(settings.tz)).date()
        return cls(*reading.window(today=today, jours=settings.gazelle_jours_avenir))


@dataclass
class BookedDemand:
    """Parts booked per holder id, by Gazelle users mapped to no technician, and company-wide,
    each as {(day, product id): parts}."""

    horizon: Horizon
    by_holder: dict[int, Parts] = field(default_factory=dict)
    unmapped: Parts = field(default_factory=dict)
    by_product: Parts = field(default_factory=dict)

    def holder_days(self, start: dt.date, days: int) -> dict[tuple[int, int], np.ndarray]:
        """Per (holder id, product id), the parts of each day from `start` on (`days` entries, float)."""
        out: dict[tuple[int, int], np.ndarray] = {}
        for holder_id, parts in self.by_holder.items():
            out.update(((holder_id, product_id), row) for product_id, row in _per_day(parts, start, days).items())
        return out

    def product_days(self, start: dt.date, days: int) -> dict[int, np.ndarray]:
        """Per product id, the company-wide parts of each day from `start` on."""
        return _per_day(self.by_product, start, days)


def _per_day(parts: Parts, start: dt.date, days: int) -> dict[int, np.ndarray]:
    """Per product id, `parts` laid out day by day from `start` on (`days` entries; days outside left out)."""
    out: dict[int, np.ndarray] = {}
    for (day, product_id), qty in parts.items():
        index = (day - start).days
        if 0 <= index < days:
            out.setdefault(product_id, np.zeros(days))[index] += float(qty)
    return out


def line_rows(demand: BookedDemand | None, lines: list[tuple[int, int]], today: dt.date) -> np.ndarray:
    """The (lines × booked days) parts of lines given as (holder id, product id), day 0 = today; a
    booked day already past in UTC (the evening in Montréal) is left out: its appointments are done."""
    if demand is None:
        return np.zeros((len(lines), 0))
    days = max((demand.horizon.last - today).days + 1, 0)
    rows = np.zeros((len(lines), days))
    per_line = demand.holder_days(today, days)
    if per_line:
        index = {key: i for i, key in enumerate(lines)}
        for key, parts in per_line.items():
            if key in index:
                rows[index[key]] = parts
    return rows


def read(*, db_session: Session, horizon: Horizon, holder: Location | None) -> BookedDemand:
    """The booked demand of `holder` (None: every van, and company-wide) over the horizon, in two queries."""
    demand = BookedDemand(horizon)
    if holder is not None and not isinstance(holder, Technician):
        return demand  # a workshop: its stock leaves by transfers, never by appointments
    technicians = [holder] if holder is not None else None
    found = rendezvous.booked_services(db_session=db_session, first=horizon.first, last=horizon.last,
                                       technicians=technicians)
    if not found:
        return demand
    # The services of each (technician, day) summed first, then the rules applied once to each sum:
    # thousands of appointments book a few dozen distinct services.
    services: dict[tuple[int | None, dt.date], dict[str, Decimal]] = {}
    for day, technician_id, items in found:
        booked = services.setdefault((technician_id, day), {})
        for item in items:
            if item["service_id"]:  # a free-text item takes nothing
                booked[item["service_id"]] = booked.get(item["service_id"], Decimal(0)) + Decimal(item["quantite"])
    rules = regles.rules_by_service(db_session=db_session)
    for (technician_id, day), booked in services.items():
        required, _, _ = tally(({"service_id": s, "quantite": q} for s, q in booked.items()), rules)
        mine = demand.by_holder.setdefault(technician_id, {}) if technician_id is not None else demand.unmapped
        for product_id, qty in required.items():
            if qty > 0:
                key = (day, product_id)
                demand.by_product[key] = demand.by_product.get(key, Decimal(0)) + qty
                mine[key] = mine.get(key, Decimal(0)) + qty
    return demand
