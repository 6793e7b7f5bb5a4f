"""Replaying the ledger week by week: forecast from the past only, compare with what was used.

Two aggregated queries read the whole ledger (daily consumption and net change per line, the
days a use emptied a line); everything else is numpy on those arrays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventaire.ateliers.models import Workshop
from inventaire.previsions import method
from inventaire.previsions.service import _as_date, daily_changes, daily_matrices, is_consumption, utc_day
from inventaire.stock.models import StockLine, Transaction

HORIZON_DAYS = 7  # each forecast is judged on the week that follows it
FAST_PER_DAY = 1 / 7  # a line used at least once a week on average over the period: a fast mover
LEAD_DAYS = 3  # a stockout counts as foreseen when announced at least this long before


def plain_mean(daily: np.ndarray, _in_stock: np.ndarray) -> np.ndarray:
    """The naive forecast the method is compared with: the mean over the period."""
    return daily.mean(axis=1)


METHODS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "croston_sba": method.rates, "moyenne": plain_mean,
}


@dataclass
class MethodScore:
    erreurs_absolues: list[float] = field(default_factory=list)
    erreurs_rapides: list[float] = field(default_factory=list)  # the fast movers' weeks only
    prevues: int = 0  # stockouts announced at least LEAD_DAYS ahead

    def mae(self, fast_only: bool = False) -> float:
        errors = self.erreurs_rapides if fast_only else self.erreurs_absolues
        return float(np.mean(errors)) if errors else 0.0


@dataclass
class BacktestResult:
    premier_jour: dt.date | None
    semaines: int
    lignes: int
    consommation_reelle: float
    ruptures: int
    scores: dict[str, MethodScore]

    def wape(self, name: str) -> float:
        """Absolute errors over what was really used (0 when nothing was)."""
        used = self.consommation_reelle
        return sum(self.scores[name].erreurs_absolues) / used if used else 0.0

    def share_foreseen(self, name: str) -> float | None:
        return self.scores[name].prevues / self.ruptures if self.ruptures else None


def _ledger_span(db_session: Session) -> tuple[dt.date, dt.date] | None:
    first, last = db_session.execute(select(func.min(Transaction.created_at), func.max(Transaction.created_at))).one()
    if first is None:
        return None
    return first.date(), last.date()


def _stockout_days(db_session: Session, first_day: dt.date, index: dict[int, int]) -> list[tuple[int, int]]:
    """(line row, day) of each day a use left a line empty."""
    day = utc_day(db_session, Transaction.created_at)
    rows = db_session.execute(
        select(Transaction.stock_line_id, day).where(is_consumption(), Transaction.quantite_apres == 0)
        .group_by(Transaction.stock_line_id, day)
    )
    return sorted((index[line_id], (_as_date(on) - first_day).days) for line_id, on in rows if line_id in index)


def run(
    *, db_session: Session, jours: int = 90, on_week: Callable[[int, int], None] | None = None,
) -> BacktestResult:
    """Forecast each line at the start of every week from the `jours` days before, and score it."""
    span = _ledger_span(db_session)
    if span is None:
        return BacktestResult(None, 0, 0, 0.0, 0, {name: MethodScore() for name in METHODS})
    first_day, last_day = span
    days = (last_day - first_day).days + 1
    changes = daily_changes(db_session=db_session, first_day=first_day, days=days)
    # The vans' lines: a workshop's stock leaves by transfers, which are not consumption.
    workshop_lines = set(db_session.scalars(
        select(StockLine.id).join(Workshop, Workshop.id == StockLine.emplacement_id)))
    line_ids = sorted(set(changes[0].tolist()) - workshop_lines)
    index = {line_id: i for i, line_id in enumerate(line_ids)}
    uses, net = daily_matrices(np.array(line_ids, dtype=np.int64), changes, days)
    balance_before = np.cumsum(net, axis=1) - net  # the balance at the start of each day
    exists_before = (np.cumsum(net != 0, axis=1) - (net != 0)) > 0  # the line had a row before that day
    stockouts = _stockout_days(db_session, first_day, index)
    origins = list(range(jours, days - HORIZON_DAYS + 1, HORIZON_DAYS))
    scores = {name: MethodScore() for name in METHODS}
    predicted: dict[str, dict[tuple[int, int], float]] = {name: {} for name in METHODS}
    real_used, lines_seen = 0.0, set()
    for n, origin in enumerate(origins, start=1):
        live = np.flatnonzero(exists_before[:, origin])
        lines_seen.update(live.tolist())
        window = uses[live, origin - jours:origin]
        in_stock = balance_before[live, origin - jours:origin] > 0
        actual = uses[live, origin:origin + HORIZON_DAYS].sum(axis=1)
        real_used += float(actual.sum())
        fast = window.mean(axis=1) >= FAST_PER_DAY
        for name, estimate in METHODS.items():
            rate = estimate(window, in_stock)
            errors = np.abs(rate * HORIZON_DAYS - actual)
            scores[name].erreurs_absolues.extend(errors.tolist())
            scores[name].erreurs_rapides.extend(errors[fast].tolist())
            with np.errstate(divide="ignore"):
                cover = np.where(rate > 0, np.maximum(balance_before[live, origin], 0) / rate, np.inf)
            for row, days_left in zip(live.tolist(), cover.tolist(), strict=True):
                predicted[name][(row, origin)] = origin + days_left
        if on_week is not None:
            on_week(n, len(origins))
    counted = 0
    for row, day in stockouts:
        announced = [o for o in origins if o <= day - LEAD_DAYS]
        if not announced or announced[-1] < day - LEAD_DAYS - HORIZON_DAYS:
            continue  # before the first forecast, or not covered by a weekly origin
        counted += 1
        for name in METHODS:
            if predicted[name].get((row, announced[-1]), np.inf) <= day + 1:
                scores[name].prevues += 1
    return BacktestResult(first_day + dt.timedelta(days=jours), len(origins), len(lines_seen), real_used,
                          counted, scores)
