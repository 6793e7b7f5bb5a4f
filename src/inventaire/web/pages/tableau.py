"""Tableau de bord: current alerts by technician (refreshed by polling), the last checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from inventaire.checks import service as checks
from inventaire.checks.schemas import Alert, Report
from inventaire.deps import SessionDep, SettingsDep
from inventaire.entreprise import service as company
from inventaire.kit.config import Settings
from inventaire.kit.enums import Severity
from inventaire.previsions.booked import Horizon
from inventaire.techniciens import service as techniciens
from inventaire.web import conditional
from inventaire.web.deps import AdminPage, PageUser
from inventaire.web.pages import servir
from inventaire.web.render import PageRoute, render
from inventaire.web.sessions import Viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
LAST_CHECKS = 8
POLL_SECONDS = 5
# The settings the polled part shows or computes with (its ETag names them).
SHOWN_SETTINGS = ("seuil_defaut", "delai_commande_jours", "rappel_jours", "gazelle_late_hours",
                  "gazelle_configured", "tz")


@dataclass
class AlertGroup:
    technicien: str
    alertes: list[Alert] = field(default_factory=list)

    @property
    def critiques(self) -> int:
        return sum(1 for a in self.alertes if a.severity == Severity.CRITIQUE)


def group_alerts(alerts: list[Alert]) -> list[AlertGroup]:
    """Alerts by technician (critical first inside a group); the most critical vans first."""
    groups: dict[str, AlertGroup] = {}
    for alert in alerts:  # already sorted critical first, then technician, then code
        groups.setdefault(alert.technicien, AlertGroup(alert.technicien)).alertes.append(alert)
    for group in groups.values():
        group.alertes.sort(key=lambda a: (a.severity != Severity.CRITIQUE, a.code_produit))
    return sorted(groups.values(), key=lambda g: (-g.critiques, -len(g.alertes), g.technicien.casefold()))


def live_report(db_session: Session, settings: Settings) -> Report:
    """The alerts now (not stored), each compared with the last stored run of every technician."""
    return checks.compared_report(
        db_session=db_session, technician=None, seuil_critique=None, default=settings.seuil_defaut,
        rappel=dt.timedelta(days=settings.rappel_jours), horizon_days=settings.delai_commande_jours,
        booked=Horizon.of(settings=settings),
    )


def dashboard_context(db_session: Session, settings: Settings) -> dict[str, Any]:
    """What the dashboard shows now: the live alerts and the last stored runs."""
    report = live_report(db_session, settings)
    runs, total_runs = checks.list_runs(db_session=db_session, technician=None, limit=LAST_CHECKS, offset=0)
    from inventaire.deductions import overview
    from inventaire.gazelle import health

    return {"rapport": report, "groupes": group_alerts(report.alertes), "verifications": runs,
            "total_verifications": total_runs, "intervalle": POLL_SECONDS,
            "sync_probleme": health.problem(db_session=db_session, settings=settings),
            "manques": overview.open_shortfalls(db_session=db_session)}


def page_context(db_session: Session, settings: Settings, viewer: Viewer) -> dict[str, Any]:
    """The whole dashboard: the polled part (with its ETag, read first), the vans' open requests, the form."""
    return {"etag": fragment_etag(db_session, settings, viewer),
            "entreprise_invite": company.needs_asking(db_session=db_session, settings=settings),
            "techniciens": techniciens.list_technicians(db_session=db_session, actif=True),
            "resultat": servir.Outcome(), **servir.requests_context(db_session),
            **dashboard_context(db_session, settings)}


@router.get("/")
def dashboard(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: PageUser) -> Response:
    if not viewer.is_admin:
        return RedirectResponse(viewer.home, 303)
    return render(request, "tableau.html", viewer=viewer, nav="tableau", **page_context(db_session, settings, viewer))


def fragment_etag(db_session: Session, settings: Settings, viewer: Viewer) -> str:
    return conditional.etag(db_session=db_session, settings=settings, viewer=viewer, read=SHOWN_SETTINGS)


@router.get("/fragments/tableau")
def dashboard_fragment(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage) -> Response:
    """The part of the dashboard that HTMX polls every few seconds: 304 while nothing it shows changed."""
    tag = fragment_etag(db_session, settings, viewer)
    if conditional.unchanged(request, tag):
        return conditional.not_modified(tag)
    response = render(request, "_tableau.html", viewer=viewer, **dashboard_context(db_session, settings))
    response.headers["ETag"] = tag
    return response
