"""The README's curl examples, run as written by bash and curl against a live `make run`-like server."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.commands import ServeProcess, run_cli
from tests.databases import MigratedDatabase

README = Path(__file__).resolve().parents[1] / "README.md"
LOCAL = "http://127.0.0.1:8000"


def curl_examples() -> list[str]:
    """Each `curl` command of the README's bash blocks that targets the local server, lines joined."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S):
        joined = re.sub(r"\\\n\s*", " ", block)
        joined = re.sub(r"'\{([^']*)\n\s*([^']*)\}'", lambda m: "'{" + m[1] + " " + m[2] + "}'", joined)
        commands += [line.strip() for line in joined.splitlines()
                     if line.strip().startswith("curl ") and LOCAL in line]
    return commands


def test_the_readme_has_curl_examples():
    examples = curl_examples()
    assert len(examples) >= 8 and not any("uuidgen" in e for e in examples)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl absent : apt-get install -y curl")
def test_every_curl_example_answers_2xx_on_the_demo(tmp_path):
    database = MigratedDatabase("sqlite", tmp_path)
    try:
        assert run_cli(database.url, "demo").exit_code == 0
        token = run_cli(database.url, "token", "create", "--role", "admin", "--nom", "readme").stdout.strip()
        with ServeProcess(database.url, tmp_path) as server:
            for command in curl_examples():
                live = command.replace(LOCAL, server.base_url).replace(
                    "curl ", "curl -sS -o /dev/null -w '%{http_code}' ", 1)
                done = subprocess.run(["bash", "-c", live], capture_output=True, text=True, timeout=60,
                                      env={"TOKEN": token, "PATH": "/usr/bin:/bin"})
                assert done.returncode == 0 and done.stdout.startswith("2"), (command, done.stdout, done.stderr)
    finally:
        database.dispose()
