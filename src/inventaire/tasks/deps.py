"""The one dependency of a request that starts a job (a Gazelle run, a schema check, Gazelle's lists).

A job commits its own short transactions (a rotated refresh token, each batch, the run's row).
The request's session is committed first, once the caller is authenticated, so that SQLite's
single writer lock is free for them: declare `JobSessions` after the user's dependency.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from inventaire.deps import SessionDep


def job_sessions(request: Request, db_session: SessionDep) -> sessionmaker[Session]:
    db_session.commit()
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    return factory


JobSessions = Annotated[sessionmaker[Session], Depends(job_sessions)]
