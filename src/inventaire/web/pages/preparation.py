"""« Liste de préparation »: what to bring to a van from a workshop (its lines below par and its open
requests, with what the workshop has), printable on one page, and « Préparer », which makes every
transfer in one database transaction through the replenishment service (`reappro/service.py`)
and shows what could not be served.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import AfterValidator
from sqlalchemy.orm import Session

from inventaire.ateliers import service as ateliers
from inventaire.ateliers.models import Workshop
from inventaire.catalogue.models import Product
from inventaire.chargement import service as chargement
from inventaire.deps import SessionDep, SettingsDep
from inventaire.emplacements import service as locations
from inventaire.idempotency import pages as page_keys
from inventaire.kit.database import utcnow
from inventaire.kit.dates import checked
from inventaire.kit.exceptions import DomainError, InvalidInput
from inventaire.reappro import service as reappro
from inventaire.techniciens.models import Technician
from inventaire.web.deps import AdminPage, FormData
from inventaire.web.pages.van import NomPath
from inventaire.web.render import PageRoute, refuse, render
from inventaire.web.sessions import Viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _van(db_session: Session, nom: str) -> Technician:
    location = locations.get_or_404(db_session=db_session, nom=nom)
    if not isinstance(location, Technician):
        raise InvalidInput(f"« {location.nom} » est un atelier : la liste de préparation est celle d'un véhicule.")
    return location


def _needs(db_session: Session, technician: Technician, day: dt.date | None) -> dict[int, tuple[Product, Decimal]] | None:
    return chargement.needs(db_session=db_session, technician=technician, day=day) if day else None


def _page(request: Request, db_session: Session, viewer: Viewer, technician: Technician, workshop: Workshop | None,
          workshops: list[Workshop], done: reappro.Prepared | None = None, status_code: int = 200,
          erreur: str | None = None, day: dt.date | None = None) -> HTMLResponse:
    items = reappro.picking_list(db_session=db_session, technician=technician, workshop=workshop,
                                 needs=_needs(db_session, technician, day)) if workshop else []
    return render(request, "preparation.html", status_code, viewer=viewer, nav="stock", technicien=technician,
                  atelier=workshop, ateliers=workshops, items=items, resultat=done, erreur=erreur, genere=utcnow(),
                  cle=page_keys.new_key(), jour=day)


@router.get("/stock/{nom}/preparation")
def picking_list(request: Request, db_session: SessionDep, viewer: AdminPage, nom: str = NomPath,
                 atelier: str | None = Query(None, max_length=60),
                 date: Annotated[dt.date | None, AfterValidator(checked), Query()] = None) -> Response:
    """The picking list of a van from a workshop (the first active one unless chosen), and a day's load list."""
    technician = _van(db_session, nom)
    workshop, workshops = ateliers.chosen_or_first(db_session=db_session, nom=atelier)
    return _page(request, db_session, viewer, technician, workshop, workshops, day=date)


@router.post("/stock/{nom}/preparation")
def prepare(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage, form: FormData,
            nom: str = NomPath) -> Response:
    """« Préparer »: every transfer the workshop can serve, in this request's one transaction; then what
    was moved, what was not, and the list as it stands. A resubmitted form shows the first outcome again."""
    technician = _van(db_session, nom)
    workshop, workshops = ateliers.chosen_or_first(db_session=db_session, nom=form.get("atelier", "").strip() or None)
    try:
        day = checked(dt.date.fromisoformat(form["date"])) if form.get("date") else None
    except ValueError as exc:
        raise InvalidInput("Jour invalide : AAAA-MM-JJ attendu.") from exc
    if workshop is None:
        raise InvalidInput("Aucun atelier actif : ajoutez-en un avant de préparer.")
    once = page_keys.claim(request=request, db_session=db_session, settings=settings, principal=viewer.principal,
                           form=form)
    try:
        done = reappro.prepare(db_session=db_session, technician=technician, workshop=workshop,
                               auteur=viewer.principal.nom, needs=_needs(db_session, technician, day))
    except DomainError as exc:  # nothing is kept: the transfers made before it are rolled back too
        status, detail = exc.status_code, exc.detail
        return refuse(db_session, lambda: _page(request, db_session, viewer, technician, workshop, workshops,
                                                status_code=status, erreur=detail, day=day))
    return once.keep(_page(request, db_session, viewer, technician, workshop, workshops, done=done, day=day))
