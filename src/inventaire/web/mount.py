"""Mounting the pages and their static files on the application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from inventaire.web import fallback
from inventaire.web.pages import (
    acces,
    catalogue,
    commandes,
    connexion,
    deductions,
    demandes,
    emplacements,
    evolution,
    exports,
    historique,
    levels,
    modifications,
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
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (exports, historique, connexion, verifications, evolution, catalogue, stock, reception, levels,
                   techniciens, transactions, acces, modifications, deductions, regles, preparation, emplacements,
                   commandes, transfert):
        app.include_router(module.router)
    fallback.install(app)
