"""Page dependencies: the logged-in viewer, CSRF on every state-changing request, roles, forms."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request

from inventaire.audit import service as audit
from inventaire.deps import CSRF_HEADER, SessionDep
from inventaire.kit.database import first_read
from inventaire.web import sessions
from inventaire.web.render import LoginRequired, PageForbidden
from inventaire.web.sessions import COOKIE, Viewer

CSRF_FIELD = "csrf"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def session_viewer(request: Request, db_session: SessionDep) -> Viewer | None:
    cookie = request.cookies.get(COOKIE)
    viewer = first_read(db_session, lambda: sessions.viewer_of(db_session=db_session, cookie=cookie))
    if viewer is not None:
        audit.set_author(db_session, viewer.principal.nom)
    return viewer


def same_origin(request: Request) -> bool:
    """False when the browser says the request comes from another page than ours."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def submitted_csrf(request: Request) -> str | None:
    """The CSRF token of a request: the HTMX header, or the hidden field of a plain form."""
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    return given


async def page_user(request: Request, viewer: Annotated[Viewer | None, Depends(session_viewer)]) -> Viewer:
    """The logged-in viewer; a state-changing request must also come with the session's CSRF token."""
    if viewer is None:
        raise LoginRequired()
    if request.method not in SAFE_METHODS:
        if not same_origin(request):
            raise PageForbidden("Requête venant d'un autre site : refusée.")
        if not sessions.csrf_matches(viewer.csrf, await submitted_csrf(request)):
            raise PageForbidden(
                "Jeton anti-falsification (CSRF) manquant ou invalide : rechargez la page et recommencez."
            )
    return viewer


PageUser = Annotated[Viewer, Depends(page_user)]


async def admin_page(viewer: PageUser) -> Viewer:  # no I/O: async spares a thread-pool hop (deps.py)
    """Pages of the office only (a technician sees the catalogue and their own stock)."""
    if not viewer.is_admin:
        raise PageForbidden("Cette page est réservée au bureau (jeton administrateur).")
    return viewer


AdminPage = Annotated[Viewer, Depends(admin_page)]


async def form_data(request: Request) -> dict[str, str]:
    """The submitted form as plain strings (files are not accepted by any page)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str) and key != CSRF_FIELD}


FormData = Annotated[dict[str, str], Depends(form_data)]
