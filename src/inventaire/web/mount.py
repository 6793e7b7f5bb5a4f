"""Mounting the pages and their static files on the application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from inventaire.web.render import make_environment
from inventaire.web.views import (
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
    verifications,
)

STATIC = Path(__file__).parent / "static"


def mount(app: FastAPI) -> None:
    """Add the pages and /static to `app` (the `?jeton=` of a login link is masked in access
    logs by inventaire.auth.redaction)."""
    app.state.page_templates = make_environment(app.state.settings.tz)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (exports, historique, connexion, tableau, verifications, evolution, catalogue, stock, reception, levels,
                   demandes, techniciens, transactions, acces, modifications, deductions, regles, servir,
                   preparation, emplacements, commandes):
        app.include_router(module.router)
