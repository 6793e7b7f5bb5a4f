"""Gazelle's users and master service items for the pages, read at most every few minutes.

A page must open even when Gazelle is down or not set up: then the lists are empty and the
page says why, and the office can still type an id.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from inventaire.gazelle.client import GazelleClient, GazelleError
from inventaire.gazelle.convert import label
from inventaire.kit.config import Settings

TTL_SECONDS = 300
_cache: dict[tuple[str, str], tuple[float, list]] = {}
_lock = threading.Lock()


@dataclass
class Listing:
    items: list[dict]
    probleme: str | None = None  # why the list is empty, in French


def _read(settings: Settings, factory: sessionmaker[Session], what: str) -> Listing:
    key = (settings.gazelle_api_url, what)
    with _lock:
        cached = _cache.get(key)
        if cached and time.monotonic() - cached[0] < TTL_SECONDS:
            return Listing(cached[1])
    try:
        with GazelleClient(settings.model_copy(update={"gazelle_attempts": 1}), factory) as client:
            rows = client.users() if what == "users" else client.service_items()
    except GazelleError as exc:
        return Listing([], exc.detail)
    except OperationalError:  # the database is busy (SQLite's writer lock): the page still opens
        return Listing([], "base de données occupée, réessayez.")
    with _lock:
        _cache[key] = (time.monotonic(), rows)
    return Listing(rows)


def users(settings: Settings, factory: sessionmaker[Session]) -> Listing:
    """Gazelle's users by name: {"id", "nom", "email"}."""
    listing = _read(settings, factory, "users")
    listing.items = sorted(({"id": u["id"], "nom": f"{u['firstName']} {u['lastName']}".strip(), "email": u["email"]}
                            for u in listing.items), key=lambda u: u["nom"].casefold())
    return listing


def service_items(settings: Settings, factory: sessionmaker[Session]) -> Listing:
    """Gazelle's master service items in use, by group then name: {"id", "nom", "groupe"}."""
    listing = _read(settings, factory, "services")
    listing.items = sorted(
        ({"id": m["id"], "nom": label(m["name"]) or m["id"], "groupe": label(m["masterServiceGroup"]["name"]) or ""}
         for m in listing.items if not m.get("isArchived")),
        key=lambda m: (m["groupe"].casefold(), m["nom"].casefold()))
    return listing


def forget() -> None:
    """Drop the cached lists (tests, and after the office changes Gazelle's settings)."""
    with _lock:
        _cache.clear()
