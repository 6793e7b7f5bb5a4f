"""`inventaire notifications …`: retry failed deliveries; showing deliveries; starting the schedule."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from inventaire.cli.context import console, err, fail, open_session
from inventaire.kit.config import Settings, get_settings
from inventaire.kit.enums import DeliveryStatus

notifications_app = typer.Typer(help="Notifications des vérifications : renvoyer celles qui ont échoué.",
                                no_args_is_help=True)
COLOURS: dict[str, str] = {DeliveryStatus.ENVOYEE: "green", DeliveryStatus.ECHEC: "red"}


def _status(statut: str) -> str:
    """A delivery's state in lower case, coloured when it is final."""
    label = DeliveryStatus.label_of(statut).lower()
    colour = COLOURS.get(statut)
    return f"[{colour}]{label}[/]" if colour else label


def print_notifications(notes, *, settings: Settings, to_stderr: bool = False) -> None:
    """A table of deliveries (what, to whom, how it went), or why there is none."""
    from inventaire.notifications.service import NO_CHANNEL, channels

    out = err if to_stderr else console
    if not notes:
        why = NO_CHANNEL if not channels(settings) else "rien de nouveau à signaler."
        out.print(f"Notifications : {why}", highlight=False)
        return
    table = Table("N°", "Canal", "Destinataires", "Sujet", "État", "Essais", "Erreur", title="Notifications")
    for n in notes:
        table.add_row(str(n.id), n.canal, ", ".join(n.destinataires), n.sujet, _status(n.statut),
                      str(n.tentatives), n.erreur or "")
    out.print(table)


@notifications_app.command("retry")
def retry(
    jours: Annotated[int, typer.Option("--jours", min=1, max=365, help="Ancienneté maximale des envois à reprendre")] = 7,
) -> None:
    """Renvoie les notifications en échec des derniers jours (sortie 1 si certaines échouent encore).

    Exemple : inventaire notifications retry --jours 2
    """
    from inventaire.tasks import check_run

    settings = get_settings()
    with open_session(settings) as session:
        notes = check_run.retry(db_session=session, settings=settings, jours=jours)
    if not notes:
        console.print("Aucune notification à renvoyer.")
        return
    print_notifications(notes, settings=settings)
    if any(n.statut != DeliveryStatus.ENVOYEE for n in notes):
        fail("certaines notifications n'ont toujours pas pu être envoyées.")


def check_schedule(settings: Settings) -> None:
    """Stop with a French message (exit 2) when INVENTAIRE_CHECK_CRON or INVENTAIRE_TZ is malformed."""
    from inventaire.kit.exceptions import DomainError
    from inventaire.tasks import scheduler

    try:
        if settings.check_cron:
            scheduler.cron_trigger(settings)
        if settings.gazelle_cron:
            scheduler.gazelle_trigger(settings)
    except DomainError as exc:
        fail(exc.detail, 2)


def start_schedule(settings: Settings):
    """Start the scheduled check of `serve` when INVENTAIRE_CHECK_CRON is set, and say so."""
    from inventaire.notifications.digest import local_time
    from inventaire.tasks import scheduler

    running = scheduler.start(settings)
    if running is not None and settings.check_cron:
        job = running.get_job(scheduler.JOB_ID)
        console.print(
            f"Vérification planifiée : « {settings.check_cron} » ({settings.tz}) ; "
            f"prochaine le {local_time(job.next_run_time, settings.tz)}.", highlight=False,
        )
    if running is not None and settings.gazelle_cron:
        job = running.get_job(scheduler.GAZELLE_JOB_ID)
        console.print(
            f"Synchronisation Gazelle planifiée : « {settings.gazelle_cron} » ({settings.tz}) ; "
            f"prochaine le {local_time(job.next_run_time, settings.tz)}.", highlight=False,
        )
    return running
