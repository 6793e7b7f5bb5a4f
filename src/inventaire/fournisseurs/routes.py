"""HTTP routes of the suppliers (the office's)."""

from fastapi import APIRouter, Path

from inventaire.deps import AdminUser, SessionDep
from inventaire.fournisseurs import service
from inventaire.fournisseurs.models import Supplier
from inventaire.fournisseurs.schemas import NULLABLE_FIELDS, SupplierCreate, SupplierRead, SupplierUpdate
from inventaire.kit.errors import CONFLICT, NOT_FOUND
from inventaire.kit.exceptions import InvalidInput

router = APIRouter(prefix="/fournisseurs", tags=["fournisseurs"])
NamePath = Path(description="Nom du fournisseur (la casse et les accents ne comptent pas)", examples=["Röslau"])


@router.get("", summary="Lister les fournisseurs", response_model=list[SupplierRead])
def list_suppliers(db_session: SessionDep, _: AdminUser) -> list[Supplier]:
    return service.list_suppliers(db_session=db_session)


@router.post("", summary="Ajouter un fournisseur", response_model=SupplierRead, status_code=201, responses=CONFLICT)
def create_supplier(body: SupplierCreate, db_session: SessionDep, _: AdminUser) -> Supplier:
    return service.create(db_session=db_session, data=body.model_dump())


@router.get("/{nom:path}", summary="Consulter un fournisseur", response_model=SupplierRead, responses=NOT_FOUND)
def get_supplier(db_session: SessionDep, _: AdminUser, nom: str = NamePath) -> Supplier:
    return service.get_or_404(db_session=db_session, nom=nom)


@router.put("/{nom:path}", summary="Modifier un fournisseur", response_model=SupplierRead, responses={**NOT_FOUND, **CONFLICT})
def update_supplier(body: SupplierUpdate, db_session: SessionDep, _: AdminUser, nom: str = NamePath) -> Supplier:
    """Change the fields given; null empties one (not the name)."""
    supplier = service.get_or_404(db_session=db_session, nom=nom)
    changes = body.model_dump(exclude_unset=True)
    cleared = [k for k, v in changes.items() if v is None and k not in NULLABLE_FIELDS]
    if cleared:
        raise InvalidInput(f"Ces champs ne peuvent pas être vides : {', '.join(cleared)}.")
    return service.update(db_session=db_session, supplier=supplier, changes=changes)
