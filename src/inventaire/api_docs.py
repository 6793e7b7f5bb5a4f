"""The API's own documentation (/docs, /redoc, /openapi.json), behind authentication too.

The contract: every route but /health needs a token. A script sends its bearer token; a
person reads /docs in a browser after logging in on /connexion (the page session's cookie
goes with the page and with its fetch of /openapi.json). Anyone else: 401, or the login page.
"""

from __future__ import annotations

from html import escape
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials

from inventaire import __version__
from inventaire.auth import service as auth_service
from inventaire.deps import SessionDep, bearer, count_failed_attempt
from inventaire.kit.database import first_read
from inventaire.kit.exceptions import Unauthorized
from inventaire.web import sessions
from inventaire.web.sessions import COOKIE

router = APIRouter(include_in_schema=False)
DEFAULT_SUCCESS = "Successful Response"
# Served from the package (static/vendor/, see its README): /docs works without internet.
VENDOR = "/static/vendor"
SWAGGER_UI = "5.35.0"
REDOC = "2.5.1"
# ReDoc draws Redocly's logo from their CDN; the browser is told to load images from here only,
# so the logo is not fetched and ReDoc leaves it out (its error handler hides the image).
LOCAL_IMAGES_ONLY = {"Content-Security-Policy": "img-src 'self' data: blob:"}


def reader_known(
    request: Request, db_session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> bool:
    """Whether the caller has a valid token, or a logged-in page session."""
    if credentials is not None:
        try:
            first_read(db_session, lambda: auth_service.authenticate(db_session=db_session, raw=credentials.credentials))
            return True
        except Unauthorized:
            count_failed_attempt(db_session, request)  # 429 once over the limit
            return False
    cookie = request.cookies.get(COOKIE)
    return first_read(db_session, lambda: sessions.viewer_of(db_session=db_session, cookie=cookie)) is not None


Reader = Annotated[bool, Depends(reader_known)]


def _login(path: str) -> RedirectResponse:
    return RedirectResponse(f"/connexion?suite={quote(path, safe='')}", status_code=303)


@router.get("/openapi.json")
def openapi_schema(request: Request, known: Reader):
    if not known:
        raise Unauthorized(auth_service.AUTH_REQUIRED)
    return JSONResponse(request.app.openapi())


@router.get("/docs")
def swagger_page(request: Request, db_session: SessionDep, known: Reader) -> Response:
    if not known:
        return _login("/docs")
    # A person logged in on the dashboard: « Try it out » runs with their session (static/docs.js
    # hands its CSRF token to each request; deps.py accepts the cookie only with it). Someone who
    # came with a bearer token only: the banner says how to « Authorize ».
    cookie = request.cookies.get(COOKIE)
    viewer = first_read(db_session, lambda: sessions.viewer_of(db_session=db_session, cookie=cookie))
    return HTMLResponse(SWAGGER_PAGE.format(
        title=escape(f"{request.app.title} — API"), vendor=VENDOR, swagger=SWAGGER_UI, version=__version__,
        csrf=escape(viewer.csrf if viewer else ""), banner=_banner(viewer),
    ))


def _banner(viewer: sessions.Viewer | None) -> str:
    """What the top of /docs says, in French: whose rights « Try it out » uses, and how to get a token."""
    token = ("Pour un script, ou pour essayer avec un autre rôle : page « Accès » → « Créer un jeton », "
             "puis bouton « Authorize » ci-dessous, coller le jeton et « Authorize ».")
    if viewer is None:
        return f"<p><strong>Essayer une requête (« Try it out ») demande un jeton d'API.</strong> {token}</p>"
    return (f"<p><strong>« Try it out » puis « Execute » agit en votre nom, "
            f"{escape(viewer.principal.nom)} (rôle {escape(viewer.principal.role)}), "
            f"comme sur le tableau de bord.</strong> {token}</p>")


# Swagger UI's own page, with no inline script: its set-up is static/docs.js (vendored, never a CDN).
SWAGGER_PAGE = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="{csrf}">
<title>{title}</title>
<link rel="icon" href="{vendor}/swagger-ui/favicon-32x32.png">
<link rel="stylesheet" href="{vendor}/swagger-ui/swagger-ui.css?v={swagger}">
<style>.acces-api {{ max-width: 1460px; margin: 1rem auto 0; padding: 0 20px; font: 15px/1.4 sans-serif; }}</style>
</head>
<body>
<div class="acces-api" id="acces-api">{banner}</div>
<div id="swagger-ui" data-schema="/openapi.json"></div>
<script src="{vendor}/swagger-ui/swagger-ui-bundle.js?v={swagger}"></script>
<script src="/static/docs.js?v={version}"></script>
</body>
</html>
"""


@router.get("/redoc")
def redoc_page(request: Request, known: Reader):
    if not known:
        return _login("/redoc")
    page = get_redoc_html(
        openapi_url="/openapi.json", title=f"{request.app.title} — API",
        redoc_js_url=f"{VENDOR}/redoc/redoc.standalone.js?v={REDOC}",
        redoc_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png", with_google_fonts=False,
    )
    page.headers.update(LOCAL_IMAGES_ONLY)
    return page


def name_answers(api: APIRouter) -> APIRouter:
    """Name a router's successes in French; call it before the router is included.

    FastAPI names every success « Successful Response », which /docs shows beside each status.
    """
    for route in api.routes:
        if isinstance(route, APIRoute) and route.response_description == DEFAULT_SUCCESS:
            route.response_description = "Créé" if route.status_code == 201 else "Réussite"
    return api


def install(app: FastAPI) -> None:
    app.include_router(router)
