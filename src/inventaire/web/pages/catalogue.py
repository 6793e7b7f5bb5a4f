"""Catalogue: search and filter for everyone; add, edit, archive and restore for the office."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inventaire.catalogue import service as catalogue
from inventaire.catalogue.models import Product
from inventaire.catalogue.schemas import NULLABLE_FIELDS, ProductCreate, ProductUpdate
from inventaire.deps import SessionDep
from inventaire.kit.exceptions import Conflict
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
    products = catalogue.list_products(
        db_session=db_session, actif=STATUSES[statut], categorie=categorie or None, q=(q or "").strip() or None
    )
    template = "_produits.html" if request.headers.get("hx-target") == "produits" else "catalogue.html"
    return render(
        request, template, viewer=viewer, nav="catalogue", produits=products, q=q or "",
        categorie=categorie or "", statut=statut,
        categories=catalogue.list_categories(db_session=db_session),
        avis=NOTICES[avis].format(code) if avis and code else None,
    )


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
