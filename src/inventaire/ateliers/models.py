"""A workshop (atelier): a location that is not a van."""

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.emplacements.models import Location
from inventaire.kit.enums import LocationKind


class Workshop(Location):
    __tablename__ = "ateliers"
    __mapper_args__ = {"polymorphic_identity": LocationKind.ATELIER}

    id: Mapped[int] = mapped_column(ForeignKey("emplacements.id"), primary_key=True)
