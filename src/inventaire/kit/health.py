"""GET /health: liveness and database reachability, without authentication (for uptime monitors)."""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import text

from inventaire import __version__
from inventaire.kit.database import first_read
from inventaire.kit.errors import documented

log = logging.getLogger(__name__)
router = APIRouter(tags=["santé"])


class Healthy(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]
    revision: str | None = Field(description="Révision du schéma de la base", examples=["0003"])
    version: str = Field(examples=[__version__])


class Degraded(BaseModel):
    status: Literal["degraded"]
    database: Literal["injoignable"]


@router.get(
    "/health", summary="État du service", response_model=Healthy,
    responses={503: {"model": Degraded, "description": "Base de données injoignable ou non migrée."},
               **documented(413)},
)
def health(request: Request):
    """Liveness and database reachability; 503 when the database is not usable."""
    try:
        with request.app.state.sessionmaker() as session:
            # Reading the schema revision proves more than SELECT 1: the right database, migrated.
            revision = first_read(session, lambda: session.execute(text("SELECT version_num FROM alembic_version")).scalar())
    except Exception as exc:  # any failure means "not usable" here
        log.warning("health: database unreachable: %s", exc.__class__.__name__)
        return JSONResponse({"status": "degraded", "database": "injoignable"}, status_code=503)
    return Healthy(status="ok", database="ok", revision=revision, version=__version__)
