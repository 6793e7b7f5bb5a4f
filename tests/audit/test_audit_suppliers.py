"""The audit trail follows suppliers: created and changed through the API and the page, one row per
change with its author and what changed, shown on the office's « Modifications » page. Both databases."""

from __future__ import annotations

import html

from sqlalchemy import select

from inventaire.audit.models import AuditEntry

ROSLAU = {"nom": "Röslau", "courriel": "commandes@roslau.example", "telephone": "514 555-0199", "delai_jours": 10,
          "minimum_commande": 150, "notes": None}


def _trail(db_session) -> list[tuple[str, str, str, dict]]:
    db_session.expire_all()
    rows = db_session.scalars(select(AuditEntry).where(AuditEntry.action.like("fournisseur%")).order_by(AuditEntry.id))
    return [(e.auteur, e.action, e.objet, e.changements) for e in rows]


def test_suppliers_through_the_api(client, pages, db_session):
    assert client.post("/inventaire/fournisseurs", json=ROSLAU).status_code == 201
    changed = client.put("/inventaire/fournisseurs/roslau", json={"delai_jours": 12, "courriel": None})
    assert changed.status_code == 200, changed.text
    assert client.put("/inventaire/fournisseurs/Röslau", json={"delai_jours": 12}).status_code == 200  # no change
    assert _trail(db_session) == [
        ("bureau", "fournisseur_cree", "Röslau", {
            "nom": [None, "Röslau"], "courriel": [None, "commandes@roslau.example"],
            "telephone": [None, "514 555-0199"], "delai_jours": [None, 10], "minimum_commande": [None, "150"]}),
        ("bureau", "fournisseur_modifie", "Röslau", {
            "courriel": ["commandes@roslau.example", None], "delai_jours": [10, 12]}),
    ]
    refused = client.post("/inventaire/fournisseurs", json={"nom": "ROSLAU"})
    assert refused.status_code == 409 and len(_trail(db_session)) == 2  # a refusal writes nothing

    page = html.unescape(pages.get("/modifications", params={"action": "fournisseur_modifie"}).text)
    rows = page.split("<tbody")[-1]
    assert "Fournisseur modifié" in rows and "Röslau" in rows and "10 → 12" in rows and "Fournisseur ajouté" not in rows


def test_suppliers_through_the_page(pages, db_session):
    form = {"nom": "Mapes", "courriel": "", "telephone": "", "delai_jours": "7", "minimum_commande": "",
            "notes": "", "csrf": pages.csrf}
    assert pages.post("/fournisseurs/nouveau", data=form, follow_redirects=False).status_code == 303
    renamed = pages.post("/fournisseurs/Mapes/modifier", data={**form, "nom": "Mapes Piano"}, follow_redirects=False)
    assert renamed.status_code == 303
    bad = pages.post("/fournisseurs/Mapes%20Piano/modifier", data={**form, "delai_jours": "beaucoup"})
    assert bad.status_code == 422
    assert [(action, objet, changes) for _, action, objet, changes in _trail(db_session)] == [
        ("fournisseur_cree", "Mapes", {"nom": [None, "Mapes"], "delai_jours": [None, 7]}),
        ("fournisseur_modifie", "Mapes Piano", {"nom": ["Mapes", "Mapes Piano"]}),
    ]
    rows = html.unescape(pages.get("/modifications").text).split("<tbody")[-1]
    assert "Fournisseur ajouté" in rows and "Fournisseur modifié" in rows and "Mapes Piano" in rows
