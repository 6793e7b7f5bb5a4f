"""`inventaire check --notify/--no-notify` and `inventaire notifications retry`, on a committed database."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inventaire.cli.main import app
from inventaire.kit.config import get_settings
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope
from tests import databases
from tests.helpers import make_line, make_product, make_technician
from tests.live import free_port
from tests.servers import SLACK_PATH

runner = CliRunner()


@pytest.fixture
def cli_env(fresh_database, monkeypatch):
    """The CLI's environment over a fresh database holding one alert."""
    engine = make_engine(fresh_database.url)
    with session_scope(make_sessionmaker(engine)) as s:
        make_line(s, make_technician(s, nom="Allan"), make_product(s, code_produit="CORD-001"), 0)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", fresh_database.url)
    monkeypatch.setenv("INVENTAIRE_NOTIFY_BACKOFF", "0")
    monkeypatch.setenv("COLUMNS", "200")  # Rich tables at full width
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def invoke(*args):
    get_settings.cache_clear()  # the environment may have changed since the last command
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_check_is_silent_unless_asked(cli_env, webhooks):
    cli_env.setenv("INVENTAIRE_SLACK_WEBHOOK_URL", webhooks.url(SLACK_PATH))
    quiet = invoke("check")
    assert quiet.exit_code == 0 and "nouvelle" in quiet.stdout and "Notifications" not in quiet.stdout
    assert webhooks.requests == []
    told = invoke("check", "--notify")
    assert told.exit_code == 0
    assert "persistante" in told.stdout  # compared with the silent run…
    assert "envoyée" in told.stdout and len(webhooks.received(SLACK_PATH)) == 1  # …but never told before
    nothing = invoke("check", "--notify")
    assert "rien de nouveau à signaler" in nothing.stdout and len(webhooks.requests) == 1


def test_json_output_stays_alone_on_stdout(cli_env, webhooks):
    cli_env.setenv("INVENTAIRE_SLACK_WEBHOOK_URL", webhooks.url(SLACK_PATH))
    result = invoke("check", "--notify", "--json")
    assert result.exit_code == 0
    rapport = json.loads(result.stdout)
    assert rapport["alertes"][0]["etat"] == "nouvelle" and rapport["alertes"][0]["notifiee"] is True
    assert "Notifications" in result.stderr and "envoyée" in result.stderr


def test_retry_command_delivers_once_the_server_is_back(cli_env, webhooks):
    cli_env.setenv("INVENTAIRE_SLACK_WEBHOOK_URL", f"http://127.0.0.1:{free_port()}{SLACK_PATH}")
    failed = invoke("check", "--notify")
    assert failed.exit_code == 0 and "échec" in failed.stdout and "injoignable" in failed.stdout
    still = invoke("notifications", "retry")
    assert still.exit_code == 1 and "toujours pas pu être envoyées" in still.stderr
    cli_env.setenv("INVENTAIRE_SLACK_WEBHOOK_URL", webhooks.url(SLACK_PATH))
    back = invoke("notifications", "retry")
    assert back.exit_code == 0 and "envoyée" in back.stdout and len(webhooks.received(SLACK_PATH)) == 1
    assert "Aucune notification à renvoyer" in invoke("notifications", "retry").stdout


def test_bad_schedule_stops_serve_before_anything_else(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'jamais.db'}")
    monkeypatch.setenv("INVENTAIRE_CHECK_CRON", "tous les jours")
    result = invoke("serve", "--port", str(free_port()))
    get_settings.cache_clear()
    assert result.exit_code == 2 and "INVENTAIRE_CHECK_CRON invalide" in result.stderr
    assert not (tmp_path / "jamais.db").exists()  # no database touched, no token made


def test_serve_starts_the_schedule(tmp_path):
    database = databases.MigratedDatabase("sqlite", tmp_path)
    env = {**os.environ, "DATABASE_URL": database.url, "INVENTAIRE_CHECK_CRON": "0 9 * * 1-5", "COLUMNS": "200"}
    command = [str(Path(sys.executable).parent / "inventaire"), "serve", "--port", str(free_port())]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any("Vérification planifiée" in line for line in lines):
            lines.append(process.stdout.readline())
        announced = next(line for line in lines if "Vérification planifiée" in line)
        assert "« 0 9 * * 1-5 » (America/Montreal) ; prochaine le " in announced and " à 9 h 00." in announced
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_a_notifying_run_without_any_channel_says_so(cli_env):
    for name in ("INVENTAIRE_SMTP_HOST", "INVENTAIRE_SLACK_WEBHOOK_URL", "INVENTAIRE_DISCORD_WEBHOOK_URL"):
        cli_env.delenv(name, raising=False)
    result = invoke("check", "--notifier")
    assert result.exit_code == 0
    assert "Notifications : Aucun canal configuré (courriel, Slack, Discord) : rien n'est envoyé." in result.stdout
