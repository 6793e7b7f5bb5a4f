"""Catalogue service: the only code that reads and writes products."""

from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inventaire.catalogue import search
from inventaire.catalogue.models import Product, code_key, default_divisible
from inventaire.fournisseurs import service as suppliers
from inventaire.kit import quantities
from inventaire.kit.exceptions import Conflict, NotFound

# Built once: every stock request looks its product up (building the statement was a third of the cost).
_BY_CODE = select(Product).where(Product.code_cle == bindparam("key"))


def get_by_code(*, db_session: Session, code_produit: str) -> Product | None:
    """Return the product with this code, whatever its case, or None."""
    if "\x00" in code_produit or len(code_produit) > 40:  # no code is like this (PostgreSQL refuses NUL)
        return None
    return db_session.scalar(_BY_CODE, {"key": code_key(code_produit)})


def get_or_404(*, db_session: Session, code_produit: str) -> Product:
    """Return the product with this code or raise NotFound."""
    product = get_by_code(db_session=db_session, code_produit=code_produit)
    if product is None:
        raise NotFound(f"Produit inconnu : « {code_produit} ». Vérifiez le code dans le catalogue.")
    return product


def get_by_barcode(*, db_session: Session, code_barres: str) -> Product | None:
    """The product carrying this barcode (exactly as the scanner reads it), or None."""
    return db_session.scalar(select(Product).where(Product.code_barres == code_barres))


def list_products(
    *, db_session: Session, actif: bool | None = True, categorie: str | None = None, q: str | None = None,
    code_barres: str | None = None,
) -> list[Product]:
    """List products, filtered by status, category, barcode and a search in code and name."""
    query = select(Product).order_by(Product.categorie, Product.code_produit)
    if code_barres is not None:
        query = query.where(Product.code_barres == code_barres)
    if actif is not None:
        query = query.where(Product.actif.is_(actif))
    if categorie:
        query = query.where(Product.categorie == categorie)
    products = list(db_session.scalars(query))
    if q:  # the phone's rule (search.py): accents, case and word order do not matter; a catalogue is small
        products = [p for p in products if search.matches(q, p.code_produit, p.nom_produit)]
    return products


def list_categories(*, db_session: Session) -> list[str]:
    """The categories in use, sorted."""
    return list(db_session.scalars(select(Product.categorie).distinct().order_by(Product.categorie)))


def create(*, db_session: Session, data: dict[str, Any]) -> Product:
    """Add a product; a duplicate code is a conflict."""
    existing = get_by_code(db_session=db_session, code_produit=data["code_produit"])
    if existing is not None:
        raise Conflict(_taken(data["code_produit"], existing.code_produit))
    if data.get("divisible") is None:
        data = {**data, "divisible": default_divisible(data.get("unite") or "unité")}
    check_whole_threshold(data.get("divisible"), data.get("seuil_reorder"), data["code_produit"])
    _check_barcode(db_session, data.get("code_barres"), None)
    data = _with_supplier(db_session, data)
    product = Product(**data)
    db_session.add(product)
    try:
        with db_session.begin_nested():
            db_session.flush()
    except IntegrityError as exc:  # a concurrent insert of the same code
        raise Conflict(_taken(data["code_produit"], data["code_produit"])) from exc
    return product


def _taken(code: str, stored: str) -> str:
    """A code already in use, shown as stored when it was typed in another case."""
    if code == stored:
        return f"Le code produit « {code} » existe déjà."
    return f"Le code produit « {code} » existe déjà sous la forme « {stored} » (la casse ne compte pas)."


def _check_barcode(db_session: Session, code_barres: str | None, product: Product | None) -> None:
    """A barcode names one product: the same barcode on another one is a conflict."""
    if not code_barres:
        return
    holder = get_by_barcode(db_session=db_session, code_barres=code_barres)
    if holder is not None and holder is not product:
        raise Conflict(f"Le code-barres « {code_barres} » est déjà celui de « {holder.code_produit} ».")


def _with_supplier(db_session: Session, data: dict[str, Any]) -> dict[str, Any]:
    """`fournisseur` (a name) as the supplier it names, created when nobody entered it yet."""
    if "fournisseur" not in data:
        return data
    out = {k: v for k, v in data.items() if k != "fournisseur"}
    out["supplier"] = suppliers.named(db_session=db_session, nom=data["fournisseur"])
    return out


def update(*, db_session: Session, product: Product, changes: dict[str, Any]) -> Product:
    """Apply the given fields (a partial update)."""
    check_whole_threshold(changes.get("divisible", product.divisible),
                           changes.get("seuil_reorder", product.seuil_reorder), product.code_produit)
    if "code_barres" in changes:
        _check_barcode(db_session, changes["code_barres"], product)
    changes = _with_supplier(db_session, changes)
    for field, value in changes.items():
        setattr(product, field, value)
    db_session.flush()
    return product


def check_whole_threshold(divisible: bool | None, threshold: Decimal | None, code: str) -> None:
    """A product counted in whole units has a whole threshold (« 0,5 bobine » never matches a count)."""
    if divisible is False and threshold is not None and threshold != threshold.to_integral_value():
        raise Conflict(f"« {code} » se compte en unités entières : "
                       f"seuil de {quantities.quantity(threshold, grouped=True)} refusé.")


def archive(*, db_session: Session, product: Product) -> Product:
    """Archive a product: it leaves lists and checks, its history stays."""
    product.actif = False
    db_session.flush()
    return product
