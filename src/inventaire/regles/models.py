"""Consumption rules: a billed service (a Gazelle MSL item `mit_…`, or any code) consumes products."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventaire.catalogue.models import Product
from inventaire.kit.database import Base, Quantity, UTCDateTime, utcnow

SERVICE_ID_MAX = 60


class ConsumptionRule(Base):
    __tablename__ = "regles_consommation"
    __table_args__ = (
        UniqueConstraint("service_id", "produit_id", name="uq_regles_consommation_service_produit"),
        CheckConstraint("quantite > 0", name="quantite_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(String(SERVICE_ID_MAX))  # the unique pair indexes it
    service_nom: Mapped[str | None] = mapped_column(String(200), nullable=True)
    produit_id: Mapped[int] = mapped_column(ForeignKey("produits_catalogue.id"), index=True)
    quantite: Mapped[Decimal] = mapped_column(Quantity())
    notes: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    produit: Mapped[Product] = relationship(lazy="joined", innerjoin=True)
