"""Technicians, for the office: the list, adding one, changing a name, an e-mail, the status.

Deactivating a technician takes them out of the checks and the notifications, and every
token bound to them stops working (auth.service); their history stays.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inventaire.deps import SessionDep
from inventaire.gazelle import directory
from inventaire.kit.exceptions import Conflict, InvalidInput
from inventaire.kit.forms import validate
from inventaire.techniciens import service as techniciens
from inventaire.techniciens.models import Technician
from inventaire.techniciens.schemas import TechnicianCreate, TechnicianUpdate
from inventaire.web.deps import AdminPage, FormData
from inventaire.web.render import PageRoute, refuse, render
from inventaire.web.sessions import Viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
NomPath = Path(min_length=1, max_length=60)
NOTICES = {"ajoute": "Technicien « {} » ajouté.", "modifie": "Technicien « {} » modifié.",
           "desactive": "Technicien « {} » désactivé : ses jetons ne fonctionnent plus, son historique reste."}


@router.get("/techniciens")
def technician_list(request: Request, db_session: SessionDep, viewer: AdminPage,
                    avis: Literal["ajoute", "modifie", "desactive"] | None = None,
                    nom: str | None = Query(None, max_length=60)) -> Response:
    return render(request, "techniciens.html", viewer=viewer, nav="techniciens",
                  techniciens=techniciens.list_technicians(db_session=db_session),
                  avis=NOTICES[avis].format(nom) if avis and nom else None)


def _form_page(request: Request, viewer: Viewer, technicien: Technician | None = None,
               valeurs: dict[str, Any] | None = None, erreurs: dict[str, str] | None = None,
               status_code: int = 200) -> HTMLResponse:
    users = directory.users(request.app.state.settings, request.app.state.sessionmaker)
    return render(request, "technicien_form.html", status_code, viewer=viewer, nav="techniciens",
                  technicien=technicien, valeurs=valeurs or {}, erreurs=erreurs or {},
                  utilisateurs=users.items, probleme_gazelle=users.probleme)


def _field_of(exc: Conflict | InvalidInput) -> str:
    """Which field a refusal is about: the Gazelle user, or the name."""
    return "gazelle_id" if "Gazelle" in exc.detail else "nom"


def _form_data(form: dict[str, str]) -> dict[str, str]:
    return {"nom": form.get("nom", ""), "email": form.get("email", ""), "gazelle_id": form.get("gazelle_id", "")}


def _back(nom: str, what: str) -> RedirectResponse:
    return RedirectResponse(f"/techniciens?avis={what}&nom={quote(nom)}", 303)


@router.get("/techniciens/nouveau")
def new_technician_page(request: Request, db_session: SessionDep, viewer: AdminPage) -> Response:
    db_session.commit()  # Gazelle's user list may refresh its token in a transaction of its own
    return _form_page(request, viewer)


@router.post("/techniciens/nouveau")
def create_technician(request: Request, db_session: SessionDep, viewer: AdminPage, form: FormData) -> Response:
    data = _form_data(form)
    body, errors = validate(TechnicianCreate, data, required={"nom"})
    if body is None:
        return _form_page(request, viewer, valeurs=data, erreurs=errors, status_code=422)
    try:
        technician = techniciens.create(db_session=db_session, **body.model_dump())
    except (Conflict, InvalidInput) as exc:
        field, detail, status = _field_of(exc), exc.detail, exc.status_code
        return refuse(db_session, lambda: _form_page(request, viewer, valeurs=data, erreurs={field: detail},
                                                     status_code=status))
    return _back(technician.nom, "ajoute")


@router.get("/techniciens/{nom}/modifier")
def edit_technician_page(request: Request, db_session: SessionDep, viewer: AdminPage, nom: str = NomPath) -> Response:
    technician = techniciens.get_or_404(db_session=db_session, nom=nom)
    db_session.commit()  # Gazelle's user list may refresh its token in a transaction of its own
    return _form_page(request, viewer, technicien=technician, valeurs={
        "nom": technician.nom, "email": technician.email or "", "actif": technician.actif,
        "gazelle_id": technician.gazelle_id or ""})


@router.post("/techniciens/{nom}/modifier")
def update_technician(request: Request, db_session: SessionDep, viewer: AdminPage, form: FormData,
                      nom: str = NomPath) -> Response:
    technician = techniciens.get_or_404(db_session=db_session, nom=nom)
    data = _form_data(form)
    active = form.get("actif") == "on"
    body, errors = validate(TechnicianUpdate, data, clearable={"email", "gazelle_id"}, required={"nom"})
    if body is None:
        return _form_page(request, viewer, technicien=technician, valeurs={**data, "actif": active},
                          erreurs=errors, status_code=422)
    was_active = technician.actif
    try:
        techniciens.update(db_session=db_session, technician=technician,
                           changes={**body.model_dump(exclude_unset=True), "actif": active})
    except (Conflict, InvalidInput) as exc:
        field, detail, status = _field_of(exc), exc.detail, exc.status_code
        return refuse(db_session, lambda: _form_page(request, viewer, technicien=technician,
                                                     valeurs={**data, "actif": active}, erreurs={field: detail},
                                                     status_code=status))
    return _back(technician.nom, "desactive" if was_active and not active else "modifie")
