"""The audit trail follows workshops and supplier orders: one row per change, with its author and
what changed, through the API and the pages; receptions only as the order's change of state."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from inventaire.ateliers import service as ateliers
from inventaire.audit import service as audit
from inventaire.audit.models import AuditEntry
from inventaire.commandes.models import Order
from inventaire.kit.names import name_key
from tests.helpers import make_product, make_workshop

COMMANDES = "/inventaire/commandes"


def _trail(db_session) -> list[tuple[str, str, str, dict]]:
    db_session.expire_all()
    rows = db_session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [(e.auteur, e.action, e.objet, e.changements) for e in rows]


def _shop(db_session) -> None:
    make_workshop(db_session, nom="Atelier")
    make_workshop(db_session, nom="Entrepôt")
    make_product(db_session, code_produit="CORD-012", unite="bobine", fournisseur="Röslau", divisible=False,
                 prix_unitaire=Decimal("18.50"))
    make_product(db_session, code_produit="FEUT-01", unite="m", fournisseur="Röslau", prix_unitaire=Decimal("24.00"))
    make_product(db_session, code_produit="CHEV-7", unite="unité", divisible=False, prix_unitaire=Decimal("0.95"))
    db_session.commit()


def test_a_workshop_added_through_the_api_and_the_page(client, pages, db_session):
    start = len(_trail(db_session))
    assert client.post("/inventaire/ateliers", json={"nom": "Atelier Nord"}).status_code == 201
    added = pages.post("/ateliers", data={"csrf": pages.csrf, "nom": "Atelier Sud"}, follow_redirects=False)
    assert added.status_code == 303
    assert _trail(db_session)[start:] == [
        ("bureau", "atelier_cree", "Atelier Nord", {"nom": [None, "Atelier Nord"], "actif": [None, True]}),
        ("bureau", "atelier_cree", "Atelier Sud", {"nom": [None, "Atelier Sud"], "actif": [None, True]})]
    refused = pages.post("/ateliers", data={"csrf": pages.csrf, "nom": "atelier nord"})
    assert refused.status_code == 409 and len(_trail(db_session)) == start + 2  # a refusal writes nothing


def test_a_workshop_renamed_deactivated_reactivated(db_session):
    """No route renames or deactivates a workshop yet: whoever changes one (CLI, script) is recorded."""
    make_workshop(db_session, nom="Atelier Est")
    db_session.commit()
    start = len(_trail(db_session))
    audit.set_author(db_session, "ligne de commande (essai)")
    workshop = ateliers.get_or_404(db_session=db_session, nom="atelier est")
    workshop.nom, workshop.nom_cle = "Atelier Est (vieux)", name_key("Atelier Est (vieux)")
    db_session.flush()
    workshop.actif = False
    db_session.flush()
    workshop.actif = True
    db_session.commit()
    assert _trail(db_session)[start:] == [
        ("ligne de commande (essai)", "atelier_renomme", "Atelier Est (vieux)",
         {"nom": ["Atelier Est", "Atelier Est (vieux)"]}),
        ("ligne de commande (essai)", "atelier_desactive", "Atelier Est (vieux)", {"actif": [True, False]}),
        ("ligne de commande (essai)", "atelier_reactive", "Atelier Est (vieux)", {"actif": [False, True]})]
    assert ateliers.get_by_name(db_session=db_session, nom="atelier est (vieux)") is not None


def test_an_order_through_the_api_one_row_per_change(client, db_session):
    _shop(db_session)
    start = len(_trail(db_session))
    order = client.post(COMMANDES, json={"fournisseur": "Röslau", "atelier": "Atelier", "lignes": [
        {"code_produit": "CORD-012", "quantite": 10, "prix_unitaire": 18.5},
        {"code_produit": "FEUT-01", "quantite": 2.5, "prix_unitaire": 24}]}).json()
    oid, numero = order["id"], order["numero"]
    edited = client.put(f"{COMMANDES}/{oid}", json={"fournisseur": "Röslau Gmbh", "atelier": "Entrepôt", "lignes": [
        {"code_produit": "CORD-012", "quantite": 12, "prix_unitaire": 18.5},
        {"code_produit": "CHEV-7", "quantite": 24, "prix_unitaire": 0.95}]})
    assert edited.status_code == 200, edited.text
    same = client.put(f"{COMMANDES}/{oid}", json={"lignes": [
        {"code_produit": "CORD-012", "quantite": 12, "prix_unitaire": 18.5},
        {"code_produit": "CHEV-7", "quantite": 24, "prix_unitaire": 0.95}]})
    assert same.status_code == 200  # nothing changed: nothing recorded
    assert client.post(f"{COMMANDES}/{oid}/envoyer").status_code == 200
    assert client.post(f"{COMMANDES}/{oid}/annuler").status_code == 409  # refused: nothing recorded
    for lines in ([{"code_produit": "CORD-012", "quantite": 2}], [{"code_produit": "CORD-012", "quantite": 3}],
                  [{"code_produit": "CORD-012", "quantite": 7}, {"code_produit": "CHEV-7", "quantite": 24}]):
        assert client.post(f"{COMMANDES}/{oid}/recevoir", json={"lignes": lines}).status_code == 200
    trail = _trail(db_session)[start:]
    assert [(who, action, objet) for who, action, objet, _ in trail] == [
        ("bureau", "commande_creee", numero), ("bureau", "commande_modifiee", numero),
        ("bureau", "commande_envoyee", numero), ("bureau", "commande_partielle", numero),
        ("bureau", "commande_recue", numero)]  # the second partial reception is the ledger's only
    assert trail[0][3] == {"fournisseur": [None, "Röslau"], "statut": [None, "brouillon"], "atelier": [None, "Atelier"],
                           "ligne CORD-012": [None, "10 bobines à 18,50 $"], "ligne FEUT-01": [None, "2,5 m à 24,00 $"]}
    assert trail[1][3] == {"fournisseur": ["Röslau", "Röslau Gmbh"], "atelier": ["Atelier", "Entrepôt"],
                           "ligne CORD-012": ["10 bobines à 18,50 $", "12 bobines à 18,50 $"],
                           "ligne FEUT-01": ["2,5 m à 24,00 $", None], "ligne CHEV-7": [None, "24 unités à 0,95 $"]}
    assert [x[3] for x in trail[2:]] == [{"statut": ["brouillon", "envoyee"]}, {"statut": ["envoyee", "partielle"]},
                                         {"statut": ["partielle", "recue"]}]

    other = client.post(COMMANDES, json={"fournisseur": "Röslau", "atelier": "Atelier", "lignes": [
        {"code_produit": "CHEV-7", "quantite": 1, "prix_unitaire": 1}]}).json()
    assert client.post(f"{COMMANDES}/{other['id']}/annuler").status_code == 200
    assert _trail(db_session)[-1] == ("bureau", "commande_annulee", other["numero"], {"statut": ["brouillon", "annulee"]})


def _key(html: str, form_id: str | None = None) -> str:
    start = html.index(f'id="{form_id}"') if form_id else 0
    return re.search(r'name="cle" value="([^"]+)"', html[start:]).group(1)


def _last_order(db_session) -> Order:
    db_session.expire_all()
    return db_session.scalars(select(Order).order_by(Order.id.desc())).first()


def test_an_order_through_the_pages_then_the_office_page(pages, db_session):
    _shop(db_session)
    start = len(_trail(db_session))
    form = {"csrf": pages.csrf, "cle": _key(pages.get("/commandes").text), "fournisseur": "Röslau",
            "atelier": "Atelier", "code-0": "CORD-012", "quantite-0": "2", "prix-0": "18,50"}
    assert pages.post("/commandes/nouvelle", data=form, follow_redirects=False).status_code == 303
    assert pages.post("/commandes/nouvelle", data=form, follow_redirects=False).status_code == 303  # double click
    order = _last_order(db_session)
    edit = {"csrf": pages.csrf, "fournisseur": "Röslau", "atelier": "Atelier", "code-0": "CORD-012",
            "quantite-0": "3", "prix-0": "18,50"}
    assert pages.post(f"/commandes/{order.id}/modifier", data=edit, follow_redirects=False).status_code == 303
    assert pages.post(f"/commandes/{order.id}/envoyer", data={"csrf": pages.csrf},
                      follow_redirects=False).status_code == 303
    page = pages.get(f"/commandes/{order.id}").text
    receive = {"csrf": pages.csrf, "cle": _key(page, "recevoir"), "recu-CORD-012": "3"}
    assert pages.post(f"/commandes/{order.id}/recevoir", data=receive, follow_redirects=False).status_code == 303
    form = {**form, "cle": _key(pages.get("/commandes").text)}
    pages.post("/commandes/nouvelle", data=form)
    draft = _last_order(db_session)
    assert pages.post(f"/commandes/{draft.id}/annuler", data={"csrf": pages.csrf},
                      follow_redirects=False).status_code == 303
    trail = _trail(db_session)[start:]
    assert [(who, action, objet) for who, action, objet, _ in trail] == [
        ("bureau", "commande_creee", order.numero), ("bureau", "commande_modifiee", order.numero),
        ("bureau", "commande_envoyee", order.numero), ("bureau", "commande_recue", order.numero),
        ("bureau", "commande_creee", draft.numero), ("bureau", "commande_annulee", draft.numero)]
    assert trail[1][3] == {"ligne CORD-012": ["2 bobines à 18,50 $", "3 bobines à 18,50 $"]}
    assert trail[3][3] == {"statut": ["envoyee", "recue"]}

    html = pages.get("/modifications").text
    for label in ("Commande créée", "Commande modifiée", "Commande envoyée", "Commande reçue", "Commande annulée"):
        assert f"<td>{label}</td>" in html
    assert "Envoyée → Reçue" in html and "ligne CORD-012 :" in html
    for value, label in (("atelier_cree", "Atelier ajouté"), ("atelier_renomme", "Atelier renommé"),
                         ("atelier_desactive", "Atelier désactivé"), ("atelier_reactive", "Atelier réactivé"),
                         ("commande_creee", "Commande créée"), ("commande_modifiee", "Commande modifiée"),
                         ("commande_envoyee", "Commande envoyée"), ("commande_annulee", "Commande annulée"),
                         ("commande_partielle", "Commande reçue en partie"), ("commande_recue", "Commande reçue")):
        assert f'<option value="{value}">{label}</option>' in html
    only = pages.get("/modifications", params={"action": "commande_annulee"}).text
    assert draft.numero in only and order.numero not in only and "Brouillon → Annulée" in only
    assert "1 modification" in only
    workshops = pages.get("/modifications", params={"action": "atelier_cree"}).text
    assert "<td>Atelier ajouté</td>" in workshops and "Entrepôt" in workshops
    assert pages.get("/modifications", params={"objet": order.numero.lower()}).text.count("<tr data-action") == 4
