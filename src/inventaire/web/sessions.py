"""Dashboard sessions: opened with an API token, kept server-side, ended by logout or revocation.

The cookie holds a random id (never the token); the database keeps its SHA-256 and the
session's CSRF token. A session is valid while it has not expired and its token is not revoked.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from inventaire.auth import service as auth_service
from inventaire.auth.models import ApiToken
from inventaire.auth.service import Principal, hash_token
from inventaire.kit.database import utcnow
from inventaire.kit.enums import PAGE_ROLES, Role
from inventaire.kit.exceptions import Forbidden
from inventaire.web.models import WebSession

LIFETIME = dt.timedelta(days=30)
COOKIE = "inventaire_session"  # the session's cookie (HttpOnly, SameSite=Lax; web/pages/connexion.py)


@dataclass(frozen=True)
class Viewer:
    """The person behind a page request: their principal, CSRF token and technician's name."""

    principal: Principal
    csrf: str
    session_id: int
    technicien: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.principal.role == Role.ADMIN

    @property
    def home(self) -> str:
        return home_page(self.principal.role, self.technicien)


def home_page(role: str, technicien: str | None) -> str:
    """Where a person lands: the dashboard for the office, their own stock for a technician."""
    if role == Role.TECHNICIEN and technicien:
        return f"/stock/{quote(technicien, safe='')}"
    return "/" if role == Role.ADMIN else "/catalogue"


def open_session(*, db_session: Session, raw_token: str | None) -> tuple[str, WebSession]:
    """Log in with an API token: return the new cookie value and its session row."""
    principal = auth_service.authenticate(db_session=db_session, raw=raw_token)
    if principal.role not in PAGE_ROLES:
        raise Forbidden("Ce jeton ne permet pas d'ouvrir le tableau de bord (rôle « cron »).")
    now = utcnow()
    db_session.execute(delete(WebSession).where(WebSession.expires_at < now))
    cookie = secrets.token_urlsafe(32)
    row = WebSession(
        cle_hash=hash_token(cookie), token_id=principal.token_id, csrf=secrets.token_urlsafe(32),
        created_at=now, expires_at=now + LIFETIME, last_seen_at=now,
    )
    db_session.add(row)
    auth_service.touch(db_session=db_session, token_id=principal.token_id)
    db_session.flush()
    return cookie, row


# Built once, in Core, as bearer authentication's lookup (auth/service.py): it runs on every page
# request and every poll; the ORM version loaded the session, then its token, in two queries.
_SESSIONS, _TOKENS = WebSession.__table__, ApiToken.__table__
_SESSION_BY_HASH = (
    select(_SESSIONS.c.id, _SESSIONS.c.csrf, _SESSIONS.c.last_seen_at, _TOKENS.c.id.label("token_id"),
           _TOKENS.c.last_used_at, *auth_service.TOKEN_FIELDS)
    .select_from(auth_service.with_technician(_SESSIONS.join(_TOKENS, _TOKENS.c.id == _SESSIONS.c.token_id)))
    .where(_SESSIONS.c.cle_hash == bindparam("digest"), _SESSIONS.c.expires_at > bindparam("now"))
)


def viewer_of(*, db_session: Session, cookie: str | None) -> Viewer | None:
    """The viewer of a session cookie, or None when it is unknown, expired or its token revoked."""
    if not cookie or len(cookie) > 128:
        return None
    now = utcnow()
    row = db_session.execute(_SESSION_BY_HASH, {"digest": hash_token(cookie), "now": now}).first()
    if row is None or row.role not in PAGE_ROLES:
        return None
    if auth_service.refusal(revoked_at=row.revoked_at, technicien_nom=row.technicien_nom,
                            technicien_actif=row.technicien_actif) is not None:
        return None  # as for the API: revoked, or a technician who left
    if row.last_seen_at < now - dt.timedelta(minutes=1):  # one write a minute at most
        db_session.execute(update(WebSession).where(WebSession.id == row.id).values(last_seen_at=now))
    # A page session is a use of its token (« Dernier usage » on « Accès »), at most one write a minute.
    auth_service.touch(db_session=db_session, token_id=row.token_id, last_used_at=row.last_used_at)
    principal = Principal(nom=row.nom, role=row.role, technicien_id=row.technicien_id, token_id=row.token_id)
    return Viewer(principal=principal, csrf=row.csrf, session_id=row.id, technicien=row.technicien_nom)


def close_session(*, db_session: Session, session_id: int) -> None:
    """Log out: the session row is deleted, so its cookie is worthless from now on."""
    db_session.execute(delete(WebSession).where(WebSession.id == session_id))


def csrf_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a submitted CSRF token."""
    if not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
