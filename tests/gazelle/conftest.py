"""The fake Gazelle for every test of this folder, and the app's settings pointed at it."""

import pytest

from tests.gazelle.fake import FakeGazelle


@pytest.fixture
def gazelle():
    fake = FakeGazelle().start()
    yield fake
    fake.stop()
    assert fake.invalid == [], "queries Gazelle would have refused"


@pytest.fixture
def gz_settings(settings, gazelle):
    return settings.model_copy(update=gazelle.settings())


@pytest.fixture
def checked(gazelle, gz_settings, session_factory):
    """The day's schema check done, so that a sync's first requests are its pages (faults hit them)."""
    from inventaire.gazelle import connection

    assert connection.check(session_factory=session_factory, settings=gz_settings).ok
    gazelle.queries.clear()
