"""The ASGI application: routers, error handlers, request-size limit, health."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session, sessionmaker
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from inventaire import __version__, api_docs
from inventaire.ateliers.routes import router as ateliers_router
from inventaire.auth import redaction
from inventaire.catalogue.routes import router as catalogue_router
from inventaire.chargement.routes import router as chargement_router
from inventaire.checks.routes import router as checks_router
from inventaire.commandes.routes import router as commandes_router
from inventaire.deductions.routes import router as deductions_router
from inventaire.demandes.routes import router as demandes_router
from inventaire.deps import known_query_only
from inventaire.entreprise.routes import router as entreprise_router
from inventaire.fournisseurs.routes import router as fournisseurs_router
from inventaire.gazelle.routes import router as gazelle_router
from inventaire.idempotency import routing as idempotency
from inventaire.kit import errors
from inventaire.kit.admission import AdmissionLimit, BodyFirst
from inventaire.kit.config import Settings, get_settings
from inventaire.kit.database import engine_for
from inventaire.kit.health import router as health_router
from inventaire.kit.proxy import ForwardedHeaders
from inventaire.pianos.routes import router as pianos_router
from inventaire.previsions.routes import router as previsions_router
from inventaire.reappro.routes import router as reappro_router
from inventaire.regles.routes import router as regles_router
from inventaire.rendezvous.routes import router as rendezvous_router
from inventaire.sessions import audited
from inventaire.sessions import session_factory as sessions_for
from inventaire.stock.routes import router as stock_router
from inventaire.tasks.routes import router as tasks_router
from inventaire.techniciens.routes import router as techniciens_router
from inventaire.web.mount import mount as mount_pages
from inventaire.web.mount import mount_polled

GZIP_MIN_BYTES = 800  # below this, compressing saves less than it costs


class BodySizeLimit:
    """Refuse bodies over a limit with a French 413, before reading them whole.

    A declared length is refused at once. A streamed body is cut off: the app sees a
    disconnect (FastAPI answers 400 to that), and that answer is replaced by the 413.
    """

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await self._refuse(scope, send)
        received, too_large, answered = 0, False, False

        async def limited_receive():
            nonlocal received, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                too_large = True
                return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            nonlocal answered
            if not too_large:
                await send(message)
            elif not answered:
                answered = True
                await self._refuse(scope, send)

        await self.app(scope, limited_receive, guarded_send)

    async def _refuse(self, scope: Scope, send: Send):
        response = JSONResponse(
            {"detail": f"Requête trop volumineuse (au plus {self.max_bytes // 1000} ko)."}, status_code=413
        )
        await response(scope, _disconnected, send)


class StrictTransport:
    """HSTS on every answer when the public address is https: browsers then never try http."""

    HEADER = (b"strict-transport-security", b"max-age=31536000")

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_hsts(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), self.HEADER]
            await send(message)

        await self.app(scope, receive, with_hsts)


async def _disconnected() -> dict:
    return {"type": "http.disconnect"}


def create_app(settings: Settings | None = None, session_factory: sessionmaker[Session] | None = None) -> FastAPI:
    """Build the application for these settings (tests pass their own session factory)."""
    settings = settings or get_settings()
    # The audit trail is installed on the factory itself, whoever made it (sessions.py).
    session_factory = audited(session_factory or sessions_for(engine_for(settings, pre_ping=False)))
    app = FastAPI(
        title="Inventaire",
        version=__version__,
        description="Service de stock : catalogue, stock des techniciens, journal des mouvements, alertes.",
        docs_url=None, redoc_url=None, openapi_url=None,  # served by api_docs, behind authentication
    )
    app.state.settings = settings
    app.state.sessionmaker = session_factory
    errors.install(app)
    redaction.install()
    idempotency.install(app)

    # First, with the polled pages: uptime monitors call it every few seconds.
    app.include_router(api_docs.name_answers(health_router))
    mount_polled(app)
    # Each API router is included in the app itself, not through a /inventaire router: FastAPI
    # matches a request against every route of each level, so a level less is a scan less.
    for router in (stock_router, catalogue_router, techniciens_router, ateliers_router, tasks_router, checks_router,
                   previsions_router, regles_router, deductions_router, gazelle_router, demandes_router,
                   reappro_router, commandes_router, rendezvous_router, chargement_router,
                   fournisseurs_router, pianos_router, entreprise_router):
        app.include_router(api_docs.name_answers(router), prefix="/inventaire", responses=errors.EVERY_ROUTE,
                           dependencies=[Depends(known_query_only)])
    mount_pages(app)
    api_docs.install(app)

    # Innermost: pages, fragments, scripts and JSON leave compressed (a phone on Slow 4G: 162 KB → ~40 KB).
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=6)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(AdmissionLimit, limit=settings.max_requests)
    app.add_middleware(BodyFirst, timeout=settings.body_timeout, max_bytes=settings.max_body_bytes)
    if settings.public_https:
        app.add_middleware(StrictTransport)  # every answer, refusals included
    # Outermost: every layer sees the client's address and scheme as the trusted proxy gave them.
    app.add_middleware(ForwardedHeaders, trusted=settings.forwarded_allow_ips)
    return app
