"""The `inventaire` command: a thin layer over the services, French output."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated

import typer

from inventaire.checks.schemas import read_threshold
from inventaire.cli import backup, exports, francais
from inventaire.cli.ateliers import ateliers_app
from inventaire.cli.catalogue import catalogue_app
from inventaire.cli.context import console, database_name, database_problem, err, fail, open_session
from inventaire.cli.gazelle import gazelle_app
from inventaire.cli.notifications import notifications_app
from inventaire.cli.previsions import previsions_app
from inventaire.cli.regles import regles_app
from inventaire.cli.tokens import token_app
from inventaire.kit.config import get_settings
from inventaire.kit.enums import Role
from inventaire.kit.exceptions import InvalidInput
from inventaire.kit.quantities import count

app = typer.Typer(
    help="Inventaire : stock des techniciens, journal des mouvements et alertes de stock bas.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,  # shell completion options would be the only English left in --help
)
db_app = typer.Typer(help="Base de données : schéma et migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
francais.install()  # Typer's own words (help, errors) in French
app.add_typer(token_app, name="token")
backup.register(app)
exports.register(app)
app.add_typer(notifications_app, name="notifications")
app.add_typer(previsions_app, name="previsions")
app.add_typer(regles_app, name="regles")
app.add_typer(gazelle_app, name="gazelle")
app.add_typer(ateliers_app, name="ateliers")
app.add_typer(catalogue_app, name="catalogue")


def parse_threshold(value: str | None) -> Decimal | None:
    """A threshold given on the command line: a finite number ≥ 0 (a comma works too), as the API's."""
    if value is None:
        return None
    try:
        return read_threshold(value)
    except InvalidInput as exc:
        fail(f"seuil invalide : « {value} », {exc.detail.removeprefix('Seuil : ')}", 2)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(metavar="révision", help="Révision cible")] = "head") -> None:
    """Met la base désignée par DATABASE_URL au dernier schéma.

    Exemple : DATABASE_URL=postgresql://user:pass@hote:5432/postgres inventaire db upgrade
    """
    migrate_to(get_settings().database_url, revision)
    console.print("Base de données à jour.")


def migrate_to(url: str, revision: str = "head") -> None:
    """Bring the database to `revision` (creating it if needed); a refusal ends in French, naming it."""
    from sqlalchemy.exc import OperationalError

    from inventaire.kit.migrate import MigrationRefused, upgrade

    try:
        upgrade(url, revision)
    except OperationalError as exc:
        fail(database_problem(exc, url))
    except MigrationRefused as exc:
        fail(f"{exc} (base : {database_name(url)})")


@app.command()
def check(
    technicien: Annotated[str | None, typer.Option("--technicien", "-t", help="Un seul technicien")] = None,
    seuil: Annotated[str | None, typer.Option("--seuil", "-s", metavar="<nombre>",
                                              help="Seuil global (défaut : par ligne, puis 5,0)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Le rapport en JSON, seul sur la sortie")] = False,
    notifier: Annotated[bool, typer.Option(
        "--notifier/--sans-notifier", show_default=False,
        help="Envoyer les notifications (courriel, Slack, Discord) ; par défaut : non",
    )] = False,
    notify: Annotated[bool | None, typer.Option("--notify/--no-notify", hidden=True)] = None,  # the old names
) -> None:
    """Vérifie les stocks bas et enregistre la vérification.

    Sans --notifier, rien n'est envoyé : c'est une consultation. Une tâche cron qui doit
    prévenir le bureau utilise --notifier (comme l'appel HTTP, qui notifie par défaut).

    Exemples :

      inventaire check

      inventaire check --technicien Allan --seuil 10

      inventaire check --notifier --json
    """
    notify = notifier if notify is None else notify
    from inventaire.checks.schemas import Report
    from inventaire.cli.notifications import print_notifications
    from inventaire.cli.report import print_report
    from inventaire.kit.exceptions import DomainError
    from inventaire.tasks import check_run

    settings = get_settings()
    threshold = parse_threshold(seuil)
    try:
        with open_session(settings) as session:
            verification = check_run.check_and_notify(
                db_session=session, settings=settings, technicien=technicien, seuil_critique=threshold,
                notifier=notify, declenchee_par="ligne de commande",
            )
    except DomainError as exc:
        fail(exc.detail)
    if as_json:
        typer.echo(json.dumps(verification.rapport, ensure_ascii=False, indent=2))
    else:
        print_report(Report.model_validate(verification.rapport), console)
    if notify:
        print_notifications(verification.notifications, settings=settings, to_stderr=as_json)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Adresse d'écoute (défaut : HOST, sinon 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (défaut : PORT, sinon 8000)")] = None,
    workers: Annotated[int, typer.Option(help="Processus de travail (partagent la même base)")] = 1,
) -> None:
    """Sert l'API (et le tableau de bord) avec uvicorn.

    Exemples :

      inventaire serve --host 0.0.0.0 --port 8000 --workers 2

      PORT=10000 HOST=0.0.0.0 inventaire serve    (comme sur Render)
    """
    import uvicorn

    from inventaire.auth import links
    from inventaire.auth import service as auth_service
    from inventaire.cli.notifications import check_schedule, start_schedule

    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    check_schedule(settings)  # a bad INVENTAIRE_CHECK_CRON stops here, before anything else
    if settings.ephemeral_sqlite:
        err.print(EPHEMERAL_SQLITE, highlight=False, soft_wrap=True)
    with open_session(settings) as session:
        first_token = None
        if not auth_service.has_admin(db_session=session):
            first_token, _ = auth_service.create_token(db_session=session, role=Role.ADMIN, nom="administrateur")
    url_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = links.public_base(configured=settings.base_url, fallback=f"http://{url_host}:{port}")
    if first_token:
        console.print(
            "[bold]Premier démarrage : jeton administrateur créé (il ne sera plus affiché).[/]\n"
            f"  Jeton : {first_token}\n"
            f"  Tableau de bord : {links.login_link(base=base, raw=first_token)}",
            highlight=False, soft_wrap=True,
        )
    else:  # a second start: the first token was shown once; say where to log in and how to get one
        console.print(
            f"Tableau de bord : {base}/connexion — connectez-vous avec un jeton "
            "administrateur (perdu ? « inventaire token create --role admin » en crée un autre).",
            highlight=False, soft_wrap=True,
        )
    scheduler = start_schedule(settings)
    try:
        # Proxy headers (client address, https) are believed only from FORWARDED_ALLOW_IPS, by the app.
        # Slow or never-finished request heads are closed, open connections bounded (kit/serving.py);
        # idle ones between requests close after the keep-alive timeout.
        uvicorn.run("inventaire.asgi:app", host=host, port=port, workers=workers, log_level="info",
                    proxy_headers=False,  # kit/proxy.py reads them (rightmost address)
                    http="inventaire.kit.serving:GuardedHttp", timeout_keep_alive=5)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)


EPHEMERAL_SQLITE = (
    "[bold yellow]Attention :[/] la base est un fichier SQLite sur Render (RENDER=true), dont le disque "
    "est effacé à chaque déploiement ou redémarrage : le stock et le journal seraient perdus. "
    "Utilisez PostgreSQL (Supabase) : DATABASE_URL=postgresql://…"
)


@app.command()
def demo() -> None:
    """Charge les données de démonstration (sans doublon si relancé) ; crée la base au besoin."""
    from inventaire.demo.loader import load_demo

    settings = get_settings()
    migrate_to(settings.database_url)  # demo may create its database, as `db upgrade` does
    with open_session(settings) as session:
        summary = load_demo(db_session=session)
    if not any(summary.values()):
        console.print("Données de démonstration déjà chargées : rien à ajouter.", highlight=False)
        return
    console.print(
        f"Données de démonstration chargées : {count(summary['techniciens'], 'technicien')}, "
        f"{count(summary['produits'], 'produit')}, {count(summary['regles'], 'règle de consommation')}, "
        f"{count(summary['mouvements'], 'mouvement ajouté', 'mouvements ajoutés')}, "
        f"{count(summary['ateliers'], 'atelier')}, {count(summary['commandes'], 'commande aux fournisseurs')}.",
        highlight=False, soft_wrap=True,
    )

