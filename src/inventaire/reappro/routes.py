"""HTTP routes of the replenishment to par (the office's)."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AfterValidator

from inventaire.ateliers import service as ateliers
from inventaire.chargement import service as chargement
from inventaire.deps import AdminUser, SessionDep
from inventaire.idempotency.routing import IdempotentRoute
from inventaire.kit.dates import YEAR_PATTERN, checked
from inventaire.kit.errors import NOT_FOUND
from inventaire.reappro import service
from inventaire.reappro.schemas import PickItemRead, PreparedRead, PrepareRequest, ShortfallRead
from inventaire.stock.schemas import TransactionRead, TransferRead
from inventaire.techniciens import service as techniciens

router = APIRouter(prefix="/reapprovisionnement", tags=["réapprovisionnement"], route_class=IdempotentRoute)


@router.get("", summary="Liste de préparation d'un véhicule", response_model=list[PickItemRead], responses=NOT_FOUND)
def picking_list(db_session: SessionDep, _: AdminUser, technicien: str = Query(min_length=1, max_length=60),
                 atelier: str = Query(min_length=1, max_length=60),
                 date: Annotated[dt.date | None, AfterValidator(checked), Query(
                     description="Couvrir aussi le chargement de ce jour (AAAA-MM-JJ)",
                     json_schema_extra={"pattern": YEAR_PATTERN})] = None) -> list[PickItemRead]:
    """The van's lines below par and its open requests, with what the workshop has (and a day's load list)."""
    technician = techniciens.get_or_404(db_session=db_session, nom=technicien)
    workshop = ateliers.get_or_404(db_session=db_session, nom=atelier)
    needs = chargement.needs(db_session=db_session, technician=technician, day=date) if date else None
    items = service.picking_list(db_session=db_session, technician=technician, workshop=workshop, needs=needs)
    return [PickItemRead.of(i) for i in items]


@router.post("", summary="Préparer le réapprovisionnement d'un véhicule", response_model=PreparedRead, responses=NOT_FOUND)
def prepare(body: PrepareRequest, db_session: SessionDep, user: AdminUser) -> PreparedRead:
    """« Préparer »: every transfer the workshop can serve, in one database transaction."""
    technician = techniciens.get_or_404(db_session=db_session, nom=body.technicien)
    workshop = ateliers.get_or_404(db_session=db_session, nom=body.atelier)
    needs = chargement.needs(db_session=db_session, technician=technician, day=body.date) if body.date else None
    done = service.prepare(db_session=db_session, technician=technician, workshop=workshop, auteur=user.nom,
                           needs=needs)
    return PreparedRead(
        transferts=[TransferRead(sortie=TransactionRead.of(t.sortie), entree=TransactionRead.of(t.entree))
                    for t in done.transfers],
        non_servi=[ShortfallRead.of(s) for s in done.shortfalls],
        demandes_servies=[r.id for r in done.served],
    )
