"""A server killed (SIGKILL) in the middle of a burst of changes loses nothing it acknowledged
and leaves every balance equal to the sum of its ledger rows."""

from __future__ import annotations

import random
import threading
import time

import httpx
from sqlalchemy import select

from inventaire.auth import service as auth
from inventaire.kit.config import Settings
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope
from inventaire.stock import ledger
from inventaire.stock.models import StockLine, Transaction
from tests.commands import ServeProcess
from tests.helpers import make_line, make_product, make_technician

CODES = ["CORD-001", "CORD-002", "FEUT-010"]
TECHS = ["Allan", "Margot"]


def _prepare(url: str) -> str:
    engine = make_engine(Settings(DATABASE_URL=url).database_url)
    with session_scope(make_sessionmaker(engine)) as s:
        products = [make_product(s, code_produit=code) for code in CODES]
        for nom in TECHS:
            tech = make_technician(s, nom=nom)
            for product in products:
                make_line(s, tech, product, 50)
        raw, _ = auth.create_token(db_session=s, role="admin")
    engine.dispose()
    return raw


def _burst(base_url: str, token: str, acknowledged: list, stop: threading.Event, seed: int) -> None:
    """Send changes until the server dies; remember every id it acknowledged."""
    rnd = random.Random(seed)
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=10) as c:
        while not stop.is_set():
            kind, sign = rnd.choice([("reception", 1), ("utilisation", -1)])
            body = {"technicien": rnd.choice(TECHS), "code_produit": rnd.choice(CODES),
                    "ajustement": sign * rnd.choice([1, 2, 0.5]), "type": kind}
            try:
                response = c.post("/inventaire/stock/ajuster", json=body)
            except httpx.HTTPError:
                return  # the server is gone
            if response.status_code == 200:
                acknowledged.append(response.json()["id"])


def _verify(url: str, acknowledged: list[int]) -> int:
    """Balances equal ledger sums and last rows; every acknowledged row is there. Returns the row count."""
    engine = make_engine(Settings(DATABASE_URL=url).database_url)
    with session_scope(make_sessionmaker(engine)) as s:
        for line in s.scalars(select(StockLine)):
            last = s.scalars(select(Transaction).where(Transaction.stock_line_id == line.id)
                             .order_by(Transaction.id.desc()).limit(1)).one()
            assert line.quantite == last.quantite_apres == ledger.ledger_sum(db_session=s, line=line), line.id
        ids = set(s.scalars(select(Transaction.id)))
        rows = len(ids)
    engine.dispose()
    assert set(acknowledged) <= ids, "an acknowledged change was lost"
    return rows


def test_sigkill_during_a_burst(fresh_database, tmp_path):
    url = fresh_database.url
    token = _prepare(url)
    acknowledged: list[int] = []
    stop = threading.Event()
    server = ServeProcess(url, tmp_path)
    workers = [threading.Thread(target=_burst, args=(server.base_url, token, acknowledged, stop, n)) for n in range(6)]
    for w in workers:
        w.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 60 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()  # mid-burst: requests are in flight
    stop.set()
    for w in workers:
        w.join(timeout=15)
    assert len(acknowledged) >= 60, server.output()
    rows = _verify(url, acknowledged)
    assert rows >= len(acknowledged) + len(TECHS) * len(CODES)

    with ServeProcess(url, tmp_path) as restarted:  # restart on the same database: it works on
        with httpx.Client(base_url=restarted.base_url, headers={"Authorization": f"Bearer {token}"}) as c:
            response = c.post("/inventaire/stock/ajuster", json={
                "technicien": "Allan", "code_produit": "CORD-001", "ajustement": 1, "type": "reception"})
            assert response.status_code == 200, response.text
    _verify(url, [*acknowledged, response.json()["id"]])
