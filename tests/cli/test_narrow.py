"""The CLI at 80 columns: codes and roles never cut, Click's words in French, paragraphs wrapped whole."""

from __future__ import annotations

import datetime as dt
import re

from inventaire.auth import service
from inventaire.kit.config import Settings
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope
from tests.commands import run_cli
from tests.helpers import make_product, make_technician

NARROW = {"COLUMNS": "80"}


def _seed(url: str) -> None:
    engine = make_engine(Settings(DATABASE_URL=url).database_url)
    with session_scope(make_sessionmaker(engine)) as session:
        tech = make_technician(session, nom="Jean-Philippe Tremblay-Lavoie")
        make_product(session, code_produit="PLS-TRAIT-455", nom_produit="Traitement PLS 455")
        make_product(session, code_produit="PLS-TRAIT-227", nom_produit="Traitement PLS 227")
        _, token = service.create_token(db_session=session, role="technicien", nom="téléphone de Jean-Philippe",
                                        technician=tech)
        token.created_at = dt.datetime(2026, 12, 21, 14, 5, tzinfo=dt.UTC)
        service.create_token(db_session=session, role="admin", nom="bureau du soir et des fins de semaine")
    engine.dispose()


def _lines_fit(text: str) -> None:
    assert all(len(line) <= 80 for line in text.splitlines()), text


def test_rules_list_never_cuts_a_code(fresh_database):
    url = fresh_database.url
    _seed(url)
    for code in ("PLS-TRAIT-455", "PLS-TRAIT-227"):
        added = run_cli(url, "regles", "add", "--service", "mit_2eBOzDvunD7PHs6M", "--produit", code,
                        "--nom", "Entretien annuel du système PLS avec traitement complet",
                        "--notes", "Une note assez longue pour déborder largement de la colonne")
        assert added.exit_code == 0, added.output
    listing = run_cli(url, "regles", "list", env=NARROW).stdout
    _lines_fit(listing)
    assert "PLS-TRAIT-455" in listing and "PLS-TRAIT-227" in listing and "mit_2eBOzDvunD7PHs6M" in listing
    assert "…" not in listing


def test_token_list_never_cuts_a_role_and_writes_dates_as_the_pages(fresh_database):
    url = fresh_database.url
    _seed(url)
    listing = run_cli(url, "token", "list", env=NARROW).stdout
    _lines_fit(listing)
    assert "technicien" in listing and "admin" in listing and "…" not in listing
    assert "21 déc. 2026" in listing and "9\u00a0h\u00a005" in listing  # 14:05 UTC is 9 h 05 in Montréal
    assert not re.search(r"\d{4}-\d\d-\d\d", listing)


def test_help_has_no_click_english_at_80_columns(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    retry = run_cli(url, "notifications", "retry", "--help", env=NARROW).stdout
    assert "[de 1 à 365]" in retry and "<entier>" in retry
    assert "int range" not in retry and "<=x<=" not in retry
    remove = run_cli(url, "regles", "remove", "--help", env=NARROW).stdout
    assert "regles remove [OPTIONS] NUMÉRO" in remove and "{" not in remove and "rule_id" not in remove
    check = run_cli(url, "check", "--help", env=NARROW).stdout
    assert "<nombre>" in check and "<texte>  Seuil" not in check
    assert "--seuil" in check and "-s" in check
    # The paragraph is re-wrapped to the terminal: no line ends on « qui doit » with room left.
    assert "Une tâche cron qui doit prévenir" in re.sub(r"\s+", " ", check)
    for line in check.splitlines():
        assert not line.rstrip().endswith("qui doit"), line
    missing = run_cli(url, "regles", "remove", env=NARROW)
    assert missing.exit_code == 2 and "Argument obligatoire manquant : « numéro »" in missing.output


def test_paragraphs_join_their_lines_but_keep_lists():
    from inventaire.cli.francais import number_range, unbroken
    assert unbroken("Une phrase\ncoupée ici.\n\n  inventaire x\n\n- un\n- deux") == (
        "Une phrase coupée ici.\n\n  inventaire x\n\n- un\n- deux")
    assert (number_range(1, 365), number_range(7, None), number_range(None, 30)) == (
        "de 1 à 365", "au moins 7", "au plus 30")
