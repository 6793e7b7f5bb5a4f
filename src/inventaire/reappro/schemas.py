"""API shapes of the replenishment to par."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from inventaire.kit.dates import YEAR_PATTERN, checked
from inventaire.kit.schemas import DecimalOut, Name
from inventaire.reappro.service import PickItem, Shortfall
from inventaire.stock.schemas import TransferRead


class PickItemRead(BaseModel):
    code_produit: str
    nom_produit: str
    unite: str
    quantite: DecimalOut = Field(description="Quantité dans le véhicule")
    niveau_par: DecimalOut | None
    a_apporter: DecimalOut
    disponible_atelier: DecimalOut
    demande: int | None = Field(description="N° de la demande ouverte, ou null pour un niveau par")
    a_charger: DecimalOut = Field(Decimal(0), description="Ce que les rendez-vous du jour demandé exigent encore (0 sans date)")

    @classmethod
    def of(cls, item: PickItem) -> "PickItemRead":
        return cls(code_produit=item.product.code_produit, nom_produit=item.product.nom_produit,
                   unite=item.product.unite, quantite=item.quantite, niveau_par=item.niveau_par,
                   a_apporter=item.a_apporter, disponible_atelier=item.disponible_atelier,
                   demande=item.demande.id if item.demande else None, a_charger=item.a_charger)


class PrepareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid",
                              json_schema_extra={"examples": [{"technicien": "Allan", "atelier": "Atelier"}]})

    technicien: Name
    atelier: Name
    date: Annotated[dt.date | None, AfterValidator(checked)] = Field(
        None, description="Couvrir aussi le chargement de ce jour (AAAA-MM-JJ) : le plus grand du niveau par et de a_charger",
        json_schema_extra={"pattern": YEAR_PATTERN})  # the supported years, as the query parameters say


class ShortfallRead(BaseModel):
    code_produit: str
    nom_produit: str
    demande: int | None
    a_apporter: DecimalOut
    transfere: DecimalOut
    manque: DecimalOut
    raison: str = Field(description="Pourquoi ce n'a pas été servi (atelier à court, fraction d'un produit entier)")

    @classmethod
    def of(cls, short: Shortfall) -> "ShortfallRead":
        item = short.item
        return cls(code_produit=item.product.code_produit, nom_produit=item.product.nom_produit,
                   demande=item.demande.id if item.demande else None, a_apporter=short.a_apporter,
                   transfere=short.transfere, manque=short.manque, raison=short.raison)


class PreparedRead(BaseModel):
    transferts: list[TransferRead]
    non_servi: list[ShortfallRead] = Field(
        description="Ce qui n'a pas été servi (en tout ou en partie), avec pourquoi")
    demandes_servies: list[int]
