"""What each completed service (an invoice) has consumed: its last applied version and, per line
and product, what the ledger holds for it, so that every reconciliation is exact."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventaire.catalogue.models import Product
from inventaire.kit.database import Base, Quantity, UTCDateTime, utcnow
from inventaire.kit.enums import ServiceStatus
from inventaire.techniciens.models import Technician


class DeductedService(Base):
    """One completed service of one source, as last applied; its row is the lock of its reconciliation."""

    __tablename__ = "services_deduits"
    __table_args__ = (
        UniqueConstraint("source", "id_externe", name="uq_services_deduits_source_id"),
        CheckConstraint(ServiceStatus.check("statut"), name="statut_connu"),
        Index("ix_services_deduits_date", "date_service"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    id_externe: Mapped[str] = mapped_column(String(120))
    numero: Mapped[str | None] = mapped_column(String(40), nullable=True)
    statut: Mapped[str] = mapped_column(String(10))
    technicien_id: Mapped[int | None] = mapped_column(ForeignKey("techniciens.id"), nullable=True, index=True)
    client: Mapped[str | None] = mapped_column(String(200), nullable=True)
    date_service: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # The source's own version (Gazelle's updatedAt): an older one arriving late is ignored.
    version: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Digest of the input and of what it was resolved with (technician, rules): equal means nothing to do.
    empreinte: Mapped[str] = mapped_column(String(64))
    lignes: Mapped[list] = mapped_column(JSON)  # the lines as last applied, for the pages
    non_deduites: Mapped[list] = mapped_column(JSON)  # lines (or parts) not taken, with why
    manque_ouvert: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    technicien: Mapped[Technician | None] = relationship(lazy="joined")
    deductions: Mapped[list[Deduction]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="Deduction.id"
    )

    @property
    def reference(self) -> str:
        """The ledger reference of this service's rows: « Facture #7140 », or the source's id
        (a late offline use, deductions/late.py: « Hors ligne »)."""
        if self.source == "hors-ligne":
            return "Hors ligne"
        return f"Facture #{self.numero}" if self.numero else self.id_externe


class Deduction(Base):
    """One line × product × van of a service: what it should take, what the ledger took, what is short.

    Open shortfall = voulu − deduit − regle when positive; `regle` is the part a physical count
    settled (the shelf was counted after the part was used, so nothing is left to take).
    """

    __tablename__ = "deductions"
    __table_args__ = (
        UniqueConstraint("service_id", "ligne_externe", "produit_id", "technicien_id",
                         name="uq_deductions_cle"),
        Index("ix_deductions_ligne_stock", "technicien_id", "produit_id"),
        CheckConstraint("voulu >= 0 AND deduit >= 0 AND regle >= 0", name="quantites_positives"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services_deduits.id", ondelete="CASCADE"))
    ligne_externe: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(String(500), nullable=True)
    produit_id: Mapped[int] = mapped_column(ForeignKey("produits_catalogue.id"), index=True)
    technicien_id: Mapped[int] = mapped_column(ForeignKey("techniciens.id"))
    voulu: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(0))
    deduit: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(0))
    regle: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(0))
    manque_depuis: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    service: Mapped[DeductedService] = relationship(back_populates="deductions")
    produit: Mapped[Product] = relationship(lazy="joined", innerjoin=True)
    technicien: Mapped[Technician] = relationship(lazy="joined", innerjoin=True)

    @property
    def manque(self) -> Decimal:
        """The open shortfall: what should have been taken and was neither taken nor settled."""
        return max(self.voulu - self.deduit - self.regle, Decimal(0))
