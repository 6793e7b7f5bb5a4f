"""The check lock: one run at a time across workers, processes and machines sharing the database.

A run holds the lock from before it reads the previous run until its report and its pending
notifications are committed, so a second run started meanwhile waits, then compares itself
with the first and finds nothing new to send: two runs never both notify.

PostgreSQL: a transaction-level advisory lock, waited for at most `timeout` seconds
(`lock_timeout`), after which the second run answers 409. SQLite: every transaction of this
service starts with BEGIN IMMEDIATE (database.py), which takes the database's single write
lock; beginning the transaction is therefore the lock, and a second run waits for it (the
connection's busy timeout).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from inventaire.kit.exceptions import Conflict

# Any constant shared by every process: "inv" + 1.
CHECK_LOCK_KEY = 0x696E7601
BUSY = "Une vérification est déjà en cours : réessayez dans un instant."


def acquire(*, db_session: Session, timeout: float) -> None:
    """Hold the check lock until the session's transaction ends; Conflict if still busy after `timeout`."""
    connection = db_session.connection()  # begins the transaction (BEGIN IMMEDIATE on SQLite)
    if connection.dialect.name != "postgresql":
        return
    previous = db_session.scalar(select(func.current_setting("lock_timeout")))
    db_session.execute(select(func.set_config("lock_timeout", f"{int(timeout * 1000)}ms", True)))
    try:
        db_session.execute(select(func.pg_advisory_xact_lock(CHECK_LOCK_KEY)))
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) == "55P03":  # lock_not_available
            raise Conflict(BUSY) from exc
        raise
    db_session.execute(select(func.set_config("lock_timeout", previous, True)))

