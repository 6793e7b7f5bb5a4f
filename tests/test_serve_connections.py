"""`inventaire serve` as a process: a connection that never finishes its request head is closed after
INVENTAIRE_HEADER_TIMEOUT, and a worker keeps at most INVENTAIRE_MAX_CONNECTIONS open (the oldest waiting
ones are closed to make room), while real requests are still answered."""

from __future__ import annotations

import socket
import time

import httpx

from tests.commands import ServeProcess


def _closed_by_server(sock: socket.socket, within: float) -> bool:
    """True when the server closes the connection within `within` seconds (EOF or reset)."""
    sock.settimeout(within)
    try:
        return sock.recv(1024) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def test_slow_heads_and_idle_sockets_are_closed(fresh_database, tmp_path):
    env = {"INVENTAIRE_HEADER_TIMEOUT": "1", "INVENTAIRE_MAX_CONNECTIONS": "10"}
    with ServeProcess(fresh_database.url, tmp_path, env=env, ready_timeout=120) as server:
        silent = _connect(server.port)
        trickling = _connect(server.port)
        trickling.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # the head never ends
        started = time.monotonic()
        assert _closed_by_server(silent, within=8) and _closed_by_server(trickling, within=8)
        print(f"closed after {time.monotonic() - started:.1f} s")

        idle = [_connect(server.port) for _ in range(25)]
        time.sleep(0.5)  # before the header timeout: only the cap can have closed some
        closed = sum(_closed_by_server(s, within=0.05) for s in idle)
        assert closed >= 15, closed  # at most 10 held
        assert httpx.get(f"{server.base_url}/health", timeout=10).status_code == 200
        for s in [silent, trickling, *idle]:
            s.close()
