"""HTTP routes of the requests from vans."""

from fastapi import APIRouter, BackgroundTasks, Path, Query, Request

from inventaire.ateliers import service as ateliers
from inventaire.catalogue import service as catalogue
from inventaire.demandes import notify, service
from inventaire.demandes.schemas import RefuseRequest, RequestCreate, RequestRead, ServedRead, ServeRequest
from inventaire.deps import AdminUser, SessionDep, SettingsDep, StaffUser, ensure_own_stock
from inventaire.idempotency.routing import IdempotentRoute
from inventaire.kit.enums import RequestState, Role
from inventaire.kit.errors import CONFLICT, NOT_FOUND
from inventaire.stock.schemas import TransactionRead, TransferRead
from inventaire.techniciens import service as techniciens

router = APIRouter(prefix="/demandes", tags=["demandes"], route_class=IdempotentRoute)
IdPath = Path(ge=1, le=2_147_483_647, description="N° de la demande")


@router.post("", summary="Demander une pièce pour un véhicule",
             response_model=RequestRead, status_code=201, responses={**NOT_FOUND, **CONFLICT})
def create_request(body: RequestCreate, request: Request, background: BackgroundTasks, db_session: SessionDep,
                   settings: SettingsDep, user: StaffUser) -> RequestRead:
    """A technician asks for a part for their own van (the office may ask for any van)."""
    technician = techniciens.get_or_404(db_session=db_session, nom=body.technicien)
    ensure_own_stock(user, technician.id)
    product = catalogue.get_or_404(db_session=db_session, code_produit=body.code_produit)
    opened = service.create(db_session=db_session, technician=technician, product=product, quantity=body.quantite,
                            note=body.note, auteur=user.nom)
    # Announced after the commit (background tasks run once the answer is sent).
    background.add_task(notify.announce, factory=request.app.state.sessionmaker, settings=settings,
                        request_id=opened.id)
    return RequestRead.of(opened)


@router.get("", summary="Lister les demandes", response_model=list[RequestRead], responses=NOT_FOUND)
def list_requests(db_session: SessionDep, user: StaffUser, statut: RequestState | None = Query(None),
                  technicien: str | None = Query(None, min_length=1, max_length=60)) -> list[RequestRead]:
    """Requests, newest first (open ones oldest first); a technician sees their own."""
    technician = techniciens.get_or_404(db_session=db_session, nom=technicien) if technicien else None
    if user.role == Role.TECHNICIEN:
        if technician is not None:
            ensure_own_stock(user, technician.id)
        technician = technician or techniciens.get_by_id(db_session=db_session, technician_id=user.technicien_id)
    rows = service.list_requests(db_session=db_session, statut=statut, technician=technician)
    return [RequestRead.of(r) for r in rows]


@router.post("/{demande_id}/servir", summary="Servir une demande", response_model=ServedRead, responses={**NOT_FOUND, **CONFLICT})
def serve_request(body: ServeRequest, db_session: SessionDep, user: AdminUser, demande_id: int = IdPath) -> ServedRead:
    """Serve by a transfer from a workshop: the requested quantity unless another is given."""
    opened = service.get_or_404(db_session=db_session, request_id=demande_id, lock=True)
    workshop = ateliers.get_or_404(db_session=db_session, nom=body.atelier)
    moved = service.serve(db_session=db_session, request=opened, workshop=workshop, quantity=body.quantite,
                          auteur=user.nom)
    transfer = TransferRead(sortie=TransactionRead.of(moved.sortie), entree=TransactionRead.of(moved.entree))
    return ServedRead(**RequestRead.of(opened).model_dump(), transfert=transfer)


@router.post("/{demande_id}/refuser", summary="Refuser une demande",
             response_model=RequestRead, responses={**NOT_FOUND, **CONFLICT})
def refuse_request(body: RefuseRequest, db_session: SessionDep, _: AdminUser, demande_id: int = IdPath) -> RequestRead:
    opened = service.get_or_404(db_session=db_session, request_id=demande_id, lock=True)
    return RequestRead.of(service.refuse(db_session=db_session, request=opened, motif=body.motif))
