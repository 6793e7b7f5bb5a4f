"""« Accès », for the office: give a technician or the cron job a token, list tokens, revoke one.

A new token is shown once, on the answer to the form that created it (never stored in clear,
never in a redirect's URL), with its login link and a QR code the phone scans. The form
carries a one-time key, so sending it twice creates one token.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from inventaire.auth import links
from inventaire.auth import service as auth_service
from inventaire.deps import SessionDep, SettingsDep
from inventaire.idempotency import pages as page_keys
from inventaire.kit.enums import Role
from inventaire.kit.exceptions import DomainError
from inventaire.techniciens import service as techniciens
from inventaire.web.deps import AdminPage, FormData
from inventaire.web.render import PageRoute, refuse, render
from inventaire.web.sessions import Viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
# Longer than the roles' own labels: the form says what each kind of token is for.
ROLE_LABELS = {Role.TECHNICIEN: "Technicien (son véhicule)", Role.CRON: "Tâche planifiée (cron : la vérification)",
               Role.ADMIN: "Bureau (administrateur)"}
NOTICES = {"revoque": "Jeton n° {} révoqué : il est refusé dès maintenant.",
           "deja": "Ce formulaire a déjà créé son jeton (n° {}) : il n'est montré qu'une fois."}


def _page(request: Request, db_session: Session, viewer: Viewer, status_code: int = 200, **context: Any) -> HTMLResponse:
    context = {"nouveau": None, "avis": None, **context}
    response = render(request, "acces.html", status_code, viewer=viewer, nav="acces",
                      jetons=auth_service.list_tokens(db_session=db_session), roles=ROLE_LABELS,
                      techniciens=techniciens.list_technicians(db_session=db_session, actif=True),
                      valeurs=context.pop("valeurs", {}), erreurs=context.pop("erreurs", {}),
                      cle=page_keys.new_key(), **context)
    response.headers["Cache-Control"] = "no-store"  # a page showing a new token is never cached
    return response


@router.get("/acces")
def access_page(request: Request, db_session: SessionDep, viewer: AdminPage,
                avis: Literal["revoque", "deja"] | None = None, n: int | None = None) -> Response:
    return _page(request, db_session, viewer, avis=NOTICES[avis].format(n) if avis and n else None)


def _refused(request: Request, db_session: Session, viewer: Viewer, values: dict[str, str], field: str, message: str,
             status_code: int = 422) -> HTMLResponse:
    return refuse(db_session, lambda: _page(request, db_session, viewer, status_code, valeurs=values,
                                            erreurs={field: message}))


@router.post("/acces")
def create_access(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
                  form: FormData) -> Response:
    values = {field: form.get(field, "").strip() for field in ("role", "technicien", "nom", "cle")}
    if values["role"] not in Role.values():
        return _refused(request, db_session, viewer, values, "role", "Choisissez pour qui est ce jeton.")
    technician = None
    if values["role"] == Role.TECHNICIEN:
        if not values["technicien"]:
            return _refused(request, db_session, viewer, values, "technicien", "Choisissez le technicien.")
        technician = techniciens.get_by_name(db_session=db_session, nom=values["technicien"])
        if technician is None or not technician.actif:
            return _refused(request, db_session, viewer, values, "technicien",
                            f"Technicien inconnu ou désactivé : « {values['technicien']} ».")
    once = page_keys.claim(request=request, db_session=db_session, settings=settings, principal=viewer.principal,
                           form=form)
    try:
        raw, token = auth_service.create_token(db_session=db_session, role=values["role"],
                                               nom=values["nom"] or None, technician=technician)
    except DomainError as exc:
        return _refused(request, db_session, viewer, values, "nom", exc.detail, exc.status_code)
    link = links.login_link(base=links.public_base(configured=settings.base_url,
                                                   fallback=str(request.base_url)), raw=raw)
    # The token is shown once: a resubmitted form gets a redirect naming it, never the secret again.
    return once.keep(_page(request, db_session, viewer,
                           nouveau={"jeton": token, "brut": raw, "lien": link, "qr": links.qr_svg(link=link)}),
                     replay=RedirectResponse(f"/acces?avis=deja&n={token.id}", 303))


@router.post("/acces/{token_id}/revoquer")
def revoke_access(db_session: SessionDep, viewer: AdminPage, token_id: int = Path(ge=1)) -> Response:
    auth_service.revoke(db_session=db_session, token_id=token_id)
    return RedirectResponse(f"/acces?avis=revoque&n={token_id}", 303)
