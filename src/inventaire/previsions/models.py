"""The daily snapshot of booked demand: what the appointments of the coming days were to consume, as
seen on each day, so that the booked term can be backtested later against what was really used.

One row per (snapshot day, holder, product, booked day). Written by the appointments' refresh
(tasks/rendezvous_run.py) once they are stored; a second refresh the same day replaces that
day's rows. Kept without limit: about 14 days × the products booked × the vans a day, a year of
it is a few hundred thousand small rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.kit.database import Base, Quantity, UTCDateTime, utcnow


class BookedSnapshot(Base):
    __tablename__ = "demandes_reservees"
    __table_args__ = (Index("ix_demandes_reservees_instantane_produit", "instantane", "produit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instantane: Mapped[dt.date] = mapped_column(Date)  # the local day (INVENTAIRE_TZ) the snapshot was taken
    # The van whose appointments these are; None: a Gazelle user mapped to no technician.
    emplacement_id: Mapped[int | None] = mapped_column(ForeignKey("emplacements.id"), nullable=True)
    produit_id: Mapped[int] = mapped_column(ForeignKey("produits_catalogue.id"))
    jour: Mapped[dt.date] = mapped_column(Date)  # the booked day
    quantite: Mapped[Decimal] = mapped_column(Quantity())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
