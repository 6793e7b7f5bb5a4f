"""The ASGI entry point for uvicorn workers (`inventaire.asgi:app`)."""

import gc

from inventaire.app import create_app

app = create_app()
# What is built at start-up (modules, mappers, schemas: ~100,000 objects) lives as long as the
# worker: frozen, it is no longer rescanned by every full collection, which large answers
# (a check with thousands of alerts) trigger. Measured in BENCHMARKS.md.
gc.freeze()
