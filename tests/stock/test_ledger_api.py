"""The ledger over HTTP (newest first, filters, pagination) and per-technician figures."""

import datetime as dt
from decimal import Decimal

import pytest

from inventaire.kit.database import utcnow
from inventaire.stock import service as stock
from tests.helpers import make_product, make_technician

NOW = utcnow().replace(microsecond=0)


def at(days_ago: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days_ago)


@pytest.fixture
def history(db_session):
    """Two technicians, two products, eight rows spread over 40 days (ids grow with time)."""
    allan = make_technician(db_session, nom="Allan")
    margot = make_technician(db_session, nom="Margot")
    corde = make_product(db_session, code_produit="CORD-001", prix_unitaire=Decimal("18.50"))
    feutre = make_product(db_session, code_produit="FEUT-1", unite="m", prix_unitaire=Decimal("24.00"))
    rows = [
        (allan, corde, "reception", "10", 40),
        (allan, feutre, "reception", "3", 39),
        (margot, corde, "reception", "6", 38),
        (allan, corde, "utilisation", "-2", 20),
        (allan, feutre, "utilisation", "-0.5", 10),
        (margot, corde, "utilisation", "-1", 5),
        (allan, corde, "utilisation", "-3", 2),
        (allan, corde, "ajustement", "1", 1),
    ]
    for tech, product, kind, delta, days in rows:
        stock.adjust(db_session=db_session, location=tech, product=product, kind=kind,
                     delta=Decimal(delta), auteur="essai", at=at(days), cause="manuel")
    db_session.commit()


def page(client, **params):
    response = client.get("/inventaire/transactions", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def signature(body) -> list[tuple]:
    return [(t["technicien"], t["code_produit"], t["type"], t["ajustement"]) for t in body["items"]]


def test_newest_first_with_total(client, history):
    body = page(client)
    assert body["total"] == 8 and (body["limit"], body["offset"]) == (50, 0)
    assert signature(body)[:3] == [
        ("Allan", "CORD-001", "ajustement", 1), ("Allan", "CORD-001", "utilisation", -3),
        ("Margot", "CORD-001", "utilisation", -1),
    ]
    stamps = [t["created_at"] for t in body["items"]]
    assert stamps == sorted(stamps, reverse=True)
    assert all(s.endswith("+00:00") for s in stamps)


def test_filters(client, history):
    assert page(client, technicien="margot")["total"] == 2
    assert page(client, code_produit="FEUT-1")["total"] == 2
    assert signature(page(client, type="utilisation", technicien="Allan")) == [
        ("Allan", "CORD-001", "utilisation", -3), ("Allan", "FEUT-1", "utilisation", -0.5),
        ("Allan", "CORD-001", "utilisation", -2),
    ]
    assert page(client, depuis=at(5).isoformat())["total"] == 3  # 5, 2 and 1 days ago: bounds included
    assert page(client, jusqu_a=at(38).isoformat())["total"] == 3
    window = page(client, depuis=at(20).isoformat(), jusqu_a=at(5).isoformat())
    assert [t["ajustement"] for t in window["items"]] == [-1, -0.5, -2]
    # A date without an offset is read in UTC.
    naive = at(5).replace(tzinfo=None).isoformat()
    assert page(client, depuis=naive)["total"] == 3
    # A date alone as the end includes that whole day (UTC); as the start, from its first instant.
    day = at(5).date()
    on_that_day = page(client, depuis=day.isoformat(), jusqu_a=day.isoformat())
    assert [t["ajustement"] for t in on_that_day["items"]] == [-1]
    bad_day = client.get("/inventaire/transactions", params={"jusqu_a": "2025-02-30"})
    assert bad_day.status_code == 422


def test_filter_errors(client, history):
    assert client.get("/inventaire/transactions", params={"technicien": "Personne"}).status_code == 404
    assert client.get("/inventaire/transactions", params={"code_produit": "NOPE-1"}).status_code == 404
    bad_type = client.get("/inventaire/transactions", params={"type": "vol"})
    assert bad_type.status_code == 422
    assert bad_type.json()["detail"][0]["msg"] == (
        "type : valeur invalide (valeurs possibles : 'reception', 'utilisation', 'ajustement', 'comptage' ou 'transfert')"
    )
    bad_date = client.get("/inventaire/transactions", params={"depuis": "hier"})
    assert bad_date.status_code == 422
    assert bad_date.json()["detail"][0]["msg"] == "depuis : date invalide (format ISO 8601 attendu)"


def test_pagination_walks_every_row_once(client, history):
    everything = signature(page(client))
    walked = []
    for offset in range(0, 10, 3):
        body = page(client, limit=3, offset=offset)
        assert body["total"] == 8 and body["limit"] == 3 and body["offset"] == offset
        walked += signature(body)
    assert walked == everything
    assert page(client, limit=3, offset=8)["items"] == []


def test_no_silent_cap(client, history):
    response = client.get("/inventaire/transactions", params={"limit": 501})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "limit : doit être au plus 500"
    assert client.get("/inventaire/transactions", params={"limit": 0}).status_code == 422
    assert client.get("/inventaire/transactions", params={"offset": -1}).status_code == 422
    assert len(page(client, limit=500)["items"]) == 8


def test_stats_over_a_period(client, history):
    body = client.get("/inventaire/stats/ALLAN", params={"jours": 30}).json()
    assert body["technicien"] == "Allan" and body["jours"] == 30
    assert body["depuis"].endswith("+00:00")
    # Now: CORD-001 at 10 - 2 - 3 + 1 = 6 (× 18.50), FEUT-1 at 2.5 (× 24.00).
    assert (body["lignes"], body["quantite_totale"], body["valeur_totale"]) == (2, 8.5, 171)
    assert body["transactions"] == 4  # 20, 10, 2 and 1 days ago
    assert body["consommation"] == [
        {"code_produit": "CORD-001", "nom_produit": body["consommation"][0]["nom_produit"], "unite": "unité",
         "quantite": 5, "valeur": 92.5},
        {"code_produit": "FEUT-1", "nom_produit": body["consommation"][1]["nom_produit"], "unite": "m",
         "quantite": 0.5, "valeur": 12},
    ]
    week = client.get("/inventaire/stats/Allan", params={"jours": 7}).json()
    assert week["transactions"] == 2
    assert [(c["code_produit"], c["quantite"]) for c in week["consommation"]] == [("CORD-001", 3)]
    assert client.get("/inventaire/stats/Allan").json()["jours"] == 30  # the default


def test_stats_errors(client, history):
    assert client.get("/inventaire/stats/Personne").status_code == 404
    for jours in ("0", "abc", "3651"):
        assert client.get("/inventaire/stats/Allan", params={"jours": jours}).status_code == 422


def test_timestamps_are_utc_with_an_offset():
    from inventaire.kit.schemas import to_utc_iso

    montreal = dt.timezone(dt.timedelta(hours=-5))
    assert to_utc_iso(dt.datetime(2025, 12, 9, 13, 30, tzinfo=montreal)) == "2025-12-09T18:30:00+00:00"
    assert to_utc_iso(dt.datetime(2025, 12, 9, 18, 30)) == "2025-12-09T18:30:00+00:00"
