"""Technicians: the people who carry stock."""

import datetime as dt
import unicodedata

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.database import Base, UTCDateTime, utcnow

NOM_MAX = 60
GAZELLE_ID_MAX = 60


def clean_name(nom: str) -> str:
    """A name as stored: trimmed, single spaces, composed accents (NFC: "é" typed either way)."""
    return unicodedata.normalize("NFC", " ".join(nom.split()))


def name_key(nom: str) -> str:
    """The case-insensitive key a name is found by (`nicolas` finds `Nicolas`)."""
    return clean_name(nom).casefold()


class Technician(Base):
    __tablename__ = "techniciens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nom: Mapped[str] = mapped_column(String(NOM_MAX))
    # Unique on the folded name: "Allan" and "allan" are one person.
    nom_cle: Mapped[str] = mapped_column(String(NOM_MAX), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    actif: Mapped[bool] = mapped_column(Boolean, default=True)
    # The Gazelle user (usr_…) whose invoices are this technician's work; unique when set.
    gazelle_id: Mapped[str | None] = mapped_column(String(GAZELLE_ID_MAX), nullable=True, unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
