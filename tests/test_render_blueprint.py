"""render.yaml: every setting listed, secrets never in it, and its commands work as Render runs them.

The last test builds the service the way Render does, in a fresh virtual environment: the
blueprint's build command (`pip install .`) on a copy of this checkout, its pre-deploy
command against a new PostgreSQL database, its start command with PORT set, then /health and
the cron job's command. To keep it fast the new environment sees the test environment's
installed packages (a .pth file), so pip only builds and installs the service itself.
"""

from __future__ import annotations

import os
import shutil
import signal
import site
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml
from pydantic import AliasChoices

from inventaire.kit.config import Settings
from tests.databases import create_pg_database, drop_pg_database, require_pg
from tests.live import free_port

ROOT = Path(__file__).resolve().parents[1]
BLUEPRINT = yaml.safe_load((ROOT / "render.yaml").read_text(encoding="utf-8"))
WEB = next(s for s in BLUEPRINT["services"] if s["type"] == "web")
CRON = next(s for s in BLUEPRINT["services"] if s["type"] == "cron")
SET_BY_RENDER = {"PORT", "RENDER", "RENDER_EXTERNAL_URL"}
SECRETS = {"DATABASE_URL", "INVENTAIRE_SMTP_PASSWORD", "INVENTAIRE_SLACK_WEBHOOK_URL", "INVENTAIRE_DISCORD_WEBHOOK_URL",
           "INVENTAIRE_GAZELLE_CLIENT_SECRET", "INVENTAIRE_GAZELLE_REFRESH_TOKEN"}


def setting_names() -> set[str]:
    """The environment variable of every setting (its alias, or INVENTAIRE_ + its name)."""
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            alias = alias.choices[0]
        names.add(alias if isinstance(alias, str) else f"INVENTAIRE_{name.upper()}")
    return names


def env_of(service: dict) -> dict[str, dict]:
    return {v["key"]: v for v in service["envVars"]}


def test_every_setting_is_in_the_blueprint():
    missing = setting_names() - SET_BY_RENDER - set(env_of(WEB))
    assert not missing, f"add these settings to render.yaml's web service: {sorted(missing)}"


def test_secrets_are_asked_for_never_written():
    web = env_of(WEB)
    for key in SECRETS:
        assert web[key].get("sync") is False and "value" not in web[key], key
    assert env_of(CRON)["INVENTAIRE_CRON_TOKEN"].get("sync") is False


def test_the_web_service_migrates_before_starting_on_port():
    assert WEB["preDeployCommand"] == "inventaire db upgrade"
    assert "--host 0.0.0.0" in WEB["startCommand"] and "$PORT" in WEB["startCommand"]
    assert WEB["healthCheckPath"] == "/health"
    assert CRON["schedule"] and "/inventaire/check-stock" in CRON["startCommand"]


def _copy_checkout(target: Path) -> Path:
    ignored = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", "build", ".pytest_cache",
                                     ".hypothesis", "artifacts", "*.db")
    return Path(shutil.copytree(ROOT, target, ignore=ignored))


def _fresh_venv(folder: Path) -> dict[str, str]:
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, timeout=120)
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    purelib = Path(subprocess.run([str(folder / "bin" / "python"), "-c", where],
                                  check=True, capture_output=True, text=True).stdout.strip())
    (purelib / "test_environment.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("INVENTAIRE_")}
    env.update(VIRTUAL_ENV=str(folder), PATH=f"{folder / 'bin'}{os.pathsep}{env['PATH']}",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def _run(command: str, env: dict, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def test_build_predeploy_start_and_cron_as_render_runs_them(tmp_path):
    require_pg()
    source = _copy_checkout(tmp_path / "checkout")
    env = _fresh_venv(tmp_path / "venv")
    database = create_pg_database()
    port = free_port()
    env.update({k: str(v["value"]) for k, v in env_of(WEB).items() if "value" in v})
    env.update(DATABASE_URL=database, PORT=str(port), RENDER="true", INVENTAIRE_BASE_URL=f"http://127.0.0.1:{port}")
    server = None
    try:
        began = time.monotonic()
        _run(WEB["buildCommand"], env, source)
        built = time.monotonic() - began
        assert shutil.which("inventaire", path=env["PATH"]) == str(tmp_path / "venv" / "bin" / "inventaire")
        assert _run(WEB["preDeployCommand"], env, source).stdout.strip().endswith("Base de données à jour.")

        log = open(tmp_path / "serve.log", "wb")
        server = subprocess.Popen(["bash", "-c", f"exec {WEB['startCommand']}"], cwd=source, env=env,
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline, health = time.monotonic() + 60, None
        while health is None and time.monotonic() < deadline and server.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
            except httpx.HTTPError:
                time.sleep(0.2)
        output = (tmp_path / "serve.log").read_text(errors="replace")
        assert health is not None and health.status_code == 200, output
        assert f"http://127.0.0.1:{port}/connexion?jeton=inv_" in output  # the banner uses the public address

        cron_token = _run("inventaire token create --role cron", env, source).stdout.strip()
        cron_env = {**{k: v for k, v in env.items() if k != "DATABASE_URL"},  # the cron job has no database
                    "INVENTAIRE_BASE_URL": f"http://127.0.0.1:{port}", "INVENTAIRE_CRON_TOKEN": cron_token}
        checked = _run(CRON["startCommand"], cron_env, source, timeout=120)
        assert "vérification : HTTP 200" in checked.stdout
        admin = output.split("Jeton : ", 1)[1].split()[0]
        runs = httpx.get(f"http://127.0.0.1:{port}/inventaire/verifications",
                         headers={"Authorization": f"Bearer {admin}"}, timeout=10).json()
        assert runs["total"] == 1 and runs["items"][0]["declenchee_par"] == "cron"
        print(f"render.yaml: build command (pip install ., no dependency to fetch) {built:.1f} s")
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        drop_pg_database(database)
