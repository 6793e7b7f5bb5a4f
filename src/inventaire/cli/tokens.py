"""`inventaire token …`: create, list and revoke API tokens."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from inventaire.cli.context import console, err, fail, keep_whole, open_session
from inventaire.kit.config import get_settings
from inventaire.kit.exceptions import DomainError

token_app = typer.Typer(help="Jetons d'API : créer, lister, révoquer.", no_args_is_help=True)


@token_app.command("create")
def create(
    role: Annotated[str, typer.Option("--role", "-r", help="admin, technicien ou cron")],
    technicien: Annotated[str | None, typer.Option("--technicien", "-t", help="Pour le rôle technicien")] = None,
    nom: Annotated[str | None, typer.Option("--nom", help="Nom du jeton (défaut : le rôle ou le technicien)")] = None,
) -> None:
    """Crée un jeton et l'affiche seul sur la sortie (il ne sera plus jamais montré).

    Le lien de connexion (adresse INVENTAIRE_BASE_URL) est écrit sur la sortie d'erreur,
    pour qu'un script puisse lire le jeton seul.

    Exemples :

      inventaire token create --role admin --nom bureau

      inventaire token create --role technicien --technicien Allan

      inventaire token create --role cron
    """
    from inventaire.auth import links, service
    from inventaire.techniciens import service as techniciens

    settings = get_settings()
    try:
        with open_session(settings) as session:
            tech = techniciens.get_or_404(db_session=session, nom=technicien) if technicien else None
            raw, _token = service.create_token(db_session=session, role=role, nom=nom, technician=tech)
    except DomainError as exc:
        fail(exc.detail, 2)
    typer.echo(raw)
    # No public address: the one `serve` listens on (PORT), as `make run` would be reached.
    local = f"http://127.0.0.1:{settings.port}"
    link = links.login_link(base=links.public_base(configured=settings.base_url, fallback=local), raw=raw)
    err.print(f"Lien de connexion : {link}", highlight=False, soft_wrap=True)
    if not settings.base_url:
        err.print("(adresse locale : définissez INVENTAIRE_BASE_URL pour l'adresse publique)", highlight=False)


def _when(clock, moment) -> str:
    """« 21 déc. 2026 » over « 9 h 05 », as the pages write them (a narrow column never splits the hour)."""
    local = clock.local(moment)
    return f"{clock.date(local)}\n{local.hour}\u00a0h\u00a0{local.minute:02d}"


@token_app.command("list")
def list_tokens() -> None:
    """Liste les jetons (jamais leur valeur)."""
    from inventaire.auth import service
    from inventaire.kit.dates import Clock

    settings = get_settings()
    clock = Clock(settings.tz)  # the company's time, as on the pages
    with open_session(settings) as session:
        rows = service.list_tokens(db_session=session)
        table = Table("N°", "Nom", "Rôle", "Technicien", "Créé le", "Utilisé le", "État",
                      caption=f"Heures de {settings.tz}, comme sur les pages.")
        cells = [(str(t.id), t.nom, t.role, t.technicien.nom if t.technicien else "—", _when(clock, t.created_at),
                  _when(clock, t.last_used_at) if t.last_used_at else "jamais", "révoqué" if t.revoked_at else "actif")
                 for t in rows]
        keep_whole(table, rows=[(c[2], c[4], c[5]) for c in cells], columns=(2, 4, 5))
        for row in cells:
            table.add_row(*row)
    console.print(table)


@token_app.command("revoke")
def revoke(token_id: Annotated[int, typer.Argument(metavar="numéro", help="Numéro du jeton (voir « token list »)")]) -> None:
    """Révoque un jeton : il est refusé dès maintenant."""
    from inventaire.auth import service

    try:
        with open_session(get_settings()) as session:
            service.revoke(db_session=session, token_id=token_id)
    except DomainError as exc:
        fail(exc.detail, 2)
    console.print(f"Jeton n° {token_id} révoqué.")
