"""A supplier order as documents: a PDF the office e-mails to the supplier, and a CSV.

The PDF is drawn by fpdf2 (pure Python: nothing to install on the host) with its core
Helvetica, whose latin-1 covers French (accents, « », no-break spaces); the few characters
outside it that names may hold (œ, —, ’, …) are written with their nearest latin-1 spelling.
Numbers read in Québec French through `quantities` (« 1 250,00 $ », « 2,5 m »).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

from fpdf import FPDF
from fpdf.fonts import FontFace

from inventaire.commandes.models import Order
from inventaire.entreprise.service import Identity
from inventaire.exports.spreadsheet import cell, document, number
from inventaire.kit import quantities
from inventaire.kit.dates import Clock
from inventaire.kit.enums import OrderState

_NEAREST = {"œ": "oe", "Œ": "OE", "—": "-", "–": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "...",
            "\u202f": "\u00a0", "€": "EUR"}
CSV_HEADERS = ("Commande", "Fournisseur", "Code produit", "Produit", "Quantité", "Unité", "Prix unitaire",
               "Total", "Reçu")


def latin1(text: str) -> str:
    """The text as the PDF's core font can write it."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in _NEAREST:
            out.append(_NEAREST[char])
        elif ord(char) < 256:
            out.append(char)
        else:  # a letter with an accent latin-1 lacks: the letter alone, else « ? »
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)


def amount(value: Decimal) -> str:
    """Money with 2 decimals, French style (« 1 250,00 $ »)."""
    return quantities.money(value)


def order_date(order: Order) -> dt.datetime:
    """The date an order bears: when it was sent, else when it was written."""
    return order.envoyee_le or order.created_at


def pdf(*, order: Order, entreprise: Identity, tz: str) -> bytes:
    """The order as a one-or-more-page A4 PDF, headed by the company's name and address."""
    doc = FPDF(format="A4")
    doc.set_title(latin1(f"Bon de commande {order.numero}"))
    doc.set_author(latin1(entreprise.nom))
    doc.set_creator("inventaire")
    doc.set_auto_page_break(auto=True, margin=18)
    doc.add_page()
    doc.set_font("helvetica", "B", 16)
    doc.cell(0, 8, latin1(entreprise.nom), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("helvetica", "", 9)
    for line in entreprise.lignes:
        doc.cell(0, 5, latin1(line), new_x="LMARGIN", new_y="NEXT")
    doc.ln(6)
    doc.set_font("helvetica", "B", 14)
    doc.cell(0, 8, latin1(f"Bon de commande {order.numero}"), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("helvetica", "", 10)
    state = "" if order.statut == OrderState.ENVOYEE else f" ({OrderState.label_of(order.statut).lower()})"
    for label, value in (("Fournisseur", order.fournisseur), ("Date", Clock(tz).date(order_date(order)) + state),
                         ("Livrer à", f"{entreprise.nom}, {order.atelier.nom}")):
        doc.cell(0, 6, latin1(f"{label} : {value}"), new_x="LMARGIN", new_y="NEXT")
    doc.ln(4)
    _lines_table(doc, order)
    doc.ln(4)
    doc.set_font("helvetica", "", 9)
    doc.multi_cell(0, 5, latin1(f"Merci de rappeler le numéro {order.numero} sur le bordereau de livraison "
                                "et sur la facture. Prix en dollars canadiens, taxes en sus."))
    return bytes(doc.output())


def _lines_table(doc: FPDF, order: Order) -> None:
    doc.set_font("helvetica", "", 9)
    head = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
    with doc.table(col_widths=(28, 72, 24, 28, 28), text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
                   headings_style=head, line_height=5.5) as table:
        row = table.row()
        for title in ("Code", "Produit", "Quantité", "Prix unitaire", "Total"):
            row.cell(latin1(title))
        for line in order.lignes:
            product = line.produit
            row = table.row()
            for text in (product.code_produit, product.nom_produit,
                         quantities.with_unit(line.quantite, product.unite, grouped=True),
                         amount(line.prix_unitaire), amount(line.total)):
                row.cell(latin1(text))
    doc.set_font("helvetica", "B", 11)
    doc.cell(0, 8, latin1(f"Total : {amount(order.total)}"), align="R", new_x="LMARGIN", new_y="NEXT")


def _money_cell(value: Decimal) -> str:
    return quantities.fixed(value, 2)


def csv(*, order: Order) -> str:
    """One row per line (`;`, decimal commas, BOM: a French spreadsheet opens it as it is)."""
    rows = [
        (cell(order.numero), cell(order.fournisseur), cell(line.produit.code_produit), cell(line.produit.nom_produit),
         number(line.quantite), cell(line.produit.unite), _money_cell(line.prix_unitaire), _money_cell(line.total),
         number(line.quantite_recue))
        for line in order.lignes
    ]
    rows.append((cell(order.numero), cell(order.fournisseur), "", "Total", "", "", "", _money_cell(order.total), ""))
    return document(CSV_HEADERS, rows)
