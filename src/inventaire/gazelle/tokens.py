"""Gazelle's OAuth tokens: the refresh, one process at a time, and the code exchange of « Connecter Gazelle ».

Gazelle rotates the refresh token at each use: the old one dies the moment the answer is sent.
So (1) only one process refreshes at a time: a PostgreSQL advisory lock, or SQLite's write
lock (taken at BEGIN IMMEDIATE), is held across the exchange, and the stored row is read again
once it is held (a second process then finds the fresh access token instead of sending a dead
refresh token); (2) a new refresh token is put in the row before anything else of the answer
is read, and committed even when the rest of the answer is unusable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from inventaire.gazelle.errors import GazelleError
from inventaire.gazelle.models import GazelleToken
from inventaire.kit.config import Settings
from inventaire.kit.database import session_scope, utcnow

log = logging.getLogger(__name__)
# An access token this close to its expiry is refreshed first rather than failing mid-sync.
EXPIRY_MARGIN = dt.timedelta(seconds=60)
DEFAULT_LIFETIME, LONGEST_LIFETIME = 3600, 366 * 86400
ADVISORY_KEY = 0x6A7A_0001  # "the Gazelle refresh", for pg_advisory_xact_lock
REFUSED = ("Gazelle refuse le jeton de rafraîchissement (révoqué ou déjà utilisé) : reconnectez Gazelle "
           "depuis la page « Gazelle » du tableau de bord (bouton « Reconnecter Gazelle »).")

Post = Callable[[dict[str, str]], httpx.Response]  # the token endpoint, through the client's bounded transport
ReadJson = Callable[[httpx.Response, str], Any]


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _serialized(session: Session) -> GazelleToken | None:
    """The stored row, read once this process alone may refresh (until the transaction ends)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_KEY})
    # SQLite: every transaction already began IMMEDIATE, holding the single writer lock.
    return session.get(GazelleToken, 1, populate_existing=True)


def _live(row: GazelleToken | None, stale: str | None = None) -> str | None:
    if row and row.access_token and row.access_token != stale and row.expires_at and (
            row.expires_at - EXPIRY_MARGIN > utcnow()):
        return row.access_token
    return None


def _lifetime(value: Any) -> int:
    """`expires_in` as Gazelle should send it; a word or an absurd value falls back to an hour."""
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= LONGEST_LIFETIME:
        return int(value)
    log.warning("gazelle: unusable expires_in in the token answer; assuming %d s", DEFAULT_LIFETIME)
    return DEFAULT_LIFETIME


class OAuthTokens:
    def __init__(self, settings: Settings, session_factory: sessionmaker[Session], post: Post, read: ReadJson):
        self.settings, self.session_factory, self.post, self.read = settings, session_factory, post, read
        self.seen: set[str] = set()  # every token met, so that no error text can repeat one

    def stored_access(self) -> str | None:
        with session_scope(self.session_factory) as session:
            access = _live(session.get(GazelleToken, 1))
        if access:
            self.seen.add(access)
        return access

    def refresh(self, stale: str | None) -> str:
        """A new access token; a rotated refresh token is committed whatever else the answer holds."""
        problem: GazelleError | None = None
        with session_scope(self.session_factory) as session:
            row = _serialized(session)
            if (access := _live(row, stale)) is not None:
                return access  # another process refreshed while this one waited for the lock
            row, refresh = self._chain(session, row)
            self.seen.add(refresh)
            body = self._exchange({"grant_type": "refresh_token", "refresh_token": refresh})
            try:
                self._keep(row, body)
            except GazelleError as exc:
                problem = exc  # the new refresh token (if any) is committed below all the same
        if problem is not None:
            raise problem
        assert row.access_token is not None
        return row.access_token

    def exchange_code(self, *, code: str, redirect_uri: str, by: str) -> None:
        """« Connecter Gazelle »'s return: the code for tokens, stored at once (they replace any before)."""
        problem: GazelleError | None = None
        with session_scope(self.session_factory) as session:
            row = _serialized(session)
            body = self._exchange({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri})
            if row is None:
                row = GazelleToken(id=1, refresh_token="", origine="")
                session.add(row)
            initial = self.settings.gazelle_refresh_token
            row.origine = digest(initial.get_secret_value()) if initial else ""  # the setting no longer wins
            row.connecte_depuis, row.autorise_par = utcnow(), by[:120]
            try:
                self._keep(row, body, required=True)
            except GazelleError as exc:
                problem = exc
                if not row.refresh_token:
                    session.rollback()
        if problem is not None:
            raise problem

    def _chain(self, session: Session, row: GazelleToken | None) -> tuple[GazelleToken, str]:
        """The row and the refresh token to send: the stored chain, unless a new one was set since."""
        initial = self.settings.gazelle_refresh_token
        if initial is None and (row is None or not row.refresh_token):
            raise GazelleError("Gazelle n'est pas connecté : cliquez sur « Connecter Gazelle » dans la page "
                               "« Gazelle » du tableau de bord.")
        origin = digest(initial.get_secret_value()) if initial else (row.origine if row else "")
        if row is not None and row.refresh_token and (row.origine == origin or initial is None):
            return row, row.refresh_token
        assert initial is not None
        if row is None:
            row = GazelleToken(id=1, refresh_token=initial.get_secret_value(), origine=origin)
            session.add(row)
        row.refresh_token, row.origine, row.access_token = initial.get_secret_value(), origin, None
        return row, row.refresh_token

    def _exchange(self, fields: dict[str, str]) -> Any:
        assert self.settings.gazelle_client_secret is not None  # OAuth mode only
        form = {**fields, "client_id": self.settings.gazelle_client_id or "",
                "client_secret": self.settings.gazelle_client_secret.get_secret_value()}
        response = self.post(form)
        if response.status_code in (400, 401):
            if fields["grant_type"] == "authorization_code":
                raise GazelleError("Gazelle refuse le code d'autorisation (expiré ou déjà utilisé) : "
                                   "cliquez de nouveau sur « Connecter Gazelle ».")
            raise GazelleError(REFUSED)
        return self.read(response, "l'authentification")

    def _keep(self, row: GazelleToken, body: Any, *, required: bool = False) -> None:
        """Store the answer's tokens: the refresh token first, before anything else is read."""
        if not isinstance(body, dict):
            raise GazelleError("Réponse d'authentification de Gazelle mal formée.")
        new = body.get("refresh_token")
        if isinstance(new, str) and new:
            self.seen.add(new)
            row.refresh_token, row.updated_at = new, utcnow()
        elif new is not None or required:
            raise GazelleError("Gazelle a renvoyé un jeton de rafraîchissement illisible : reconnectez Gazelle "
                               "depuis la page « Gazelle » du tableau de bord.")
        access = body.get("access_token")
        if not isinstance(access, str) or not access:
            raise GazelleError("Réponse d'authentification de Gazelle sans jeton d'accès.")
        self.seen.add(access)
        row.access_token = access
        row.expires_at = utcnow() + dt.timedelta(seconds=_lifetime(body.get("expires_in")))
        row.updated_at = utcnow()


def forget(*, db_session: Session) -> bool:
    """« Déconnecter »: the stored tokens are dropped (Gazelle's side keeps the authorization)."""
    row = db_session.get(GazelleToken, 1)
    if row is None:
        return False
    db_session.delete(row)
    db_session.flush()
    return True
