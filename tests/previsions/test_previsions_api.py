"""GET /inventaire/previsions: the contract's fields, roles, and French refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from inventaire.auth import service as auth
from inventaire.kit.database import utcnow
from inventaire.stock import reading as stock_lines
from inventaire.stock import service as stock
from tests.helpers import bearer, make_product, make_technician


def _ledger(db_session):
    allan, margot = make_technician(db_session, nom="Allan"), make_technician(db_session, nom="Margot")
    buvards = make_product(db_session, code_produit="PLS-BUVARDS", nom_produit="Buvards PLS", unite="jeu")
    now = utcnow()
    for tech in (allan, margot):
        stock.adjust(db_session=db_session, location=tech, product=buvards, kind="reception",
                     delta=Decimal(40), auteur="essai", at=now - dt.timedelta(days=70), cause="manuel")
    for day in range(1, 61, 2):  # Allan uses one every other day: 10 left, about 20 days
        stock.adjust(db_session=db_session, location=allan, product=buvards, kind="utilisation",
                     delta=Decimal(-1), auteur="essai", at=now - dt.timedelta(days=day), cause="manuel")
    db_session.commit()
    return allan, margot


def test_admin_sees_every_line_and_each_product(client, db_session):
    _ledger(db_session)
    response = client.get("/inventaire/previsions")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["jours"] == 90 and body["technicien"] is None
    lines = {(row["technicien"], row["code_produit"]): row for row in body["lignes"]}
    allan = lines[("Allan", "PLS-BUVARDS")]
    assert allan["quantite"] == 10 and allan["consommation_periode"] == 30
    assert 0.45 <= allan["consommation_par_jour"] <= 0.55
    assert 18 <= allan["jours_de_couverture"] <= 23
    assert dt.date.fromisoformat(allan["rupture_prevue"]) > dt.date.today()
    margot = lines[("Margot", "PLS-BUVARDS")]
    assert margot["jours_de_couverture"] is None and margot["rupture_prevue"] is None
    [product] = body["produits"]
    assert product["code_produit"] == "PLS-BUVARDS" and product["quantite"] == 50 and product["lignes"] == 2


def test_one_technician_and_the_period(client, db_session):
    _ledger(db_session)
    body = client.get("/inventaire/previsions", params={"technicien": "allan", "jours": 10}).json()
    assert body["technicien"] == "Allan" and body["jours"] == 10 and body["produits"] is None
    [line] = body["lignes"]
    assert line["consommation_periode"] == 5


def test_a_technician_sees_their_own(app, db_session):
    from fastapi.testclient import TestClient

    allan, _ = _ledger(db_session)
    raw, _ = auth.create_token(db_session=db_session, role="technicien", technician=allan)
    db_session.commit()
    with TestClient(app, headers=bearer(raw)) as phone:
        body = phone.get("/inventaire/previsions").json()
        assert body["technicien"] == "Allan" and {line["technicien"] for line in body["lignes"]} == {"Allan"}
        refused = phone.get("/inventaire/previsions", params={"technicien": "Margot"})
        assert refused.status_code == 403 and "propre stock" in refused.json()["detail"]


def test_refusals_in_french(client, db_session):
    unknown = client.get("/inventaire/previsions", params={"technicien": "Personne"})
    assert unknown.status_code == 404 and unknown.json()["detail"] == "Technicien inconnu : « Personne »."
    for jours in ("0", "abc", "5000"):
        bad = client.get("/inventaire/previsions", params={"jours": jours})
        assert bad.status_code == 422, jours


def test_a_workshop_by_name(app, client, db_session):
    """A workshop's name works as a technician's does; transfers out of it are not uses."""
    from fastapi.testclient import TestClient

    from tests.helpers import make_workshop

    allan, _ = _ledger(db_session)
    workshop = make_workshop(db_session, nom="Atelier")
    buvards = next(line.produit for line in stock_lines.list_lines(db_session=db_session, location=allan))
    now = utcnow()
    stock.adjust(db_session=db_session, location=workshop, product=buvards, kind="reception", delta=Decimal(50),
                 auteur="essai", at=now - dt.timedelta(days=30), cause="manuel")
    stock.adjust(db_session=db_session, location=workshop, product=buvards, kind="utilisation", delta=Decimal(-9),
                 auteur="essai", at=now - dt.timedelta(days=3), cause="manuel")
    stock.transfer(db_session=db_session, source=workshop, target=allan, product=buvards, quantity=Decimal(20),
                   auteur="essai")
    raw, _ = auth.create_token(db_session=db_session, role="technicien", technician=allan)
    db_session.commit()
    response = client.get("/inventaire/previsions", params={"technicien": "atelier", "jours": 90})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["technicien"] == "Atelier"
    [line] = body["lignes"]
    assert (line["technicien"], line["quantite"], line["consommation_periode"]) == ("Atelier", 21, 9)
    with TestClient(app, headers=bearer(raw)) as phone:
        refused = phone.get("/inventaire/previsions", params={"technicien": "Atelier"})
        assert refused.status_code == 403 and "propre stock" in refused.json()["detail"]
