"""Évolution du stock: a chart of a product's quantity over time (from the ledger) with its
thresholds and the forecast after it, served as JSON by the page's own endpoint, and monthly
consumption per product."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from inventaire.ateliers import service as ateliers
from inventaire.catalogue import service as catalogue
from inventaire.catalogue.models import Product
from inventaire.deps import SessionDep, SettingsDep
from inventaire.emplacements import service as locations
from inventaire.emplacements.models import Location
from inventaire.kit.database import utcnow
from inventaire.kit.schemas import CODE_PATTERN, to_json_number
from inventaire.previsions import service as previsions
from inventaire.previsions.booked import Horizon
from inventaire.previsions.service import LineForecast
from inventaire.stock import history
from inventaire.techniciens import service as techniciens
from inventaire.web.deps import AdminPage
from inventaire.web.render import PageRoute, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PERIODS = {30: "30 jours", 90: "90 jours", 365: "12 mois", 0: "Tout l'historique"}
MONTHS = 12
CodeQuery = Query(None, pattern=CODE_PATTERN)
NomQuery = Query(None, max_length=60)
DaysQuery = Query(365, ge=0, le=36500, description="0 : tout l'historique")
FORECAST_DAYS = 90  # the period the forecast observes
DRAWN_DAYS = 60  # how far ahead the forecast is drawn, at most


def _forecast_points(forecast: LineForecast | None, now: dt.datetime) -> dict[str, Any] | None:
    """The forecast after the history: from the level now down to zero at the end of its cover, drawn
    straight (None: nothing used nor booked enough to exhaust it). With booked days the way down is
    steeper on them; the legend says how much of the cover the bookings set."""
    if forecast is None or not forecast.jours_de_couverture:
        return None
    cover = float(forecast.jours_de_couverture)
    days = min(cover, DRAWN_DAYS)
    left = max(forecast.quantite * (1 - Decimal(repr(days / cover))), Decimal(0))
    return {
        "consommation_par_jour": to_json_number(forecast.consommation_par_jour),
        "jours_de_couverture": to_json_number(forecast.jours_de_couverture),
        "rupture_prevue": forecast.rupture_prevue.isoformat() if forecast.rupture_prevue else None,
        "demande_reservee": to_json_number(forecast.demande_reservee),
        "jours_reserves": to_json_number(forecast.jours_reserves),
        "source_rupture": forecast.source_rupture.label if forecast.source_rupture else None,
        "points": [{"x": now.isoformat(), "y": to_json_number(forecast.quantite)},
                   {"x": (now + dt.timedelta(days=days)).isoformat(), "y": to_json_number(left.quantize(Decimal("0.001")))}],
    }


def _scope(db_session: Session, code_produit: str | None, technicien: str | None) -> tuple[Product | None, Location | None]:
    """The product asked for (else the first of the catalogue) and the technician (None: all)."""
    product = catalogue.get_or_404(db_session=db_session, code_produit=code_produit) if code_produit else None
    if product is None:
        products = catalogue.list_products(db_session=db_session)
        product = products[0] if products else None
    technician = locations.get_or_404(db_session=db_session, nom=technicien) if technicien else None
    return product, technician


@router.get("/evolution")
def evolution_page(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
                   code_produit: str | None = CodeQuery, technicien: str | None = NomQuery,
                   jours: int = DaysQuery) -> Response:
    product, technician = _scope(db_session, code_produit, technicien)
    months, uses = history.monthly_consumption(
        db_session=db_session, location=technician, months=MONTHS, zone=ZoneInfo(settings.tz), now=utcnow()
    )
    return render(
        request, "evolution.html", viewer=viewer, nav="evolution", produit=product, technicien=technician,
        jours=jours, periodes=PERIODS, mois=months, consommation=uses,
        produits=catalogue.list_products(db_session=db_session, actif=None),
        techniciens=techniciens.list_technicians(db_session=db_session),
        ateliers=ateliers.list_workshops(db_session=db_session),
    )


@router.get("/evolution/donnees")
def evolution_data(db_session: SessionDep, settings: SettingsDep, _: AdminPage,
                   code_produit: str = Query(pattern=CODE_PATTERN), technicien: str | None = NomQuery,
                   jours: int = DaysQuery) -> Response:
    """The chart's data: one series per line, `quantite_apres` at each `created_at`, and the thresholds."""
    product, technician = _scope(db_session, code_produit, technicien)
    assert product is not None  # the code is required here: _scope found it or answered 404
    now = utcnow()
    since = now - dt.timedelta(days=jours) if jours else None
    lines = history.quantity_history(
        db_session=db_session, product=product, location=technician, since=since, default=settings.seuil_defaut
    )
    forecast = previsions.forecast(db_session=db_session, holder=technician, jours=FORECAST_DAYS, now=now,
                                   company_wide=False, booked=Horizon.of(settings=settings, now=now))
    forecasts = {f.technicien: f for f in forecast.lignes if f.code_produit == product.code_produit}
    thresholds: dict[Decimal, list[str]] = {}
    for line in lines:
        thresholds.setdefault(line.seuil, []).append(line.technicien)
    return JSONResponse({
        "produit": {"code_produit": product.code_produit, "nom_produit": product.nom_produit,
                    "unite": product.unite},
        "technicien": technician.nom if technician else None,
        "depuis": since.isoformat() if since else None,
        "jusqu_a": now.isoformat(),
        "series": [
            {"technicien": line.technicien, "quantite": to_json_number(line.quantite),
             "seuil": to_json_number(line.seuil),
             "points": [{"x": p.at.isoformat(), "y": to_json_number(p.quantite), "transaction": p.transaction_id}
                        for p in line.points],
             "prevision": _forecast_points(forecasts.get(line.technicien), now)}
            for line in lines
        ],
        "seuils": [{"valeur": to_json_number(value), "techniciens": names}
                   for value, names in sorted(thresholds.items())],
    }, headers={"Cache-Control": "no-store"})
