"""Alembic migrations, and the helpers they share (security.py)."""
