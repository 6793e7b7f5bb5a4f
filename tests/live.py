"""A real uvicorn server on a free loopback port, over a fresh committed database.

For tests that need real concurrency or a real process boundary (threads hammering the API,
browsers, webhooks): the rolled-back-transaction fixtures cannot serve them.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn

from inventaire.app import create_app
from inventaire.auth import service as auth_service
from inventaire.kit.config import Settings
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope
from tests.pgbouncer import pooler_settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, url: str, base_url: str, session_factory, admin_token: str):
        self.database_url = url
        self.base_url = base_url
        self.session_factory = session_factory
        self.admin_token = admin_token

    def client(self, token: str | None = None, **kwargs) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or self.admin_token}"}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=60, **kwargs)

    @contextmanager
    def session(self):
        with session_scope(self.session_factory) as session:
            yield session


@contextmanager
def live_server(database_url: str, **settings_overrides) -> Iterator[LiveServer]:
    """Serve the app for `database_url` (already migrated) until the block ends."""
    settings = Settings(DATABASE_URL=database_url, **{**pooler_settings(database_url), **settings_overrides})
    engine = make_engine(settings.database_url, transaction_pooler=settings.transaction_pooler, pre_ping=False,  # as the app
                         **({} if database_url.startswith("sqlite") else {"pool_size": 20}))
    factory = make_sessionmaker(engine)
    with session_scope(factory) as session:
        token, _ = auth_service.create_token(db_session=session, role="admin", nom="bureau")
    app = create_app(settings, session_factory=factory)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           proxy_headers=False))  # as `serve`: the app reads them
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(database_url, f"http://127.0.0.1:{port}", factory, token)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()
