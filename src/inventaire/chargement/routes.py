"""HTTP route of a van's load list (the office, or that technician)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query
from pydantic import AfterValidator

from inventaire.chargement import service
from inventaire.chargement.schemas import LoadListRead
from inventaire.deps import SessionDep, SettingsDep, StaffUser, ensure_own_stock
from inventaire.kit.database import utcnow
from inventaire.kit.dates import YEAR_PATTERN, checked
from inventaire.kit.errors import NOT_FOUND
from inventaire.techniciens import service as techniciens

router = APIRouter(prefix="/chargement", tags=["rendez-vous"])


def tomorrow(tz: ZoneInfo) -> dt.date:
    return utcnow().astimezone(tz).date() + dt.timedelta(days=1)


@router.get("/{technicien}", summary="Liste de chargement du jour", response_model=LoadListRead, responses=NOT_FOUND)
def load_list(db_session: SessionDep, settings: SettingsDep, user: StaffUser,
              technicien: str = Path(description="Nom du technicien (toute casse)", examples=["Allan"]),
              date: Annotated[dt.date | None, AfterValidator(checked), Query(
                  description="AAAA-MM-JJ (défaut : demain dans INVENTAIRE_TZ)",
                  json_schema_extra={"pattern": YEAR_PATTERN})] = None) -> LoadListRead:
    """What the day's appointments take under the rules, against the van and its open requests."""
    technician = techniciens.get_or_404(db_session=db_session, nom=technicien)
    ensure_own_stock(user, technician.id)
    tz = ZoneInfo(settings.tz)
    load = service.load_list(db_session=db_session, technician=technician, day=date or tomorrow(tz))
    return LoadListRead.of(load, tz)
