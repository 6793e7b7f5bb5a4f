"""HTTP routes of the low-stock check and of its history."""

from decimal import Decimal
from typing import Annotated, Any

import pydantic_core
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import WithJsonSchema

from inventaire.checks import service
from inventaire.checks.models import Verification
from inventaire.checks.schemas import (
    THRESHOLD_BOUNDS,
    CheckResponse,
    NotificationRead,
    Report,
    VerificationPage,
    VerificationRead,
    VerificationSummary,
)
from inventaire.deps import AdminUser, CheckUser, SessionDep, SettingsDep
from inventaire.emplacements import service as locations
from inventaire.kit.errors import CONFLICT, NOT_FOUND
from inventaire.kit.quantities import MAX_QUANTITY
from inventaire.tasks import check_run

router = APIRouter(tags=["vérifications"])
CHECK_DEFAULTS = {name: CheckResponse.model_fields[name].default for name in ("status", "message")}

Threshold = Annotated[
    Decimal | None,
    Query(**THRESHOLD_BOUNDS,
          description="Seuil d'alerte global (défaut : celui de chaque ligne, puis 5,0)"),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": float(MAX_QUANTITY), "examples": [10]}),
]


def summary_of(verification: Verification) -> dict[str, Any]:
    """The fields every view of a stored run shows (the technician's name as the run saw it)."""
    return {
        "id": verification.id, "generated_at": verification.generated_at,
        "technicien": verification.rapport.get("technicien"), "seuil_critique": verification.seuil_critique,
        "declenchee_par": verification.declenchee_par, "total_alertes": verification.total_alertes,
        "alertes_critiques": verification.alertes_critiques, "notifier": verification.notifier,
        "statut_notifications": verification.statut_notifications,
        "notifications": [NotificationRead.model_validate(n) for n in verification.notifications],
    }


@router.post("/check-stock", response_model=CheckResponse, responses={**NOT_FOUND, **CONFLICT})
def check_stock(
    db_session: SessionDep,
    settings: SettingsDep,
    user: CheckUser,
    technicien: str | None = Query(None, min_length=1, max_length=60, description="Nom du technicien ; vide = tous"),
    seuil_critique: Threshold = None,
    notifier: bool = Query(True, description="false : vérifier sans envoyer de notification"),
) -> Response:
    """Run the check, store it, then send its notifications (their outcome is in `notifications`)."""
    verification = check_run.check_and_notify(
        db_session=db_session, settings=settings, technicien=technicien, seuil_critique=seuil_critique,
        notifier=notifier, declenchee_par=user.nom,
    )
    # The answer's `rapport` is the stored report itself (the JSON run_check made of it), written
    # by pydantic-core: serialising the report model again cost 12 ms at 4,805 alerts, and
    # FastAPI's default path (model, then Python objects, then json.dumps) 25 ms (BENCHMARKS.md).
    answer = {
        "status": CHECK_DEFAULTS["status"], "message": CHECK_DEFAULTS["message"],
        "alerts_detected": verification.total_alertes, "verification_id": verification.id,
        "rapport": verification.rapport,
        "notifications": [NotificationRead.model_validate(n).model_dump(mode="json") for n in verification.notifications],
    }
    return Response(pydantic_core.to_json(answer), media_type="application/json")


@router.get("/verifications", response_model=VerificationPage, responses=NOT_FOUND)
def list_verifications(
    db_session: SessionDep,
    _: AdminUser,
    technicien: str | None = Query(None, min_length=1, max_length=60, description="Les vérifications de ce technicien"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10_000_000),
) -> VerificationPage:
    """Stored runs, newest first."""
    technician = locations.get_or_404(db_session=db_session, nom=technicien) if technicien else None
    rows, total = service.list_runs(db_session=db_session, technician=technician, limit=limit, offset=offset)
    return VerificationPage(
        items=[VerificationSummary(**summary_of(v)) for v in rows], total=total, limit=limit, offset=offset
    )


@router.get("/verifications/{verification_id}", response_model=VerificationRead, responses=NOT_FOUND)
def get_verification(db_session: SessionDep, _: AdminUser, verification_id: int = Path(ge=1, le=2**31 - 1)) -> VerificationRead:
    """One stored run: its report as it was answered, with its lifecycle and its deliveries."""
    verification = service.get_run_or_404(db_session=db_session, verification_id=verification_id)
    return VerificationRead(**summary_of(verification), rapport=Report.model_validate(verification.rapport))
