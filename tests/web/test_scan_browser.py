"""« Scanner » in a real Chromium whose camera is a video of a generated code: the QR code of a
project label (the product code), a maker's EAN-13 and a UPC-A (the product's code_barres, drawn by
python-barcode) each open the product's card; a Bluetooth scanner typing into the filter field does too."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import barcode
import numpy as np
import pytest
import segno
from barcode.writer import ImageWriter

from inventaire.auth import service as auth_service
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.helpers import browser_page, make_line, make_product, make_technician

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
WIDTH, HEIGHT = 640, 480


def qr_video(text: str, path: Path) -> Path:
    """A few frames of a QR code of `text`, black on white, as the YUV4MPEG2 Chromium's fake camera plays."""
    modules = np.array(segno.make_qr(text, error="m").matrix, dtype=bool)
    scale = min(WIDTH, HEIGHT) * 3 // 4 // (modules.shape[0] + 8)
    return _video(np.kron(np.pad(modules, 4), np.ones((scale, scale), dtype=bool)), path)


def barcode_video(kind: str, digits: str, path: Path) -> Path:
    """A maker's barcode (python-barcode's `ean13`, `upca`…) drawn by its Pillow writer, bars 4 pixels a
    module and 260 pixels high, quiet zones kept: the whole of it fills the middle of the frame."""
    drawing = barcode.get(kind, digits, writer=ImageWriter()).render(
        {"module_width": 0.2, "module_height": 13.0, "dpi": 508, "quiet_zone": 3.0, "write_text": False})
    bars = np.array(drawing.convert("L")) < 128
    assert bars.shape[1] <= WIDTH and bars.shape[0] <= HEIGHT, bars.shape  # never cut by the frame
    return _video(bars, path)


def _video(image: np.ndarray, path: Path) -> Path:
    """`image` (True: black) centred on a white 640×480 frame, five frames of 4:2:0 grey."""
    luma = np.full((HEIGHT, WIDTH), 235, dtype=np.uint8)
    top, left = (HEIGHT - image.shape[0]) // 2, (WIDTH - image.shape[1]) // 2
    luma[top:top + image.shape[0], left:left + image.shape[1]][image] = 16
    chroma = np.full((HEIGHT // 2) * (WIDTH // 2), 128, dtype=np.uint8).tobytes()
    frame = b"FRAME\n" + luma.tobytes() + chroma + chroma
    path.write_bytes(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * 5)
    return path


@pytest.fixture
def van(server):
    with server.session() as s:
        allan = make_technician(s, nom="Allan")
        for i in range(12):  # a van with many cards: the scanned one must be found, not scrolled to
            make_line(s, allan, make_product(s, code_produit=f"PIECE-{i:02d}", nom_produit=f"Pièce {i}"), 2)
        make_line(s, allan, make_product(s, code_produit="GRAPH-PROT", nom_produit="Graphite en poudre",
                                         code_barres="4006381333931"), Decimal(3))
        make_line(s, allan, make_product(s, code_produit="NETT-CLE", nom_produit="Nettoyant pour clavier",
                                         code_barres="036000291452"), Decimal(1))
        token, _ = auth_service.create_token(db_session=s, role="technicien", technician=allan)
    return token


def _camera_browser(browser, video: Path):
    return browser.browser_type.launch(executable_path=CHROMIUM, args=[
        *CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])


def _scan(browser, server, van, video: Path):
    camera = _camera_browser(browser, video)
    try:
        context, page = browser_page(camera, server, van, viewport=PHONE, is_mobile=True, has_touch=True)
        context.grant_permissions(["camera"], origin=server.base_url)
        page.goto("/stock/Allan")
        assert page.evaluate("typeof BarcodeDetectionAPI") == "undefined"  # not loaded before the tap
        page.locator("#scanner").tap()
        card = page.locator(".ligne.scannee")
        card.wait_for(timeout=30_000)
        visible = page.locator("#lignes .ligne:visible")
        return card.get_attribute("data-code"), visible.count(), page.evaluate("document.activeElement.className")
    finally:
        camera.close()


def test_scanning_a_label_opens_the_products_card(browser, server, van, tmp_path):
    code, shown, focused = _scan(browser, server, van, qr_video("PIECE-07", tmp_path / "etiquette.y4m"))
    assert (code, shown) == ("PIECE-07", 1)
    assert "moins" in focused  # ready for « − »


def test_scanning_a_makers_ean13_opens_the_product_carrying_it(browser, server, van, tmp_path):
    code, shown, focused = _scan(browser, server, van, barcode_video("ean13", "400638133393", tmp_path / "ean.y4m"))
    assert (code, shown) == ("GRAPH-PROT", 1)  # python-barcode added the check digit: 4006381333931
    assert "moins" in focused


def test_scanning_a_upc_a_opens_the_product_carrying_it(browser, server, van, tmp_path):
    code, shown, _ = _scan(browser, server, van, barcode_video("upca", "03600029145", tmp_path / "upc.y4m"))
    # The WebAssembly reader reports it as the EAN-13 « 0036000291452 »; stored as its 12 digits, it is found.
    assert (code, shown) == ("NETT-CLE", 1)


def test_a_bluetooth_scanner_typing_a_barcode_opens_the_card(browser, server, van):
    context, page = browser_page(browser, server, van, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page.goto("/stock/Allan")
        page.locator("#filtre-lignes").type("4006381333931")
        page.keyboard.press("Enter")
        assert page.locator(".ligne.scannee").get_attribute("data-code") == "GRAPH-PROT"
        assert page.locator("#lignes .ligne:visible").count() == 1
        page.locator("#filtre-lignes").fill("")
        page.locator("#filtre-lignes").type("0036000291452")  # the UPC-A 036000291452 in its EAN-13 form
        page.keyboard.press("Enter")
        assert page.locator(".ligne.scannee").get_attribute("data-code") == "NETT-CLE"
        page.locator("#filtre-lignes").fill("")
        page.locator("#filtre-lignes").type("0000000000000")
        page.keyboard.press("Enter")
        assert "Aucun produit de ce véhicule ne porte le code" in page.locator("#resultat-scan").text_content()
        assert page.problems == []
    finally:
        context.close()
