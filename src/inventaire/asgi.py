"""The ASGI entry point for uvicorn workers (`inventaire.asgi:app`)."""

from inventaire.app import create_app

app = create_app()
