"""Revision 0020 (the ledger's cause): down and up again, every row gets back the cause its writer
set, where the old columns can tell it; a manual change's stays null. The ledger stays append-only."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from inventaire.kit.database import make_engine
from inventaire.kit.migrate import alembic_config, upgrade
from tests.commands import run_cli
from tests.live import live_server

PLS = "mit_2eBOzDvunD7PHs6M"


def _causes(url: str) -> dict[int, tuple]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, cause, cause_id FROM transactions_inventaire ORDER BY id")).all()
    engine.dispose()
    return {r.id: (r.cause, r.cause_id) for r in rows}


def _write_one_of_each(url: str, tmp_path) -> None:
    """Rows of every writer, through a real server's API (and the CLI's opening import)."""
    with live_server(url) as srv, srv.client() as api:
        for path, body in (
            ("/inventaire/techniciens", {"nom": "Allan"}), ("/inventaire/ateliers", {"nom": "Atelier"}),
            ("/inventaire/catalogue", {"code_produit": "CORD-012", "nom_produit": "Corde", "prix_unitaire": 18.5,
                                       "fournisseur": "Röslau", "divisible": False}),
            ("/inventaire/catalogue", {"code_produit": "FEUT-01", "nom_produit": "Feutre", "prix_unitaire": 24,
                                       "unite": "m"}),
            ("/inventaire/regles", {"service_id": PLS, "code_produit": "CORD-012", "quantite": 1}),
        ):
            answer = api.post(path, json=body)
            assert answer.status_code == 201, (path, answer.text)
        order = api.post("/inventaire/commandes", json={"fournisseur": "Röslau", "atelier": "Atelier", "lignes": [
            {"code_produit": "CORD-012", "quantite": 20, "prix_unitaire": 18.5},
            {"code_produit": "FEUT-01", "quantite": 5, "prix_unitaire": 24}]}).json()
        api.post(f"/inventaire/commandes/{order['id']}/envoyer")
        assert api.post(f"/inventaire/commandes/{order['id']}/recevoir", json={"lignes": [
            {"code_produit": "CORD-012", "quantite": 20}, {"code_produit": "FEUT-01", "quantite": 5}]}).status_code == 200
        calls = [
            ("/inventaire/stock/ajuster", {"technicien": "Allan", "code_produit": "CORD-012", "type": "reception",
                                           "ajustement": 3}, 200),
            ("/inventaire/stock/compter", {"technicien": "Allan", "code_produit": "CORD-012", "quantite": 2}, 200),
            ("/inventaire/stock/transferer", {"de": "Atelier", "vers": "Allan", "code_produit": "FEUT-01",
                                              "quantite": 1}, 201),
            ("/inventaire/stock/Allan/CORD-012", {"niveau_par": 6}, 200),
            ("/inventaire/reapprovisionnement", {"technicien": "Allan", "atelier": "Atelier"}, 200),
            ("/inventaire/services", {"source": "gazelle", "id_externe": "inv_7140", "numero": "7140",
                                      "statut": "actif", "technicien": "Allan", "date": "2026-04-29",
                                      "lignes": [{"id_externe": "ini_1", "service_id": PLS, "quantite": 1}]}, 200),
            ("/inventaire/services", {"source": "csv", "id_externe": "svc-9", "statut": "actif",
                                      "technicien": "Allan", "date": "2026-04-29",
                                      "lignes": [{"id_externe": "l1", "service_id": PLS, "quantite": 1}]}, 200),
        ]
        for path, body, status in calls:
            answer = api.put(path, json=body) if path.endswith("CORD-012") else api.post(path, json=body)
            assert answer.status_code == status, (path, answer.text)
        asked = api.post("/inventaire/demandes", json={"technicien": "Allan", "code_produit": "FEUT-01",
                                                       "quantite": 1}).json()
        assert api.post(f"/inventaire/demandes/{asked['id']}/servir", json={"atelier": "Atelier"}).status_code == 200
    path = tmp_path / "ouverture.csv"
    path.write_text("code,technicien,quantite\nFEUT-01,Allan,4\n", encoding="utf-8")
    assert run_cli(url, "import-stock", str(path)).exit_code == 0


def test_down_and_up_again_every_row_gets_its_cause_back(fresh_database, tmp_path):
    url = fresh_database.url
    _write_one_of_each(url, tmp_path)
    written = _causes(url)
    assert {cause for cause, _ in written.values()} == {
        "commande", "manuel", "comptage", "transfert", "preparation", "deduction", "demande", "import_ouverture"}

    command.downgrade(alembic_config(url), "0019")
    engine = make_engine(url)
    columns = {c["name"] for c in inspect(engine).get_columns("transactions_inventaire")}
    engine.dispose()
    assert not {"cause", "cause_id"} & columns
    upgrade(url)

    # A person's change is told by nothing stored before 0020 (its author is a name, as a script's is).
    assert _causes(url) == {i: (None, None) if cause == "manuel" else (cause, cause_id)
                            for i, (cause, cause_id) in written.items()}
    engine = make_engine(url)
    with pytest.raises(DBAPIError), engine.begin() as conn:  # the ledger is append-only again
        conn.execute(text("UPDATE transactions_inventaire SET cause = 'manuel'"))
    engine.dispose()
