"""« Déductions », for the office: what the billed services took, what is short, what has no rule,
the last syncs, and « Synchroniser maintenant » (the preview first, then the real run)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from inventaire.deductions import overview
from inventaire.deps import SessionDep, SettingsDep
from inventaire.gazelle import service as gazelle_service
from inventaire.gazelle.errors import GazelleError
from inventaire.gazelle.schemas import SyncReport, report_of
from inventaire.kit.config import Settings
from inventaire.kit.exceptions import Conflict
from inventaire.tasks import gazelle_run
from inventaire.tasks.deps import JobSessions
from inventaire.web.deps import AdminPage
from inventaire.web.render import PageRoute, render
from inventaire.web.sessions import Viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _page(request: Request, db_session: Session, settings: Settings, viewer: Viewer, *, apercu: SyncReport | None = None,
          erreur: str | None = None, avis: str | None = None, status_code: int = 200) -> HTMLResponse:
    runs = gazelle_service.recent(db_session=db_session, limit=10)
    return render(
        request, "deductions.html", status_code, viewer=viewer, nav="deductions",
        services=overview.services_with_moves(db_session=db_session),
        manques=overview.open_shortfalls(db_session=db_session),
        sans_regle=overview.unmatched_services(db_session=db_session),
        inconnus=next((r.rapport["techniciens_inconnus"] for r in runs if r.rapport), []),
        syncs=runs, configure=settings.gazelle_configured, apercu=apercu, erreur=erreur, avis=avis,
    )


@router.get("/deductions")
def deductions_page(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
                    sync_id: int | None = Query(None, alias="sync", ge=1, le=2_147_483_647)) -> Response:
    avis = None
    if sync_id is not None:
        done = db_session.get(gazelle_run.GazelleSync, sync_id)
        report = report_of(done) if done is not None else None
        if done is not None and report is not None:
            avis = report.summary(run_id=done.id)
    return _page(request, db_session, settings, viewer, avis=avis)


def _run(sessions: sessionmaker[Session], settings: Settings, viewer: Viewer, *,
         apercu: bool) -> tuple[gazelle_run.Result, None] | tuple[None, GazelleError | Conflict]:
    """The run's result, or why it could not run."""
    try:
        return gazelle_run.run_sync(session_factory=sessions, settings=settings, apercu=apercu,
                                    by=viewer.principal.nom), None
    except (GazelleError, Conflict) as exc:
        return None, exc


@router.post("/deductions/apercu")
def preview(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
            sessions: JobSessions) -> Response:
    """What a sync would change, written nowhere; the page then offers to run it."""
    result, error = _run(sessions, settings, viewer, apercu=True)
    if result is None:
        assert error is not None
        return _page(request, db_session, settings, viewer, erreur=error.detail, status_code=error.status_code)
    return _page(request, db_session, settings, viewer, apercu=result.rapport)


@router.post("/deductions/synchroniser")
def synchronise(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
                sessions: JobSessions) -> Response:
    result, error = _run(sessions, settings, viewer, apercu=False)
    if result is None:
        assert error is not None
        return _page(request, db_session, settings, viewer, erreur=error.detail, status_code=error.status_code)
    assert result.run is not None  # not a preview: the run is stored
    return RedirectResponse(f"/deductions?sync={result.run.id}", 303)
