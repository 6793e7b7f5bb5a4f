"""The order suggestion on a constructed case whose answer is known:

    CORD-012 (Röslau):  par shortfall 8 (Allan 2 of 10; Margot above par) + open request 3
                        + forecast 14 (Allan uses 1 a day, 14 days until the next order, no lead time known)
                        + the workshop's reserve 6 (no par level: just above the default threshold 5)
                        − workshop 6 − still on order 6 (a sent order of 10, 4 received) = 19
    FEUT-01 (no supplier): Allan 0 of 3 → 3, listed apart (the workshop does not stock it: no reserve)
    MART-01 (Abel, counted in tenths): Allan 1 of 4 → 3 short + reserve 5.1 − the workshop's 5 = 3.1
A draft of 100 spools is not on order; an archived product or an inactive van's shortfall is left out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from inventaire.commandes import service as orders
from inventaire.demandes import service as demandes
from inventaire.kit.database import utcnow
from inventaire.stock import service as stock
from tests.helpers import make_line, make_product, make_technician, make_workshop

SUGGESTION = "/inventaire/commandes/suggestion"


def _case(db_session):
    workshop = make_workshop(db_session, nom="Atelier")
    allan, margot = make_technician(db_session, nom="Allan"), make_technician(db_session, nom="Margot")
    gone = make_technician(db_session, nom="Parti", actif=False)
    cord = make_product(db_session, code_produit="CORD-012", unite="bobine", fournisseur="Röslau", divisible=False,
                        prix_unitaire=Decimal("18.50"))
    felt = make_product(db_session, code_produit="FEUT-01", unite="m", fournisseur=None)
    hammer = make_product(db_session, code_produit="MART-01", fournisseur="Abel")
    old = make_product(db_session, code_produit="VIEUX-1", fournisseur="Abel")
    now = utcnow()
    stock.adjust(db_session=db_session, location=allan, product=cord, kind="reception", delta=Decimal(91),
                 auteur="essai", at=now - dt.timedelta(days=95), cause="manuel")
    for days_ago in range(1, 90):  # one spool a day, every day of the 90-day period but today
        stock.adjust(db_session=db_session, location=allan, product=cord, kind="utilisation", delta=Decimal(-1),
                     auteur="essai", at=now - dt.timedelta(days=days_ago), cause="manuel")
    stock.set_levels(db_session=db_session, location=allan, product=cord, changes={"niveau_par": Decimal(10)})
    make_line(db_session, margot, cord, 5, niveau_par=Decimal(4))
    make_line(db_session, gone, cord, 0, niveau_par=Decimal(50))  # an inactive van does not count
    make_line(db_session, allan, felt, 0, niveau_par=Decimal(3))
    make_line(db_session, allan, hammer, 1, niveau_par=Decimal(4))
    make_line(db_session, allan, old, 0, niveau_par=Decimal(9))
    old.actif = False
    make_line(db_session, workshop, cord, 2)
    make_line(db_session, workshop, hammer, 5)
    demandes.create(db_session=db_session, technician=margot, product=cord, quantity=Decimal(3), note=None,
                    auteur="Margot")
    sent = orders.create(db_session=db_session, fournisseur="Röslau", workshop=workshop, auteur="essai",
                         tz="America/Montreal", lines=[orders.LineIn(cord, Decimal(10), Decimal("18.50"))])
    orders.send(db_session=db_session, order=sent)
    orders.receive(db_session=db_session, order=sent, lines=[(cord, Decimal(4))], auteur="essai")  # workshop: 6
    orders.create(db_session=db_session, fournisseur="Röslau", workshop=workshop, auteur="essai",
                  tz="America/Montreal", lines=[orders.LineIn(cord, Decimal(100), Decimal("18.50"))])
    db_session.commit()


def test_the_suggestion_has_the_known_answer(client, db_session):
    _case(db_session)
    answer = client.get(SUGGESTION, params={"atelier": "atelier"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["atelier"], body["delai_jours"]) == ("Atelier", 14)
    abel, roslau = body["fournisseurs"]
    (line,) = roslau["lignes"]
    assert roslau["fournisseur"] == "Röslau"
    assert {k: line[k] for k in ("code_produit", "manque_par", "demandes", "prevision", "jours_couverts",
                                 "reserve_atelier", "stock_atelier", "en_commande", "a_commander", "prix_unitaire",
                                 "total")} == {
        "code_produit": "CORD-012", "manque_par": 8, "demandes": 3, "prevision": 14, "jours_couverts": 14,
        "reserve_atelier": 6, "stock_atelier": 6, "en_commande": 6, "a_commander": 19, "prix_unitaire": 18.5,
        "total": 351.5}
    assert (roslau["total"], roslau["delai_livraison_jours"], roslau["sous_le_minimum"]) == (351.5, None, False)
    assert [(x["code_produit"], x["manque_par"], x["reserve_atelier"], x["stock_atelier"], x["a_commander"])
            for x in abel["lignes"]] == [("MART-01", 3, 5.1, 5, 3.1)]
    assert [(x["code_produit"], x["manque_par"], x["a_commander"]) for x in body["sans_fournisseur"]] == [
        ("FEUT-01", 3, 3)]


def test_the_delay_comes_from_the_settings(app, client, db_session):
    _case(db_session)
    app.state.settings = app.state.settings.model_copy(update={"delai_commande_jours": 7})
    (line,) = client.get(SUGGESTION, params={"atelier": "Atelier"}).json()["fournisseurs"][1]["lignes"]
    assert (line["prevision"], line["a_commander"]) == (7, 12)  # 8 + 3 + 7 + 6 − 6 − 6


def test_the_supplier_s_lead_time_lengthens_the_forecast_and_its_minimum_is_flagged(client, db_session):
    _case(db_session)
    client.put("/inventaire/fournisseurs/Röslau", json={"delai_jours": 10, "minimum_commande": 500})
    roslau = client.get(SUGGESTION, params={"atelier": "Atelier"}).json()["fournisseurs"][1]
    (line,) = roslau["lignes"]
    assert (line["jours_couverts"], line["prevision"], line["a_commander"]) == (24, 24, 29)  # 8 + 3 + 24 + 6 − 6 − 6
    assert (roslau["delai_livraison_jours"], roslau["minimum_commande"], roslau["total"]) == (10, 500, 536.5)
    assert roslau["sous_le_minimum"] is False
    client.put("/inventaire/fournisseurs/Röslau", json={"minimum_commande": 600})
    assert client.get(SUGGESTION, params={"atelier": "Atelier"}).json()["fournisseurs"][1]["sous_le_minimum"]


def test_the_suggestion_agrees_with_the_dashboard_on_the_workshop_s_alerts(client, pages, db_session):
    """The dashboard says « order par − quantity » for a workshop line in alert: the suggestion says the same
    when nothing else is needed, and adds the vans' needs on top (never less)."""
    workshop, allan = make_workshop(db_session, nom="Atelier"), make_technician(db_session, nom="Allan")
    cord = make_product(db_session, code_produit="CORD-012", fournisseur="Röslau", divisible=False)
    felt = make_product(db_session, code_produit="FEUT-01", fournisseur="Röslau", unite="m")
    make_line(db_session, workshop, cord, 2, niveau_par=Decimal(12), seuil_min=Decimal(3))
    make_line(db_session, workshop, felt, Decimal("0.5"), niveau_par=Decimal(4), seuil_min=Decimal(1))
    db_session.commit()

    def dashboard() -> dict[str, float]:
        report = client.post("/inventaire/check-stock", params={"technicien": "Atelier", "notifier": "false"}).json()
        return {a["code_produit"]: a["quantite_a_commander"] for a in report["rapport"]["alertes"]}

    def suggested() -> dict[str, float]:
        body = client.get(SUGGESTION, params={"atelier": "Atelier"}).json()
        return {x["code_produit"]: x["a_commander"] for s in body["fournisseurs"] for x in s["lignes"]}

    assert dashboard() == {"CORD-012": 10, "FEUT-01": 3.5} == suggested()
    page = pages.get("/commandes/suggestion", params={"atelier": "Atelier"}).text
    assert 'value="10"' in page and 'value="3,5"' in page
    make_line(db_session, allan, cord, 1, niveau_par=Decimal(3))  # a van 2 short: on top of the workshop's 10
    db_session.commit()
    assert dashboard()["CORD-012"] == 10 and suggested()["CORD-012"] == 12


def test_an_unknown_workshop_is_404(client, db_session):
    make_technician(db_session, nom="Allan")
    db_session.commit()
    for name in ("Inconnu", "Allan"):
        answer = client.get(SUGGESTION, params={"atelier": name})
        assert answer.status_code == 404 and answer.json()["detail"] == f"Atelier inconnu : « {name} »."
    assert client.get(SUGGESTION).status_code == 422
