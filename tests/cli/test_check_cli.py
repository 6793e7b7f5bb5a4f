"""`inventaire check`: the same report as the endpoint, French on screen, French errors."""

import json

import pytest
from fastapi.testclient import TestClient

from inventaire.app import create_app
from inventaire.auth import service as auth_service
from inventaire.checks.models import Verification
from inventaire.kit.config import Settings
from tests.commands import flat, run_cli
from tests.databases import MigratedDatabase
from tests.helpers import bearer, build_seed_data, committed, make_line, make_product, make_technician


def seed(url: str) -> str:
    """The seed's example plus a second technician, committed for real."""
    with committed(url) as session:
        build_seed_data(session)
        margot = make_technician(session, nom="Margot")
        make_line(session, margot, make_product(session, code_produit="FEUT-1", nom_produit="Feutre", unite="m"),
                  "0.5", seuil_min="1", niveau_par="3")
    return url


@pytest.fixture
def seeded(fresh_database):
    return seed(fresh_database.url)


@pytest.fixture
def twin(backend, tmp_path_factory):
    """A second database with the same data: a report also compares with the runs before it."""
    db = MigratedDatabase(backend, tmp_path_factory.mktemp("jumelle"))
    yield seed(db.url)
    db.dispose()


def endpoint_rapport(url: str, **params) -> dict:
    with committed(url) as session:
        token, _ = auth_service.create_token(db_session=session, role="cron")
    with TestClient(create_app(Settings(DATABASE_URL=url)), headers=bearer(token)) as client:
        response = client.post("/inventaire/check-stock", params=params)
    assert response.status_code == 200, response.text
    return response.json()["rapport"]


def without_time(rapport: dict) -> dict:
    return {k: v for k, v in rapport.items() if k != "generated_at"}


# Each (CLI arguments, endpoint query) pair; run in turn on twin databases, so each report
# also compares with the same earlier runs on both sides.
SCOPES = [
    ((), {}),
    (("--technicien", "allan", "--seuil", "10"), {"technicien": "allan", "seuil_critique": "10"}),
    (("--seuil", "0,75"), {"seuil_critique": "0.75"}),
    ((), {}),  # a second run of the first scope: alerts are now "persistante" on both sides
]


def test_json_equals_the_endpoints_rapport(seeded, twin):
    for args, params in SCOPES:
        result = run_cli(seeded, "check", "--json", *args)
        assert result.exit_code == 0, result.output
        printed = json.loads(result.stdout)  # the rapport alone on standard output
        assert printed["generated_at"].endswith("+00:00")
        assert without_time(printed) == without_time(endpoint_rapport(twin, **params)), args
        assert printed["statistiques"]["total_produits"] == (15 if "technicien" in params else 16)
    assert {a["etat"] for a in printed["alertes"]} == {"persistante"}


def test_table_output_and_errors_are_french(seeded):
    unknown = run_cli(seeded, "check", "--technicien", "Personne")
    assert unknown.exit_code != 0
    assert "Erreur : Technicien inconnu : « Personne »." in unknown.stderr
    assert unknown.stdout == ""
    with committed(seeded) as session:
        assert session.query(Verification).count() == 0  # a refused run is not stored

    result = run_cli(seeded, "check")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Vérification d'inventaire — tous les techniciens" in out
    assert "Lignes vérifiées : 16 · valeur estimée : 455,50 $" in out
    for heading in ("Gravité", "État", "Technicien", "Code", "Produit", "Qté", "Seuil", "À cmd."):
        assert heading in out
    assert "critique" in out and "stock bas" in out
    assert "0,5" in out  # Margot's half metre, with a French decimal comma
    assert out.rstrip().endswith("4 alerte(s) détectée(s) (1 critique(s), 3 stock bas)")
    with committed(seeded) as session:
        [run] = session.query(Verification).all()
        assert (run.declenchee_par, run.total_alertes) == ("ligne de commande", 4)


def test_bad_threshold_is_refused_before_any_database_work(tmp_path):
    url = f"sqlite:///{tmp_path / 'absente.db'}"
    for seuil in ("abc", "-1", "nan", "inf", "1e400", ""):
        result = run_cli(url, "check", f"--seuil={seuil}")
        assert result.exit_code == 2, (seuil, result.output)
        assert "Erreur : seuil invalide" in result.stderr
        assert result.stdout == ""
    assert not (tmp_path / "absente.db").exists()


def test_missing_schema_is_a_french_error_naming_the_database(tmp_path):
    (tmp_path / "vide.db").touch()  # an empty file: SQLite opens it, no table
    result = run_cli(f"sqlite:///{tmp_path / 'vide.db'}", "check")
    assert result.exit_code == 1
    assert "lancez « inventaire db upgrade »" in result.stderr
    assert f"(base : SQLite {tmp_path / 'vide.db'})" in flat(result.stderr)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("columns", [60, 80])
def test_no_number_is_cut_at_60_or_80_columns(fresh_database, columns):
    """A pipe or a cron mail is 80 columns; « À cmd. » 12 must never read « 1 »."""
    url = fresh_database.url
    with committed(url) as session:
        tech = make_technician(session, nom="Jean-Philippe Beauséjour")
        for code, name, qty, par in [
            ("mit_o04b33O4D45Q39DD", "Révision et maintenance du clavier pour pianos Silent et hybrides", "1", "13"),
            ("CORD-012", "Corde d'acier no 12 (0,725 mm)", "0", "120"),
        ]:
            make_line(session, tech, make_product(session, code_produit=code, nom_produit=name), qty,
                      seuil_min="2", niveau_par=par)
    result = run_cli(url, "check", env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= columns for line in lines), lines
    for code, qty, cmd in [("mit_o04b33O4D45Q39DD", "1", "12"), ("CORD-012", "0", "120")]:
        table_row = any(code in ln and ln.split()[-3:] == [qty, "2", cmd] for ln in lines)
        block = f"Qté {qty} · seuil 2 · à commander {cmd}" in result.stdout
        assert table_row or block, (code, result.stdout)
    assert "Révision et maintenance" in result.stdout  # the long name is shown (wrapped), not dropped


def test_quantities_are_grouped_as_the_pages_write_them(fresh_database):
    """« 1 250 », not « 1250 »: thousands apart with a no-break space, as on the dashboard (issue 25.14)."""
    url = fresh_database.url
    with committed(url) as session:
        tech = make_technician(session, nom="Allan")
        make_line(session, tech, make_product(session, code_produit="CORD-012", nom_produit="Corde no 12"), "2",
                  seuil_min="1500", niveau_par="1252")
    result = run_cli(url, "check", env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "1\u00a0500" in result.stdout and "1\u00a0250" in result.stdout, result.stdout
    assert "1500" not in result.stdout and "1250" not in result.stdout
