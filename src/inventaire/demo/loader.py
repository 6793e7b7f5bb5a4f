"""Loading the demonstration data through the same services as everything else (idempotent)."""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

from sqlalchemy.orm import Session

from inventaire.ateliers import service as ateliers
from inventaire.catalogue import service as catalogue
from inventaire.commandes import service as orders
from inventaire.demo.data import ACTIVITY, ALWAYS, GAZELLE_IDS, PRODUCTS, RULES, SLOW, SUPPLIERS, TECHNICIANS, USAGE
from inventaire.fournisseurs import service as suppliers
from inventaire.kit.database import utcnow
from inventaire.kit.enums import MovementCause, TransactionType
from inventaire.regles import service as regles
from inventaire.stock import reading as stock_lines
from inventaire.stock import service as stock
from inventaire.techniciens import service as techniciens

AUTEUR = "démo"
WORKSHOP = "Atelier"
HISTORY_DAYS = 365
LINES_PER_VAN = 24


def _product_data(row: tuple) -> dict:
    code, nom, categorie, unite, cost, sale, supplier, threshold = row
    return {
        "code_produit": code, "nom_produit": nom, "categorie": categorie, "unite": unite,
        "prix_unitaire": Decimal(cost), "prix_vente": Decimal(sale) if sale else None,
        "fournisseur": supplier, "seuil_reorder": Decimal(threshold), "actif": True,
    }


def load_demo(*, db_session: Session, seed: int = 2025) -> dict[str, int]:
    """Create what is missing: technicians, products, and a year of history for new lines."""
    created = {"techniciens": 0, "produits": 0, "mouvements": 0, "regles": 0, "ateliers": 0, "commandes": 0}
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
    for details in SUPPLIERS:
        if suppliers.get_by_name(db_session=db_session, nom=str(details["nom"])) is None:
            minimum = details["minimum_commande"]
            suppliers.create(db_session=db_session, data={
                **details, "minimum_commande": Decimal(str(minimum)) if minimum is not None else None})
    products = {}
    for row in PRODUCTS:
        product = catalogue.get_by_code(db_session=db_session, code_produit=row[0])
        if product is None:
            product = catalogue.create(db_session=db_session, data=_product_data(row))
            created["produits"] += 1
        products[product.code_produit] = product
    created["regles"] = _rules(db_session)
    now = utcnow().replace(second=0, microsecond=0)
    for tech in people:
        # One generator per technician and per line: a rerun picks the same lines and skips them.
        others = sorted(set(products) - set(ALWAYS))
        drawn = random.Random(f"{seed}:{tech.nom}").sample(others, k=LINES_PER_VAN - len(ALWAYS))
        for code in (*ALWAYS, *drawn):
            product = products[code]
            if stock_lines.get_line(db_session=db_session, location=tech, product=product) is not None:
                continue
            rng = random.Random(f"{seed}:{tech.nom}:{code}")
            created["mouvements"] += _history(db_session, rng, tech, product, now)
    created["ateliers"], moves = _workshop(db_session, list(products.values()), now, seed)
    created["mouvements"] += moves
    created["commandes"] = _orders(db_session, products, now)
    return created


# Two supplier orders, neither received (the stock and its history stay the demo's own): the PLS
# season's pads and water treatment sent to Dampp-Chaser three days ago (on order), and a draft
# of strings for Röslau. Loaded only into a database without orders.
DEMO_ORDERS = [
    ("Dampp-Chaser", 3, (("PLS-BUVARDS", 30), ("PLS-DOUBLURE", 24), ("PLS-TRAIT-227", 18))),
    ("Röslau", None, (("CORD-012", 6), ("CORD-013", 6), ("CORD-015", 4))),
]


def _orders(db_session: Session, products: dict, now: dt.datetime) -> int:
    workshop = ateliers.get_by_name(db_session=db_session, nom=WORKSHOP)
    if workshop is None or orders.list_orders(db_session=db_session, limit=1):
        return 0
    for supplier, sent_days_ago, lines in DEMO_ORDERS:
        order = orders.create(
            db_session=db_session, fournisseur=supplier, workshop=workshop, auteur=AUTEUR, tz="America/Montreal",
            lines=[orders.LineIn(products[code], Decimal(n), products[code].prix_unitaire) for code, n in lines])
        if sent_days_ago is not None:
            orders.send(db_session=db_session, order=order)
            order.created_at = now - dt.timedelta(days=sent_days_ago + 1)
            order.envoyee_le = order.updated_at = now - dt.timedelta(days=sent_days_ago)
    return len(DEMO_ORDERS)


def _workshop(db_session: Session, products: list, now: dt.datetime, seed: int) -> tuple[int, int]:
    """The workshop « Atelier »: the reserve the vans are refilled from, received from the suppliers a
    month ago; a few products run low there (a picking list then shows what it cannot serve)."""
    workshop = ateliers.get_by_name(db_session=db_session, nom=WORKSHOP)
    added = 0
    if workshop is None:
        workshop = ateliers.create(db_session=db_session, nom=WORKSHOP)
        added = 1
    rng = random.Random(f"{seed}:{WORKSHOP}")
    moves = 0
    for product in products:
        if stock_lines.get_line(db_session=db_session, location=workshop, product=product) is not None:
            continue
        threshold = product.seuil_reorder or Decimal(5)
        step = Decimal("0.5") if product.unite == "m" else Decimal(1)
        level = (threshold * rng.choice([1, 3, 4, 6]) + step * rng.randint(0, 6)).quantize(step)
        if level <= 0:
            continue
        stock.adjust(db_session=db_session, location=workshop, product=product, kind=TransactionType.RECEPTION,
                     delta=level, auteur=AUTEUR, cause=MovementCause.DEMO, motif="Réception fournisseur (démo)",
                     reference=f"BC-{rng.randint(1000, 1999)}", at=now - dt.timedelta(days=30))
        stock.set_levels(db_session=db_session, location=workshop, product=product,
                         changes={"niveau_par": (threshold * 6).quantize(step)})
        moves += 1
    return added, moves


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


def season(day: dt.date) -> float:
    """How much PLS work a day sees: a peak in mid-October, before the heating dries pianos out."""
    distance = min(abs(day.timetuple().tm_yday - 288), 365 - abs(day.timetuple().tm_yday - 288))
    return 0.45 + 2.6 * math.exp(-((distance / 32) ** 2))


def _poisson(rng: random.Random, mean: float) -> int:
    """How many services use the part on one day (Knuth's method: means here are below 5)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _history(db_session: Session, rng: random.Random, tech, product, now: dt.datetime) -> int:
    """A year of one line: an opening reception, uses on working days, refills on Mondays.

    The van is refilled to its par level on Monday mornings when the line is at or under its
    threshold; between two refills a busy week can empty it (a stockout the forecast should see).
    """
    per_day, largest, seasonal = USAGE.get(product.code_produit, SLOW)
    per_day *= ACTIVITY.get(tech.nom, 1.0)
    step = Decimal("0.5") if product.unite == "m" else Decimal(1)
    threshold = product.seuil_reorder or Decimal(5)
    weekly = per_day * 5 * (largest + 1) / 2 * (2.0 if seasonal else 1.0)
    par = max(threshold * 2, threshold + step * math.ceil(weekly * 1.2 / float(step)))
    stock.set_levels(db_session=db_session, location=tech, product=product, changes={"niveau_par": par})
    start = (now - dt.timedelta(days=HISTORY_DAYS)).replace(hour=12, minute=0)
    level = stock.adjust(db_session=db_session, location=tech, product=product, kind=TransactionType.RECEPTION,
                         delta=par, auteur=AUTEUR, cause=MovementCause.DEMO, motif="Stock initial",
                         at=start).quantite_apres
    count = 1
    for offset in range(1, HISTORY_DAYS + 1):
        day = start + dt.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        if day.weekday() == 0 and level <= threshold:
            level = stock.adjust(db_session=db_session, location=tech, product=product,
                                 kind=TransactionType.RECEPTION, delta=par - level, auteur=AUTEUR,
                                 cause=MovementCause.DEMO, motif="Réapprovisionnement",
                                 at=day.replace(hour=12)).quantite_apres
            count += 1
        mean = per_day * (season(day.date()) if seasonal else 1.0)
        busy = 4 if rng.random() < 0.02 else 1  # a rebuild now and then: a few exceptional days
        for visit in range(_poisson(rng, mean)):
            used = min(level, step * rng.randint(1, largest) * busy)
            at = day.replace(hour=13 + min(visit, 7), minute=rng.randint(0, 59))
            if used <= 0 or at >= now:
                continue
            level = stock.adjust(db_session=db_session, location=tech, product=product,
                                 kind=TransactionType.UTILISATION, delta=-used, auteur=tech.nom,
                                 cause=MovementCause.DEMO, motif="Service chez un client (démo)", at=at,
                                 reference=f"RDV-{rng.randint(4000, 9999)}").quantite_apres
            count += 1
    return count
