"""A person never sees JSON: unknown pages and form addresses opened again, answered as pages.

A refused full-page form is answered at the POST's address; reloading it later, or a phone
restoring the tab, asks that address with GET. Such a GET goes back to the page the form belongs
to (the nearest parent address that is a page), so it reloads safely. An address that is no page
at all gets a French error page with a way back. The API (/inventaire) keeps its JSON answers.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from inventaire.web.render import SECURITY_HEADERS, error_response

NOT_A_PAGE = ("/inventaire", "/docs", "/openapi", "/static", "/health")
UNKNOWN_PAGE = "Cette page n'existe pas (ou plus) : l'adresse est peut-être incomplète."


def for_a_person(request: Request) -> bool:
    """A browser asking for a page (not the API, nor a script asking for JSON)."""
    path = request.url.path
    return not path.startswith(NOT_A_PAGE) and "text/html" in request.headers.get("accept", "")


def page_above(request: Request) -> str | None:
    """The nearest parent address answered by a page with GET (« /stock/Allan/recevoir » → « /stock/Allan »)."""
    parts = request.url.path.rstrip("/").split("/")
    while len(parts) > 1:
        parts.pop()
        candidate = "/".join(parts) or "/"
        scope = {"type": "http", "path": candidate, "method": "GET", "root_path": ""}
        for route in request.app.router.routes:
            match, _ = route.matches(scope)
            if match == Match.FULL and getattr(route, "path", "") not in ("/static",):
                return candidate
    return None


def page_answer(request: Request, status_code: int) -> Response:
    """A GET of a form's address goes back to its page; anything else is a French error page."""
    if request.method == "GET" and status_code in (404, 405, 422):
        target = page_above(request)
        if target is not None and status_code != 404:
            return RedirectResponse(target, 303)
        message = UNKNOWN_PAGE
    else:
        message = "Cette adresse ne s'ouvre pas ainsi : revenez à la page précédente et réessayez."
    response = error_response(request, 404 if status_code == 422 else status_code, message)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def install(app: FastAPI) -> None:
    """Answer a person's 404 and 405 as pages; the API's handler answers everyone else."""
    api_handler = app.exception_handlers[StarletteHTTPException]

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code in (404, 405) and for_a_person(request):
            return page_answer(request, exc.status_code)
        answer = api_handler(request, exc)
        return answer if isinstance(answer, Response) else await answer

    app.add_exception_handler(StarletteHTTPException, http_error)
