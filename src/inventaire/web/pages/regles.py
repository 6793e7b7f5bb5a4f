"""« Règles », for the office: what each billed service consumes. The service is picked from
Gazelle's master service list (not typed), the product from the catalogue; the billed services
that have no rule yet are listed, most billed first."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from inventaire.catalogue import service as catalogue
from inventaire.deductions import overview
from inventaire.deps import SessionDep, SettingsDep
from inventaire.gazelle import directory
from inventaire.kit.config import Settings
from inventaire.kit.database import utcnow
from inventaire.kit.exceptions import Conflict, InvalidInput, NotFound
from inventaire.kit.forms import validate
from inventaire.regles import service as regles
from inventaire.regles.models import ConsumptionRule
from inventaire.regles.schemas import RuleCreate, RuleUpdate
from inventaire.rendezvous import service as rendezvous
from inventaire.web.deps import AdminPage, FormData
from inventaire.web.render import PageRoute, render
from inventaire.web.sessions import Viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
IdPath = Path(ge=1, le=2_147_483_647)
NOTICES = {"ajoutee": "Règle ajoutée.", "modifiee": "Règle modifiée.",
           "supprimee": "Règle supprimée : ce qu'elle a déjà déduit reste au journal."}


def _page(request: Request, db_session: Session, settings: Settings, viewer: Viewer, *,
          valeurs: dict[str, str] | None = None, erreurs: dict[str, str] | None = None, avis: str | None = None,
          status_code: int = 200, service_id: str | None = None) -> HTMLResponse:
    db_session.commit()  # Gazelle's lists may refresh the token in their own transaction
    msl = directory.service_items(settings, request.app.state.sessionmaker)
    names = {m["id"]: m["nom"] for m in msl.items}
    rules = regles.list_rules(db_session=db_session)
    return render(
        request, "regles.html", status_code, viewer=viewer, nav="regles", regles=rules, services=msl.items,
        noms=names, probleme=msl.probleme, produits=catalogue.list_products(db_session=db_session),
        sans_regle=overview.unmatched_services(db_session=db_session),
        reserves_sans_regle=_booked_uncovered(db_session, settings, rules),
        fractions=regles.fractional_rules(db_session=db_session),
        valeurs=valeurs or {"service_id": service_id or ""},
        erreurs=erreurs or {}, avis=avis,
    )


def _booked_uncovered(db_session: Session, settings: Settings, rules: list[ConsumptionRule]) -> list[dict[str, Any]]:
    """Services booked from today to INVENTAIRE_GAZELLE_JOURS_AVENIR days that no rule covers, most booked first."""
    today = utcnow().astimezone(ZoneInfo(settings.tz)).date()
    return rendezvous.uncovered(db_session=db_session, first=today,
                                last=today + dt.timedelta(days=settings.gazelle_jours_avenir),
                                covered={r.service_id for r in rules})


@router.get("/regles")
def rules_page(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
               avis: Literal["ajoutee", "modifiee", "supprimee"] | None = None,
               service: str | None = Query(None, max_length=60)) -> Response:
    return _page(request, db_session, settings, viewer, avis=NOTICES.get(avis) if avis else None, service_id=service)


@router.post("/regles/nouvelle")
def add_rule(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage, form: FormData) -> Response:
    data = {k: form.get(k, "") for k in ("service_id", "code_produit", "quantite", "service_nom", "notes")}
    body, errors = validate(RuleCreate, data, decimals={"quantite"},
                            required={"service_id", "code_produit", "quantite"})
    if body is None:
        return _page(request, db_session, settings, viewer, valeurs=data, erreurs=errors, status_code=422)
    try:
        product = catalogue.get_or_404(db_session=db_session, code_produit=body.code_produit)
        regles.create(db_session=db_session, service_id=body.service_id, product=product, quantite=body.quantite,
                      service_nom=body.service_nom, notes=body.notes)
    except (Conflict, InvalidInput, NotFound) as exc:
        db_session.rollback()
        field = "code_produit" if isinstance(exc, NotFound) else "service_id"
        return _page(request, db_session, settings, viewer, valeurs=data, erreurs={field: exc.detail},
                     status_code=exc.status_code)
    return RedirectResponse("/regles?avis=ajoutee", 303)


@router.post("/regles/{rule_id}/modifier")
def change_rule(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage, form: FormData,
                rule_id: int = IdPath) -> Response:
    rule = regles.get_or_404(db_session=db_session, rule_id=rule_id)
    data = {"quantite": form.get("quantite", ""), "notes": form.get("notes", "")}
    body, errors = validate(RuleUpdate, data, decimals={"quantite"}, clearable={"notes"}, required={"quantite"})
    if body is None:
        return _page(request, db_session, settings, viewer, erreurs={f"regle-{rule_id}": " ".join(errors.values())},
                     status_code=422)
    try:
        regles.update(db_session=db_session, rule=rule, changes=body.model_dump(exclude_unset=True))
    except (Conflict, InvalidInput) as exc:
        db_session.rollback()
        return _page(request, db_session, settings, viewer, erreurs={f"regle-{rule_id}": exc.detail},
                     status_code=exc.status_code)
    return RedirectResponse("/regles?avis=modifiee", 303)


@router.post("/regles/{rule_id}/supprimer")
def remove_rule(db_session: SessionDep, viewer: AdminPage, rule_id: int = IdPath) -> Response:
    regles.delete(db_session=db_session, rule=regles.get_or_404(db_session=db_session, rule_id=rule_id))
    return RedirectResponse("/regles?avis=supprimee", 303)
