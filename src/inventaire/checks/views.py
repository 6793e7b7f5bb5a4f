"""HTTP route of the low-stock check."""

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query

from inventaire.checks import service
from inventaire.checks.schemas import CheckResponse, Report
from inventaire.deps import CheckUser, SessionDep, SettingsDep
from inventaire.techniciens import service as techniciens

router = APIRouter(tags=["vérifications"])

Threshold = Annotated[
    Decimal | None,
    Query(ge=0, le=Decimal("999999999.999"), allow_inf_nan=False, description="Seuil d'alerte global (défaut : celui de chaque ligne, puis 5,0)"),
]


@router.post("/check-stock", response_model=CheckResponse)
def check_stock(
    db_session: SessionDep,
    settings: SettingsDep,
    user: CheckUser,
    technicien: str | None = Query(None, min_length=1, max_length=60, description="Nom du technicien ; vide = tous"),
    seuil_critique: Threshold = None,
):
    technician = techniciens.get_or_404(db_session=db_session, nom=technicien) if technicien else None
    verification = service.run_check(
        db_session=db_session, technician=technician, seuil_critique=seuil_critique,
        default=settings.seuil_defaut, declenchee_par=user.nom,
    )
    return CheckResponse(
        alerts_detected=verification.total_alertes, verification_id=verification.id,
        rapport=Report.model_validate(verification.rapport),
    )

