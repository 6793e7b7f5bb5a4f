"""`inventaire token create|list|revoke` through the real command, on a committed database."""

from inventaire.auth import service
from inventaire.kit.config import Settings
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope
from inventaire.kit.exceptions import Unauthorized
from tests.commands import run_cli
from tests.helpers import make_technician

WIDE = {"COLUMNS": "200"}


def _authenticate(url: str, raw: str):
    engine = make_engine(Settings(DATABASE_URL=url).database_url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            return service.authenticate(db_session=session, raw=raw)
    except Unauthorized as exc:
        return exc
    finally:
        engine.dispose()


def test_create_list_revoke(fresh_database):
    url = fresh_database.url
    engine = make_engine(Settings(DATABASE_URL=url).database_url)
    with session_scope(make_sessionmaker(engine)) as session:
        make_technician(session, nom="Jean-Philippe")
    engine.dispose()

    created = run_cli(url, "token", "create", "--role", "technicien", "--technicien", "jean-philippe")
    assert created.exit_code == 0, created.output
    raw = created.stdout.strip()
    assert created.stdout == raw + "\n" and raw.startswith("inv_")  # alone on standard output
    cron = run_cli(url, "token", "create", "--role", "cron", "--nom", "tâche du matin").stdout.strip()
    assert _authenticate(url, raw).role == "technicien"

    listing = run_cli(url, "token", "list", env=WIDE)
    assert listing.exit_code == 0, listing.output
    assert raw not in listing.output and cron not in listing.output
    assert "Jean-Philippe" in listing.output and "tâche du matin" in listing.output
    assert listing.output.count("jamais") == 2  # authenticating is not using: only requests count
    assert listing.output.count("actif") == 2

    revoked = run_cli(url, "token", "revoke", "1")
    assert revoked.exit_code == 0 and "Jeton n° 1 révoqué" in revoked.output
    assert isinstance(_authenticate(url, raw), Unauthorized)
    assert _authenticate(url, cron).role == "cron"
    listing = run_cli(url, "token", "list", env=WIDE)
    assert "révoqué" in listing.output and listing.output.count("actif") == 1


def test_errors_are_french_and_change_nothing(fresh_database):
    url = fresh_database.url
    unknown = run_cli(url, "token", "revoke", "99")
    assert unknown.exit_code == 2 and "Jeton inconnu : n° 99" in unknown.output
    for args, message in (
        (["--role", "technicien", "--technicien", "Personne"], "Technicien inconnu"),
        (["--role", "technicien"], "doit être lié à un technicien"),
        (["--role", "chef"], "Rôle inconnu"),
    ):
        result = run_cli(url, "token", "create", *args)
        assert result.exit_code == 2 and message in result.output, result.output
        assert "inv_" not in result.stdout
    listing = run_cli(url, "token", "list", env=WIDE)
    assert listing.exit_code == 0 and "admin" not in listing.output and "cron" not in listing.output


def test_create_prints_the_login_link_on_standard_error(fresh_database):
    created = run_cli(fresh_database.url, "token", "create", "--role", "admin", "--nom", "bureau",
                      env={"INVENTAIRE_BASE_URL": "https://stock.example.com", **WIDE})
    raw = created.stdout.strip()
    assert created.stdout == raw + "\n"  # the token stays alone on standard output
    assert f"Lien de connexion : https://stock.example.com/connexion?jeton={raw}" in created.stderr
    local = run_cli(fresh_database.url, "token", "create", "--role", "cron", env=WIDE)
    assert f"http://127.0.0.1:8000/connexion?jeton={local.stdout.strip()}" in local.stderr
    assert "INVENTAIRE_BASE_URL" in local.stderr
    # `serve` told to listen on another port (PORT): the link says that port (issue 25 point 17).
    moved = run_cli(fresh_database.url, "token", "create", "--role", "cron", env={"PORT": "10000", **WIDE})
    assert f"http://127.0.0.1:10000/connexion?jeton={moved.stdout.strip()}" in moved.stderr


def test_list_shows_times_in_the_company_timezone(fresh_database):
    import datetime as dt


    url = fresh_database.url
    engine = make_engine(Settings(DATABASE_URL=url).database_url)
    with session_scope(make_sessionmaker(engine)) as session:
        _, token = service.create_token(db_session=session, role="cron")
        token.created_at = dt.datetime(2026, 7, 1, 16, 30, tzinfo=dt.UTC)
        token.last_used_at = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)
        session.add(token)
    engine.dispose()
    listing = run_cli(url, "token", "list", env=WIDE).stdout
    assert "1 juil. 2026" in listing and "12\u00a0h\u00a030" in listing  # EDT, as the pages write it
    assert "1 déc. 2026" in listing and "0\u00a0h\u00a000" in listing  # then EST
    assert "America/Montreal" in listing
