"""Request dependencies: the session (committed in one place) and the current caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, get_args, get_origin

import anyio
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from inventaire.audit import service as audit
from inventaire.auth import service as auth_service
from inventaire.auth import throttle
from inventaire.auth.service import Principal
from inventaire.kit.config import Settings
from inventaire.kit.database import finish, first_read
from inventaire.kit.enums import Role
from inventaire.kit.exceptions import Forbidden, InvalidInput, Unauthorized
from inventaire.web import sessions

# The header the pages send their session's CSRF token in (web/deps.py), and /docs too.
CSRF_HEADER = "x-csrf-token"
bearer = HTTPBearer(auto_error=False, description="Jeton d'API : `Authorization: Bearer <jeton>`.")


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in the
# thread pool, and each such hop cost about 0.2 ms of CPU per request (BENCHMARKS.md).
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_db(request: Request) -> AsyncIterator[Session]:
    """One session per request, committed once when the handler succeeds.

    Opening a session does no I/O (it connects at its first query, in the thread pool); the
    commit or rollback and the close run in the thread pool in one hop.
    """
    session = request.app.state.sessionmaker()
    try:
        yield session
    except BaseException:
        await _finish(session, commit=False)
        raise
    await _finish(session, commit=True)


async def _finish(session: Session, *, commit: bool) -> None:
    # Shielded: a cancelled request must still end its transaction and give its connection
    # (and its row locks) back, rather than leave them to the garbage collector.
    with anyio.CancelScope(shield=True):
        await run_in_threadpool(finish, session, commit=commit)


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_db, scope="function")]


def count_failed_attempt(db_session: Session, connection: HTTPConnection) -> None:
    """Count a failed authentication and commit it now: the request itself fails and rolls back.

    429 (TooManyAttempts) once the address is over the limit (auth/throttle.py).
    """
    db_session.rollback()  # end the lookup's transaction first (SQLite: one writer at a time)
    try:
        throttle.count_failure(db_session=db_session, adresse=throttle.client_address(connection),
                               limit=connection.app.state.settings.auth_failures_per_minute)
    finally:
        db_session.commit()


def get_current_user(
    request: Request,
    db_session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The authenticated caller (401 otherwise, 429 after too many failures); marks the token as used."""
    raw = credentials.credentials if credentials else None
    if raw is None and CSRF_HEADER in request.headers:
        return _page_session_caller(request, db_session)
    try:
        principal = first_read(db_session, lambda: auth_service.authenticate(db_session=db_session, raw=raw))
    except Unauthorized:
        if raw:  # a token was presented and refused (no token at all is not an attempt)
            count_failed_attempt(db_session, request)
        raise
    auth_service.touch(db_session=db_session, token_id=principal.token_id, last_used_at=principal.last_used_at)
    audit.set_author(db_session, principal.nom)
    return principal


def _page_session_caller(request: Request, db_session: Session) -> Principal:
    """The logged-in person of a page session, for « Try it out » on /docs (api_docs.py).

    The session's cookie alone would let any site make a logged-in browser call the API (CSRF);
    with it must come the session's CSRF token in the X-CSRF-Token header, which only our own
    pages know and which another site cannot add (a custom header needs CORS, never granted).
    So reads and writes alike are as safe as the pages' own forms.
    """
    cookie = request.cookies.get(sessions.COOKIE)
    viewer = first_read(db_session, lambda: sessions.viewer_of(db_session=db_session, cookie=cookie))
    if viewer is None or not sessions.csrf_matches(viewer.csrf, request.headers.get(CSRF_HEADER)):
        raise Unauthorized(auth_service.AUTH_REQUIRED)
    audit.set_author(db_session, viewer.principal.nom)
    return viewer.principal


CurrentUser = Annotated[Principal, Depends(get_current_user)]


def require(*roles: str):
    """A dependency that lets only these roles through (403 otherwise)."""

    async def check(user: CurrentUser) -> Principal:
        if user.role not in roles:
            raise Forbidden("Accès refusé : votre rôle ne permet pas cette action.")
        return user

    return Depends(check)


def ensure_own_stock(user: Principal, technicien_id: int) -> None:
    """A technician may read and change only their own stock."""
    if user.role == Role.ADMIN:
        return
    if user.role == Role.TECHNICIEN and user.technicien_id == technicien_id:
        return
    raise Forbidden("Accès refusé : vous ne pouvez consulter ou modifier que votre propre stock.")


AdminUser = Annotated[Principal, require(Role.ADMIN)]
StaffUser = Annotated[Principal, require(Role.ADMIN, Role.TECHNICIEN)]
CheckUser = Annotated[Principal, require(Role.ADMIN, Role.CRON)]


def _takes_list(annotation) -> bool:
    """Whether a query parameter's annotation takes several values (list[str], list[str] | None)."""
    if get_origin(annotation) in (list, tuple, set, frozenset):
        return True
    return any(_takes_list(arg) for arg in get_args(annotation) if arg is not type(None))


def _declared_query(dependant) -> dict[str, bool]:
    """The query parameters of a route and of all its dependencies, each with whether it takes a list."""
    names = {field.alias: _takes_list(field.field_info.annotation) for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _declared_query(sub)
    return names


async def known_query_only(request: Request, _: CurrentUser) -> None:
    """Refuse query parameters the route does not declare: a misspelt filter is not silently ignored.

    It depends on the caller so that authentication is checked (401) before the address (422).
    """
    route = request.scope.get("route")
    if route is None or getattr(route, "dependant", None) is None:
        return
    if not hasattr(route, "declared_query"):  # computed once per route
        route.declared_query = _declared_query(route.dependant)
    unknown = sorted(set(request.query_params) - set(route.declared_query))
    if unknown:
        label = "Paramètre inconnu" if len(unknown) == 1 else "Paramètres inconnus"
        raise InvalidInput(f"{label} dans l'adresse : {', '.join(unknown)}.")
    # A scalar given twice would silently keep the last value: say so instead.
    repeated = sorted({key for key, _ in request.query_params.multi_items()
                       if not route.declared_query[key] and len(request.query_params.getlist(key)) > 1})
    if repeated:
        label = "Paramètre répété" if len(repeated) == 1 else "Paramètres répétés"
        raise InvalidInput(f"{label} dans l'adresse (une seule valeur permise) : {', '.join(repeated)}.")
