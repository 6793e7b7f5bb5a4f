"""HTTP routes of the Gazelle connector: run a sync (or its preview), read the stored runs."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query, Request

from inventaire.deps import AdminUser, CheckUser, SessionDep, SettingsDep
from inventaire.gazelle import service as gazelle_service
from inventaire.gazelle.models import GazelleSync
from inventaire.gazelle.schemas import SyncRead, sync_read
from inventaire.kit.errors import CONFLICT, NOT_FOUND
from inventaire.kit.exceptions import NotFound
from inventaire.tasks import gazelle_run

router = APIRouter(prefix="/gazelle", tags=["gazelle"])


@router.post("/sync", response_model=SyncRead,
             responses={**CONFLICT, 502: {"description": "Gazelle illisible (son erreur, en français)"}})
def run_sync(request: Request, db_session: SessionDep, settings: SettingsDep, user: CheckUser,
             apercu: bool = Query(False, description="true : dit ce qui changerait, sans rien écrire"),
             jours: int | None = Query(None, ge=1, le=3650,
                                       description="Fenêtre relue (défaut : INVENTAIRE_GAZELLE_JOURS)")) -> SyncRead:
    """Read Gazelle's recent invoices and deduct what changed (a job: it commits its own transactions)."""
    db_session.commit()  # the caller's check is done: SQLite's writer lock must be free for the job's sessions
    result = gazelle_run.run_sync(session_factory=request.app.state.sessionmaker, settings=settings, jours=jours,
                           apercu=apercu, by=user.nom)
    if result.apercu:
        return SyncRead(id=None, statut="apercu", apercu=True, jours=jours or settings.gazelle_jours,
                        declenchee_par=user.nom, started_at=None, finished_at=None, erreur=None,
                        rapport=result.rapport)
    assert result.run is not None  # a sync that is not a preview always stores its run
    return sync_read(result.run)


@router.get("/syncs", response_model=list[SyncRead])
def list_syncs(db_session: SessionDep, _: AdminUser, limit: int = Query(20, ge=1, le=200)) -> list[SyncRead]:
    """The runs, newest first."""
    return [sync_read(r) for r in gazelle_service.recent(db_session=db_session, limit=limit)]


@router.get("/syncs/{sync_id}", response_model=SyncRead, responses=NOT_FOUND)
def get_sync(db_session: SessionDep, _: AdminUser, sync_id: int = Path(ge=1, le=2_147_483_647)) -> SyncRead:
    run = db_session.get(GazelleSync, sync_id)
    if run is None:
        raise NotFound(f"Synchronisation inconnue : n° {sync_id}.")
    return sync_read(run)
