"""A restore brings back everything the running service relies on (each van's Gazelle user above
all: without it the first sync gave back every deduction of its window), refuses an export that no
longer agrees with itself (in French, writing nothing, sequences untouched), and its CSVs never
carry a live spreadsheet formula."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest
from sqlalchemy import Table, func, select, text

from inventaire.backup.rows import TABLES, WRITTEN
from inventaire.kit.config import Settings
from inventaire.kit.database import make_engine, make_sessionmaker
from inventaire.models import Base
from inventaire.regles import service as regles
from inventaire.tasks import gazelle_run
from tests import databases
from tests.commands import flat, run_cli
from tests.gazelle.fake import FakeGazelle
from tests.helpers import balance_of, committed, make_line, make_product, make_technician, make_token

PLS = "mit_2eBOzDvunD7PHs6M"
# What a restore does not carry, on purpose (README « Backup, restore and moving in »).
NOT_CARRIED = {"sessions_web", "echecs_authentification", "gazelle_jetons", "gazelle_syncs", "gazelle_verifications",
               "gazelle_etats_oauth", "rendez_vous", "chargement_envois"}


@pytest.fixture
def empty_database(backend, tmp_path):
    (tmp_path / "cible").mkdir()
    db = databases.MigratedDatabase(backend, tmp_path / "cible")
    yield db
    db.dispose()


@pytest.fixture
def gazelle():
    fake = FakeGazelle().start()
    yield fake
    fake.stop()
    assert fake.invalid == []


def _sync(url: str, fake: FakeGazelle) -> None:
    settings = Settings(DATABASE_URL=url, **fake.settings())
    engine = make_engine(settings.database_url)
    try:
        gazelle_run.run_sync(session_factory=make_sessionmaker(engine), settings=settings, by="essai")
    finally:
        engine.dispose()


def _sources(selectable) -> set:
    """The table columns an export table reads (through the locations' join for « techniciens »)."""
    return {c for column in selectable.columns for c in column.proxy_set if isinstance(c.table, Table)}


def test_every_table_and_column_is_carried_or_left_out_on_purpose():
    read = {c for _, selectable in TABLES for c in _sources(selectable)}
    carried = {c.table.name for c in read} | {t.name for t in WRITTEN}  # a workshop's row: its id only
    models = {t.name for t in Base.metadata.sorted_tables}
    assert models - carried == NOT_CARRIED, "a table is neither exported nor listed as left out"
    for table in Base.metadata.sorted_tables:
        if table.name in carried:  # every column, except a subtype's id (its location's id)
            missing = {c.name for c in table.columns if c not in read} - {"id"}
            assert not missing, (table.name, missing)


def test_a_restored_van_keeps_its_gazelle_user_and_the_next_sync_takes_nothing_again(
        fresh_database, empty_database, tmp_path, gazelle):
    with committed(fresh_database.url) as s:
        allan = make_technician(s, nom="Allan", gazelle_id="usr_aS8wQ2nLk4Tz")
        product = make_product(s, code_produit="PLS-BUV", divisible=False)
        make_line(s, allan, product, 9)
        regles.create(db_session=s, service_id=PLS, product=product, quantite=Decimal(1))
        make_token(s, "technicien", technician=allan)
    for number in (7140, 7141, 7142):
        gazelle.add_invoice(number, items=[(PLS, 100)])
    _sync(fresh_database.url, gazelle)
    with committed(fresh_database.url) as s:
        assert balance_of(s, "Allan", "PLS-BUV") == 6
    folder = tmp_path / "sauvegarde"
    assert run_cli(fresh_database.url, "export", str(folder)).exit_code == 0
    imported = run_cli(empty_database.url, "import", str(folder))
    assert imported.exit_code == 0, imported.output

    _sync(empty_database.url, gazelle)  # with the refresh token Gazelle holds now (README)
    with committed(empty_database.url) as s:
        assert balance_of(s, "Allan", "PLS-BUV") == 6  # not 9: nothing given back, nothing taken twice
        assert s.scalar(text("SELECT gazelle_id FROM techniciens")) == "usr_aS8wQ2nLk4Tz"
        assert s.scalar(text("SELECT count(*) FROM api_tokens")) == 1  # Allan's phone keeps working


def _exported(url: str, folder) -> dict:
    assert run_cli(url, "export", str(folder)).exit_code == 0
    return json.loads((folder / "inventaire.json").read_text(encoding="utf-8"))


def _refused(url: str, folder, document: dict, message: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "inventaire.json").write_text(json.dumps(document), encoding="utf-8")
    refused = run_cli(url, "import", str(folder))
    assert refused.exit_code == 2, refused.output
    assert message in flat(refused.output), refused.output
    assert "Traceback" not in refused.output


def _filled(url: str, gazelle) -> None:
    with committed(url) as s:
        allan = make_technician(s, nom="Allan", gazelle_id="usr_aS8wQ2nLk4Tz")
        product = make_product(s, code_produit="PLS-BUV", divisible=False)
        make_line(s, allan, product, 9)
        regles.create(db_session=s, service_id=PLS, product=product, quantite=Decimal(1))
    gazelle.add_invoice(7140, items=[(PLS, 200)])
    _sync(url, gazelle)


def test_an_export_that_no_longer_agrees_with_itself_is_refused_in_french(
        fresh_database, empty_database, tmp_path, gazelle):
    _filled(fresh_database.url, gazelle)
    good = _exported(fresh_database.url, tmp_path / "bon")

    zeroed = json.loads(json.dumps(good))
    for row in zeroed["tables"]["deductions"]:
        row["deduit"] = "0"
    _refused(empty_database.url, tmp_path / "a", zeroed, "ce qui a été déduit pour Facture #7140 ne correspond pas")

    unchained = json.loads(json.dumps(good))
    last = unchained["tables"]["transactions"][-1]
    last["quantite_avant"], last["quantite_apres"] = "8", "6"  # the balance still matches the sum
    _refused(empty_database.url, tmp_path / "b", unchained, "ne s'enchaînent plus")

    twice = json.loads(json.dumps(good))
    twice["tables"]["catalogue"].append(dict(twice["tables"]["catalogue"][0]))
    _refused(empty_database.url, tmp_path / "c", twice, "la table « catalogue » ne peut pas être restaurée")

    orphan = json.loads(json.dumps(good))
    orphan["tables"]["stock"][0]["produit_id"] = 999
    _refused(empty_database.url, tmp_path / "d", orphan, "la table « stock » ne peut pas être restaurée")

    for shape in ({"catalogue": {"id": 1}}, {"catalogue": [1, 2]}):
        _refused(empty_database.url, tmp_path / "e", {**good, "tables": shape},
                 "« catalogue » doit être une liste de lignes")

    with committed(empty_database.url) as s:
        assert all(s.scalar(select(func.count()).select_from(t)) == 0 for _, t in TABLES)
    # Nothing moved PostgreSQL's sequences: the first product is n° 1 after a refused restore.
    with committed(empty_database.url) as s:
        assert make_product(s).id == 1


def test_backup_csvs_carry_no_live_formula(fresh_database, tmp_path, gazelle):
    with committed(fresh_database.url) as s:
        allan = make_technician(s, nom="Allan", gazelle_id="usr_aS8wQ2nLk4Tz")
        product = make_product(s, code_produit="PLS-BUV", nom_produit='=HYPERLINK("https://evil.example";"Cliquez")')
        make_line(s, allan, product, 9)
        regles.create(db_session=s, service_id=PLS, product=product, quantite=Decimal(1))
    gazelle.add_invoice(7140, items=[(PLS, 100, "@SUM(1+1)*cmd|' /C calc'!A0")], client="+Lina -Vanelli")
    _sync(fresh_database.url, gazelle)
    folder = tmp_path / "sauvegarde"
    document = _exported(fresh_database.url, folder)
    assert document["tables"]["catalogue"][0]["nom_produit"].startswith("=HYPERLINK")  # the JSON is verbatim

    def column(table: str, name: str) -> list[str]:
        with open(folder / f"{table}.csv", newline="", encoding="utf-8") as f:
            return [row[name] for row in csv.DictReader(f)]

    assert column("catalogue", "nom_produit") == ["'=HYPERLINK(\"https://evil.example\";\"Cliquez\")"]
    assert column("services_deduits", "client") == ["'+Lina -Vanelli"]
    assert column("deductions", "description") == ["'@SUM(1+1)*cmd|' /C calc'!A0"]
    assert all(cell[:1] not in ("=", "+", "-", "@") for cell in column("transactions", "motif"))
    assert column("transactions", "ajustement")[-1] == "-1.000"  # numbers are ours: left as they are
