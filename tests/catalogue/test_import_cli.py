"""`inventaire catalogue import` and `export` through Typer's runner, on a real database file or server."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from inventaire.catalogue.models import Product
from inventaire.kit.config import Settings
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope
from tests.commands import flat, run_cli
from tests.helpers import make_product


@pytest.fixture
def url(fresh_database) -> str:
    engine = make_engine(Settings(DATABASE_URL=fresh_database.url).database_url)
    with session_scope(make_sessionmaker(engine)) as s:
        make_product(s, code_produit="CORD-001", nom_produit="Corde #1", code_barres="4006381333931")
    engine.dispose()
    return fresh_database.url


def catalogue(url: str) -> list[tuple]:
    engine = make_engine(Settings(DATABASE_URL=url).database_url)
    with session_scope(make_sessionmaker(engine)) as s:
        rows = [(p.code_produit, p.nom_produit, p.prix_unitaire, p.fournisseur, p.code_barres, p.actif)
                for p in s.scalars(select(Product).order_by(Product.code_cle))]
    engine.dispose()
    return rows


def test_an_excel_file_creates_and_updates_with_counts_in_french(url, tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_text("Code produit;Nom du produit;Prix unitaire;Fournisseur;Code-barres\r\n"
                    "CORD-001;Corde #1 (Do);4,35;Pianotek;4006381333931\r\n"
                    "MART-010;Marteau Renner;112,50;Renner;0012345678905\r\n"
                    "MART-011;Marteau Abel;98;renner;\r\n", encoding="utf-8-sig")
    result = run_cli(url, "catalogue", "import", str(path))
    assert result.exit_code == 0, result.output
    assert flat(result.output) == "Catalogue importé : 2 produits créés, 1 modifié, 0 inchangé."
    assert catalogue(url) == [("CORD-001", "Corde #1 (Do)", Decimal("4.35"), "Pianotek", "4006381333931", True),
                              ("MART-010", "Marteau Renner", Decimal("112.50"), "Renner", "0012345678905", True),
                              ("MART-011", "Marteau Abel", Decimal("98.00"), "Renner", None, True)]


def test_bad_rows_are_listed_and_nothing_is_written(url, tmp_path):
    before = catalogue(url)
    path = tmp_path / "catalogue.csv"
    path.write_text("code_produit,nom_produit,prix_unitaire,code_barres\n"
                    "NOUV-1,Nouveau,\"1,5\",\n"
                    "NOUV-2,Autre,1.2.3,4006381333931\n", encoding="utf-8")
    result = run_cli(url, "catalogue", "import", str(path))
    assert result.exit_code == 1
    output = flat(result.output)
    assert "2 erreurs" in output and "prix_unitaire" in output and "déjà celui de « CORD-001 »" in output
    assert "aucun produit importé : corrigez le fichier et relancez l'import." in output
    assert catalogue(url) == before


def test_a_missing_file_or_column_is_said_in_french(url, tmp_path):
    result = run_cli(url, "catalogue", "import", str(tmp_path / "absent.csv"))
    assert result.exit_code == 2 and "Fichier introuvable" in flat(result.output)
    (tmp_path / "sans-code.csv").write_text("nom;prix\nCorde;2\n", encoding="utf-8")
    result = run_cli(url, "catalogue", "import", str(tmp_path / "sans-code.csv"))
    assert result.exit_code == 2 and "colonne manquante : code_produit" in flat(result.output)


def test_export_then_import_is_a_round_trip(url, tmp_path):
    path = tmp_path / "catalogue.csv"
    result = run_cli(url, "catalogue", "export", str(path))
    assert result.exit_code == 0, result.output
    assert flat(result.output) == f"Catalogue écrit dans {path} (1 produit)."
    edited = path.read_text(encoding="utf-8-sig").replace("Corde #1", "Corde #1 modifiée")
    path.write_text(edited + "NOUV-9;Nouveau;Divers;unité;2,00;;;;;non;oui\r\n", encoding="utf-8-sig")
    result = run_cli(url, "catalogue", "import", str(path))
    assert flat(result.output) == "Catalogue importé : 1 produit créé, 1 modifié, 0 inchangé."
    assert [row[:2] for row in catalogue(url)] == [("CORD-001", "Corde #1 modifiée"), ("NOUV-9", "Nouveau")]
