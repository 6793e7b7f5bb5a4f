"""The check report on a terminal: French, and no number ever cut at 60 or 80 columns."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from inventaire.kit.dates import day
from inventaire.kit.enums import AlertState, Severity
from inventaire.kit.quantities import money, quantity


def print_report(report, console: Console) -> None:
    """The check report as a French table, or one block per alert when the table would not fit."""
    stats = report.statistiques
    scope = report.technicien or "tous les techniciens"
    console.print(f"[bold]Vérification d'inventaire[/] — {scope}", highlight=False)
    console.print(
        f"Lignes vérifiées : {stats.total_produits} · valeur estimée : "
        f"{money(stats.valeur_totale_estimee, space=' ')}", highlight=False,
    )
    if report.alertes:
        rows = [_alert_cells(a) for a in report.alertes]
        if _table_fits(rows, console.width):
            _print_alert_table(rows, console)
        else:  # too narrow for every number: one short block per alert, nothing cut
            for cells in rows:
                _print_alert_block(cells, console)
    console.print(report.summary, highlight=False)
    if report.ruptures_prevues:
        console.print(
            f"Ruptures prévues d'ici la prochaine commande ({report.delai_commande_jours} jours) : "
            f"{len(report.ruptures_prevues)} — " + ", ".join(
                f"{r.technicien} {r.code_produit} le {day(r.rupture_prevue)}" for r in report.ruptures_prevues),
            highlight=False,
        )
    if report.resolues:
        console.print(f"Résolues depuis la vérification précédente : {len(report.resolues)} — " + ", ".join(
            f"{r.technicien} {r.code_produit}" for r in report.resolues), highlight=False)


CRITICAL = Severity.CRITIQUE.label.lower()
HEADINGS = ("Gravité", "État", "Technicien", "Code", "Produit", "Qté", "Seuil", "À cmd.")
PRODUCT = 4  # the only column that may wrap
MIN_PRODUCT = 12


def _alert_cells(a) -> tuple[str, ...]:
    return (
        Severity(a.severity).label.lower(), AlertState(a.etat).label.lower() if a.etat else "—", a.technicien,
        a.code_produit, a.nom_produit, quantity(a.quantite_actuelle, grouped=True), quantity(a.seuil, grouped=True),
        quantity(a.quantite_a_commander, grouped=True) if a.quantite_a_commander is not None else "—",
    )


def _table_fits(rows: list[tuple[str, ...]], width: int) -> bool:
    """Whether every column but the product's fits whole, leaving the product MIN_PRODUCT columns.

    Rich crops a no-wrap column when the table is wider than the terminal: « À cmd. » 10 became
    « 1 » at 80 columns. Counted generously: one space between columns, one more for safety.
    """
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(HEADINGS) if i != PRODUCT]
    return sum(widths) + MIN_PRODUCT + 2 * len(HEADINGS) <= width


def _print_alert_table(rows: list[tuple[str, ...]], console: Console) -> None:
    # No inner borders; short keys and numbers never wrap, the product name does.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    for i, heading in enumerate(HEADINGS):
        if i == PRODUCT:
            table.add_column(heading, min_width=MIN_PRODUCT, ratio=1)
        else:
            table.add_column(heading, no_wrap=True, justify="right" if i > PRODUCT else "left")
    for cells in rows:
        colour = "red" if cells[0] == CRITICAL else "yellow"
        table.add_row(f"[{colour}]{cells[0]}[/]", *(escape(c) for c in cells[1:]))
    console.print(table)


def _print_alert_block(cells: tuple[str, ...], console: Console) -> None:
    gravite, etat, technicien, code, produit, qte, seuil, a_commander = cells
    colour = "red" if gravite == CRITICAL else "yellow"
    console.print(f"[{colour}]{gravite}[/] · {etat} · {escape(technicien)} · {escape(code)}", highlight=False)
    console.print(f"  {escape(produit)}", highlight=False)
    console.print(f"  Qté {qte} · seuil {seuil} · à commander {a_commander}", highlight=False)

