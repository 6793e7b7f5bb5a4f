"""HTTP routes of the workshops (their stock is read and changed through the stock routes, by name)."""

from fastapi import APIRouter, Path, Query

from inventaire.ateliers import service
from inventaire.ateliers.models import Workshop
from inventaire.ateliers.schemas import WorkshopCreate, WorkshopRead, WorkshopUpdate
from inventaire.deps import AdminUser, SessionDep, StaffUser
from inventaire.kit.errors import CONFLICT, NOT_FOUND

router = APIRouter(prefix="/ateliers", tags=["ateliers"])


@router.get("", summary="Lister les ateliers", response_model=list[WorkshopRead])
def list_workshops(db_session: SessionDep, _: StaffUser, actif: bool | None = Query(None)) -> list[Workshop]:
    return service.list_workshops(db_session=db_session, actif=actif)


@router.post("", summary="Ajouter un atelier", response_model=WorkshopRead, status_code=201, responses=CONFLICT)
def create_workshop(body: WorkshopCreate, db_session: SessionDep, _: AdminUser) -> Workshop:
    return service.create(db_session=db_session, nom=body.nom, actif=body.actif)


@router.put("/{nom}", summary="Renommer ou désactiver un atelier",
            response_model=WorkshopRead, responses={**NOT_FOUND, **CONFLICT})
def update_workshop(body: WorkshopUpdate, db_session: SessionDep, _: AdminUser,
                    nom: str = Path(description="Nom de l'atelier (toute casse)")) -> Workshop:
    """Renomme un atelier ou le désactive (son historique reste ; il ne reçoit plus de stock)."""
    workshop = service.get_or_404(db_session=db_session, nom=nom)
    return service.update(db_session=db_session, workshop=workshop, changes=body.model_dump(exclude_unset=True))
