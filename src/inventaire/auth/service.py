"""Bearer tokens: random, shown once, stored as a SHA-256 hash, revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import FromClause, bindparam, select, update
from sqlalchemy.orm import Session

from inventaire.auth.models import ApiToken
from inventaire.emplacements.models import Location
from inventaire.kit.database import utcnow
from inventaire.kit.enums import Role
from inventaire.kit.exceptions import InvalidInput, NotFound, Unauthorized
from inventaire.techniciens.models import Technician

TOKEN_PREFIX = "inv_"
INVALID = "Jeton invalide ou révoqué."
AUTH_REQUIRED = "Authentification requise : en-tête « Authorization: Bearer <jeton> »."
# Marking a token as used costs a write; once a minute is precise enough for "last used".
TOUCH_EVERY = dt.timedelta(minutes=1)


# Built once, in Core: it runs on every request, and the ORM version (two objects loaded)
# cost four times the CPU of the query itself (BENCHMARKS.md).
# A technician's name and status live on their location (same id).
_TOKENS, _TECHNICIANS = ApiToken.__table__, Location.__table__
# What both lookups read of a token (bearer here, page sessions in web/sessions.py): who it is,
# and what `refusal` needs to say whether it still opens something.
TOKEN_FIELDS = (_TOKENS.c.nom, _TOKENS.c.role, _TOKENS.c.technicien_id, _TOKENS.c.revoked_at,
                _TECHNICIANS.c.nom.label("technicien_nom"), _TECHNICIANS.c.actif.label("technicien_actif"))


def with_technician(tokens: FromClause) -> FromClause:
    """`tokens` (the tokens table, or a join that holds it) with each token's technician, if any."""
    return tokens.outerjoin(_TECHNICIANS, _TECHNICIANS.c.id == _TOKENS.c.technicien_id)


_TOKEN_BY_HASH = (
    select(_TOKENS.c.id, _TOKENS.c.token_hash, _TOKENS.c.last_used_at, *TOKEN_FIELDS)
    .select_from(with_technician(_TOKENS))
    .where(_TOKENS.c.token_hash == bindparam("digest"))
)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the identity written as `auteur`, and what they may do."""

    nom: str
    role: str
    technicien_id: int | None = None
    token_id: int | None = None
    last_used_at: dt.datetime | None = None  # as read when authenticating (spares a write, see touch)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(
    *, db_session: Session, role: str, nom: str | None = None, technician: Technician | None = None
) -> tuple[str, ApiToken]:
    """Create a token and return it in clear (the only time it is ever seen) with its row."""
    if role not in Role.values():
        raise InvalidInput(f"Rôle inconnu : « {role} ». Rôles possibles : {', '.join(Role.values())}.")
    if role == Role.TECHNICIEN and technician is None:
        raise InvalidInput("Un jeton « technicien » doit être lié à un technicien (--technicien NOM).")
    if role != Role.TECHNICIEN and technician is not None:
        raise InvalidInput("Seul un jeton « technicien » est lié à un technicien.")
    nom = " ".join((nom or (technician.nom if technician else role)).split())
    if not 1 <= len(nom) <= 80:
        raise InvalidInput("Le nom d'un jeton doit compter de 1 à 80 caractères.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        nom=nom,
        role=role,
        technicien_id=technician.id if technician else None,
        token_hash=hash_token(raw),
    )
    db_session.add(token)
    db_session.flush()
    return raw, token


def refusal(*, revoked_at: dt.datetime | None, technicien_nom: str | None, technicien_actif: bool | None) -> str | None:
    """Why a known token opens nothing any more (revoked, or its technician deactivated), or None.

    The one rule for bearer tokens (authenticate) and for page sessions (web/sessions.viewer_of).
    """
    # A technician who left (deactivated) loses access with every token bound to them (which are
    # revoked too, techniciens.service.update: said first, it is the more useful reason).
    if technicien_nom is not None and not technicien_actif:
        return f"Jeton inactif : le technicien « {technicien_nom} » est désactivé."
    if revoked_at is not None:
        return INVALID
    return None


def authenticate(*, db_session: Session, raw: str | None) -> Principal:
    """The principal of a bearer token; Unauthorized if missing, unknown or revoked."""
    if not raw:
        raise Unauthorized(AUTH_REQUIRED)
    digest = hash_token(raw)
    token = db_session.execute(_TOKEN_BY_HASH, {"digest": digest}).first()
    # The lookup is by hash (not by secret), and the final comparison is constant-time.
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        raise Unauthorized(INVALID)
    reason = refusal(revoked_at=token.revoked_at, technicien_nom=token.technicien_nom,
                     technicien_actif=token.technicien_actif)
    if reason is not None:
        raise Unauthorized(reason)
    return Principal(
        nom=token.nom, role=token.role, technicien_id=token.technicien_id, token_id=token.id,
        last_used_at=token.last_used_at,
    )


def touch(*, db_session: Session, token_id: int | None, last_used_at: dt.datetime | None = None) -> None:
    """Record when a token was last used (at most once per TOUCH_EVERY, without loading it).

    `last_used_at`, when the caller has just read it, skips the UPDATE while it is recent: the
    no-op UPDATE was about a tenth of the CPU time of a stock change (see BENCHMARKS.md).
    """
    now = utcnow()
    if last_used_at is not None and now - last_used_at < TOUCH_EVERY:
        return
    db_session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id)
        .where(ApiToken.last_used_at.is_(None) | (ApiToken.last_used_at < now - TOUCH_EVERY))
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )


def list_tokens(*, db_session: Session) -> list[ApiToken]:
    """Every token, newest first."""
    return list(db_session.scalars(select(ApiToken).order_by(ApiToken.id.desc())))


def revoke(*, db_session: Session, token_id: int) -> ApiToken:
    """Revoke a token; it is refused from then on."""
    token = db_session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"Jeton inconnu : n° {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    db_session.flush()
    return token


def revoke_for_technician(*, db_session: Session, technician: Technician) -> int:
    """Revoke every live token of this technician (their page sessions go with them); how many."""
    revoked = db_session.execute(
        update(ApiToken).where(ApiToken.technicien_id == technician.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow()).execution_options(synchronize_session=False)
    )
    return int(getattr(revoked, "rowcount", 0) or 0)


def has_admin(*, db_session: Session) -> bool:
    """Whether an unrevoked admin token exists."""
    return db_session.scalar(
        select(ApiToken.id).where(ApiToken.role == Role.ADMIN, ApiToken.revoked_at.is_(None)).limit(1)
    ) is not None
