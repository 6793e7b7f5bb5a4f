"""A supplier order (commande) and its lines: what was ordered, at what price, and what came in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventaire.ateliers.models import Workshop
from inventaire.catalogue.models import Product
from inventaire.kit.database import Base, Money, Quantity, UTCDateTime, utcnow
from inventaire.kit.enums import OrderState

ZERO = Decimal(0)


def order_number(annee: int, rang: int) -> str:
    """The number a person reads and the supplier quotes: CMD-2026-0001 (more digits past 9999)."""
    return f"CMD-{annee}-{rang:04d}"


class Order(Base):
    __tablename__ = "commandes"
    __table_args__ = (
        CheckConstraint(OrderState.check("statut"), name="statut_connu"),
        CheckConstraint("rang > 0", name="rang_positif"),
        # The number is the year and the order's rank in it: two orders never share one.
        UniqueConstraint("annee", "rang", name="uq_commandes_annee_rang"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    annee: Mapped[int] = mapped_column(Integer)
    rang: Mapped[int] = mapped_column(Integer)
    # Stored as well, so that ledger rows (their `reference`) and searches meet it as text.
    numero: Mapped[str] = mapped_column(String(20), unique=True)
    fournisseur: Mapped[str] = mapped_column(String(120), index=True)
    atelier_id: Mapped[int] = mapped_column(ForeignKey("ateliers.id"), index=True)
    statut: Mapped[str] = mapped_column(String(20), default=OrderState.BROUILLON, index=True)
    auteur: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    envoyee_le: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    recue_le: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)  # the last part came in
    annulee_le: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The e-mail to the supplier: when it left and to whom (supplier, then the office in copy);
    # a send that failed leaves the draft with its error, shown on the order's page.
    courriel_envoye_le: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    courriel_destinataires: Mapped[str | None] = mapped_column(String(600), nullable=True)
    courriel_erreur: Mapped[str | None] = mapped_column(String(1000), nullable=True)

    atelier: Mapped[Workshop] = relationship(lazy="joined", innerjoin=True)
    lignes: Mapped[list[OrderLine]] = relationship(
        back_populates="commande", cascade="all, delete-orphan", order_by="OrderLine.id", lazy="selectin")

    @property
    def total(self) -> Decimal:
        """Σ quantity × unit price, to the cent."""
        return sum((line.total for line in self.lignes), ZERO).quantize(Decimal("0.01"))


class OrderLine(Base):
    __tablename__ = "lignes_commande"
    __table_args__ = (
        UniqueConstraint("commande_id", "produit_id", name="uq_lignes_commande_produit"),
        CheckConstraint("quantite > 0", name="quantite_positive"),
        CheckConstraint("quantite_recue >= 0 AND quantite_recue <= quantite", name="recue_bornee"),
        CheckConstraint("prix_unitaire >= 0", name="prix_unitaire_positif"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commande_id: Mapped[int] = mapped_column(ForeignKey("commandes.id", ondelete="CASCADE"), index=True)
    produit_id: Mapped[int] = mapped_column(ForeignKey("produits_catalogue.id"), index=True)
    quantite: Mapped[Decimal] = mapped_column(Quantity())
    quantite_recue: Mapped[Decimal] = mapped_column(Quantity(), default=ZERO)
    prix_unitaire: Mapped[Decimal] = mapped_column(Money())

    commande: Mapped[Order] = relationship(back_populates="lignes")
    produit: Mapped[Product] = relationship(lazy="joined", innerjoin=True)

    @property
    def reste(self) -> Decimal:
        """What the supplier still has to deliver."""
        return self.quantite - self.quantite_recue

    @property
    def total(self) -> Decimal:
        return (self.quantite * self.prix_unitaire).quantize(Decimal("0.01"))
