"""How many requests the application serves at once, so that one holding a lock can always finish.

A request keeps its database transaction, and so its locks (a stock line's row lock on
PostgreSQL, the write lock on SQLite), across several thread-pool hops: authentication, the
handler, the commit. If every thread of the pool were taken by requests waiting for that lock,
the request holding it would never get a thread to commit, and the worker would hang (on
PostgreSQL for good, on SQLite until the busy timeout). Admitting at most one request fewer
than the pool has threads keeps a thread free for the holder; the others wait their turn,
without a thread, before entering the application.
"""

from __future__ import annotations

import asyncio
import weakref

import anyio.to_thread
from starlette.types import ASGIApp, Receive, Scope, Send


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
