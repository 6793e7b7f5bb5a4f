"""Taking the day's snapshot of booked demand (models.BookedSnapshot), and reading it back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from inventaire.kit.database import utcnow
from inventaire.previsions import booked as booking
from inventaire.previsions.models import BookedSnapshot


@dataclass(frozen=True)
class SnapshotRow:
    instantane: dt.date
    emplacement_id: int | None
    produit_id: int
    jour: dt.date
    quantite: Decimal


def take(*, db_session: Session, horizon: booking.Horizon) -> int:
    """Replace the snapshot of `horizon.first` (today, local) with the booked demand now; the rows written.

    Every appointment counts, those of Gazelle users mapped to no technician under no holder.
    """
    demand = booking.read(db_session=db_session, horizon=horizon, holder=None)
    db_session.execute(delete(BookedSnapshot).where(BookedSnapshot.instantane == horizon.first))
    now = utcnow()
    holders: list[tuple[int | None, booking.Parts]] = [*demand.by_holder.items(), (None, demand.unmapped)]
    rows = [{"instantane": horizon.first, "emplacement_id": holder_id, "produit_id": product_id, "jour": day,
             "quantite": qty, "created_at": now}
            for holder_id, parts in holders for (day, product_id), qty in sorted(parts.items())]
    if rows:
        db_session.execute(insert(BookedSnapshot), rows)
    db_session.flush()
    return len(rows)


def read(*, db_session: Session, first: dt.date, last: dt.date) -> list[SnapshotRow]:
    """The snapshots taken on days first..last, by snapshot day, holder (no holder last), product and day."""
    query = (select(BookedSnapshot.instantane, BookedSnapshot.emplacement_id, BookedSnapshot.produit_id,
                    BookedSnapshot.jour, BookedSnapshot.quantite)
             .where(BookedSnapshot.instantane.between(first, last))
             .order_by(BookedSnapshot.instantane, BookedSnapshot.emplacement_id.is_(None),
                       BookedSnapshot.emplacement_id, BookedSnapshot.produit_id, BookedSnapshot.jour))
    return [SnapshotRow(*row) for row in db_session.execute(query)]
