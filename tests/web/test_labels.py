"""QR labels: the PDF read back with pypdf (its text, and its QR codes rebuilt from the drawn
squares and decoded by the vendored barcode reader in a real Chromium)."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from inventaire.catalogue.labels import AVERY_5160
from tests.helpers import browser_page, database_state, make_line, make_product, make_technician, make_workshop

MM = 72 / 25.4  # PDF points per millimetre
RECT = re.compile(rb"([\d.]+) ([\d.]+) ([\d.]+) (-?[\d.]+) re f")


def _squares_by_label(page) -> dict[tuple[int, int], list[tuple[float, float, float]]]:
    """The filled squares of a page's content stream, grouped by the label (row, column) they are in."""
    height = float(page.mediabox.height)
    labels: dict[tuple[int, int], list[tuple[float, float, float]]] = {}
    for match in RECT.finditer(page.get_contents().get_data()):
        x, y, w, h = (float(v) for v in match.groups())
        top = height - y - abs(h) if h > 0 else height - y  # fpdf2 draws from the top-left corner down
        column = int((x / MM - AVERY_5160.margin[0]) // AVERY_5160.pitch[0])
        row = int((top / MM - AVERY_5160.margin[1]) // AVERY_5160.pitch[1])
        labels.setdefault((row, column), []).append((x, top, w))
    return labels


def _grid(squares: list[tuple[float, float, float]]) -> list[list[int]]:
    """The QR matrix (1 = dark) with a 4-module quiet zone, from its squares."""
    size = squares[0][2]
    left, top = min(s[0] for s in squares), min(s[1] for s in squares)
    cells = {(round((t - top) / size), round((x - left) / size)) for x, t, _ in squares}
    n = max(max(r, c) for r, c in cells) + 1
    return [[1 if (r - 4, c - 4) in cells else 0 for c in range(n + 8)] for r in range(n + 8)]


DECODE = """async (grids) => {
  BarcodeDetectionAPI.setZXingModuleOverrides({locateFile: (p, prefix) =>
    p.endsWith(".wasm") ? "/static/vendor/barcode-detector/" + p : prefix + p});
  const detector = new BarcodeDetectionAPI.BarcodeDetector({formats: ["qr_code"]});
  const out = [];
  for (const grid of grids) {
    const scale = 8, n = grid.length, canvas = document.createElement("canvas");
    canvas.width = canvas.height = n * scale;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, n * scale, n * scale); ctx.fillStyle = "#000";
    grid.forEach((row, r) => row.forEach((dark, c) => { if (dark) ctx.fillRect(c * scale, r * scale, scale, scale); }));
    const found = await detector.detect(ctx.getImageData(0, 0, n * scale, n * scale));
    out.push(found.map(f => f.rawValue).join("|"));
  }
  return out;
}"""


@pytest.fixture
def shelves(db_session):
    allan = make_technician(db_session, nom="Allan")
    atelier = make_workshop(db_session, nom="Atelier Saint-Laurent")
    names = {"CORD-012": "Corde d'acier no 12 — Röslau", "FEUT-ROUGE": "Feutre rouge étouffoir « premium »",
             "GRAPH-PROT": "Graphite en poudre"}
    products = {code: make_product(db_session, code_produit=code, nom_produit=name) for code, name in names.items()}
    make_line(db_session, allan, products["CORD-012"], 2)
    make_line(db_session, allan, products["GRAPH-PROT"], 1)
    for i in range(32):  # a shelf of more than one sheet
        make_line(db_session, atelier, make_product(db_session, code_produit=f"P-{i:02d}", nom_produit=f"Pièce {i}"),
                  Decimal(1))
    db_session.commit()
    return names


def test_a_vans_labels_carry_each_products_code_and_name(pages, shelves):
    response = pages.get("/stock/Allan/etiquettes.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert round(float(reader.pages[0].mediabox.width) / MM, 1) == 215.9  # US Letter, Avery 5160
    text = reader.pages[0].extract_text()
    assert "CORD-012" in text and "GRAPH-PROT" in text and "Corde d'acier no 12 - Röslau" in text
    assert "FEUT-ROUGE" not in text
    assert sorted(_squares_by_label(reader.pages[0])) == [(0, 0), (0, 1)]


def test_a_workshops_shelf_spans_sheets_and_chosen_products_keep_their_order(pages, shelves):
    reader = PdfReader(io.BytesIO(pages.get("/stock/Atelier Saint-Laurent/etiquettes.pdf").content))
    assert len(reader.pages) == 2 and len(_squares_by_label(reader.pages[1])) == 2
    chosen = PdfReader(io.BytesIO(pages.get("/catalogue/etiquettes.pdf", params={"codes": "feut-rouge, CORD-012"}).content))
    text = chosen.pages[0].extract_text()
    assert text.index("FEUT-ROUGE") < text.index("CORD-012")
    assert "Feutre rouge étouffoir « premium »" in text.replace("\n", " ")


def test_an_unknown_code_is_refused_in_french(pages, shelves, db_session):
    state = database_state(db_session)
    response = pages.get("/catalogue/etiquettes.pdf", params={"codes": "CORD-012,NOPE-1"})
    assert response.status_code == 404
    assert "Produit inconnu : «\u00a0NOPE-1\u00a0»" in response.text
    assert database_state(db_session) == state


def test_labels_need_the_office(anonymous, shelves):
    response = anonymous.get("/catalogue/etiquettes.pdf", params={"codes": "CORD-012"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/connexion")


@pytest.mark.browser
def test_the_labels_qr_codes_decode_to_the_product_codes(browser, server):
    with server.session() as s:
        allan = make_technician(s, nom="Allan")
        for code in ("CORD-012", "FEUT-ROUGE", "GRAPH-PROT"):
            make_line(s, allan, make_product(s, code_produit=code, nom_produit=f"Produit {code}"), 1)
    context, page = browser_page(browser, server, server.admin_token)
    try:
        pdf = context.request.get("/stock/Allan/etiquettes.pdf").body()  # the office's session
        labels = _squares_by_label(PdfReader(io.BytesIO(pdf)).pages[0])
        grids = [_grid(labels[key]) for key in sorted(labels)]
        page.goto("/catalogue")
        page.add_script_tag(url="/static/vendor/barcode-detector/barcode-detector.ponyfill.js")
        assert page.evaluate(DECODE, grids) == ["CORD-012", "FEUT-ROUGE", "GRAPH-PROT"]
    finally:
        context.close()
