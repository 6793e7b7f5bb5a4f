"""The audit trail: every non-stock change, with who and when, in one table and one page."""

from __future__ import annotations

import re
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select

from inventaire.audit import service as audit
from inventaire.audit.models import AuditEntry
from inventaire.auth.models import ApiToken
from inventaire.kit.enums import AuditAction
from inventaire.techniciens import service as techniciens
from tests.commands import run_cli
from tests.helpers import committed, log_in, make_line, make_product, make_technician, make_token


def _trail(db_session) -> list[tuple[str, str, str, dict]]:
    db_session.expire_all()
    rows = db_session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [(e.auteur, e.action, e.objet, e.changements) for e in rows]


def test_product_changes_are_recorded_with_their_author(client, db_session):
    start = len(_trail(db_session))
    assert client.post("/inventaire/catalogue", json={
        "code_produit": "CORD-099", "nom_produit": "Corde 99", "prix_unitaire": 12.5}).status_code == 201
    changed = client.put("/inventaire/catalogue/cord-099", json={"prix_unitaire": 13, "seuil_reorder": 2})
    assert changed.status_code == 200
    assert client.delete("/inventaire/catalogue/CORD-099").status_code == 200
    assert client.put("/inventaire/catalogue/CORD-099", json={"actif": True}).status_code == 200
    trail = _trail(db_session)[start:]
    assert [(who, action, objet) for who, action, objet, _ in trail] == [
        ("bureau", "produit_cree", "CORD-099"), ("bureau", "produit_modifie", "CORD-099"),
        ("bureau", "produit_archive", "CORD-099"), ("bureau", "produit_restaure", "CORD-099")]
    assert trail[0][3]["prix_unitaire"] == [None, "12.5"]
    assert trail[1][3] == {"prix_unitaire": ["12.5", "13"], "seuil_reorder": [None, "2"]}
    assert trail[2][3] == {"actif": [True, False]}


def test_technician_changes_and_stock_moves(client, db_session):
    start = len(_trail(db_session))
    client.post("/inventaire/techniciens", json={"nom": "Zoé"})
    client.put("/inventaire/techniciens/zoé", json={"nom": "Zoé Tremblay"})
    client.put("/inventaire/techniciens/Zoé Tremblay", json={"actif": False})
    actions = [(a, o) for _, a, o, _ in _trail(db_session)[start:]]
    assert actions == [("technicien_cree", "Zoé"), ("technicien_renomme", "Zoé Tremblay"),
                       ("technicien_desactive", "Zoé Tremblay")]


def test_a_stock_movement_is_not_in_the_trail_but_levels_are(pages, db_session):
    allan = make_technician(db_session, nom="Allan")
    make_line(db_session, allan, make_product(db_session, code_produit="CORD-012"), 3)
    db_session.commit()
    start = len(_trail(db_session))
    pages.post("/stock/Allan/CORD-012/ajuster", data={"csrf": pages.csrf, "sens": "utilisation", "quantite": "1"})
    assert _trail(db_session)[start:] == []  # the ledger holds stock movements
    pages.post("/stock/Allan/CORD-012/niveaux", data={"csrf": pages.csrf, "seuil_min": "4", "niveau_par": "12"})
    assert _trail(db_session)[start:] == [
        ("bureau", "niveaux_modifies", "Allan / CORD-012", {"seuil_min": [None, "4"], "niveau_par": [None, "12"]})]


def test_tokens_created_and_revoked_on_the_page_and_in_the_cli(pages, db_session, fresh_database):
    start = len(_trail(db_session))
    key = re.search(r'name="cle" value="([^"]+)"', pages.get("/acces").text).group(1)
    pages.post("/acces", data={"csrf": pages.csrf, "cle": key, "role": "cron", "nom": "cron du matin"})
    [(who, action, objet, _)] = _trail(db_session)[start:]
    assert (who, action, objet) == ("bureau", "jeton_cree", "jeton « cron du matin » (cron)")
    token = db_session.scalar(select(ApiToken).where(ApiToken.nom == "cron du matin"))
    pages.post(f"/acces/{token.id}/revoquer", data={"csrf": pages.csrf})
    assert _trail(db_session)[-1][:2] == ("bureau", "jeton_revoque")
    created = run_cli(fresh_database.url, "token", "create", "--role", "cron")
    assert created.exit_code == 0
    with committed(fresh_database.url) as session:
        [(who, action, _, _)] = _trail(session)
    assert action == "jeton_cree" and who.startswith("ligne de commande (")


def test_rules_are_recorded(client, db_session):
    make_product(db_session, code_produit="PLS-BUV")
    db_session.commit()
    start = len(_trail(db_session))
    rule = client.post("/inventaire/regles", json={"service_id": "mit_2eBOzDvunD7PHs6M", "code_produit": "PLS-BUV",
                                                    "quantite": 1}).json()
    client.put(f"/inventaire/regles/{rule['id']}", json={"quantite": 2})
    client.delete(f"/inventaire/regles/{rule['id']}")
    actions = [(a, o) for _, a, o, _ in _trail(db_session)[start:]]
    rule_name = "mit_2eBOzDvunD7PHs6M → PLS-BUV"
    assert actions == [("regle_creee", rule_name), ("regle_modifiee", rule_name), ("regle_supprimee", rule_name)]


def test_record_is_one_call_in_the_callers_transaction(db_session):
    audit.set_author(db_session, "gazelle")
    audit.record(db_session=db_session, action=AuditAction.REGLE_MODIFIEE, objet="mit_1 → CORD-1",
                 changements={"quantite": [Decimal("1.500"), Decimal(2)]})
    db_session.flush()
    assert _trail(db_session)[-1] == ("gazelle", "regle_modifiee", "mit_1 → CORD-1", {"quantite": ["1.5", "2"]})


def test_the_office_page_lists_and_filters_and_a_technician_cannot_see_it(app, pages, client, db_session):
    client.post("/inventaire/catalogue", json={"code_produit": "CORD-099", "nom_produit": "Corde 99"})
    client.post("/inventaire/techniciens", json={"nom": "Zoé"})
    html = pages.get("/modifications").text
    assert "Produit ajouté" in html and "Technicien ajouté" in html and "bureau" in html
    only = pages.get("/modifications", params={"action": "technicien_cree"}).text
    assert "Zoé" in only and "CORD-099" not in only
    assert "CORD-099" in pages.get("/modifications", params={"objet": "cord-0"}).text
    with TestClient(app, raise_server_exceptions=False) as phone:
        zoe = techniciens.get_by_name(db_session=db_session, nom="Zoé")
        log_in(phone, make_token(db_session, "technicien", technician=zoe))
        assert phone.get("/modifications").status_code == 403


def test_the_trail_says_oui_and_non_not_true_and_false(pages, client, db_session):
    """Issue 25 point 14: « actif : non », never « actif : False »."""
    import html as html_module
    import re

    client.post("/inventaire/ateliers", json={"nom": "Annexe"})
    assert client.put("/inventaire/ateliers/Annexe", json={"actif": False}).status_code == 200
    page = html_module.unescape(pages.get("/modifications").text)
    cells = " ".join(re.sub(r"<[^>]+>", " ", c) for c in re.findall(r'<td class="changements">(.*?)</td>', page, re.S))
    assert "True" not in cells and "False" not in cells
    assert "oui → non" in " ".join(cells.split())
