"""Technicians: the people who carry stock in their van (a location of kind `vehicule`)."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.emplacements.models import NOM_MAX, Location, LocationKind, clean_name, name_key

__all__ = ["NOM_MAX", "Technician", "clean_name", "name_key"]


class Technician(Location):
    __tablename__ = "techniciens"
    __mapper_args__ = {"polymorphic_identity": LocationKind.VEHICULE}

    # The location's id: ids of technicians did not change when locations came.
    id: Mapped[int] = mapped_column(ForeignKey("emplacements.id"), primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
