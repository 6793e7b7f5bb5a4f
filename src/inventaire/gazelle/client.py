"""Gazelle's private GraphQL API over httpx: OAuth refresh, retries, Relay paging.

The refresh token Gazelle returns replaces the old one at once (the old one stops working),
so it is committed to the database in its own short transaction the moment it arrives,
before anything else can fail. The access token is reused until it expires, and refreshed
once when Gazelle answers 401 before that. Tokens and the client secret never reach a log,
an error message or an answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable, Iterator

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from inventaire.gazelle import queries
from inventaire.gazelle.models import GazelleToken
from inventaire.kit.config import Settings
from inventaire.kit.database import session_scope, utcnow
from inventaire.kit.exceptions import DomainError
from inventaire.kit.quantities import count

log = logging.getLogger(__name__)
PAGE = 100
# An access token this close to its expiry is refreshed first rather than failing mid-sync.
EXPIRY_MARGIN = dt.timedelta(seconds=60)


class GazelleError(DomainError):
    """Gazelle could not be read (or refused us): the run fails, nothing is written."""

    status_code = 502


class NotConfigured(GazelleError):
    """The connector has no client id, secret or refresh token: a setting to fix here, not Gazelle's fault."""

    status_code = 409


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class GazelleClient:
    def __init__(self, settings: Settings, session_factory: sessionmaker[Session],
                 sleep: Callable[[float], None] = time.sleep):
        if not settings.gazelle_configured:
            raise NotConfigured(
                "Gazelle n'est pas configuré : définissez INVENTAIRE_GAZELLE_CLIENT_ID, "
                "INVENTAIRE_GAZELLE_CLIENT_SECRET et INVENTAIRE_GAZELLE_REFRESH_TOKEN (voir le README).")
        self.settings = settings
        self.session_factory = session_factory
        self.sleep = sleep
        timeout = settings.gazelle_timeout
        self.http = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)))
        self._access: str | None = None

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> GazelleClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- tokens -----------------------------------------------------------------------------------

    def _stored_access(self) -> str | None:
        with session_scope(self.session_factory) as session:
            row = session.get(GazelleToken, 1)
            if row and row.access_token and row.expires_at and row.expires_at - EXPIRY_MARGIN > utcnow():
                return row.access_token
        return None

    def _refresh(self, stale: str | None) -> str:
        """A new access token; the rotated refresh token is committed before this returns."""
        with session_scope(self.session_factory) as session:
            row = session.scalar(select(GazelleToken).where(GazelleToken.id == 1).with_for_update())
            if row and row.access_token and row.access_token != stale and row.expires_at and (
                    row.expires_at - EXPIRY_MARGIN > utcnow()):
                return row.access_token  # another run refreshed while this one waited for the lock
            initial = self.settings.gazelle_refresh_token
            if initial is None and row is None:
                raise GazelleError("Aucun jeton de rafraîchissement Gazelle : définissez "
                                   "INVENTAIRE_GAZELLE_REFRESH_TOKEN (voir le README).")
            origin = _digest(initial.get_secret_value()) if initial else (row.origine if row else "")
            if row is not None and (row.origine == origin or initial is None):
                refresh = row.refresh_token
            else:  # no row, or a token configured since: the configured one (guarded above)
                refresh = initial.get_secret_value() if initial is not None else ""
            answer = self._token_request(refresh)
            if row is None:
                row = GazelleToken(id=1, refresh_token=refresh, origine=origin)
                session.add(row)
            row.origine = origin
            row.refresh_token = answer.get("refresh_token") or refresh
            row.access_token = answer["access_token"]
            lifetime = int(answer.get("expires_in") or 3600)
            row.expires_at = utcnow() + dt.timedelta(seconds=lifetime)
            row.updated_at = utcnow()
        return answer["access_token"]

    def _token_request(self, refresh: str) -> dict:
        data = {"grant_type": "refresh_token", "refresh_token": refresh,
                "client_id": self.settings.gazelle_client_id,
                "client_secret": self.settings.gazelle_client_secret.get_secret_value()}  # type: ignore[union-attr]  # checked at start
        response = self._send("l'authentification", lambda: self.http.post(self.settings.gazelle_token_url, data=data))
        if response.status_code in (400, 401):
            raise GazelleError(
                "Gazelle refuse le jeton de rafraîchissement (révoqué ou déjà utilisé) : obtenez-en un nouveau "
                "et définissez INVENTAIRE_GAZELLE_REFRESH_TOKEN (voir le README).")
        body = self._json(response, "l'authentification")
        if "access_token" not in body:
            raise GazelleError("Réponse d'authentification de Gazelle sans jeton d'accès.")
        return body

    def _token(self) -> str:
        if self._access is None:
            self._access = self._stored_access() or self._refresh(None)
        return self._access

    # --- requests ---------------------------------------------------------------------------------

    def _send(self, what: str, request: Callable[[], httpx.Response]) -> httpx.Response:
        """One HTTP exchange, tried again on timeouts, network errors and 5xx (bounded, with backoff)."""
        attempts = self.settings.gazelle_attempts
        error: Exception | None
        for attempt in range(1, attempts + 1):
            try:
                response = request()
            except httpx.TimeoutException as exc:
                problem = f"délai dépassé ({self.settings.gazelle_timeout:g} s)"
                error = exc
            except httpx.HTTPError as exc:
                problem, error = f"Gazelle injoignable ({exc.__class__.__name__})", exc
            else:
                if response.status_code < 500:
                    return response
                problem, error = f"Gazelle a répondu {response.status_code}", None
            log.warning("gazelle: %s failed (attempt %d/%d): %s", what, attempt, attempts, problem)
            if attempt < attempts:
                self.sleep(self.settings.gazelle_backoff * 2 ** (attempt - 1))
        raise GazelleError(f"Lecture de Gazelle impossible pendant {what} : {problem} "
                           f"après {count(attempts, 'tentative')}.") from error

    @staticmethod
    def _json(response: httpx.Response, what: str) -> dict:
        if response.status_code >= 400:
            raise GazelleError(f"Gazelle a répondu {response.status_code} pendant {what}.")
        try:
            return response.json()
        except ValueError as exc:
            raise GazelleError(f"Réponse illisible de Gazelle pendant {what}.") from exc

    def query(self, document: str, variables: dict | None = None) -> dict:
        """The `data` of one GraphQL query; GazelleError on errors (a 401 refreshes the token once)."""
        payload = {"query": document, "variables": variables or {}}

        def post(token: str) -> httpx.Response:
            return self._send("la lecture des données", lambda: self.http.post(
                self.settings.gazelle_api_url, json=payload, headers={"Authorization": f"Bearer {token}"}))

        response = post(self._token())
        if response.status_code == 401:  # expired early, or revoked: one refresh, one more try
            self._access = self._refresh(self._access)
            response = post(self._access)
            if response.status_code == 401:
                raise GazelleError("Gazelle refuse le jeton d'accès même renouvelé.")
        body = self._json(response, "la lecture des données")
        if body.get("errors"):
            messages = "; ".join(str(e.get("message", e))[:200] for e in body["errors"][:3])
            raise GazelleError(f"Gazelle a répondu par des erreurs GraphQL : {messages}")
        return body.get("data") or {}

    # --- reads ------------------------------------------------------------------------------------

    def invoices(self, *, since: dt.date, progress: Callable[[int, int], None] | None = None) -> Iterator[dict]:
        """Every invoice dated since `since`, page after page to the end, each with all its items."""
        after, seen = None, 0
        while True:
            data = self.query(queries.INVOICES, {"first": PAGE, "after": after,
                                                 "filters": {"invoiceDateGet": since.isoformat()}})
            connection = data["allInvoices"]
            for node in connection.get("nodes") or []:
                if node is None:
                    continue
                yield self._complete(node)
                seen += 1
            if progress is not None:
                progress(seen, connection.get("totalCount") or seen)
            page = connection["pageInfo"]
            if not page["hasNextPage"]:
                return
            if not page.get("endCursor"):
                raise GazelleError("Gazelle annonce une page suivante sans curseur.")
            after = page["endCursor"]

    def _complete(self, invoice: dict) -> dict:
        """The invoice with every item, reading the items' further pages when it has more than a page."""
        items = invoice["allInvoiceItems"]
        nodes = [n for n in items.get("nodes") or [] if n is not None]
        page = items["pageInfo"]
        while page["hasNextPage"]:
            more = self.query(queries.MORE_ITEMS, {"id": invoice["id"], "after": page["endCursor"]})
            connection = (more.get("invoice") or {}).get("allInvoiceItems")
            if connection is None:
                raise GazelleError(f"La facture {invoice['id']} a disparu pendant sa lecture.")
            nodes += [n for n in connection.get("nodes") or [] if n is not None]
            page = connection["pageInfo"]
        return {**invoice, "items": nodes}

    def users(self) -> list[dict]:
        return self.query(queries.USERS)["allUsers"]

    def service_items(self) -> list[dict]:
        return self.query(queries.SERVICE_ITEMS)["allMasterServiceItems"]
