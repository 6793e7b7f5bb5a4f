"""QR labels for shelves and vans: a PDF sheet of Avery 5160 / L7160-style address labels.

Each label holds a QR code of the product code (what the phone page's « Scanner » looks for)
with the code and the name under it. Avery 5160 (US Letter): 3 × 10 labels of 2⅝ × 1 in, the
usual sheet in Montréal's stationery stores; the geometry is one table, so another sheet is a
new entry. Drawn by fpdf2 with segno's matrix as filled squares (vector, sharp at any printer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import segno
from fpdf import FPDF

from inventaire.catalogue.models import Product
from inventaire.commandes.document import latin1


@dataclass(frozen=True)
class Sheet:
    """A label sheet, in millimetres."""

    name: str
    page: tuple[float, float]  # width, height
    columns: int
    rows: int
    label: tuple[float, float]  # width, height
    margin: tuple[float, float]  # left, top
    pitch: tuple[float, float]  # horizontal, vertical distance between label origins


AVERY_5160 = Sheet("Avery 5160", (215.9, 279.4), 3, 10, (66.675, 25.4), (4.7625, 12.7), (69.85, 25.4))
PAD = 1.5  # mm kept blank inside each label (printers drift)
NAME_MAX = 70  # four lines of 8 pt beside the code: a longer name is cut
QR_QUIET = 2  # modules of white around the code (the standard asks 4; the label's blank adds to it)


def label_pdf(products: Sequence[Product], sheet: Sheet = AVERY_5160) -> bytes:
    """One label per product, in the order given, as many sheets as needed."""
    pdf = FPDF(unit="mm", format=sheet.page)
    pdf.set_auto_page_break(False)
    pdf.set_title(latin1(f"Étiquettes ({sheet.name})"))
    per_page = sheet.columns * sheet.rows
    for index, product in enumerate(products):
        if index % per_page == 0:
            pdf.add_page()
        row, column = divmod(index % per_page, sheet.columns)
        x = sheet.margin[0] + column * sheet.pitch[0]
        y = sheet.margin[1] + row * sheet.pitch[1]
        _label(pdf, product, x, y, sheet)
    if not products:
        pdf.add_page()
    return bytes(pdf.output())


def _label(pdf: FPDF, product: Product, x: float, y: float, sheet: Sheet) -> None:
    """QR code on the left, code and name beside it (under it on a tall label)."""
    height = sheet.label[1] - 2 * PAD
    _qr(pdf, product.code_produit, x + PAD, y + PAD, height)
    text_x = x + PAD + height + 2
    width = sheet.label[0] - (text_x - x) - PAD
    pdf.set_xy(text_x, y + PAD + 1)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(width, 5, latin1(product.code_produit), new_x="LEFT", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    name = product.nom_produit if len(product.nom_produit) <= NAME_MAX else product.nom_produit[:NAME_MAX - 1] + "…"
    pdf.multi_cell(width, 3.6, latin1(name), max_line_height=3.6, new_x="LEFT", new_y="NEXT")


def _qr(pdf: FPDF, text: str, x: float, y: float, size: float) -> None:
    """The QR code of `text` as black squares, `size` mm wide with its quiet zone."""
    matrix = segno.make_qr(text, error="m").matrix
    count = len(matrix) + 2 * QR_QUIET
    module = size / count
    pdf.set_fill_color(0, 0, 0)
    for r, line in enumerate(matrix):
        for c, dark in enumerate(line):
            if dark:
                pdf.rect(x + (c + QR_QUIET) * module, y + (r + QR_QUIET) * module, module, module, style="F")
