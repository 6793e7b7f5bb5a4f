"""HTTP routes of the replenishment to par (the office's)."""

from fastapi import APIRouter, Query

from inventaire.ateliers import service as ateliers
from inventaire.deps import AdminUser, SessionDep
from inventaire.idempotency.routing import IdempotentRoute
from inventaire.kit.errors import NOT_FOUND
from inventaire.reappro import service
from inventaire.reappro.schemas import PickItemRead, PreparedRead, PrepareRequest, ShortfallRead
from inventaire.stock.schemas import TransactionRead, TransferRead
from inventaire.techniciens import service as techniciens

router = APIRouter(prefix="/reapprovisionnement", tags=["réapprovisionnement"], route_class=IdempotentRoute)


@router.get("", response_model=list[PickItemRead], responses=NOT_FOUND)
def picking_list(db_session: SessionDep, _: AdminUser, technicien: str = Query(min_length=1, max_length=60),
                 atelier: str = Query(min_length=1, max_length=60)) -> list[PickItemRead]:
    """The van's lines below par and its open requests, with what the workshop has."""
    technician = techniciens.get_or_404(db_session=db_session, nom=technicien)
    workshop = ateliers.get_or_404(db_session=db_session, nom=atelier)
    items = service.picking_list(db_session=db_session, technician=technician, workshop=workshop)
    return [PickItemRead.of(i) for i in items]


@router.post("", response_model=PreparedRead, responses=NOT_FOUND)
def prepare(body: PrepareRequest, db_session: SessionDep, user: AdminUser) -> PreparedRead:
    """« Préparer »: every transfer the workshop can serve, in one database transaction."""
    technician = techniciens.get_or_404(db_session=db_session, nom=body.technicien)
    workshop = ateliers.get_or_404(db_session=db_session, nom=body.atelier)
    done = service.prepare(db_session=db_session, technician=technician, workshop=workshop, auteur=user.nom)
    return PreparedRead(
        transferts=[TransferRead(sortie=TransactionRead.of(t.sortie), entree=TransactionRead.of(t.entree))
                    for t in done.transfers],
        non_servi=[ShortfallRead.of(s) for s in done.shortfalls],
        demandes_servies=[r.id for r in done.served],
    )
