"""HTTP routes of the Gazelle connector: read the stored runs (a run is started by tasks/routes.py)."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query

from inventaire.deps import AdminUser, SessionDep
from inventaire.gazelle import service as gazelle_service
from inventaire.gazelle.models import GazelleSync
from inventaire.gazelle.schemas import SyncRead, sync_read
from inventaire.kit.errors import NOT_FOUND
from inventaire.kit.exceptions import NotFound

router = APIRouter(prefix="/gazelle", tags=["gazelle"])


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
