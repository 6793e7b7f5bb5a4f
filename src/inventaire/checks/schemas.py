"""The check report: the seed's fields, field for field, plus `seuil`, the lifecycle, the history
and the forecast (lines predicted to run out before the next order, kept apart from the seed's counts)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, WithJsonSchema

from inventaire.kit.enums import (
    AlertSeverity,
    AlertState,
    Channel,
    DeliveryStatus,
    RunNotifications,
    Severity,
    StockoutSource,
)
from inventaire.kit.errors import french_message
from inventaire.kit.exceptions import InvalidInput
from inventaire.kit.quantities import MAX_QUANTITY, parse
from inventaire.kit.schemas import DecimalOut, Timestamp

# The bounds of a run's global threshold (seuil_critique), wherever it is given: API, page, CLI.
THRESHOLD_BOUNDS: dict[str, Any] = {"ge": 0, "le": MAX_QUANTITY, "allow_inf_nan": False}
_THRESHOLD = TypeAdapter(Annotated[Decimal, Field(**THRESHOLD_BOUNDS)])


def read_threshold(text: str) -> Decimal:
    """A threshold typed by a person (« 2,5 » or « 2.5 »), within the API's bounds; InvalidInput in French."""
    number = parse(text)
    if number is None:
        raise InvalidInput("Seuil : doit être un nombre (ex. : 5 ou 2,5).")
    try:
        return _THRESHOLD.validate_python(number)
    except ValidationError as exc:
        raise InvalidInput(f"Seuil : {french_message(exc.errors()[0])}.") from exc


class NotificationRead(BaseModel):
    """One delivery of a run, as the run's history shows it (read from a `Notification` row)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    canal: Channel
    destinataires: list[str]
    technicien: str | None
    sujet: str
    statut: DeliveryStatus
    tentatives: int
    erreur: str | None
    derniere_tentative: Timestamp | None
    envoyee_le: Timestamp | None


class Alert(BaseModel):
    code_produit: str
    technicien: str
    quantite_actuelle: DecimalOut
    severity: AlertSeverity
    nom_produit: str
    seuil: DecimalOut
    unite: str
    quantite_a_commander: DecimalOut | None = Field(
        default=None, description="niveau_par − quantité, quand la ligne a un niveau de remplissage"
    )
    rupture_prevue: dt.date | None = Field(default=None, description="Date où la ligne serait épuisée (prévision)")
    type_emplacement: str | None = Field(
        default=None, description="Qui détient la ligne : « vehicule » (un technicien) ou « atelier »")
    # Lifecycle, compared with the previous run of the same scope (None in reports stored before it existed).
    etat: AlertState | None = None
    notifiee: bool = Field(default=False, description="Comprise dans les notifications de cette vérification")
    notifiee_le: Timestamp | None = Field(default=None, description="Dernière notification de cette alerte")
    signalee_avant: Timestamp | None = Field(
        default=None, description="Notification précédant cette vérification (vide : jamais signalée)")


class PredictedStockout(BaseModel):
    """A line above its threshold that the forecast sees running out before the next order."""

    code_produit: str
    technicien: str
    quantite_actuelle: DecimalOut
    severity: Literal[Severity.RUPTURE_PREVUE] = Severity.RUPTURE_PREVUE
    nom_produit: str
    seuil: DecimalOut
    unite: str
    consommation_par_jour: DecimalOut
    jours_de_couverture: DecimalOut
    rupture_prevue: dt.date
    quantite_a_commander: DecimalOut | None = Field(
        default=None, description="niveau_par − quantité, quand la ligne a un niveau de remplissage"
    )
    demande_reservee: DecimalOut = Field(
        default=Decimal(0), description="Pièces que les rendez-vous réservés de l'horizon consomment selon les règles"
    )
    source_rupture: StockoutSource | None = Field(
        default=None, description="Ce qui épuise la ligne : « rendez-vous » (un jour réservé) ou « rythme »"
    )


class ResolvedAlert(BaseModel):
    """A line in alert at the previous run that is not any more."""

    code_produit: str
    technicien: str
    nom_produit: str
    quantite_precedente: DecimalOut
    quantite_actuelle: DecimalOut | None = Field(description="Vide si la ligne est sortie du périmètre")
    notifiee_le: Timestamp | None = None


class Evolution(BaseModel):
    precedente_id: int | None = Field(description="La vérification de même périmètre comparée")
    nouvelles: int = 0
    aggravees: int = 0
    persistantes: int = 0
    resolues: int = 0
    notifiees: int = 0


class Statistics(BaseModel):
    total_produits: int
    total_alertes: int
    alertes_critiques: int
    alertes_bas_stock: int
    valeur_totale_estimee: DecimalOut


class Report(BaseModel):
    generated_at: Timestamp
    technicien: str | None
    seuil_critique: DecimalOut
    statistiques: Statistics
    alertes: list[Alert]
    summary: str
    delai_commande_jours: int | None = Field(default=None, description="Horizon des ruptures prévues (prochaine commande)")
    ruptures_prevues: list[PredictedStockout] = Field(
        default=[], description="Lignes au-dessus de leur seuil qui seraient épuisées avant la prochaine commande ; "
                                "comptées à part : ni dans les statistiques, ni dans alerts_detected, ni dans le résumé"
    )
    resolues: list[ResolvedAlert] = []
    evolution: Evolution | None = None


class CheckResponse(BaseModel):
    status: Literal["success"] = "success"
    message: str = "Vérification d'inventaire terminée"
    alerts_detected: int
    verification_id: int
    rapport: Report = Field(description="Le rapport complet, tel qu'il est enregistré.")
    notifications: list[NotificationRead] = Field(
        default=[], description="Ce qui a été envoyé, à qui, et si l'envoi a réussi."
    )


class VerificationSummary(BaseModel):
    id: int
    generated_at: Timestamp
    technicien: str | None
    seuil_critique: DecimalOut | None = Field(description="Seuil imposé à la vérification ; vide = seuils par ligne")
    declenchee_par: str
    total_alertes: int
    alertes_critiques: int
    notifier: bool
    statut_notifications: RunNotifications
    notifications: list[NotificationRead]


class VerificationPage(BaseModel):
    items: list[VerificationSummary]
    total: int
    limit: int
    offset: int


class VerificationRead(VerificationSummary):
    rapport: Report


# The check's global threshold as a query parameter (the API's trigger and the page share its bounds).
Threshold = Annotated[
    Decimal | None,
    Query(ge=0, le=MAX_QUANTITY, allow_inf_nan=False,
          description="Seuil d'alerte global (défaut : celui de chaque ligne, puis 5,0)"),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": float(MAX_QUANTITY), "examples": [10]}),
]
