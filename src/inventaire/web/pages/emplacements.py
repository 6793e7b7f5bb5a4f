"""The office's index of stock holders: the vans and the workshops, with their alerts; adding a workshop."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from inventaire.ateliers import service as ateliers
from inventaire.checks import service as checks
from inventaire.deps import SessionDep, SettingsDep
from inventaire.kit.config import Settings
from inventaire.kit.enums import Severity
from inventaire.kit.exceptions import DomainError
from inventaire.techniciens import service as techniciens
from inventaire.web.deps import AdminPage, FormData, PageUser
from inventaire.web.pages.van import van_page
from inventaire.web.render import PageRoute, refuse, render
from inventaire.web.sessions import Viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def index_page(request: Request, db_session: Session, settings: Settings, viewer: Viewer, status_code: int = 200,
               atelier: dict[str, str] | None = None) -> HTMLResponse:
    """Every active van and workshop with its alerts now (the check's rule); `atelier`: the add form's state."""
    report = checks.build_report(db_session=db_session, technician=None, seuil_critique=None,
                                 default=settings.seuil_defaut)
    counts: dict[str, dict[str, int]] = {}
    for alert in report.alertes:
        entry = counts.setdefault(alert.technicien, {"total": 0, "critiques": 0})
        entry["total"] += 1
        entry["critiques"] += alert.severity == Severity.CRITIQUE
    return render(request, "stock_index.html", status_code, viewer=viewer, nav="stock", alertes=counts,
                  techniciens=techniciens.list_technicians(db_session=db_session, actif=True),
                  ateliers=ateliers.list_workshops(db_session=db_session, actif=True),
                  desactives=ateliers.list_workshops(db_session=db_session, actif=False),
                  atelier=atelier or {})


@router.get("/stock")
def stock_index(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: PageUser) -> Response:
    if not viewer.is_admin:
        return RedirectResponse(viewer.home, 303)
    return index_page(request, db_session, settings, viewer)


@router.post("/ateliers")
def add_workshop(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
                 form: FormData) -> Response:
    """Add a workshop (a name no technician or workshop holds, whatever its case)."""
    nom = form.get("nom", "")
    if not nom.strip():
        return index_page(request, db_session, settings, viewer, 422,
                          atelier={"nom": nom, "erreur": "Nom : donnez un nom à l'atelier."})
    try:
        workshop = ateliers.create(db_session=db_session, nom=nom)
    except DomainError as exc:
        status, detail = exc.status_code, exc.detail
        return refuse(db_session, lambda: index_page(request, db_session, settings, viewer, status,
                                                     atelier={"nom": nom, "erreur": detail}))
    # On to its page: the next thing to do is to receive its stock.
    return RedirectResponse(f"/stock/{quote(workshop.nom, safe='')}", 303)


@router.post("/ateliers/{nom}/modifier")
def change_workshop(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
                    form: FormData, nom: str = Path(min_length=1, max_length=60)) -> Response:
    """Rename a workshop, or deactivate it (« actif » = "non") or make it active again, from its page."""
    workshop = ateliers.get_or_404(db_session=db_session, nom=nom)
    typed = {"nom": form.get("nom", "").strip(), "actif": form.get("actif", "oui")}
    changes: dict[str, object] = {"actif": typed["actif"] != "non"}
    if typed["nom"] and typed["nom"] != workshop.nom:
        changes["nom"] = typed["nom"]
    try:
        ateliers.update(db_session=db_session, workshop=workshop, changes=changes)
    except DomainError as exc:
        status, detail = exc.status_code, exc.detail
        return refuse(db_session, lambda: van_page(request, db_session, settings, viewer, workshop, status,
                                                   atelier={**typed, "erreur": detail}))
    state = "modifie" if workshop.actif else "desactive"
    return RedirectResponse(f"/stock/{quote(workshop.nom, safe='')}?atelier={state}#atelier", 303)
