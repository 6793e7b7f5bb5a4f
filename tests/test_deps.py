"""The request session: whatever happens to the request, its transaction ends and its connection returns."""

from __future__ import annotations

from types import SimpleNamespace

import anyio
import pytest
from sqlalchemy import text

from inventaire.deps import get_db
from inventaire.kit.database import make_engine, make_sessionmaker


@pytest.mark.parametrize("outcome", ["cancelled", "failed", "succeeded"])
def test_the_request_session_always_gives_its_connection_back(fresh_database, outcome):
    engine = make_engine(fresh_database.url)
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(sessionmaker=make_sessionmaker(engine))))

    async def request_lifetime():
        dependency = get_db(request)
        session = await dependency.__anext__()
        session.execute(text("SELECT 1"))  # the transaction is open, a connection checked out
        assert engine.pool.checkedout() == 1
        if outcome == "succeeded":
            with pytest.raises(StopAsyncIteration):
                await dependency.__anext__()
            return
        with anyio.CancelScope() as scope:
            if outcome == "cancelled":
                scope.cancel()  # e.g. the server shutting down mid-request
            error = anyio.get_cancelled_exc_class()() if outcome == "cancelled" else RuntimeError("boom")
            with pytest.raises(type(error)):
                await dependency.athrow(error)

    try:
        # Its own event loop in its own thread (the browser tests keep one running in this one).
        with anyio.from_thread.start_blocking_portal() as portal:
            portal.call(request_lifetime)
        assert engine.pool.checkedout() == 0
    finally:
        engine.dispose()
