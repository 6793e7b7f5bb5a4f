"""The fake Gazelle for the PLS cycle's tests."""

from tests.gazelle.conftest import gazelle, gz_settings  # noqa: F401  (fixtures)
