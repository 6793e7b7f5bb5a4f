"""« Gazelle », for the office: how the connector gets in, « Connecter Gazelle » and its return,
« Déconnecter », « Tester la connexion », the last runs and the last schema check."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from inventaire.deps import SessionDep, SettingsDep
from inventaire.gazelle import connection, directory
from inventaire.gazelle.models import GazelleToken
from inventaire.gazelle.schemas import CheckRead
from inventaire.kit.config import Settings
from inventaire.kit.exceptions import DomainError
from inventaire.kit.names import de
from inventaire.tasks.deps import JobSessions
from inventaire.web.deps import AdminPage
from inventaire.web.pages.connexion import secure_cookies
from inventaire.web.render import PageRoute, render
from inventaire.web.sessions import Viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
NONCE_COOKIE = "inventaire_gazelle_etat"  # SameSite=Lax: it must come back with Gazelle's cross-site redirect
NOTICES = {"deconnecte": "Gazelle est déconnecté : les jetons enregistrés sont oubliés.",
           "connecte": "Gazelle est connecté."}


def _page(request: Request, db_session: Session, settings: Settings, viewer: Viewer, *, verdict: CheckRead | None = None,
          avis: str | None = None, erreur: str | None = None, status_code: int = 200) -> Response:
    row = db_session.get(GazelleToken, 1)
    return render(request, "gazelle.html", status_code, viewer=viewer, nav="gazelle",
                  etat=connection.state(db_session=db_session, settings=settings),
                  oauth=settings.gazelle_oauth, cle=settings.gazelle_api_key is not None,
                  autorise_par=row.autorise_par if row else None, stocke=row is not None,
                  verdict=verdict, texte=connection.verdict_text, avis=avis, erreur=erreur)


@router.get("/gazelle")
def gazelle_page(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
                 avis: str | None = Query(None, max_length=20)) -> Response:
    return _page(request, db_session, settings, viewer, avis=NOTICES.get(avis or ""))


@router.get("/gazelle/connecter")
def connect(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage) -> Response:
    """To Gazelle's authorization page, with a one-time state bound to this browser."""
    url, nonce = connection.start(db_session=db_session, settings=settings, by=viewer.principal.nom,
                                  base=str(request.base_url))
    response = RedirectResponse(url, 303)
    response.set_cookie(NONCE_COOKIE, nonce, max_age=int(connection.STATE_LIFETIME.total_seconds()), httponly=True,
                        samesite="lax", secure=secure_cookies(request), path=connection.CALLBACK)
    return response


@router.get(connection.CALLBACK)
def callback(request: Request, settings: SettingsDep, sessions: JobSessions,
             code: str = Query("", max_length=2000), state: str = Query("", max_length=200),
             error: str | None = Query(None, max_length=200)) -> Response:
    """Gazelle's return (no page session: its cookie is SameSite=Strict); the outcome, then « Gazelle »."""
    nonce = request.cookies.get(NONCE_COOKIE)
    try:
        if error:
            raise DomainError("Gazelle n'a pas accordé l'accès (autorisation refusée) : rien n'a été enregistré.")
        by = connection.finish(session_factory=sessions, settings=settings, code=code, state_value=state,
                               nonce=nonce, base=str(request.base_url))
        response = render(request, "gazelle_retour.html", 200, ok=True, message=(
            f"Gazelle est connecté (autorisé depuis la session {de(by)})."))
        directory.forget()
    except DomainError as exc:
        response = render(request, "gazelle_retour.html", exc.status_code, ok=False, message=exc.detail)
    response.delete_cookie(NONCE_COOKIE, path=connection.CALLBACK, httponly=True, samesite="lax",
                           secure=secure_cookies(request))
    return response


@router.post("/gazelle/deconnecter")
def disconnect(db_session: SessionDep, viewer: AdminPage) -> Response:
    connection.disconnect(db_session=db_session)
    directory.forget()
    return RedirectResponse("/gazelle?avis=deconnecte", 303)


@router.post("/gazelle/verifier")
def check(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage, sessions: JobSessions) -> Response:
    """« Tester la connexion »: the live schema check, its verdict on the page."""
    try:
        verdict = connection.check(session_factory=sessions, settings=settings)
    except DomainError as exc:
        return _page(request, db_session, settings, viewer, erreur=exc.detail, status_code=exc.status_code)
    return _page(request, db_session, settings, viewer, verdict=verdict)
