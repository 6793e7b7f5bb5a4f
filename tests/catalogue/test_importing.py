"""The catalogue's CSV import (catalogue/importing.py): creations, updates, all or nothing, the export read back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from inventaire.audit.models import AuditEntry
from inventaire.catalogue import importing
from inventaire.catalogue.models import Product
from inventaire.exports import service as exports
from inventaire.fournisseurs import service as suppliers
from inventaire.fournisseurs.models import Supplier
from inventaire.kit.exceptions import InvalidInput
from tests.helpers import make_product


def _import(db_session, text: str, encoding: str = "utf-8"):
    return importing.import_products(db_session=db_session, content=text.encode(encoding), name="catalogue.csv")


def _catalogue(db_session) -> list[tuple]:
    db_session.expire_all()
    return [(p.code_produit, p.nom_produit, p.categorie, p.unite, p.prix_unitaire, p.prix_vente, p.fournisseur,
             p.code_barres, p.seuil_reorder, p.divisible, p.actif)
            for p in db_session.scalars(select(Product).order_by(Product.code_cle))]


@pytest.fixture
def stored(db_session):
    suppliers.create(db_session=db_session, data={"nom": "Röslau Stahldraht"})
    make_product(db_session, code_produit="CORD-001", nom_produit="Corde #1", unite="unité", divisible=False,
                 code_barres="4006381333931", prix_unitaire=Decimal("4.20"))
    make_product(db_session, code_produit="FEUT-002", nom_produit="Feutre rouge", unite="m",
                 code_barres="036000291452")
    db_session.flush()
    return db_session


def test_new_codes_are_created_and_known_codes_updated(stored):
    report = _import(stored, "\ufeffcode_produit;nom_produit;categorie;unite;prix_unitaire;fournisseur;code_barres;divisible\r\n"
                             "cord-001;Corde #1 (Do);Cordes;unité;4,35;ROSLAU STAHLDRAHT;4006381333931;non\r\n"
                             "MART-010;Marteau Renner;Marteaux;jeu;112,50;Renner;0012345678905;\r\n"
                             "FEUT-002;Feutre rouge;Essais;m;10,00;;036000291452;oui\r\n")
    assert (report.crees, report.modifies, report.inchanges, report.erreurs) == (["MART-010"], ["CORD-001"], 1, [])
    assert report.summary() == "1 produit créé, 1 modifié, 1 inchangé"
    rows = {row[0]: row for row in _catalogue(stored)}
    # the code kept as stored; the supplier found whatever its case and accents, not created again
    assert rows["CORD-001"][1:9] == ("Corde #1 (Do)", "Cordes", "unité", Decimal("4.35"), None, "Röslau Stahldraht",
                                     "4006381333931", None)
    assert rows["MART-010"][1:] == ("Marteau Renner", "Marteaux", "jeu", Decimal("112.50"), None, "Renner",
                                    "0012345678905", None, False, True)  # « jeu »: whole units when not said
    assert sorted(stored.scalars(select(Supplier.nom))) == ["Renner", "Röslau Stahldraht"]


def test_the_audit_trail_records_what_the_import_did(stored):
    start = stored.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0
    report = _import(stored, "code_produit,nom_produit,prix_unitaire\nCORD-001,Corde #1,5\nNOUV-1,Nouveau,1\n")
    assert (report.crees, report.modifies, report.erreurs) == (["NOUV-1"], ["CORD-001"], [])
    stored.flush()
    trail = stored.execute(select(AuditEntry.action, AuditEntry.objet, AuditEntry.changements)
                           .where(AuditEntry.id > start).order_by(AuditEntry.id)).all()
    actions = [(action, objet) for action, objet, _ in trail]
    assert ("produit_modifie", "CORD-001") in actions and ("produit_cree", "NOUV-1") in actions
    change = next(c for a, o, c in trail if o == "CORD-001")
    assert list(change) == ["prix_unitaire"] and Decimal(change["prix_unitaire"][1]) == 5


def test_an_empty_cell_clears_what_may_be_empty_and_keeps_the_rest(stored):
    _import(stored, "code_produit;nom_produit;code_barres;fournisseur;prix_unitaire\nFEUT-002;;;;\n")
    feutre = {row[0]: row for row in _catalogue(stored)}["FEUT-002"]
    assert (feutre[1], feutre[4], feutre[7]) == ("Feutre rouge", Decimal("10.00"), None)


BAD_ROWS = [
    ("CORD-001;Corde;douze", 2, "prix_unitaire", "doit être un nombre"),
    ("NOUV-1;;1", 2, "nom_produit", "obligatoire"),
    ("NOUV 1;Nouveau;1", 2, "code_produit", "sans espace"),
    ("CORD-001;Corde;-3", 2, "prix_unitaire", "0"),
    ("CORD-001;Corde;1\ncord-001;Corde;2", 3, "code_produit", "déjà à la ligne 2"),
]


@pytest.mark.parametrize(("rows", "ligne", "colonne", "words"), BAD_ROWS)
def test_a_bad_row_names_its_line_and_column_and_nothing_is_written(stored, rows, ligne, colonne, words):
    before = _catalogue(stored)
    report = _import(stored, "code_produit;nom_produit;prix_unitaire\n" + rows + "\nNOUV-2;Bon produit;1,5\n")
    assert [(p.ligne, p.colonne) for p in report.erreurs] == [(ligne, colonne)], report.erreurs
    assert words in report.erreurs[0].motif
    assert str(report.erreurs[0]).startswith(f"Ligne {ligne}, colonne « {colonne} » : ")
    assert (report.crees, report.modifies) == ([], [])
    assert _catalogue(stored) == before


def test_barcodes_of_another_product_or_twice_in_the_file_are_refused(stored):
    before = _catalogue(stored)
    report = _import(stored, "code_produit;nom_produit;code_barres;divisible\n"
                             "NOUV-1;Nouveau;4006381333931;oui\n"     # CORD-001's, which the file does not change
                             "NOUV-2;Autre;0012345678905;\n"
                             "NOUV-3;Encore;0012345678905;non\n"
                             "NOUV-4;Dernier;;peut-être\n")
    assert [str(p) for p in report.erreurs] == [
        "Ligne 2, colonne « code_barres » : « 4006381333931 » est déjà celui de « CORD-001 ».",
        "Ligne 4, colonne « code_barres » : « 0012345678905 » est déjà celui de « NOUV-2 » à la ligne 3.",
        "Ligne 5, colonne « divisible » : « oui » ou « non » attendu, pas « peut-être »."]
    assert _catalogue(stored) == before


def test_a_barcode_may_move_between_products_of_the_same_file(stored):
    report = _import(stored, "code_produit;code_barres\nFEUT-002;4006381333931\nCORD-001;036000291452\n")
    assert report.erreurs == [] and sorted(report.modifies) == ["CORD-001", "FEUT-002"]
    rows = {row[0]: row[7] for row in _catalogue(stored)}
    assert rows == {"CORD-001": "036000291452", "FEUT-002": "4006381333931"}


def test_a_whole_unit_takes_no_fractional_threshold(stored):
    report = _import(stored, "code_produit;seuil_reorder\nCORD-001;2,5\nFEUT-002;2,5\n")
    assert [(p.ligne, p.colonne) for p in report.erreurs] == [(2, "seuil_reorder")]
    assert "unités entières" in report.erreurs[0].motif


def test_files_it_cannot_read_are_refused_in_french(stored):
    with pytest.raises(InvalidInput, match="colonne manquante : code_produit"):
        _import(stored, "nom;prix\nCorde;2\n")
    with pytest.raises(InvalidInput, match="colonne donnée deux fois sous deux noms : prix_unitaire"):
        _import(stored, "code_produit;Prix;Coût unitaire\nCORD-001;2;3\n")
    with pytest.raises(InvalidInput, match="n'est pas un fichier texte UTF-8"):
        _import(stored, "code_produit;nom_produit\nCORD-1;Crème\n", "cp1252")
    with pytest.raises(InvalidInput, match="ligne 2 : CSV illisible"):
        _import(stored, "code_produit;nom_produit\nCORD-1;" + "C" * 200_000 + "\n")


def test_the_catalogue_export_reads_back_unchanged(stored):
    make_product(stored, code_produit="FORM-1", nom_produit="=SOMME(A1)", prix_vente=Decimal("12.40"),
                 seuil_reorder=Decimal("1.5"), fournisseur="Pianotek", actif=False)
    before = _catalogue(stored)
    body = exports.catalogue_csv(db_session=stored)
    assert body.startswith("\ufeffcode_produit;nom_produit;categorie;unite;prix_unitaire;prix_vente;fournisseur;")
    assert "'=SOMME(A1)" in body and "12,40" in body  # a spreadsheet sees text, and a French decimal comma
    report = importing.import_products(db_session=stored, content=body.encode("utf-8"), name="export.csv")
    assert (report.erreurs, report.crees, report.modifies, report.inchanges) == ([], [], [], len(before))
    assert _catalogue(stored) == before
    # the same file on an empty catalogue creates every product as it was
    for product in stored.scalars(select(Product)):
        stored.delete(product)
    stored.flush()
    assert len(importing.import_products(db_session=stored, content=body.encode(), name="export.csv").crees) == len(before)
    assert _catalogue(stored) == before


TEXT = st.text(st.sampled_from("abcXYZ éÉçà0129 ;,\"=+-@#'()/"), min_size=1, max_size=30).map(str.strip).filter(
    lambda t: t != "" and not t.startswith("'"))  # a leading « ' » before « = » is the export's guard, read as one
PRODUCTS = st.lists(st.fixed_dictionaries({
    "nom_produit": TEXT, "categorie": TEXT, "unite": st.sampled_from(["unité", "m", "bobine", "ml", "boîte de 100"]),
    "prix_unitaire": st.decimals(min_value=0, max_value=99_999, places=2),
    "prix_vente": st.none() | st.decimals(min_value=0, max_value=99_999, places=2),
    "fournisseur": st.none() | st.sampled_from(["Renner", "Röslau", "=Piano+"]),
    "barcode": st.booleans(), "seuil_reorder": st.none() | st.integers(0, 50).map(Decimal),
    "divisible": st.booleans(), "actif": st.booleans(),
}), min_size=1, max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(products=PRODUCTS)
def test_any_catalogue_survives_export_then_import(db_session, products):
    savepoint = db_session.begin_nested()
    try:
        for i, data in enumerate(products):
            barcode = f"{i:03d}" + "4006381333" if data.pop("barcode") else None
            make_product(db_session, code_produit=f"PROP-{i}", code_barres=barcode, **data)
        before = _catalogue(db_session)
        body = exports.catalogue_csv(db_session=db_session).encode("utf-8")
        again = importing.import_products(db_session=db_session, content=body, name="export.csv")
        assert (again.erreurs, again.crees, again.modifies) == ([], [], [])
        for product in db_session.scalars(select(Product)):
            db_session.delete(product)
        db_session.flush()
        created = importing.import_products(db_session=db_session, content=body, name="export.csv")
        assert (created.erreurs, len(created.crees)) == ([], len(before))
        assert _catalogue(db_session) == before
    finally:
        savepoint.rollback()
