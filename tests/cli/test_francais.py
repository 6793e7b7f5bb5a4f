"""Typer's own words read in French: usage, help option, panel titles, errors, defaults."""

from __future__ import annotations

import re

import pytest

from inventaire.kit.quantities import count
from tests.commands import flat, run_cli

ENGLISH = ("Usage:", "Show this message", "No such option", "[required]", "[default:", "Missing option",
           "Try '", "Error", "Commands", "<str>", "<bool>", "Invalid value", "install-completion")
WIDE = {"COLUMNS": "200"}


def _plain(text: str) -> str:
    """The text without Rich's panel borders, on one line."""
    return flat(re.sub(r"[│╭╮╰╯─]", " ", text))


def _assert_french(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, (word, text)


@pytest.mark.parametrize("args", [("--help",), ("check", "--help"), ("token", "create", "--help"),
                                  ("db", "--help"), ("serve", "--help")], ids=" ".join)
def test_help_is_french(tmp_path, args):
    result = run_cli(f"sqlite:///{tmp_path / 'x.db'}", *args, env=WIDE)
    assert result.exit_code == 0, result.output
    assert "Utilisation : " in result.stdout and "Affiche cette aide et quitte." in result.stdout
    _assert_french(result.stdout)


def test_required_and_default_are_french(tmp_path):
    create = run_cli(f"sqlite:///{tmp_path / 'x.db'}", "token", "create", "--help", env=WIDE).stdout
    assert "[obligatoire]" in create
    serve = run_cli(f"sqlite:///{tmp_path / 'x.db'}", "serve", "--help", env=WIDE).stdout
    assert "[défaut : 1]" in serve  # --workers (--port's default comes from PORT, said in its help)


@pytest.mark.parametrize(("args", "message"), [
    (("check", "--nope"), "Option inconnue : --nope (options proches : --notifier)."),
    (("check", "--zzz"), "Option inconnue : --zzz."),
    (("token", "create"), "Option obligatoire manquante : '--role' / '-r'."),
    (("check", "--technicien"), "L'option « --technicien » attend une valeur."),
    (("serve", "--port", "abc"), "Valeur invalide pour '--port' : un nombre entier est attendu."),
    (("nimporte",), "Commande inconnue : « nimporte »."),
    (("check", "en-trop"), "Argument en trop : en-trop."),
], ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_usage_errors_are_french(tmp_path, args, message):
    result = run_cli(f"sqlite:///{tmp_path / 'x.db'}", *args, env=WIDE)
    assert result.exit_code == 2
    assert message in _plain(result.stderr)
    _assert_french(result.stderr)


def test_notifier_is_the_french_option_and_the_old_names_still_work(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert run_cli(url, "db", "upgrade").exit_code == 0
    help_text = run_cli(url, "check", "--help", env=WIDE).stdout
    assert "--notifier" in help_text and "--sans-notifier" in help_text
    assert "--notify" not in help_text  # hidden alias
    for flag in ("--notifier", "--sans-notifier", "--notify", "--no-notify"):
        assert run_cli(url, "check", flag).exit_code == 0, flag


def test_counts_agree_with_their_number():
    assert [count(n, "alerte") for n in (0, 1, 2, 27)] == ["0 alerte", "1 alerte", "2 alertes", "27 alertes"]
    assert count(3, "ligne suivie", "lignes suivies") == "3 lignes suivies"
    assert count(2, "rappel") == "2 rappels"
