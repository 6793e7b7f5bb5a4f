"""Throttling of failed authentication per client address: more than 20 failures a minute → 429.

Bearer tokens and the login form hash and look up whatever they are given; unthrottled, one
address tried 400–600 tokens a second. A failure is counted (a row of
`echecs_authentification`); once an address has failed `limit` times within WINDOW
(INVENTAIRE_AUTH_FAILURES_PER_MINUTE, 20), its next failed attempts get 429 with Retry-After
instead of 401, and are not written (an attacker costs at most limit + 1 writes a minute). A
valid token is never refused: the check runs only after authentication failed, so colleagues
behind the same address keep working.

The address is the connection's peer, or the rightmost address a trusted proxy forwards
(kit/proxy.py: the one Render's proxy adds, not one the client wrote; trusted only from
FORWARDED_ALLOW_IPS). It is normalised and cut to what the table stores before it is counted,
so a key compared is always a key stored. Counting is atomic: PostgreSQL serialises the
failures of one address on a transaction-level advisory lock (150 concurrent tries let exactly
20 through, not 25); SQLite's transactions are serialised already (BEGIN IMMEDIATE).
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from inventaire.auth.models import AuthFailure
from inventaire.kit.database import utcnow
from inventaire.kit.exceptions import TooManyAttempts
from inventaire.kit.proxy import normalise

WINDOW = dt.timedelta(minutes=1)
# The advisory lock's first key, shared by every process ("inv" + 2); the second is the address's hash.
THROTTLE_LOCK_KEY = 0x696E7602


def client_address(connection: HTTPConnection) -> str:
    """The caller's address as the server sees it (after trusted proxy headers), as stored."""
    return normalise(connection.client.host if connection.client else "inconnue")


def count_failure(*, db_session: Session, adresse: str, limit: int) -> None:
    """Record one failed attempt; TooManyAttempts (nothing written) when the address is over the limit.

    The caller commits this even though its request fails: that is the point of counting.
    """
    adresse = normalise(adresse)
    if db_session.get_bind().dialect.name == "postgresql":
        db_session.execute(select(func.pg_advisory_xact_lock(THROTTLE_LOCK_KEY, func.hashtext(adresse))))
    now = utcnow()
    recent = db_session.execute(
        select(func.count(), func.min(AuthFailure.created_at))
        .where(AuthFailure.adresse == adresse, AuthFailure.created_at > now - WINDOW)
    ).one()
    if recent[0] >= limit:
        wait = max(1, math.ceil((recent[1] + WINDOW - now).total_seconds()))
        raise TooManyAttempts(
            f"Trop de tentatives d'authentification échouées depuis votre adresse : réessayez dans {wait} s.",
            retry_after=wait,
        )
    db_session.execute(delete(AuthFailure).where(AuthFailure.created_at <= now - WINDOW))
    db_session.add(AuthFailure(adresse=adresse, created_at=now))
    db_session.flush()
