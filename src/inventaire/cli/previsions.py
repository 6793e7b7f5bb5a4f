"""`inventaire previsions`: the forecast's backtest."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from inventaire.cli.context import console, open_session
from inventaire.kit import quantities
from inventaire.kit.config import get_settings

previsions_app = typer.Typer(help="Prévisions de consommation.", no_args_is_help=True)
NAMES = {"croston_sba": "Croston-SBA", "moyenne": "Moyenne simple"}


def _number(value: float, decimals: int = 2) -> str:
    return quantities.fixed(value, decimals)


@previsions_app.command("backtest")
def backtest(
    jours: Annotated[int, typer.Option("--jours", "-j", min=7, max=730, help="Période observée par prévision")] = 90,
) -> None:
    """Rejoue le journal semaine par semaine : prévision à partir du passé seul, comparée à l'usage réel.

    Affiche l'erreur absolue moyenne (par ligne et par semaine) et la part des ruptures
    annoncées au moins 3 jours à l'avance, pour la prévision et pour la moyenne simple.

    Exemples :

      inventaire previsions backtest

      inventaire previsions backtest --jours 60
    """
    from inventaire.kit.dates import day
    from inventaire.previsions import backtest as replay

    with open_session(get_settings()) as session, Progress(
        TextColumn("Semaines rejouées"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True,
    ) as progress:
        task = progress.add_task("backtest", total=None)
        result = replay.run(db_session=session, jours=jours,
                            on_week=lambda done, total: progress.update(task, completed=done, total=total))
    if not result.semaines:
        console.print(f"Historique trop court : il faut plus de {jours + 7} jours de journal pour rejouer une semaine.")
        return
    first = day(result.premier_jour) if result.premier_jour else "—"
    console.print(
        f"{result.semaines} semaines rejouées depuis le {first}, {result.lignes} lignes, "
        f"{_number(result.consommation_reelle, 0)} unités consommées, {result.ruptures} ruptures.",
        highlight=False, soft_wrap=True,
    )
    table = Table(box=box.SIMPLE_HEAD)
    for header in ("Méthode", "EAM", "EAM rapides", "WAPE", "Ruptures annoncées"):
        table.add_column(header, justify="left" if header == "Méthode" else "right")
    for name, label in NAMES.items():
        score, share = result.scores[name], result.share_foreseen(name)
        table.add_row(label, _number(score.mae(), 3), _number(score.mae(fast_only=True), 3),
                      f"{_number(100 * result.wape(name), 1)} %",
                      "—" if share is None else f"{_number(100 * share, 1)} % ({score.prevues}/{result.ruptures})")
    console.print(table)
    console.print(
        "EAM : erreur absolue moyenne par ligne et par semaine (unités) ; « rapides » : lignes utilisées "
        "au moins une fois par semaine ; WAPE : erreurs ÷ consommation réelle ; ruptures annoncées au moins "
        "3 jours avant. La moyenne simple sur la période sert de référence.",
        highlight=False,
    )


@previsions_app.command("backtest-pls")
def backtest_pls(
    jours: Annotated[int, typer.Option("--jours", "-j", min=7, max=730, help="Période observée par prévision")] = 90,
) -> None:
    """Compare, mois par mois, la prévision des pièces de l'entretien PLS avec et sans le terme PLS.

    Sans : le rythme de consommation × les jours du mois. Avec : ce rythme moins la part des
    entretiens PLS facturés, plus les pièces des pianos dont l'entretien arrive dans le mois.

    Exemple :

      inventaire previsions backtest-pls
    """
    from inventaire.pianos import backtest as replay

    settings = get_settings()
    with open_session(settings) as session:
        months = replay.run(db_session=session, pads_code=settings.pls_buvards, jours=jours)
    if not months:
        console.print(f"Rien à rejouer : aucun service ne consomme « {settings.pls_buvards} », ou moins de "
                      f"{jours} jours de journal avant un mois complet.", highlight=False)
        return
    table = Table(box=box.SIMPLE_HEAD)
    for header in ("Mois", "Réel", "Sans PLS", "Erreur", "Avec PLS", "Erreur", "Pianos dus"):
        table.add_column(header, justify="left" if header == "Mois" else "right")
    for m in months:
        table.add_row(f"{m.mois:%Y-%m}", _number(m.reel, 1), _number(m.sans_pls, 1), _number(m.erreur_sans, 1),
                      _number(m.avec_pls, 1), _number(m.erreur_avec, 1), str(m.pianos_dus))
    console.print(table)
    for label, chosen in (("tous les mois", months), ("mois précédés d'une année d'entretiens connus",
                                                       [m for m in months if m.annee_connue])):
        if chosen:
            without = sum(m.erreur_sans for m in chosen) / len(chosen)
            with_term = sum(m.erreur_avec for m in chosen) / len(chosen)
            console.print(f"Erreur absolue moyenne par mois ({label}, {len(chosen)}) : sans le terme PLS "
                          f"{_number(without, 1)}, avec {_number(with_term, 1)}.", highlight=False, soft_wrap=True)
    console.print("Unités des pièces de l'entretien PLS, tous produits confondus. Le terme PLS ne sait qui revient "
                  "qu'après une année d'entretiens connus (inventaire gazelle sync --jours 400 --sans-deduire).",
                  highlight=False, soft_wrap=True)
