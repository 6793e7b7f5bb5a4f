"""The HTTP triggers of the jobs: run the check (and send its notifications), run a Gazelle sync.

Same paths and answers as before they moved here; the stored runs are read by their domains'
routes (`checks/routes.py`, `gazelle/routes.py`). Each trigger calls its job in `tasks/`.
"""

from __future__ import annotations

import pydantic_core
from fastapi import APIRouter, Query
from fastapi.responses import Response

from inventaire.checks.schemas import CheckResponse, NotificationRead, Threshold
from inventaire.deps import CheckUser, SessionDep, SettingsDep
from inventaire.gazelle.schemas import SyncRead, sync_read
from inventaire.kit.errors import CONFLICT, NOT_FOUND
from inventaire.tasks import check_run, gazelle_run
from inventaire.tasks.deps import JobSessions

router = APIRouter()
CHECK_DEFAULTS = {name: CheckResponse.model_fields[name].default for name in ("status", "message")}


@router.post("/check-stock", summary="Lancer une vérification du stock",
             response_model=CheckResponse, responses={**NOT_FOUND, **CONFLICT}, tags=["vérifications"])
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


@router.post("/gazelle/sync", summary="Synchroniser avec Gazelle", response_model=SyncRead, tags=["gazelle"],
             responses={**CONFLICT, 502: {"description": "Gazelle illisible (son erreur, en français)"}})
def run_sync(settings: SettingsDep, user: CheckUser, sessions: JobSessions,
             apercu: bool = Query(False, description="true : dit ce qui changerait, sans rien écrire"),
             jours: int | None = Query(None, ge=1, le=3650,
                                       description="Fenêtre relue (défaut : INVENTAIRE_GAZELLE_JOURS)")) -> SyncRead:
    """Read Gazelle's recent invoices and deduct what changed (a job: it commits its own transactions)."""
    result = gazelle_run.run_sync(session_factory=sessions, settings=settings, jours=jours, apercu=apercu, by=user.nom)
    if result.apercu:
        return SyncRead(id=None, statut="apercu", apercu=True, jours=jours or settings.gazelle_jours,
                        declenchee_par=user.nom, started_at=None, finished_at=None, erreur=None,
                        rapport=result.rapport)
    assert result.run is not None  # a sync that is not a preview always stores its run
    return sync_read(result.run)
