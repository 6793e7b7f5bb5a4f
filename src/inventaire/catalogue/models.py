"""The product catalogue."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from inventaire.fournisseurs.models import Supplier
from inventaire.kit.database import Base, Money, Quantity, UTCDateTime, utcnow

# Units a product is counted in whole (a string, a tube): fractions of them are refused.
WHOLE_UNITS = frozenset({"unité", "bobine", "flacon", "jeu", "sachet", "tube", "boîte", "paquet", "pqt", "pièce"})


def default_divisible(unite: str) -> bool:
    """Whether a product in this unit may be counted in fractions when nobody said (felt in metres: yes)."""
    return unite.split(" ")[0].casefold() not in WHOLE_UNITS


def code_key(code: str) -> str:
    """The case-insensitive key a code is found by (`cord-012` finds `CORD-012`)."""
    return code.casefold()


class Product(Base):
    __tablename__ = "produits_catalogue"
    __table_args__ = (
        CheckConstraint("prix_unitaire >= 0", name="prix_unitaire_positif"),
        CheckConstraint("prix_vente IS NULL OR prix_vente >= 0", name="prix_vente_positif"),
        CheckConstraint("seuil_reorder IS NULL OR seuil_reorder >= 0", name="seuil_reorder_positif"),
        Index("uq_produits_catalogue_code_barres", "code_barres", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_produit: Mapped[str] = mapped_column(String(40), unique=True)
    # Unique on the folded code: "CORD-012" and "cord-012" are one product (shown as stored).
    code_cle: Mapped[str] = mapped_column(String(40), unique=True)
    nom_produit: Mapped[str] = mapped_column(String(200))
    # The maker's barcode (EAN, UPC…) a phone scans; unique when set (migration 0024).
    code_barres: Mapped[str | None] = mapped_column(String(64), nullable=True)
    categorie: Mapped[str] = mapped_column(String(60), default="Divers", index=True)
    unite: Mapped[str] = mapped_column(String(30), default="unité")
    prix_unitaire: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    prix_vente: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)
    fournisseur_id: Mapped[int | None] = mapped_column(ForeignKey("fournisseurs.id"), nullable=True, index=True)
    seuil_reorder: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    actif: Mapped[bool] = mapped_column(Boolean, default=True)
    # False: counted in whole units, a fraction is refused (stock service check_divisible).
    divisible: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    supplier: Mapped[Supplier | None] = relationship(lazy="joined")

    @property
    def fournisseur(self) -> str | None:
        """The supplier's name, as the API and pages show it (set `supplier` to change it)."""
        return self.supplier.nom if self.supplier is not None else None

    @validates("code_produit")
    def _keep_key(self, _field: str, code: str) -> str:
        """The key follows the code, whoever sets it."""
        self.code_cle = code_key(code)
        return code
