"""Conditional answers for polled fragments: an ETag that moves with the data, and 304 while it does not.

The ETag of a fragment is a digest of everything its HTML depends on: the code that renders it,
the settings it reads, the viewer, the data's version (inventaire/changes.py) and the time,
in steps of `TIME_STEP`. The time is there for what changes with it alone: a Gazelle sync turns
late after some hours, the forecast's 90-day window slides, the fragment shows when it was
computed. So an unchanged fragment is computed again at most every `TIME_STEP`, and a state
that changes with time shows within that delay.

The browser sends the last ETag in If-None-Match itself (static/app.js), because pages are
`no-store`: no copy of a page is kept in the browser's cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import lru_cache
from pathlib import Path

from fastapi import Request, Response
from sqlalchemy.orm import Session

from inventaire import __version__
from inventaire.kit.changes import data_version
from inventaire.kit.config import Settings
from inventaire.kit.database import utcnow
from inventaire.web.sessions import Viewer

TIME_STEP = dt.timedelta(minutes=5)
PACKAGE = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The package's code and templates: a new deployment never answers 304 to an older page."""
    h = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".html") and path.is_file():
            h.update(path.relative_to(PACKAGE).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def etag(*, db_session: Session, settings: Settings, viewer: Viewer, read: tuple[str, ...],
         now: dt.datetime | None = None) -> str:
    """The fragment's ETag; `read` names the settings it shows. Call it before reading the data."""
    step = int((now or utcnow()).timestamp() // TIME_STEP.total_seconds())
    parts = [code_digest(), str(viewer.principal.role), viewer.principal.nom, str(step),
             *(f"{name}={getattr(settings, name)}" for name in read), data_version(db_session=db_session)]
    return '"' + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32] + '"'


def unchanged(request: Request, tag: str) -> bool:
    """The browser already holds the fragment this ETag stands for."""
    given = request.headers.get("if-none-match", "")
    return tag in (t.strip().removeprefix("W/") for t in given.split(","))


def not_modified(tag: str) -> Response:
    return Response(status_code=304, headers={"ETag": tag})
