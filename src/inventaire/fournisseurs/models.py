"""A supplier (fournisseur): the company orders parts from it; each product names one."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, validates

from inventaire.kit.database import Base, Money, UTCDateTime, utcnow
from inventaire.kit.names import loose_key


class Supplier(Base):
    __tablename__ = "fournisseurs"
    __table_args__ = (
        CheckConstraint("delai_jours IS NULL OR (delai_jours >= 0 AND delai_jours <= 365)", name="delai_borne"),
        CheckConstraint("minimum_commande IS NULL OR minimum_commande >= 0", name="minimum_positif"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nom: Mapped[str] = mapped_column(String(120))
    # Unique without case or accents: « Röslau » and « ROSLAU » are one supplier (kit.names.loose_key).
    nom_cle: Mapped[str] = mapped_column(String(240), unique=True)
    courriel: Mapped[str | None] = mapped_column(String(254), nullable=True)
    telephone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # Days from sending an order to its delivery; None: not known, counted as 0 by the suggestion.
    delai_jours: Mapped[int | None] = mapped_column(Integer, nullable=True)
    minimum_commande: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @validates("nom")
    def _keep_key(self, _field: str, nom: str) -> str:
        """The key follows the name, whoever sets it."""
        self.nom_cle = loose_key(nom)
        return nom
