"""Page fixtures: clients logged in through /connexion, and a real Chromium for browser tests."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from inventaire.auth import service as auth_service

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
REQUIRE_BROWSER = os.environ.get("INVENTAIRE_REQUIRE_BROWSER") == "1"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def csrf_of(html: str) -> str:
    """The CSRF token a page carries (its <meta name="csrf-token">)."""
    match = re.search(r'<meta name="csrf-token" content="([^"]*)"', html)
    assert match and match.group(1), "the page carries no CSRF token"
    return match.group(1)


def log_in(client: TestClient, token: str) -> str:
    """Log the client in with the `?jeton=` link; returns the session's CSRF token."""
    response = client.get("/connexion", params={"jeton": token})
    assert response.status_code == 200, response.text
    return csrf_of(response.text)


def make_token(db_session, role: str, technician=None, nom: str | None = None) -> str:
    raw, _ = auth_service.create_token(db_session=db_session, role=role, technician=technician, nom=nom)
    db_session.commit()
    return raw


@pytest.fixture
def pages(app, admin_token) -> Iterator[TestClient]:
    """A browser-like client logged in as the office; `pages.csrf` is its CSRF token."""
    with TestClient(app, raise_server_exceptions=False) as client:
        client.csrf = log_in(client, admin_token)
        yield client


@pytest.fixture
def anonymous(app) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


# --- Real Chromium -----------------------------------------------------------------------------

def chromium_missing() -> str | None:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        return f"Chromium absent ({CHROMIUM}) : apt-get install -y chromium"
    return None


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (each test gets its own context)."""
    reason = chromium_missing()
    if reason:
        if REQUIRE_BROWSER:
            pytest.fail(f"INVENTAIRE_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/artifacts/ (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def error_header(response) -> str:
    """The French message an HTMX answer carries in its X-Inventaire-Erreur header."""
    from urllib.parse import unquote

    return unquote(response.headers["x-inventaire-erreur"])
