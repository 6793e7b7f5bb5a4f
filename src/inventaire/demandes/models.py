"""A request (demande) from a van for a quantity of one product."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventaire.ateliers.models import Workshop
from inventaire.catalogue.models import Product
from inventaire.kit.database import Base, Quantity, UTCDateTime, utcnow
from inventaire.kit.enums import RequestState
from inventaire.techniciens.models import Technician


class StockRequest(Base):
    __tablename__ = "demandes"
    __table_args__ = (
        CheckConstraint(RequestState.check("statut"), name="statut_connu"),
        CheckConstraint("quantite > 0", name="quantite_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    technicien_id: Mapped[int] = mapped_column(ForeignKey("techniciens.id"), index=True)
    produit_id: Mapped[int] = mapped_column(ForeignKey("produits_catalogue.id"))
    quantite: Mapped[Decimal] = mapped_column(Quantity())
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    statut: Mapped[str] = mapped_column(String(20), default=RequestState.OUVERTE, index=True)
    auteur: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    motif_refus: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # Served: from which workshop, how much, and the transfer's entry row into the van.
    atelier_id: Mapped[int | None] = mapped_column(ForeignKey("ateliers.id"), nullable=True)
    quantite_servie: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("transactions_inventaire.id"), nullable=True)
    # When the office was told (once): set by the one notifier that claims it.
    notifiee_le: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    technicien: Mapped[Technician] = relationship(lazy="joined", innerjoin=True)
    produit: Mapped[Product] = relationship(lazy="joined", innerjoin=True)
    atelier: Mapped[Workshop | None] = relationship(lazy="joined")
