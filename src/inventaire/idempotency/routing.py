"""Idempotent POST routes: `IdempotentRoute` adds the key's claim and records the first answer.

A router built with `route_class=IdempotentRoute` makes each of its POST routes accept an
`Idempotency-Key` header. The claim (a dependency) inserts the key in the request's
transaction before the handler runs; the route's handler wrapper stores the serialised
answer in that same transaction, before the request dependency commits. A replay raises
`Replay`, answered with the stored status and body. Only answers returned normally are
stored: a refused request (4xx raised by the service) rolls back with its key, and may be
retried with the same key since it wrote nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, FastAPI, Header, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from inventaire.auth.service import Principal
from inventaire.deps import CurrentUser, SessionDep, SettingsDep
from inventaire.idempotency import service

HEADER = "Idempotency-Key"
KEY_PATTERN = r"^[!-~]{1,200}$"  # visible ASCII: UUIDs, ULIDs, base64…

KeyHeader = Annotated[
    str | None,
    Header(
        alias=HEADER, min_length=1, max_length=200, pattern=KEY_PATTERN,
        description="Clé unique par opération (un UUID) : renvoyer la même requête avec la même clé "
        "rend la première réponse sans rien écrire de plus. Conservée au moins 24 h.",
        examples=["6f1c2a4e-3b5d-4a8e-9c1f-0d2e3f4a5b6c"],
    ),
]


class Replay(Exception):
    """The key was already answered: send that answer again."""

    def __init__(self, answer: service.StoredAnswer):
        super().__init__("replay")
        self.answer = answer


def caller_scope(user: Principal) -> str:
    """Keys are per caller: another token's key never replays someone else's answer."""
    return f"jeton:{user.token_id}" if user.token_id is not None else f"nom:{user.nom}"[:40]


async def request_body(request: Request) -> bytes:
    return await request.body()  # Starlette caches it: the handler parses the same bytes


async def claim_key(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    body: Annotated[bytes, Depends(request_body)],
    key: KeyHeader = None,
) -> None:
    """Claim the request's key, or raise Replay with the stored answer."""
    if key is None:
        return
    appelant = caller_scope(user)
    stored = await run_in_threadpool(
        service.claim, db_session=db_session, appelant=appelant, cle=key,
        empreinte=service.fingerprint(method=request.method, path=request.url.path, body=body),
        ttl=dt.timedelta(hours=settings.idempotency_hours),
    )
    if stored is not None:
        raise Replay(stored)
    request.state.idempotency = (db_session, appelant, key)


class IdempotentRoute(APIRoute):
    """An APIRoute whose POST method takes an Idempotency-Key."""

    def __init__(self, path: str, endpoint, **kwargs):
        if "POST" in (kwargs.get("methods") or ()):
            kwargs["dependencies"] = [*(kwargs.get("dependencies") or []), Depends(claim_key)]
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def idempotent_handler(request: Request) -> Response:
            response = await handler(request)
            pending = getattr(request.state, "idempotency", None)
            # Still inside the request's transaction: the session commits after this returns.
            if pending is not None and hasattr(response, "body"):
                db_session, appelant, key = pending
                await run_in_threadpool(
                    service.record, db_session=db_session, appelant=appelant, cle=key,
                    status=response.status_code, body=bytes(response.body),
                )
            return response

        return idempotent_handler


def install(app: FastAPI) -> None:
    """Answer replays with the stored status and body."""

    @app.exception_handler(Replay)
    async def replay(_request: Request, exc: Replay):
        return Response(
            content=exc.answer.body, status_code=exc.answer.status, media_type="application/json",
            headers={"Idempotent-Replayed": "true"},
        )
