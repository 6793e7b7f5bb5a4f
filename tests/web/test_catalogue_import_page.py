"""The catalogue page's CSV import and export (the office's session): the same service as the CLI."""

from __future__ import annotations

import html
from decimal import Decimal

from sqlalchemy import select

from inventaire.audit.models import AuditEntry
from inventaire.catalogue.models import Product
from tests.helpers import log_in, make_product, make_technician, make_token

GOOD = ("code_produit;nom_produit;prix_unitaire;fournisseur;code_barres\r\n"
        "CORD-001;Corde #1 (Do);4,35;Pianotek;\r\n"
        "MART-010;Marteau Renner;112,50;Renner;0012345678905\r\n")


def _catalogue(db_session) -> list[tuple]:
    db_session.expire_all()
    return [(p.code_produit, p.nom_produit, p.prix_unitaire, p.fournisseur, p.code_barres)
            for p in db_session.scalars(select(Product).order_by(Product.code_cle))]


def _send(client, text: str, name: str = "catalogue.csv"):
    return client.post("/catalogue/import", data={"csrf": client.csrf},
                       files={"fichier": (name, ("\ufeff" + text).encode("utf-8"), "text/csv")})


def test_the_office_uploads_a_file_and_sees_the_counts(pages, db_session):
    make_product(db_session, code_produit="CORD-001", nom_produit="Corde #1", code_barres="4006381333931")
    db_session.commit()
    start = db_session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    page = pages.get("/catalogue").text
    assert 'action="/catalogue/import"' in page and 'enctype="multipart/form-data"' in page
    answer = _send(pages, GOOD)
    assert answer.status_code == 200
    assert ("Catalogue importé depuis «\u00a0catalogue.csv\u00a0» : 1 produit créé, 1 modifié, 0 inchangé."
            in html.unescape(answer.text))
    assert _catalogue(db_session) == [("CORD-001", "Corde #1 (Do)", Decimal("4.35"), "Pianotek", None),
                                      ("MART-010", "Marteau Renner", Decimal("112.50"), "Renner", "0012345678905")]
    # the trail records both, the office's session as their author (the barcode cleared: an empty cell)
    trail = db_session.execute(select(AuditEntry.auteur, AuditEntry.action, AuditEntry.objet)
                               .where(AuditEntry.id > start, AuditEntry.action.like("produit_%"))
                               .order_by(AuditEntry.id)).all()
    assert [tuple(row) for row in trail] == [("bureau", "produit_modifie", "CORD-001"), ("bureau", "produit_cree", "MART-010")]


def test_a_bad_file_lists_its_problems_and_changes_nothing(pages, db_session):
    make_product(db_session, code_produit="CORD-001", nom_produit="Corde #1", code_barres="4006381333931")
    db_session.commit()
    before = _catalogue(db_session)
    answer = _send(pages, GOOD + "NOUV-1;Nouveau;1,5;;0012345678905\r\nCORD-001;Doublon;1;;\r\n")
    assert answer.status_code == 422
    text = html.unescape(answer.text)
    assert "Aucun produit importé" in text
    assert ("Ligne 4, colonne «\u00a0code_barres\u00a0» : «\u00a00012345678905\u00a0» est déjà celui de "
            "«\u00a0MART-010\u00a0» à la ligne 3.") in text
    assert "Ligne 5, colonne «\u00a0code_produit\u00a0» : «\u00a0CORD-001\u00a0» est déjà à la ligne 2." in text
    assert _catalogue(db_session) == before
    missing = pages.post("/catalogue/import", data={"csrf": pages.csrf})
    assert missing.status_code == 422 and "Choisissez un fichier CSV" in html.unescape(missing.text)
    latin1 = pages.post("/catalogue/import", data={"csrf": pages.csrf},
                        files={"fichier": ("vieux.csv", "code_produit;nom_produit\nX-1;Crème\n".encode("cp1252"))})
    assert latin1.status_code == 422 and "n'est pas un fichier texte UTF-8" in html.unescape(latin1.text)
    assert _catalogue(db_session) == before


def test_the_export_downloaded_from_the_page_imports_back(pages, db_session):
    make_product(db_session, code_produit="FEUT-002", nom_produit="Feutre", unite="m", prix_vente=Decimal("3.10"),
                 fournisseur="Röslau", code_barres="036000291452", seuil_reorder=Decimal("0.5"))
    db_session.commit()
    before = _catalogue(db_session)
    download = pages.get("/catalogue.csv")
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    answer = pages.post("/catalogue/import", data={"csrf": pages.csrf},
                        files={"fichier": ("catalogue.csv", download.content, "text/csv")})
    assert "0 produit créé, 0 modifié, 1 inchangé" in html.unescape(answer.text)
    assert _catalogue(db_session) == before


def test_a_technician_can_neither_import_nor_export(app, db_session):
    from fastapi.testclient import TestClient

    token = make_token(db_session, "technicien", technician=make_technician(db_session, nom="Allan"))
    with TestClient(app, raise_server_exceptions=False) as client:
        client.csrf = log_in(client, token)
        assert "/catalogue/import" not in client.get("/catalogue").text
        assert _send(client, GOOD).status_code == 403
        assert client.get("/catalogue.csv").status_code == 403
    assert _catalogue(db_session) == []
