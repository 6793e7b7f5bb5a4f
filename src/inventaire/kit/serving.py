"""uvicorn's HTTP protocol with a header timeout and a bound on open connections (`inventaire serve`).

uvicorn closes a connection idle *between* requests (its keep-alive timeout), but not one that
never finishes sending its headers: a probe held 9,000 idle or trickling sockets. Here a
connection has INVENTAIRE_HEADER_TIMEOUT seconds from its first byte (or from being opened) to
send a request's whole head, or it is closed; and a worker keeps at most
INVENTAIRE_MAX_CONNECTIONS open: past that, the oldest connection still waiting for its
headers is closed to make room (the new one if none is waiting). A request being answered is
never cut. The settings are read in each worker process (uvicorn imports this class there).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from inventaire.kit.config import get_settings


class GuardedHttp(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.header_timeout, self.max_connections = settings.header_timeout, settings.max_connections
        self.waiting_since: float | None = None  # when this connection started waiting for a request's head
        self.header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._wait_for_headers()
        if len(self.connections) > self.max_connections:
            waiting = [c for c in self.connections if isinstance(c, GuardedHttp) and c.waiting_since is not None]
            oldest = min(waiting, key=lambda c: c.waiting_since or 0.0)  # this one at least is waiting
            oldest.close_waiting()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self.header_timer is None:  # the next request on a kept-alive connection: its head is timed too
            self._wait_for_headers()

    def on_headers_complete(self) -> None:
        self._stop_waiting()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def close_waiting(self) -> None:
        """Close a connection that has not sent a whole request head (timed out, or making room)."""
        self._stop_waiting()
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()

    def _wait_for_headers(self) -> None:
        self.waiting_since = self.loop.time()
        self.header_timer = self.loop.call_later(self.header_timeout, self.close_waiting)

    def _stop_waiting(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
        self.header_timer, self.waiting_since = None, None
