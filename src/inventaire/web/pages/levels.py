"""A line's own alert threshold and refill level, set by the office from the van's page.

The same rule as the API's `PUT /inventaire/stock/{technicien}/{code}`: an empty field clears
the value (the product's threshold, or the default, applies again; no par level, no quantity
to order).
"""

from __future__ import annotations

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from inventaire.catalogue import service as catalogue
from inventaire.deps import SessionDep, SettingsDep
from inventaire.emplacements import service as locations
from inventaire.kit.exceptions import DomainError
from inventaire.kit.forms import field_errors, validate
from inventaire.stock import service as stock
from inventaire.stock.schemas import LevelsRequest
from inventaire.web.deps import AdminPage, FormData
from inventaire.web.formatting import quantite
from inventaire.web.pages.van import NomPath, van_page
from inventaire.web.render import PageRoute, refuse

router = APIRouter(route_class=PageRoute, include_in_schema=False)
LEVELS = ("seuil_min", "niveau_par")
NAMES = {"seuil_min": "Seuil", "niveau_par": "Niveau de remplissage"}


@router.post("/stock/{nom}/{code}/niveaux")
def set_line_levels(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
                    form: FormData, nom: str = NomPath, code: str = Path(min_length=1, max_length=40)) -> Response:
    """Record the line's minimum and par level; the page shows the line with the outcome."""
    technician = locations.get_or_404(db_session=db_session, nom=nom)
    product = catalogue.get_or_404(db_session=db_session, code_produit=code)
    typed = {name: form.get(name, "") for name in LEVELS}
    body, errors = validate(LevelsRequest, typed, decimals=set(LEVELS), clearable=set(LEVELS))
    if body is None:
        return van_page(request, db_session, settings, viewer, technician, 422,
                        notes={product.code_produit: {"erreur": field_errors(errors, NAMES), "niveaux": typed}})
    try:
        line = stock.set_levels(db_session=db_session, location=technician, product=product,
                                changes=body.model_dump(exclude_unset=True))
    except DomainError as exc:  # a fraction of a product counted in whole units
        status, detail = exc.status_code, exc.detail
        return refuse(db_session, lambda: van_page(request, db_session, settings, viewer, technician, status,
                                                   notes={product.code_produit: {"erreur": detail,
                                                                                 "niveaux": typed}}))
    shown = [f"{NAMES[name].lower()} {quantite(value)}" for name in LEVELS
             if (value := getattr(line, name)) is not None]
    message = "Niveaux enregistrés : " + (", ".join(shown) if shown else "ceux du produit s'appliquent") + "."
    if line.seuil_min is not None and line.niveau_par is not None and line.seuil_min > line.niveau_par:
        message += (f" Attention : le seuil ({quantite(line.seuil_min)}) dépasse le niveau de remplissage "
                    f"({quantite(line.niveau_par)}) : la ligne restera en alerte même remplie.")
    return van_page(request, db_session, settings, viewer, technician,
                    notes={product.code_produit: {"succes": message}})
