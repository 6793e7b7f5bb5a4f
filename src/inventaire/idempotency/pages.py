"""Idempotency keys sent by the pages: a header from HTMX, or a hidden field of a plain form.

The same keys, store and rules as the API's (service.py); a page's key is bound to the form
it came with, so the same key with other values is refused there too.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

from sqlalchemy.orm import Session

from inventaire.auth.service import Principal
from inventaire.idempotency import service
from inventaire.idempotency.routing import KEY_PATTERN, caller_scope
from inventaire.kit.config import Settings


def well_formed(key: str) -> bool:
    return re.fullmatch(KEY_PATTERN, key) is not None


def claim(*, db_session: Session, settings: Settings, principal: Principal, key: str, path: str,
          form: dict[str, str]) -> service.StoredAnswer | None:
    """Claim the key for this form in the request's transaction, or return the answer it already got."""
    return service.claim(
        db_session=db_session, appelant=caller_scope(principal), cle=key,
        empreinte=service.fingerprint(method="POST", path=path, body=json.dumps(form, sort_keys=True).encode()),
        ttl=dt.timedelta(hours=settings.idempotency_hours),
    )


def record(*, db_session: Session, principal: Principal, key: str, status: int, body: bytes) -> None:
    """Store the answer of a claimed key, in the same transaction as the change."""
    service.record(db_session=db_session, appelant=caller_scope(principal), cle=key, status=status, body=body)


def new_key() -> str:
    """A one-time key for a plain form (a hidden field)."""
    return str(uuid.uuid4())
