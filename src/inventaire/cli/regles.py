"""`inventaire regles …`: list, add and remove consumption rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer
from rich.table import Table

from inventaire.cli.context import console, fail, keep_whole, open_session
from inventaire.kit.config import get_settings
from inventaire.kit.exceptions import DomainError
from inventaire.kit.quantities import has_quantity_places, is_quantity, parse, with_unit

regles_app = typer.Typer(
    help="Règles de consommation : ce qu'un service facturé retire du véhicule.", no_args_is_help=True
)


def parse_quantity(value: str) -> Decimal:
    """A quantity typed on the command line: a number > 0 with at most 3 decimals (a comma works too)."""
    number = parse(value)
    if number is None:
        fail(f"quantité invalide : « {value} » n'est pas un nombre.", 2)
    if not is_quantity(number) or number == 0 or not has_quantity_places(number):
        fail(f"quantité invalide : « {value} » (nombre supérieur à zéro, au plus 3 décimales).", 2)
    return number


@regles_app.command("list")
def list_rules(
    service: Annotated[str | None, typer.Option("--service", help="Un seul service (mit_…)")] = None,
) -> None:
    """Liste les règles : service, produit, quantité.

    Exemple : inventaire regles list --service mit_2eBOzDvunD7PHs6M
    """
    from inventaire.regles import service as regles

    with open_session(get_settings()) as session:
        rules = regles.list_rules(db_session=session, service_id=service)
        table = Table("N°", "Service", "Nom du service", "Produit", "Quantité", "Notes")
        keep_whole(table, rows=[(r.service_id, r.produit.code_produit) for r in rules], columns=(1, 3))
        for r in rules:
            table.add_row(str(r.id), r.service_id, r.service_nom or "—", r.produit.code_produit,
                          with_unit(r.quantite, r.produit.unite), r.notes or "")
    if not rules:
        console.print("Aucune règle de consommation.")
        return
    console.print(table)


@regles_app.command("add")
def add_rule(
    service: Annotated[str, typer.Option("--service", "-s",
                                         help="Service facturé : article MSL Gazelle (mit_…) ou code")],
    produit: Annotated[str, typer.Option("--produit", "-p", help="Code du produit consommé")],
    quantite: Annotated[str, typer.Option("--quantite", "-q", metavar="<nombre>", help="Quantité par service facturé")] = "1",
    nom: Annotated[str | None, typer.Option("--nom", help="Nom du service, pour les relevés")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Remarque libre")] = None,
) -> None:
    """Ajoute une règle : chaque service facturé consomme cette quantité du produit.

    Exemple :

      inventaire regles add --service mit_2eBOzDvunD7PHs6M --produit PLS-BUVARDS --quantite 1
      --nom "Entretien annuel du système PLS"
    """
    from pydantic import ValidationError

    from inventaire.catalogue import service as catalogue
    from inventaire.regles import service as regles
    from inventaire.regles.schemas import RuleCreate

    amount = parse_quantity(quantite)
    try:
        body = RuleCreate(service_id=service, code_produit=produit, quantite=amount, service_nom=nom, notes=notes)
    except ValidationError as exc:
        fail("règle invalide : " + "; ".join(f"{'.'.join(map(str, e['loc']))} : {e['msg']}" for e in exc.errors()), 2)
    try:
        with open_session(get_settings()) as session:
            product = catalogue.get_or_404(db_session=session, code_produit=body.code_produit)
            rule = regles.create(db_session=session, service_id=body.service_id, product=product,
                                 quantite=body.quantite, service_nom=body.service_nom, notes=body.notes)
            summary = (f"Règle n° {rule.id} ajoutée : « {rule.service_nom or rule.service_id} » consomme "
                       f"{with_unit(rule.quantite, rule.produit.unite, grouped=True)} de « {rule.produit.code_produit} ».")
    except DomainError as exc:
        fail(exc.detail, 2)
    console.print(summary, highlight=False, soft_wrap=True)


@regles_app.command("remove")
def remove_rule(
    rule_id: Annotated[int, typer.Argument(metavar="numéro", help="Numéro de la règle (voir « regles list »)")],
) -> None:
    """Supprime une règle (ce qu'elle a déjà déduit reste au journal).

    Exemple : inventaire regles remove 3
    """
    from inventaire.regles import service as regles

    try:
        with open_session(get_settings()) as session:
            rule = regles.get_or_404(db_session=session, rule_id=rule_id)
            regles.delete(db_session=session, rule=rule)
    except DomainError as exc:
        fail(exc.detail, 2)
    console.print(f"Règle n° {rule_id} supprimée.")
