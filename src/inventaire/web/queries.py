"""Read-only queries the pages need and no API route serves yet (stored check runs)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventaire.checks.models import Verification
from inventaire.exceptions import NotFound


def list_verifications(*, db_session: Session, limit: int, offset: int = 0) -> tuple[list[Verification], int]:
    """Stored check runs, newest first, and how many there are."""
    total = db_session.scalar(select(func.count(Verification.id))) or 0
    rows = db_session.scalars(
        select(Verification).order_by(Verification.generated_at.desc(), Verification.id.desc())
        .limit(limit).offset(offset)
    )
    return list(rows), int(total)


def get_verification(*, db_session: Session, verification_id: int) -> Verification:
    """One stored run, or NotFound."""
    verification = db_session.get(Verification, verification_id)
    if verification is None:
        raise NotFound(f"Vérification introuvable : n° {verification_id}.")
    return verification
