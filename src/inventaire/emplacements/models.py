"""Locations: a van (a technician) or a workshop holds stock lines.

Joined-table inheritance: `emplacements` holds what every location has (its name, unique
over all locations whatever the case, its kind, whether it is active); `techniciens` and
`ateliers` hold what only one kind has, keyed by the same id. A technician's id is their
location's id, so stock lines and ledger rows point at `emplacements.id` for both kinds.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.kit.database import Base, UTCDateTime, utcnow
from inventaire.kit.enums import LocationKind
from inventaire.kit.names import clean_name, name_key

__all__ = ["NOM_MAX", "Location", "clean_name", "name_key"]

NOM_MAX = 60


class Location(Base):
    """Anything that holds stock; loaded as its subclass (Technician or Workshop)."""

    __tablename__ = "emplacements"
    __table_args__ = (CheckConstraint(LocationKind.check("genre"), name="genre_connu"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nom: Mapped[str] = mapped_column(String(NOM_MAX))
    # Unique on the folded name over every location: "Allan" and "allan" are one holder,
    # and a workshop cannot take a technician's name.
    nom_cle: Mapped[str] = mapped_column(String(NOM_MAX), unique=True)
    genre: Mapped[LocationKind] = mapped_column(String(20))
    actif: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Subclass columns are loaded in the same query (two small outer joins), so a location
    # read by name never costs a second round trip.
    __mapper_args__ = {"polymorphic_on": "genre", "with_polymorphic": "*"}

    @property
    def is_workshop(self) -> bool:
        return self.genre == LocationKind.ATELIER
