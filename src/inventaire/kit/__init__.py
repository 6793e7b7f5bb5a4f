"""Plumbing every domain uses: settings, database, errors, shared field types, numbers, names, dates.

Nothing here imports a domain package (an import-linter contract in CI)."""
