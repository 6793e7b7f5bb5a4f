"""Logging in with an API token (form, or the `?jeton=` link printed by `serve`) and out."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from inventaire.auth import throttle
from inventaire.deps import SessionDep
from inventaire.kit.exceptions import DomainError, TooManyAttempts, Unauthorized
from inventaire.web import sessions
from inventaire.web.deps import FormData, PageUser, same_origin, session_viewer, submitted_csrf
from inventaire.web.render import PageRoute, render
from inventaire.web.sessions import COOKIE

router = APIRouter(route_class=PageRoute, include_in_schema=False)

LOGIN_COOKIE = "inventaire_connexion"  # double-submit CSRF token of the login form
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")


def secure_cookies(request: Request) -> bool:
    """Secure cookies over https (or when the public address is https, whatever the proxy says),
    and on the loopback where browsers accept them over http."""
    return (request.url.scheme == "https" or request.url.hostname in LOCAL_HOSTS
            or request.app.state.settings.public_https)


def safe_next(target: str | None) -> str | None:
    """Only a path of this site (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _form(request: Request, status_code: int = 200, erreur: str | None = None, jeton: str = "",
          suite: str | None = None, message: str | None = None) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "connexion.html", status_code, erreur=erreur, jeton=jeton,
                      suite=suite or "", login_csrf=token, message=message)
    response.set_cookie(LOGIN_COOKIE, token, max_age=3600, httponly=True, samesite="strict",
                        secure=secure_cookies(request), path="/connexion")
    return response


def _log_in(request: Request, db_session: Session, raw: str, suite: str | None) -> Response:
    try:
        cookie, row = sessions.open_session(db_session=db_session, raw_token=raw)
    except DomainError as exc:
        db_session.rollback()
        if isinstance(exc, Unauthorized) and raw:
            try:  # committed by the request with the form it answers
                throttle.count_failure(db_session=db_session, adresse=throttle.client_address(request),
                                       limit=request.app.state.settings.auth_failures_per_minute)
            except TooManyAttempts as refused:
                exc = refused
        response = _form(request, exc.status_code, erreur=exc.detail, suite=suite)
        response.headers.update(exc.headers or {})
        return response
    technicien = row.token.technicien.nom if row.token.technicien else None
    response = RedirectResponse(safe_next(suite) or sessions.home_page(row.token.role, technicien), status_code=303)
    response.set_cookie(COOKIE, cookie, max_age=int(sessions.LIFETIME.total_seconds()), httponly=True,
                        samesite="strict", secure=secure_cookies(request), path="/")
    response.delete_cookie(LOGIN_COOKIE, path="/connexion", httponly=True, samesite="strict")
    return response


@router.get("/connexion")
def login_page(request: Request, db_session: SessionDep, jeton: str | None = None, suite: str | None = None,
               deconnecte: bool = False) -> Response:
    if jeton:
        # The link printed by `serve` logs in at once, unless another site sent the browser
        # here (login CSRF): then the person confirms with the button.
        if request.headers.get("sec-fetch-site") in (None, "none", "same-origin"):
            return _log_in(request, db_session, jeton, suite)
        return _form(request, jeton=jeton, suite=suite, message="Confirmez la connexion avec ce jeton.")
    viewer = session_viewer(request, db_session)
    if viewer is not None:
        return RedirectResponse(safe_next(suite) or viewer.home, status_code=303)
    return _form(request, suite=suite, message="Vous êtes déconnecté." if deconnecte else None)


@router.post("/connexion")
def login(request: Request, db_session: SessionDep, form: FormData,
          given: Annotated[str | None, Depends(submitted_csrf)]) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE)
    suite = form.get("suite")
    if not same_origin(request) or not expected or not sessions.csrf_matches(expected, given):
        return _form(request, 403, suite=suite, erreur=(
            "Formulaire expiré ou envoyé d'un autre site : réessayez (les témoins doivent être activés)."
        ))
    return _log_in(request, db_session, form.get("jeton", "").strip(), suite)


@router.get("/deconnexion")
def logout_page(request: Request, viewer: PageUser) -> Response:
    return render(request, "deconnexion.html", viewer=viewer)


@router.post("/deconnexion")
def logout(db_session: SessionDep, viewer: PageUser) -> Response:
    sessions.close_session(db_session=db_session, session_id=viewer.session_id)
    response = RedirectResponse("/connexion?deconnecte=1", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
