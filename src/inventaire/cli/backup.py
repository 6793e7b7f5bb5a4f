"""`inventaire export`, `import` and `import-stock`: thin commands over inventaire.backup."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from inventaire.cli.context import console, fail, open_session
from inventaire.kit.config import get_settings
from inventaire.kit.exceptions import DomainError
from inventaire.kit.quantities import count


def _counts(counts) -> str:
    return ", ".join((
        count(counts.catalogue, "produit"), count(counts.techniciens, "technicien"),
        count(counts.stock, "ligne de stock"), count(counts.transactions, "mouvement"),
        count(counts.regles, "règle"), count(counts.demandes, "demande"),
        f"{count(counts.commandes, 'commande')} ({count(counts.lignes_commande, 'ligne')})",
        f"{count(counts.services_deduits, 'service déduit', 'services déduits')} "
        f"({count(counts.deductions, 'déduction')})",
        count(counts.jetons_api, "jeton d'API", "jetons d'API"), count(counts.verifications, "vérification"),
        count(counts.journal_audit, "entrée du journal d'audit", "entrées du journal d'audit"),
    ))


def export(dossier: Annotated[Path, typer.Argument(help="Dossier de destination (créé au besoin)")]) -> None:
    """Exporte catalogue, techniciens, stock, tout le journal, règles, demandes, commandes, déductions,
    jetons d'API (empreintes), vérifications et journal d'audit (inventaire.json et un CSV par table).

    Exemple : inventaire export sauvegardes/2025-12-09
    """
    from inventaire.backup import service

    with open_session(get_settings()) as session:
        counts = service.export_to(db_session=session, folder=dossier)
    console.print(f"Export écrit dans {dossier} : {_counts(counts)}.", highlight=False, soft_wrap=True)


def import_(dossier: Annotated[Path, typer.Argument(help="Dossier écrit par « inventaire export »")]) -> None:
    """Restaure un export dans une base VIDE (mêmes numéros, quantités, dates et auteurs).

    Exemple : DATABASE_URL=postgresql://… inventaire db upgrade && inventaire import sauvegardes/2025-12-09
    """
    from inventaire.backup import service

    try:
        with open_session(get_settings()) as session:
            counts = service.import_from(db_session=session, folder=dossier)
    except DomainError as exc:
        fail(exc.detail, 2)
    console.print(f"Import terminé : {_counts(counts)}.", highlight=False)


def _who() -> str:
    try:
        return f"import de stock ({getpass.getuser()})"
    except (KeyError, OSError):  # no user name in some containers
        return "import de stock (ligne de commande)"


def import_stock(
    fichier: Annotated[Path, typer.Argument(help="CSV : code,technicien,quantite (en-tête obligatoire)")],
    ignorer_erreurs: Annotated[bool, typer.Option(
        "--ignorer-erreurs", help="Importer les lignes valides malgré les lignes rejetées")] = False,
) -> None:
    """Importe le stock actuel de chaque technicien (un comptage d'ouverture par ligne).

    Rien n'est écrit si une ligne est rejetée, sauf avec --ignorer-erreurs.

    Exemple : inventaire import-stock stock-actuel.csv
    """
    from inventaire.backup import opening

    try:
        with open_session(get_settings()) as session:
            report = opening.import_opening(db_session=session, path=fichier, auteur=_who(),
                                            ignorer_erreurs=ignorer_erreurs)
    except DomainError as exc:
        fail(exc.detail, 2)
    if report.rejets:
        table = Table("Ligne", "Motif du rejet", title=count(len(report.rejets), "ligne rejetée", "lignes rejetées"))
        for rejet in report.rejets:
            table.add_row(str(rejet.ligne), rejet.motif)
        console.print(table)
    if report.rejets and not ignorer_erreurs:
        fail(f"aucune ligne importée ({count(report.lignes_valides, 'valide')}, {count(len(report.rejets), 'rejetée')}) : "
             "corrigez le fichier, ou relancez avec --ignorer-erreurs pour importer les lignes valides.")
    console.print(f"{count(report.importees, 'ligne importée', 'lignes importées')} en comptages d'ouverture.", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("import")(import_)
    app.command("import-stock")(import_stock)
