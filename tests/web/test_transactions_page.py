"""The ledger page: filters, paging, and the streamed CSV export with French headers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from inventaire.catalogue import service as catalogue
from inventaire.stock import service as stock
from inventaire.techniciens import service as techniciens
from tests.helpers import make_line, make_product, make_technician, make_workshop


def _ledger(db_session):
    allan, nicolas = make_technician(db_session, nom="Allan"), make_technician(db_session, nom="Nicolas")
    cord = make_product(db_session, code_produit="CORD-012", nom_produit="Corde no 12", prix_unitaire=Decimal("18.5"))
    felt = make_product(db_session, code_produit="FEUT-ETOUF", nom_produit="Feutre", unite="m")
    make_line(db_session, allan, cord, 10)
    make_line(db_session, nicolas, felt, 5)
    stock.adjust(db_session=db_session, location=allan, product=cord, kind="utilisation", delta=Decimal(-2),
                 auteur="Allan", motif="=HYPERLINK(\"http://x\")", reference="RDV-1", cause="manuel")
    stock.adjust(db_session=db_session, location=nicolas, product=felt, kind="utilisation",
                 delta=Decimal("-0.5"), auteur="Nicolas", at=dt.datetime(2025, 1, 15, 12, tzinfo=dt.UTC), cause="manuel")
    db_session.commit()


def _csv(response):
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_ledger_page_with_filters(pages, db_session):
    _ledger(db_session)
    html = pages.get("/transactions").text
    assert "4 transactions" in html and "−2" in html and "−0,5" in html
    assert "1 transaction" in pages.get("/transactions", params={"technicien": "Nicolas", "type": "utilisation"}).text
    assert "2 transactions" in pages.get("/transactions", params={"code_produit": "FEUT-ETOUF"}).text
    january = pages.get("/transactions", params={"depuis": "2025-01-15", "jusqu_a": "2025-01-15"}).text
    assert "1 transaction" in january and "Feutre" in january
    assert "0 transaction" in pages.get("/transactions", params={"jusqu_a": "2025-01-14"}).text


def test_bad_filters_are_french_errors(pages, db_session):
    _ledger(db_session)
    response = pages.get("/transactions", params={"depuis": "15/01/2025"})
    assert response.status_code == 422 and "date invalide" in response.text
    assert pages.get("/transactions", params={"type": "vol"}).status_code == 422
    assert pages.get("/transactions", params={"technicien": "Personne"}).status_code == 404


def test_paging(pages, db_session):
    tech = make_technician(db_session, nom="Allan")
    product = make_product(db_session, code_produit="CORD-012")
    for _ in range(55):
        stock.adjust(db_session=db_session, location=tech, product=product, kind="reception", delta=Decimal(1),
                     auteur="essai", cause="manuel")
    db_session.commit()
    first = pages.get("/transactions").text
    assert "Page 1 sur 2" in first and first.count("<tr data-id=") == 50
    second = pages.get("/transactions", params={"page": 2}).text
    assert second.count("<tr data-id=") == 5 and 'rel="prev"' in second


def test_csv_export_has_french_headers_and_the_filtered_rows(pages, db_session):
    _ledger(db_session)
    response = pages.get("/transactions.csv", params={"technicien": "Allan"})
    assert "attachment" in response.headers["content-disposition"]
    rows = _csv(response)
    assert rows[0][:6] == ["Date", "Technicien", "Code produit", "Produit", "Type", "Variation"]
    assert [r[1] for r in rows[1:]] == ["Allan", "Allan"]
    use = rows[1]
    assert (use[4], use[5], use[6], use[7], use[10]) == ("Utilisation", "-2", "10", "8", "RDV-1")
    assert use[9].startswith("'=")  # a formula is written as text
    assert rows[0][11:] == ["Auteur", "Coût unitaire actuel", "Valeur de la variation", "Cause", "N° de la cause",
                          "N° de transaction"]
    assert (use[14], use[15]) == ("Changement manuel", "")
    assert (use[12], use[13]) == ("18,50", "-37,00")  # money in cents: today's cost, the change's value


def test_csv_dates_and_numbers_read_by_a_spreadsheet(pages, db_session):
    _ledger(db_session)
    rows = _csv(pages.get("/transactions.csv", params={"technicien": "Nicolas", "type": "utilisation"}))
    felt = rows[1]
    assert felt[0] == "2025-01-15 07:00:00"  # the company's time (Montréal), no offset: a date to a spreadsheet
    assert (felt[5], felt[6], felt[7]) == ("-0,5", "5", "4,5")  # decimal commas
    assert all(len(r[0]) == 19 and r[0][10] == " " for r in rows[1:])


def test_csv_file_name_says_the_filter(pages, db_session):
    _ledger(db_session)

    def name(**params):
        disposition = pages.get("/transactions.csv", params=params).headers["content-disposition"]
        return disposition.split('filename="')[1].rstrip('"')

    filtered = name(technicien="Allan", code_produit="CORD-012", type="utilisation", depuis="2025-01-01",
                    jusqu_a="2025-01-31")
    assert filtered == "transactions-Allan-CORD-012-utilisation-du-2025-01-01-au-2025-01-31.csv"
    assert name(depuis="2025-01-01").startswith("transactions-du-2025-01-01-au-20")
    assert name().startswith("transactions-au-") and name().endswith(".csv")


def test_csv_streams_every_row_in_batches(pages, db_session, monkeypatch):
    from inventaire.web.pages import transactions

    monkeypatch.setattr(transactions, "BATCH", 7)
    tech = make_technician(db_session, nom="Allan")
    product = make_product(db_session, code_produit="CORD-012")
    at = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    for i in range(30):  # equal timestamps in pairs: the batches must neither skip nor repeat a row
        stock.adjust(db_session=db_session, location=tech, product=product, kind="reception", delta=Decimal(1),
                     auteur="essai", at=at + dt.timedelta(minutes=i // 2), cause="manuel")
    db_session.commit()
    rows = _csv(pages.get("/transactions.csv"))
    ids = [int(r[-1]) for r in rows[1:]]
    assert len(ids) == 30 and len(set(ids)) == 30
    assert [r[7] for r in rows[1:]] == [str(n) for n in range(30, 0, -1)]


def test_a_reversed_period_says_so_and_keeps_the_filters(pages):
    response = pages.get("/transactions", params={"depuis": "2025-12-10", "jusqu_a": "2025-12-01"})
    assert response.status_code == 422
    assert "Période inversée : la date de début («\u00a0Depuis\u00a0») est après la date de fin" in response.text
    assert 'value="2025-12-10"' in response.text and 'value="2025-12-01"' in response.text


def test_each_row_shows_its_cause(pages, db_session):
    """Issue 25.11: the ledger's cause, as its French label, in a column of its own."""
    _ledger(db_session)
    workshop = make_workshop(db_session, nom="Atelier")
    cord = catalogue.get_by_code(db_session=db_session, code_produit="CORD-012")
    make_line(db_session, workshop, cord, 4)
    stock.transfer(db_session=db_session, source=workshop, target=techniciens.get_by_name(db_session=db_session, nom="Allan"),
                   product=cord, quantity=Decimal(1), auteur="bureau")
    db_session.commit()
    html = pages.get("/transactions", params={"technicien": "Allan"}).text
    assert "<th>Cause</th>" in html
    causes = re.findall(r'<td class="cause">([^<]*)</td>', html)
    assert causes == ["Transfert", "Changement manuel", "Changement manuel"]
