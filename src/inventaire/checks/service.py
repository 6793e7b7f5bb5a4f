"""The low-stock check: one implementation behind the endpoint, the CLI and the scheduler."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, literal, select, type_coerce
from sqlalchemy.orm import Session

from inventaire.catalogue.models import Product
from inventaire.checks.models import Verification
from inventaire.checks.schemas import Alert, Report, Statistics
from inventaire.database import Quantity, utcnow
from inventaire.stock.ledger import VALUE
from inventaire.stock.models import StockLine
from inventaire.techniciens.models import Technician

CENT = Decimal("0.01")


def _scope(query, technician: Technician | None):
    """Lines of active technicians and active products (or of the one technician asked for)."""
    query = (
        query.join(Technician, Technician.id == StockLine.technicien_id)
        .join(Product, Product.id == StockLine.produit_id)
        .where(Product.actif.is_(True))
    )
    if technician is not None:
        return query.where(StockLine.technicien_id == technician.id)
    return query.where(Technician.actif.is_(True))


def threshold_expression(seuil_critique: Decimal | None, default: Decimal):
    """Threshold precedence: the request's, the line's minimum, the product's, the default."""
    candidates = [StockLine.seuil_min, Product.seuil_reorder, literal(default, Quantity())]
    if seuil_critique is not None:
        candidates.insert(0, literal(seuil_critique, Quantity()))
    return func.coalesce(*candidates, type_=Quantity())


def build_report(
    *, db_session: Session, technician: Technician | None, seuil_critique: Decimal | None, default: Decimal
) -> Report:
    """Compute the report with two set-based queries (statistics, then the lines in alert)."""
    lines, value = db_session.execute(
        _scope(
            select(
                func.count(StockLine.id),
                type_coerce(func.coalesce(func.sum(StockLine.quantite * Product.prix_unitaire), 0), VALUE),
            ),
            technician,
        )
    ).one()
    threshold = threshold_expression(seuil_critique, default)
    rows = db_session.execute(
        _scope(
            select(
                Technician.nom, Product.code_produit, Product.nom_produit, Product.unite,
                StockLine.quantite, threshold.label("seuil"), StockLine.niveau_par,
            ),
            technician,
        ).where(StockLine.quantite <= threshold)
    ).all()
    alerts = [
        Alert(
            code_produit=code, technicien=nom, quantite_actuelle=qty,
            severity="critique" if qty <= 0 else "bas_stock", nom_produit=nom_produit,
            seuil=seuil, unite=unite,
            quantite_a_commander=max(par - qty, Decimal(0)) if par is not None else None,
        )
        for nom, code, nom_produit, unite, qty, seuil, par in rows
    ]
    alerts.sort(key=lambda a: (a.severity != "critique", a.technicien.casefold(), a.code_produit))
    critical = sum(1 for a in alerts if a.severity == "critique")
    return Report(
        generated_at=utcnow().replace(microsecond=0),
        technicien=technician.nom if technician else None,
        seuil_critique=seuil_critique if seuil_critique is not None else default,
        statistiques=Statistics(
            total_produits=lines, total_alertes=len(alerts), alertes_critiques=critical,
            alertes_bas_stock=len(alerts) - critical,
            valeur_totale_estimee=(value or Decimal(0)).quantize(CENT),
        ),
        alertes=alerts,
        summary=f"{len(alerts)} alerte(s) détectée(s) ({critical} critique(s), {len(alerts) - critical} stock bas)",
    )


def run_check(
    *, db_session: Session, technician: Technician | None, seuil_critique: Decimal | None,
    default: Decimal, declenchee_par: str,
) -> Verification:
    """Run the check and store the run with its whole report."""
    report = build_report(
        db_session=db_session, technician=technician, seuil_critique=seuil_critique, default=default
    )
    verification = Verification(
        technicien_id=technician.id if technician else None,
        seuil_critique=seuil_critique,
        generated_at=report.generated_at,
        total_alertes=report.statistiques.total_alertes,
        alertes_critiques=report.statistiques.alertes_critiques,
        declenchee_par=declenchee_par,
        rapport=report.model_dump(mode="json"),
    )
    db_session.add(verification)
    db_session.flush()
    return verification

