"""Gazelle's private GraphQL API over httpx: the way in, bounded requests, politeness, Relay paging.

The way in is the API key (`x-gazelle-api-key`, nothing to refresh) when one is set, else OAuth
(tokens.py). Every exchange is bounded: a deadline per request and one for the whole run (a
page trickled byte by byte does not outlive them), a cap on the answer's size, retries on
timeouts and 5xx with backoff, and a 429 waits for its `Retry-After` (bounded, counted). Paging
refuses a cursor seen before, a page larger than asked and more pages than allowed. Gazelle's
own error text is redacted before it reaches a message (redact.py).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from inventaire.gazelle import queries
from inventaire.gazelle.errors import GazelleError, NotConfigured
from inventaire.gazelle.redact import redact
from inventaire.gazelle.tokens import OAuthTokens
from inventaire.kit.config import Settings
from inventaire.kit.enums import GazelleMode
from inventaire.kit.quantities import count

log = logging.getLogger(__name__)
PAGE = 100
# Messages shown on the pages speak to the office: who to ask, which button; never a variable's name.
KEY_REFUSED = ("Clé d'API Gazelle refusée (révoquée ou mal copiée) : demandez à la personne qui gère l'hébergement "
               "du service d'y inscrire une clé valide, donnée par un administrateur du compte Gazelle.")
MALFORMED = "Réponse de Gazelle mal formée pendant {what} : {why}."

__all__ = ["PAGE", "GazelleClient", "GazelleError", "NotConfigured"]


class GazelleClient:
    def __init__(self, settings: Settings, session_factory: sessionmaker[Session],
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.mode = settings.gazelle_mode
        if self.mode == GazelleMode.AUCUN:
            raise NotConfigured(
                "Gazelle n'est pas connecté : demandez à la personne qui gère l'hébergement du service d'y "
                "inscrire la clé d'API de Gazelle, ou son application OAuth, puis cliquez sur « Connecter "
                "Gazelle » dans la page « Gazelle ».")
        self.settings, self.sleep, self.clock = settings, sleep, clock
        self.deadline = clock() + settings.gazelle_run_seconds
        timeout = settings.gazelle_timeout
        self.http = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)))
        self.waits: int = 0  # 429s waited out, for the run's report
        self.heartbeat: Callable[[], None] | None = None  # the run's "still alive", at every page
        self.tokens: OAuthTokens | None = None
        if self.mode == GazelleMode.OAUTH:
            self.tokens = OAuthTokens(settings, session_factory, self._post_token, self._json)
        self._access: str | None = None

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> GazelleClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def secrets(self) -> list[str | None]:
        """Everything that must never be repeated, for redaction."""
        s = self.settings
        known = [s.gazelle_api_key.get_secret_value() if s.gazelle_api_key else None,
                 s.gazelle_client_secret.get_secret_value() if s.gazelle_client_secret else None,
                 s.gazelle_refresh_token.get_secret_value() if s.gazelle_refresh_token else None]
        return known + sorted(self.tokens.seen if self.tokens else ())

    def _clean(self, text: str) -> str:
        return redact(text, self.secrets())

    # --- one bounded exchange ---------------------------------------------------------------------

    def _remaining(self, what: str) -> float:
        left = self.deadline - self.clock()
        if left <= 0:
            raise GazelleError(f"Lecture de Gazelle arrêtée pendant {what} : la synchronisation a dépassé sa "
                               f"durée maximale ({self.settings.gazelle_run_seconds:g} s).")
        return left

    def _exchange(self, request: httpx.Request, what: str) -> httpx.Response:
        """Send and read the answer within the request's deadline and the size cap."""
        limit = min(self.settings.gazelle_timeout, self._remaining(what))
        ends, cap = self.clock() + limit, self.settings.gazelle_max_bytes
        response = self.http.send(request, stream=True)
        try:
            chunks, size = [], 0
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > cap:
                    raise GazelleError(f"Réponse de Gazelle trop volumineuse pendant {what} "
                                       f"(plus de {cap // 1_000_000} Mo) : lecture arrêtée.")
                if self.clock() > ends:
                    raise httpx.ReadTimeout("answer trickled past the deadline", request=request)
                chunks.append(chunk)
        finally:
            response.close()
        return httpx.Response(response.status_code, headers=response.headers, content=b"".join(chunks),
                              request=request)

    def _send(self, what: str, build: Callable[[], httpx.Request]) -> httpx.Response:
        """One exchange, tried again on timeouts, network errors, 429 and 5xx (bounded, with backoff)."""
        attempts = self.settings.gazelle_attempts
        error: Exception | None = None
        problem = ""
        for attempt in range(1, attempts + 1):
            wait = self.settings.gazelle_backoff * 2 ** (attempt - 1)
            try:
                response = self._exchange(build(), what)
            except httpx.TimeoutException as exc:
                problem, error = f"délai dépassé ({self.settings.gazelle_timeout:g} s)", exc
            except httpx.HTTPError as exc:
                problem, error = f"Gazelle injoignable ({exc.__class__.__name__})", exc
            else:
                if response.status_code == 429:
                    problem, wait = "trop de requêtes (429)", self._retry_after(response, wait)
                    self.waits += 1
                elif response.status_code < 500:
                    return response
                else:
                    problem = f"Gazelle a répondu {response.status_code}"
            log.warning("gazelle: %s failed (attempt %d/%d): %s", what, attempt, attempts, problem)
            if attempt < attempts:
                if wait >= self._remaining(what):
                    break
                self.sleep(wait)
        raise GazelleError(f"Lecture de Gazelle impossible pendant {what} : {problem} "
                           f"après {count(attempt, 'tentative')}.") from error

    def _retry_after(self, response: httpx.Response, fallback: float) -> float:
        """Gazelle's Retry-After in seconds (a number or an HTTP date), bounded by our setting."""
        value = response.headers.get("retry-after", "")
        try:
            seconds = float(value)
        except ValueError:
            try:
                from email.utils import parsedate_to_datetime
                seconds = (parsedate_to_datetime(value) - dt.datetime.now(dt.UTC)).total_seconds()
            except (TypeError, ValueError):
                seconds = fallback
        return min(max(seconds, 0.0), self.settings.gazelle_retry_after_max)

    def _json(self, response: httpx.Response, what: str) -> Any:
        if response.status_code >= 400:
            raise GazelleError(f"Gazelle a répondu {response.status_code} pendant {what}.")
        try:
            return json.loads(response.content)
        except ValueError as exc:
            raise GazelleError(f"Réponse illisible de Gazelle pendant {what}.") from exc

    def _post_token(self, form: dict[str, str]) -> httpx.Response:
        return self._send("l'authentification", lambda: self.http.build_request(
            "POST", self.settings.gazelle_token_url, data=form))

    # --- GraphQL ----------------------------------------------------------------------------------

    def _headers(self, token: str | None) -> dict[str, str]:
        if self.mode == GazelleMode.CLE_API:
            assert self.settings.gazelle_api_key is not None
            return {"x-gazelle-api-key": self.settings.gazelle_api_key.get_secret_value()}
        return {"Authorization": f"Bearer {token}"}

    def _token(self) -> str | None:
        if self.tokens is not None and self._access is None:
            self._access = self.tokens.stored_access() or self.tokens.refresh(None)
        return self._access

    def query(self, document: str, variables: dict | None = None) -> dict:
        """The `data` of one GraphQL query; GazelleError on errors (OAuth: a 401 refreshes once)."""
        payload = {"query": document, "variables": variables or {}}

        def post(token: str | None) -> httpx.Response:
            return self._send("la lecture des données", lambda: self.http.build_request(
                "POST", self.settings.gazelle_api_url, json=payload, headers=self._headers(token)))

        response = post(self._token())
        if response.status_code == 401 and self.tokens is None:
            raise GazelleError(KEY_REFUSED)  # a key does not get better by asking again
        if response.status_code == 401:  # expired early, or revoked: one refresh, one more try
            self._access = self.tokens.refresh(self._access) if self.tokens else None
            response = post(self._access)
            if response.status_code == 401:
                raise GazelleError("Gazelle refuse le jeton d'accès même renouvelé : reconnectez Gazelle.")
        body = self._json(response, "la lecture des données")
        if not isinstance(body, dict):
            raise GazelleError(MALFORMED.format(what="la lecture des données", why="pas un objet JSON"))
        if body.get("errors"):
            errors = body["errors"] if isinstance(body["errors"], list) else [body["errors"]]
            messages = "; ".join(self._clean(str(e.get("message", e) if isinstance(e, dict) else e))
                                 for e in errors[:3])
            raise GazelleError(f"Gazelle a répondu par des erreurs GraphQL : {messages}")
        data = body.get("data")
        if not isinstance(data, dict):
            raise GazelleError(MALFORMED.format(what="la lecture des données", why="« data » absent ou pas un objet"))
        return data

    def pages(self, document: str, variables: dict, *, field: str, first: int = PAGE) -> Iterator[list[dict]]:
        """Run any paged query document (`$first`, `$after`) and yield each page's nodes, bounded.

        A cursor seen before, a page larger than asked or more than `gazelle_max_pages` pages
        end the run with a French error; pages are `gazelle_pause_ms` apart.
        """
        after: str | None = None
        cursors: set[str] = set()
        for number in range(1, self.settings.gazelle_max_pages + 1):
            if number > 1 and self.settings.gazelle_pause_ms:
                self.sleep(self.settings.gazelle_pause_ms / 1000)
            connection = self.query(document, {**variables, "first": first, "after": after}).get(field)
            nodes, more, cursor = _connection(connection, field, first)
            if self.heartbeat is not None:
                self.heartbeat()
            yield nodes
            if not more or cursor is None:  # _connection refuses "more" without a cursor
                return
            if cursor in cursors or cursor == after:
                raise GazelleError(f"Gazelle renvoie un curseur déjà lu ({field}) : lecture arrêtée.")
            cursors.add(cursor)
            after = cursor
        raise GazelleError(f"Plus de {count(self.settings.gazelle_max_pages, 'page')} à lire dans {field} : "
                           "lecture arrêtée (la limite de pages du service est atteinte).")

    # --- reads ------------------------------------------------------------------------------------

    def invoices(self, *, since: dt.date, progress: Callable[[int, int], None] | None = None) -> Iterator[dict]:
        """Every invoice dated since `since`, page after page to the end, each with all its items."""
        seen = 0
        for nodes in self.pages(queries.INVOICES, {"filters": {"invoiceDateGet": since.isoformat()}},
                                field="allInvoices"):
            for node in nodes:
                yield self._complete(node) if isinstance(node, dict) else {"items": None}
                seen += 1
            if progress is not None:
                progress(seen, seen)

    def _complete(self, invoice: dict) -> dict:
        """The invoice with every item, reading the items' further pages when it has more than a page.

        A malformed invoice is passed on as it is: the run reports it alone (convert.py).
        """
        items = invoice.get("allInvoiceItems")
        if not isinstance(items, dict) or not isinstance(invoice.get("id"), str):
            return {**invoice, "items": None}
        nodes = [n for n in items.get("nodes") or [] if n is not None]
        page = items.get("pageInfo") or {}
        seen: set[str] = set()
        while page.get("hasNextPage"):
            cursor = page.get("endCursor")
            if not isinstance(cursor, str) or cursor in seen or len(seen) >= self.settings.gazelle_max_pages:
                raise GazelleError(f"Lignes de la facture {invoice['id']} : pagination incohérente, lecture arrêtée.")
            seen.add(cursor)
            more = self.query(queries.MORE_ITEMS, {"id": invoice["id"], "after": cursor})
            connection = (more.get("invoice") or {}).get("allInvoiceItems")
            if not isinstance(connection, dict):
                raise GazelleError(f"La facture {invoice['id']} a disparu pendant sa lecture.")
            nodes += [n for n in connection.get("nodes") or [] if n is not None]
            page = connection.get("pageInfo") or {}
        return {**invoice, "items": nodes}

    def users(self) -> list[dict]:
        users = self.query(queries.USERS).get("allUsers")
        if not isinstance(users, list):
            raise GazelleError(MALFORMED.format(what="la lecture des utilisateurs", why="« allUsers » pas une liste"))
        return [u for u in users if isinstance(u, dict)]

    def service_items(self) -> list[dict]:
        items = self.query(queries.SERVICE_ITEMS).get("allMasterServiceItems")
        if not isinstance(items, list):
            raise GazelleError(MALFORMED.format(what="la lecture des services", why="liste attendue"))
        return [i for i in items if isinstance(i, dict)]


def _connection(connection: Any, field: str, first: int) -> tuple[list[dict], bool, str | None]:
    """A Relay page's nodes, whether more follow and the cursor to them; GazelleError when misshapen."""
    if not isinstance(connection, dict):
        raise GazelleError(MALFORMED.format(what=f"la lecture de {field}", why=f"« {field} » absent ou pas un objet"))
    nodes, info = connection.get("nodes"), connection.get("pageInfo")
    if not isinstance(nodes, list) or not isinstance(info, dict):
        raise GazelleError(MALFORMED.format(what=f"la lecture de {field}", why="« nodes » ou « pageInfo » manquant"))
    if len(nodes) > first:
        raise GazelleError(f"Gazelle renvoie une page de {len(nodes)} éléments pour {first} demandés ({field}) : "
                           "lecture arrêtée.")
    more, cursor = info.get("hasNextPage"), info.get("endCursor")
    if more and not (isinstance(cursor, str) and cursor):
        raise GazelleError("Gazelle annonce une page suivante sans curseur.")
    return [n for n in nodes if n is not None], bool(more is True), cursor if more else None
