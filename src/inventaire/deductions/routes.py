"""HTTP routes of the deductions: a completed service from any source, and what was deducted."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from inventaire.deductions import service
from inventaire.deductions.models import DeductedService, Deduction
from inventaire.deductions.schemas import (
    DeductedServiceRead,
    DeductionRead,
    NotDeductedRead,
    ServiceIn,
    ServiceOutcome,
    ShortfallRead,
)
from inventaire.deps import AdminUser, CheckUser, SessionDep
from inventaire.kit.errors import NOT_FOUND
from inventaire.kit.exceptions import NotFound
from inventaire.regles import service as regles
from inventaire.stock.routes import transaction_read
from inventaire.techniciens import service as techniciens

router = APIRouter(tags=["déductions"])


def not_deducted_read(item: dict) -> NotDeductedRead:
    quantite = item.get("quantite")
    return NotDeductedRead(**{**item, "quantite": Decimal(quantite) if quantite is not None else None})


def shortfall_read(row: Deduction) -> ShortfallRead:
    return ShortfallRead(id=row.id, reference=row.service.reference, technicien=row.technicien.nom,
                         code_produit=row.produit.code_produit, nom_produit=row.produit.nom_produit,
                         manque=row.manque, depuis=row.manque_depuis)


def outcome_read(outcome: service.Outcome) -> ServiceOutcome:
    return ServiceOutcome(
        source=outcome.entry.source, id_externe=outcome.entry.id_externe, reference=outcome.reference,
        traitement=outcome.traitement, mouvements=[transaction_read(t) for t in outcome.mouvements],
        non_deduites=[not_deducted_read(n) for n in outcome.non_deduites],
        manques=[shortfall_read(d) for d in outcome.manques],
    )


def service_read(row: DeductedService) -> DeductedServiceRead:
    return DeductedServiceRead(
        id=row.id, source=row.source, id_externe=row.id_externe, reference=row.reference, numero=row.numero,
        statut=row.statut, technicien=row.technicien.nom if row.technicien else None, client=row.client,
        date=row.date_service, version=row.version, updated_at=row.updated_at,
        deductions=[DeductionRead(ligne_externe=d.ligne_externe, description=d.description,
                                  technicien=d.technicien.nom, code_produit=d.produit.code_produit,
                                  voulu=d.voulu, deduit=d.deduit, manque=d.manque) for d in row.deductions],
        non_deduites=[not_deducted_read(n) for n in row.non_deduites],
    )


@router.post("/services", response_model=ServiceOutcome, responses=NOT_FOUND)
def apply_service(body: ServiceIn, db_session: SessionDep, _: CheckUser):
    """Deduct what a completed service consumes (or give it back): only the difference with what it already took."""
    technician = techniciens.get_or_404(db_session=db_session, nom=body.technicien) if body.technicien else None
    outcome = service.apply(db_session=db_session, entry=body, technician=technician,
                            rules=regles.rules_by_service(db_session=db_session))
    return outcome_read(outcome)


@router.get("/services", response_model=list[DeductedServiceRead])
def list_services(db_session: SessionDep, _: AdminUser, source: str | None = Query(None, max_length=40),
                  limit: int = Query(50, ge=1, le=500)):
    """The services deducted, most recently changed first."""
    return [service_read(s) for s in service.recent(db_session=db_session, source=source, limit=limit)]


@router.get("/services/{source}/{id_externe}", response_model=DeductedServiceRead, responses=NOT_FOUND)
def get_service(db_session: SessionDep, _: AdminUser, source: str = Path(max_length=40),
                id_externe: str = Path(max_length=120)):
    row = db_session.scalar(select(DeductedService).where(
        DeductedService.source == source, DeductedService.id_externe == id_externe))
    if row is None:
        raise NotFound(f"Service inconnu : « {source} / {id_externe} ».")
    return service_read(row)


@router.get("/manques", response_model=list[ShortfallRead])
def list_shortfalls(db_session: SessionDep, _: AdminUser):
    """The open shortfalls: parts billed but not in the van, until a count or a reception settles them."""
    return [shortfall_read(d) for d in service.open_shortfalls(db_session=db_session)]
