"""HTTP routes of the Gazelle connector: read the stored runs (a run is started by tasks/routes.py)."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query

from inventaire.deps import AdminUser, SessionDep, SettingsDep
from inventaire.gazelle import connection
from inventaire.gazelle import service as gazelle_service
from inventaire.gazelle.models import GazelleSync
from inventaire.gazelle.schemas import CheckRead, StateRead, SyncRead, sync_read
from inventaire.kit.errors import CONFLICT, NOT_FOUND
from inventaire.kit.exceptions import NotFound
from inventaire.tasks.deps import JobSessions

router = APIRouter(prefix="/gazelle", tags=["gazelle"])


@router.get("/syncs", summary="Lister les synchronisations Gazelle", response_model=list[SyncRead])
def list_syncs(db_session: SessionDep, _: AdminUser, limit: int = Query(20, ge=1, le=200)) -> list[SyncRead]:
    """The runs, newest first."""
    return [sync_read(r) for r in gazelle_service.recent(db_session=db_session, limit=limit)]


@router.get("/syncs/{sync_id}", summary="Consulter une synchronisation Gazelle", response_model=SyncRead, responses=NOT_FOUND)
def get_sync(db_session: SessionDep, _: AdminUser, sync_id: int = Path(ge=1, le=2_147_483_647)) -> SyncRead:
    run = db_session.get(GazelleSync, sync_id)
    if run is None:
        raise NotFound(f"Synchronisation inconnue : n° {sync_id}.")
    return sync_read(run)


@router.get("/etat", summary="État de la connexion à Gazelle", response_model=StateRead)
def get_state(db_session: SessionDep, settings: SettingsDep, _: AdminUser) -> StateRead:
    """How the connector gets in, since when, the last successful and failed runs, the last schema check."""
    return connection.state(db_session=db_session, settings=settings)


@router.post("/verifier", summary="Vérifier l'accès à Gazelle", response_model=CheckRead, response_model_exclude={"verifie_le"},
             responses={**CONFLICT})
def check(settings: SettingsDep, _: AdminUser, sessions: JobSessions) -> CheckRead:
    """Introspect Gazelle for every field the connector reads, and count the users the account sees."""
    return connection.check(session_factory=sessions, settings=settings)
