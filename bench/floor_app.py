"""The floor of the stack: FastAPI and SQLAlchemy running pgbench's transaction, and nothing else.

No authentication, no lookups, no validation beyond the body's model, text SQL, one thread-pool
hop: what this serves per second bounds what any service built on FastAPI, SQLAlchemy and
psycopg can reach on this machine for the same write. The benchmark serves it with the same
uvicorn and loads it with the same client as `inventaire serve`.

    DATABASE_URL=postgresql+psycopg://… uvicorn bench.floor_app:app --workers 2
"""

from __future__ import annotations

import os
import random
from decimal import Decimal

from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import create_engine, text
from starlette.concurrency import run_in_threadpool

engine = create_engine(os.environ["DATABASE_URL"], pool_size=20, pool_pre_ping=True)
app = FastAPI()
LINES = text("SELECT max(id) FROM inventaire_techniciens")
# The statements of bench/adjust.pgbench.
LOCK = text("SELECT quantite FROM inventaire_techniciens WHERE id = :line FOR UPDATE")
UPDATE = text("UPDATE inventaire_techniciens SET quantite = quantite + 1, updated_at = now() WHERE id = :line")
INSERT = text("""
INSERT INTO transactions_inventaire (stock_line_id, emplacement_id, produit_id, type, ajustement,
    quantite_avant, quantite_apres, motif, reference, auteur, created_at)
  SELECT id, emplacement_id, produit_id, 'reception', 1, quantite - 1, quantite,
    'Banc d''essai', 'PLANCHER', 'plancher', now()
  FROM inventaire_techniciens WHERE id = :line
""")
line_count: int | None = None


class Change(BaseModel):
    technicien: str
    code_produit: str
    ajustement: Decimal
    type: str
    motif: str | None = None
    reference: str | None = None


def write() -> int:
    global line_count
    with engine.begin() as conn:
        if line_count is None:
            line_count = conn.execute(LINES).scalar_one()
        line = random.randint(1, line_count)
        conn.execute(LOCK, {"line": line})
        conn.execute(UPDATE, {"line": line})
        conn.execute(INSERT, {"line": line})
    return line


@app.post("/inventaire/stock/ajuster")
async def adjust(change: Change) -> dict:
    return {"ligne": await run_in_threadpool(write), "technicien": change.technicien}


@app.get("/health")
async def health() -> dict:
    return {"status": "ok"}
