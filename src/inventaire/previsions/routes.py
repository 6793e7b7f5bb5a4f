"""HTTP route of the forecast."""

from fastapi import APIRouter, Query

from inventaire.deps import SessionDep, SettingsDep, StaffUser, ensure_own_stock
from inventaire.emplacements import service as locations
from inventaire.emplacements.models import Location
from inventaire.kit.enums import Role
from inventaire.kit.errors import NOT_FOUND
from inventaire.previsions import service
from inventaire.previsions.booked import Horizon
from inventaire.previsions.schemas import ForecastRead
from inventaire.techniciens.models import Technician

router = APIRouter(tags=["prévisions"])


@router.get("/previsions", summary="Prévisions de rupture", response_model=ForecastRead, responses=NOT_FOUND)
def get_forecast(
    db_session: SessionDep, settings: SettingsDep, user: StaffUser,
    technicien: str | None = Query(None, min_length=1, max_length=60, description="Un seul technicien ou atelier"),
    jours: int = Query(90, ge=1, le=3650, description="Période observée, en jours"),
) -> ForecastRead:
    """Consumption per day, booked demand, days of cover and predicted stockout of each line (a technician: their own)."""
    # A workshop's name works too (CONTRACT.md: wherever a technician's name is taken for stock).
    holder: Location | None = None
    if technicien is not None:
        holder = locations.get_or_404(db_session=db_session, nom=technicien)
    if user.role == Role.TECHNICIEN:
        if holder is None:
            holder = db_session.get(Technician, user.technicien_id)
        ensure_own_stock(user, holder.id if holder is not None else -1)
    report = service.forecast(db_session=db_session, holder=holder, jours=jours,
                              booked=Horizon.of(settings=settings))
    return ForecastRead.model_validate(report, from_attributes=True)
