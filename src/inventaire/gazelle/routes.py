"""HTTP routes of the Gazelle connector: run a sync (or its preview), read the stored runs, the
connection's state and the live schema check."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query

from inventaire.deps import AdminUser, CheckUser, SessionDep, SettingsDep
from inventaire.gazelle import connection
from inventaire.gazelle.models import GazelleSync
from inventaire.gazelle.schemas import CheckRead, StateRead, SyncRead, sync_read
from inventaire.kit.errors import CONFLICT, NOT_FOUND
from inventaire.kit.exceptions import NotFound
from inventaire.tasks import gazelle_run
from inventaire.tasks.deps import JobSessions

router = APIRouter(prefix="/gazelle", tags=["gazelle"])


@router.post("/sync", response_model=SyncRead,
             responses={**CONFLICT, 502: {"description": "Gazelle illisible (son erreur, en français)"}})
def run_sync(settings: SettingsDep, user: CheckUser, sessions: JobSessions,
             apercu: bool = Query(False, description="true : dit ce qui changerait, sans rien écrire"),
             jours: int | None = Query(None, ge=1, le=3650,
                                       description="Fenêtre relue (défaut : INVENTAIRE_GAZELLE_JOURS)")):
    """Read Gazelle's recent invoices and deduct what changed (a job: it commits its own transactions)."""
    result = gazelle_run.run_sync(session_factory=sessions, settings=settings, jours=jours, apercu=apercu, by=user.nom)
    if result.apercu:
        return SyncRead(id=None, statut="apercu", apercu=True, jours=jours or settings.gazelle_jours,
                        declenchee_par=user.nom, started_at=None, finished_at=None, erreur=None,
                        rapport=result.rapport)
    assert result.run is not None  # a sync that is not a preview always stores its run
    return sync_read(result.run)


@router.get("/syncs", response_model=list[SyncRead])
def list_syncs(db_session: SessionDep, _: AdminUser, limit: int = Query(20, ge=1, le=200)):
    """The runs, newest first."""
    return [sync_read(r) for r in gazelle_run.recent(db_session=db_session, limit=limit)]


@router.get("/syncs/{sync_id}", response_model=SyncRead, responses=NOT_FOUND)
def get_sync(db_session: SessionDep, _: AdminUser, sync_id: int = Path(ge=1, le=2_147_483_647)):
    run = db_session.get(GazelleSync, sync_id)
    if run is None:
        raise NotFound(f"Synchronisation inconnue : n° {sync_id}.")
    return sync_read(run)


@router.get("/etat", response_model=StateRead)
def get_state(db_session: SessionDep, settings: SettingsDep, _: AdminUser):
    """How the connector gets in, since when, the last successful and failed runs, the last schema check."""
    return connection.state(db_session=db_session, settings=settings)


@router.post("/verifier", response_model=CheckRead, response_model_exclude={"verifie_le"},
             responses={**CONFLICT})
def check(settings: SettingsDep, _: AdminUser, sessions: JobSessions):
    """Introspect Gazelle for every field the connector reads, and count the users the account sees."""
    return connection.check(session_factory=sessions, settings=settings)
