"""A real PgBouncer in pool_mode=transaction in front of the test PostgreSQL (what Supabase's port 6543 is).

Started once per test run on a free loopback port, the first time a test needs it, and stopped
when the run ends. Where the `pgbouncer` program is missing the tests that need it are skipped
with the reason, unless INVENTAIRE_REQUIRE_PGBOUNCER=1 (as in CI), which makes that a failure.
Debian: `apt-get install pgbouncer`.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

REQUIRE_PGBOUNCER = os.environ.get("INVENTAIRE_REQUIRE_PGBOUNCER") == "1"
# Debian installs it in /usr/sbin, which is not on every user's PATH.
PROGRAM = shutil.which("pgbouncer") or next((p for p in ("/usr/sbin/pgbouncer",) if Path(p).exists()), None)
POOLED_URLS: set[str] = set()  # the test databases reached through PgBouncer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgBouncer:
    """One PgBouncer process forwarding every database name to the upstream server."""

    def __init__(self, upstream_url: str):
        up = urlsplit(upstream_url.replace("postgresql+psycopg://", "postgresql://"))
        self.user = up.username or "postgres"
        self.port = _free_port()
        # World-readable: as root, PgBouncer refuses to run and drops to the postgres user (-u).
        self.folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
        self.folder.chmod(0o755)
        (self.folder / "users.txt").write_text(f'"{self.user}" ""\n')
        password = f" password={up.password}" if up.password else ""
        (self.folder / "pgbouncer.ini").write_text(f"""[databases]
* = host={up.hostname or '127.0.0.1'} port={up.port or 5432}{password}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {self.folder / 'users.txt'}
pool_mode = transaction
default_pool_size = 20
max_client_conn = 1000
server_reset_query =
ignore_startup_parameters = extra_float_digits
""")
        for path in self.folder.iterdir():
            path.chmod(0o644)
        self.log = open(self.folder / "pgbouncer.log", "wb")
        command = [PROGRAM] + (["-u", "postgres"] if os.geteuid() == 0 else []) + [str(self.folder / "pgbouncer.ini")]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_ready(upstream_url)

    def _wait_ready(self, upstream_url: str) -> None:
        database = urlsplit(upstream_url).path.lstrip("/") or "postgres"
        deadline = time.monotonic() + 15
        while True:
            try:
                with psycopg.connect(self.conninfo(database), connect_timeout=2, prepare_threshold=None) as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.OperationalError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    log = (self.folder / "pgbouncer.log").read_text()
                    raise RuntimeError(f"PgBouncer did not start: {log}") from None
                time.sleep(0.1)

    def conninfo(self, database: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def url_for(self, direct_url: str) -> str:
        """The SQLAlchemy URL of the same database, through this pooler."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{direct_url.rsplit('/', 1)[1]}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


_running: PgBouncer | None = None


def pgbouncer(upstream_url: str) -> PgBouncer:
    """The run's PgBouncer, started on first use."""
    global _running
    if _running is None:
        _running = PgBouncer(upstream_url)
        atexit.register(_running.stop)
    return _running


def require_pgbouncer() -> None:
    if PROGRAM is not None:
        return
    reason = "PgBouncer absent (Debian : apt-get install pgbouncer)"
    if REQUIRE_PGBOUNCER:
        pytest.fail(f"INVENTAIRE_REQUIRE_PGBOUNCER=1 but {reason}")
    pytest.skip(reason)


def pooler_settings(url: str) -> dict:
    """Settings overrides for a test database: the transaction pooler's, when reached through PgBouncer."""
    return {"db_pooler": "transaction"} if url in POOLED_URLS else {}
