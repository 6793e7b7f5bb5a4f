"""HTTP route of the stored appointments: the office sees everyone's, a technician their own."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from pydantic import AfterValidator

from inventaire.deps import SessionDep, SettingsDep, StaffUser, ensure_own_stock
from inventaire.kit.database import utcnow
from inventaire.kit.dates import YEAR_PATTERN, checked
from inventaire.kit.enums import Role
from inventaire.kit.errors import NOT_FOUND
from inventaire.kit.exceptions import InvalidInput
from inventaire.rendezvous import service
from inventaire.rendezvous.schemas import AppointmentRead
from inventaire.techniciens import service as techniciens
from inventaire.techniciens.models import Technician

router = APIRouter(prefix="/rendez-vous", tags=["rendez-vous"])
MAX_DAYS = 366
Day = Annotated[dt.date | None, AfterValidator(checked),
                Query(description="AAAA-MM-JJ, inclus, dans INVENTAIRE_TZ", json_schema_extra={"pattern": YEAR_PATTERN})]


@router.get("", summary="Lister les rendez-vous", response_model=list[AppointmentRead], responses=NOT_FOUND)
def list_appointments(db_session: SessionDep, settings: SettingsDep, user: StaffUser,
                      technicien: str | None = Query(None, min_length=1, max_length=60),
                      depuis: Day = None, jusqu_a: Day = None) -> list[AppointmentRead]:
    """The appointments read from Gazelle (default: today to INVENTAIRE_GAZELLE_JOURS_AVENIR days), by start."""
    tz = ZoneInfo(settings.tz)
    first = depuis or utcnow().astimezone(tz).date()
    last = jusqu_a or first + dt.timedelta(days=settings.gazelle_jours_avenir)
    if last < first:
        raise InvalidInput("jusqu_a : la date de fin précède la date de début.")
    if (last - first).days > MAX_DAYS:
        raise InvalidInput(f"Période trop longue : {MAX_DAYS} jours au plus.")
    only: list[Technician] | None = None
    if technicien is not None:
        only = [techniciens.get_or_404(db_session=db_session, nom=technicien)]
        ensure_own_stock(user, only[0].id)
    elif user.role == Role.TECHNICIEN:
        only = [db_session.get_one(Technician, user.technicien_id)]
    rows = service.booked(db_session=db_session, first=first, last=last, technicians=only)
    return [AppointmentRead.of(a, t, tz) for a, t in rows]
