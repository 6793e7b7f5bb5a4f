"""HTTP route of the PLS maintenance list (the office's)."""

from zoneinfo import ZoneInfo

from fastapi import APIRouter

from inventaire.deps import AdminUser, SessionDep, SettingsDep
from inventaire.kit.database import utcnow
from inventaire.pianos import service
from inventaire.pianos.schemas import DuePianoRead
from inventaire.pianos.service import DuePiano

router = APIRouter(tags=["pianos"])


@router.get("/entretiens-pls", summary="Pianos dont l'entretien PLS est dû", response_model=list[DuePianoRead])
def due_pianos(db_session: SessionDep, settings: SettingsDep, _: AdminUser) -> list[DuePiano]:
    """Pianos whose last PLS maintenance (an invoice line whose service consumes the PLS pad set under the
    rules) was eleven months ago or more, the longest ago first."""
    today = utcnow().astimezone(ZoneInfo(settings.tz)).date()
    return service.due(db_session=db_session, pads_code=settings.pls_buvards, today=today)
