"""Loading the demonstration data through the same services as everything else (idempotent)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy.orm import Session

from inventaire.catalogue import service as catalogue
from inventaire.database import utcnow
from inventaire.demo.data import GAZELLE_IDS, PRODUCTS, RULES, TECHNICIANS
from inventaire.enums import TransactionType
from inventaire.regles import service as regles
from inventaire.stock import service as stock
from inventaire.techniciens import service as techniciens

AUTEUR = "démo"


def _product_data(row: tuple) -> dict:
    code, nom, categorie, unite, cost, sale, supplier, threshold = row
    return {
        "code_produit": code, "nom_produit": nom, "categorie": categorie, "unite": unite,
        "prix_unitaire": Decimal(cost), "prix_vente": Decimal(sale) if sale else None,
        "fournisseur": supplier, "seuil_reorder": Decimal(threshold), "actif": True,
    }


def load_demo(*, db_session: Session, seed: int = 2025) -> dict[str, int]:
    """Create what is missing: technicians, products, and 90 days of history for new lines."""
    created = {"techniciens": 0, "produits": 0, "mouvements": 0, "regles": 0}
    people = []
    for nom, email in TECHNICIANS:
        tech = techniciens.get_by_name(db_session=db_session, nom=nom)
        if tech is None:
            tech = techniciens.create(db_session=db_session, nom=nom, email=email)
            created["techniciens"] += 1
        if tech.gazelle_id is None and techniciens.get_by_gazelle_id(
                db_session=db_session, gazelle_id=GAZELLE_IDS[nom]) is None:
            tech.gazelle_id = GAZELLE_IDS[nom]
        people.append(tech)
    products = []
    for row in PRODUCTS:
        product = catalogue.get_by_code(db_session=db_session, code_produit=row[0])
        if product is None:
            product = catalogue.create(db_session=db_session, data=_product_data(row))
            created["produits"] += 1
        products.append(product)
    created["regles"] = _rules(db_session)
    start = utcnow() - dt.timedelta(days=90)
    for tech in people:
        # One generator per technician and per line: a rerun picks the same lines and skips them.
        for product in random.Random(f"{seed}:{tech.nom}").sample(products, k=24):
            if stock.get_line(db_session=db_session, technician=tech, product=product) is not None:
                continue
            rng = random.Random(f"{seed}:{tech.nom}:{product.code_produit}")
            created["mouvements"] += _history(db_session, rng, tech, product, start)
    return created


def _rules(db_session: Session) -> int:
    """The office's consumption rules, those missing only."""
    existing = {(r.service_id, r.produit.code_produit) for r in regles.list_rules(db_session=db_session)}
    added = 0
    for service_id, service_nom, code, quantite in RULES:
        product = catalogue.get_by_code(db_session=db_session, code_produit=code)
        if (service_id, code) in existing or product is None:
            continue
        regles.create(db_session=db_session, service_id=service_id, product=product,
                      quantite=Decimal(quantite), service_nom=service_nom)
        added += 1
    return added


def _history(db_session: Session, rng: random.Random, tech, product, start: dt.datetime) -> int:
    """An opening reception, then uses and refills over 90 days; a few lines end low."""
    threshold = product.seuil_reorder or Decimal(5)
    step = Decimal("0.5") if product.unite == "m" else Decimal(1)
    level = (threshold * rng.choice([2, 3, 4]) + step * rng.randint(1, 4)).quantize(step)
    at = start + dt.timedelta(hours=rng.randint(0, 48))
    stock.adjust(db_session=db_session, technician=tech, product=product, kind=TransactionType.RECEPTION, delta=level,
                 auteur=AUTEUR, motif="Stock initial", at=at)
    count = 1
    while True:
        at += dt.timedelta(days=rng.uniform(3, 12))
        if at >= utcnow():
            return count
        line = stock.get_line(db_session=db_session, technician=tech, product=product)
        if line.quantite > threshold or rng.random() < 0.12:
            used = min(line.quantite, step * rng.randint(1, 3))
            if used <= 0:
                continue
            stock.adjust(db_session=db_session, technician=tech, product=product, kind=TransactionType.UTILISATION,
                         delta=-used, auteur=tech.nom, motif="Service chez un client (démo)", at=at,
                         reference=f"RDV-{rng.randint(4000, 4999)}")
        else:
            stock.adjust(db_session=db_session, technician=tech, product=product, kind=TransactionType.RECEPTION,
                         delta=level - line.quantite, auteur=AUTEUR, motif="Réapprovisionnement", at=at)
        count += 1
