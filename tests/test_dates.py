"""Dates out of the supported range are invalid input (422, French) wherever a date is read."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from inventaire.kit.dates import OUT_OF_RANGE, in_range
from tests.helpers import log_in

FAR = ["0001-01-01T00:00:00+01:00", "0001-01-01", "1899-12-31T23:59:59Z", "9999-12-31", "3000-01-01T00:00:00"]


@pytest.mark.parametrize("value", [dt.date(1900, 1, 1), dt.datetime(2999, 12, 31, 23, 59, tzinfo=dt.UTC), None])
def test_the_edges_of_the_range_are_accepted(value):
    assert in_range(value) == value


@pytest.mark.parametrize("value", [dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.datetime(3000, 1, 1), dt.date.max])
def test_outside_the_range_is_refused(value):
    with pytest.raises(ValueError, match="hors de la plage prise en charge"):
        in_range(value)


@pytest.mark.parametrize("name", ["depuis", "jusqu_a"])
@pytest.mark.parametrize("value", FAR)
def test_api_ledger_dates_out_of_range_are_422(client, name, value):
    response = client.get("/inventaire/transactions", params={name: value})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["msg"] == f"{name} : {OUT_OF_RANGE}"


def test_api_ledger_dates_inside_the_range_still_work(client):
    response = client.get("/inventaire/transactions", params={"depuis": "1900-01-01T00:00:00+14:00",
                                                               "jusqu_a": "2999-12-31"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("path", ["/transactions", "/transactions.csv"])
@pytest.mark.parametrize(("name", "label"), [("depuis", "Depuis"), ("jusqu_a", "Jusqu'au")])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_page_and_csv_dates_out_of_range_are_422(app, admin_token, path, name, label, value):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as pages:
        log_in(pages, admin_token)
        response = pages.get(path, params={name: value})
    assert response.status_code == 422, response.text[:300]
    assert f"{label} : {OUT_OF_RANGE} («\u00a0{value}\u00a0»)." in html.unescape(response.text)
