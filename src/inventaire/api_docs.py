"""The API's own documentation (/docs, /redoc, /openapi.json), behind authentication too.

The contract: every route but /health needs a token. A script sends its bearer token; a
person reads /docs in a browser after logging in on /connexion (the page session's cookie
goes with the page and with its fetch of /openapi.json). Anyone else: 401, or the login page.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials

from inventaire.auth import service as auth_service
from inventaire.deps import SessionDep, bearer, count_failed_attempt
from inventaire.kit.database import first_read
from inventaire.kit.exceptions import Unauthorized
from inventaire.web import sessions
from inventaire.web.deps import COOKIE

router = APIRouter(include_in_schema=False)
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
def swagger_page(request: Request, known: Reader):
    if not known:
        return _login("/docs")
    return get_swagger_ui_html(
        openapi_url="/openapi.json", title=f"{request.app.title} — API",
        swagger_js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js?v={SWAGGER_UI}",
        swagger_css_url=f"{VENDOR}/swagger-ui/swagger-ui.css?v={SWAGGER_UI}",
        swagger_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png",
    )


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


def install(app: FastAPI) -> None:
    app.include_router(router)
