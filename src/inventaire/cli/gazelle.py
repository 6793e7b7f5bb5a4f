"""`inventaire gazelle sync`: deduct what Gazelle's recent invoices consumed."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from inventaire.cli.context import console, database_problem, err, fail
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

    from inventaire.kit.database import make_engine, make_sessionmaker
    from inventaire.kit.exceptions import DomainError
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
            result = gazelle_run.run_sync(session_factory=make_sessionmaker(engine), settings=settings, jours=jours,
                                   apercu=apercu, by="ligne de commande", progress=progress,
                                   sans_deduire=sans_deduire)
    except DomainError as exc:
        fail(exc.detail)
    except (OperationalError, ProgrammingError) as exc:
        fail(database_problem(exc, settings.database_url))
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps(result.rapport, ensure_ascii=False, indent=2))
        return
    print_report(result.rapport, apercu=apercu, run_id=result.run.id if result.run else None)


def print_report(r: dict, *, apercu: bool, run_id: int | None) -> None:
    head = "Aperçu (rien n'a été écrit)" if apercu else f"Synchronisation n° {run_id} terminée"
    verb = ("serait écrit", "seraient écrits") if apercu else ("écrit", "écrits")
    console.print(
        f"[bold]{head}[/] : {count(r['factures_lues'], 'facture lue', 'factures lues')}, "
        f"{count(r['brouillons_ignores'], 'brouillon ignoré', 'brouillons ignorés')}, "
        f"{count(r['services_appliques'], 'appliquée')}, {count(r['services_inchanges'], 'inchangée')} ; "
        f"{count(r['mouvements_ecrits'], f'mouvement {verb[0]}', f'mouvements {verb[1]}')}.",
        highlight=False, soft_wrap=True)
    if r.get("sans_deduire"):
        lines = count(r["lignes_avec_piano"], "ligne avec un piano enregistrée", "lignes avec un piano enregistrées")
        console.print(f"  Rien déduit : {lines} pour le cycle PLS.", highlight=False, soft_wrap=True)
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
    for error in r["erreurs"]:
        console.print(f"  [red]Erreur[/] : {error['facture']} — {error['erreur']}", highlight=False, soft_wrap=True)


def _qty(value) -> str:
    text = str(value)
    return text.rstrip("0").rstrip(".").replace(".", ",") if "." in text else text
