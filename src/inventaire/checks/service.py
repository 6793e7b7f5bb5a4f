"""The low-stock check: one implementation behind the endpoint, the CLI and the scheduler."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Select, func, select, type_coerce
from sqlalchemy.orm import Session

from inventaire.catalogue.models import Product
from inventaire.checks import lifecycle
from inventaire.checks.models import Verification
from inventaire.checks.schemas import Alert, PredictedStockout, Report, Statistics
from inventaire.emplacements.models import Location
from inventaire.kit import database
from inventaire.kit.database import utcnow
from inventaire.kit.enums import Severity
from inventaire.kit.exceptions import NotFound
from inventaire.previsions import service as previsions
from inventaire.previsions.booked import Horizon
from inventaire.stock.ledger import VALUE
from inventaire.stock.models import StockLine
from inventaire.stock.reading import threshold_expression

CENT = Decimal("0.01")
FORECAST_DAYS = 90  # the period the check's forecast observes


# Only the base table: a check reads the holder's name, not what kind of holder it is.
_HOLDER = Location.__table__
Ts = TypeVarTuple("Ts")


def _scope(query: Select[*Ts], technician: Location | None, products: Collection[int] | None = None) -> Select[*Ts]:
    """Lines of active locations (vans and workshops) and active products (or of the one asked for).

    `products` (ids) narrows it to a few lines: the phone page colours the line just changed.
    """
    query = (
        query.join(_HOLDER, _HOLDER.c.id == StockLine.emplacement_id)
        .join(Product, Product.id == StockLine.produit_id)
        .where(Product.actif.is_(True))
    )
    if products is not None:
        query = query.where(StockLine.produit_id.in_(products))
    if technician is not None:
        return query.where(StockLine.emplacement_id == technician.id)
    return query.where(_HOLDER.c.actif.is_(True))


def build_report(
    *, db_session: Session, technician: Location | None, seuil_critique: Decimal | None, default: Decimal,
    horizon_days: int | None = None, products: Collection[int] | None = None, booked: Horizon | None = None,
) -> Report:
    """Compute the report with two set-based queries (statistics, then the lines in alert).

    `products` (ids) limits it to those lines, without the forecast (the phone page's one line).

    With `horizon_days` (the days until the next order), the forecast adds each alert's predicted
    stockout and lists the other lines predicted to run out within that horizon (two more queries;
    two more with `booked`, the appointments' horizon whose booked demand the forecast counts).
    """
    lines, value = database.rows(
        db_session, _scope(
            select(
                func.count(StockLine.id),
                type_coerce(func.coalesce(func.sum(StockLine.quantite * Product.prix_unitaire), 0), VALUE),
            ),
            technician, products,
        )
    ).one()
    threshold = threshold_expression(seuil_critique, default)
    rows = database.rows(
        db_session, _scope(
            select(
                _HOLDER.c.nom, Product.code_produit, Product.nom_produit, Product.unite,
                StockLine.quantite, threshold.label("seuil"), StockLine.niveau_par, _HOLDER.c.genre,
            ),
            technician, products,
        ).where(StockLine.quantite <= threshold)
    ).all()
    alerts = [
        Alert(
            code_produit=code, technicien=nom, quantite_actuelle=qty,
            severity=Severity.CRITIQUE if qty <= 0 else Severity.BAS_STOCK, nom_produit=nom_produit,
            seuil=seuil, unite=unite,
            quantite_a_commander=max(par - qty, Decimal(0)) if par is not None else None,
            type_emplacement=genre,
        )
        for nom, code, nom_produit, unite, qty, seuil, par, genre in rows
    ]
    alerts.sort(key=lambda a: (a.severity != Severity.CRITIQUE, a.technicien.casefold(), a.code_produit))
    critical = sum(1 for a in alerts if a.severity == Severity.CRITIQUE)
    predicted = []
    if horizon_days is not None and products is None:
        predicted = _forecast(db_session, technician, alerts, horizon_days, threshold, booked)
    report = Report(
        generated_at=utcnow().replace(microsecond=0),
        technicien=technician.nom if technician else None,
        seuil_critique=seuil_critique if seuil_critique is not None else default,
        statistiques=Statistics(
            total_produits=lines, total_alertes=len(alerts), alertes_critiques=critical,
            alertes_bas_stock=len(alerts) - critical,
            valeur_totale_estimee=(value or Decimal(0)).quantize(CENT),
        ),
        alertes=alerts,
        # The seed's text, unchanged: predicted stockouts are counted apart (statistiques, ruptures_prevues).
        summary=f"{len(alerts)} alerte(s) détectée(s) ({critical} critique(s), {len(alerts) - critical} stock bas)",
        delai_commande_jours=horizon_days,
        ruptures_prevues=predicted,
    )
    return report


def _forecast(db_session: Session, technician: Location | None, alerts: list[Alert], horizon_days: int,
              threshold: ColumnElement[Decimal], booked: Horizon | None) -> list[PredictedStockout]:
    """Set each alert's predicted stockout; list the other lines that run out within `horizon_days`."""
    now = utcnow()
    limit = now.astimezone(dt.UTC).date() + dt.timedelta(days=horizon_days)
    in_alert = {(a.technicien, a.code_produit) for a in alerts}
    forecast = previsions.forecast(db_session=db_session, holder=technician, jours=FORECAST_DAYS, now=now,
                                   company_wide=False, stockout_by=limit, keys=in_alert, booked=booked)
    by_line = {(f.technicien, f.code_produit): f for f in forecast.lignes}
    for alert in alerts:
        line = by_line.get((alert.technicien, alert.code_produit))
        alert.rupture_prevue = line.rupture_prevue if line else None
    soon = {key: line for key, line in by_line.items()
            if key not in in_alert and line.rupture_prevue is not None and line.rupture_prevue <= limit}
    if not soon:
        return []
    rows = database.rows(
        db_session, _scope(select(_HOLDER.c.nom, Product.code_produit, threshold, StockLine.niveau_par), technician).where(
            _HOLDER.c.nom.in_({nom for nom, _ in soon}), Product.code_produit.in_({code for _, code in soon}))
    ).all()
    predicted = [
        PredictedStockout(
            code_produit=code, technicien=nom, quantite_actuelle=line.quantite, nom_produit=line.nom_produit,
            seuil=seuil, unite=line.unite, consommation_par_jour=line.consommation_par_jour,
            jours_de_couverture=line.jours_de_couverture, rupture_prevue=line.rupture_prevue,
            quantite_a_commander=max(par - line.quantite, Decimal(0)) if par is not None else None,
            demande_reservee=line.demande_reservee, source_rupture=line.source_rupture,
        )
        for nom, code, seuil, par in rows if (line := soon.get((nom, code))) is not None
    ]
    return sorted(predicted, key=lambda p: (p.rupture_prevue, p.technicien.casefold(), p.code_produit))


def current_quantities(
    *, db_session: Session, technician: Location | None, pairs: list[tuple[str, str]]
) -> dict[tuple[str, str], Decimal]:
    """Quantities of these (technician name, product code) lines that are still in scope."""
    wanted = set(pairs)
    rows = db_session.execute(
        _scope(select(_HOLDER.c.nom, Product.code_produit, StockLine.quantite), technician).where(
            _HOLDER.c.nom.in_({nom for nom, _ in wanted}),
            Product.code_produit.in_({code for _, code in wanted}),
        )
    ).all()
    return {(nom, code): qty for nom, code, qty in rows if (nom, code) in wanted}


def compared_report(
    *, db_session: Session, technician: Location | None, seuil_critique: Decimal | None, default: Decimal,
    reaches: Callable[[str], bool] = lambda _nom: False, rappel: dt.timedelta = dt.timedelta(days=7),
    horizon_days: int | None = None, booked: Horizon | None = None,
) -> Report:
    """The check now, each alert compared with the previous run of its scope; nothing is stored.

    The dashboard shows it as it is (nothing is sent from there); run_check stores it.
    """
    report = build_report(
        db_session=db_session, technician=technician, seuil_critique=seuil_critique, default=default,
        horizon_days=horizon_days, booked=booked,
    )
    lifecycle.annotate(
        report=report,
        previous=lifecycle.previous_run(db_session=db_session, technician=technician, seuil_critique=seuil_critique),
        reaches=reaches,
        rappel=rappel,
        current_quantity=lambda pairs: current_quantities(db_session=db_session, technician=technician, pairs=pairs),
    )
    return report


def run_check(
    *, db_session: Session, technician: Location | None, seuil_critique: Decimal | None,
    default: Decimal, declenchee_par: str, notifier: bool = False,
    reaches: Callable[[str], bool] = lambda _nom: False, rappel: dt.timedelta = dt.timedelta(days=7),
    horizon_days: int | None = None, booked: Horizon | None = None,
) -> Verification:
    """Run the check, compare it with the previous run of its scope, and store it whole.

    `reaches(technicien)` tells whether this run's notifications reach someone for that
    technician (see lifecycle.annotate); the caller holds the check lock.
    """
    report = compared_report(
        db_session=db_session, technician=technician, seuil_critique=seuil_critique, default=default,
        reaches=reaches if notifier else (lambda _nom: False), rappel=rappel, horizon_days=horizon_days,
        booked=booked,
    )
    verification = Verification(
        technicien_id=technician.id if technician else None,
        seuil_critique=seuil_critique,
        generated_at=report.generated_at,
        total_alertes=report.statistiques.total_alertes,
        alertes_critiques=report.statistiques.alertes_critiques,
        declenchee_par=declenchee_par,
        notifier=notifier,
        rapport=report.model_dump(mode="json"),
        notifications=[],  # loaded (empty): readable after the session closes, as the CLI does
    )
    # Kept for report_of: the endpoint and the notifications need the model right after the run.
    verification.built_report = report  # type: ignore[attr-defined]  # not a column: lives with the object
    db_session.add(verification)
    db_session.flush()
    return verification


def report_of(verification: Verification) -> Report:
    """The run's report as a model: the one run_check just built, else validated from the stored JSON.

    Validating a report of thousands of alerts costs tens of milliseconds (BENCHMARKS.md).
    """
    built = getattr(verification, "built_report", None)
    return built if built is not None else Report.model_validate(verification.rapport)


def list_runs(
    *, db_session: Session, technician: Location | None, limit: int, offset: int
) -> tuple[list[Verification], int]:
    """One page of stored runs, newest first (of one technician's scope when given), and the total."""
    query = select(Verification)
    count = select(func.count(Verification.id))
    if technician is not None:
        query = query.where(Verification.technicien_id == technician.id)
        count = count.where(Verification.technicien_id == technician.id)
    rows = db_session.scalars(
        query.order_by(Verification.generated_at.desc(), Verification.id.desc()).limit(limit).offset(offset)
    )
    return list(rows.unique()), int(db_session.scalar(count) or 0)


def get_run_or_404(*, db_session: Session, verification_id: int) -> Verification:
    """One stored run, or NotFound."""
    verification = db_session.get(Verification, verification_id)
    if verification is None:
        raise NotFound(f"Vérification inconnue : n° {verification_id}.")
    return verification
