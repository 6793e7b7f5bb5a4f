"""The company's name and address, for the office: asked at the first start, changed here later.

The dashboard and « Commandes » show a short form (`_entreprise_invite.html`) until the office
saves them (entreprise/service.py, `needs_asking`); it posts here and comes back to its page.
A refused form is shown here in full, every field as typed and the error beside the bad one.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from inventaire.deps import SessionDep, SettingsDep
from inventaire.entreprise import service as company
from inventaire.entreprise.schemas import ADDRESS, CompanyWrite
from inventaire.kit.errors import french_message
from inventaire.kit.forms import validate
from inventaire.web.deps import AdminPage, FormData
from inventaire.web.render import PageRoute, render
from inventaire.web.sessions import Viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
FIELDS = ("nom", "adresse", "telephone", "courriel")
# Where the form may send the person back: the pages that show it, nothing typed from outside.
RETURNS = {"/": "Tableau de bord", "/commandes": "Commandes"}


def _page(request: Request, viewer: Viewer, valeurs: dict[str, str], *, suite: str | None = None,
          erreurs: dict[str, str] | None = None, avis: str | None = None, status_code: int = 200) -> Response:
    return render(request, "entreprise.html", status_code, viewer=viewer, nav="commandes", valeurs=valeurs,
                  erreurs=erreurs or {}, avis=avis, suite=suite if suite in RETURNS else None, retours=RETURNS)


@router.get("/entreprise")
def company_page(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
                 avis: Literal["enregistre"] | None = None) -> Response:
    identity = company.identity(db_session=db_session, settings=settings)
    values = {"nom": identity.nom, "adresse": "\n".join(identity.adresse), "telephone": identity.telephone or "",
              "courriel": identity.courriel or ""}
    return _page(request, viewer, values, avis="Nom et adresse de l'entreprise enregistrés." if avis else None)


def _address(typed: str) -> tuple[list[str], str]:
    """The textarea's non-blank lines, checked as the API checks its list; or the French error."""
    lines = [line.strip() for line in typed.splitlines() if line.strip()]
    try:
        return ADDRESS.validate_python(lines), ""
    except ValidationError as exc:
        error = exc.errors()[0]
        where = error["loc"][0] if error["loc"] else None
        prefix = f"ligne {where + 1} : " if isinstance(where, int) else ""
        return [], prefix + french_message(error)


@router.post("/entreprise")
def save_company(request: Request, db_session: SessionDep, viewer: AdminPage, form: FormData) -> Response:
    data = {name: form.get(name, "") for name in FIELDS}
    back = form.get("suite")
    body, errors = validate(CompanyWrite, {k: v for k, v in data.items() if k != "adresse"}, required={"nom"})
    lines, errors["adresse"] = _address(data["adresse"])
    errors = {field: message for field, message in errors.items() if message}
    if body is None or errors:  # nothing written
        return _page(request, viewer, data, suite=back, erreurs=errors, status_code=422)
    company.save(db_session=db_session, data=body.model_dump() | {"adresse": lines})
    return RedirectResponse(back if back in RETURNS else "/entreprise?avis=enregistre", 303)
