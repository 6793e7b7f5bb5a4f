"""Every stock movement knows its cause: `cause` and `cause_id`, set by the one writer from what its
caller says, shown with every transaction, filtered on by GET /inventaire/transactions."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from inventaire.backup import opening
from inventaire.stock.models import Transaction
from tests.helpers import database_state, make_line, make_product, make_technician, make_workshop

TRANSACTIONS = "/inventaire/transactions"
PLS = "mit_2eBOzDvunD7PHs6M"


def _causes(db_session, since: int) -> list[tuple[str, str, str | None, int | None]]:
    """(location, type, cause, cause_id) of the ledger rows after id `since`, in order."""
    db_session.expire_all()
    rows = db_session.scalars(select(Transaction).where(Transaction.id > since).order_by(Transaction.id))
    return [(r.emplacement.nom, r.type, r.cause, r.cause_id) for r in rows]


def _last_id(db_session) -> int:
    return db_session.scalar(select(Transaction.id).order_by(Transaction.id.desc()).limit(1)) or 0


def _shop(db_session):
    allan, atelier = make_technician(db_session, nom="Allan"), make_workshop(db_session, nom="Atelier")
    cord = make_product(db_session, code_produit="CORD-012", fournisseur="Röslau", divisible=False)
    felt = make_product(db_session, code_produit="FEUT-01", unite="m")
    make_line(db_session, allan, cord, 2, niveau_par=Decimal(5))
    make_line(db_session, atelier, cord, 20)
    make_line(db_session, atelier, felt, 3)
    db_session.commit()
    return allan, atelier, cord, felt


def test_each_writer_says_what_caused_its_rows(client, db_session, tmp_path):
    _shop(db_session)
    since = _last_id(db_session)
    adjusted = client.post("/inventaire/stock/ajuster", json={
        "technicien": "Allan", "code_produit": "CORD-012", "type": "utilisation", "ajustement": -1})
    assert adjusted.status_code == 200, adjusted.text
    assert (adjusted.json()["cause"], adjusted.json()["cause_id"]) == ("manuel", None)
    counted = client.post("/inventaire/stock/compter", json={"technicien": "Allan", "code_produit": "CORD-012",
                                                             "quantite": 1})
    assert (counted.json()["cause"], counted.json()["cause_id"]) == ("comptage", None)
    moved = client.post("/inventaire/stock/transferer", json={"de": "Atelier", "vers": "Allan",
                                                              "code_produit": "FEUT-01", "quantite": 1})
    assert [(moved.json()[k]["cause"], moved.json()[k]["cause_id"]) for k in ("sortie", "entree")] == [
        ("transfert", None)] * 2

    asked = client.post("/inventaire/demandes", json={"technicien": "Allan", "code_produit": "FEUT-01",
                                                      "quantite": 1})
    request_id = asked.json()["id"]
    served = client.post(f"/inventaire/demandes/{request_id}/servir", json={"atelier": "Atelier"}).json()
    assert served["transfert"]["entree"]["cause"] == "demande"
    assert served["transfert"]["entree"]["cause_id"] == request_id

    prepared = client.post("/inventaire/reapprovisionnement", json={"technicien": "Allan", "atelier": "Atelier"})
    assert prepared.status_code == 200, prepared.text
    [picked] = prepared.json()["transferts"]
    assert (picked["entree"]["code_produit"], picked["entree"]["cause"], picked["entree"]["cause_id"]) == (
        "CORD-012", "preparation", None)

    order = client.post("/inventaire/commandes", json={"fournisseur": "Röslau", "atelier": "Atelier", "lignes": [
        {"code_produit": "CORD-012", "quantite": 4, "prix_unitaire": 18.5}]}).json()
    client.post(f"/inventaire/commandes/{order['id']}/envoyer")
    received = client.post(f"/inventaire/commandes/{order['id']}/recevoir",
                           json={"lignes": [{"code_produit": "CORD-012", "quantite": 4}]})
    assert [(m["cause"], m["cause_id"]) for m in received.json()["mouvements"]] == [("commande", order["id"])]

    client.post("/inventaire/regles", json={"service_id": PLS, "code_produit": "CORD-012", "quantite": 1})
    service = client.post("/inventaire/services", json={
        "source": "gazelle", "id_externe": "inv_7140", "numero": "7140", "statut": "actif", "technicien": "Allan",
        "date": "2026-04-29", "lignes": [{"id_externe": "ini_1", "service_id": PLS, "quantite": 1}]})
    assert service.status_code == 200, service.text
    [deducted] = service.json()["mouvements"]
    service_id = client.get("/inventaire/services").json()[0]["id"]
    assert (deducted["cause"], deducted["cause_id"]) == ("deduction", service_id)

    path = tmp_path / "ouverture.csv"
    path.write_text("code,technicien,quantite\nFEUT-01,Allan,4\n", encoding="utf-8")
    assert opening.import_opening(db_session=db_session, path=path, auteur="essai").importees == 1
    db_session.commit()

    assert _causes(db_session, since) == [
        ("Allan", "utilisation", "manuel", None), ("Allan", "comptage", "comptage", None),
        ("Atelier", "transfert", "transfert", None), ("Allan", "transfert", "transfert", None),
        ("Atelier", "transfert", "demande", request_id), ("Allan", "transfert", "demande", request_id),
        ("Atelier", "transfert", "preparation", None), ("Allan", "transfert", "preparation", None),
        ("Atelier", "reception", "commande", order["id"]), ("Allan", "utilisation", "deduction", service_id),
        ("Allan", "comptage", "import_ouverture", None)]


def test_the_ledger_filters_on_the_cause_and_refuses_an_unknown_one(client, db_session):
    _shop(db_session)
    client.post("/inventaire/stock/transferer", json={"de": "Atelier", "vers": "Allan", "code_produit": "FEUT-01",
                                                      "quantite": 1})
    page = client.get(TRANSACTIONS, params={"cause": "transfert"}).json()
    assert page["total"] == 2 and {(i["cause"], i["type"]) for i in page["items"]} == {("transfert", "transfert")}
    manual = client.get(TRANSACTIONS, params={"cause": "manuel"}).json()
    assert manual["total"] == 3 and {i["cause"] for i in manual["items"]} == {"manuel"}  # make_line's receptions
    assert client.get(TRANSACTIONS, params={"cause": "commande"}).json() == {
        "items": [], "total": 0, "limit": 50, "offset": 0}
    before = database_state(db_session)
    refused = client.get(TRANSACTIONS, params={"cause": "vol"})
    assert refused.status_code == 422
    [error] = refused.json()["detail"]
    assert error["loc"] == ["query", "cause"] and error["msg"].startswith("cause : valeur invalide (valeurs possibles :")
    assert database_state(db_session) == before


def test_a_deductions_rows_are_read_by_its_cause_not_its_reference(client, db_session):
    """A person's change typed with the invoice's reference and the source as author is not the service's."""
    allan, _, cord, _ = _shop(db_session)
    from inventaire.deductions import overview
    from inventaire.kit.database import utcnow
    from inventaire.stock import service as stock

    start = utcnow()
    client.post("/inventaire/regles", json={"service_id": PLS, "code_produit": "CORD-012", "quantite": 1})
    client.post("/inventaire/services", json={
        "source": "gazelle", "id_externe": "inv_7140", "numero": "7140", "statut": "actif", "technicien": "Allan",
        "date": "2026-04-29", "lignes": [{"id_externe": "ini_1", "service_id": PLS, "quantite": 1}]})
    stock.adjust(db_session=db_session, location=allan, product=cord, kind="utilisation", delta=Decimal(-1),
                 auteur="gazelle", reference="Facture #7140", cause="manuel")
    db_session.commit()
    [row] = overview.services_with_moves(db_session=db_session)
    assert [(m.type, m.cause) for m in row.mouvements] == [("utilisation", "deduction")]
    assert [m.cause for m in overview.van_today(db_session=db_session, technician=allan, since=start)] == ["deduction"]
