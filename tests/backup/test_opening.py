"""`inventaire import-stock`: the current quantities from the old tool become opening counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from inventaire.kit.config import Settings
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope
from inventaire.stock.models import StockLine, Transaction
from tests.commands import flat, run_cli
from tests.helpers import make_line, make_product, make_technician


@pytest.fixture
def url(fresh_database) -> str:
    engine = make_engine(Settings(DATABASE_URL=fresh_database.url).database_url)
    with session_scope(make_sessionmaker(engine)) as s:
        _, jp = make_technician(s, nom="Allan"), make_technician(s, nom="Jean-Philippe")
        make_technician(s, nom="Ancien", actif=False)
        _, felt = make_product(s, code_produit="CORD-001"), make_product(s, code_produit="FEUT-002", unite="m")
        make_product(s, code_produit="VIEUX-1", actif=False)
        make_line(s, jp, felt, 4)  # a line that already exists: the count holds the difference
    engine.dispose()
    return fresh_database.url


def ledger(url: str) -> list[tuple]:
    engine = make_engine(Settings(DATABASE_URL=url).database_url)
    with session_scope(make_sessionmaker(engine)) as s:
        rows = s.execute(
            select(Transaction.type, Transaction.ajustement, Transaction.quantite_apres, Transaction.auteur,
                   Transaction.motif).order_by(Transaction.id)).all()
        balances = s.execute(select(StockLine.id, StockLine.quantite).order_by(StockLine.id)).all()
    engine.dispose()
    return [tuple(r) for r in rows] + [tuple(b) for b in balances]


def write(tmp_path, text: str, encoding="utf-8"):
    path = tmp_path / "stock.csv"
    path.write_text(text, encoding=encoding)
    return str(path)


def test_good_file_writes_one_count_per_row(url, tmp_path):
    path = write(tmp_path, "code,technicien,quantite\nCORD-001,allan,12\nFEUT-002,Jean-Philippe,2.5\n\n"
                           "CORD-001,Jean-Philippe,0\n")
    result = run_cli(url, "import-stock", path)
    assert result.exit_code == 0, result.output
    assert "3 lignes importées" in flat(result.output)
    counts = [r for r in ledger(url) if len(r) == 5 and r[0] == "comptage"]
    assert [(r[1], r[2]) for r in counts] == [(12, 12), (Decimal("-1.5"), Decimal("2.5")), (0, 0)]
    assert all(r[3].startswith("import de stock (") and r[4] == "Stock d'ouverture (import)" for r in counts)


def test_french_spreadsheet_file(url, tmp_path):
    """Excel in French: BOM, semicolons, decimal commas, accented headers, extra columns."""
    path = write(tmp_path, "Code produit;Technicien;Quantité;Remarque\r\nFEUT-002;ALLAN;1,25;camion\r\n", "utf-8-sig")
    result = run_cli(url, "import-stock", path)
    assert result.exit_code == 0, result.output
    assert any(r[0] == "comptage" and r[2] == Decimal("1.25") for r in ledger(url) if len(r) == 5)


def test_any_bad_row_writes_nothing_and_every_reason_is_given(url, tmp_path):
    before = ledger(url)
    path = write(tmp_path, "\n".join([
        "code,technicien,quantite",
        "CORD-001,Allan,5",          # 2: good
        "INCONNU,Allan,1",           # 3
        "CORD-001,Personne,1",       # 4
        "CORD-001,Allan,-2",         # 5
        "FEUT-002,Allan,1.2345",     # 6
        "FEUT-002,Allan,beaucoup",   # 7
        "CORD-001,allan,7",          # 8: duplicate of line 2
        "VIEUX-1,Ancien,1",          # 9: archived product and inactive technician
        ",,3",                       # 10
        "FEUT-002,Allan,",           # 11
        "FEUT-002,Allan,1e12",       # 12
    ]) + "\n")
    result = run_cli(url, "import-stock", path, env={"COLUMNS": "200"})
    assert result.exit_code == 1
    out = flat(result.output)
    for line, reason in [
        (3, "produit inconnu : « INCONNU »"), (4, "technicien inconnu : « Personne »"),
        (5, "quantité négative : « -2 »"), (6, "au plus 3 décimales : « 1.2345 »"),
        (7, "quantité invalide : « beaucoup »"), (8, "doublon de la ligne 2 (CORD-001, Allan)"),
        (9, "produit archivé : « VIEUX-1 » ; technicien inactif : « Ancien »"),
        (10, "code produit manquant ; technicien manquant"), (11, "quantité manquante"),
        (12, "quantité trop grande : « 1e12 »"),
    ]:
        assert f"│ {line} " in result.output and reason in out, (line, reason, result.output)
    assert "10 lignes rejetées" in out and "aucune ligne importée (1 valide, 10 rejetées)" in out
    assert ledger(url) == before


def test_skip_bad_rows_when_asked(url, tmp_path):
    path = write(tmp_path, "code,technicien,quantite\nCORD-001,Allan,5\nINCONNU,Allan,1\n")
    result = run_cli(url, "import-stock", path, "--ignorer-erreurs")
    assert result.exit_code == 0
    assert "produit inconnu" in flat(result.output) and "1 ligne importée" in flat(result.output)
    assert any(r[0] == "comptage" and r[2] == 5 for r in ledger(url) if len(r) == 5)


UNUSABLE = [
    (None, "utf-8", "Fichier introuvable"),
    ("produit;quantite\nCORD-001;2\n", "utf-8", "colonne manquante : technicien"),
    ("code,technicien,quantite\nCORD-001,Allan," + "9" * 200_000 + "\n", "utf-8", "ligne 2 : CSV illisible"),
    ("code,technicien,quantité\nCORD-001,Allan,2\n", "latin-1", "CSV UTF-8"),
]


def test_unusable_files(url, tmp_path):
    before = ledger(url)
    for n, (content, encoding, message) in enumerate(UNUSABLE):
        path = tmp_path / f"stock-{n}.csv"
        if content is not None:
            path.write_text(content, encoding=encoding)
        result = run_cli(url, "import-stock", str(path))
        assert result.exit_code == 2 and message in flat(result.output), result.output
    assert ledger(url) == before


def test_control_characters_are_not_printed_back(url, tmp_path):
    path = write(tmp_path, "code,technicien,quantite\nCORD-001,Allan,\"1\x00\x1b[31m\"\n")
    result = run_cli(url, "import-stock", path)
    assert result.exit_code == 1 and "quantité invalide : « 1\ufffd\ufffd[31m »" in flat(result.output)
    assert "\x00" not in result.output and "\x1b[31m" not in result.output
