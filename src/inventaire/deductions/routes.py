"""HTTP routes of the deductions: a completed service from any source, and what was deducted."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from inventaire.deductions import overview, service
from inventaire.deductions.models import DeductedService
from inventaire.deductions.schemas import (
    DeductedServiceRead,
    ServiceIn,
    ServiceOutcome,
    ShortfallRead,
)
from inventaire.deps import AdminUser, CheckUser, SessionDep
from inventaire.kit.errors import NOT_FOUND
from inventaire.kit.exceptions import NotFound
from inventaire.regles import service as regles
from inventaire.techniciens import service as techniciens

router = APIRouter(tags=["déductions"])


@router.post("/services", summary="Déduire un service effectué", response_model=ServiceOutcome, responses=NOT_FOUND)
def apply_service(body: ServiceIn, db_session: SessionDep, _: CheckUser) -> ServiceOutcome:
    """Deduct what a completed service consumes (or give it back): only the difference with what it already took."""
    technician = techniciens.get_or_404(db_session=db_session, nom=body.technicien) if body.technicien else None
    outcome = service.apply(db_session=db_session, entry=body, technician=technician,
                            rules=regles.rules_by_service(db_session=db_session))
    return ServiceOutcome.of(outcome)


@router.get("/services", summary="Lister les services déduits", response_model=list[DeductedServiceRead])
def list_services(db_session: SessionDep, _: AdminUser, source: str | None = Query(None, max_length=40),
                  limit: int = Query(50, ge=1, le=500)) -> list[DeductedServiceRead]:
    """The services deducted, most recently changed first."""
    return [DeductedServiceRead.of(s) for s in overview.recent(db_session=db_session, source=source, limit=limit)]


@router.get("/services/{source}/{id_externe}", summary="Consulter un service déduit",
            response_model=DeductedServiceRead, responses=NOT_FOUND)
def get_service(db_session: SessionDep, _: AdminUser, source: str = Path(max_length=40),
                id_externe: str = Path(max_length=120)) -> DeductedServiceRead:
    row = db_session.scalar(select(DeductedService).where(
        DeductedService.source == source, DeductedService.id_externe == id_externe))
    if row is None:
        raise NotFound(f"Service inconnu : « {source} / {id_externe} ».")
    return DeductedServiceRead.of(row)


@router.get("/manques", summary="Lister les manques ouverts", response_model=list[ShortfallRead])
def list_shortfalls(db_session: SessionDep, _: AdminUser) -> list[ShortfallRead]:
    """The open shortfalls: parts billed but not in the van, until a count or a reception settles them."""
    return [ShortfallRead.of(d) for d in overview.open_shortfalls(db_session=db_session)]
