"""The timed measurements: HTTP latencies and rates, the service's own SQL replayed raw, pgbench."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
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

from inventaire.kit.database import make_sessionmaker

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
        for call, out in zip(calls, samples, strict=False):
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

    def __enter__(self) -> HttpCall:
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
    requests: int  # the requests during which the server's CPU time was measured
    first_error: str | None = None
    server_cpu_ms: float = float("nan")  # server CPU time per request
    client: str = "httpx"


ADJUST_BODY = {"ajustement": 1, "type": "reception", "motif": "Banc d'essai", "reference": "BANC"}


def adjust_rate(base_url: str, token: str, targets: list[tuple[str, str]], *, clients: int, seconds: float,
                warmup: float, server_cpu: Callable[[], float]) -> Rate:
    """POST /stock/ajuster per second from `clients` connections: wrk when installed, else Python threads.

    wrk (C) takes a few percent of a core where 16 Python threads took a third of one, on the
    same two cores as the server: the Python client understated the server (BENCHMARKS.md).
    """
    if shutil.which("wrk"):
        return wrk_adjust_rate(base_url, token, targets, clients=clients, seconds=seconds, warmup=warmup,
                               server_cpu=server_cpu)
    cpu = server_cpu()
    rate = http_adjust_rate(base_url, token, targets, clients=clients, seconds=seconds, warmup=warmup)
    rate.server_cpu_ms = (server_cpu() - cpu) / max(rate.requests, 1) * 1000
    return rate


WRK_SCRIPT = r"""
local bodies = {%(bodies)s}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(token)s"
request = function() return wrk.format(nil, "/inventaire/stock/ajuster", nil, bodies[math.random(#bodies)]) end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%f %%f\n", summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def wrk_adjust_rate(base_url: str, token: str, targets: list[tuple[str, str]], *, clients: int, seconds: float,
                    warmup: float, server_cpu: Callable[[], float]) -> Rate:
    """The same load as `http_adjust_rate`, generated by wrk (2 threads, `clients` connections)."""
    bodies = ",".join(
        "[==[" + json.dumps({"technicien": t, "code_produit": c, **ADJUST_BODY}) + "]==]" for t, c in targets)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="inventaire-bench-") as script:
        script.write(WRK_SCRIPT % {"bodies": bodies, "token": token})
        script.flush()

        def run(duration: float) -> tuple[list[str], float]:
            command = ["wrk", "-t2", f"-c{clients}", f"-d{max(1, round(duration))}s", "-s", script.name, base_url]
            start = time.process_time()
            children = os.times()
            out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
            spent = os.times()
            match = re.search(r"^RESULT (.*)$", out.stdout, re.M)
            if out.returncode != 0 or match is None:
                raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr[-500:]} {out.stdout[-500:]}")
            client_cpu = (spent.children_user + spent.children_system - children.children_user
                          - children.children_system + time.process_time() - start)
            return match.group(1).split(), client_cpu

        run(warmup)
        cpu = server_cpu()
        (requests, status_errors, socket_errors, p50, p95), client_cpu = run(seconds)
        cpu = server_cpu() - cpu
    requests, errors = int(requests), int(status_errors) + int(socket_errors)
    return Rate(
        per_second=(requests - errors) / round(seconds), ok=requests - errors, errors=errors,
        p50_ms=float(p50), p95_ms=float(p95), client_cpu=client_cpu / round(seconds), requests=requests,
        first_error=f"{status_errors} non-2xx, {socket_errors} socket errors" if errors else None,
        server_cpu_ms=cpu / max(requests, 1) * 1000, client="wrk",
    )


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
        client_cpu=cpu / (seconds + warmup), requests=sum(r[4] for r in results),
        first_error=next((r[3] for r in results if r[3]), None),
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

