"""The forecast: consumption rate, days of cover and predicted stockout of each line and product.

Everything comes from two queries whatever the number of lines: the lines in scope, and the
daily sums of consumption per line over the period (see `daily_changes`); with a booked horizon,
two more read the booked appointments and the rules (booked.py). Over the booked days each day
consumes max(its booked parts, the rate), then the rate alone (cover.py says why).

The PLS term (pianos/forecast.py) is not added to the products' forecast here: it counts the
pianos due within a window, not a daily rate, so it has no place in a day-by-day cover; the order
suggestion, which counts over a window, adds it (commandes/suggestion.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Float, and_, case, cast, func, or_, select, type_coerce
from sqlalchemy.orm import QueryableAttribute, Session

from inventaire.catalogue.models import Product
from inventaire.emplacements.models import Location
from inventaire.kit import database
from inventaire.kit.database import Quantity, utcnow
from inventaire.kit.enums import LocationKind, MovementCause, StockoutSource, TransactionType
from inventaire.previsions import booked as booking
from inventaire.previsions import method
from inventaire.previsions.cover import MAX_COVER_DAYS, Covers, as_cover, cover_days, source
from inventaire.stock.models import StockLine, Transaction

RATE_STEP = Decimal("0.001")
ZERO = Decimal(0)


def is_consumption() -> ColumnElement[bool]:
    """The ledger rows that are consumption: uses, and the corrections of deductions from services.

    A deduction that gives back (an invoice changed after it was deducted) is an `ajustement`
    caused by a deduction: it lowers that day's consumption. Counts, receptions, other
    corrections and transfers (stock moving between a workshop and a van) are not uses.
    """
    return or_(
        Transaction.type == TransactionType.UTILISATION,
        and_(Transaction.type == TransactionType.AJUSTEMENT, Transaction.cause == MovementCause.DEDUCTION),
    )


def utc_day(db_session: Session, column: ColumnElement[Any] | QueryableAttribute[Any]) -> ColumnElement[Any]:
    """The UTC calendar day of a timestamp, in SQL (SQLite keeps UTC timestamps without offset)."""
    if db_session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _float_sum(dialect: str, quantities: Any) -> ColumnElement[float]:
    """A sum of quantities as a float, computed in SQL: a forecast is an estimate, and reading
    one Decimal per line and day was a third of a check's time at 100,000 lines."""
    total = func.sum(quantities)
    if dialect == "sqlite":  # quantities are stored there as integers in thousandths (database.ScaledDecimal)
        return type_coerce(total, Float) * 10.0 ** -Quantity().scale
    return cast(total, Float)


def daily_changes(
    *, db_session: Session, first_day: dt.date, days: int, holder_id: int | None = None,
    until: dt.datetime | None = None, products: Collection[int] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Consumption and net change per stock line and UTC day from `first_day` on, in one aggregated query.

    As four arrays, one entry per (line, day) with a change: line ids, day indexes (0 =
    `first_day`), uses (positive) and net changes. `until` leaves the consumption at or after
    it out (the backtest's "the past only"). Arrays, not objects: at 100,000 lines, one
    object per line and day was most of a check's time (BENCHMARKS.md, issue 15).
    """
    day = utc_day(db_session, Transaction.created_at)
    since = dt.datetime.combine(first_day, dt.time(), dt.UTC)
    consumed = is_consumption() if until is None else and_(is_consumption(), Transaction.created_at < until)
    dialect = db_session.get_bind().dialect.name
    query = (
        select(Transaction.stock_line_id, day,
               _float_sum(dialect, case((consumed, Transaction.ajustement), else_=0)),
               _float_sum(dialect, Transaction.ajustement))
        .where(Transaction.created_at >= since)
        .group_by(Transaction.stock_line_id, day)
    )
    if holder_id is not None:
        query = query.where(Transaction.emplacement_id == holder_id)
    if products is not None:
        query = query.where(Transaction.produit_id.in_(products))
    rows = database.rows(db_session, query).all()
    count = len(rows)
    offsets: dict[Any, int] = {}  # a few distinct days for many rows: each parsed once
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=count)
    index = np.fromiter((offsets[row[1]] if row[1] in offsets else offsets.setdefault(
        row[1], (_as_date(row[1]) - first_day).days) for row in rows), dtype=np.int64, count=count)
    uses = -np.fromiter((row[2] for row in rows), dtype=float, count=count)  # uses are negative changes
    net = np.fromiter((row[3] for row in rows), dtype=float, count=count)
    kept = (index >= 0) & (index < days)
    return ids[kept], index[kept], uses[kept], net[kept]


def daily_matrices(
    line_ids: np.ndarray, changes: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], days: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The (lines × days) arrays of uses and of net changes, rows in the order of `line_ids`."""
    uses, net = np.zeros((len(line_ids), days)), np.zeros((len(line_ids), days))
    ids, index, used, changed = changes
    if len(line_ids) and len(ids):
        order = np.argsort(line_ids)
        found = np.searchsorted(line_ids[order], ids).clip(0, len(line_ids) - 1)
        known = line_ids[order][found] == ids  # lines out of scope (archived products…) are left out
        rows = order[found[known]]
        uses[rows, index[known]], net[rows, index[known]] = used[known], changed[known]
    return uses, net


def in_stock(net: np.ndarray, balance_now: np.ndarray) -> np.ndarray:
    """Whether each line had stock at the start of each day (its balance now, walked back)."""
    after = np.cumsum(net[:, ::-1], axis=1)[:, ::-1]  # what changed from each day on
    stocked: np.ndarray = balance_now[:, None] - after > 0
    return stocked


_HOLDER = Location.__table__  # a van or a workshop


@dataclass
class LineScope:
    """What the forecast needs of a line in scope."""

    id: int
    emplacement_id: int
    technicien: str
    produit_id: int
    code_produit: str
    nom_produit: str
    unite: str
    quantite: Decimal


def lines_in_scope(
    *, db_session: Session, holder: Location | None, products: Collection[int] | None = None,
) -> list[LineScope]:
    """Lines of active holders and active products (or of the one holder asked for), like the check."""
    query = (
        select(StockLine.id, StockLine.emplacement_id, _HOLDER.c.nom, Product.id, Product.code_produit,
               Product.nom_produit, Product.unite, StockLine.quantite)
        .join(_HOLDER, _HOLDER.c.id == StockLine.emplacement_id)
        .join(Product, Product.id == StockLine.produit_id)
        .where(Product.actif.is_(True))
        .order_by(_HOLDER.c.nom_cle, Product.code_produit)
    )
    if products is not None:
        query = query.where(StockLine.produit_id.in_(products))
    if holder is not None:
        query = query.where(StockLine.emplacement_id == holder.id)
    else:  # every active van: a workshop's stock leaves by transfers, which are not consumption
        query = query.where(_HOLDER.c.actif.is_(True), _HOLDER.c.genre == LocationKind.VEHICULE)
    return [LineScope(*row) for row in database.rows(db_session, query)]


@dataclass
class Forecast:
    quantite: Decimal
    consommation_periode: Decimal  # what was used over the period
    consommation_par_jour: Decimal  # the estimated rate (method.py)
    jours_de_couverture: Decimal | None  # None when nothing is used nor booked enough to exhaust it
    rupture_prevue: dt.date | None
    demande_reservee: Decimal  # the parts the booked appointments of the horizon take
    jours_reserves: Decimal  # days of the cover on which the bookings, not the rate, set consumption
    source_rupture: StockoutSource | None  # what exhausts it: the bookings or the rate


@dataclass
class LineForecast(Forecast):
    technicien: str
    code_produit: str
    nom_produit: str
    unite: str


@dataclass
class ProductForecast(Forecast):
    code_produit: str
    nom_produit: str
    unite: str
    lignes: int


def _forecast(quantite: Decimal, used: np.ndarray, rate: float, today: dt.date, covers: Covers, index: int,
              reserved: Decimal) -> dict[str, Any]:
    days, date = as_cover(float(covers.days[index]), today)
    return dict(
        quantite=quantite, consommation_periode=Decimal(repr(round(float(used.sum()), 3))).quantize(RATE_STEP),
        consommation_par_jour=Decimal(repr(round(rate, 3))).quantize(RATE_STEP),
        jours_de_couverture=days, rupture_prevue=date, demande_reservee=reserved.quantize(RATE_STEP),
        jours_reserves=Decimal(repr(round(float(covers.booked_days[index]), 1))),
        source_rupture=source(covers, index),
    )


@dataclass
class ForecastReport:
    generated_at: dt.datetime
    jours: int
    technicien: str | None
    lignes: list[LineForecast]
    produits: list[ProductForecast] | None
    reservations: booking.BookedDemand | None = None  # the booked demand read (None: no horizon given)


def forecast(
    *, db_session: Session, holder: Location | None, jours: int, now: dt.datetime | None = None,
    company_wide: bool = True, stockout_by: dt.date | None = None, keys: AbstractSet[tuple[str, str]] = frozenset(),
    products: Collection[int] | None = None, booked: booking.Horizon | None = None,
) -> ForecastReport:
    """The forecast of each line in scope over the last `jours` days, and per product company-wide.

    With `stockout_by`, only the lines predicted to run out by that date, and those of `keys`
    (holder, product code), are listed: the check needs those few of 100,000 lines. `products`
    (ids) limits the scope to those products' lines (the phone page's changed lines). `booked`:
    the horizon whose appointments count (booked.py); None: the past consumption alone.
    """
    now = now or utcnow()
    today = now.astimezone(dt.UTC).date()
    first_day = today - dt.timedelta(days=jours - 1)
    lines = lines_in_scope(db_session=db_session, holder=holder, products=products)
    changes = daily_changes(db_session=db_session, first_day=first_day, days=jours,
                            holder_id=holder.id if holder else None, until=now, products=products)
    matrix, net = daily_matrices(np.array([line.id for line in lines], dtype=np.int64), changes, jours)
    balances = np.array([float(line.quantite) for line in lines])
    line_rates = method.rates(matrix, in_stock(net, balances)) if lines else np.zeros(0)
    demand = booking.read(db_session=db_session, horizon=booked, holder=holder) if booked and lines else None
    booked_rows = booking.line_rows(demand, [(line.emplacement_id, line.produit_id) for line in lines], today)
    covers = cover_days(balances, line_rates, booked_rows)
    wanted: list[int] | range = range(len(lines))
    if stockout_by is not None:  # the same cover as the lines listed: bookings included
        runs_out = (covers.days <= MAX_COVER_DAYS) & (np.floor(covers.days) <= (stockout_by - today).days)
        wanted = [i for i in range(len(lines)) if runs_out[i] or (lines[i].technicien, lines[i].code_produit) in keys]
    results = [
        LineForecast(technicien=lines[i].technicien, code_produit=lines[i].code_produit,
                     nom_produit=lines[i].nom_produit, unite=lines[i].unite,
                     **_forecast(lines[i].quantite, matrix[i], float(line_rates[i]), today, covers, i,
                                 Decimal(repr(round(float(booked_rows[i].sum()), 3)))))
        for i in wanted
    ]
    per_product = _per_product(lines, matrix, today, demand) if company_wide and holder is None else None
    return ForecastReport(generated_at=now.replace(microsecond=0), jours=jours,
                          technicien=holder.nom if holder else None, lignes=results, produits=per_product,
                          reservations=demand)


def _per_product(lines: list[LineScope], matrix: np.ndarray, today: dt.date,
                 demand: booking.BookedDemand | None) -> list[ProductForecast]:
    """Company-wide: each product's lines summed, day by day, then forecast as one series.

    Its booked demand is every appointment's, those of Gazelle users mapped to no technician included.
    """
    rows: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        rows.setdefault(line.produit_id, []).append(i)
    if not rows:
        return []
    summed = np.array([matrix[indexes].sum(axis=0) for indexes in rows.values()])
    product_rates = method.rates(summed)
    totals = [sum((lines[i].quantite for i in indexes), ZERO) for indexes in rows.values()]
    days = max((demand.horizon.last - today).days + 1, 0) if demand is not None else 0
    per_product = demand.product_days(today, days) if demand is not None else {}
    booked_rows = np.array([per_product.get(pid, np.zeros(days)) for pid in rows]).reshape(len(rows), days)
    covers = cover_days(np.array([float(t) for t in totals]), product_rates, booked_rows)
    results = []
    for k, indexes in enumerate(rows.values()):
        first = lines[indexes[0]]
        results.append(ProductForecast(
            code_produit=first.code_produit, nom_produit=first.nom_produit, unite=first.unite,
            lignes=len(indexes), **_forecast(totals[k], summed[k], float(product_rates[k]), today, covers, k,
                                             Decimal(repr(round(float(booked_rows[k].sum()), 3)))),
        ))
    return sorted(results, key=lambda p: p.code_produit)
