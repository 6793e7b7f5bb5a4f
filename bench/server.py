"""`inventaire serve` in a subprocess on a free loopback port, with an admin token made beforehand."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from inventaire.auth import service as auth_service
from inventaire.kit.database import make_sessionmaker, session_scope

INVENTAIRE = Path(sys.executable).with_name("inventaire")


def admin_token(engine) -> str:
    """A fresh admin token (so `serve` does not create and print one)."""
    with session_scope(make_sessionmaker(engine)) as session:
        raw, _ = auth_service.create_token(db_session=session, role="admin", nom="banc d'essai")
    return raw


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The real server as an operator starts it; `with Server(...) as s:` serves at `s.base_url`."""

    def __init__(self, database_url: str, workers: int = 1, floor: bool = False):
        self.database_url = database_url
        self.workers = workers
        self.floor = floor  # serve bench/floor_app.py (the stack alone) instead of the service
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="inventaire-bench-serve-", suffix=".log", delete=False)
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        env = {**os.environ, "DATABASE_URL": self.database_url}
        command = [str(INVENTAIRE), "serve"]
        if self.floor:
            command = [sys.executable, "-m", "uvicorn", "bench.floor_app:app", "--no-access-log"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers)]
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True, cwd=Path(__file__).resolve().parent.parent)
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        ready = 0
        while ready < 2 * self.workers:  # several answers: with N workers, most likely all are up
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}):\n{self._log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer in {timeout:.0f} s:\n{self._log_tail()}")
            try:
                ready += httpx.get(f"{self.base_url}/health", timeout=2).status_code == 200
            except httpx.TransportError:
                time.sleep(0.1)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server and its workers (everything in its process group)."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # the process ended meanwhile
                continue
            if int(fields[2]) == self.process.pid:  # field 5, pgrp: our session leader
                total += int(fields[11]) + int(fields[12])  # utime + stime
        return total / os.sysconf("SC_CLK_TCK")

    def _log_tail(self) -> str:
        self.log.flush()
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-20:])

    def __exit__(self, *exc_info) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # our own session: the server and its workers
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)
