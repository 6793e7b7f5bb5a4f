"""Helpers shared by the tests: factories that build data through the real services, and small
tools for HTTP clients, pages and the command line. Tests import them from here, never from a
conftest file or another test module.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventaire.auth import service as auth_service
from inventaire.catalogue import service as catalogue
from inventaire.catalogue.models import Product
from inventaire.emplacements.models import Location
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope
from inventaire.stock import service as stock
from inventaire.stock.models import StockLine
from inventaire.techniciens import service as techniciens

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
_seq = itertools.count(1)

# --- Factories ---------------------------------------------------------------------------------


def make_product(db_session: Session, **overrides):
    n = next(_seq)
    data = {
        "code_produit": f"TEST-{n:04d}", "nom_produit": f"Produit d'essai {n}", "categorie": "Essais",
        "unite": "unité", "prix_unitaire": Decimal("10.00"), "prix_vente": None, "fournisseur": None,
        "seuil_reorder": None, "actif": True, "divisible": True,
    }
    data.update(overrides)
    return catalogue.create(db_session=db_session, data=data)


def make_technician(db_session: Session, **overrides):
    n = next(_seq)
    data = {"nom": f"Tech {n}", "email": None, "actif": True}
    data.update(overrides)
    return techniciens.create(db_session=db_session, **data)


def make_line(db_session: Session, technician, product, quantite, **levels):
    """A stock line at `quantite`, reached through a real reception (so the ledger agrees)."""
    quantite = Decimal(str(quantite))
    if quantite > 0:
        stock.adjust(db_session=db_session, location=technician, product=product, kind="reception",
                     delta=quantite, auteur="essai", cause="manuel")
    line = stock.set_levels(db_session=db_session, location=technician, product=product, changes=levels)
    return line


def database_state(db_session: Session) -> dict[str, Any]:
    """Row counts of every table and every balance: equal before and after = nothing changed."""
    from inventaire.models import Base
    from inventaire.stock.models import StockLine

    db_session.expire_all()
    counts = {t.name: db_session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables
              if t.name != "echecs_authentification"}  # refused tokens are counted on purpose (auth/throttle.py)
    balances = sorted(db_session.execute(select(StockLine.id, StockLine.quantite)).all())
    return {"rows": counts, "balances": balances}


def build_seed_data(db_session: Session) -> Any:
    """The seed's example: Allan carries 15 products worth 450.50; 3 alerts (1 critical, 2 low)."""
    allan = make_technician(db_session, nom="Allan")
    corde = make_product(db_session, code_produit="CORD-001", nom_produit="Corde #1 (Do)",
                         prix_unitaire=Decimal("10.00"))
    make_line(db_session, allan, corde, 0)
    # 3 and 5 are <= 5.0 (bas_stock), the rest are fine: 20.00 + 11 × 35.00 + 45.50 = 450.50.
    lines = [(3, "2.50"), (5, "2.50")] + [(10, "3.50")] * 11 + [(10, "4.55")]
    for i, (qty, price) in enumerate(lines):
        product = make_product(db_session, code_produit=f"P-{i:02d}", nom_produit=f"Pièce {i:02d}",
                               prix_unitaire=Decimal(price))
        make_line(db_session, allan, product, qty)
    return allan


def make_token(db_session: Session, role: str, technician: Any = None, nom: str | None = None) -> str:
    """A committed API token of this role; returns it in clear."""
    raw, _ = auth_service.create_token(db_session=db_session, role=role, technician=technician, nom=nom)
    db_session.commit()
    return raw


# --- HTTP and pages ----------------------------------------------------------------------------

def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def csrf_of(html: str) -> str:
    """The CSRF token a page carries (its <meta name="csrf-token">)."""
    match = re.search(r'<meta name="csrf-token" content="([^"]*)"', html)
    assert match and match.group(1), "the page carries no CSRF token"
    return match.group(1)


def log_in(client: TestClient, token: str) -> str:
    """Log the client in with the `?jeton=` link; returns the session's CSRF token."""
    response = client.get("/connexion", params={"jeton": token})
    assert response.status_code == 200, response.text
    return csrf_of(response.text)


def error_header(response: Any) -> str:
    """The French message an HTMX answer carries in its X-Inventaire-Erreur header."""
    return unquote(response.headers["x-inventaire-erreur"])


def browser_page(browser: Any, server: Any, token: str | None, **options: Any) -> tuple[Any, Any]:
    """A French (Montréal) browser context and its page, logged in with `token` when given.

    `page.problems` collects the page's script errors and console errors, for the test to assert.
    """
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(base_url=server.base_url, locale="fr-CA", timezone_id="America/Montreal",
                                  **options)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.on("console", lambda msg: page.problems.append(msg.text) if msg.type == "error" else None)
    if token:
        page.goto(f"/connexion?jeton={token}")
    return context, page


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under tests/artifacts/ (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- Command line ------------------------------------------------------------------------------

@contextmanager
def committed(url: str) -> Iterator[Session]:
    """A session on the database at `url`, committed at the end of the block."""
    engine = make_engine(url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            yield session
    finally:
        engine.dispose()


def make_workshop(db_session: Session, **overrides):
    from inventaire.ateliers import service as ateliers

    data = {"nom": f"Atelier {next(_seq)}", "actif": True}
    data.update(overrides)
    return ateliers.create(db_session=db_session, **data)


def balance_of(db_session: Session, holder: str, code: str) -> Decimal | None:
    """The stored quantity of a location's line of a product, as committed now (None: no line)."""
    db_session.expire_all()
    return db_session.scalar(
        select(StockLine.quantite).join(Location, Location.id == StockLine.emplacement_id)
        .join(Product, Product.id == StockLine.produit_id)
        .where(Location.nom == holder, Product.code_produit == code))


# --- Concurrency -------------------------------------------------------------------------------

def start_together(server: Any, n: int, work: Callable[[Any, int], Any]) -> list:
    """Run `work(client, i)` in n threads, each with its own HTTP connection, released at once."""
    barrier = threading.Barrier(n, timeout=60)

    def run(i: int):
        with server.client() as client:
            barrier.wait()
            return work(client, i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))
