"""Deploying: `serve` takes PORT and HOST from the environment, the public address in links,
Secure cookies and HSTS behind an https proxy, and a French warning for SQLite on Render."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from inventaire.app import create_app
from inventaire.kit.config import Settings
from tests.live import free_port

INVENTAIRE = Path(sys.executable).with_name("inventaire")


def serve_from_env(database_url: str, workdir: Path, **env: str) -> tuple[int, str]:
    """Start `inventaire serve` with no option at all, wait for /health on $PORT, stop it; (status, output)."""
    port = free_port()
    log = workdir / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([str(INVENTAIRE), "serve"], stdout=out, stderr=subprocess.STDOUT, cwd=workdir,
                                   env={**os.environ, "DATABASE_URL": database_url, "PORT": str(port),
                                        "HOST": "127.0.0.1", "PYTHONUNBUFFERED": "1", **env})
        try:
            deadline, status = time.monotonic() + 30, None
            while status is None and time.monotonic() < deadline and process.poll() is None:
                try:
                    status = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code
                except httpx.HTTPError:
                    time.sleep(0.1)
        finally:
            process.terminate()
            process.wait(timeout=15)
    return status, log.read_text(errors="replace")


def test_serve_listens_on_port_and_host_from_the_environment(fresh_database, tmp_path):
    status, output = serve_from_env(fresh_database.url, tmp_path, INVENTAIRE_BASE_URL="https://stock.atelier.example")
    assert status == 200, output
    assert "Tableau de bord : https://stock.atelier.example/connexion?jeton=inv_" in output  # the banner's link
    assert "SQLite" not in output


def test_sqlite_on_render_is_warned_about_in_french(tmp_path):
    from inventaire.kit.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'inventaire.db'}"
    upgrade(url)
    status, output = serve_from_env(url, tmp_path, RENDER="true")
    assert status == 200, output
    flat = " ".join(output.split())
    assert "Attention : la base est un fichier SQLite sur Render (RENDER=true)" in flat
    assert "le stock et le journal seraient perdus" in flat


def test_no_warning_for_postgresql_on_render():
    assert not Settings(DATABASE_URL="postgresql://u@h/db", RENDER="true").ephemeral_sqlite
    assert Settings(DATABASE_URL="sqlite:///x.db", RENDER="true").ephemeral_sqlite
    assert not Settings(DATABASE_URL="sqlite:///x.db").ephemeral_sqlite


def test_the_public_address_is_checked_and_defaults_to_renders(monkeypatch):
    assert Settings(base_url="https://stock.example.com/").base_url == "https://stock.example.com"
    with pytest.raises(ValueError, match="adresse http:// ou https:// attendue"):
        Settings(base_url="stock.example.com")
    monkeypatch.setenv("RENDER_EXTERNAL_URL", "https://inventaire.onrender.com")
    assert Settings().link("/connexion") == "https://inventaire.onrender.com/connexion"
    monkeypatch.setenv("INVENTAIRE_BASE_URL", "https://stock.example.com")
    assert Settings().base_url == "https://stock.example.com"  # a custom domain wins


@pytest.fixture
def https_app(database, session_factory):
    settings = Settings(DATABASE_URL=database.url, base_url="https://stock.atelier.example")
    return create_app(settings, session_factory=session_factory)


def test_behind_an_https_proxy_cookies_are_secure_and_hsts_is_sent(https_app, admin_token):
    # What the app sees behind Render's proxy when proxy headers are not believed: plain http.
    with TestClient(https_app, base_url="http://10.0.0.5:10000") as client:
        login = client.get("/connexion", params={"jeton": admin_token}, follow_redirects=False)
        assert login.status_code == 303 and "Secure" in login.headers["set-cookie"]
        assert login.headers["strict-transport-security"] == "max-age=31536000"
        assert client.get("/health").headers["strict-transport-security"] == "max-age=31536000"
        assert client.get("/inventaire/catalogue").headers["strict-transport-security"]  # a 401 too


def test_no_hsts_without_an_https_public_address(client):
    assert "strict-transport-security" not in client.get("/health").headers
