"""Every route × every role, with the expected status; a route missing from the table fails.

The requests target Allan's stock. `technicien-own` is Allan's token, `technicien-other`
Margot's; `revoked` is a revoked admin token. Each role runs in a savepoint rolled back
afterwards, so every role sees the same data, and a refused request must change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import select

from inventaire.ateliers import service as ateliers
from inventaire.auth import service as auth
from inventaire.catalogue import service as catalogue
from inventaire.checks import service as checks
from inventaire.commandes import service as orders
from inventaire.demandes import service as demandes
from inventaire.fournisseurs import service as suppliers
from inventaire.models import Base
from inventaire.regles import service as regles
from inventaire.techniciens import service as techniciens
from tests.helpers import bearer, make_line, make_product, make_technician

ROLES = ("admin", "technicien-own", "technicien-other", "cron", "anonymous", "revoked")


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    params: dict = field(default_factory=dict)
    json: dict | None = None


def expect(admin: int, own: int, other: int, cron: int, anonymous: int = 401, revoked: int = 401) -> dict:
    return dict(zip(ROLES, (admin, own, other, cron, anonymous, revoked), strict=False))


ADJUST = {"technicien": "Allan", "code_produit": "CORD-001", "ajustement": -1, "type": "utilisation"}
COUNT = {"technicien": "Allan", "code_produit": "CORD-001", "quantite": 9}
PRODUCT = {"code_produit": "NEW-001", "nom_produit": "Feutre neuf", "prix_unitaire": 3}

# (method, route path) → (a request, the expected status per role, whether it takes Idempotency-Key)
MATRIX: dict[tuple[str, str], tuple[Call, dict, bool]] = {
    ("GET", "/health"): (Call("GET", "/health"), expect(200, 200, 200, 200, 200, 200), False),
    ("GET", "/inventaire/catalogue"): (Call("GET", "/inventaire/catalogue"), expect(200, 200, 200, 403), False),
    ("POST", "/inventaire/catalogue"): (
        Call("POST", "/inventaire/catalogue", json=PRODUCT), expect(201, 403, 403, 403), False),
    ("GET", "/inventaire/catalogue/{code}"): (
        Call("GET", "/inventaire/catalogue/CORD-001"), expect(200, 200, 200, 403), False),
    ("PUT", "/inventaire/catalogue/{code}"): (
        Call("PUT", "/inventaire/catalogue/CORD-001", json={"prix_unitaire": 4}), expect(200, 403, 403, 403), False),
    ("DELETE", "/inventaire/catalogue/{code}"): (
        Call("DELETE", "/inventaire/catalogue/CORD-001"), expect(200, 403, 403, 403), False),
    ("GET", "/inventaire/techniciens"): (Call("GET", "/inventaire/techniciens"), expect(200, 403, 403, 403), False),
    ("POST", "/inventaire/techniciens"): (
        Call("POST", "/inventaire/techniciens", json={"nom": "Nicolas"}), expect(201, 403, 403, 403), False),
    ("PUT", "/inventaire/techniciens/{nom}"): (
        Call("PUT", "/inventaire/techniciens/Allan", json={"email": "allan@example.com"}),
        expect(200, 403, 403, 403), False),
    ("GET", "/inventaire/ateliers"): (Call("GET", "/inventaire/ateliers"), expect(200, 200, 200, 403), False),
    ("POST", "/inventaire/ateliers"): (
        Call("POST", "/inventaire/ateliers", json={"nom": "Réserve"}), expect(201, 403, 403, 403), False),
    ("PUT", "/inventaire/ateliers/{nom}"): (
        Call("PUT", "/inventaire/ateliers/Atelier", json={"actif": True}), expect(200, 403, 403, 403), False),
    ("POST", "/inventaire/stock/transferer"): (
        Call("POST", "/inventaire/stock/transferer", json={"de": "Allan", "vers": "Margot", "code_produit": "CORD-001",
                                                           "quantite": 1}), expect(201, 403, 403, 403), True),
    ("GET", "/inventaire/demandes"): (Call("GET", "/inventaire/demandes"), expect(200, 200, 200, 403), False),
    ("POST", "/inventaire/demandes"): (
        Call("POST", "/inventaire/demandes", json={"technicien": "Allan", "code_produit": "CORD-001", "quantite": 1}),
        expect(201, 201, 403, 403), True),
    ("POST", "/inventaire/demandes/{demande_id}/servir"): (
        Call("POST", "/inventaire/demandes/{demande_id}/servir", json={"atelier": "Atelier"}),
        expect(200, 403, 403, 403), True),
    ("POST", "/inventaire/demandes/{demande_id}/refuser"): (
        Call("POST", "/inventaire/demandes/{demande_id}/refuser", json={"motif": "Non"}),
        expect(200, 403, 403, 403), True),
    ("GET", "/inventaire/reapprovisionnement"): (
        Call("GET", "/inventaire/reapprovisionnement", params={"technicien": "Allan", "atelier": "Atelier"}),
        expect(200, 403, 403, 403), False),
    ("POST", "/inventaire/reapprovisionnement"): (
        Call("POST", "/inventaire/reapprovisionnement", json={"technicien": "Allan", "atelier": "Atelier"}),
        expect(200, 403, 403, 403), True),
    ("GET", "/inventaire/commandes"): (Call("GET", "/inventaire/commandes"), expect(200, 403, 403, 403), False),
    ("POST", "/inventaire/commandes"): (
        Call("POST", "/inventaire/commandes", json={"fournisseur": "Röslau", "atelier": "Atelier", "lignes": [
            {"code_produit": "CORD-001", "quantite": 2, "prix_unitaire": 1}]}), expect(201, 403, 403, 403), True),
    ("GET", "/inventaire/commandes/suggestion"): (
        Call("GET", "/inventaire/commandes/suggestion", params={"atelier": "Atelier"}),
        expect(200, 403, 403, 403), False),
    ("GET", "/inventaire/commandes/{commande_id}"): (
        Call("GET", "/inventaire/commandes/{brouillon}"), expect(200, 403, 403, 403), False),
    ("PUT", "/inventaire/commandes/{commande_id}"): (
        Call("PUT", "/inventaire/commandes/{brouillon}", json={"fournisseur": "Mapes"}),
        expect(200, 403, 403, 403), False),
    ("POST", "/inventaire/commandes/{commande_id}/envoyer"): (
        Call("POST", "/inventaire/commandes/{brouillon}/envoyer"), expect(200, 403, 403, 403), True),
    ("POST", "/inventaire/commandes/{commande_id}/annuler"): (
        Call("POST", "/inventaire/commandes/{brouillon}/annuler"), expect(200, 403, 403, 403), True),
    ("POST", "/inventaire/commandes/{commande_id}/recevoir"): (
        Call("POST", "/inventaire/commandes/{envoyee}/recevoir",
             json={"lignes": [{"code_produit": "CORD-001", "quantite": 1}]}), expect(200, 403, 403, 403), True),
    ("GET", "/inventaire/fournisseurs"): (Call("GET", "/inventaire/fournisseurs"), expect(200, 403, 403, 403), False),
    ("POST", "/inventaire/fournisseurs"): (
        Call("POST", "/inventaire/fournisseurs", json={"nom": "Mapes", "delai_jours": 10}),
        expect(201, 403, 403, 403), False),
    ("GET", "/inventaire/fournisseurs/{nom:path}"): (
        Call("GET", "/inventaire/fournisseurs/roslau"), expect(200, 403, 403, 403), False),
    ("PUT", "/inventaire/fournisseurs/{nom:path}"): (
        Call("PUT", "/inventaire/fournisseurs/Röslau", json={"delai_jours": 12}), expect(200, 403, 403, 403), False),
    ("GET", "/inventaire/entreprise"): (Call("GET", "/inventaire/entreprise"), expect(200, 403, 403, 403), False),
    ("PUT", "/inventaire/entreprise"): (
        Call("PUT", "/inventaire/entreprise", json={"nom": "Pianos Tremblay inc."}), expect(200, 403, 403, 403), False),
    ("GET", "/inventaire/entretiens-pls"): (
        Call("GET", "/inventaire/entretiens-pls"), expect(200, 403, 403, 403), False),
    ("GET", "/inventaire/stock/{technicien}"): (
        Call("GET", "/inventaire/stock/allan"), expect(200, 200, 403, 403), False),
    ("POST", "/inventaire/stock/ajuster"): (
        Call("POST", "/inventaire/stock/ajuster", json=ADJUST), expect(200, 200, 403, 403), True),
    ("POST", "/inventaire/stock/compter"): (
        Call("POST", "/inventaire/stock/compter", json=COUNT), expect(200, 200, 403, 403), True),
    ("PUT", "/inventaire/stock/{technicien}/{code}"): (
        Call("PUT", "/inventaire/stock/Allan/CORD-001", json={"seuil_min": 2}), expect(200, 403, 403, 403), False),
    ("GET", "/inventaire/transactions"): (
        Call("GET", "/inventaire/transactions", params={"technicien": "Allan"}), expect(200, 200, 403, 403), False),
    ("GET", "/inventaire/stats/{technicien}"): (
        Call("GET", "/inventaire/stats/Allan"), expect(200, 200, 403, 403), False),
    ("GET", "/inventaire/previsions"): (
        Call("GET", "/inventaire/previsions", params={"technicien": "Allan"}), expect(200, 200, 403, 403), False),
    ("GET", "/inventaire/rendez-vous"): (
        Call("GET", "/inventaire/rendez-vous", params={"technicien": "Allan"}), expect(200, 200, 403, 403), False),
    ("GET", "/inventaire/chargement/{technicien}"): (
        Call("GET", "/inventaire/chargement/Allan"), expect(200, 200, 403, 403), False),
    ("POST", "/inventaire/check-stock"): (
        Call("POST", "/inventaire/check-stock", params={"notifier": "false"}), expect(200, 403, 403, 200), False),
    ("GET", "/inventaire/verifications"): (
        Call("GET", "/inventaire/verifications", params={"technicien": "Allan"}), expect(200, 403, 403, 403), False),
    ("GET", "/inventaire/verifications/{verification_id}"): (
        Call("GET", "/inventaire/verifications/{verification_id}"), expect(200, 403, 403, 403), False),
    ("GET", "/inventaire/regles"): (Call("GET", "/inventaire/regles"), expect(200, 403, 403, 403), False),
    ("POST", "/inventaire/regles"): (
        Call("POST", "/inventaire/regles", json={"service_id": "mit_nouveau", "code_produit": "CORD-001",
                                                 "quantite": 1}), expect(201, 403, 403, 403), False),
    ("PUT", "/inventaire/regles/{rule_id}"): (
        Call("PUT", "/inventaire/regles/{rule_id}", json={"quantite": 2}), expect(200, 403, 403, 403), False),
    ("DELETE", "/inventaire/regles/{rule_id}"): (
        Call("DELETE", "/inventaire/regles/{rule_id}"), expect(200, 403, 403, 403), False),
    ("POST", "/inventaire/services"): (
        Call("POST", "/inventaire/services", json={
            "source": "gazelle", "id_externe": "inv_1", "numero": "1", "statut": "actif", "technicien": "Allan",
            "lignes": [{"id_externe": "ini_1", "service_id": "mit_2eBOzDvunD7PHs6M", "quantite": 1}]}),
        expect(200, 403, 403, 200), False),
    ("GET", "/inventaire/services"): (Call("GET", "/inventaire/services"), expect(200, 403, 403, 403), False),
    ("GET", "/inventaire/services/{source}/{id_externe}"): (
        Call("GET", "/inventaire/services/gazelle/inv_0"), expect(404, 403, 403, 403), False),
    ("GET", "/inventaire/manques"): (Call("GET", "/inventaire/manques"), expect(200, 403, 403, 403), False),
    # Gazelle is not configured here: the office and the cron job get the French 409 that says so.
    ("POST", "/inventaire/gazelle/sync"): (
        Call("POST", "/inventaire/gazelle/sync", params={"apercu": "true"}), expect(409, 403, 403, 409), False),
    ("GET", "/inventaire/gazelle/etat"): (Call("GET", "/inventaire/gazelle/etat"), expect(200, 403, 403, 403), False),
    ("POST", "/inventaire/gazelle/verifier"): (
        Call("POST", "/inventaire/gazelle/verifier"), expect(409, 403, 403, 403), False),
    ("GET", "/inventaire/gazelle/syncs"): (
        Call("GET", "/inventaire/gazelle/syncs"), expect(200, 403, 403, 403), False),
    ("GET", "/inventaire/gazelle/syncs/{sync_id}"): (
        Call("GET", "/inventaire/gazelle/syncs/1"), expect(404, 403, 403, 403), False),
}


def app_routes(app) -> set[tuple[str, str]]:
    """Every (method, path) the API serves: /inventaire/… and /health."""
    return {
        (method, route.path)
        for route in iter_route_contexts(app.routes)  # included routers are resolved lazily
        if isinstance(route.original_route, APIRoute)
        and (route.path.startswith("/inventaire") or route.path == "/health")
        for method in route.methods
    }


def test_every_route_is_in_the_matrix(app):
    missing = app_routes(app) - set(MATRIX)
    assert not missing, f"routes without expected statuses per role, add them to MATRIX: {sorted(missing)}"
    gone = set(MATRIX) - app_routes(app)
    assert not gone, f"MATRIX lists routes the app no longer serves: {sorted(gone)}"


def test_idempotency_key_where_stock_changes(app):
    paths = app.openapi()["paths"]
    for (method, path), (_, _, idempotent) in MATRIX.items():
        params = paths[path.replace(":path", "")][method.lower()].get("parameters", [])
        takes_key = any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in params)
        assert takes_key == idempotent, (method, path)


@pytest.fixture
def ids(tokens, db_session) -> dict[str, int]:
    """Ids that path templates refer to (sequences are not rolled back, so they vary)."""
    verification = checks.run_check(db_session=db_session, technician=None, seuil_critique=None,
                                    default=Decimal("5"), declenchee_par="essai")
    rule = regles.create(db_session=db_session, service_id="mit_2eBOzDvunD7PHs6M", quantite=Decimal(1),
                         product=catalogue.get_by_code(db_session=db_session, code_produit="CORD-001"))
    workshop = ateliers.create(db_session=db_session, nom="Atelier")
    suppliers.create(db_session=db_session, data={"nom": "Röslau"})
    cord = catalogue.get_by_code(db_session=db_session, code_produit="CORD-001")
    make_line(db_session, workshop, cord, 10)
    request = demandes.create(db_session=db_session, technician=techniciens.get_by_name(db_session=db_session, nom="Allan"),
                              product=cord, quantity=Decimal(1), note=None, auteur="Allan")
    draft, sent = (orders.create(db_session=db_session, fournisseur="Röslau", workshop=workshop, auteur="essai",
                                 tz="America/Montreal", lines=[orders.LineIn(cord, Decimal(2), Decimal(1))])
                   for _ in range(2))
    orders.send(db_session=db_session, order=sent)
    db_session.commit()
    return {"verification_id": verification.id, "rule_id": rule.id, "demande_id": request.id,
            "brouillon": draft.id, "envoyee": sent.id}


@pytest.fixture
def tokens(db_session) -> dict[str, str | None]:
    allan = make_technician(db_session, nom="Allan")
    margot = make_technician(db_session, nom="Margot")
    product = make_product(db_session, code_produit="CORD-001")
    make_line(db_session, allan, product, 10)
    make_line(db_session, margot, product, 10)
    revoked, row = auth.create_token(db_session=db_session, role="admin", nom="ancien")
    auth.revoke(db_session=db_session, token_id=row.id)
    result = {
        "admin": auth.create_token(db_session=db_session, role="admin")[0],
        "technicien-own": auth.create_token(db_session=db_session, role="technicien", technician=allan)[0],
        "technicien-other": auth.create_token(db_session=db_session, role="technicien", technician=margot)[0],
        "cron": auth.create_token(db_session=db_session, role="cron")[0],
        "anonymous": None,
        "revoked": revoked,
    }
    db_session.commit()
    return result


def snapshot(connection) -> dict:
    """Every row of every table but the tokens (whose last-used time moves on success) and the
    failed-authentication counter (a refused token is counted on purpose: auth/throttle.py)."""
    return {
        table.name: sorted(map(tuple, connection.execute(select(table)).all()), key=repr)
        for table in Base.metadata.sorted_tables
        if table.name not in ("api_tokens", "echecs_authentification")
    }


@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]} {r[1]}")
def test_route_per_role(route, anon_client, tokens, ids, connection):
    call, expected, _ = MATRIX[route]
    path = call.path.format(**ids)
    for role in ROLES:
        savepoint = connection.begin_nested()
        before = snapshot(connection)
        headers = bearer(tokens[role]) if tokens[role] else {}
        response = anon_client.request(call.method, path, params=call.params, json=call.json, headers=headers)
        assert response.status_code == expected[role], (role, response.text)
        if response.status_code >= 400:
            assert isinstance(response.json()["detail"], str)
            assert snapshot(connection) == before, f"{role}: a refused request changed data"
        savepoint.rollback()
