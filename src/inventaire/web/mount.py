"""Mounting the pages and their static files on the application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

from inventaire.web import fallback
from inventaire.web.pages import (
    acces,
    catalogue,
    chargements,
    commandes,
    connexion,
    deductions,
    demandes,
    emplacements,
    entreprise,
    entretiens,
    etiquettes,
    evolution,
    exports,
    fournisseurs,
    gazelle,
    historique,
    levels,
    modifications,
    offline,
    preparation,
    reception,
    regles,
    servir,
    stock,
    tableau,
    techniciens,
    transactions,
    transfert,
    verifications,
)
from inventaire.web.render import make_environment

STATIC = Path(__file__).parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"


class VersionedStatic(StaticFiles):
    """Static files with cache headers: a file asked with its version (`?v=`, every <script> and
    stylesheet of the pages) never changes under that URL, so the browser keeps it a year; any
    other is revalidated (ETag, 304) each time."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        versioned = b"v=" in scope.get("query_string", b"")
        response.headers["Cache-Control"] = IMMUTABLE if versioned and response.status_code == 200 else "no-cache"
        return response


# What open pages poll every 5 s (the dashboard's alerts and requests, a phone's cards): most of
# the requests, so their routers come first, before the API's. FastAPI tries every route in
# order; none of these paths can be another route's (exact paths, or /stock/{nom}/suivi).
POLLED = (tableau, servir, demandes)


def mount_polled(app: FastAPI) -> None:
    """Add the routers of the polled fragments (call before the API's routers, then mount)."""
    for module in POLLED:
        app.include_router(module.router)


def mount(app: FastAPI) -> None:
    """Add the other pages and /static to `app` (the `?jeton=` of a login link is masked in
    access logs by inventaire.auth.redaction)."""
    app.state.page_templates = make_environment(app.state.settings.tz)
    app.mount("/static", VersionedStatic(directory=STATIC), name="static")
    for module in (exports, historique, connexion, verifications, evolution, catalogue, stock, reception, levels,
                   techniciens, transactions, acces, modifications, deductions, regles, preparation, emplacements,
                   commandes, gazelle, chargements, offline, etiquettes, fournisseurs, entretiens, transfert, entreprise):
        app.include_router(module.router)
    fallback.install(app)
