"""The office dashboard's poll (changed and unchanged) and a change on the phone page, as a browser sends them.

Each figure is the server's CPU time per request (the uvicorn process, read from /proc), over
`samples` requests in a row on one kept-alive connection, with the wall-clock median beside it.

- poll, changed: GET /fragments/tableau without If-None-Match, so the server computes its ETag
  and the whole fragment, as it does after any change;
- poll, unchanged: the same request with the ETag it got back: 304, no fragment built;
- phone change: POST /stock/{nom}/{code}/ajuster (a reception of 1, a new Idempotency-Key
  each time), answered with that line's card, its verdict computed for that line alone.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from bench.measures import median_ms


@dataclass
class PageFigure:
    server_cpu_ms: float
    wall_ms: float
    status: int
    size: int


class Browser:
    """A logged-in page session (cookie and CSRF token) on a kept-alive connection."""

    def __init__(self, base_url: str, token: str):
        self.client = httpx.Client(base_url=base_url, timeout=120)
        login = self.client.get("/connexion", params={"jeton": token})
        # The session cookie is Secure (browsers take it over http on the loopback, httpx does not).
        self.client.headers["Cookie"] = f"inventaire_session={login.cookies.get('inventaire_session')}"
        page = self.client.get("/")
        match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
        if page.status_code != 200 or not match:
            raise RuntimeError(f"login failed: {page.status_code} {page.text[:200]}")
        self.csrf = match.group(1)

    def close(self) -> None:
        self.client.close()


def measure(send: Callable[[], httpx.Response], cpu_seconds: Callable[[], float], samples: int) -> PageFigure:
    send()  # warm-up (templates compiled, connection open)
    walls, last = [], None
    before = cpu_seconds()
    for _ in range(samples):
        start = time.perf_counter()
        last = send()
        walls.append(time.perf_counter() - start)
    cpu = (cpu_seconds() - before) / samples * 1000
    assert last is not None
    return PageFigure(cpu, median_ms(walls), last.status_code, len(last.content))


def dashboard_polls(browser: Browser, cpu_seconds, samples: int) -> dict[str, PageFigure]:
    first = browser.client.get("/fragments/tableau", headers={"HX-Request": "true"})
    if first.status_code != 200 or "ETag" not in first.headers:
        raise RuntimeError(f"/fragments/tableau: {first.status_code}")
    tag = first.headers["ETag"]
    changed = measure(lambda: browser.client.get("/fragments/tableau", headers={"HX-Request": "true"}),
                      cpu_seconds, samples)
    # 20 times the samples: the kernel counts CPU time in 10 ms ticks, too coarse for ~2 ms over 10 requests.
    unchanged = measure(lambda: browser.client.get("/fragments/tableau",
                                                   headers={"HX-Request": "true", "If-None-Match": tag}),
                        cpu_seconds, samples * 20)
    if unchanged.status != 304:
        raise RuntimeError(f"the unchanged poll answered {unchanged.status}, not 304")
    return {"changed": changed, "unchanged": unchanged}


def phone_change(browser: Browser, technician: str, code: str, cpu_seconds, samples: int) -> PageFigure:
    path = f"/stock/{quote(technician)}/{quote(code)}/ajuster"

    def send() -> httpx.Response:
        response = browser.client.post(path, data={"sens": "reception", "quantite": "1", "csrf": browser.csrf},
                                       headers={"HX-Request": "true", "Idempotency-Key": str(uuid.uuid4())})
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.text[:200]}")
        return response

    return measure(send, cpu_seconds, samples)
