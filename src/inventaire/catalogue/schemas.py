"""API shapes of a product."""

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from inventaire.kit.schemas import Code, DecimalOut, MoneyIn, NonNegativeQuantityIn, PersonText, not_nullable

NOM_MAX = 120  # what a page, a phone line and an e-mail can show whole
Text = Annotated[str, PersonText(NOM_MAX)]
Short = Annotated[str, PersonText(60)]
Unit = Annotated[str, PersonText(30)]
Supplier = Annotated[str, PersonText(120, min_length=0)]
# EAN, UPC or any printable ASCII a scanner reads (no spaces at the ends, no control characters).
Barcode = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[!-~](?:[ -~]*[!-~])?$"),
                    Field(description="Code-barres du fabricant (EAN, UPC…), unique quand il est donné",
                          examples=["0712345678911"])]


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code_produit: Code
    nom_produit: Text = Field(examples=["Corde #1 (Do)"])
    categorie: Short = Field(default="Divers", examples=["Cordes"])
    unite: Unit = "unité"
    prix_unitaire: MoneyIn = Field(default=Decimal("0"), description="Coût unitaire, sert à la valeur du stock.")
    prix_vente: MoneyIn | None = None
    fournisseur: Supplier | None = None
    code_barres: Barcode | None = None
    seuil_reorder: NonNegativeQuantityIn | None = Field(
        default=None, description="Seuil d'alerte du produit ; vide = seuil par défaut."
    )
    actif: bool = True
    divisible: bool | None = Field(
        default=None, description="Se compte en fractions (feutre au mètre) ; faux : unités entières seulement. "
                                  "Par défaut : selon l'unité (unité, bobine, flacon… : non ; m, ml… : oui).")


class ProductUpdate(BaseModel):
    """Every field optional: only those given change."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra=not_nullable("nom_produit", "categorie", "unite", "prix_unitaire", "actif", "divisible")
    )

    nom_produit: Text | None = None
    categorie: Short | None = None
    unite: Unit | None = None
    prix_unitaire: MoneyIn | None = None
    prix_vente: MoneyIn | None = None
    fournisseur: Supplier | None = None
    code_barres: Barcode | None = None
    seuil_reorder: NonNegativeQuantityIn | None = None
    actif: bool | None = None
    divisible: bool | None = None


# Fields that may be set back to null by a PUT; the others ignore an explicit null.
NULLABLE_FIELDS = {"prix_vente", "fournisseur", "seuil_reorder", "code_barres"}


class ProductRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code_produit: str
    nom_produit: str
    categorie: str
    unite: str
    prix_unitaire: DecimalOut
    prix_vente: DecimalOut | None
    fournisseur: str | None
    code_barres: str | None
    seuil_reorder: DecimalOut | None
    actif: bool
    divisible: bool
