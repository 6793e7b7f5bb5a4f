"""A billed service line for one piano, as read from Gazelle's invoices (deducted or not)."""

import datetime as dt

from sqlalchemy import Boolean, Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.kit.database import Base, UTCDateTime, utcnow


class PianoService(Base):
    """One invoice line that names a piano: which service, for which client, on which day.

    Every line with a piano is kept, whatever its service: which services are a PLS maintenance is
    decided when reading (pianos.service.pls_services, from the consumption rules), so a rule added
    later applies to the history too. A cancelled invoice's lines stay, marked `annule`.
    """

    __tablename__ = "services_pianos"
    __table_args__ = (
        UniqueConstraint("source", "ligne_externe", name="uq_services_pianos_ligne"),
        Index("ix_services_pianos_piano_date", "piano_id", "date_service"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    facture_externe: Mapped[str] = mapped_column(String(120))
    ligne_externe: Mapped[str] = mapped_column(String(120))
    piano_id: Mapped[str] = mapped_column(String(120))
    service_id: Mapped[str | None] = mapped_column(String(60), nullable=True, index=True)
    client: Mapped[str | None] = mapped_column(String(200), nullable=True)
    date_service: Mapped[dt.date] = mapped_column(Date)
    annule: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
