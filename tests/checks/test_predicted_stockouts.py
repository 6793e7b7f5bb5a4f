"""The check with the forecast: each alert's predicted stockout, and the lines above their threshold
that run out before the next order listed apart (the seed's counts and summary unchanged)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from inventaire.kit.config import Settings
from inventaire.kit.database import utcnow
from inventaire.stock import service as stock
from tests.helpers import make_product, make_technician


def _used_daily(db_session, tech, product, opening, days, per_day=1):
    """`opening` received `days + 1` days ago, then `per_day` used every day since."""
    now = utcnow()
    stock.adjust(db_session=db_session, location=tech, product=product, kind="reception", delta=Decimal(opening),
                 auteur="essai", at=now - dt.timedelta(days=days + 1), cause="manuel")
    for day in range(days, 0, -1):
        stock.adjust(db_session=db_session, location=tech, product=product, kind="utilisation",
                     delta=Decimal(-per_day), auteur="essai", at=now - dt.timedelta(days=day), cause="manuel")


@pytest.fixture
def van(db_session):
    allan = make_technician(db_session, nom="Allan")
    soon = make_product(db_session, code_produit="PLS-BUVARDS", nom_produit="Buvards PLS", seuil_reorder=Decimal(4))
    later = make_product(db_session, code_produit="CORD-012", seuil_reorder=Decimal(2))
    low = make_product(db_session, code_produit="MART-RESS", seuil_reorder=Decimal(5))
    idle = make_product(db_session, code_produit="VIS-CAPST", seuil_reorder=Decimal(1))
    _used_daily(db_session, allan, soon, 68, 60)  # 8 left at one a day: out in about 8 days
    stock.set_levels(db_session=db_session, location=allan, product=soon, changes={"niveau_par": Decimal(20)})
    _used_daily(db_session, allan, later, 90, 60)  # 30 left: out in about a month
    _used_daily(db_session, allan, low, 63, 60)  # 3 left: in alert (bas_stock), out in 3 days
    stock.adjust(db_session=db_session, location=allan, product=idle, kind="reception", delta=Decimal(3),
                 auteur="essai", cause="manuel")
    db_session.commit()
    return allan


def test_predicted_stockouts_are_listed_apart(client, van):
    body = client.post("/inventaire/check-stock", params={"notifier": "false"}).json()
    rapport = body["rapport"]
    today = dt.datetime.now(dt.UTC).date()
    assert body["alerts_detected"] == 1 and rapport["statistiques"]["total_alertes"] == 1
    assert set(rapport["statistiques"]) == {"total_produits", "total_alertes", "alertes_critiques",
                                            "alertes_bas_stock", "valeur_totale_estimee"}
    assert rapport["summary"] == "1 alerte(s) détectée(s) (0 critique(s), 1 stock bas)"
    [alert] = rapport["alertes"]
    assert alert["code_produit"] == "MART-RESS" and alert["severity"] == "bas_stock"
    assert abs((dt.date.fromisoformat(alert["rupture_prevue"]) - (today + dt.timedelta(days=3))).days) <= 1
    assert rapport["delai_commande_jours"] == 14
    [predicted] = rapport["ruptures_prevues"]
    assert predicted["code_produit"] == "PLS-BUVARDS" and predicted["technicien"] == "Allan"
    assert predicted["severity"] == "rupture_prevue" and predicted["quantite_actuelle"] == 8
    assert predicted["seuil"] == 4 and predicted["quantite_a_commander"] == 12
    assert predicted["consommation_par_jour"] == pytest.approx(1, rel=0.05)
    assert abs((dt.date.fromisoformat(predicted["rupture_prevue"]) - (today + dt.timedelta(days=8))).days) <= 1
    stored = client.get(f"/inventaire/verifications/{body['verification_id']}").json()["rapport"]
    assert stored["ruptures_prevues"] == rapport["ruptures_prevues"]


def test_the_horizon_is_the_order_delay(settings, session_factory, van, admin_token, monkeypatch):
    from fastapi.testclient import TestClient

    from inventaire.app import create_app
    from tests.helpers import bearer

    monkeypatch.setenv("INVENTAIRE_DELAI_COMMANDE_JOURS", "40")
    longer = Settings(DATABASE_URL=settings.database_url)
    with TestClient(create_app(longer, session_factory=session_factory), headers=bearer(admin_token)) as c:
        rapport = c.post("/inventaire/check-stock", params={"notifier": "false"}).json()["rapport"]
    assert rapport["delai_commande_jours"] == 40
    assert [p["code_produit"] for p in rapport["ruptures_prevues"]] == ["PLS-BUVARDS", "CORD-012"]


def test_a_forced_threshold_moves_lines_between_the_lists(client, van):
    rapport = client.post("/inventaire/check-stock", params={"notifier": "false", "seuil_critique": 10}).json()["rapport"]
    assert [a["code_produit"] for a in rapport["alertes"]] == ["MART-RESS", "PLS-BUVARDS", "VIS-CAPST"]
    assert rapport["ruptures_prevues"] == []
    idle = next(a for a in rapport["alertes"] if a["code_produit"] == "VIS-CAPST")
    assert idle["rupture_prevue"] is None  # never used: no date
