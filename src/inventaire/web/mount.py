"""Mounting the pages and their static files on the application."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from inventaire.web.render import make_environment
from inventaire.web.views import catalogue, connexion, evolution, stock, tableau, transactions, verifications

STATIC = Path(__file__).parent / "static"
_TOKEN_IN_URL = re.compile(r"(jeton=)[^&\s]+")


class HideLoginTokens(logging.Filter):
    """Access logs never show the token of a `/connexion?jeton=…` link."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _TOKEN_IN_URL.sub(r"\1***", arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


def mount(app: FastAPI) -> None:
    """Add the pages, /static, and the log filter to `app`."""
    app.state.page_templates = make_environment(app.state.settings.tz)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (connexion, tableau, verifications, evolution, catalogue, stock, transactions):
        app.include_router(module.router)
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, HideLoginTokens) for f in access.filters):
        access.addFilter(HideLoginTokens())
