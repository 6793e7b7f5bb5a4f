"""« Déductions », for the office: what the billed services took, what is short, what has no rule,
the last syncs, and « Synchroniser maintenant » (the preview first, then the real run)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from inventaire.deductions import overview
from inventaire.deductions import service as deductions
from inventaire.deps import SessionDep, SettingsDep
from inventaire.gazelle import service as gazelle_service
from inventaire.gazelle.client import GazelleError
from inventaire.kit.config import Settings
from inventaire.kit.exceptions import Conflict
from inventaire.kit.quantities import count
from inventaire.tasks import gazelle_run
from inventaire.web.deps import AdminPage
from inventaire.web.render import PageRoute, render
from inventaire.web.sessions import Viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _page(request: Request, db_session: Session, settings: Settings, viewer: Viewer, *, apercu: dict[str, Any] | None = None,
          erreur: str | None = None, avis: str | None = None, status_code: int = 200) -> HTMLResponse:
    runs = gazelle_service.recent(db_session=db_session, limit=10)
    return render(
        request, "deductions.html", status_code, viewer=viewer, nav="deductions",
        services=overview.services_with_moves(db_session=db_session),
        manques=deductions.open_shortfalls(db_session=db_session),
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
        if done is not None and done.rapport:
            avis = (f"Synchronisation n° {done.id} terminée : "
                    f"{count(done.rapport['factures_lues'], 'facture lue', 'factures lues')}, "
                    f"{count(done.rapport['mouvements_ecrits'], 'mouvement écrit', 'mouvements écrits')}.")
    return _page(request, db_session, settings, viewer, avis=avis)


def _run(request: Request, db_session: Session, settings: Settings, viewer: Viewer, *,
         apercu: bool) -> gazelle_run.Result | GazelleError | Conflict:
    """The run's result, or why it could not run."""
    db_session.commit()  # the job runs in its own transactions (SQLite's writer lock must be free)
    try:
        return gazelle_run.run_sync(session_factory=request.app.state.sessionmaker, settings=settings, apercu=apercu,
                                    by=viewer.principal.nom)
    except (GazelleError, Conflict) as exc:
        return exc


@router.post("/deductions/apercu")
def preview(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage) -> Response:
    """What a sync would change, written nowhere; the page then offers to run it."""
    result = _run(request, db_session, settings, viewer, apercu=True)
    if not isinstance(result, gazelle_run.Result):
        return _page(request, db_session, settings, viewer, erreur=result.detail, status_code=result.status_code)
    return _page(request, db_session, settings, viewer, apercu=result.rapport)


@router.post("/deductions/synchroniser")
def synchronise(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage) -> Response:
    result = _run(request, db_session, settings, viewer, apercu=False)
    if not isinstance(result, gazelle_run.Result):
        return _page(request, db_session, settings, viewer, erreur=result.detail, status_code=result.status_code)
    assert result.run is not None  # not a preview: the run is stored
    return RedirectResponse(f"/deductions?sync={result.run.id}", 303)
