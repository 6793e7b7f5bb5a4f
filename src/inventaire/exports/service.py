"""What the exports hold: every van's stock, one check's alerts and the catalogue, as spreadsheet rows."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventaire.catalogue.importing import COLUMNS as CATALOGUE_COLUMNS
from inventaire.catalogue.models import Product
from inventaire.checks.schemas import Report
from inventaire.exports.spreadsheet import amount, cell, document, moment, number
from inventaire.kit.enums import AlertState, Severity
from inventaire.stock.models import StockLine
from inventaire.stock.reading import threshold_of
from inventaire.techniciens.models import Technician

STOCK_HEADERS = ("Technicien", "Code", "Produit", "Catégorie", "Quantité", "Unité", "Seuil", "Niveau de remplissage",
                 "Coût unitaire", "Valeur", "Mis à jour")
ALERT_HEADERS = ("Gravité", "État", "Technicien", "Code", "Produit", "Quantité", "Unité", "Seuil", "À commander",
                 "Signalée le")


def stock_csv(*, db_session: Session, default: Decimal, tz: str) -> str:
    """Every active van's lines of active products, by technician then code."""
    lines = db_session.scalars(
        select(StockLine).join(Technician, Technician.id == StockLine.emplacement_id).join(StockLine.produit)
        .where(Technician.actif.is_(True), Product.actif.is_(True))
        .order_by(Technician.nom_cle, Product.code_cle)
    )
    rows = (
        (cell(line.emplacement.nom), cell(line.produit.code_produit), cell(line.produit.nom_produit),
         cell(line.produit.categorie), number(line.quantite), cell(line.produit.unite),
         number(threshold_of(line, default)), number(line.niveau_par), amount(line.produit.prix_unitaire),
         amount(line.quantite * line.produit.prix_unitaire), moment(line.updated_at, tz))
        for line in lines
    )
    return document(STOCK_HEADERS, rows)


def alerts_csv(*, report: Report, tz: str) -> str:
    """One check's alerts as stored, in the report's order."""
    rows = (
        (Severity.label_of(a.severity).lower(), AlertState.label_of(a.etat).lower() if a.etat else "", cell(a.technicien),
         cell(a.code_produit), cell(a.nom_produit), number(a.quantite_actuelle), cell(a.unite), number(a.seuil),
         number(a.quantite_a_commander), moment(a.notifiee_le, tz))
        for a in report.alertes
    )
    return document(ALERT_HEADERS, rows)


def catalogue_csv(*, db_session: Session) -> str:
    """Every product, archived ones too, by code: the columns `inventaire catalogue import` reads back."""
    products = db_session.scalars(select(Product).order_by(Product.code_cle))
    rows = (
        (cell(p.code_produit), cell(p.nom_produit), cell(p.categorie), cell(p.unite), amount(p.prix_unitaire),
         amount(p.prix_vente), cell(p.fournisseur), cell(p.code_barres), number(p.seuil_reorder),
         "oui" if p.divisible else "non", "oui" if p.actif else "non")
        for p in products
    )
    return document(tuple(CATALOGUE_COLUMNS), rows)
