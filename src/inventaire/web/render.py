"""Rendering pages: the Jinja environment, security headers, and errors shown as pages."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from inventaire import __version__
from inventaire.idempotency.pages import PageReplay
from inventaire.kit.dates import Clock
from inventaire.kit.errors import DATABASE_UNAVAILABLE, RETRY_SOON, database_unavailable, validation_detail
from inventaire.kit.exceptions import DomainError, Forbidden
from inventaire.web import formatting

TEMPLATES = Path(__file__).parent / "templates"

# Scripts and styles come only from /static (no inline code, no CDN); frames are refused.
# 'wasm-unsafe-eval' lets the vendored barcode reader compile its WebAssembly (not JS eval).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Not "no-referrer": that would make browsers send "Origin: null" on our own form posts.
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
ERROR_HEADER = "X-Inventaire-Erreur"


class LoginRequired(Exception):
    """No valid session: the person is sent to /connexion."""


class PageForbidden(Forbidden):
    """A page or action the viewer's role may not use."""


@lru_cache(maxsize=1)
def static_version() -> str:
    """The `?v=` of the pages' own scripts and styles: the release and a digest of the static
    files, so that a changed file gets a new URL (they are cached as immutable, web/mount.py)."""
    digest = hashlib.sha256()
    for path in sorted((TEMPLATES.parent / "static").rglob("*")):
        if path.is_file() and "vendor" not in path.parts:
            digest.update(path.name.encode() + path.read_bytes())
    return f"{__version__}-{digest.hexdigest()[:10]}"


@lru_cache(maxsize=8)
def make_environment(tz: str) -> Environment:
    """The Jinja environment for a timezone (cached: templates compile once per process)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, finalize=formatting.guillemets,
    )
    formatting.install(env, Clock(tz))
    env.globals["version"] = static_version()
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}
    return env


def query_with(request: Request, **changes: object) -> str:
    """The current query string with some parameters changed (None removes one)."""
    params = dict(request.query_params)
    params.update({k: str(v) for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        params.pop(key, None)
    return urlencode(params)


R = TypeVar("R")


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page (or fragment) rendered with the viewer, their CSRF token and the request."""
    viewer = context.pop("viewer", None)
    context.setdefault("nav", "")
    env: Environment = request.app.state.page_templates
    html = env.get_template(template).render(
        request=request, viewer=viewer, csrf=viewer.csrf if viewer else "",
        requete=lambda **changes: query_with(request, **changes), **context
    )
    return HTMLResponse(html, status_code=status_code)


def refuse(db_session: Session, answer: Callable[[], R]) -> R:
    """A refused form: undo what the request wrote, then build the answer (it reads the state as it was).

    The commit policy's one rule for pages: the request dependency commits whatever is left, so
    a refusal rolls back first; a form's one-time key goes with it and the same form may be sent again.
    """
    db_session.rollback()
    return answer()


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def error_response(request: Request, status_code: int, message: str | list[str]) -> Response:
    """An error as a page, or as a small fragment with its message in a header for HTMX."""
    messages = message if isinstance(message, list) else [message]
    if is_htmx(request):
        response = render(request, "_erreur.html", status_code, messages=messages)
        response.headers[ERROR_HEADER] = quote(str(formatting.guillemets(" ".join(messages))))
        return response
    return render(request, "erreur.html", status_code, messages=messages)


def login_redirect(request: Request) -> Response:
    if is_htmx(request):
        return error_response(request, 401, "Votre session a expiré : reconnectez-vous.")
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/connexion?suite={quote(target, safe='')}", status_code=303)


class PageRoute(APIRoute):
    """A page route: errors become French pages (not JSON), every answer gets security headers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                response = await handler(request)
            except LoginRequired:
                response = login_redirect(request)
            except PageReplay as replay:  # a one-time key already answered (idempotency/pages.py)
                response = replay.response
            except DomainError as exc:
                response = error_response(request, exc.status_code, exc.detail)
            except RequestValidationError as exc:
                if request.method == "GET" and all(e["loc"][0] == "path" for e in exc.errors()):
                    from inventaire.web.fallback import page_answer  # it renders with this module

                    response = page_answer(request, 422)  # « /commandes/nouvelle »: no such order, its page
                else:
                    response = error_response(request, 422, [e["msg"] for e in validation_detail(exc)])
            except DBAPIError as exc:  # a person on a phone gets a page saying so, not JSON
                if not database_unavailable(exc):
                    raise
                response = error_response(request, 503, DATABASE_UNAVAILABLE)
                response.headers.update(RETRY_SOON)
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return page_handler
