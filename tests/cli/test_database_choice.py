"""The command never creates a database behind a person's back, and names the one it opened."""

from __future__ import annotations

import os

import pytest

from tests.commands import flat, run_cli

COMMANDS = [("check",), ("token", "list"), ("token", "create", "--role", "cron"), ("serve",), ("export", "x"),
            ("regles", "list")]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_a_missing_sqlite_file_is_refused_not_created(tmp_path, args):
    missing = tmp_path / "ailleurs" / "inventaire.db"
    result = run_cli(f"sqlite:///{missing}", *args)
    assert result.exit_code == 1, result.output
    message = flat(result.stderr)
    assert f"base introuvable : le fichier SQLite {missing} n'existe pas" in message
    assert "DATABASE_URL" in message and "Traceback" not in result.output
    assert not missing.exists() and not missing.parent.exists()


def test_the_default_database_is_looked_for_in_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("sqlite:///inventaire.db", "check")
    assert result.exit_code == 1
    assert f"le fichier SQLite {tmp_path / 'inventaire.db'} n'existe pas" in flat(result.stderr)
    assert os.listdir(tmp_path) == []


def test_db_upgrade_and_demo_create_the_database(tmp_path):
    for args in (("db", "upgrade"), ("demo",)):
        target = tmp_path / f"{args[0]}.db"
        result = run_cli(f"sqlite:///{target}", *args)
        assert result.exit_code == 0, result.output
        assert target.exists()
    assert run_cli(f"sqlite:///{tmp_path / 'demo.db'}", "check").exit_code == 0


def test_an_unreachable_server_is_named_without_its_password():
    result = run_cli("postgresql://personne:secret@127.0.0.1:1/aucune", "check")
    assert result.exit_code == 1
    message = flat(result.stderr)
    assert "base de données injoignable (base : postgresql+psycopg://personne:***@127.0.0.1:1/aucune)" in message
    assert "secret" not in result.output


def test_demo_again_says_there_is_nothing_to_add(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert run_cli(url, "demo").exit_code == 0
    again = run_cli(url, "demo")
    assert again.exit_code == 0 and again.stdout.strip() == "Données de démonstration déjà chargées : rien à ajouter."
