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
