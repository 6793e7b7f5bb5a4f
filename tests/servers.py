"""Real servers on loopback for notification tests: SMTP (aiosmtpd) and an HTTP webhook receiver.

Nothing is mocked: the service's senders talk to these over TCP exactly as they would to a
mail relay, Slack or Discord.
"""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import threading
from collections import defaultdict, deque
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.live import free_port


@dataclass
class Mail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, subtype: str) -> str:
        """The text/plain or text/html body."""
        return self.message.get_body(preferencelist=(subtype,)).get_content()


class SmtpSink:
    """An aiosmtpd server on 127.0.0.1 that keeps every message; `refuse` lists addresses to reject."""

    def __init__(self, port: int | None = None, **controller_kwargs):
        self.port = port or free_port()
        self.mails: list[Mail] = []
        self.refuse: set[str] = set()
        self.logins: list[tuple[str, str]] = []
        self._kwargs = controller_kwargs
        self._controller: Controller | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append((login, password))
        return AuthResult(success=(login, password) == ("inventaire", "secret"), handled=False)

    def start(self) -> SmtpSink:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **self._kwargs)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def settings(self) -> dict:
        """Settings overrides that send to this server without TLS."""
        return {"smtp_host": "127.0.0.1", "smtp_port": self.port, "smtp_security": "none",
                "smtp_from": "inventaire@atelier.example"}


@dataclass
class Hook:
    path: str
    body: dict
    content_type: str


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 (a free port) for one handler class; start() and stop() it."""

    def _serve(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class WebhookSink(LoopbackServer):
    """A threaded HTTP server on 127.0.0.1 that records JSON POSTs and answers queued statuses."""

    def __init__(self):
        self.requests: list[Hook] = []
        self.statuses: dict[str, deque[int]] = defaultdict(deque)
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                sink.requests.append(Hook(self.path, json.loads(raw), self.headers.get("Content-Type", "")))
                queued = sink.statuses[self.path]
                status = queued.popleft() if queued else (204 if "discord" in self.path else 200)
                body = b"" if status == 204 else (b"ok" if status < 300 else b"erreur interne simulee")
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args):
                pass

        self._serve(Handler)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def received(self, path: str) -> list[dict]:
        return [r.body for r in self.requests if r.path == path]

    def settings(self) -> dict:
        return {"slack_webhook_url": self.url(SLACK_PATH), "discord_webhook_url": self.url(DISCORD_PATH)}

SLACK_PATH = "/services/T000/B000/secret-slack-token"
DISCORD_PATH = "/api/webhooks/123/secret-discord-token"


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, made with the openssl command (skip without it)."""
    if shutil.which("openssl") is None:
        pytest.skip("la commande openssl est absente : pas de certificat de test pour TLS")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


def server_tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def webhooks():
    sink = WebhookSink().start()
    yield sink
    sink.stop()


OFFICE = ["bureau@atelier.example", "gerant@atelier.example"]


def configure(app, **overrides):
    """Change the test app's settings (read per request) and return them."""
    app.state.settings = app.state.settings.model_copy(update=overrides)
    return app.state.settings


@pytest.fixture
def notifying(app, smtp, webhooks):
    """The test app with e-mail (to the office), Slack and Discord pointed at the loopback servers."""
    return configure(app, **smtp.settings(), **webhooks.settings(), emails=",".join(OFFICE), notify_backoff=0.0)
