"""HTTP routes of the low-stock check's history (a run is started by tasks/routes.py)."""


from typing import Any

from fastapi import APIRouter, Path, Query

from inventaire.checks import service
from inventaire.checks.models import Verification
from inventaire.checks.schemas import (
    NotificationRead,
    Report,
    VerificationPage,
    VerificationRead,
    VerificationSummary,
)
from inventaire.deps import AdminUser, SessionDep
from inventaire.emplacements import service as locations
from inventaire.kit.errors import NOT_FOUND

router = APIRouter(tags=["vérifications"])


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


@router.get("/verifications", summary="Lister les vérifications", response_model=VerificationPage, responses=NOT_FOUND)
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


@router.get("/verifications/{verification_id}", summary="Consulter une vérification",
            response_model=VerificationRead, responses=NOT_FOUND)
def get_verification(db_session: SessionDep, _: AdminUser, verification_id: int = Path(ge=1, le=2**31 - 1)) -> VerificationRead:
    """One stored run: its report as it was answered, with its lifecycle and its deliveries."""
    verification = service.get_run_or_404(db_session=db_session, verification_id=verification_id)
    return VerificationRead(**summary_of(verification), rapport=Report.model_validate(verification.rapport))
