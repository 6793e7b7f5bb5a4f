"""`inventaire catalogue import` and `export`: the catalogue to and from a spreadsheet's CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from inventaire.cli.context import console, fail, open_session
from inventaire.kit.config import get_settings
from inventaire.kit.exceptions import DomainError
from inventaire.kit.quantities import count

catalogue_app = typer.Typer(help="Catalogue : import et export des produits en CSV (tableur).", no_args_is_help=True)


@catalogue_app.command("import")
def import_catalogue(
    fichier: Annotated[Path, typer.Argument(help="CSV avec en-tête (colonne code_produit obligatoire)")],
) -> None:
    """Crée ou met à jour des produits depuis un CSV (celui qu'écrit « inventaire catalogue export »).

    Un code qui existe met à jour ce produit (les colonnes présentes seulement), un code nouveau le crée.
    Toutes les lignes sont vérifiées d'abord : rien n'est écrit si une ligne est refusée.

    Colonnes : code_produit, nom_produit, categorie, unite, prix_unitaire, prix_vente, fournisseur,
    code_barres, seuil_reorder, divisible, actif (oui ou non).

    Exemples (exporter, modifier dans le tableur, importer) :

      inventaire catalogue export catalogue.csv

      inventaire catalogue import catalogue.csv
    """
    from inventaire.catalogue import importing
    from inventaire.kit import csvfile

    try:
        with open_session(get_settings()) as session:
            report = importing.import_products(db_session=session, content=csvfile.read_bytes(fichier),
                                               name=fichier.name)
    except DomainError as exc:
        fail(exc.detail, 2)
    if report.erreurs:
        table = Table("Ligne", "Colonne", "Motif du refus", title=count(len(report.erreurs), "erreur"))
        for problem in report.erreurs:
            table.add_row(str(problem.ligne), problem.colonne, problem.motif)
        console.print(table)
        fail("aucun produit importé : corrigez le fichier et relancez l'import.")
    console.print(f"Catalogue importé : {report.summary()}.", highlight=False)


@catalogue_app.command("export")
def export_catalogue(
    fichier: Annotated[Path | None, typer.Argument(help="Fichier CSV à écrire (défaut : la sortie standard)")] = None,
) -> None:
    """Écrit tout le catalogue (produits archivés compris) en CSV pour un tableur, relisible par l'import.

    Exemple : inventaire catalogue export catalogue.csv
    """
    from inventaire.exports import service as exports

    with open_session(get_settings()) as session:
        body = exports.catalogue_csv(db_session=session)
    if fichier is None:
        typer.echo(body, nl=False)
        return
    fichier.write_text(body, encoding="utf-8", newline="")
    console.print(f"Catalogue écrit dans {fichier} ({count(body.count(chr(10)) - 1, 'produit')}).", highlight=False,
                  soft_wrap=True)  # a path cut by a line break cannot be copied
