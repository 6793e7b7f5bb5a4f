"""`inventaire ateliers …`: list, rename, deactivate and reactivate workshops."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from inventaire.cli.context import console, fail, open_session
from inventaire.kit.config import get_settings
from inventaire.kit.exceptions import DomainError

ateliers_app = typer.Typer(help="Ateliers : la réserve de l'entreprise (lister, renommer, désactiver).",
                           no_args_is_help=True)
NomArgument = Annotated[str, typer.Argument(help="Nom de l'atelier (toute casse)")]


@ateliers_app.command("list")
def list_workshops() -> None:
    """Liste les ateliers, actifs et désactivés.

    Exemple : inventaire ateliers list
    """
    from inventaire.ateliers import service as ateliers

    with open_session(get_settings()) as session:
        rows = [(w.nom, "actif" if w.actif else "désactivé") for w in ateliers.list_workshops(db_session=session)]
    if not rows:
        console.print("Aucun atelier.")
        return
    table = Table("Atelier", "État")
    table.columns[0].no_wrap = True
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _change(nom: str, changes: dict[str, Any], done: str) -> None:
    from inventaire.ateliers import service as ateliers

    try:
        with open_session(get_settings()) as session:
            workshop = ateliers.get_or_404(db_session=session, nom=nom)
            ateliers.update(db_session=session, workshop=workshop, changes=changes)
            message = done.format(nom=workshop.nom)
    except DomainError as exc:
        fail(exc.detail, 2)
    console.print(message, highlight=False, soft_wrap=True)


@ateliers_app.command("rename")
def rename(nom: NomArgument, nouveau: Annotated[str, typer.Argument(help="Nouveau nom")]) -> None:
    """Renomme un atelier (son stock et son historique le suivent).

    Exemple : inventaire ateliers rename Atelier "Atelier Laval"
    """
    _change(nom, {"nom": nouveau}, f"Atelier « {nom} » renommé « {{nom}} ».")


@ateliers_app.command("deactivate")
def deactivate(nom: NomArgument) -> None:
    """Désactive un atelier : son historique reste, il ne reçoit plus de stock.

    Exemple : inventaire ateliers deactivate Annexe
    """
    _change(nom, {"actif": False}, "Atelier « {nom} » désactivé : il ne reçoit plus de stock.")


@ateliers_app.command("activate")
def activate(nom: NomArgument) -> None:
    """Réactive un atelier désactivé.

    Exemple : inventaire ateliers activate Annexe
    """
    _change(nom, {"actif": True}, "Atelier « {nom} » actif.")
