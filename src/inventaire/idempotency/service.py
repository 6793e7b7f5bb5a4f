"""Claiming idempotency keys, storing first answers, purging old keys."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from inventaire.idempotency.models import IdempotencyKey
from inventaire.kit.database import utcnow
from inventaire.kit.exceptions import Conflict, InvalidInput

PURGE_BATCH = 500


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    body: bytes


def fingerprint(*, method: str, path: str, body: bytes) -> str:
    """A hash of what the request asks: the same JSON written differently gives the same hash."""
    try:
        # Decimals keep 2 and 2.0 apart (and exact); key order and spacing do not matter.
        parsed = json.loads(body, parse_float=Decimal, parse_int=Decimal)
        canonical = json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                               default=lambda d: {"$decimal": str(d)}).encode()
    except ValueError:
        canonical = body
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + canonical).hexdigest()


def purge(*, db_session: Session, older_than: dt.datetime) -> int:
    """Delete a batch of keys older than the cut-off; rows another transaction holds are skipped."""
    batch = (
        select(IdempotencyKey.id)
        .where(IdempotencyKey.created_at < older_than)
        .limit(PURGE_BATCH)
        .with_for_update(skip_locked=True)
    )
    result = cast(CursorResult[Any], db_session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.id.in_(batch)).execution_options(synchronize_session=False)
    ))
    return result.rowcount or 0


def claim(
    *, db_session: Session, appelant: str, cle: str, empreinte: str, ttl: dt.timedelta
) -> StoredAnswer | None:
    """Reserve the key in this transaction (None), or return the answer already stored for it.

    When another transaction holds the same key, PostgreSQL makes the insert wait for it
    (SQLite's BEGIN IMMEDIATE already serialised us); once it commits, its answer is read.
    """
    purge(db_session=db_session, older_than=utcnow() - ttl)
    insert = pg_insert if db_session.get_bind().dialect.name == "postgresql" else sqlite_insert
    inserted = db_session.scalar(  # RETURNING: rowcount is not reliable for ON CONFLICT on psycopg
        insert(IdempotencyKey)
        .values(appelant=appelant, cle=cle, empreinte=empreinte, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["appelant", "cle"])
        .returning(IdempotencyKey.id)
    )
    if inserted is not None:
        return None
    stored = db_session.execute(
        select(IdempotencyKey.empreinte, IdempotencyKey.statut, IdempotencyKey.reponse)
        .where(IdempotencyKey.appelant == appelant, IdempotencyKey.cle == cle)
    ).one()
    if stored.empreinte != empreinte:
        raise InvalidInput(
            f"La clé d'idempotence « {cle} » a déjà servi pour une autre requête : "
            "utilisez une nouvelle clé pour une nouvelle opération."
        )
    if stored.statut is None:  # committed without an answer: only if a handler misbehaved
        raise Conflict(f"La requête de clé « {cle} » n'a pas abouti : réessayez avec une nouvelle clé.")
    return StoredAnswer(status=stored.statut, body=stored.reponse or b"")


def record(*, db_session: Session, appelant: str, cle: str, status: int, body: bytes) -> None:
    """Store the answer of a claimed key; it commits (or rolls back) with the change itself."""
    db_session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.appelant == appelant, IdempotencyKey.cle == cle)
        .values(statut=status, reponse=body)
        .execution_options(synchronize_session=False)
    )
