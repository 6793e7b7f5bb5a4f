"""The loopback SMTP and webhook servers (tests/servers.py) for these tests."""

from tests.servers import notifying, smtp, webhooks  # noqa: F401  (fixtures)
