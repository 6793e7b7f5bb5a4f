"""API shapes of the forecast."""

import datetime as dt

from pydantic import BaseModel, Field

from inventaire.kit.schemas import DecimalOut, Timestamp


class ForecastFields(BaseModel):
    quantite: DecimalOut
    consommation_periode: DecimalOut = Field(description="Quantité consommée sur la période")
    consommation_par_jour: DecimalOut = Field(
        description="Consommation estimée par jour (méthode TSB, robuste aux jours chargés et aux pièces rares)"
    )
    jours_de_couverture: DecimalOut | None = Field(description="quantite ÷ consommation par jour ; vide sans consommation")
    rupture_prevue: dt.date | None = Field(description="Date où la ligne serait épuisée à ce rythme")


class LineForecastRead(ForecastFields):
    technicien: str
    code_produit: str
    nom_produit: str
    unite: str


class ProductForecastRead(ForecastFields):
    code_produit: str
    nom_produit: str
    unite: str
    lignes: int = Field(description="Lignes de stock additionnées (véhicules et ateliers)")


class ForecastRead(BaseModel):
    generated_at: Timestamp
    jours: int
    technicien: str | None
    lignes: list[LineForecastRead]
    produits: list[ProductForecastRead] | None = Field(
        description="Par produit, toute l'entreprise ; seulement sans filtre de technicien"
    )
