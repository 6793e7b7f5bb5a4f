"""Historique des vérifications: every stored run, each report shown as it was; running one."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from inventaire.checks import service as checks
from inventaire.checks.schemas import Report, read_threshold
from inventaire.deps import SessionDep, SettingsDep
from inventaire.exports import service as exports
from inventaire.kit.exceptions import DomainError
from inventaire.notifications.service import NO_CHANNEL
from inventaire.notifications.service import channels as notification_channels
from inventaire.tasks import check_run
from inventaire.web.deps import AdminPage, FormData
from inventaire.web.render import PageRoute, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE_SIZE = 25


def parse_threshold(text: str) -> Decimal | None:
    """The form's optional threshold: empty is none."""
    return read_threshold(text) if text.strip() else None


@router.get("/verifications")
def history(request: Request, db_session: SessionDep, viewer: AdminPage, page: int = Query(1, ge=1, le=100_000)) -> Response:
    runs, total = checks.list_runs(
        db_session=db_session, technician=None, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    return render(request, "verifications.html", viewer=viewer, nav="verifications", verifications=runs,
                  total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)))


@router.get("/verifications/{verification_id}")
def report(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
           verification_id: int = Path(ge=1, le=2**31 - 1)) -> Response:
    run = checks.get_run_or_404(db_session=db_session, verification_id=verification_id)
    return render(request, "verification.html", viewer=viewer, nav="verifications", verification=run,
                  rapport=Report.model_validate(run.rapport),
                  sans_canal=NO_CHANNEL if not notification_channels(settings) else None)


@router.get("/verifications/{verification_id}/alertes.csv")
def report_csv(db_session: SessionDep, settings: SettingsDep, _: AdminPage,
               verification_id: int = Path(ge=1, le=2**31 - 1)) -> Response:
    """The run's alerts for a spreadsheet."""
    run = checks.get_run_or_404(db_session=db_session, verification_id=verification_id)
    body = exports.alerts_csv(report=Report.model_validate(run.rapport), tz=settings.tz)
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="verification-{verification_id}-alertes.csv"'})


@router.post("/verifications")
def run_check(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage, form: FormData) -> Response:
    """The dashboard's button: the endpoint's whole run (lock, lifecycle, notifications), then its report.

    A refusal (bad threshold, unknown technician, a check already running) shows the dashboard
    again with what was typed and the reason next to the form.
    """
    technicien, seuil = form.get("technicien", "").strip(), form.get("seuil", "").strip()
    notifier = form.get("notifier") == "oui"
    values = {"technicien": technicien, "seuil": seuil, "notifier": notifier}
    try:
        run = check_run.check_and_notify(
            db_session=db_session, settings=settings, technicien=technicien or None,
            seuil_critique=parse_threshold(seuil), notifier=notifier,
            declenchee_par=viewer.principal.nom,
        )
    except DomainError as exc:
        db_session.rollback()
        from inventaire.web.pages.tableau import page_context

        return render(request, "tableau.html", exc.status_code, viewer=viewer, nav="tableau",
                      lancement={**values, "erreur": exc.detail}, **page_context(db_session, settings, viewer))
    return RedirectResponse(f"/verifications/{run.id}", status_code=303)
