"""Throw-away benchmark databases (PostgreSQL and SQLite), migrated, then bulk-loaded.

PostgreSQL is loaded with COPY; SQLite with executemany inside one transaction (its fastest
bulk path) through SQLAlchemy Core, so the scaled-integer decimals are written by the real
column types. Balances are then set from the ledger in one set-based UPDATE.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import insert, text

import inventaire.models  # noqa: F401  (registers every table on Base.metadata)
from bench.datagen import LEDGER_COLUMNS, Dataset
from inventaire.kit.database import Base, make_engine
from inventaire.kit.migrate import upgrade
from inventaire.kit.names import loose_key

PG_ADMIN_URL = os.environ.get("INVENTAIRE_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
CHUNK = 50_000

REFRESH_BALANCES = """
UPDATE inventaire_techniciens SET quantite = s.total
FROM (SELECT stock_line_id, SUM(ajustement) AS total FROM transactions_inventaire
      GROUP BY stock_line_id) AS s
WHERE s.stock_line_id = inventaire_techniciens.id AND inventaire_techniciens.quantite <> s.total
"""
# The ledger's foreign keys and secondary indexes, dropped during a large COPY and rebuilt after
# (PostgreSQL's "Populating a Database" advice): rebuilding is set-based, row-by-row checks are not.
SECONDARY = """
SELECT 'ALTER TABLE transactions_inventaire DROP CONSTRAINT ' || quote_ident(conname),
       'ALTER TABLE transactions_inventaire ADD CONSTRAINT ' || quote_ident(conname) || ' '
           || pg_get_constraintdef(oid)
FROM pg_constraint WHERE conrelid = 'transactions_inventaire'::regclass AND contype = 'f'
UNION ALL
SELECT 'DROP INDEX ' || quote_ident(indexname), indexdef
FROM pg_indexes WHERE tablename = 'transactions_inventaire'
  AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'transactions_inventaire'::regclass)
"""
INCONSISTENT_LINES = """
SELECT COUNT(*) FROM inventaire_techniciens l
LEFT JOIN (SELECT stock_line_id, SUM(ajustement) AS total FROM transactions_inventaire
           GROUP BY stock_line_id) s ON s.stock_line_id = l.id
WHERE l.quantite <> COALESCE(s.total, 0) OR l.quantite < 0
"""


class BenchDatabase:
    """One migrated, empty database of `backend`; `drop()` removes it."""

    def __init__(self, backend: str):
        self.backend = backend
        name = f"inventaire_bench_{uuid.uuid4().hex[:10]}"
        if backend == "postgresql":
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            self.conninfo = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
            self.url = self.conninfo.replace("postgresql://", "postgresql+psycopg://", 1)
            self.name = name
        else:
            self.folder = tempfile.mkdtemp(prefix="inventaire-bench-")
            self.path = Path(self.folder) / f"{name}.db"
            self.url = f"sqlite:///{self.path}"
        upgrade(self.url)
        self.engine = make_engine(self.url)
        self.token: str | None = None  # an admin token, once the data is loaded

    def drop(self) -> None:
        self.engine.dispose()
        if self.backend == "postgresql":
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            os.rmdir(self.folder)

    # -- loading ---------------------------------------------------------------------------------
    def load_base(self, data: Dataset) -> None:
        """Products, technicians and every line (at zero until the ledger is loaded)."""
        # A technician is a location (`emplacements`) and a row of `techniciens` with the same id.
        supplier = {"id": 1, "nom": "Banc d'essai", "nom_cle": loose_key("Banc d'essai"),
                    "created_at": data.now, "updated_at": data.now}
        tables = (("fournisseurs", [supplier]), ("produits_catalogue", data.product_rows), ("emplacements", data.technician_rows),
                  ("techniciens", [{"id": t["id"], "email": None} for t in data.technician_rows]),
                  ("inventaire_techniciens", [_without(r, "planned") for r in data.line_rows]))
        if self.backend == "postgresql":
            with psycopg.connect(self.conninfo) as conn:
                for table, rows in tables:
                    columns = list(rows[0])
                    _copy(conn, table, columns, (tuple(r[c] for c in columns) for r in rows))
                    if table != "techniciens":  # its id is its location's: no sequence of its own
                        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {len(rows)})")
        else:
            with self.engine.begin() as conn:
                for table, rows in tables:
                    conn.execute(insert(Base.metadata.tables[table]), rows)

    def load_ledger(self, data: Dataset, count: int) -> int:
        """Append the dataset's next `count` ledger rows, then set balances from the ledger."""
        loaded = 0
        if self.backend == "postgresql":
            with psycopg.connect(self.conninfo) as conn:
                conn.execute("SET maintenance_work_mem = '256MB'")
                secondary = conn.execute(SECONDARY).fetchall()
                for drop, _ in secondary:
                    conn.execute(drop)
                with conn.cursor().copy(
                    f"COPY transactions_inventaire ({', '.join(LEDGER_COLUMNS)}) FROM STDIN"
                ) as copy:
                    for row in data.take(count):
                        copy.write_row(row)
                        loaded += 1
                for _, restore in secondary:
                    conn.execute(restore)
                conn.execute(REFRESH_BALANCES)
        else:
            loaded = self._sqlite_ledger(data.take(count))
        self.analyze()
        return loaded

    def _sqlite_ledger(self, rows) -> int:
        """executemany on the bare driver, values converted by the columns' own types, indexes rebuilt after."""
        table = Base.metadata.tables["transactions_inventaire"]
        dialect = self.engine.dialect
        convert = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in LEDGER_COLUMNS]
        insert_sql = (f"INSERT INTO transactions_inventaire ({', '.join(LEDGER_COLUMNS)}) "
                      f"VALUES ({', '.join('?' * len(LEDGER_COLUMNS))})")
        loaded = 0

        def converted():
            nonlocal loaded
            for row in rows:
                loaded += 1
                yield tuple(v if f is None else f(v) for f, v in zip(convert, row, strict=False))

        conn = sqlite3.connect(self.path, isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("BEGIN IMMEDIATE")
            indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                   "AND tbl_name = 'transactions_inventaire' AND sql IS NOT NULL").fetchall()
            for name, _ in indexes:
                conn.execute(f'DROP INDEX "{name}"')
            conn.executemany(insert_sql, converted())
            for _, create in indexes:
                conn.execute(create)
            conn.execute(REFRESH_BALANCES)
            conn.execute("COMMIT")
        finally:
            conn.close()
        return loaded

    def analyze(self) -> None:
        """Fresh statistics (and visibility maps on PostgreSQL), as a maintained database has."""
        if self.backend == "postgresql":
            with psycopg.connect(self.conninfo, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        else:
            with sqlite3.connect(self.path) as conn:
                conn.execute("ANALYZE")

    # -- checks ----------------------------------------------------------------------------------
    def scalar(self, sql: str):
        with self.engine.connect() as conn:
            return conn.execute(text(sql)).scalar()

    def ledger_rows(self) -> int:
        return self.scalar("SELECT COUNT(*) FROM transactions_inventaire")

    def inconsistent_lines(self) -> int:
        """Lines whose balance differs from the sum of their ledger rows (or is negative)."""
        return self.scalar(INCONSISTENT_LINES)


def _copy(conn: psycopg.Connection, table: str, columns: list[str], rows) -> None:
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _without(row: dict, key: str) -> dict:
    return {k: v for k, v in row.items() if k != key}
