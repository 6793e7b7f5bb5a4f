"""The timed measurements: HTTP latencies and rates, the service's own SQL replayed raw, pgbench."""

from __future__ import annotations

import random
import re
import sqlite3
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import event
from sqlalchemy.orm import Session

from inventaire.database import make_sessionmaker

PGBENCH_SCRIPT = Path(__file__).with_name("adjust.pgbench")


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def interleaved(calls: list[Callable[[], object]], n: int, warmup: int = 1) -> list[list[float]]:
    """Seconds taken by each call, `n` times, the calls taking turns (so they share the same noise)."""
    for _ in range(warmup):
        for call in calls:
            call()
    samples: list[list[float]] = [[] for _ in calls]
    for _ in range(n):
        for call, out in zip(calls, samples):
            start = time.perf_counter()
            call()
            out.append(time.perf_counter() - start)
    return samples


# -- the service's SQL, captured and replayed on a bare driver connection ----------------------------
@contextmanager
def captured_sql(engine):
    statements: list[tuple[str, object]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def service_sql(engine, call: Callable[[Session], object]) -> list[tuple[str, object]]:
    """The SELECT statements (with parameters) that `call(session)` sends, in order."""
    with captured_sql(engine) as statements, make_sessionmaker(engine)() as session:
        call(session)
        session.rollback()
    return statements


def service_call(engine, call: Callable[[Session], object]) -> Callable[[], None]:
    """`call(session)` in-process, without HTTP, each time in its own rolled-back session."""
    factory = make_sessionmaker(engine)

    def once():
        with factory() as session:
            call(session)
            session.rollback()

    return once


@contextmanager
def raw_sql_call(db, statements: list[tuple[str, object]]):
    """The captured statements run directly on the driver, every row fetched."""
    conn = psycopg.connect(db.conninfo) if db.backend == "postgresql" else sqlite3.connect(db.path)

    def once():
        cursor = conn.cursor()
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            cursor.fetchall()
        conn.rollback()

    try:
        yield once
    finally:
        conn.close()


# -- HTTP ------------------------------------------------------------------------------------------
class HttpCall:
    """One request, repeated on a kept-alive connection; `last` is the latest answer."""

    def __init__(self, base_url: str, token: str, method: str, path: str):
        self.client = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=120)
        self.method, self.path, self.last = method, path, None

    def __call__(self) -> None:
        self.last = self.client.request(self.method, self.path)
        if self.last.status_code != 200:
            raise RuntimeError(f"{self.method} {self.path}: {self.last.status_code} {self.last.text[:300]}")

    def __enter__(self) -> "HttpCall":
        return self

    def __exit__(self, *exc_info) -> None:
        self.client.close()


@dataclass
class Rate:
    per_second: float
    ok: int
    errors: int
    p50_ms: float
    p95_ms: float
    client_cpu: float  # client process CPU seconds per wall second (2.0 = both cores)
    requests: int  # every completed request, warm-up included (to divide the server's CPU time)
    first_error: str | None = None


def http_adjust_rate(base_url: str, token: str, targets: list[tuple[str, str]], *, clients: int,
                     seconds: float, warmup: float) -> Rate:
    """Successful POST /stock/ajuster per second, `clients` threads each on its own connection.

    Only responses completed inside the measured window count (the warm-up fills pools and
    prepares statements)."""
    begin = time.monotonic() + warmup
    end = begin + seconds
    results: list[tuple[int, int, list[float], str | None, int]] = [(0, 0, [], None, 0)] * clients

    def client_loop(i: int) -> None:
        rng, ok, errors, latencies, first_error, done_count = random.Random(i), 0, 0, [], None, 0
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
            while time.monotonic() < end:
                technicien, code = rng.choice(targets)
                start = time.perf_counter()
                response = client.post("/inventaire/stock/ajuster", json={
                    "technicien": technicien, "code_produit": code, "ajustement": 1, "type": "reception",
                    "motif": "Banc d'essai", "reference": "BANC",
                })
                done = time.monotonic()
                done_count += 1
                if not begin <= done <= end:
                    continue
                if response.status_code == 200:
                    ok += 1
                    latencies.append(time.perf_counter() - start)
                else:
                    errors += 1
                    first_error = first_error or f"{response.status_code} {response.text[:200]}"
        results[i] = (ok, errors, latencies, first_error, done_count)

    cpu = time.process_time()
    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu = time.process_time() - cpu
    latencies = sorted(x for r in results for x in r[2])
    ok, errors = sum(r[0] for r in results), sum(r[1] for r in results)
    return Rate(
        per_second=ok / seconds, ok=ok, errors=errors,
        p50_ms=_percentile(latencies, 0.50) * 1000, p95_ms=_percentile(latencies, 0.95) * 1000,
        client_cpu=cpu / (seconds + warmup), requests=sum(r[4] for r in results), first_error=next((r[3] for r in results if r[3]), None),
    )


def _percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


# -- pgbench ---------------------------------------------------------------------------------------
def pgbench_rate(db, *, lines: int, clients: int, seconds: int, mode: str = "prepared") -> float:
    """Transactions per second of the same lock/update/insert, run by pgbench (PostgreSQL only)."""
    command = ["pgbench", "-n", "-M", mode, "-c", str(clients), "-j", "2", "-T", str(seconds),
               "-D", f"nlines={lines}", "-f", str(PGBENCH_SCRIPT), db.conninfo]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out.stdout)
    if out.returncode != 0 or match is None:
        raise RuntimeError(f"pgbench failed ({out.returncode}): {out.stderr[-500:]} {out.stdout[-500:]}")
    return float(match.group(1))

