"""The phone page is light: answers compressed, versioned files cached for good, the app's manifest
and service worker served from the root."""

from __future__ import annotations

import pytest

from inventaire.web.render import static_version
from tests.helpers import log_in, make_line, make_product, make_technician, make_token


@pytest.fixture
def allan(db_session):
    van = make_technician(db_session, nom="Allan")
    for i in range(30):
        make_line(db_session, van, make_product(db_session, code_produit=f"P-{i:02d}", nom_produit=f"Pièce {i}"), 2)
    token = make_token(db_session, "technicien", technician=van)
    db_session.commit()
    return token


def test_pages_and_files_leave_compressed(anonymous, allan):
    log_in(anonymous, allan)
    page = anonymous.get("/stock/Allan", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and page.headers["content-encoding"] == "gzip"
    assert f"/static/stock.js?v={static_version()}" in page.text
    script = anonymous.get("/static/vendor/htmx.min.js?v=2.0.11", headers={"Accept-Encoding": "gzip"})
    assert script.headers["content-encoding"] == "gzip"
    assert "immutable" in script.headers["cache-control"]
    assert anonymous.get("/static/icone.svg").headers["cache-control"] == "no-cache"  # unversioned: revalidated


def test_the_version_follows_the_files():
    assert static_version().startswith("0.") and len(static_version().split("-")[-1]) == 10


def test_manifest_and_service_worker(anonymous):
    manifest = anonymous.get("/manifest.webmanifest", params={"technicien": "Anne-Marie Côté"})
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    body = manifest.json()
    assert (body["start_url"], body["display"], body["lang"]) == ("/stock/Anne-Marie%20C%C3%B4t%C3%A9", "standalone", "fr-CA")
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}
    for icon in body["icons"]:
        assert anonymous.get(icon["src"]).headers["content-type"] == "image/png"
    worker = anonymous.get("/sw.js")
    assert worker.headers["service-worker-allowed"] == "/" and worker.headers["cache-control"] == "no-cache"
    assert static_version() in worker.text and "__VERSION__" not in worker.text
