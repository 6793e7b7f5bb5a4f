"""HTTP routes of the technicians."""

from fastapi import APIRouter, Path, Query

from inventaire.deps import AdminUser, SessionDep
from inventaire.kit.errors import CONFLICT, NOT_FOUND
from inventaire.kit.exceptions import InvalidInput
from inventaire.techniciens import service
from inventaire.techniciens.models import Technician
from inventaire.techniciens.schemas import TechnicianCreate, TechnicianRead, TechnicianUpdate

router = APIRouter(prefix="/techniciens", tags=["techniciens"])


@router.get("", summary="Lister les techniciens", response_model=list[TechnicianRead])
def list_technicians(db_session: SessionDep, _: AdminUser, actif: bool | None = Query(None)) -> list[Technician]:
    return service.list_technicians(db_session=db_session, actif=actif)


@router.post("", summary="Ajouter un technicien", response_model=TechnicianRead, status_code=201, responses=CONFLICT)
def create_technician(body: TechnicianCreate, db_session: SessionDep, _: AdminUser) -> Technician:
    return service.create(db_session=db_session, **body.model_dump())


@router.put("/{nom}", summary="Modifier un technicien", response_model=TechnicianRead, responses={**NOT_FOUND, **CONFLICT})
def update_technician(
    body: TechnicianUpdate, db_session: SessionDep, _: AdminUser,
    nom: str = Path(description="Nom du technicien (toute casse)"),
) -> Technician:
    technician = service.get_or_404(db_session=db_session, nom=nom)
    changes = body.model_dump(exclude_unset=True)
    if changes.get("nom", "") is None or changes.get("actif", False) is None:
        raise InvalidInput("Le nom et le statut d'un technicien ne peuvent pas être vides.")
    return service.update(db_session=db_session, technician=technician, changes=changes)
