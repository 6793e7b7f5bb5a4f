"""The client's address and scheme behind a trusted proxy (X-Forwarded-For, X-Forwarded-Proto).

uvicorn's own proxy handling, trusting every peer (`FORWARDED_ALLOW_IPS=*`, Render's setting),
takes the *leftmost* X-Forwarded-For address: the one the client wrote itself. A client
rotating that header then escaped the failed-login throttle (200 tries, no 429). A proxy
appends the address it saw to the right of what it received, so only the right end is
trustworthy: this middleware walks the list from the right, skipping addresses that are
trusted proxies themselves, and takes the first one that is not. With `*` every peer is
trusted but no listed address is: the rightmost one, the address Render's proxy added, is the
client. `inventaire serve` runs uvicorn with its proxy headers off and this middleware on.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

MAX_ADDRESS = 64  # what `echecs_authentification.adresse` stores


def normalise(address: str) -> str:
    """An address as stored and compared: an IP in its canonical form, anything else cut to fit.

    The throttle counts on the stored text: a longer key stored cut would never match again.
    """
    text = address.strip().strip("[]")
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text[:MAX_ADDRESS]


class TrustedProxies:
    """Which peers are proxies whose forwarded headers are believed: `*`, addresses or networks."""

    def __init__(self, setting: str):
        items = [item.strip() for item in setting.split(",") if item.strip()]
        self.everyone = "*" in items
        self.networks: list[Any] = []
        self.names: set[str] = set()
        for item in items:
            try:
                self.networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                self.names.add(item)  # e.g. a unix socket's name, compared as text

    def __contains__(self, host: str) -> bool:
        if self.everyone:
            return True
        return self.listed(host)

    def listed(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host.strip().strip("[]"))
        except ValueError:
            return host in self.names
        return any(address in network for network in self.networks)

    def client_of(self, forwarded_for: str) -> str | None:
        """The client in an X-Forwarded-For list: the rightmost address that is not a listed proxy."""
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self.listed(hop):
                return hop
        return hops[0] if hops else None


class ForwardedHeaders:
    """Set the scope's client and scheme from a trusted peer's X-Forwarded-For / -Proto (rightmost)."""

    def __init__(self, app: ASGIApp, trusted: str):
        self.app = app
        self.trusted = TrustedProxies(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope.get("client") and scope["client"][0] in self.trusted:
            headers = dict(scope["headers"])  # the last of a repeated header, as a proxy appends
            forwarded_proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").split(",")[-1].strip()
            if forwarded_proto in ("http", "https"):
                scheme = forwarded_proto if scope["type"] == "http" else {"http": "ws", "https": "wss"}[forwarded_proto]
                scope = {**scope, "scheme": scheme}
            forwarded_for = headers.get(b"x-forwarded-for", b"").decode("latin-1")
            client = self.trusted.client_of(forwarded_for) if forwarded_for else None
            if client:
                scope = {**scope, "client": (normalise(client), 0)}
        await self.app(scope, receive, send)
