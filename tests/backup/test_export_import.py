"""`inventaire export` then `inventaire import` into an empty database gives back every row exactly."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from inventaire.ateliers import service as ateliers
from inventaire.backup.rows import TABLES
from inventaire.catalogue import service as catalogue
from inventaire.deductions import service as deductions
from inventaire.deductions.schemas import ServiceIn
from inventaire.demandes import service as demandes
from inventaire.demo.loader import WORKSHOP, load_demo
from inventaire.kit.config import Settings
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope, utcnow
from inventaire.regles import service as regles
from inventaire.stock import reading as stock_lines
from inventaire.stock import service as stock
from inventaire.techniciens import service as techniciens
from tests import databases
from tests.commands import flat, run_cli
from tests.helpers import make_line, make_product, make_technician

TABLES_BY_NAME = dict(TABLES)


def _session(url: str):
    engine = make_engine(Settings(DATABASE_URL=url).database_url)
    return engine, session_scope(make_sessionmaker(engine))


def _fill(url: str) -> None:
    """A few weeks of history over three vans, plus the awkward cases."""
    engine, scope = _session(url)
    with scope as s:
        vans = [make_technician(s, nom=nom) for nom in ("Allan", "Jean-Philippe", "Nicolas")]
        parts = [make_product(s, code_produit=f"CORD-{n:03d}", prix_unitaire=Decimal("4.15")) for n in range(1, 5)]
        start = utcnow() - dt.timedelta(days=40)
        for n in range(120):
            van, part = vans[n % 3], parts[n % 4]
            kind, delta = ("reception", Decimal(20 + n % 7)) if n < 12 or n % 5 == 0 else ("utilisation", Decimal(-1))
            stock.adjust(db_session=s, location=van, product=part, kind=kind, delta=delta,
                         auteur=van.nom if kind == "utilisation" else "bureau",
                         at=start + dt.timedelta(hours=8 * n, microseconds=n), cause="manuel")
        zoe = make_technician(s, nom="Zoë Ñúñez-Tremblay")
        felt = make_product(s, code_produit="FEUT-0.5", unite="m", prix_unitaire=Decimal("12.35"),
                            prix_vente=None, seuil_reorder=Decimal("0.750"))
        make_line(s, zoe, felt, Decimal("2.5"), seuil_min=Decimal("0.5"), niveau_par=Decimal("3"))
        stock.adjust(db_session=s, location=zoe, product=felt, kind="utilisation", delta=Decimal("-0.125"),
                     auteur="Zoë", motif="<script>alert(1)</script>\nsecond line, \"quoted\"; semi",
                     reference="RDV-ü", at=utcnow() - dt.timedelta(days=3, microseconds=7), cause="manuel")
        stock.count(db_session=s, location=zoe, product=felt, counted=Decimal("2.375"), auteur="Zoë")
        catalogue.archive(db_session=s, product=felt)
        techniciens.update(db_session=s, technician=zoe, changes={"actif": False})
    engine.dispose()


def _dump(url: str) -> dict:
    engine, scope = _session(url)
    with scope as s:
        tables = {name: [tuple(r) for r in s.execute(select(t).order_by(t.c.id)).all()] for name, t in TABLES}
    engine.dispose()
    return tables


@pytest.fixture
def empty_database(backend, tmp_path):
    (tmp_path / "cible").mkdir()
    db = databases.MigratedDatabase(backend, tmp_path / "cible")
    yield db
    db.dispose()


def test_round_trip_is_exact(fresh_database, empty_database, tmp_path):
    _fill(fresh_database.url)
    folder = tmp_path / "sauvegarde"
    exported = run_cli(fresh_database.url, "export", str(folder))
    assert exported.exit_code == 0, exported.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["inventaire.json", *(f"{name}.csv" for name, _ in TABLES)])

    imported = run_cli(empty_database.url, "import", str(folder))
    assert imported.exit_code == 0, imported.output
    source, restored = _dump(fresh_database.url), _dump(empty_database.url)
    assert len(source["transactions"]) == 123
    assert restored == source  # ids, quantities, timestamps (to the microsecond), auteur, everything

    # New rows continue after the restored ids (PostgreSQL sequences were moved on).
    engine, scope = _session(empty_database.url)
    with scope as s:
        allan = techniciens.get_or_404(db_session=s, nom="Allan")
        line = stock_lines.list_lines(db_session=s, location=allan)[0]
        entry = stock.adjust(db_session=s, location=allan, product=line.produit, kind="reception",
                             delta=Decimal("1"), auteur="bureau", cause="manuel")
        assert entry.id == max(row[0] for row in source["transactions"]) + 1
    engine.dispose()


def _fill_the_rest(url: str) -> None:
    """The demo (rules, a workshop, orders, ledger), a van's request served and one refused, and a
    billed service deducted (one of the van's water treatments)."""
    engine, scope = _session(url)
    with scope as s:
        load_demo(db_session=s)
        allan = techniciens.get_or_404(db_session=s, nom="Allan")
        workshop = ateliers.get_by_name(db_session=s, nom=WORKSHOP)
        cord = catalogue.get_by_code(db_session=s, code_produit="PLS-TRAIT-227")
        served = demandes.create(db_session=s, technician=allan, product=cord, quantity=Decimal(1), note="« urgent »",
                                 auteur="Allan")
        demandes.serve(db_session=s, request=served, workshop=workshop, quantity=None, auteur="bureau")
        refused = demandes.create(db_session=s, technician=allan, product=cord, quantity=Decimal(2), note=None,
                                  auteur="Allan")
        demandes.refuse(db_session=s, request=refused, motif="En commande")
        entry = ServiceIn(source="gazelle", id_externe="inv_77", numero="77", statut="actif", technicien="Allan",
                          client="Lina", date="2026-11-30", version=utcnow(),
                          lignes=[{"id_externe": "l1", "service_id": "mit_CX6CvWXbjs08vg70", "quantite": 1,
                                   "description": "Traitement de l'eau"}])
        deductions.apply(db_session=s, entry=entry, technician=allan, rules=regles.rules_by_service(db_session=s))
    engine.dispose()


def test_round_trip_keeps_rules_requests_orders_and_deductions(fresh_database, empty_database, tmp_path):
    _fill_the_rest(fresh_database.url)
    folder = tmp_path / "sauvegarde"
    assert run_cli(fresh_database.url, "export", str(folder)).exit_code == 0
    imported = run_cli(empty_database.url, "import", str(folder))
    assert imported.exit_code == 0, imported.output
    source, restored = _dump(fresh_database.url), _dump(empty_database.url)
    assert all(source[name] for name in ("regles", "demandes", "commandes", "lignes_commande",
                                         "services_deduits", "deductions")), {n: len(r) for n, r in source.items()}
    assert restored == source
    moves = json.loads((folder / "inventaire.json").read_text(encoding="utf-8"))["tables"]["transactions"]
    assert all("cause" in m and "cause_id" in m for m in moves) and {"demande", "deduction"} <= {m["cause"] for m in moves}
    assert "2 demandes" in flat(imported.output) and "1 service déduit (1 déduction)" in flat(imported.output)
    # The same service sent again after the restore takes nothing more: it was deducted already.
    engine, scope = _session(empty_database.url)
    with scope as s:
        before = len(s.execute(select(TABLES_BY_NAME["transactions"])).all())
        entry = ServiceIn(source="gazelle", id_externe="inv_77", numero="77", statut="actif", technicien="Allan",
                          client="Lina", date="2026-11-30", version=utcnow(),
                          lignes=[{"id_externe": "l1", "service_id": "mit_CX6CvWXbjs08vg70", "quantite": 1,
                                   "description": "Traitement de l'eau"}])
        deductions.apply(db_session=s, entry=entry, technician=techniciens.get_or_404(db_session=s, nom="Allan"),
                         rules=regles.rules_by_service(db_session=s))
        assert len(s.execute(select(TABLES_BY_NAME["transactions"])).all()) == before
    engine.dispose()


def test_export_files_are_readable_and_exact(fresh_database, tmp_path):
    _fill(fresh_database.url)
    assert run_cli(fresh_database.url, "export", str(tmp_path)).exit_code == 0
    document = json.loads((tmp_path / "inventaire.json").read_text(encoding="utf-8"))
    assert document["format"] == "inventaire-export" and document["schema"]
    motifs = [t["motif"] for t in document["tables"]["transactions"]]
    assert "<script>alert(1)</script>\nsecond line, \"quoted\"; semi" in motifs  # verbatim
    felt = next(p for p in document["tables"]["catalogue"] if p["code_produit"] == "FEUT-0.5")
    assert (felt["prix_unitaire"], felt["seuil_reorder"], felt["actif"]) == ("12.35", "0.750", False)
    with open(tmp_path / "transactions.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(document["tables"]["transactions"])
    assert rows[-1]["type"] == "comptage" and rows[-1]["quantite_apres"] == "2.375"
    assert rows[-1]["created_at"].endswith("+00:00")


def test_import_refuses_a_database_that_is_not_empty(fresh_database, tmp_path):
    _fill(fresh_database.url)
    assert run_cli(fresh_database.url, "export", str(tmp_path)).exit_code == 0
    before = _dump(fresh_database.url)
    refused = run_cli(fresh_database.url, "import", str(tmp_path))
    assert refused.exit_code == 2
    assert "n'est pas vide" in flat(refused.output) and "transactions" in flat(refused.output)
    assert _dump(fresh_database.url) == before


def test_import_refuses_an_inconsistent_export_and_writes_nothing(fresh_database, empty_database, tmp_path):
    _fill(fresh_database.url)
    assert run_cli(fresh_database.url, "export", str(tmp_path)).exit_code == 0
    path = tmp_path / "inventaire.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["tables"]["stock"][0]["quantite"] = "999"  # a balance no ledger explains
    path.write_text(json.dumps(document), encoding="utf-8")
    refused = run_cli(empty_database.url, "import", str(tmp_path))
    assert refused.exit_code == 2 and "ne correspond pas à la somme de ses mouvements" in flat(refused.output)
    assert all(not rows for rows in _dump(empty_database.url).values())


BAD_FOLDERS = [
    (None, "Fichier introuvable"),
    ("{", "n'est pas un JSON lisible"),
    ('{"format": "autre"}', "n'est pas un export d'inventaire"),
    ('{"format": "inventaire-export", "version": 9, "tables": {}}', "Version d'export non prise en charge"),
    ('{"format": "inventaire-export", "version": 1, "tables": {"catalogue": [{"id": 1, "pirate": 1}]}}',
     "colonnes inconnues dans « catalogue » : pirate"),
    ('{"format": "inventaire-export", "version": 1, "tables": {"catalogue": [{"id": 1, "prix_unitaire": "abc"}]}}',
     "produits_catalogue.prix_unitaire : valeur invalide « abc »"),
    ('{"format": "inventaire-export", "version": 1, "tables": {"transactions": [{"id": 1, "cause": "vol"}]}}',
     "transactions_inventaire.cause : valeur inconnue « vol »"),
    # Year 1 at +01:00 is before year 1 in UTC: refused as invalid rather than overflowing.
    ('{"format": "inventaire-export", "version": 1, "tables": {"catalogue": [{"id": 1, '
     '"created_at": "0001-01-01T00:00:00+01:00"}]}}',
     "produits_catalogue.created_at : valeur invalide « 0001-01-01T00:00:00+01:00 »"),
]


def test_import_explains_a_bad_folder(fresh_database, tmp_path):
    for n, (content, message) in enumerate(BAD_FOLDERS):  # one database for all: each is refused
        folder = tmp_path / str(n)
        folder.mkdir()
        if content is not None:
            (folder / "inventaire.json").write_text(content, encoding="utf-8")
        result = run_cli(fresh_database.url, "import", str(folder))
        assert result.exit_code == 2 and message in flat(result.output), result.output
    assert all(not rows for rows in _dump(fresh_database.url).values())


@pytest.mark.postgres
def test_sqlite_to_postgresql(tmp_path):
    """Moving from the SQLite file to a PostgreSQL (Supabase) database keeps every row."""
    source = databases.MigratedDatabase("sqlite", tmp_path)
    target = databases.MigratedDatabase("postgresql", tmp_path)
    try:
        _fill(source.url)
        assert run_cli(source.url, "export", str(tmp_path / "x")).exit_code == 0
        assert run_cli(target.url, "import", str(tmp_path / "x")).exit_code == 0
        assert _dump(target.url) == _dump(source.url)
    finally:
        target.dispose()


def test_an_export_from_before_suppliers_imports_with_its_names_merged(fresh_database, empty_database, tmp_path):
    """Exports written before migration 0025 name each product's supplier as text: the import merges the
    names into suppliers whatever their case or accents, as the migration does."""
    engine, scope = _session(fresh_database.url)
    with scope as s:
        for code, supplier in (("CORD-1", "Röslau"), ("CORD-2", "ROSLAU"), ("FEUT-1", "Mapes"), ("DIV-1", None)):
            make_product(s, code_produit=code, fournisseur=supplier)
    engine.dispose()
    assert run_cli(fresh_database.url, "export", str(tmp_path)).exit_code == 0
    document = json.loads((tmp_path / "inventaire.json").read_text(encoding="utf-8"))
    names = {row["id"]: row["nom"] for row in document["tables"].pop("fournisseurs")}
    for row in document["tables"]["catalogue"]:  # the older shape: the name, no reference
        supplier = row.pop("fournisseur_id")
        row["fournisseur"] = "ROSLAU" if row["code_produit"] == "CORD-2" else names.get(supplier)  # as typed
    (tmp_path / "inventaire.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    imported = run_cli(empty_database.url, "import", str(tmp_path))
    assert imported.exit_code == 0, imported.output
    engine, scope = _session(empty_database.url)
    with scope as s:
        products = {p.code_produit: p.fournisseur for p in catalogue.list_products(db_session=s)}
        assert products == {"CORD-1": "Röslau", "CORD-2": "Röslau", "FEUT-1": "Mapes", "DIV-1": None}
        make_product(s, code_produit="NEUF-1", fournisseur="mapes")  # the sequence resumes after the restored ids
    engine.dispose()
