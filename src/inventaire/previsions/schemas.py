"""API shapes of the forecast."""

import datetime as dt

from pydantic import BaseModel, Field

from inventaire.kit.enums import StockoutSource
from inventaire.kit.schemas import DecimalOut, Timestamp


class ForecastFields(BaseModel):
    quantite: DecimalOut
    consommation_periode: DecimalOut = Field(description="Quantité consommée sur la période")
    consommation_par_jour: DecimalOut = Field(
        description="Consommation estimée par jour (méthode TSB, robuste aux jours chargés et aux pièces rares)"
    )
    jours_de_couverture: DecimalOut | None = Field(
        description="Jours avant épuisement : chaque jour réservé consomme le plus grand de ses rendez-vous et du "
                    "rythme, les autres jours le rythme ; vide si rien ne l'épuise"
    )
    rupture_prevue: dt.date | None = Field(description="Date où la ligne serait épuisée")
    demande_reservee: DecimalOut = Field(
        description="Pièces que les rendez-vous réservés d'aujourd'hui à la fin de l'horizon "
                    "(INVENTAIRE_GAZELLE_JOURS_AVENIR) consomment selon les règles ; un atelier : 0"
    )
    jours_reserves: DecimalOut = Field(
        description="Jours de la couverture où les rendez-vous, plus que le rythme, fixent la consommation"
    )
    source_rupture: StockoutSource | None = Field(
        description="Ce qui épuise la ligne : « rendez-vous » (un jour réservé) ou « rythme » ; vide sans rupture"
    )


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
