"""HTTP routes of the catalogue: thin, the service does the work."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from inventaire.catalogue import service
from inventaire.catalogue.models import Product
from inventaire.catalogue.schemas import NULLABLE_FIELDS, ProductCreate, ProductRead, ProductUpdate
from inventaire.deps import AdminUser, SessionDep, StaffUser
from inventaire.kit.errors import CONFLICT, NOT_FOUND
from inventaire.kit.exceptions import InvalidInput
from inventaire.kit.schemas import PersonText

router = APIRouter(prefix="/catalogue", tags=["catalogue"])
# No pattern on the path: a code that cannot exist is an unknown product (404), like any other.
CodePath = Path(description="Code produit", examples=["CORD-001"])


@router.get("", summary="Lister les produits du catalogue", response_model=list[ProductRead])
def list_products(
    db_session: SessionDep,
    _: StaffUser,
    actif: bool | None = Query(True, description="true (défaut) : produits actifs ; false : archivés"),
    categorie: Annotated[Annotated[str, PersonText(60)] | None, Query()] = None,
    q: Annotated[Annotated[str, PersonText(100)] | None, Query(description="Recherche dans le code et le nom")] = None,
    code_barres: Annotated[str | None, Query(max_length=64, description="Le produit de ce code-barres (exact)")] = None,
) -> list[Product]:
    return service.list_products(db_session=db_session, actif=actif, categorie=categorie, q=q, code_barres=code_barres)


@router.post("", summary="Ajouter un produit au catalogue", response_model=ProductRead, status_code=201, responses=CONFLICT)
def create_product(body: ProductCreate, db_session: SessionDep, _: AdminUser) -> Product:
    return service.create(db_session=db_session, data=body.model_dump())


@router.get("/{code}", summary="Consulter un produit", response_model=ProductRead, responses=NOT_FOUND)
def get_product(db_session: SessionDep, _: StaffUser, code: str = CodePath) -> Product:
    return service.get_or_404(db_session=db_session, code_produit=code)


@router.put("/{code}", summary="Modifier un produit", response_model=ProductRead, responses=NOT_FOUND)
def update_product(body: ProductUpdate, db_session: SessionDep, _: AdminUser, code: str = CodePath) -> Product:
    product = service.get_or_404(db_session=db_session, code_produit=code)
    changes = body.model_dump(exclude_unset=True)
    cleared = [k for k, v in changes.items() if v is None and k not in NULLABLE_FIELDS]
    if cleared:
        raise InvalidInput(f"Ces champs ne peuvent pas être vides : {', '.join(cleared)}.")
    return service.update(db_session=db_session, product=product, changes=changes)


@router.delete("/{code}", summary="Archiver un produit", response_model=ProductRead, responses=NOT_FOUND)
def archive_product(db_session: SessionDep, _: AdminUser, code: str = CodePath) -> Product:
    product = service.get_or_404(db_session=db_session, code_produit=code)
    return service.archive(db_session=db_session, product=product)
