"""The company's name and address: one row, set by the office (the settings are its defaults)."""

import datetime as dt

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.kit.database import Base, UTCDateTime, utcnow

# The one row's id: a CHECK keeps the table at one row whoever writes it.
ONLY = 1


class Company(Base):
    __tablename__ = "entreprise"
    __table_args__ = (CheckConstraint(f"id = {ONLY}", name="une_seule_ligne"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, default=ONLY)
    nom: Mapped[str] = mapped_column(String(120))
    # Address lines as typed, one per line (« \n »): a street, then city, province and postal code.
    adresse: Mapped[str | None] = mapped_column(String(300), nullable=True)
    telephone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    courriel: Mapped[str | None] = mapped_column(String(254), nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
