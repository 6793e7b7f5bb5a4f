"""Stock over time, rebuilt from the ledger: each line's quantity after every change, and
monthly consumption (the `utilisation` rows) per product."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventaire.catalogue.models import Product
from inventaire.emplacements.models import Location
from inventaire.kit.enums import TransactionType
from inventaire.stock.models import StockLine, Transaction
from inventaire.stock.reading import threshold_of


@dataclass
class Point:
    at: dt.datetime
    quantite: Decimal
    transaction_id: int


@dataclass
class LineHistory:
    technicien: str
    quantite: Decimal  # the balance now
    seuil: Decimal  # the threshold in effect now (thresholds have no history)
    points: list[Point]


def quantity_history(
    *, db_session: Session, product: Product, location: Location | None, since: dt.datetime | None,
    default: Decimal,
) -> list[LineHistory]:
    """Each line of the product (one location's, or every one's): `quantite_apres` over `created_at`.

    With `since`, a line starts at its level at that moment (the last change before it).
    """
    lines_query = select(StockLine).join(StockLine.emplacement).where(StockLine.produit_id == product.id)
    if location is not None:
        lines_query = lines_query.where(StockLine.emplacement_id == location.id)
    histories = []
    for line in db_session.scalars(lines_query.order_by(Location.nom_cle)):
        rows = select(Transaction).where(Transaction.stock_line_id == line.id)
        points = []
        if since is not None:
            before = db_session.scalar(
                rows.where(Transaction.created_at < since)
                .order_by(Transaction.created_at.desc(), Transaction.id.desc()).limit(1)
            )
            if before is not None:
                points.append(Point(since, before.quantite_apres, before.id))
            rows = rows.where(Transaction.created_at >= since)
        points += [
            Point(t.created_at, t.quantite_apres, t.id)
            for t in db_session.scalars(rows.order_by(Transaction.created_at, Transaction.id))
        ]
        histories.append(LineHistory(line.emplacement.nom, line.quantite, threshold_of(line, default), points))
    return histories


@dataclass
class MonthlyUse:
    code_produit: str
    nom_produit: str
    unite: str
    par_mois: list[Decimal] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum(self.par_mois, Decimal(0))


def month_starts(today: dt.date, months: int) -> list[dt.date]:
    """The first day of each of the last `months` months, oldest first, this month included."""
    index = today.year * 12 + today.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def monthly_consumption(
    *, db_session: Session, location: Location | None, months: int, zone: ZoneInfo,
    now: dt.datetime,
) -> tuple[list[dt.date], list[MonthlyUse]]:
    """Quantities used per product and calendar month (in the company's timezone), most used first."""
    starts = month_starts(now.astimezone(zone).date(), months)
    since = dt.datetime.combine(starts[0], dt.time(), zone)
    query = (
        select(Transaction.created_at, Transaction.ajustement, Product.code_produit, Product.nom_produit,
               Product.unite)
        .join(Product, Product.id == Transaction.produit_id)
        .where(Transaction.type == TransactionType.UTILISATION, Transaction.created_at >= since)
    )
    if location is not None:
        query = query.where(Transaction.emplacement_id == location.id)
    slots = {(d.year, d.month): i for i, d in enumerate(starts)}
    uses: dict[str, MonthlyUse] = {}
    for at, delta, code, nom, unite in db_session.execute(query):
        local = at.astimezone(zone)
        slot = slots.get((local.year, local.month))
        if slot is None:  # dated after `now` (a clock ahead): not in any month shown
            continue
        use = uses.setdefault(code, MonthlyUse(code, nom, unite, [Decimal(0)] * len(starts)))
        use.par_mois[slot] -= delta  # uses are negative changes
    return starts, sorted(uses.values(), key=lambda u: (-u.total, u.code_produit))
