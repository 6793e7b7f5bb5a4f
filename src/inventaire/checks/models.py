"""Stored runs of the low-stock check."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.database import Base, Quantity, UTCDateTime, utcnow


class Verification(Base):
    __tablename__ = "verifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    technicien_id: Mapped[int | None] = mapped_column(ForeignKey("techniciens.id"), nullable=True, index=True)
    seuil_critique: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    generated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    total_alertes: Mapped[int] = mapped_column(Integer)
    alertes_critiques: Mapped[int] = mapped_column(Integer)
    declenchee_par: Mapped[str] = mapped_column(String(120))
    # The whole report, exactly as it was answered.
    rapport: Mapped[dict] = mapped_column(JSON)
