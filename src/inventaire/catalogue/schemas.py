"""API shapes of a product."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from inventaire.schemas import Code, DecimalOut, MoneyIn, NonNegativeQuantityIn

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code_produit: Code
    nom_produit: Text = Field(examples=["Corde #1 (Do)"])
    categorie: Short = Field(default="Divers", examples=["Cordes"])
    unite: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)] = "unité"
    prix_unitaire: MoneyIn = Field(default=0, description="Coût unitaire, sert à la valeur du stock.")
    prix_vente: MoneyIn | None = None
    fournisseur: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] | None = None
    seuil_reorder: NonNegativeQuantityIn | None = Field(
        default=None, description="Seuil d'alerte du produit ; vide = seuil par défaut."
    )
    actif: bool = True


class ProductUpdate(BaseModel):
    """Every field optional: only those given change."""

    model_config = ConfigDict(extra="forbid")

    nom_produit: Text | None = None
    categorie: Short | None = None
    unite: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)] | None = None
    prix_unitaire: MoneyIn | None = None
    prix_vente: MoneyIn | None = None
    fournisseur: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] | None = None
    seuil_reorder: NonNegativeQuantityIn | None = None
    actif: bool | None = None


# Fields that may be set back to null by a PUT; the others ignore an explicit null.
NULLABLE_FIELDS = {"prix_vente", "fournisseur", "seuil_reorder"}


class ProductRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code_produit: str
    nom_produit: str
    categorie: str
    unite: str
    prix_unitaire: DecimalOut
    prix_vente: DecimalOut | None
    fournisseur: str | None
    seuil_reorder: DecimalOut | None
    actif: bool
