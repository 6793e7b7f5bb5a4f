"""Running the real `inventaire` command: in-process through Typer's CliRunner, or as a server process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from inventaire.cli.main import app as cli_app
from inventaire.kit.config import get_settings
from tests.live import free_port


def run_cli(database_url: str, *args: str, env: dict[str, str] | None = None):
    """Invoke `inventaire ARGS` against this database; returns Click's Result."""
    get_settings.cache_clear()  # the CLI reads DATABASE_URL through the cached settings
    try:
        return CliRunner().invoke(cli_app, list(args), env={"DATABASE_URL": database_url, **(env or {})})
    finally:
        get_settings.cache_clear()


def flat(text: str) -> str:
    """Output with Rich's line wrapping undone, for assertions on whole sentences."""
    return " ".join(text.split())


class ServeProcess:
    """`inventaire serve` in a child process on a free port; output goes to a file."""

    def __init__(self, database_url: str, workdir: Path, *, env: dict[str, str] | None = None,
                 args: tuple[str, ...] = (), ready_timeout: float = 30):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"serve-{self.port}.log"
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("inventaire")), "serve", "--port", str(self.port), *args],
            stdout=self._log, stderr=subprocess.STDOUT, cwd=workdir,
            env={**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
        self._wait_ready(timeout=max(ready_timeout, 90))  # a loaded machine (CI, shared cores) starts slowly

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited early:\n{self.output()}")
            try:
                if httpx.get(f"{self.base_url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"serve did not answer within {timeout}s:\n{self.output()}")

    def output(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as when a machine loses power."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._log.close()

    def stop(self) -> None:
        """SIGTERM, then wait for a graceful exit (kill after 10 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
