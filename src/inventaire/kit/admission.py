"""How many requests the application serves at once, so that one holding a lock can always finish.

A request keeps its database transaction, and so its locks (a stock line's row lock on
PostgreSQL, the write lock on SQLite), across several thread-pool hops: authentication, the
handler, the commit. If every thread of the pool were taken by requests waiting for that lock,
the request holding it would never get a thread to commit, and the worker would hang (on
PostgreSQL for good, on SQLite until the busy timeout). Admitting at most one request fewer
than the pool has threads keeps a thread free for the holder; the others wait their turn,
without a thread, before entering the application.

A request is admitted only once its body has arrived (BodyFirst): a client that sends its
body slowly waits outside, so slow clients cannot take every slot.
"""

from __future__ import annotations

import asyncio
import weakref

import anyio.to_thread
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class AdmissionLimit:
    """At most `limit` HTTP requests inside the application; a thread pool of `limit + 1`."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit
        # One gate per event loop (tests run the same app on several loops).
        self._gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        async with self._gate():
            await self.app(scope, receive, send)

    def _gate(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        gate = self._gates.get(loop)
        if gate is None:
            # The pool is per event loop too: size it with the gate, before the first request uses it.
            anyio.to_thread.current_default_thread_limiter().total_tokens = self.limit + 1
            gate = self._gates[loop] = asyncio.Semaphore(self.limit)
        return gate


class BodyFirst:
    """Receive a request's whole body, within `timeout` seconds, before the request is admitted.

    An admitted request waiting for its body holds a slot: 130 clients trickling a body at one
    byte every 5 s held all of them, and `/health` went unanswered for 45 s. Read here, outside
    the gate, a slow body costs a pending coroutine and nothing else; past `timeout` it gets a
    French 408 and its connection is closed. At most `max_bytes` + one chunk is kept: a larger
    body is passed on as it is, for BodySizeLimit (inside) to refuse with 413.
    """

    def __init__(self, app: ASGIApp, timeout: float, max_bytes: int):
        self.app = app
        self.timeout = timeout
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await self.app(scope, receive, send)  # refused at once with 413, unread
        chunks: list[bytes] = []
        size, more = 0, True
        try:
            async with asyncio.timeout(self.timeout):
                while more and size <= self.max_bytes:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return  # the client left: nobody to answer
                    chunks.append(message.get("body", b""))
                    size += len(chunks[-1])
                    more = message.get("more_body", False)
        except TimeoutError:
            return await self._too_slow(scope, send)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": more}
            return await receive()  # the rest of an oversized body, or the disconnect

        await self.app(scope, replay, send)

    async def _too_slow(self, scope: Scope, send: Send) -> None:
        response = JSONResponse(
            {"detail": f"Corps de la requête reçu trop lentement (plus de {self.timeout:g} s) : requête abandonnée."},
            status_code=408, headers={"Connection": "close"},
        )
        await response(scope, _disconnected, send)


async def _disconnected() -> Message:
    return {"type": "http.disconnect"}
