"""Catalogue: search and filter for everyone; add, edit, archive, restore, import and export (CSV) for the office."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUpload

from inventaire.catalogue import importing
from inventaire.catalogue import service as catalogue
from inventaire.catalogue.models import Product
from inventaire.catalogue.schemas import NULLABLE_FIELDS, ProductCreate, ProductUpdate
from inventaire.deps import SessionDep
from inventaire.exports import service as exports
from inventaire.kit.exceptions import Conflict, DomainError
from inventaire.kit.forms import validate
from inventaire.kit.quantities import editable
from inventaire.kit.schemas import CODE_PATTERN
from inventaire.web.deps import AdminPage, FormData, PageUser
from inventaire.web.render import PageRoute, refuse, render
from inventaire.web.sessions import Viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
CodePath = Path(pattern=CODE_PATTERN)
DECIMALS = {"prix_unitaire", "prix_vente", "seuil_reorder"}
FIELDS = ("code_produit", "nom_produit", "categorie", "unite", "prix_unitaire", "prix_vente",
          "fournisseur", "code_barres", "seuil_reorder", "divisible")
STATUSES = {"actifs": True, "archives": False, "tous": None}
NOTICES = {"ajoute": "Produit « {} » ajouté.", "modifie": "Produit « {} » modifié.",
           "archive": "Produit « {} » archivé : il sort des listes et des vérifications, son historique reste.",
           "restaure": "Produit « {} » restauré."}


@router.get("/catalogue")
def product_list(
    request: Request, db_session: SessionDep, viewer: PageUser,
    q: str | None = Query(None, max_length=100), categorie: str | None = Query(None, max_length=60),
    statut: Literal["actifs", "archives", "tous"] = "actifs",
    avis: Literal["ajoute", "modifie", "archive", "restaure"] | None = None,
    code: str | None = Query(None, pattern=CODE_PATTERN),
) -> Response:
    template = "_produits.html" if request.headers.get("hx-target") == "produits" else "catalogue.html"
    return _list_page(request, db_session, viewer, template=template, q=q or "", categorie=categorie or "",
                      statut=statut, avis=NOTICES[avis].format(code) if avis and code else None)


def _list_page(request: Request, db_session: Session, viewer: Viewer, *, template: str = "catalogue.html",
               q: str = "", categorie: str = "", statut: Literal["actifs", "archives", "tous"] = "actifs",
               status_code: int = 200, **more: Any) -> HTMLResponse:
    products = catalogue.list_products(db_session=db_session, actif=STATUSES[statut], categorie=categorie or None,
                                       q=q.strip() or None)
    more = {"avis": None, "import_erreurs": [], **more}
    return render(request, template, status_code, viewer=viewer, nav="catalogue", produits=products, q=q,
                  categorie=categorie, statut=statut, categories=catalogue.list_categories(db_session=db_session),
                  **more)


async def uploaded(request: Request) -> tuple[str, bytes]:
    """The CSV sent by the import form: its name and content (empty when no file was chosen)."""
    sent = (await request.form()).get("fichier")
    if not isinstance(sent, StarletteUpload):
        return "", b""
    return sent.filename or "fichier.csv", await sent.read()


@router.post("/catalogue/import")
def import_products(request: Request, db_session: SessionDep, viewer: AdminPage,
                    fichier: Annotated[tuple[str, bytes], Depends(uploaded)]) -> Response:
    """The catalogue's CSV import (catalogue/importing.py), as `inventaire catalogue import` does it."""
    name, content = fichier
    if not name:
        return _list_page(request, db_session, viewer, status_code=422,
                          import_erreurs=["Choisissez un fichier CSV à importer."])
    try:
        report = importing.import_products(db_session=db_session, content=content, name=name)
    except DomainError as exc:
        detail = exc.detail
        return refuse(db_session, lambda: _list_page(request, db_session, viewer, status_code=422,
                                                     import_erreurs=[detail]))
    if report.erreurs:
        problems = [str(problem) for problem in report.erreurs]
        return refuse(db_session, lambda: _list_page(request, db_session, viewer, status_code=422,
                                                     import_erreurs=problems))
    return _list_page(request, db_session, viewer, statut="tous",
                      avis=f"Catalogue importé depuis « {name} » : {report.summary()}.")


@router.get("/catalogue.csv")
def export_catalogue(db_session: SessionDep, _: AdminPage) -> Response:
    """Every product for a spreadsheet: the columns the import reads back."""
    body = exports.catalogue_csv(db_session=db_session)
    name = f"catalogue-{dt.date.today().isoformat()}.csv"
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _form_page(request: Request, viewer: Viewer, produit: Product | None = None, valeurs: dict[str, Any] | None = None,
               erreurs: dict[str, str] | None = None, status_code: int = 200) -> HTMLResponse:
    return render(request, "produit_form.html", status_code, viewer=viewer, nav="catalogue",
                  produit=produit, valeurs=valeurs or {}, erreurs=erreurs or {})


def _values_of(product: Product) -> dict[str, str]:
    """A product's fields as the form shows them (decimals with a comma)."""
    values = {}
    for name in FIELDS:
        value = getattr(product, name)
        if name in DECIMALS:
            values[name] = editable(value)
        elif isinstance(value, bool):  # the select's option values
            values[name] = "true" if value else "false"
        else:
            values[name] = "" if value is None else str(value)
    return values


def _back(code: str, what: str) -> RedirectResponse:
    return RedirectResponse(f"/catalogue?statut=tous&q={quote(code)}&avis={what}&code={quote(code)}", 303)


@router.get("/catalogue/nouveau")
def new_product_page(request: Request, viewer: AdminPage) -> Response:
    return _form_page(request, viewer, valeurs={"categorie": "", "unite": "unité"})


@router.post("/catalogue/nouveau")
def create_product(request: Request, db_session: SessionDep, viewer: AdminPage, form: FormData) -> Response:
    data = {name: form.get(name, "") for name in FIELDS}
    body, errors = validate(ProductCreate, data, decimals=DECIMALS)
    if body is None:
        return _form_page(request, viewer, valeurs=data, erreurs=errors, status_code=422)
    try:
        product = catalogue.create(db_session=db_session, data=body.model_dump())
    except Conflict as exc:
        detail = exc.detail
        field = "code_barres" if "code-barres" in detail else "code_produit"
        return refuse(db_session, lambda: _form_page(request, viewer, valeurs=data, erreurs={field: detail},
                                                     status_code=409))
    return _back(product.code_produit, "ajoute")


@router.get("/catalogue/{code}/modifier")
def edit_product_page(request: Request, db_session: SessionDep, viewer: AdminPage, code: str = CodePath) -> Response:
    product = catalogue.get_or_404(db_session=db_session, code_produit=code)
    return _form_page(request, viewer, produit=product, valeurs=_values_of(product))


@router.post("/catalogue/{code}/modifier")
def update_product(request: Request, db_session: SessionDep, viewer: AdminPage, form: FormData,
                   code: str = CodePath) -> Response:
    product = catalogue.get_or_404(db_session=db_session, code_produit=code)
    data = {name: form.get(name, "") for name in FIELDS if name != "code_produit"}
    body, errors = validate(
        ProductUpdate, data, decimals=DECIMALS, clearable=NULLABLE_FIELDS,
        required={name for name in data if name not in NULLABLE_FIELDS | {"divisible"}},  # no choice: unchanged
    )
    if body is None:
        return _form_page(request, viewer, produit=product, valeurs={**data, "code_produit": code},
                          erreurs=errors, status_code=422)
    try:
        catalogue.update(db_session=db_session, product=product, changes=body.model_dump(exclude_unset=True))
    except Conflict as exc:  # a barcode another product carries
        detail = exc.detail
        return refuse(db_session, lambda: _form_page(request, viewer, produit=product, valeurs={**data, "code_produit": code},
                                                     erreurs={"code_barres": detail}, status_code=409))
    return _back(product.code_produit, "modifie")


@router.post("/catalogue/{code}/archiver")
def archive_product(db_session: SessionDep, _: AdminPage, code: str = CodePath) -> Response:
    product = catalogue.get_or_404(db_session=db_session, code_produit=code)
    catalogue.archive(db_session=db_session, product=product)
    return _back(product.code_produit, "archive")


@router.post("/catalogue/{code}/restaurer")
def restore_product(db_session: SessionDep, _: AdminPage, code: str = CodePath) -> Response:
    """Restoring is the API's `PUT actif=true`."""
    product = catalogue.get_or_404(db_session=db_session, code_produit=code)
    catalogue.update(db_session=db_session, product=product, changes={"actif": True})
    return _back(product.code_produit, "restaure")
