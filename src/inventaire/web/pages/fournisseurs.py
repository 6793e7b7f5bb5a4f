"""Suppliers, for the office: the list, adding one, changing its address, lead time, minimum and notes."""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from inventaire.deps import SessionDep
from inventaire.fournisseurs import service as suppliers
from inventaire.fournisseurs.models import Supplier
from inventaire.fournisseurs.schemas import NULLABLE_FIELDS, SupplierCreate, SupplierUpdate
from inventaire.kit.exceptions import Conflict, InvalidInput
from inventaire.kit.forms import validate
from inventaire.kit.quantities import editable
from inventaire.web.deps import AdminPage, FormData
from inventaire.web.render import PageRoute, refuse, render
from inventaire.web.sessions import Viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
NomPath = Path(min_length=1, max_length=200)
FIELDS = ("nom", "courriel", "telephone", "delai_jours", "minimum_commande", "notes")
DECIMALS = {"minimum_commande"}
NOTICES = {"ajoute": "Fournisseur « {} » ajouté.", "modifie": "Fournisseur « {} » modifié."}


@router.get("/fournisseurs")
def supplier_list(request: Request, db_session: SessionDep, viewer: AdminPage,
                  avis: Literal["ajoute", "modifie"] | None = None, nom: str | None = Query(None, max_length=200)) -> Response:
    return render(request, "fournisseurs.html", viewer=viewer, nav="fournisseurs",
                  fournisseurs=suppliers.list_suppliers(db_session=db_session),
                  avis=NOTICES[avis].format(nom) if avis and nom else None)


def _form_page(request: Request, viewer: Viewer, fournisseur: Supplier | None = None,
               valeurs: dict[str, str] | None = None, erreurs: dict[str, str] | None = None,
               status_code: int = 200) -> Response:
    return render(request, "fournisseur_form.html", status_code, viewer=viewer, nav="fournisseurs",
                  fournisseur=fournisseur, valeurs=valeurs or {}, erreurs=erreurs or {})


def _values_of(supplier: Supplier) -> dict[str, str]:
    values = {name: "" if getattr(supplier, name) is None else str(getattr(supplier, name)) for name in FIELDS}
    values["minimum_commande"] = editable(supplier.minimum_commande)
    return values


def _back(nom: str, what: str) -> RedirectResponse:
    return RedirectResponse(f"/fournisseurs?avis={what}&nom={quote(nom)}", 303)


@router.get("/fournisseurs/nouveau")
def new_supplier_page(request: Request, viewer: AdminPage) -> Response:
    return _form_page(request, viewer)


@router.post("/fournisseurs/nouveau")
def create_supplier(request: Request, db_session: SessionDep, viewer: AdminPage, form: FormData) -> Response:
    data = {name: form.get(name, "") for name in FIELDS}
    body, errors = validate(SupplierCreate, data, decimals=DECIMALS, required={"nom"})
    if body is None:
        return _form_page(request, viewer, valeurs=data, erreurs=errors, status_code=422)
    try:
        supplier = suppliers.create(db_session=db_session, data=body.model_dump())
    except (Conflict, InvalidInput) as exc:
        detail, status = exc.detail, exc.status_code
        return refuse(db_session, lambda: _form_page(request, viewer, valeurs=data, erreurs={"nom": detail},
                                                     status_code=status))
    return _back(supplier.nom, "ajoute")


@router.get("/fournisseurs/{nom:path}/modifier")
def edit_supplier_page(request: Request, db_session: SessionDep, viewer: AdminPage, nom: str = NomPath) -> Response:
    supplier = suppliers.get_or_404(db_session=db_session, nom=nom)
    return _form_page(request, viewer, fournisseur=supplier, valeurs=_values_of(supplier))


@router.post("/fournisseurs/{nom:path}/modifier")
def update_supplier(request: Request, db_session: SessionDep, viewer: AdminPage, form: FormData,
                    nom: str = NomPath) -> Response:
    supplier = suppliers.get_or_404(db_session=db_session, nom=nom)
    data = {name: form.get(name, "") for name in FIELDS}
    body, errors = validate(SupplierUpdate, data, decimals=DECIMALS, clearable=NULLABLE_FIELDS, required={"nom"})
    if body is None:
        return _form_page(request, viewer, fournisseur=supplier, valeurs=data, erreurs=errors, status_code=422)
    try:
        suppliers.update(db_session=db_session, supplier=supplier, changes=body.model_dump(exclude_unset=True))
    except (Conflict, InvalidInput) as exc:
        detail, status = exc.detail, exc.status_code
        return refuse(db_session, lambda: _form_page(request, viewer, fournisseur=supplier, valeurs=data,
                                                     erreurs={"nom": detail}, status_code=status))
    return _back(supplier.nom, "modifie")
