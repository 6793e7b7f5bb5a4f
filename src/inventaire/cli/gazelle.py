"""`inventaire gazelle sync`: deduct what Gazelle's recent invoices consumed."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from inventaire.cli.context import console, database_problem, err, fail
from inventaire.gazelle.schemas import SyncReport
from inventaire.kit import quantities
from inventaire.kit.config import get_settings
from inventaire.kit.quantities import count

gazelle_app = typer.Typer(help="Gazelle : déduire du stock ce que les factures ont consommé.", no_args_is_help=True)
PHASES = {"lecture": "Lecture des factures", "deduction": "Déductions"}


@gazelle_app.command("sync")
def sync_command(
    jours: Annotated[int | None, typer.Option("--jours", "-j", min=1, max=3650,
                                                 help="Jours relus (défaut : INVENTAIRE_GAZELLE_JOURS, 30)")] = None,
    apercu: Annotated[bool, typer.Option("--apercu", help="Montre ce qui changerait, sans rien écrire")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Le rapport en JSON, seul sur la sortie")] = False,
    sans_deduire: Annotated[bool, typer.Option(
        "--sans-deduire", help="Apprend seulement le piano de chaque ligne (cycle PLS), sans rien déduire")] = False,
) -> None:
    """Lit les factures récentes de Gazelle et déduit (ou rend) ce qui a changé.

    Une facture déjà déduite et inchangée n'écrit rien ; une facture modifiée ou annulée
    n'écrit que la différence. Sortie non nulle si Gazelle n'a pas pu être lu.

    Exemples :

      inventaire gazelle sync --apercu

      inventaire gazelle sync --jours 7

      inventaire gazelle sync --jours 400 --sans-deduire   (une fois : le dernier entretien PLS de chaque piano)
    """
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from inventaire.kit.database import make_engine
    from inventaire.kit.exceptions import DomainError
    from inventaire.sessions import session_factory
    from inventaire.tasks import gazelle_run

    settings = get_settings()
    engine = make_engine(settings.database_url, sqlite_busy_ms=settings.sqlite_busy_ms)
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err, transient=True)
    tasks: dict[str, TaskID] = {}

    def progress(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = bar.add_task(PHASES[phase], total=total)
        bar.update(tasks[phase], completed=done, total=total)

    try:
        with bar:
            result = gazelle_run.run_sync(session_factory=session_factory(engine), settings=settings, jours=jours,
                                   apercu=apercu, by="ligne de commande", progress=progress,
                                   sans_deduire=sans_deduire)
    except DomainError as exc:
        fail(exc.detail)
    except (OperationalError, ProgrammingError) as exc:
        fail(database_problem(exc, settings.database_url))
    finally:
        engine.dispose()
    if as_json:
        typer.echo(result.rapport.model_dump_json(indent=2))
        return
    print_report(result.rapport, apercu=apercu, run_id=result.run.id if result.run else None)


def print_report(report: SyncReport, *, apercu: bool, run_id: int | None) -> None:
    r = report.model_dump(mode="json")
    console.print(report.summary(apercu=apercu, run_id=run_id), highlight=False, soft_wrap=True)
    for m in r["mouvements"][:50]:
        console.print(f"  {m['technicien']} {m['code_produit']} {_qty(m['ajustement'])} — {m['motif']}",
                      highlight=False, soft_wrap=True)
    for line in r["lignes_sans_regle"][:10]:
        console.print(f"  Sans règle : {line['service_id']} « {line['description'] or ''} » "
                      f"({count(line['lignes'], 'ligne')})",
                      highlight=False, soft_wrap=True)
    for tech in r["techniciens_inconnus"]:
        console.print(f"  Utilisateur Gazelle sans technicien : {tech['gazelle_id']} ({count(tech['factures'], 'facture')})",
                      highlight=False)
    for short in r["manques"][:20]:
        console.print(f"  [yellow]Manque[/] : {short['technicien']} {short['code_produit']} "
                      f"{_qty(short['manque'])} ({short['reference']})", highlight=False)
    for error in report.erreurs:
        console.print(f"  Erreur : facture {error.facture} — {error.erreur}", highlight=False, soft_wrap=True,
                      markup=False)
    for name in report.brouillons_deja_deduits:
        console.print(f"  Facture {name} repassée en brouillon : sa déduction est gardée.", highlight=False,
                      markup=False)


@gazelle_app.command("verifier")
def check_command(
    as_json: Annotated[bool, typer.Option("--json", help="Le verdict en JSON, seul sur la sortie")] = False,
) -> None:
    """Vérifie la connexion et le schéma de Gazelle : chaque champ lu par le connecteur existe-t-il encore ?

    Sortie non nulle quand un champ manque ou que Gazelle refuse la connexion.
    """
    from inventaire.gazelle import connection
    from inventaire.kit.database import make_engine, make_sessionmaker
    from inventaire.kit.exceptions import DomainError

    settings = get_settings()
    engine = make_engine(settings.database_url, sqlite_busy_ms=settings.sqlite_busy_ms)
    try:
        verdict = connection.check(session_factory=make_sessionmaker(engine), settings=settings)
    except DomainError as exc:
        fail(exc.detail)
    finally:
        engine.dispose()
    if as_json:
        typer.echo(verdict.model_dump_json(indent=2, exclude={"verifie_le"}))
    else:
        console.print(connection.verdict_text(verdict), highlight=False, soft_wrap=True, markup=False)
    if not verdict.ok:
        raise typer.Exit(1)


def _qty(value) -> str:
    """A quantity of the stored report (a number or its text): « 2,5 », « 1 250 » (grouped as the pages do)."""
    return quantities.quantity(Decimal(str(value)), grouped=True)
