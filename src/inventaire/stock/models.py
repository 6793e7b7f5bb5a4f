"""Stock lines (one location, one product) and the immutable ledger of their changes."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

# Every kind of location is mapped before a line or a row is loaded as one.
from inventaire.ateliers.models import Workshop  # noqa: F401, E402
from inventaire.catalogue.models import Product
from inventaire.emplacements.models import Location
from inventaire.kit.database import Base, Quantity, UTCDateTime, utcnow
from inventaire.kit.enums import MovementCause, TransactionType
from inventaire.techniciens.models import Technician  # noqa: F401, E402


class StockLine(Base):
    __tablename__ = "inventaire_techniciens"
    __table_args__ = (
        UniqueConstraint("emplacement_id", "produit_id", name="uq_inventaire_techniciens_ligne"),
        CheckConstraint("quantite >= 0", name="quantite_positive"),
        CheckConstraint("seuil_min IS NULL OR seuil_min >= 0", name="seuil_min_positif"),
        CheckConstraint("niveau_par IS NULL OR niveau_par >= 0", name="niveau_par_positif"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The van or workshop holding the line (the table keeps its name from the seed).
    emplacement_id: Mapped[int] = mapped_column(ForeignKey("emplacements.id"))
    produit_id: Mapped[int] = mapped_column(ForeignKey("produits_catalogue.id"), index=True)
    quantite: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))
    # Per-van minimum (overrides the product's seuil_reorder) and par level (refill target).
    seuil_min: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    niveau_par: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    emplacement: Mapped[Location] = relationship(lazy="joined", innerjoin=True)
    produit: Mapped[Product] = relationship(lazy="joined", innerjoin=True)


class Transaction(Base):
    """One signed change of one stock line. Rows are only ever inserted."""

    __tablename__ = "transactions_inventaire"
    __table_args__ = (
        CheckConstraint(TransactionType.check("type"), name="type_connu"),
        CheckConstraint("quantite_apres >= 0", name="quantite_apres_positive"),
        CheckConstraint(f"cause IS NULL OR {MovementCause.check('cause')}", name="cause_connue"),
        Index("ix_transactions_inventaire_ligne_date", "stock_line_id", "created_at"),
        Index("ix_transactions_inventaire_date", "created_at"),
        Index("ix_transactions_inventaire_reference", "reference"),  # a service's rows: « Facture #7140 »
        Index("ix_transactions_inventaire_cause", "cause", "cause_id"),  # an order's, a request's, a service's rows
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stock_line_id: Mapped[int] = mapped_column(ForeignKey("inventaire_techniciens.id"))
    emplacement_id: Mapped[int] = mapped_column(ForeignKey("emplacements.id"), index=True)
    produit_id: Mapped[int] = mapped_column(ForeignKey("produits_catalogue.id"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    ajustement: Mapped[Decimal] = mapped_column(Quantity())
    quantite_avant: Mapped[Decimal] = mapped_column(Quantity())
    quantite_apres: Mapped[Decimal] = mapped_column(Quantity())
    motif: Mapped[str | None] = mapped_column(String(500), nullable=True)
    reference: Mapped[str | None] = mapped_column(String(120), nullable=True)
    auteur: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What caused the movement (MovementCause) and the id of that request, order or deducted service;
    # null for rows written before revision 0020 whose cause could not be told.
    cause: Mapped[str | None] = mapped_column(String(20), nullable=True)
    cause_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # A transfer writes two rows; the entry (second, positive) points at its exit (first).
    transfert_de_id: Mapped[int | None] = mapped_column(
        ForeignKey("transactions_inventaire.id", name="fk_transactions_inventaire_transfert_de"),
        nullable=True, index=True,
    )

    emplacement: Mapped[Location] = relationship(lazy="joined", innerjoin=True)
    produit: Mapped[Product] = relationship(lazy="joined", innerjoin=True)
    transfert_de: Mapped["Transaction | None"] = relationship(remote_side=[id])
