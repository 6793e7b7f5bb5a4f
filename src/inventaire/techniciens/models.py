"""Technicians: the people who carry stock in their van (a location of kind `vehicule`)."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.emplacements.models import NOM_MAX, Location, clean_name, name_key
from inventaire.kit.enums import LocationKind

__all__ = ["GAZELLE_ID_MAX", "NOM_MAX", "Technician", "clean_name", "name_key"]

GAZELLE_ID_MAX = 60


class Technician(Location):
    __tablename__ = "techniciens"
    __mapper_args__ = {"polymorphic_identity": LocationKind.VEHICULE}

    # The location's id: ids of technicians did not change when locations came.
    id: Mapped[int] = mapped_column(ForeignKey("emplacements.id"), primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    # The Gazelle user (usr_…) whose invoices are this technician's work; unique when set.
    gazelle_id: Mapped[str | None] = mapped_column(String(GAZELLE_ID_MAX), nullable=True, unique=True)
