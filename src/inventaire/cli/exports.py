"""`inventaire export-stock`: every van's stock as a spreadsheet-friendly CSV (as on the dashboard)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from inventaire.cli.context import console, open_session
from inventaire.kit.config import get_settings


def export_stock(
    fichier: Annotated[Path | None, typer.Argument(help="Fichier CSV à écrire (défaut : la sortie standard)")] = None,
) -> None:
    """Écrit le stock de chaque véhicule en CSV pour un tableur (« ; », virgules décimales, dates lisibles).

    Exemples :

      inventaire export-stock stock.csv

      inventaire export-stock > stock.csv
    """
    from inventaire.exports import service as exports

    settings = get_settings()
    with open_session(settings) as session:
        body = exports.stock_csv(db_session=session, default=settings.seuil_defaut, tz=settings.tz)
    if fichier is None:
        typer.echo(body, nl=False)
        return
    fichier.write_text(body, encoding="utf-8", newline="")
    console.print(f"Stock écrit dans {fichier} ({body.count(chr(10)) - 1} lignes).", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("export-stock")(export_stock)
