"""« Chargements »: every technician's load list for a chosen day, what the workshop can give of each
line, and « Préparer » (the van's picking list for that day, printable, one page per technician)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import AfterValidator
from sqlalchemy import select

from inventaire.ateliers import service as ateliers
from inventaire.chargement import service as chargement
from inventaire.chargement.messages import long_date
from inventaire.deps import SessionDep, SettingsDep
from inventaire.kit.database import utcnow
from inventaire.kit.dates import checked
from inventaire.stock.models import StockLine
from inventaire.techniciens import service as techniciens
from inventaire.web.deps import AdminPage
from inventaire.web.render import PageRoute, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/chargements")
def load_lists(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
               date: Annotated[dt.date | None, AfterValidator(checked), Query()] = None,
               atelier: str | None = Query(None, max_length=60)) -> Response:
    """Every active technician with a Gazelle user: their list for the day (default: tomorrow)."""
    day = date or utcnow().astimezone(ZoneInfo(settings.tz)).date() + dt.timedelta(days=1)
    workshop, workshops = ateliers.chosen_or_first(db_session=db_session, nom=atelier)
    vans = [t for t in techniciens.list_technicians(db_session=db_session, actif=True) if t.gazelle_id]
    lists = chargement.load_lists(db_session=db_session, technicians=vans, day=day)
    products = {line.product.id for load in lists for line in load.lines}
    held = dict(db_session.execute(select(StockLine.produit_id, StockLine.quantite).where(
        StockLine.emplacement_id == workshop.id, StockLine.produit_id.in_(products))).all()) \
        if workshop and products else {}
    return render(request, "chargements.html", viewer=viewer, nav="chargements", jour=day, titre=long_date(day),
                  listes=lists, atelier=workshop, ateliers=workshops, atelier_a=held,
                  sans_gazelle=[t.nom for t in techniciens.list_technicians(db_session=db_session, actif=True)
                                if not t.gazelle_id])
