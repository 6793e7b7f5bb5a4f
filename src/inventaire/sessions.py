"""Where the application's sessions are made: the app's, the CLI's and the jobs'.

Every factory comes from here, so what each session must carry is installed in one place,
explicitly, never as a side effect of importing a module: today the audit trail's flush
hook (`audit/tracked.py`), which records who changed the catalogue, technicians, levels,
tokens, rules, workshops and orders.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from inventaire.audit import tracked
from inventaire.kit.database import make_sessionmaker


def audited(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """This factory with the audit trail installed (idempotent): tests' and callers' own factories."""
    return tracked.follow(factory)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """The sessions of the app, a CLI command or a job over this engine, audit trail installed."""
    return audited(make_sessionmaker(engine))
