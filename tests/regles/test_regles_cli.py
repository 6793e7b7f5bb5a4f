"""`inventaire regles list|add|remove` on a real database."""

from sqlalchemy import select

from inventaire.regles.models import ConsumptionRule
from tests.commands import flat, run_cli
from tests.helpers import committed, make_product


def test_add_list_remove(fresh_database):
    url = fresh_database.url
    with committed(url) as session:
        make_product(session, code_produit="PLS-BUVARDS", unite="jeu")
    added = run_cli(url, "regles", "add", "--service", "mit_2eBOzDvunD7PHs6M", "--produit", "PLS-BUVARDS",
                    "--quantite", "1,5", "--nom", "Entretien annuel du système PLS")
    assert added.exit_code == 0, added.output
    assert flat(added.stdout).endswith(
        "« Entretien annuel du système PLS » consomme 1,5 jeu de « PLS-BUVARDS »."
    )
    listed = run_cli(url, "regles", "list")
    assert listed.exit_code == 0 and "mit_2eBOzDvunD7PHs6M" in listed.stdout and "PLS-BUVARDS" in listed.stdout
    with committed(url) as session:
        rule_id = session.scalar(select(ConsumptionRule.id))
    removed = run_cli(url, "regles", "remove", str(rule_id))
    assert removed.exit_code == 0 and f"Règle n° {rule_id} supprimée." in removed.stdout
    assert "Aucune règle" in run_cli(url, "regles", "list").stdout


def test_refusals_exit_2_and_write_nothing(fresh_database):
    url = fresh_database.url
    with committed(url) as session:
        make_product(session, code_produit="PLS-BUVARDS")
    for args, message in (
        (["--produit", "NOPE-1"], "Produit inconnu"),
        (["--produit", "PLS-BUVARDS", "--quantite", "0"], "quantité invalide"),
        (["--produit", "PLS-BUVARDS", "--quantite", "abc"], "n'est pas un nombre"),
    ):
        result = run_cli(url, "regles", "add", "--service", "mit_x", *args)
        assert result.exit_code == 2 and message in flat(result.stderr), result.output
    assert run_cli(url, "regles", "remove", "42").exit_code == 2
    with committed(url) as session:
        assert session.scalar(select(ConsumptionRule.id)) is None
